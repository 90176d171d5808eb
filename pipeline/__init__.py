"""Extraction pipeline: spaCy components that turn normalized text into a dispatch record.

The pipeline itself is imported when one of its functions is first asked for: the store and the server
use the extractors' vocabularies (agency names, citation keys) and the version, not spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import PIPELINE_VERSION

if TYPE_CHECKING:
    from .extract import extract_file, nlp, record_from_parsed, record_from_text

_LAZY = ("extract_file", "nlp", "record_from_parsed", "record_from_text")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import extract

        return getattr(extract, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = ["PIPELINE_VERSION", "extract_file", "nlp", "record_from_parsed", "record_from_text"]
