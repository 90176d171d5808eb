"""Batch ingest: files and folders into the archive, one file at a time, never stopping on a bad one."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from parsers import SUPPORTED_SUFFIXES, ParseError, read_document
from pipeline import PIPELINE_VERSION, record_from_parsed
from pipeline.extract import file_sha256

from . import store


# Documentation that sits beside the documents in a folder is not a dispatch.
NOT_DOCUMENTS = re.compile(r"^(?:README|SOURCES|LICENSE|LICENCE|CHANGELOG|NOTES)(?:[-_.].*)?$", re.IGNORECASE)


def expand(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files named directly, and every supported file below a named folder (sorted; hidden files and
    README/SOURCES-style notes skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not any(
                        part.startswith(".") for part in child.relative_to(path).parts) and not NOT_DOCUMENTS.match(child.name):
                    yield child
        else:
            yield path  # a missing or unsupported file becomes an error row with its reason


def ingest_file(db, path: Path) -> store.Outcome:
    """Load one file; any failure is recorded in ``errors`` and returned, never raised."""
    key = str(path.resolve())
    sha256 = None
    try:
        if path.is_file():
            sha256 = file_sha256(path)
            existing = store.stored_version(db, key)
            if existing and existing[1] == sha256 and existing[2] == PIPELINE_VERSION:
                return store.Outcome("unchanged", key, document_id=existing[0])
        parsed = read_document(path)
        parsed.path = Path(key)
        record = record_from_parsed(parsed, sha256)
        return store.save_record(db, record)
    except ParseError as exc:
        return store.save_error(db, key, exc.reason, sha256)
    except Exception as exc:  # an extractor bug must not stop the batch; the row says what happened
        return store.save_error(db, key, f"internal error: {type(exc).__name__}: {exc}", sha256)


def ingest(paths: Iterable[Path | str], db_path: Path | str,
           progress: Callable[[int, int, store.Outcome], None] | None = None) -> store.Summary:
    db = store.open_db(db_path)
    files = list(expand(paths))
    summary = store.Summary()
    try:
        for i, path in enumerate(files, start=1):
            outcome = ingest_file(db, path)
            summary.outcomes.append(outcome)
            if progress:
                progress(i, len(files), outcome)
    finally:
        db.execute("pragma wal_checkpoint(truncate)")  # an immutable reader sees everything
        db.close()
    return summary
