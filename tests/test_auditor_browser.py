"""Three auditor questions answered in a real browser (Debian's Chromium, Playwright) against a real
`congvan serve` over the seeds and the dev texts: each from the home page in at most three clicks plus
typing, and each answer checked against the documents' own text.

1. What was a given Sở asked to do, and by when?
2. What was overdue on 30/06/2025 (typed the Vietnamese way)?
3. Which documents cite a given số hiệu (typed "Quyết định số ...")?
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, SHARED, require, served
from test_browser import CHROME_FLAGS, CHROMIUM, _need_browser

from congvan.ingest import ingest


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    _need_browser()
    dev = require(SHARED / "corpus" / "dev", "the dev texts")
    docs = tmp_path_factory.mktemp("auditor") / "docs"
    shutil.copytree(CORPUS, docs)
    for path in sorted(dev.glob("*.txt")):
        shutil.copy(path, docs / f"dev-{path.name}")
    db = docs.parent / "congvan.db"
    ingest([docs], db)
    return db


@pytest.fixture(scope="module")
def server(archive: Path):
    with served(archive) as (port, _):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        page = browser.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


def text_of(archive: Path, document_id: int) -> str:
    with sqlite3.connect(archive) as conn:
        return conn.execute("select text from document_texts where document_id = ?", [document_id]).fetchone()[0]


def ask(page, server: str, query_title: str, inputs: dict[str, str]) -> list[dict[str, str]]:
    """From the home page: the database (click 1), the question (click 2), typing, asking (click 3)."""
    page.goto(server + "/")
    page.locator("h2 a", has_text="congvan").first.click()
    page.locator("a", has_text=query_title).first.click()
    for name, value in inputs.items():
        page.fill(f"input[name={name}]", value)
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_selector("table.rows-and-columns")
    headers = [
        (h.get_attribute("class") or "").removeprefix("col-")
        for h in page.locator("table.rows-and-columns thead th").all()
    ]
    out = []
    for row in page.locator("table.rows-and-columns tbody tr").all():
        cells = row.locator("td").all()
        record = {h: c.inner_text().strip() for h, c in zip(headers, cells, strict=False) if h}
        links = row.locator("a[href*='/-/congvan/document/']").all()
        record["_document"] = links[0].get_attribute("href") if links else ""
        out.append(record)
    return out


def document_id(href: str) -> int:
    return int(href.split("/-/congvan/document/")[1].split("?")[0])


def test_what_was_a_so_asked_to_do_and_by_when(server, page, archive: Path) -> None:
    rows = ask(page, server, "Nhiệm vụ của một cơ quan", {"agency": "Sở Tài chính"})
    assert rows, "no task for Sở Tài chính"
    for row in rows:
        assert "Tài chính" in row["agency"] or row["assigned_via"] == row["agency"]  # itself, or a group it is in
        source = " ".join(text_of(archive, document_id(row["_document"])).split())
        assert row["task"][:60] in source  # the task as printed in its document
        if row.get("due_date"):
            day, month, year = row["due_date"].split("/")  # shown the Vietnamese way
            assert len(year) == 4 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def test_what_was_overdue_on_a_day_typed_the_vietnamese_way(server, page, archive: Path) -> None:
    rows = ask(page, server, "Nhiệm vụ quá hạn tính đến ngày", {"as_of": "30/06/2025"})
    assert rows
    for row in rows:
        day, month, year = (int(p) for p in row["due_date"].split("/"))
        assert (year, month, day) < (2025, 6, 30)
        assert int(row["days_overdue"]) > 0
        source = " ".join(text_of(archive, document_id(row["_document"])).split())
        assert row["task"][:60] in source
    # a date that does not exist is refused with a message, not answered
    page.goto(server + "/congvan/overdue_as_of?as_of=31/02/2025")
    assert "không có thật" in page.locator("body").inner_text()


def test_which_documents_cite_a_so_hieu_typed_with_its_type(server, page, archive: Path) -> None:
    with sqlite3.connect(archive) as conn:
        number_symbol, year = conn.execute(
            "select number_symbol, year from [references] where doc_type = 'Quyết định' and year is not null "
            "group by citation_key order by count(*) desc, citation_key limit 1"
        ).fetchone()
    typed = f"Quyết định số {number_symbol}" + ("" if str(year) in number_symbol else f" năm {year}")
    rows = ask(page, server, "Văn bản viện dẫn một số hiệu", {"number_symbol": typed})
    assert rows
    number = number_symbol.split("/")[0]
    for row in rows:
        source = text_of(archive, document_id(row["_document"]))
        assert number in source and row["number_symbol"] in source


def test_search_lists_the_phrase_first_with_a_snippet(server, page) -> None:
    rows = ask(page, server, "Tìm văn bản theo nội dung", {"q": "dang uy"})
    assert rows
    first = page.locator("table.rows-and-columns tbody tr").first.locator("td.col-snippet mark")
    assert first.count() >= 2
    assert "ủy" in " ".join(m.inner_text() for m in first.all()).lower()
