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
* **A bounded window.** At most ``IN_FLIGHT_PER_WORKER`` documents per worker thread are submitted
  ahead, so a 100,000-file batch never holds more than a window of records.
* **Bounds per document.** On each worker a pebble process (one per worker thread, kept between
  documents) reads the file under the time and memory bounds, so a hostile file becomes an error row and
  the worker lives on. Dask's workers must then be allowed children (``distributed.worker.daemon:
  False``, or ``dask worker --no-nanny``); where they are not, the document is read in the worker's
  thread and only Dask's memory limit bounds it.
* **A lost worker.** The scheduler gives its documents to another worker; a document that kills
  ``allowed-failures`` workers becomes an error row.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import threading
from collections.abc import Iterator

from .ingest import IN_FLIGHT_PER_WORKER, Limits, Result, bounded_result, extract_one

_pools: dict[int, object] = {}
_lock = threading.Lock()


def _pool(memory_mb: int):
    """This worker thread's pebble pool (one process, kept between documents), or None when the
    worker may not have children."""
    from pebble import ProcessPool

    if multiprocessing.current_process().daemon:
        return None
    ident = threading.get_ident()
    with _lock:
        pool = _pools.get(ident)
        if pool is None:
            # forkserver: a Dask worker runs threads (its event loop, its heartbeats), and forking a
            # process with threads can copy a held lock into the child
            if not _pools:
                # a Dask worker is a multiprocessing child: it exits through multiprocessing's finalizers
                # (which then wait for its children), never through atexit
                multiprocessing.util.Finalize(None, _close_pools, exitpriority=10)
                atexit.register(_close_pools)  # a worker started with --no-nanny exits as a main process
            context = multiprocessing.get_context("forkserver")
            # the fork server imports the pipeline once; each reader forked from it starts with it loaded
            context.set_forkserver_preload(["congvan.ingest"])
            pool = _pools[ident] = ProcessPool(
                max_workers=1,
                initializer=_init_reader,
                initargs=(memory_mb,),
                context=context,
            )
        return pool


def _init_reader(memory_mb: int) -> None:
    """A reader's start: its memory bound, then the pipeline and the reform's mapping, so that its first
    document's time bound is spent on the document."""
    from pipeline.extract import warm

    from .ingest import _init_worker

    _init_worker(memory_mb, None)
    warm()


def _close_pools() -> None:
    """Stop the readers when the worker closes (they are its children, and its exit waits for them)."""
    for pool in _pools.values():
        pool.stop()  # type: ignore[attr-defined]
        pool.join()  # type: ignore[attr-defined]
    _pools.clear()


def extract_bounded(path: str, sha256: str | None, roots: tuple[str, ...], limits: Limits) -> tuple[str, object]:
    """On a worker: one document read under its bounds; ("ok", record) or ("error", reason)."""
    pool = _pool(limits.memory_mb)
    if pool is None:
        return extract_one(path, sha256, roots)
    future = pool.schedule(extract_one, args=(path, sha256, roots), timeout=limits.timeout_s)  # type: ignore[attr-defined]
    return bounded_result(future, limits)


def extract_batch(
    batch: list[tuple[str, str | None]], roots: tuple[str, ...], limits: Limits
) -> list[tuple[str, object]]:
    """On a worker: a few documents, one after the other, each under its own bounds."""
    return [extract_bounded(key, sha, roots, limits) for key, sha in batch]


MAX_BATCH = 16
CONNECT_TIMEOUT_S = 10  # an unreachable scheduler is said within this, nothing read or written meanwhile


def batch_size(documents: int, threads: int) -> int:
    """Documents per task: a few, so the scheduler's cost per task (milliseconds) is shared among them,
    yet every thread gets several tasks and a lost worker's batch is redone quickly."""
    return max(1, min(MAX_BATCH, documents // (threads * 8)))


def cluster_results(
    address: str, todo: list[tuple[str, str | None]], roots: tuple[str, ...], limits: Limits
) -> Iterator[Result]:
    """Extract ``todo`` on the Dask cluster at ``address``, yielding each result as its batch finishes.

    A batch whose worker is lost is given to another worker whole; its results come back once, so each
    document is saved once."""
    from distributed import Client, as_completed

    with Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S) as client:
        threads = sum(client.nthreads().values()) or 1
        size = batch_size(len(todo), threads)
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        window = IN_FLIGHT_PER_WORKER * threads
        queue = iter(batches)
        pending: dict = {}
        finished = as_completed(loop=client.loop)

        def schedule() -> None:
            for batch in queue:
                future = client.submit(extract_batch, batch, roots, limits, pure=False)
                pending[future] = batch
                finished.add(future)
                if len(pending) >= window:
                    return

        schedule()
        for future in finished:
            batch = pending.pop(future)
            try:
                results = future.result()
            except Exception as exc:  # KilledWorker: the batch took down every worker that tried it
                name = type(exc).__name__
                reason = (
                    "it stopped every worker that read it"
                    if name == "KilledWorker"
                    else f"internal error: {name}: {exc}"
                )
                results = [("error", reason)] * len(batch)
            future.release()
            for (key, sha), (status, payload) in zip(batch, results, strict=True):
                yield key, sha, status, payload
            schedule()
