"""Ingest into a real SQLite file: idempotence, updates, errors that never stop the batch."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from congvan.ingest import ingest
from congvan.store import due_date
from pipeline import PIPELINE_VERSION


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_seeds_load_with_children_and_search(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "archive.db"
    summary = ingest([seeds], db)
    assert summary.count("loaded") == 5 and summary.count("failed") == 0
    ((doc_id, issuer, symbol, version),) = rows(
        db, "select id, issuer, symbol, pipeline_version from documents where name like '004_%'"
    )
    assert (issuer, symbol, version) == ("Ủy ban nhân dân huyện Tam Đường", "UBND-NN&PTNT", PIPELINE_VERSION)
    assert [
        r[0] for r in rows(db, "select name from recipients where document_id = ? order by position", [doc_id])
    ] == [
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "Thành viên BCD các chương trình mục tiêu quốc gia",
        "Ủy ban nhân dân các xã",
    ]
    # every evidence span points at the text it claims
    for field, start, end, text in rows(
        db, "select field, span_start, span_end, text from evidence where document_id = ?", [doc_id]
    ):
        ((full,),) = rows(db, "select text from document_texts where document_id = ?", [doc_id])
        assert full[start:end] == text, field
    # full-text search, with or without diacritics: the index holds đ written d, and so is what is typed
    from congvan.store import fold_d

    hits = rows(db, "select rowid from document_texts_fts where document_texts_fts match ?", [fold_d("Tam Đường")])
    assert (doc_id,) in hits
    assert (doc_id,) in rows(db, "select rowid from document_texts_fts where document_texts_fts match ?", ["Tam Duong"])
    # foreign keys are declared
    assert any(fk[2] == "documents" for fk in rows(db, "pragma foreign_key_list(recipients)"))


def test_assignment_copies_of_dates_agree_with_their_sources(tmp_path: Path, seeds: Path) -> None:
    """task_agencies keeps due_date and document_date for the agency query's index: they must be the
    task's deadline and the document's date, never stale."""
    db = tmp_path / "archive.db"
    ingest([seeds], db)
    checked = rows(
        db,
        """select ta.due_date, dl.due_date, ta.document_date, d.date from task_agencies ta
                          join documents d on d.id = ta.document_id left join deadlines dl on dl.task_id = ta.task_id""",
    )
    assert len(checked) > 50 and any(r[0] for r in checked)
    assert all(r[0] == r[1] and r[2] == r[3] for r in checked)
    plan = " ".join(
        str(r)
        for r in rows(
            db,
            "explain query plan select id from task_agencies where agency_id = 1 "
            "order by due_date is null, due_date, document_date",
        )
    )
    assert "COVERING INDEX" in plan


def test_reingest_changes_nothing_and_changed_file_updates(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "archive.db"
    ingest([seeds], db)
    before = rows(db, "select id, sha256, ingested_at, abstract from documents order by id")
    again = ingest([seeds], db)
    assert again.count("unchanged") == 5 and again.count("loaded") == 0
    assert rows(db, "select id, sha256, ingested_at, abstract from documents order by id") == before

    target = next(seeds.glob("004_*.txt"))
    target.write_text(
        target.read_text(encoding="utf-8").replace("V/v xây dựng Kế hoạch", "V/v sửa đổi Kế hoạch"), encoding="utf-8"
    )
    third = ingest([seeds], db)
    assert third.count("updated") == 1 and third.count("unchanged") == 4
    assert rows(db, "select count(*) from documents") == [(5,)]
    ((abstract,),) = rows(db, "select abstract from documents where name = ?", [target.name])
    assert abstract.startswith("Sửa đổi Kế hoạch")
    # children were replaced, not duplicated
    assert rows(
        db, "select count(*) from recipients r join documents d on d.id = r.document_id where d.name = ?", [target.name]
    ) == [(3,)]


def test_bad_files_become_error_rows_and_the_batch_goes_on(tmp_path: Path, seeds: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a_empty.txt").write_bytes(b"")
    (bad / "b_broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    (bad / "c_broken.docx").write_bytes(b"not a zip")
    db = tmp_path / "archive.db"
    summary = ingest([bad, seeds, tmp_path / "missing.txt"], db)
    assert summary.count("loaded") == 5
    assert summary.count("failed") == 4
    errors = dict(rows(db, "select name, reason from errors"))
    assert errors["a_empty.txt"] == "file is empty"
    assert "PDF" in errors["b_broken.pdf"]
    assert "DOCX" in errors["c_broken.docx"]
    assert errors["missing.txt"] == "file does not exist"
    # a file that later loads leaves the errors table
    (bad / "a_empty.txt").write_text(next(seeds.glob("000_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    ingest([bad / "a_empty.txt"], db)
    assert "a_empty.txt" not in dict(rows(db, "select name, reason from errors"))


def test_database_uses_wal(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "archive.db"
    ingest([seeds], db)
    assert rows(db, "pragma journal_mode") == [("wal",)]
    assert rows(db, "pragma integrity_check") == [("ok",)]


def test_json_columns_are_json(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "archive.db"
    ingest([seeds], db)
    for ocr_pages, warnings in rows(db, "select ocr_pages, warnings from documents"):
        assert json.loads(ocr_pages) == [] and isinstance(json.loads(warnings), list)


THREE_WAYS = """ỦY BAN NHÂN DÂN
HUYỆN TAM ĐƯỜNG
Số: 12/UBND-NN
Tam Đường, ngày 05 tháng 3 năm 2024
V/v triển khai nhiệm vụ
Kính gửi: Các cơ quan, đơn vị huyện.
1. Phòng Nông nghiệp và PTNT chủ trì rà soát các tiêu chí, báo cáo trước ngày 20/3/2024.
2. Phòng NN&PTNT tổng hợp kết quả trong tháng 4/2024.
3. Giao phòng Nông nghiệp & PTNT phối hợp với UBND các xã kiểm tra thực tế.
Nơi nhận:
- Như trên;
- Lưu: VT.
CHỦ TỊCH
Nguyễn Văn An
"""


def test_one_agency_written_three_ways_is_one_row(tmp_path: Path) -> None:
    source = tmp_path / "three.txt"
    source.write_text(THREE_WAYS, encoding="utf-8")
    db = tmp_path / "archive.db"
    ingest([source], db)
    offices = rows(db, "select agency, count(*) from assignments where agency like 'Phòng%' group by agency")
    assert offices == [("Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường", 3)]
    assert [
        r[0] for r in rows(db, "select agency_as_printed from assignments where agency like 'Phòng%' order by task_id")
    ] == ["Phòng Nông nghiệp và PTNT", "Phòng NN&PTNT", "phòng Nông nghiệp & PTNT"]
    assert rows(db, "select deadline, due_date from deadlines order by due_date") == [
        ("2024-03-20", "2024-03-20"),
        ("2024-04", "2024-04-30"),
    ]
    assert rows(db, "select role from assignments where agency = 'Ủy ban nhân dân các xã'") == [("coordinate",)]
    # a changed document replaces its links; the agency rows stay, one each
    source.write_text(THREE_WAYS.replace("kiểm tra thực tế", "kiểm tra hiện trường"), encoding="utf-8")
    ingest([source], db)
    assert rows(db, "select count(*) from task_agencies") == [(4,)]
    assert rows(db, "select count(*) from agencies where agency like 'Phòng Nông nghiệp%'") == [(1,)]


def test_reprocess_touches_old_records_only(tmp_path: Path, seeds: Path) -> None:
    from congvan.reprocess import reprocess

    db = tmp_path / "archive.db"
    ingest([seeds], db)
    ids = rows(db, "select id, path from documents order by id")
    for source in seeds.glob("*.txt"):
        source.unlink()  # reprocessing works from the stored text, not the files
    with sqlite3.connect(db) as conn:  # as if an older pipeline had made them
        conn.execute("update documents set pipeline_version = '0.0.1', issuer = null")
        conn.execute("delete from tasks")
    assert reprocess(db, jobs=2) == 5
    assert rows(db, "select id, path from documents order by id") == ids  # updated in place
    assert rows(
        db, "select count(*) from documents where issuer is null or pipeline_version != ?", [PIPELINE_VERSION]
    ) == [(0,)]
    assert rows(db, "select count(*) from tasks")[0][0] > 50
    assert reprocess(db) == 0  # run again: nothing to do


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        ("2024-02", "2024-02-29"),  # leap year
        ("2023-02", "2023-02-28"),
        ("2100-02", "2100-02-28"),  # a century that is not a leap year
        ("2000-02", "2000-02-29"),
        ("2025-01", "2025-01-31"),
        ("2025-04", "2025-04-30"),
        ("2025-07", "2025-07-31"),
        ("2025-08", "2025-08-31"),
        ("2025-11", "2025-11-30"),
        ("2025-12", "2025-12-31"),
        ("2026", "2026-12-31"),
        ("2026-03-15", "2026-03-15"),
    ],
)
def test_due_date_is_the_last_day_the_deadline_allows(deadline: str, due: str) -> None:
    assert due_date(deadline) == due


def test_an_archive_with_texts_in_documents_is_moved_on_open(tmp_path: Path, seeds: Path) -> None:
    """Archives made before texts had their own table: opening one moves the texts (and their search),
    keeps every record, and groups copies."""
    import sqlite_utils

    from congvan import store

    db_path = tmp_path / "old.db"
    ingest([seeds], db_path)
    old = sqlite_utils.Database(db_path)
    texts = dict(old.execute("select document_id, text from document_texts").fetchall())
    old["documents"].add_column("text", str)
    old["documents"].add_column("search_text", str)
    for doc_id, text in texts.items():
        old.execute(
            "update documents set text = ?, search_text = ?, copy_key = null where id = ?", [text, text, doc_id]
        )
    old["document_texts"].disable_fts()
    old["document_texts"].drop()
    old.conn.commit()
    old.close()
    db = store.open_db(db_path)
    assert "text" not in db["documents"].columns_dict
    assert dict(db.execute("select document_id, text from document_texts").fetchall()) == texts
    assert db.execute("select count(*) from documents where copy_key is null").fetchone()[0] < len(texts)
    hits = db.execute("select rowid from document_texts_fts where document_texts_fts match ?", ["Tam Duong"]).fetchall()
    assert hits
