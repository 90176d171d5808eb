"""A real browser (Debian's Chromium driven by Playwright) against a real `congvan serve`.

Skipped, saying why, where Chromium or Playwright is missing; under CI both are installed by .ci/run
and nothing may skip.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import SCRIPT_DISPATCH, require_tool, served

from congvan.ingest import ingest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_browser():
    require_tool(CHROMIUM is not None, "Debian's chromium is not installed (make install-system)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require_tool(False, "the playwright package is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    _need_browser()
    from conftest import CORPUS

    tmp = tmp_path_factory.mktemp("browser")
    docs = tmp / "docs"
    shutil.copytree(CORPUS, docs)
    (docs / "zz_script.txt").write_text(SCRIPT_DISPATCH, encoding="utf-8")
    db = tmp / "congvan.db"
    ingest([docs], db)
    with served(db) as (port, _):
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


def test_search_without_diacritics_finds_the_document(server, page) -> None:
    page.goto(f"{server}/congvan/documents")
    page.fill("input#_search", "dang uy")
    page.keyboard.press("Enter")
    page.wait_for_url("**_search=dang+uy**")
    table = page.locator("table.rows-and-columns").inner_text()
    assert "000_e0f64f5618f91b60.txt" in table  # "Đảng ủy, HĐND, UBND các xã"
    assert "zz_script.txt" not in table


def test_agency_canned_query_lists_its_tasks(server, page) -> None:
    page.goto(f"{server}/congvan/agency_tasks")
    page.fill("input[name=agency]", "phòng tài chính")
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_selector("table.rows-and-columns")
    text = page.locator("table.rows-and-columns").inner_text()
    via = [cell.inner_text().strip() for cell in page.locator("table.rows-and-columns tbody td.col-assigned_via").all()]
    assert via.count("") == 5  # its own tasks; its groups' tasks are there too, marked in assigned_via
    assert "Tham mưu bố trí vốn đối ứng" in text


def test_document_page_shows_highlighted_spans(server, page, tmp_path_factory) -> None:
    page.goto(f"{server}/congvan/documents?name=004_8ef36d4b45c2f24a.txt")
    page.locator("table.rows-and-columns tbody tr td.col-title a").first.click()
    page.wait_for_selector("#document-text")
    assert page.locator("#document-text mark.hl-hdr").count() >= 6
    assert page.locator("#document-text mark.hl-task").count() >= 5
    issuer = page.locator("#document-text mark[title=issuer]").first
    assert "TAM ĐƯỜNG" in issuer.inner_text()
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "document.png"), full_page=True)
    issuer.locator("a.tag").click()  # the label links to the evidence row
    page.wait_for_url("**/congvan/evidence/*")
    assert "issuer" in page.locator("body").inner_text()


def test_script_in_a_document_does_not_execute(server, page) -> None:
    page.goto(f"{server}/congvan/documents?name=zz_script.txt")
    page.locator("td.col-title a").first.click()
    page.wait_for_selector("#document-text")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert "<script>window.pwned = 1</script>" in page.locator("#document-text").inner_text()
    page.goto(f"{server}/congvan/documents?name=zz_script.txt")  # the table view escapes it too
    assert page.evaluate("typeof window.pwned") == "undefined"
