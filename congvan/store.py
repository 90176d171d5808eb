"""The SQLite archive, built with sqlite-utils.

Tables (columns derived from ``models``):

* ``documents``: one row per ingested file: the header fields, the signer, the source file and its
  hash, the full normalized text (searchable with FTS5) and the pipeline version that made the row.
* ``recipients`` and ``distribution``: the Kính gửi and Nơi nhận entries, with their spans.
* ``references``, ``tasks``, ``targets``: the lists of sub-records, one row each, with their spans.
* ``evidence``: the span of every extracted value, by field path.
* ``errors``: files that could not be read, with the reason; cleared when the file later loads.

Each document is written in one transaction, so a failure never leaves half a record, and a file
whose bytes and pipeline version have not changed is skipped.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from models import DispatchRecord, Signer, Source
from models.schema import columns, list_models

DOCUMENTS = "documents"
ERRORS = "errors"
# SQLite's unicode61 tokenizer drops tone marks and hats but keeps "đ", a letter of its own; the
# search_text column holds the text with đ written d, so "dang uy" finds "Đảng ủy" and so does "Đảng ủy".
FTS_COLUMNS = ["title", "abstract", "issuer", "text", "search_text"]
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def document_columns() -> dict[str, type]:
    cols: dict[str, type] = {"id": int, "title": str, "year": int}
    cols |= columns(DispatchRecord, scalars_only=True, exclude=("text", "pipeline_version"))
    cols |= columns(Signer, prefix="signer_")
    cols |= columns(Source, exclude=("ocr_pages", "warnings"))
    cols |= {"ocr_pages": str, "warnings": str, "text": str, "search_text": str, "pipeline_version": str,
             "ingested_at": str}
    return cols


def child_columns(item_model) -> dict[str, type]:
    cols: dict[str, type] = {"id": int, "document_id": int, "position": int}
    cols |= columns(item_model, exclude=("span",))
    cols |= {"span_start": int, "span_end": int}
    return cols


LIST_TABLES = {"recipients": "recipients", "distribution": "distribution"}


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the archive database, in WAL mode so Datasette can read during ingest."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.enable_wal()
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    if DOCUMENTS not in db.table_names():
        db[DOCUMENTS].create(document_columns(), pk="id", not_null={"path", "sha256"})
        db[DOCUMENTS].create_index(["path"], unique=True)
        for col in ("issuer", "doc_type", "date", "year", "sha256"):
            db[DOCUMENTS].create_index([col])
        db[DOCUMENTS].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZER)
    else:  # a newer model may have added fields
        db[DOCUMENTS].add_missing_columns([{name: _sample(t) for name, t in document_columns().items()}])
    for table in LIST_TABLES.values():
        if table not in db.table_names():
            db[table].create({"id": int, "document_id": int, "position": int, "name": str,
                              "span_start": int, "span_end": int},
                             pk="id", foreign_keys=[("document_id", DOCUMENTS, "id")])
            db[table].create_index(["document_id"])
    for name, item in list_models(DispatchRecord).items():
        if name not in db.table_names():
            db[name].create(child_columns(item), pk="id", foreign_keys=[("document_id", DOCUMENTS, "id")])
            db[name].create_index(["document_id"])
    if "evidence" not in db.table_names():
        db["evidence"].create({"id": int, "document_id": int, "field": str, "span_start": int, "span_end": int,
                               "text": str}, pk="id", foreign_keys=[("document_id", DOCUMENTS, "id")])
        db["evidence"].create_index(["document_id"])
    if ERRORS not in db.table_names():
        db[ERRORS].create({"path": str, "name": str, "sha256": str, "reason": str, "failed_at": str}, pk="path")


def _sample(kind: type) -> Any:
    return {int: 0, float: 0.0, str: ""}.get(kind, "")


def title_of(record: DispatchRecord) -> str:
    """A short label for a document: "Công văn 7432/UBND-XD" (or its file name when nothing is known)."""
    number_symbol = "/".join(p for p in (record.number, record.symbol) if p) if record.symbol else record.number
    parts = [record.doc_type or "Văn bản", number_symbol or ""]
    label = " ".join(p for p in parts if p)
    if not number_symbol and record.source is not None:
        label += f" ({record.source.name})"
    return label


def document_row(record: DispatchRecord, now: str) -> dict[str, Any]:
    source = record.source
    assert source is not None, "a stored record needs its source"
    row: dict[str, Any] = {name: getattr(record, name) for name in
                           columns(DispatchRecord, scalars_only=True)}
    row |= {f"signer_{k}": v for k, v in record.signer.model_dump().items()}
    row |= source.model_dump(exclude={"ocr_pages", "warnings"})
    row |= {
        "title": title_of(record),
        "year": int(record.date[:4]) if record.date else None,
        "ocr_pages": json.dumps(source.ocr_pages),
        "warnings": json.dumps(source.warnings, ensure_ascii=False),
        "ingested_at": now,
    }
    row["search_text"] = fold_d("\n".join(row[c] or "" for c in ("title", "issuer", "abstract", "text")))
    return row


@dataclass
class Outcome:
    status: str  # "loaded", "updated", "unchanged" or "failed"
    path: str
    reason: str | None = None
    document_id: int | None = None


def stored_version(db: sqlite_utils.Database, path: str) -> tuple[int, str, str] | None:
    row = db.execute(f"select id, sha256, pipeline_version from [{DOCUMENTS}] where path = ?", [path]).fetchone()
    return tuple(row) if row else None


def save_record(db: sqlite_utils.Database, record: DispatchRecord) -> Outcome:
    """Insert or replace one document and everything hanging off it, in a single transaction."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    row = document_row(record, now)
    with db.atomic():
        existing = stored_version(db, row["path"])
        if existing:
            row["id"] = existing[0]
            _delete_children(db, existing[0])
            db[DOCUMENTS].update(existing[0], row)
            doc_id = existing[0]
        else:
            doc_id = db[DOCUMENTS].insert(row).last_pk
        for field_name, table in LIST_TABLES.items():
            rows = []
            for i, name in enumerate(getattr(record, field_name)):
                span = record.evidence.get(f"{field_name}[{i}]")
                rows.append({"document_id": doc_id, "position": i, "name": name,
                             "span_start": span.start if span else None, "span_end": span.end if span else None})
            db[table].insert_all(rows)
        for field_name in list_models(DispatchRecord):
            rows = []
            for i, item in enumerate(getattr(record, field_name)):
                data = item.model_dump(exclude={"span"})
                data = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in data.items()}
                data |= {"document_id": doc_id, "position": i,
                         "span_start": item.span.start if item.span else None,
                         "span_end": item.span.end if item.span else None}
                rows.append(data)
            db[field_name].insert_all(rows)
        db["evidence"].insert_all(
            {"document_id": doc_id, "field": name, "span_start": span.start, "span_end": span.end,
             "text": record.text[span.start : span.end]}
            for name, span in record.evidence.items()
        )
        db.execute(f"delete from [{ERRORS}] where path = ?", [row["path"]])
    return Outcome("updated" if existing else "loaded", row["path"], document_id=doc_id)


def _delete_children(db: sqlite_utils.Database, doc_id: int) -> None:
    for table in [*LIST_TABLES.values(), *list_models(DispatchRecord), "evidence"]:
        db.execute(f"delete from [{table}] where document_id = ?", [doc_id])


def save_error(db: sqlite_utils.Database, path: str, reason: str, sha256: str | None) -> Outcome:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with db.atomic():
        db[ERRORS].upsert({"path": path, "name": Path(path).name, "sha256": sha256, "reason": reason,
                           "failed_at": now}, pk="path")
    return Outcome("failed", path, reason=reason)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def line(self) -> str:
        return ", ".join(f"{self.count(s)} {s}" for s in ("loaded", "updated", "unchanged", "failed"))
