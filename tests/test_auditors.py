"""Datasette for auditors, through its in-process client: canned queries, facets, search, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SCRIPT_DISPATCH
from datasette.app import Datasette

from congvan.ingest import ingest
from congvan.metadata import QUERIES
from congvan.serve import serving_metadata


@pytest.fixture
def archive(tmp_path: Path, seeds: Path) -> Path:
    (seeds / "zz_script.txt").write_text(SCRIPT_DISPATCH, encoding="utf-8")
    db = tmp_path / "congvan.db"
    ingest([seeds], db)
    return db


def make(archive: Path, **settings) -> Datasette:
    return Datasette([str(archive)], immutables=[], metadata=serving_metadata(archive.stem, None), settings=settings)


async def rows(ds: Datasette, path: str) -> list[dict]:
    response = await ds.client.get(path + ("&" if "?" in path else "?") + "_shape=objects")
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()["rows"]


CANNED = [
    (
        "agency_tasks",
        "agency=phong tai chinh",
        lambda r: (
            len([x for x in r if x["assigned_via"] is None]) == 5
            and {x["agency"] for x in r if x["assigned_via"] is None}
            == {"Phòng Tài chính - Kế hoạch huyện Phong Thổ", "Phòng Tài chính - Kế hoạch huyện Si Ma Cai"}
            and all(x["agency"] == x["assigned_via"] for x in r if x["assigned_via"])  # and its groups' tasks
        ),
    ),
    (
        "deadlines_between",
        "start=2024-01-01&end=2024-12-31",
        lambda r: [x["due_date"] for x in r] == ["2024-02-10", "2024-11-04", "2024-11-04", "2024-11-07", "2024-11-10"],
    ),
    (
        "overdue_as_of",
        "as_of=2024-06-01",
        lambda r: [(x["due_date"], x["days_overdue"]) for x in r] == [("2024-02-10", 112)],
    ),
    (
        "documents_citing",
        "number_symbol=1487/QĐ-UBND",
        lambda r: len(r) == 1 and r[0]["citing_document"].startswith("Công văn"),
    ),
    ("documents_citing", "number_symbol=454/kh-ubnd", lambda r: len(r) == 2),  # spelled another way
    (
        "targets_by_year_and_unit",
        "year=2025&unit=xã",
        lambda r: {(x["value"], x["total"]) for x in r} >= {(7.0, 16.0), (12.0, 12.0)},
    ),
    (
        "targets_by_year_and_unit",
        "year=&unit=triệu đồng",
        lambda r: len(r) == 9 and all(x["kind"] == "budget" for x in r),
    ),
    ("documents_by_issuer_and_month", "issuer=tam duong&month=2024-10", lambda r: r == []),
    (
        "documents_by_issuer_and_month",
        "issuer=lao cai&month=2026-03",
        lambda r: [x["document"] for x in r] == ["Công văn 77/UBND-KT"],
    ),
    # typed the way auditors type: Vietnamese dates, partial dates, the type and "số" before a số hiệu
    (
        "overdue_as_of",
        "as_of=01/06/2024",
        lambda r: [(x["due_date"], x["days_overdue"]) for x in r] == [("2024-02-10", 112)],
    ),
    (
        "deadlines_between",
        "start=01/2024&end=2024",
        lambda r: [x["due_date"] for x in r] == ["2024-02-10", "2024-11-04", "2024-11-04", "2024-11-07", "2024-11-10"],
    ),
    ("documents_by_issuer_and_month", "issuer=UBND tỉnh Lào Cai&month=03/2026", lambda r: len(r) == 1),
    ("documents_citing", "number_symbol=Quyết định số 1487/QĐ-UBND", lambda r: len(r) == 1),
    ("documents_citing", "number_symbol=1487/QĐ-UBND năm 2019", lambda r: r == []),  # another year
    ("agency_tasks", "agency=", lambda r: r == []),  # nothing typed, nothing answered
    ("agency_tasks", "agency=UBND các xã", lambda r: r and all("các xã" in x["agency"] for x in r)),
    (
        "search_documents",
        "q=dang uy",
        lambda r: (
            r
            and "\x02" in (r[0]["snippet"] or "")
            and "đảng ủy" in r[0]["snippet"].replace("\x02", "").replace("\x03", "").lower()
        ),
    ),
    ("search_documents", "q=", lambda r: r == []),
    # the 2025 reform: Phong Thổ and Tam Đường's dispatches are Lai Châu's today
    (
        "now_in_province",
        "province=Lai Châu",
        lambda r: r and {x["district"] for x in r} >= {"Huyện Phong Thổ", "Huyện Tam Đường"},
    ),
    ("former_district", "district=Tam Đường", lambda r: len(r) == 2 and r[0]["province_now"] == "Tỉnh Lai Châu"),
]


@pytest.mark.parametrize("name, params, check", CANNED)
async def test_canned_query(archive: Path, name: str, params: str, check) -> None:
    result = await rows(make(archive), f"/congvan/{name}.json?{params}")
    assert check(result), result


def test_every_canned_query_is_tested() -> None:
    assert {name for name, _, _ in CANNED} == set(QUERIES)


FACETS = [
    ("documents", "doc_type", "Công văn"),
    ("documents", "issuer", "Ủy ban nhân dân huyện Tam Đường"),
    ("documents", "year", 2024),
    ("documents", "signer_position", "Phó Chủ tịch"),
    ("assignments", "agency", "Ủy ban nhân dân các xã"),
    ("assignments", "role", "request"),
    ("assignments", "issuer", "Ủy ban nhân dân huyện Phong Thổ"),
    ("open_deadlines", "status", "overdue"),
    ("target_list", "unit", "%"),
    ("target_list", "kind", "budget"),
    ("target_list", "year", 2025),
    ("citations", "cited_type", "Quyết định"),
    ("agencies", "is_group", 1),
    ("evidence", "field", "issuer"),
    ("tasks", "role", "lead"),
    ("task_agencies", "role", "coordinate"),
]


@pytest.mark.parametrize("table, column, value", FACETS)
async def test_facet(archive: Path, table: str, column: str, value) -> None:
    ds = make(archive)
    response = await ds.client.get(f"/congvan/{table}.json")
    facets = response.json()["facet_results"]
    facets = facets.get("results", facets)
    assert column in facets, f"{table} has no default facet {column}"
    assert value in [v["value"] for v in facets[column]["results"]]


SEARCHES = [
    ("dang uy", "000_"),  # "Đảng ủy": đ folded, marks dropped
    ("Đảng ủy", "000_"),
    ("quyet dinh 1487", "003_"),
    ("nong thon moi nang cao", "001_"),
    ("UBND-NN&PTNT", "004_"),
]


@pytest.mark.parametrize("query, expected", SEARCHES)
async def test_search_with_or_without_diacritics(archive: Path, query: str, expected: str) -> None:
    from urllib.parse import quote

    found = await rows(make(archive), f"/congvan/documents.json?_search={quote(query)}&_col=name")
    assert any(r["name"].startswith(expected) for r in found), found


async def test_sql_switched_off_refuses_sql_but_answers_canned_queries(archive: Path) -> None:
    ds = make(archive, default_allow_sql=False)
    refused = await ds.client.get("/congvan.json?sql=select+count(*)+from+documents")
    assert refused.status_code == 403
    assert (await ds.client.get("/congvan/agency_tasks.json?agency=xa")).status_code == 200
    assert (await ds.client.get("/congvan/documents.json")).status_code == 200


async def test_document_page_highlights_and_escapes(archive: Path) -> None:
    ds = make(archive)
    (doc,) = await rows(ds, "/congvan/documents.json?name=zz_script.txt&_col=id")
    page = await ds.client.get(f"/-/congvan/document/{doc['id']}")
    assert page.status_code == 200
    assert 'class="hl hl-hdr"' in page.text and 'class="hl hl-task"' in page.text
    assert "/congvan/evidence/" in page.text and "/congvan/tasks/" in page.text
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page.text
    assert "<script>window.pwned" not in page.text and "<img src=x" not in page.text


async def test_dashboard(archive: Path) -> None:
    page = await make(archive).client.get("/-/congvan/dashboard")
    assert page.status_code == 200
    for title in ("tasks per agency", "deadlines per month", "documents per issuer"):
        assert title in page.text
    assert "Ủy ban nhân dân các xã" in page.text
    # open and overdue apart; a month's bar lists that month's tasks, and the list holds them all
    assert "bar-overdue" in page.text and "bar-open" in page.text
    ds = make(archive)
    month = re.search(
        r'open_deadlines\?due_date__startswith=(\d{4}-\d{2})"[^>]*>[^<]*</a></div>\s*<div class="bars">\s*'
        r'<div class="bar bar-all"[^>]*>(\d+)<',
        page.text,
    )
    assert month, "no month bar linked to its tasks"
    listed = await rows(ds, f"/congvan/open_deadlines.json?due_date__startswith={month.group(1)}")
    assert len(listed) == int(month.group(2))


GROUP_DISPATCH = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 905/UBND-TH
V/v triển khai Chỉ thị về kỷ luật hành chính
Lào Cai, ngày 10 tháng 3 năm 2026
Kính gửi: Các sở, ban, ngành tỉnh.
1. Các sở, ban, ngành rà soát thủ tục hành chính, báo cáo trước ngày 30/4/2026.
2. Sở Tài chính chủ trì tổng hợp kinh phí, báo cáo trước ngày 15/5/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Thành Sinh
"""


async def test_group_tasks_in_a_members_list(tmp_path: Path) -> None:
    from congvan.ingest import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "group.txt").write_text(GROUP_DISPATCH, encoding="utf-8")
    db = tmp_path / "congvan.db"
    ingest([folder], db)
    ds = make(db)
    mine = await rows(ds, "/congvan/agency_tasks.json?agency=Sở Tài chính tỉnh Lào Cai")
    assert [(r["agency"], r["assigned_via"], r["due_date"]) for r in mine] == [
        ("Các sở, ban, ngành", "Các sở, ban, ngành", "2026-04-30"),
        ("Sở Tài chính tỉnh Lào Cai", None, "2026-05-15"),
    ]
    elsewhere = await rows(ds, "/congvan/agency_tasks.json?agency=Sở Tài chính tỉnh Yên Bái")
    assert elsewhere == []


LIVE_PER_AGENCY = (
    "select agency, coalesce(sum(due_date >= date('now')), 0), coalesce(sum(due_date < date('now')), 0), "
    "sum(due_date is null), count(*) from assignments where role != 'coordinate' group by agency"
)


async def test_dashboard_reads_summaries_that_match_a_live_count(archive: Path) -> None:
    """The dashboard's counts come from summaries made at the end of the ingest; they are the live ones."""
    import sqlite3

    con = sqlite3.connect(archive)
    live = {r[0]: r[1:] for r in con.execute(LIVE_PER_AGENCY)}
    summary = {
        r[0]: r[1:]
        for r in con.execute(
            "select a.agency, coalesce(sum(case when s.due_date >= date('now') then s.n end), 0), "
            "coalesce(sum(case when s.due_date < date('now') then s.n end), 0), "
            "coalesce(sum(case when s.due_date is null then s.n end), 0), sum(s.n) "
            "from summary_agency_due s join agencies a on a.id = s.agency_id group by s.agency_id"
        )
    }
    issuers = dict(con.execute("select issuer, n from summary_issuer"))
    con.close()
    assert live and summary == {k: tuple(v[:2]) + (v[2] or 0, v[3]) for k, v in live.items()}
    assert sum(issuers.values()) == 6  # five seeds and the script dispatch, each once
    page = await make(archive).client.get("/-/congvan/dashboard")
    top = max(live.items(), key=lambda kv: kv[1][3])
    assert f">{top[0]}<" in page.text


async def test_an_older_archive_is_brought_up_to_date(archive: Path) -> None:
    """An archive indexed over five columns, without the assignments' issuer_area nor the summaries, is
    brought up to date by the next write: one column indexed, the areas filled, the summaries made."""
    import sqlite_utils

    from congvan import store

    db = sqlite_utils.Database(archive)
    db["document_texts"].disable_fts()
    db["document_texts"].enable_fts(
        ["title", "abstract", "issuer", "text", "search_text"], tokenize=store.FTS_TOKENIZER
    )
    db.execute("drop index idx_task_agencies_agency_id_issuer_area_due_date_document_date_document_id")
    db["task_agencies"].transform(drop={"issuer_area"})
    for name in store.SUMMARIES:
        db[name].drop()
    db.close()
    dashboard = await make(archive).client.get("/-/congvan/dashboard")  # counted live meanwhile
    assert dashboard.status_code == 200 and "bar-overdue" in dashboard.text
    with store.writing(archive) as (db, _):
        pass
    db = sqlite_utils.Database(archive)
    assert [c.name for c in db["document_texts_fts"].columns] == ["search_text"]
    assert (
        db.execute("select count(*) from task_agencies where issuer_area is null").fetchone()[0]
        < db["task_agencies"].count
    )
    assert set(store.SUMMARIES) <= set(db.table_names())
    found = await rows(make(archive), "/congvan/documents.json?_search=%C4%90%E1%BA%A3ng+%E1%BB%A7y&_col=name")
    assert any(r["name"].startswith("000_") for r in found)


@pytest.mark.parametrize("older", ["without the columns", "with them empty"])
def test_an_archive_from_before_the_copied_dates_gets_them_at_once(archive: Path, older: str) -> None:
    """An archive whose assignments lack due_date and document_date (or have them empty: the versions that
    added the columns left older rows so), and whose deadlines table is missing or empty, gets them filled
    from its tasks and documents on the next write, the same as a fresh ingest made them (not left empty
    until every record is reprocessed, counted as undated meanwhile)."""
    import sqlite_utils

    from congvan import store

    db = sqlite_utils.Database(archive)
    fresh = db.execute("select id, due_date, document_date from task_agencies order by id").fetchall()
    deadlines = db.execute("select task_id, document_id, deadline, due_date from deadlines order by id").fetchall()
    assert any(due for _, due, _ in fresh) and deadlines
    assert db.execute("pragma user_version").fetchone()[0] == store.SCHEMA_VERSION
    if older == "without the columns":
        for index in db["task_agencies"].indexes:
            if {"due_date", "document_date"} & set(index.columns):
                db.execute(f"drop index [{index.name}]")
        db["task_agencies"].transform(drop={"due_date", "document_date"})
        db["deadlines"].drop()
    else:
        with db.conn:
            db.execute("update task_agencies set due_date = null, document_date = null")
            db.execute("delete from deadlines")
    db.execute("pragma user_version = 0")
    db.close()
    with store.writing(archive) as (db, _):
        pass
    db = sqlite_utils.Database(archive)
    assert db.execute("select id, due_date, document_date from task_agencies order by id").fetchall() == fresh
    assert (
        db.execute("select task_id, document_id, deadline, due_date from deadlines order by id").fetchall() == deadlines
    )
    assert db.execute("pragma user_version").fetchone()[0] == store.SCHEMA_VERSION


async def test_view_pages_are_not_counted_but_tables_are(archive: Path) -> None:
    ds = make(archive)
    view = (await ds.client.get("/congvan/assignments.json")).json()
    table = (await ds.client.get("/congvan/tasks.json")).json()
    assert view["rows"] and view.get("filtered_table_rows_count") is None
    assert table["filtered_table_rows_count"] >= len(table["rows"]) > 0
    # a filter over a table of millions of rows, and a full-text search, are not counted either
    lead = (await ds.client.get("/congvan/tasks.json?role=lead")).json()
    searched = (await ds.client.get("/congvan/documents.json?_search=dang+uy")).json()
    assert lead["rows"] and lead.get("filtered_table_rows_count") is None
    assert searched["rows"] and searched.get("filtered_table_rows_count") is None
    documents = (await ds.client.get("/congvan/documents.json?doc_type=K%E1%BA%BF+ho%E1%BA%A1ch")).json()
    assert documents["filtered_table_rows_count"] == len(documents["rows"]) > 0  # documents are counted
