"""An ingest killed mid-batch (SIGKILL) leaves a consistent database, and a rerun finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from congvan.ingest import ingest


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_batch_then_rerun(tmp_path: Path, seeds: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    for i in range(80):  # 80 distinct files: each its own hash
        (folder / f"doc{i:03d}.txt").write_text(texts[i % len(texts)] + f"\n(bản sao {i})\n", encoding="utf-8")
    db = tmp_path / "archive.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "congvan.cli", "ingest", str(folder), "--db", str(db), "-q", "-j", "1"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while _documents(db) < 10 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, mid-batch
    proc.wait()
    partial = _documents(db)
    assert 10 <= partial < 80, f"killed too late to test anything ({partial} documents)"
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        # whatever was written is whole: every stored document has its children
        orphans = conn.execute(
            "select count(*) from documents d where not exists (select 1 from evidence e where e.document_id = d.id)"
        ).fetchone()[0]
        assert orphans == 0
    summary = ingest([folder], db)
    assert summary.count("unchanged") == partial and summary.count("loaded") == 80 - partial
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct path) from documents").fetchone() == (80, 80)
        per_doc = conn.execute("select count(*) from recipients group by document_id").fetchall()
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    clean = tmp_path / "clean.db"
    ingest([folder], clean)
    with sqlite3.connect(clean) as conn:
        assert sorted(per_doc) == sorted(
            conn.execute("select count(*) from recipients group by document_id").fetchall()
        )
