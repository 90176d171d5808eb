"""The SQLite archive, built with sqlite-utils.

Tables (columns derived from ``models``):

* ``documents``: one row per ingested file: the header fields, the signer, the source file and its
  hash and the pipeline version that made the row. Files that hold the same document (its .txt, scan
  and signed PDF: same issuer, số / ký hiệu and date, or the same text) point at the first of them
  (``copy_of``); a draft with its số left blank points at the signed document (``draft_of``).
* ``document_texts``: each document's full normalized text, searchable with FTS5, in a table of its own
  so that listing documents never reads it.
* ``recipients`` and ``distribution``: the Kính gửi and Nơi nhận entries, with their spans.
* ``references``, ``tasks``, ``targets``: the lists of sub-records, one row each, with their spans.
* ``evidence``: the span of every extracted value, by field path.
* ``errors``: files that could not be read, with the reason; cleared when the file later loads.

Each document is written in one transaction, so a failure never leaves half a record, and a file
whose bytes and pipeline version have not changed is skipped.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import sqlite_utils

from models import AdminPlacement, Assignment, DispatchRecord, Reference, Signer, Source
from models.schema import columns, list_models
from pipeline.agencies import agency_kind, area_of, fold_key, group_kinds
from pipeline.references import reference_key, symbol_key
from pipeline.units import as_record, place

DOCUMENTS = "documents"
TEXTS = "document_texts"
ERRORS = "errors"
# SQLite's unicode61 tokenizer drops tone marks and hats but keeps "đ", a letter of its own; the
# search_text column holds title, issuer, trích yếu and text with đ written d, and what is typed is
# written so too (congvan.web), so "dang uy" finds "Đảng ủy" and so does "Đảng ủy". It is the one column
# indexed: indexing the text beside it doubled every doclist, and with it the time of every search.
FTS_COLUMNS = ["search_text"]
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def document_columns() -> dict[str, type]:
    cols: dict[str, type] = {"id": int, "title": str, "year": int, "citation_key": str}
    cols |= columns(DispatchRecord, scalars_only=True, exclude=("text", "pipeline_version"))
    cols |= columns(Signer, prefix="signer_")
    cols |= columns(Source, exclude=("ocr_pages", "warnings"))
    cols |= {
        "ocr_pages": str,
        "warnings": str,
        "pipeline_version": str,
        "ingested_at": str,
        "copy_key": str,
        "text_key": str,
        "draft_key": str,
        "copy_of": int,
        "draft_of": int,
        "issuer_area": str,
        "unit_id": int,
    }
    return cols


# Administrative units as printed at the time, with today's (the 2025 reform): one row per unit then
UNIT_COLUMNS: dict[str, type] = {
    "id": int,
    "key": str,
    "province": str,
    "district": str,
    "commune": str,
    "province_now": str,
    "commune_now": str,
    "status": str,
}


def unit_id(db: sqlite_utils.Database, unit: AdminPlacement) -> int | None:
    """The admin_units row of a placement, added when new (None when no unit is known)."""
    if not (unit.province or unit.district or unit.commune):
        return None
    key = "|".join(fold_key(v) if v else "" for v in (unit.province, unit.district, unit.commune))
    row = db.execute("select id from admin_units where key = ?", [key]).fetchone()
    if row:
        return int(row[0])
    data = unit.model_dump() | {"key": key}
    return cast(int, db.table("admin_units").insert(data).last_pk)


TEXT_COLUMNS: dict[str, type] = {
    "document_id": int,
    "title": str,
    "issuer": str,
    "abstract": str,
    "text": str,
    "search_text": str,
}


def child_columns(item_model) -> dict[str, type]:
    cols: dict[str, type] = {"id": int, "document_id": int, "position": int}
    cols |= columns(item_model, exclude=("span", "assignments"))
    cols |= {"span_start": int, "span_end": int}
    if item_model is Reference:
        cols |= {"citation_key": str, "cited_document_id": int}
    return cols


def citation_key(number: str | None, symbol: str | None) -> str | None:
    """Number and folded symbol: how a citation finds the document it cites (years compared apart)."""
    if not number or not symbol or not number.isdigit():
        return None
    return reference_key(number, symbol, None).rsplit("|", 1)[0]


LIST_TABLES = {"recipients": "recipients", "distribution": "distribution"}

# The views count each document once: files that are copies of another (``copy_of``) are left out.
VIEWS = {
    # every assignment an auditor reads: who, in which role, what, by when, under which document
    "assignments": """
        select ta.id as id, a.agency as agency, ta.role as role, t.text as task, t.deadline as deadline,
               dl.due_date as due_date, t.recurrence as recurrence, t.report_to as report_to,
               d.title as document, d.number as number, d.symbol as symbol, d.date as document_date,
               d.issuer as issuer, d.id as document_id, t.id as task_id, ta.printed as agency_as_printed
        from task_agencies ta
        join tasks t on t.id = ta.task_id
        join agencies a on a.id = ta.agency_id
        join documents d on d.id = t.document_id
        left join deadlines dl on dl.task_id = t.id
        where +d.copy_of is null""",
    # tasks with a deadline, soonest first; status says whether the date has passed
    "open_deadlines": """
        select dl.due_date as due_date, dl.deadline as deadline,
               case when dl.due_date < date('now') then 'overdue' else 'open' end as status,
               (select group_concat(a.agency, '; ') from task_agencies ta join agencies a on a.id = ta.agency_id
                 where ta.task_id = t.id and ta.role != 'coordinate') as agency,
               t.text as task, d.title as document, d.issuer as issuer, d.date as document_date,
               d.id as document_id, t.id as task_id
        from deadlines dl
        join tasks t on t.id = dl.task_id
        join documents d on d.id = t.document_id
        where +d.copy_of is null  -- "+": the due date's index leads, not the copies' one
        order by dl.due_date""",
    # the citation graph: which archived document cites which
    "citations": """
        select r.id as id, r.document_id as citing_document_id, c.title as citing_document, c.date as citing_date,
               r.number_symbol as number_symbol, r.doc_type as cited_type, r.date as cited_date,
               r.cited_document_id as cited_document_id, d.title as cited_document, d.issuer as cited_issuer
        from [references] r
        join documents c on c.id = r.document_id
        left join documents d on d.id = r.cited_document_id
        where +c.copy_of is null""",
    # documents with their issuer's units then and now (the 2025 reform), for facets by either
    "documents_by_unit": """
        select d.id as document_id, d.title as document, d.date as document_date, d.issuer as issuer,
               u.province_now as province_now, u.commune_now as commune_now, u.province as province,
               u.district as district, u.commune as commune, u.status as unit_status
        from documents d left join admin_units u on u.id = d.unit_id
        where +d.copy_of is null""",
    # every numeric target with its document, for figures by year and unit
    "target_list": """
        select t.id as id, t.value as value, t.total as total, t.unit as unit, t.kind as kind, t.year as year,
               t.text as text, d.title as document, d.issuer as issuer, d.date as document_date, d.id as document_id
        from targets t join documents d on d.id = t.document_id
        where +d.copy_of is null""",
}


def due_date(deadline: str) -> str:
    """The last day a deadline allows: "2024-10" is 2024-10-31, "2025" is 2025-12-31."""
    import calendar

    parts = [int(p) for p in deadline.split("-")]
    if len(parts) == 3:
        return deadline
    year = parts[0]
    month = parts[1] if len(parts) == 2 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


# Raised when the archive's copies of other rows gain a column or table: an archive with a lower
# ``pragma user_version`` has them filled once (_fill_copies) on its next write session.
SCHEMA_VERSION = 1


def _fill_copies(db: sqlite_utils.Database) -> None:
    """Fill the copies an older version added empty or not at all: each assignment's due_date and
    document_date, and the deadlines table (the dashboard otherwise counts every older assignment as
    undated until `congvan reprocess`). The rows save_record writes, from the tasks and documents they
    copy, in one transaction with the version that says it is done."""

    def last_day(deadline: object) -> str | None:
        try:
            return due_date(deadline) if isinstance(deadline, str) and deadline else None
        except ValueError:  # not a deadline this pipeline wrote: left undated rather than guessed
            return None

    db.conn.create_function("congvan_due_date", 1, last_day, deterministic=True)
    dated = "select id from tasks where congvan_due_date(deadline) is not null"
    with db.atomic():
        db.execute(
            "update task_agencies set due_date = (select congvan_due_date(t.deadline) from tasks t "
            f"where t.id = task_agencies.task_id) where due_date is null and task_id in ({dated})"
        )
        db.execute(
            f"update task_agencies set document_date = (select date from [{DOCUMENTS}] d "
            "where d.id = task_agencies.document_id) where document_date is null"
        )
        db.execute(
            "insert into deadlines (task_id, document_id, deadline, due_date) select t.id, t.document_id, "
            "t.deadline, congvan_due_date(t.deadline) from tasks t where congvan_due_date(t.deadline) is not null "
            "and not exists (select 1 from deadlines d where d.task_id = t.id) order by t.id"
        )
        db.execute(f"pragma user_version = {SCHEMA_VERSION}")


class StoreError(Exception):
    """The archive cannot be opened or written as asked; the message names the file and the cause."""


SQLITE_HEADER = b"SQLite format 3\x00"


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that exists and is not an SQLite database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror})") from exc
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path}: not an SQLite database; nothing was written to it")


@contextmanager
def file_lock(path: Path, *, exclusive: bool, busy: str) -> Iterator[int]:
    """An advisory ``flock`` on ``path``, taken at once or refused with ``StoreError(busy)``.

    SQLite's own locks are POSIX record locks, which ``flock`` does not touch, so readers going through
    SQLite are never blocked by it, and the lock goes with the process however it ends (even killed)."""
    try:
        if exclusive:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | (os.O_CREAT if exclusive else 0), 0o644)
    except OSError as exc:
        raise StoreError(f"{path}: cannot be {'created or ' if exclusive else ''}opened ({exc.strerror})") from exc
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{path}: {busy}") from None
        yield fd
    finally:
        os.close(fd)


@contextmanager
def writer_lock(path: Path | str) -> Iterator[int]:
    """Hold the archive for one writer (an ingest, a reprocess or a prune) at a time: a second writer
    stops at once, saying why, rather than failing later, mid-batch, on SQLite's busy lock.
    ``serve --immutable`` holds the same lock shared (``reader_lock``).

    Yields the descriptor: a forked worker must close its copy (``release_inherited``), or the lock would
    outlive the writer in a worker still finishing a document."""
    path = Path(path)
    check_database_file(path)
    busy = (
        "another ingest, reprocess or prune is writing this database, or 'serve --immutable' is reading it; "
        "run again when it has finished"
    )
    with file_lock(path, exclusive=True, busy=busy) as fd:
        yield fd


@contextmanager
def reader_lock(path: Path) -> Iterator[int]:
    """The shared side of ``writer_lock``, for the life of an immutable server."""
    busy = "an ingest, reprocess or prune is writing it; serve without --immutable, or wait for it to end"
    with file_lock(path, exclusive=False, busy=busy) as fd:
        yield fd


def release_inherited(fd: int | None) -> None:
    """In a forked worker: close the copy of the writer's lock descriptor (the lock stays the writer's)."""
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the archive database, in WAL mode so Datasette can read during ingest.

    A file that is not an SQLite database, a corrupt one, a read-only one or a folder where none can be
    made raise ``StoreError`` with the file and the cause, before anything is written."""
    path = Path(path)
    check_database_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.execute("select count(*) from sqlite_master").fetchone()  # reads the schema: a corrupt file stops here
        db.execute("pragma busy_timeout = 30000")
        db.enable_wal()
        # WAL with synchronous=NORMAL: a commit no longer waits for fsync; a killed process still leaves a
        # consistent database (only a power cut can lose the last commits, which a rerun restores)
        db.execute("pragma synchronous = normal")
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {database_problem(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from exc
    return db


@contextmanager
def writing(path: Path | str) -> Iterator[tuple[sqlite_utils.Database, int]]:
    """The archive opened for its one writer (ingest, reprocess, prune): the writer lock held, the
    database opened, any SQLite error on the way turned into one ``StoreError`` naming the file, and the
    log folded back into the file at the end. Yields the database and the lock's descriptor (forked
    workers close their copy: ``release_inherited``)."""
    with writer_lock(path) as fd:
        db = open_db(path)
        changes = db.conn.total_changes
        try:
            yield db, fd
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: {database_problem(exc)}") from exc
        finally:
            try:
                # the dashboard's counts follow what this session committed, also when it was stopped
                # midway (Ctrl-C, a lost scheduler); a session that changed nothing leaves them
                if db.conn.total_changes != changes or not set(SUMMARIES) <= set(db.table_names()):
                    refresh_summaries(db)
                db.execute("pragma wal_checkpoint(truncate)")  # for copies, backups and immutable readers
            except sqlite3.DatabaseError:
                pass  # the error that stopped the writer is the one to report
            db.close()


# What the dashboard counts, counted once per write session instead of on every view: at 100,000
# documents the per-agency count reads two million assignments (seconds), its summary a few thousand rows.
# Open against overdue depends on today, so assignments are counted per agency and due date.
_COPIES = f"select id from [{DOCUMENTS}] where copy_of is not null"
SUMMARIES = {
    "summary_agency_due": f"""
        select ta.agency_id as agency_id, ta.due_date as due_date, count(*) as n
        from task_agencies ta
        where ta.role != 'coordinate' and ta.document_id not in ({_COPIES})
        group by ta.agency_id, ta.due_date""",
    "summary_agency": """
        select s.agency_id as agency_id, a.agency as agency, sum(s.n) as n
        from summary_agency_due s join agencies a on a.id = s.agency_id
        group by s.agency_id""",
    "summary_month": f"""
        select substr(dl.due_date, 1, 7) as month, count(*) as n
        from deadlines dl
        where dl.document_id not in ({_COPIES})
        group by month""",
    "summary_issuer": f"""
        select coalesce(issuer, '(không rõ)') as issuer, count(*) as n
        from [{DOCUMENTS}] where copy_of is null group by issuer""",
}
SUMMARY_INDEXES = {"summary_agency_due": ["agency_id"], "summary_agency": ["n"], "summary_issuer": ["n"]}


def refresh_summaries(db: sqlite_utils.Database) -> None:
    """Recount the dashboard's summaries (``SUMMARIES``) in one transaction, at the end of a write
    session: a reader sees the old counts or the new ones, never a half."""
    if DOCUMENTS not in db.table_names():
        return
    with db.atomic():
        for name, sql in SUMMARIES.items():
            db.execute(f"drop table if exists [{name}]")
            db.execute(f"create table [{name}] as {sql}")
            for column in SUMMARY_INDEXES.get(name, []):
                db.execute(f"create index [idx_{name}_{column}] on [{name}] ([{column}])")


def database_problem(exc: sqlite3.DatabaseError) -> str:
    """SQLite's message, said for the person who reads it."""
    message = str(exc)
    if "readonly" in message:
        return "the database is read-only (attempt to write a readonly database)"
    if "unable to open" in message:
        return "the database cannot be opened or created there (unable to open database file)"
    if "malformed" in message or "not a database" in message:
        return f"the database is damaged ({message}); restore it from a copy or ingest into a new file"
    return message


def ensure_schema(db: sqlite_utils.Database) -> None:
    if DOCUMENTS not in db.table_names():
        db.table(DOCUMENTS).create(document_columns(), pk="id", not_null={"path", "sha256"})
        db.table(DOCUMENTS).create_index(["path"], unique=True)
    else:  # a newer model may have added fields
        db.table(DOCUMENTS).add_missing_columns([{name: _sample(t) for name, t in document_columns().items()}])
    for col in (
        "issuer",
        "doc_type",
        "date",
        "year",
        "sha256",
        "citation_key",
        "copy_key",
        "text_key",
        "draft_key",
        "signer_position",
    ):  # every facet of the documents page reads an index
        db.table(DOCUMENTS).create_index([col], if_not_exists=True)
    db.table(DOCUMENTS).create_index(["copy_of", "date"], if_not_exists=True)
    if "admin_units" not in db.table_names():
        db.table("admin_units").create(UNIT_COLUMNS, pk="id")
        db.table("admin_units").create_index(["key"], unique=True)
        db.table("admin_units").create_index(["province_now"])
    db.table(DOCUMENTS).create_index(["unit_id"], if_not_exists=True)
    if TEXTS not in db.table_names():
        db.table(TEXTS).create(TEXT_COLUMNS, pk="document_id", foreign_keys=[("document_id", DOCUMENTS, "id")])
        db.table(TEXTS).enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZER)
    elif [c.name for c in db.table(f"{TEXTS}_fts").columns] != FTS_COLUMNS:  # indexed by an older version
        db.table(TEXTS).disable_fts()
        db.table(TEXTS).enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZER)
    if "text" in db.table(DOCUMENTS).columns_dict:
        _move_texts(db)
    for table in LIST_TABLES.values():
        if table not in db.table_names():
            db.table(table).create(
                {"id": int, "document_id": int, "position": int, "name": str, "span_start": int, "span_end": int},
                pk="id",
                foreign_keys=[("document_id", DOCUMENTS, "id")],
            )
            db.table(table).create_index(["document_id"])
    for name, item in list_models(DispatchRecord).items():
        if name not in db.table_names():
            keys = [("document_id", DOCUMENTS, "id")]
            if item is Reference:
                keys.append(("cited_document_id", DOCUMENTS, "id"))
            db.table(name).create(child_columns(item), pk="id", foreign_keys=keys)
            db.table(name).create_index(["document_id"])
            if item is Reference:
                db.table(name).create_index(["citation_key"])
                db.table(name).create_index(["cited_document_id"])
    if "agencies" not in db.table_names():
        db.table("agencies").create(
            columns(Assignment, exclude=("printed", "role")) | {"id": int} | AGENCY_PLACES, pk="id"
        )
        db.table("agencies").create_index(["key"], unique=True)
    elif "kind" not in db.table("agencies").columns_dict:  # an archive made before groups had members
        db.table("agencies").add_missing_columns([{name: "" for name in AGENCY_PLACES}])
        with db.atomic():
            for agency_id, name, is_group in db.execute("select id, agency, is_group from agencies").fetchall():
                db.execute(
                    "update agencies set kind = ?, kinds = ?, area = ?, unit_id = ? where id = ?",
                    [*agency_places(name, bool(is_group), db).values(), agency_id],
                )
            for doc_id, issuer in db.execute(f"select id, issuer from [{DOCUMENTS}]").fetchall():
                db.execute(f"update [{DOCUMENTS}] set issuer_area = ? where id = ?", [area_of(issuer), doc_id])
    # the views filter by the agency's name ("assignments?agency=Sở Tài chính tỉnh Lào Cai"): without this
    # index SQLite walks every document's tasks to find one agency's
    db.table("agencies").create_index(["agency"], if_not_exists=True)
    # due_date and document_date are copies (of the task's deadline and its document's date) kept on the
    # assignment itself, so "everything agency X was asked, soonest first" reads one covering index
    # instead of a hundred thousand task and document rows
    assignment_columns = {
        "id": int,
        "task_id": int,
        "agency_id": int,
        "document_id": int,
        "role": str,
        "printed": str,
        "due_date": str,
        "document_date": str,
        "issuer_area": str,  # the issuing document's unit: whom its group assignments ("các sở") reach
    }
    if "task_agencies" not in db.table_names():
        db.table("task_agencies").create(
            assignment_columns,
            pk="id",
            foreign_keys=[
                ("task_id", "tasks", "id"),
                ("agency_id", "agencies", "id"),
                ("document_id", DOCUMENTS, "id"),
            ],
        )
        for col in ("task_id", "agency_id", "document_id", "role"):
            db.table("task_agencies").create_index([col])
    else:  # an archive made before these columns (the copied dates are filled by _fill_copies)
        had = set(db.table("task_agencies").columns_dict)
        with db.atomic():  # the columns and their values together: a kill between them would leave them empty
            db.table("task_agencies").add_missing_columns(
                [{name: _sample(t) for name, t in assignment_columns.items()}]
            )
            if "issuer_area" not in had:  # group tasks reach their members at once
                db.execute(
                    f"update task_agencies set issuer_area = "
                    f"(select issuer_area from [{DOCUMENTS}] d where d.id = task_agencies.document_id)"
                )
    # one agency's assignments, soonest first, and a group's in one unit ("các sở, ban, ngành" of the
    # documents of tỉnh Lào Cai): both covering, with the document to leave copies out
    db.execute("drop index if exists idx_task_agencies_agency_id_due_date_document_date")  # a prefix of the first
    db.table("task_agencies").create_index(
        ["agency_id", "due_date", "document_date", "document_id"], if_not_exists=True
    )
    db.table("task_agencies").create_index(
        ["agency_id", "issuer_area", "due_date", "document_date", "document_id"], if_not_exists=True
    )
    if "deadlines" not in db.table_names():
        db.table("deadlines").create(
            {"id": int, "task_id": int, "document_id": int, "deadline": str, "due_date": str},
            pk="id",
            foreign_keys=[("task_id", "tasks", "id"), ("document_id", DOCUMENTS, "id")],
        )
        db.table("deadlines").create_index(["due_date"])
        db.table("deadlines").create_index(["task_id"])
    if db.execute("pragma user_version").fetchone()[0] < SCHEMA_VERSION:
        _fill_copies(db)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)
    if "evidence" not in db.table_names():
        db.table("evidence").create(
            {"id": int, "document_id": int, "field": str, "span_start": int, "span_end": int, "text": str},
            pk="id",
            foreign_keys=[("document_id", DOCUMENTS, "id")],
        )
        db.table("evidence").create_index(["document_id"])
    if ERRORS not in db.table_names():
        db.table(ERRORS).create({"path": str, "name": str, "sha256": str, "reason": str, "failed_at": str}, pk="path")


def _move_texts(db: sqlite_utils.Database) -> None:
    """An archive made before texts had a table of their own: move them there, with their search index,
    and give the documents their copy keys (once; the archive keeps every record)."""
    with db.atomic():
        db.execute(
            f"insert or replace into [{TEXTS}] (document_id, title, issuer, abstract, text, search_text) "
            f"select id, title, issuer, abstract, text, search_text from [{DOCUMENTS}]"
        )
    if db.table(DOCUMENTS).detect_fts():
        db.table(DOCUMENTS).disable_fts()
    rows = list(
        db.query(
            f"select d.id, d.issuer, d.number, d.symbol, d.date, d.abstract, t.text from [{DOCUMENTS}] d "
            f"join [{TEXTS}] t on t.document_id = d.id"
        )
    )
    db.table(DOCUMENTS).transform(drop={"text", "search_text"})
    with db.atomic():
        for row in rows:
            keys = copy_keys(row["issuer"], row["number"], row["symbol"], row["date"], row["abstract"], row["text"])
            db.execute(
                f"update [{DOCUMENTS}] set copy_key = ?, text_key = ?, draft_key = ? where id = ?",
                [keys.copy, keys.text, keys.draft, row["id"]],
            )
        regroup(db, None)


def _sample(kind: type) -> Any:
    return {int: 0, float: 0.0, str: ""}.get(kind, "")


def title_of(record: DispatchRecord) -> str:
    """A short label for a document: "Công văn 7432/UBND-XD"; with its số left blank, the ký hiệu and the
    trích yếu ("Kế hoạch .../KH-UBND: Triển khai ..."), else its file name without the hash that many
    exports add to it."""
    number_symbol = "/".join(p for p in (record.number, record.symbol) if p) if record.symbol else record.number
    label = " ".join(p for p in (record.doc_type or "Văn bản", number_symbol or "") if p)
    if record.number:
        return label
    if record.symbol:
        label = f"{record.doc_type or 'Văn bản'} .../{record.symbol}"
    if record.abstract:
        words = record.abstract.split()
        return f"{label}: {' '.join(words[:12])}{' …' if len(words) > 12 else ''}"
    if record.source is not None:
        stem = re.sub(r"[_-][0-9a-f]{12,64}$", "", Path(record.source.name).stem)
        label += f" ({stem}{Path(record.source.name).suffix})"
    return label


@dataclass(frozen=True)
class CopyKeys:
    """What makes two files one document: ``copy`` (issuer, số / ký hiệu and date, all printed), ``text``
    (the same words), and ``draft`` (issuer, ký hiệu and trích yếu, which a draft shares with the document
    signed from it)."""

    copy: str | None
    text: str | None
    draft: str | None


def copy_keys(
    issuer: str | None,
    number: str | None,
    symbol: str | None,
    date: str | None,
    abstract: str | None,
    text: str | None,
) -> CopyKeys:
    import hashlib

    folded_issuer = fold_key(issuer) if issuer else None
    folded_abstract = " ".join(fold_key(abstract).split()) if abstract else None
    copy = None
    if folded_issuer and symbol and date and (number or folded_abstract):
        # a draft (số left blank) is one document with another file of the same trích yếu and date
        copy = f"{folded_issuer}|{number or '-'}|{symbol_key(symbol)}|{date}|{'' if number else folded_abstract}"
    words = " ".join(fold_key(text).split()) if text else ""
    text_hash = hashlib.sha1(words.encode("utf-8")).hexdigest() if len(words) > 200 else None
    draft = (
        f"{folded_issuer}|{symbol_key(symbol)}|{folded_abstract}"
        if folded_issuer and symbol and folded_abstract
        else None
    )
    return CopyKeys(copy, text_hash, draft)


def document_row(record: DispatchRecord, now: str) -> dict[str, Any]:
    source = record.source
    assert source is not None, "a stored record needs its source"
    row: dict[str, Any] = {name: getattr(record, name) for name in columns(DispatchRecord, scalars_only=True)}
    row.pop("text", None)
    row |= {f"signer_{k}": v for k, v in record.signer.model_dump().items()}
    row |= source.model_dump(exclude={"ocr_pages", "warnings"})
    keys = copy_keys(record.issuer, record.number, record.symbol, record.date, record.abstract, record.text)
    row |= {
        "title": title_of(record),
        "citation_key": citation_key(record.number, record.symbol),
        "year": int(record.date[:4]) if record.date else None,
        "ocr_pages": json.dumps(source.ocr_pages),
        "warnings": json.dumps(source.warnings, ensure_ascii=False),
        "ingested_at": now,
        "copy_key": keys.copy,
        "text_key": keys.text,
        "draft_key": keys.draft,
        "issuer_area": area_of(record.issuer),
    }
    return row


def text_row(record: DispatchRecord, row: dict[str, Any], doc_id: int) -> dict[str, Any]:
    """The searchable text of a document (``search_text``: đ written d, so "dang uy" finds "Đảng ủy")."""
    searchable = "\n".join(v or "" for v in (row["title"], record.issuer, record.abstract, record.text))
    return {
        "document_id": doc_id,
        "title": row["title"],
        "issuer": record.issuer,
        "abstract": record.abstract,
        "text": record.text,
        "search_text": fold_d(searchable),
    }


def _keys_of(db: sqlite_utils.Database, doc_id: int) -> list[str]:
    row = db.execute(f"select copy_key, text_key, draft_key from [{DOCUMENTS}] where id = ?", [doc_id]).fetchone()
    return [k for k in row or () if k]


def regroup(db: sqlite_utils.Database, keys: list[str] | None) -> None:
    """Point each file at the first file of the same document (``copy_of``), and each draft at its signed
    document (``draft_of``), for the rows sharing one of ``keys`` (all rows when None).

    A draft's target is looked up once per key, and only rows whose pointer changes are written: a key
    shared by thousands of drafts (a template reissued all year) costs one pass, not one per draft."""
    where, params = "1", []
    if keys is not None:
        if not keys:
            return
        marks = ",".join("?" * len(keys))
        where = f"copy_key in ({marks}) or text_key in ({marks})"
        params = keys * 2
    db.execute(
        f"""update [{DOCUMENTS}] set copy_of = (
              select min(d2.id) from [{DOCUMENTS}] d2
              where d2.id < [{DOCUMENTS}].id
                and (d2.copy_key = [{DOCUMENTS}].copy_key or d2.text_key = [{DOCUMENTS}].text_key))
            where {where}""",
        params,
    )
    draft_keys = (
        keys
        if keys is not None
        else [k for (k,) in db.execute(f"select distinct draft_key from [{DOCUMENTS}] where draft_key is not null")]
    )
    for key in draft_keys:
        (target,) = db.execute(
            f"select min(id) from [{DOCUMENTS}] where draft_key = ? and number is not null and copy_of is null", [key]
        ).fetchone()
        db.execute(
            f"update [{DOCUMENTS}] set draft_of = ? where draft_key = ? and number is null and draft_of is not ?",
            [target, key, target],
        )
        db.execute(
            f"update [{DOCUMENTS}] set draft_of = null where draft_key = ? and number is not null "
            "and draft_of is not null",
            [key],
        )


@dataclass
class Outcome:
    status: str  # "loaded", "updated", "moved", "unchanged" or "failed"
    path: str
    reason: str | None = None
    document_id: int | None = None
    ocr_pages: int = 0  # pages read by OCR
    converted: bool = False  # a legacy encoding (TCVN3, VNI, Windows-1258, ...) converted
    warnings: int = 0  # what the reader noticed
    copy_of: int | None = None  # another file already held this document


def stored_version(db: sqlite_utils.Database, path: str) -> tuple[int, str, str] | None:
    row = db.execute(f"select id, sha256, pipeline_version from [{DOCUMENTS}] where path = ?", [path]).fetchone()
    return tuple(row) if row else None


def save_record(db: sqlite_utils.Database, record: DispatchRecord) -> Outcome:
    """Insert or replace one document and everything hanging off it, in a single transaction.

    Rows are gathered first and written with one ``executemany`` per table (task ids are given, not
    read back row by row): at archive scale the writer is the one process that cannot be parallel."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    row = document_row(record, now)
    with db.atomic():
        existing = stored_version(db, row["path"])
        old_keys: list[str] = []
        if existing:
            row["id"] = existing[0]
            old_keys = _keys_of(db, existing[0])
            _delete_children(db, existing[0])
            db.table(DOCUMENTS).update(existing[0], row)
            doc_id = existing[0]
        else:
            doc_id = cast(int, db.table(DOCUMENTS).insert(row).last_pk)
        db.execute(f"update [{DOCUMENTS}] set unit_id = ? where id = ?", [unit_id(db, record.unit), doc_id])
        texts = text_row(record, row, doc_id)
        db.execute(f"delete from [{TEXTS}] where document_id = ?", [doc_id])
        _insert_rows(db, TEXTS, [texts])
        rows: dict[str, list[dict[str, Any]]] = {}
        for field_name, table in LIST_TABLES.items():
            for i, name in enumerate(getattr(record, field_name)):
                span = record.evidence.get(f"{field_name}[{i}]")
                rows.setdefault(table, []).append(
                    {
                        "document_id": doc_id,
                        "position": i,
                        "name": name,
                        "span_start": span.start if span else None,
                        "span_end": span.end if span else None,
                    }
                )
        next_task_id = db.execute("select coalesce(max(id), 0) + 1 from tasks").fetchone()[0]
        for field_name in list_models(DispatchRecord):
            for i, item in enumerate(getattr(record, field_name)):
                data = item.model_dump(exclude={"span", "assignments"})
                data = {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in data.items()
                }
                data |= {
                    "document_id": doc_id,
                    "position": i,
                    "span_start": item.span.start if item.span else None,
                    "span_end": item.span.end if item.span else None,
                }
                if isinstance(item, Reference):
                    data["citation_key"] = citation_key(item.number, item.symbol)
                if field_name == "tasks":
                    data["id"] = next_task_id
                    next_task_id += 1
                rows.setdefault(field_name, []).append(data)
        tasks = [(task, data["id"]) for task, data in zip(record.tasks, rows.get("tasks", []), strict=False)]
        agency_ids = _agency_ids(db, [a for task, _ in tasks for a in task.assignments])
        for task, task_id in tasks:
            due = due_date(task.deadline) if task.deadline else None
            for a in task.assignments:
                rows.setdefault("task_agencies", []).append(
                    {
                        "task_id": task_id,
                        "agency_id": agency_ids[a.key],
                        "document_id": doc_id,
                        "role": a.role,
                        "printed": a.printed,
                        "document_date": record.date,
                        "due_date": due,
                        "issuer_area": row["issuer_area"],
                    }
                )
            if task.deadline:
                rows.setdefault("deadlines", []).append(
                    {"task_id": task_id, "document_id": doc_id, "deadline": task.deadline, "due_date": due}
                )
        rows["evidence"] = [
            {
                "document_id": doc_id,
                "field": name,
                "span_start": span.start,
                "span_end": span.end,
                "text": record.text[span.start : span.end],
            }
            for name, span in record.evidence.items()
        ]
        for table, table_rows in rows.items():
            _insert_rows(db, table, table_rows)
        db.execute(f"delete from [{ERRORS}] where path = ?", [row["path"]])
        regroup(db, sorted(set(old_keys) | {k for k in (row["copy_key"], row["text_key"], row["draft_key"]) if k}))
        link_citations(db, doc_id, row["citation_key"])
    source = record.source
    copy_of = db.execute(f"select copy_of from [{DOCUMENTS}] where id = ?", [doc_id]).fetchone()[0]
    return Outcome(
        "updated" if existing else "loaded",
        row["path"],
        document_id=doc_id,
        ocr_pages=len(source.ocr_pages) if source else 0,
        converted=any(w.startswith("converted from") for w in source.warnings) if source else False,
        warnings=len(source.warnings) if source else 0,
        copy_of=copy_of,
    )


def _insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """One executemany for rows that all have the same keys and plain values (lists and dicts are
    already JSON). sqlite-utils' insert_all checks and converts every value, which at archive scale
    made the single writer the bottleneck; the tables themselves are still made by sqlite-utils."""
    if not rows:
        return
    names = list(rows[0])
    sql = f"insert into [{table}] ({', '.join(f'[{n}]' for n in names)}) values ({', '.join('?' * len(names))})"
    db.conn.executemany(sql, [[row[n] for n in names] for row in rows])


# Where an agency stands, so that a task given to a group ("Các sở, ban, ngành") reaches its members: the
# kind of a single body, the kinds a group holds, and the unit the name places it in.
AGENCY_PLACES: dict[str, type] = {"kind": str, "kinds": str, "area": str, "unit_id": int}


def agency_places(name: str, is_group: bool, db: sqlite_utils.Database | None = None) -> dict[str, Any]:
    unit = as_record(place(name))
    return {
        "kind": None if is_group else agency_kind(name),
        "kinds": ",".join(group_kinds(name)) if is_group else None,
        "area": area_of(name),
        "unit_id": unit_id(db, unit) if db is not None else None,
    }


def _agency_ids(db: sqlite_utils.Database, assignments: list[Assignment]) -> dict[str, int]:
    """The agencies table's id for each assignment's canonical key, adding the agencies not seen yet."""
    keys = sorted({a.key for a in assignments})
    if not keys:
        return {}

    def known() -> dict[str, int]:
        marks = ", ".join("?" * len(keys))
        return dict(db.execute(f"select key, id from agencies where key in ({marks})", keys).fetchall())

    ids = known()
    new = {a.key: a for a in assignments if a.key not in ids}
    if new:
        rows: list[dict[str, Any]] = [
            {"key": a.key, "agency": a.agency, "level": a.level, "is_group": int(a.is_group)} for a in new.values()
        ]
        for row, a in zip(rows, new.values(), strict=True):
            row.update(agency_places(a.agency, a.is_group, db))
        db.table("agencies").insert_all(rows)
        ids = known()
    return ids


def link_citations(db: sqlite_utils.Database, doc_id: int, own_key: str | None) -> None:
    """Point references at the documents they cite, where those are in the archive: this document's
    own references, and the references elsewhere that cite this document."""
    db.execute(
        """update [references] set cited_document_id = (
               select d.id from documents d where d.citation_key = [references].citation_key
               and (d.year is null or [references].year is null or d.year = [references].year)
               order by d.copy_of is not null, d.id limit 1)
           where document_id = ? or citation_key = ?""",
        [doc_id, own_key],
    )


def child_tables() -> list[str]:
    """The tables with rows per document (tens each: millions at archive scale)."""
    return ["task_agencies", "deadlines", *LIST_TABLES.values(), *list_models(DispatchRecord), "evidence"]


def _delete_children(db: sqlite_utils.Database, doc_id: int) -> None:
    for table in child_tables():
        db.execute(f"delete from [{table}] where document_id = ?", [doc_id])


def move_document(db: sqlite_utils.Database, doc_id: int, path: str) -> Outcome:
    """The same bytes found at a new path, the old path gone: a rename, so the record follows the file."""
    with db.atomic():
        db.execute(f"update [{DOCUMENTS}] set path = ?, name = ? where id = ?", [path, Path(path).name, doc_id])
        db.execute(f"delete from [{ERRORS}] where path = ?", [path])
    return Outcome("moved", path, document_id=doc_id)


def _exists(path: str) -> bool:
    """Whether a recorded file is still there: a path on this machine, or a URL asked of its storage."""
    from . import remote

    if remote.is_url(path):
        return remote.exists(path)
    return os.path.lexists(path)


def moved_from(db: sqlite_utils.Database, sha256: str) -> tuple[int, str] | None:
    """A stored document with these bytes whose file is no longer where it was recorded."""
    for doc_id, path in db.execute(f"select id, path from [{DOCUMENTS}] where sha256 = ? order by id", [sha256]):
        if not _exists(path):
            return doc_id, path
    return None


def gone(db: sqlite_utils.Database) -> list[tuple[str, int | None, str]]:
    """Records whose files are no longer there: (table, document id or None, path)."""
    out: list[tuple[str, int | None, str]] = [
        (DOCUMENTS, doc_id, path)
        for doc_id, path in db.execute(f"select id, path from [{DOCUMENTS}] order by path")
        if not _exists(path)
    ]
    out += [
        (ERRORS, None, path)
        for (path,) in db.execute(f"select path from [{ERRORS}] order by path")
        if not _exists(path)
    ]
    return out


def remove_document(db: sqlite_utils.Database, doc_id: int) -> None:
    """Delete one document and everything hanging off it; citations of it point nowhere again."""
    with db.atomic():
        keys = _keys_of(db, doc_id)
        _delete_children(db, doc_id)
        db.execute(f"delete from [{TEXTS}] where document_id = ?", [doc_id])
        db.execute(f"delete from [{DOCUMENTS}] where id = ?", [doc_id])
        regroup(db, keys)
        # citations of it point at another copy of the same document, or nowhere again
        db.execute(
            f"""update [references] set cited_document_id = (
                  select d.id from [{DOCUMENTS}] d where d.citation_key = [references].citation_key
                  and (d.year is null or [references].year is null or d.year = [references].year)
                  order by d.copy_of is not null, d.id limit 1)
                where cited_document_id = ?""",
            [doc_id],
        )


def remove_error(db: sqlite_utils.Database, path: str) -> None:
    with db.atomic():
        db.execute(f"delete from [{ERRORS}] where path = ?", [path])


def save_error(db: sqlite_utils.Database, path: str, reason: str, sha256: str | None) -> Outcome:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db.atomic():
        db.table(ERRORS).upsert(
            {"path": path, "name": Path(path).name, "sha256": sha256, "reason": reason, "failed_at": now}, pk="path"
        )
    return Outcome("failed", path, reason=reason)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def line(self) -> str:
        return ", ".join(f"{self.count(s)} {s}" for s in ("loaded", "updated", "moved", "unchanged", "failed"))

    def details(self) -> str:
        """What the files read in this run held: pages read by OCR, encodings converted, copies of
        documents the archive already had, files the readers had a warning about (only what happened)."""
        done = [o for o in self.outcomes if o.status in ("loaded", "updated")]
        parts = [
            (sum(o.ocr_pages for o in done), "page(s) read by OCR"),
            (sum(o.converted for o in done), "file(s) converted from a legacy encoding"),
            (sum(o.copy_of is not None for o in done), "file(s) holding a document already in the archive"),
            (sum(o.warnings > 0 for o in done), "file(s) with warnings (see documents.warnings)"),
        ]
        return "; ".join(f"{n} {what}" for n, what in parts if n)
