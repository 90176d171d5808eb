"""Ingest on a Dask cluster: reading, OCR and extraction on the workers, the one SQLite writer here.

Why Dask (distributed) and not Ray: a scanned archive's unit of work is one file, independent of the
others, so the engine needs futures, a bounded window and recovery from a lost worker, nothing more.
Dask gives those with a pure-Python install from PyPI (``pip install congvan`` brings it), workers that
are started with one command on any machine (``dask scheduler``, ``dask worker ADDRESS``), fsspec for
files on object storage, and a ``LocalCluster`` that the tests run in CI. Ray brings a large binary
runtime and its own object store that this work does not need.

What stays as it is without a cluster:

* **One writer.** Records come back to this process, which saves each in one transaction, in the order
  they finish; a document is saved once, whatever happens to the workers.
* **A bounded window.** Documents go out in batches of up to ``MAX_BATCH``, at most
  ``IN_FLIGHT_PER_WORKER`` batches per worker thread ahead, so a 100,000-file ingest never holds more
  than a window of records.
* **Bounds per document.** On each worker a reader process (pebble, one per worker thread, kept between
  documents, started with the pipeline loaded) reads each file under the time and memory bounds, so a
  hostile file becomes an error row and the worker lives on. Dask's workers must be allowed children
  (``distributed.worker.daemon: False``, or ``dask worker --no-nanny``): a cluster whose workers are not
  is refused when the command connects, with the reason.
* **A lost worker.** The scheduler gives its batch to another worker. A batch that brings down
  ``allowed-failures`` workers is sent again one document per task, and only the document that brings
  them down again becomes an error row.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from .ingest import IN_FLIGHT_PER_WORKER, Limits, Result, bounded_result

MAX_BATCH = 16
CONNECT_TIMEOUT_S = 10  # an unreachable scheduler is said within this, before anything is read or written

_pools: dict[int, object] = {}
_scratch: dict[int, str] = {}  # each worker thread's reader's folder for temporary files
_lock = threading.Lock()


class ClusterError(Exception):
    """The cluster cannot take the work as asked; the message names the address and the reason."""


def _daemonic() -> bool:
    return multiprocessing.current_process().daemon


def connect(address: str):
    """A client of the scheduler at ``address``, its workers checked: there are some, and each may start
    the reader processes that bound a document. Raises OSError when the scheduler cannot be reached."""
    from distributed import Client

    client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
    try:
        daemonic = client.run(_daemonic)
    except Exception:
        client.close()
        raise
    problem = None
    if not daemonic:
        problem = "the scheduler has no workers; start some with 'dask worker ADDRESS'"
    elif any(daemonic.values()):
        problem = (
            "its workers may not start the processes that bound each document; start them with "
            "DASK_DISTRIBUTED__WORKER__DAEMON=False (or 'dask worker --no-nanny')"
        )
    if problem:
        client.close()
        raise ClusterError(f"{address}: {problem}")
    return client


def _init_reader(memory_mb: int, scratch: str) -> None:
    """A reader's start: its memory bound and its scratch folder, then the pipeline and the reform's
    mapping, so that its first document's time bound is spent on the document."""
    from parsers.base import SCRATCH_ENV
    from pipeline.extract import warm

    from .ingest import _init_worker

    _init_worker(memory_mb, None)
    os.environ[SCRATCH_ENV] = scratch
    warm()


def _pool(memory_mb: int):
    """This worker thread's reader (a pebble pool of one process, kept between documents)."""
    from pebble import ProcessPool

    ident = threading.get_ident()
    with _lock:
        pool = _pools.get(ident)
        if pool is None:
            if not _pools:
                # a Dask worker is a multiprocessing child: it exits through multiprocessing's finalizers
                # (which then wait for its children), never through atexit
                multiprocessing.util.Finalize(None, _close_pools, exitpriority=10)
                atexit.register(_close_pools)  # a worker started with --no-nanny exits as a main process
            # forkserver: a Dask worker runs threads (its event loop, its heartbeats), and forking a
            # process with threads can copy a held lock into the child. The fork server imports the
            # pipeline's modules once; each reader then builds the pipeline in its initializer
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["congvan.ingest"])
            # the reader's temporary files go to a folder of this thread's, emptied after a stopped document
            scratch = _scratch[ident] = tempfile.mkdtemp(prefix="congvan-scratch-")
            pool = _pools[ident] = ProcessPool(
                max_workers=1, initializer=_init_reader, initargs=(memory_mb, scratch), context=context
            )
        return pool


def _close_pools() -> None:
    """Stop the readers when the worker closes (they are its children, and its exit waits for them)."""
    with _lock:
        for pool in _pools.values():
            pool.stop()  # type: ignore[attr-defined]
            pool.join()  # type: ignore[attr-defined]
        _pools.clear()
        for folder in _scratch.values():
            shutil.rmtree(folder, ignore_errors=True)
        _scratch.clear()


def extract_bounded(path: str, sha256: str | None, roots: tuple[str, ...], limits: Limits) -> tuple[str, object]:
    """On a worker: one document read under its bounds; ("ok", record) or ("error", reason)."""
    from .ingest import extract_one

    if _daemonic():  # a worker that joined after the check
        return "error", "the worker that took it may not start reader processes (DASK_DISTRIBUTED__WORKER__DAEMON)"
    future = _pool(limits.memory_mb).schedule(extract_one, args=(path, sha256, roots), timeout=limits.timeout_s)  # type: ignore[attr-defined]
    status, payload = bounded_result(future, limits)
    if status != "ok":  # the reader may have been stopped mid-document: what it left goes (it read nothing else)
        _empty(_scratch.get(threading.get_ident()))
    return status, payload


def _empty(folder: str | None) -> None:
    """Remove what a stopped reader left; never raises (the document's row is already an error)."""
    if folder is None:
        return
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        except OSError:
            pass


def extract_batch(
    batch: list[tuple[str, str | None]], roots: tuple[str, ...], limits: Limits
) -> list[tuple[str, object]]:
    """On a worker: a few documents, one after the other, each under its own bounds."""
    return [extract_bounded(key, sha, roots, limits) for key, sha in batch]


def batch_size(documents: int, threads: int) -> int:
    """Documents per task: a few, so the scheduler's cost per task (milliseconds) is shared among them,
    yet every thread gets several tasks and a lost worker's batch is redone quickly."""
    return max(1, min(MAX_BATCH, documents // (threads * 8)))


def cluster_results(
    client, todo: list[tuple[str, str | None]], roots: tuple[str, ...], limits: Limits
) -> Iterator[Result]:
    """Extract ``todo`` on the cluster of ``client`` (``connect``), yielding each result as its batch
    finishes. A batch whose worker is lost is given to another worker whole; its results come back once,
    so each document is saved once."""
    from distributed import as_completed

    threads = sum(client.nthreads().values()) or 1
    size = batch_size(len(todo), threads)
    queue = iter([todo[i : i + size] for i in range(0, len(todo), size)])
    again: deque[list[tuple[str, str | None]]] = deque()  # documents of a failed batch, one per task
    window = IN_FLIGHT_PER_WORKER * threads
    pending: dict = {}
    finished = as_completed(loop=client.loop)

    def schedule() -> None:
        while len(pending) < window:
            batch = again.popleft() if again else next(queue, None)
            if batch is None:
                return
            future = client.submit(extract_batch, batch, roots, limits, pure=False)
            pending[future] = batch
            finished.add(future)

    schedule()
    for future in finished:
        batch = pending.pop(future)
        try:
            results = future.result()
        except Exception as exc:  # KilledWorker: the batch took down every worker that tried it
            future.release()
            if len(batch) > 1:  # find the one document that does it
                again.extend([item] for item in batch)
                schedule()
                continue
            name = type(exc).__name__
            reason = (
                "it stopped every worker that read it" if name == "KilledWorker" else f"internal error: {name}: {exc}"
            )
            results = [("error", reason)]
        future.release()
        for (key, sha), (status, payload) in zip(batch, results, strict=True):
            yield key, sha, status, payload
        schedule()
