"""Batch ingest: files and folders into the archive.

Extraction runs in worker processes (``--jobs``, all cores by default), each document under a time and
a memory bound; the main process is the single writer to SQLite and writes each document in one
transaction. A file whose bytes and pipeline version are unchanged is skipped, so a batch that was
interrupted (even killed) is finished by running it again, with no duplicates. One bad file never stops
the batch: it becomes a row in ``errors`` with the reason.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import resource
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from parsers import SUPPORTED_SUFFIXES, ParseError, read_document
from pipeline import PIPELINE_VERSION, record_from_parsed
from pipeline.extract import file_sha256

from . import store

# Documentation that sits beside the documents in a folder is not a dispatch.
NOT_DOCUMENTS = re.compile(r"^(?:README|SOURCES|LICENSE|LICENCE|CHANGELOG|NOTES)(?:[-_.].*)?$", re.IGNORECASE)

DOCUMENT_TIMEOUT_S = 600  # OCR of a 40-page scan fits; a reader stuck on a hostile file does not
DOCUMENT_MEMORY_MB = 4096
IN_FLIGHT_PER_WORKER = 4  # documents scheduled ahead per worker


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DOCUMENT_TIMEOUT_S
    memory_mb: int = DOCUMENT_MEMORY_MB


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


def _limit_memory(memory_mb: int) -> None:
    """Worker initializer: cap the address space, so a runaway document fails alone."""
    limit = memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else resource.RLIM_INFINITY))


def extract_one(path: str, sha256: str | None) -> tuple[str, object]:
    """In a worker: ("ok", record) or ("error", reason). Never raises."""
    try:
        parsed = read_document(Path(path))
        return "ok", record_from_parsed(parsed, sha256)
    except ParseError as exc:
        return "error", exc.reason
    except MemoryError:
        return "error", "ran out of memory while reading it"
    except Exception as exc:  # an extractor bug must not stop the batch; the row says what happened
        return "error", f"internal error: {type(exc).__name__}: {exc}"


def _plan(db, files: list[Path], force: bool) -> tuple[list[tuple[str, str | None]], list[store.Outcome]]:
    """Files that need work, and outcomes for those that do not (unchanged)."""
    todo, done = [], []
    for path in files:
        key = str(path.resolve())
        sha256 = None
        if path.is_file():
            try:
                sha256 = file_sha256(path)
            except OSError:
                sha256 = None
            existing = store.stored_version(db, key)
            if not force and existing and existing[1] == sha256 and existing[2] == PIPELINE_VERSION:
                done.append(store.Outcome("unchanged", key, document_id=existing[0]))
                continue
        todo.append((key, sha256))
    return todo, done


def _save(db, key: str, sha256: str | None, status: str, payload) -> store.Outcome:
    if status == "ok":
        return store.save_record(db, payload)
    return store.save_error(db, key, payload, sha256)


def ingest(paths: Iterable[Path | str], db_path: Path | str,
           progress: Callable[[int, int, store.Outcome], None] | None = None, *,
           jobs: int | None = None, limits: Limits = Limits(), force: bool = False) -> store.Summary:
    """Ingest files and folders; returns what happened to each file."""
    db = store.open_db(db_path)
    files = list(expand(paths))
    summary = store.Summary()
    try:
        todo, unchanged = _plan(db, files, force)
        total = len(files)
        for outcome in unchanged:
            summary.outcomes.append(outcome)
            if progress:
                progress(len(summary.outcomes), total, outcome)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        with ProcessPool(max_workers=workers, initializer=_limit_memory, initargs=(limits.memory_mb,),
                         context=multiprocessing.get_context("fork")) as pool:
            # a bounded window of documents in flight: a finished future holds its whole record, so
            # scheduling a 100,000-file batch at once would keep every record in memory until the end
            queue = iter(todo)
            pending: dict = {}

            def schedule() -> None:
                for key, sha in queue:
                    pending[pool.schedule(extract_one, args=(key, sha), timeout=limits.timeout_s)] = (key, sha)
                    if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                        return

            schedule()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    key, sha = pending.pop(future)
                    try:
                        status, payload = future.result()
                    except FutureTimeout:
                        status, payload = "error", f"took longer than {limits.timeout_s:g} s to read; stopped"
                    except ProcessExpired as exc:
                        status, payload = "error", f"the reader crashed (exit code {exc.exitcode})"
                    except Exception as exc:
                        status, payload = "error", f"internal error: {type(exc).__name__}: {exc}"
                    outcome = _save(db, key, sha, status, payload)
                    summary.outcomes.append(outcome)
                    if progress:
                        progress(len(summary.outcomes), total, outcome)
                schedule()
    finally:
        db.execute("pragma wal_checkpoint(truncate)")  # an immutable reader sees everything
        db.close()
    return summary
