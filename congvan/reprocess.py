"""Incremental reprocessing: re-run extraction from the stored text, for records an older pipeline made.

The original files are not read again (they may have moved, and reading, OCR above all, is the slow
part): the normalized text every record keeps is enough. Each record is updated in place, in its own
transaction, with the same document id.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from pebble import ProcessPool
from sqlite_utils import Database

from models import Source
from pipeline import PIPELINE_VERSION, record_from_text

from . import store


def _extract(row: dict):
    source = Source(
        path=row["path"],
        name=row["name"],
        sha256=row["sha256"],
        format=row["format"],
        pages=row["pages"],
        ocr_pages=json.loads(row["ocr_pages"] or "[]"),
        warnings=json.loads(row["warnings"] or "[]"),
    )
    return record_from_text(row["text"], source)


def reprocess(db_path: Path | str, jobs: int | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-extract every record whose pipeline version is not the current one; returns how many.

    Raises ``store.StoreError`` when the database cannot be used (another writer holds it, it is not a
    database, damaged or read-only)."""
    with store.writing(db_path) as (db, lock_fd):
        return _reprocess(db, jobs, progress, lock_fd)


def _reprocess(db: Database, jobs: int | None, progress: Callable[[int, int], None] | None, lock_fd: int) -> int:
    ids = [
        r[0]
        for r in db.execute(
            f"select id from [{store.DOCUMENTS}] where pipeline_version is not ? order by id", [PIPELINE_VERSION]
        )
    ]
    done = 0
    columns = "d.id as id, path, name, sha256, format, pages, ocr_pages, warnings, t.text as text"
    with ProcessPool(
        max_workers=max(1, min(jobs or os.cpu_count() or 1, len(ids) or 1)),
        context=multiprocessing.get_context("fork"),
        initializer=store.release_inherited,
        initargs=(lock_fd,),
    ) as pool:
        for start in range(0, len(ids), 200):
            batch = ids[start : start + 200]
            marks = ",".join("?" * len(batch))
            rows = [
                dict(r)
                for r in db.query(
                    f"select {columns} from [{store.DOCUMENTS}] d join [{store.TEXTS}] t on t.document_id = d.id "
                    f"where d.id in ({marks})",
                    batch,
                )
            ]
            for record in pool.map(_extract, rows).result():
                store.save_record(db, record)
                done += 1
                if progress:
                    progress(done, len(ids))
    return done
