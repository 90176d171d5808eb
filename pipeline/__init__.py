"""Extraction pipeline: spaCy components that turn normalized text into a dispatch record."""

from .extract import PIPELINE_VERSION, extract_file, nlp, record_from_parsed, record_from_text

__all__ = ["PIPELINE_VERSION", "extract_file", "nlp", "record_from_parsed", "record_from_text"]
