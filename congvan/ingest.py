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
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pebble import ProcessExpired, ProcessPool

from parsers import SUPPORTED_SUFFIXES, ParseError, ocr, read_document
from parsers.base import SCRATCH_ENV
from pipeline import PIPELINE_VERSION, record_from_parsed
from pipeline.extract import file_sha256, warm

from . import remote

if TYPE_CHECKING:  # the store (sqlite-utils) is imported where it is used: `extract` writes no database
    from sqlite_utils import Database

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


@dataclass(frozen=True)
class Input:
    """One input found under the paths named on the command line; ``refused`` says why it is not read."""

    path: Path
    refused: str | None = None
    url: str | None = None  # an input on object storage or a shared file system, read through fsspec

    @property
    def key(self) -> str:
        """The path a record is stored under (``located``): a link inside an input folder is recorded where
        it lies, not where it points. A URL is its own key."""
        return self.url or str(located(self.path))


def located(path: Path) -> Path:
    """``path`` made absolute with its folders' links resolved but not its own."""
    return Path(os.path.realpath(path.parent)) / path.name


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or root in target.parents for root in roots)


def _wanted(name: str) -> bool:
    return (
        Path(name).suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith(".") and not NOT_DOCUMENTS.match(name)
    )


def roots_of(paths: Iterable[Path | str]) -> list[Path]:
    """Where reading may go: each named path with its folders' links resolved but not its own, so a
    named link is not a root for its own target (``congvan ingest folder/*`` names the links in it)."""
    return [located(Path(p)) for p in paths if not remote.is_url(p)]


def outside(path: Path, roots: list[Path]) -> str | None:
    """Why ``path`` may not be read, if it is a link whose target lies outside every root."""
    if not path.is_symlink():
        return None
    if not path.exists():
        return "a link whose target does not exist"
    if not _inside(path.resolve(), roots):
        kind = "folder" if path.is_dir() else "file"
        return f"a link to a {kind} outside the paths named on the command line; not read"
    return None


def expand(paths: Iterable[Path | str]) -> Iterator[Input]:
    """Files named directly, and every supported file below a named folder (sorted; hidden files and
    README/SOURCES-style notes skipped; a file reached twice is given once).

    Nothing outside the named paths is read: a link (to a file or a folder, named or found, however
    chained) whose target lies outside every named path is refused with the reason, and so is a folder
    that cannot be listed. A named link counts only if its target lies inside another named path, so
    ``congvan ingest folder/*`` cannot be led out of the folder by the links in it."""
    paths = list(paths)
    named = [Path(p) for p in paths if not remote.is_url(p)]
    roots = roots_of(named)
    seen: set[str] = set()

    def once(item: Input) -> Iterator[Input]:
        if item.key not in seen:
            seen.add(item.key)
            yield item

    for url in (str(p) for p in paths if remote.is_url(p)):
        for found_url, refused in remote.expand(url, _wanted):
            yield from once(Input(Path(found_url.rsplit("/", 1)[-1]), refused, url=found_url))
    for path in named:
        refused = outside(path, roots)
        if refused:
            yield from once(Input(path, refused))
            continue
        if not path.is_dir():
            yield from once(Input(path))  # a missing or unsupported file becomes an error row with its reason
            continue
        if path.is_symlink():
            continue  # a link to a folder inside another named path: that path's walk reads it
        found: list[Input] = []
        problems: list[OSError] = []
        for folder, dirs, files in os.walk(path, onerror=problems.append):
            relative = Path(folder).relative_to(path)
            if any(part.startswith(".") for part in relative.parts):
                dirs[:] = []
                continue
            for name in dirs:
                child = Path(folder) / name
                if child.is_symlink() and not name.startswith(".") and (why := outside(child, roots)):
                    found.append(Input(child, why))
            for name in files:
                child = Path(folder) / name
                if not _wanted(name):
                    continue
                why = outside(child, roots)
                if why:
                    found.append(Input(child, why))
                elif child.is_file():
                    found.append(Input(child))
        for problem in problems:
            found.append(
                Input(
                    Path(problem.filename),
                    f"folder cannot be read ({problem.strerror or problem}); its files were not ingested",
                )
            )
        for item in sorted(found, key=lambda i: str(i.path)):
            yield from once(item)


def _init_worker(memory_mb: int, lock_fd: int | None) -> None:
    """Worker initializer: drop the inherited writer lock and cap the address space, so a runaway
    document fails alone."""
    if lock_fd is not None:
        from . import store

        store.release_inherited(lock_fd)
    # the cores are shared among the workers already: each reads its scan's pages one at a time
    os.environ.setdefault(ocr.THREADS_ENV, "1")
    limit = memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(
            resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else resource.RLIM_INFINITY)
        )


def extract_one(path: str, sha256: str | None, roots: tuple[str, ...] = ()) -> tuple[str, object]:
    """In a worker: ("ok", record) or ("error", reason). Never raises.

    The link check is made again here, just before reading: a file swapped for a link to somewhere
    else after the folder was listed is refused too (what remains is the instant between this check and
    the open). A URL (``s3://``, ``file://``, any fsspec protocol) is copied to a local file first."""
    try:
        if remote.is_url(path):
            with remote.fetched(path) as local:
                record = record_from_parsed(read_document(local), sha256)
            if record.source is not None:
                record.source.path = path
            return "ok", record
        if roots and (why := outside(Path(path), [Path(r) for r in roots])):
            return "error", why
        parsed = read_document(Path(path))
        return "ok", record_from_parsed(parsed, sha256)
    except ParseError as exc:
        return "error", exc.reason
    except MemoryError:
        return "error", "ran out of memory while reading it"
    except Exception as exc:  # an extractor bug must not stop the batch; the row says what happened
        return "error", f"internal error: {type(exc).__name__}: {exc}"


def _plan(db, inputs: list[Input], force: bool) -> tuple[list[tuple[str, str | None]], list[store.Outcome]]:
    """Files that need work, and outcomes for those that need none: unchanged, moved (the same bytes at a
    new path, the old one gone: the record follows the file) or refused (an error row, never read)."""
    from . import store

    todo: list[tuple[str, str | None]] = []
    done: list[store.Outcome] = []
    for item in inputs:
        key = item.key
        if item.refused:
            done.append(store.save_error(db, key, item.refused, None))
            continue
        sha256 = None
        if item.url or item.path.is_file():
            try:
                sha256 = remote.sha256(item.url) if item.url else file_sha256(item.path)
            except OSError:
                sha256 = None
            existing = store.stored_version(db, key)
            if existing is None and sha256 and (old := store.moved_from(db, sha256)):
                done.append(store.move_document(db, old[0], key))
                existing = store.stored_version(db, key)
                if force or (existing and existing[2] != PIPELINE_VERSION):
                    todo.append((key, sha256))
                continue
            if not force and existing and existing[1] == sha256 and existing[2] == PIPELINE_VERSION:
                done.append(store.Outcome("unchanged", key, document_id=existing[0]))
                continue
        todo.append((key, sha256))
    return todo, done


def _save(db, key: str, sha256: str | None, status: str, payload) -> store.Outcome:
    from . import store

    if status == "ok":
        return store.save_record(db, payload)
    return store.save_error(db, key, payload, sha256)


# what a runner gives back for each file: its key, its sha256, and ("ok", record) or ("error", reason)
Result = tuple[str, str | None, str, object]


def extract_json(path: str, sha256: str | None, roots: tuple[str, ...], with_text: bool) -> tuple[str, object]:
    """In a worker: ("ok", the record as JSON) or ("error", reason); ``congvan extract`` writes it as it
    comes, so the one main process does not serialise every record itself."""
    status, payload = extract_one(path, sha256, roots)
    if status != "ok":
        return status, payload
    return "ok", payload.model_dump_json(exclude=None if with_text else {"text"}, indent=1)  # type: ignore[attr-defined]


def local_results(
    todo: list[tuple[str, str | None]],
    roots: tuple[str, ...],
    limits: Limits,
    jobs: int | None,
    lock_fd: int | None,
    task: Callable[..., tuple[str, object]] = extract_one,
    extra: tuple = (),
) -> Iterator[Result]:
    """Run ``task`` (``extract_one`` unless told) over ``todo`` on this machine's cores (pebble processes,
    each document under its bounds), in the order documents finish."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    # built once here and inherited by the forked workers: a cold worker would otherwise spend its
    # first document's time bound building the pipeline
    warm()
    with (
        scratch_folder(),
        ProcessPool(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(limits.memory_mb, lock_fd),
            context=multiprocessing.get_context("fork"),
        ) as pool,
    ):
        # a bounded window of documents in flight: a finished future holds its whole record, so
        # scheduling a 100,000-file batch at once would keep every record in memory until the end
        queue = iter(todo)
        pending: dict = {}

        def schedule() -> None:
            for key, sha in queue:
                pending[pool.schedule(task, args=(key, sha, roots, *extra), timeout=limits.timeout_s)] = (key, sha)
                if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                    return

        schedule()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                key, sha = pending.pop(future)
                status, payload = bounded_result(future, limits)
                yield key, sha, status, payload
            schedule()


@contextmanager
def scratch_folder() -> Iterator[str]:
    """A folder for the temporary files of the readers this process starts (they inherit it), removed
    with whatever a stopped reader left in it (a URL's copy, LibreOffice's profile)."""
    with tempfile.TemporaryDirectory(prefix="congvan-scratch-", ignore_cleanup_errors=True) as folder:
        before = os.environ.get(SCRATCH_ENV)
        os.environ[SCRATCH_ENV] = folder
        try:
            yield folder
        finally:
            if before is None:
                del os.environ[SCRATCH_ENV]
            else:
                os.environ[SCRATCH_ENV] = before


def bounded_result(future, limits: Limits) -> tuple[str, object]:
    """A pebble future's result, with a stopped or crashed reader as an error reason."""
    try:
        return future.result()
    except FutureTimeout:
        return "error", f"took longer than {limits.timeout_s:g} s to read; stopped"
    except ProcessExpired as exc:
        return "error", f"the reader crashed (exit code {exc.exitcode})"
    except Exception as exc:
        return "error", f"internal error: {type(exc).__name__}: {exc}"


def ingest(
    paths: Iterable[Path | str],
    db_path: Path | str,
    progress: Callable[[int, int, store.Outcome | None], None] | None = None,
    *,
    jobs: int | None = None,
    limits: Limits = Limits(),
    force: bool = False,
    cluster: str | None = None,
) -> store.Summary:
    """Ingest files and folders; returns what happened to each file.

    ``cluster``, a Dask scheduler's address, sends reading and extraction to its workers
    (``congvan.cluster``); this process stays the one writer either way.

    Raises ``store.StoreError`` when the database cannot be used (another writer holds it, it is not a
    database, it is damaged or read-only): nothing is read and nothing is written then."""
    from . import store

    # the cluster is reached and checked before anything is read
    with store.writing(db_path) as (db, lock_fd), _client(cluster) as client:
        return _ingest(db, list(paths), progress, jobs=jobs, limits=limits, force=force, lock_fd=lock_fd, client=client)


@contextmanager
def _client(address: str | None) -> Iterator[object | None]:
    """A checked client of the Dask scheduler at ``address`` (``cluster.connect``), closed at the end;
    None without a cluster."""
    if not address:
        yield None
        return
    from .cluster import connect

    client = connect(address)
    try:
        yield client
    finally:
        client.close()


def _ingest(
    db: Database,
    paths: list[Path | str],
    progress: Callable[[int, int, store.Outcome | None], None] | None,
    *,
    jobs: int | None,
    limits: Limits,
    force: bool,
    lock_fd: int | None,
    client,
) -> store.Summary:
    from . import store

    inputs = list(expand(paths))
    roots = tuple(str(r) for r in roots_of(paths))
    summary = store.Summary()
    todo, unchanged = _plan(db, inputs, force)
    total = len(inputs)
    if progress:
        progress(0, total, None)  # the bar shows from the start, before the first (maybe long) file ends
    for outcome in unchanged:
        summary.outcomes.append(outcome)
        if progress:
            progress(len(summary.outcomes), total, outcome)
    if not todo:
        return summary
    if client is not None:
        from .cluster import cluster_results

        results = cluster_results(client, todo, roots, limits)
    else:
        results = local_results(todo, roots, limits, jobs, lock_fd)
    for key, sha, status, payload in results:
        outcome = _save(db, key, sha, status, payload)
        summary.outcomes.append(outcome)
        if progress:
            progress(len(summary.outcomes), total, outcome)
    return summary
