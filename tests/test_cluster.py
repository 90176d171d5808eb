"""Ingest on a Dask cluster (``congvan ingest --cluster``): a LocalCluster of two worker processes, real
documents (the seeds and the dev texts, read in place), a real SQLite file.

What must hold: the cluster gives the same records as the local pool; a worker killed in the middle of a
batch loses nothing and duplicates nothing; files named by URL (fsspec) are read like paths."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, require_tool

from congvan.ingest import ingest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

# the columns that differ between two runs of the same batch by design
VOLATILE = {"id", "ingested_at", "copy_of", "draft_of", "unit_id"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes, one thread each, allowed children (each reads documents in a pebble
    process under the time and memory bounds)."""
    with dask.config.set({"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 3}):
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as local:
            yield local


def rows(db: Path) -> dict[str, dict]:
    """Every document with its tasks, references and targets, keyed by path (ids follow the order
    documents finish, which differs from run to run)."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out: dict[str, dict] = {}
    for doc in con.execute("select * from documents"):
        row = {k: doc[k] for k in doc.keys() if k not in VOLATILE}
        for table, columns in (
            ("tasks", "position, agency, text, deadline, role"),
            ("references", "position, key, number_symbol, date"),
            ("targets", "position, value, unit, text, kind"),
        ):
            found = con.execute(
                f"select {columns} from [{table}] where document_id = ? order by {columns}", [doc["id"]]
            ).fetchall()
            row[table] = [tuple(r) for r in found]
        out[doc["path"]] = row
    con.close()
    return out


def texts(dev_dir: Path) -> list[Path]:
    """The dev corpus as text (its originals under files/ are OCR work, for the benchmark)."""
    return sorted(dev_dir.glob("*.txt"))


def test_cluster_gives_the_local_pools_records(cluster, dev_dir: Path, tmp_path: Path) -> None:
    inputs = [CORPUS, *texts(dev_dir)]
    local = ingest(inputs, tmp_path / "local.db", jobs=2)
    remote = ingest(inputs, tmp_path / "cluster.db", cluster=cluster.scheduler_address)
    assert remote.line() == local.line()
    assert local.count("loaded") >= 55
    a, b = rows(tmp_path / "local.db"), rows(tmp_path / "cluster.db")
    assert sorted(a) == sorted(b)
    for path in a:
        assert a[path] == b[path], path


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(cluster, dev_dir: Path, tmp_path: Path) -> None:
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    pids = client.run(os.getpid)  # worker address -> pid
    victim = sorted(pids.values())[0]
    killed = threading.Event()

    def progress(done: int, total: int, outcome) -> None:
        if done >= 8 and not killed.is_set():
            killed.set()
            os.kill(victim, signal.SIGKILL)

    db = tmp_path / "killed.db"
    summary = ingest(texts(dev_dir), db, progress, cluster=cluster.scheduler_address)
    client.close()
    assert killed.is_set()
    expected = sorted(str(p.resolve()) for p in texts(dev_dir))
    con = sqlite3.connect(db)
    paths = [p for (p,) in con.execute("select path from documents order by path")]
    errors = [p for (p,) in con.execute("select path from errors")]
    con.close()
    assert len(paths) == len(set(paths))  # no document twice
    assert sorted(paths + errors) == expected  # every file once: a record or an error row
    assert len(summary.outcomes) == len(expected)
    # the one error the dev corpus holds is its mojibake text, refused by the reader, not the kill
    assert all("worker" not in (o.reason or "") for o in summary.outcomes)


def test_files_named_by_url_read_like_paths(cluster, seeds: Path, tmp_path: Path) -> None:
    by_path = ingest([seeds], tmp_path / "paths.db", jobs=1)
    by_url = ingest([seeds.resolve().as_uri() + "/"], tmp_path / "urls.db", cluster=cluster.scheduler_address)
    assert by_url.count("loaded") == by_path.count("loaded") == len(list(seeds.glob("*.txt")))
    a = {Path(k).name: v for k, v in rows(tmp_path / "paths.db").items()}
    b = {k.rsplit("/", 1)[-1]: v for k, v in rows(tmp_path / "urls.db").items()}
    assert sorted(a) == sorted(b)
    for name in a:
        assert b[name]["path"].startswith("file://")
        assert {k: v for k, v in a[name].items() if k != "path"} == {k: v for k, v in b[name].items() if k != "path"}
    # unchanged files are not read again, by URL either
    again = ingest([seeds.resolve().as_uri() + "/"], tmp_path / "urls.db", cluster=cluster.scheduler_address)
    assert again.count("unchanged") == len(a)


def test_an_unreachable_scheduler_is_said_and_nothing_is_written(monkeypatch, seeds: Path, tmp_path: Path) -> None:
    import sqlite3

    from congvan import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    db = tmp_path / "none.db"
    with pytest.raises(OSError, match="127.0.0.1:9"):
        ingest([seeds], db, cluster="tcp://127.0.0.1:9")
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == 0
    con.close()


def test_the_time_bound_holds_on_the_cluster(cluster, seeds: Path, dev_dir: Path, tmp_path: Path) -> None:
    """A document over its time bound becomes an error row on a worker as on one machine, and the batch
    goes on (a 3-page scan: OCR takes seconds a page; a seed a few hundredths of a second)."""
    import shutil

    from congvan.ingest import Limits
    from parsers import ocr

    require_tool(ocr.available(), "Tesseract with Vietnamese data is not installed (make install-system)")
    shutil.copy(dev_dir / "files" / "022.pdf", seeds / "scan.pdf")
    db = tmp_path / "bounded.db"
    by_url = seeds.resolve().as_uri() + "/"  # the stopped reader was reading a temporary copy
    summary = ingest([by_url], db, limits=Limits(timeout_s=1.5), cluster=cluster.scheduler_address)
    assert summary.count("loaded") == 5 and summary.count("failed") == 1

    def left_behind() -> list[str]:
        from congvan import cluster as on_worker

        return [name for folder in on_worker._scratch.values() for name in os.listdir(folder)]

    with distributed.Client(cluster.scheduler_address, timeout=30) as client:
        left = client.run(left_behind)
    assert left and all(names == [] for names in left.values())
    con = sqlite3.connect(db)
    ((reason,),) = con.execute("select reason from errors").fetchall()
    con.close()
    assert reason == "took longer than 1.5 s to read; stopped"


def test_workers_that_may_not_start_readers_are_refused(seeds: Path, tmp_path: Path) -> None:
    """Dask's default workers are daemonic and may not start the processes that bound each document: the
    command says so when it connects, and reads nothing."""
    from congvan.cluster import ClusterError

    with dask.config.set({"distributed.worker.daemon": True}):
        with distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as local:
            with pytest.raises(ClusterError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
                ingest([seeds], tmp_path / "refused.db", cluster=local.scheduler_address)
    con = sqlite3.connect(tmp_path / "refused.db")
    assert con.execute("select count(*) from documents").fetchone()[0] == 0
    con.close()
