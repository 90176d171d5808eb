"""One dispatch, several files: the published text, the DOCX draft and a PDF made from it are one
document. Every view, query and the dashboard count it once; its page lists its three files.

Real document: dev 017 (Sở Công Thương, a plan with its số left blank) as text and DOCX, read in place
from ../shared, and as PDF printed from the DOCX by LibreOffice at test time.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import SHARED, require, require_tool
from datasette.app import Datasette

from congvan.ingest import ingest
from congvan.metadata import metadata

DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(DEV / "files" / "017.docx", "the dev originals")
    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice is not installed: it prints the DOCX as PDF (make install-system)")
    folder = tmp_path_factory.mktemp("copies")
    files = folder / "files"
    files.mkdir()
    shutil.copy(DEV / "017.txt", files / "ke-hoach-017.txt")
    shutil.copy(DEV / "files" / "017.docx", files / "ke-hoach-017.docx")
    shutil.copy(DEV / "files" / "017.docx", folder / "printed.docx")
    subprocess.run(
        [str(soffice), "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf"]
        + ["--outdir", str(files), str(folder / "printed.docx")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (files / "printed.pdf").rename(files / "ke-hoach-017.pdf")
    shutil.copy(DEV / "037.txt", files / "other.txt")  # another document, to be counted apart
    db = folder / "archive.db"
    summary = ingest([files], db)
    assert summary.count("loaded") == 4, summary.line()
    return db


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_three_files_are_one_document(archive: Path) -> None:
    files = {
        name: (doc_id, copy_of) for doc_id, name, copy_of in rows(archive, "select id, name, copy_of from documents")
    }
    plan = [files[f"ke-hoach-017.{ext}"] for ext in ("txt", "docx", "pdf")]
    first = min(doc_id for doc_id, _ in plan)  # files are stored as the workers finish them
    assert sorted(copy_of or doc_id for doc_id, copy_of in plan) == [first] * 3
    assert [copy_of for doc_id, copy_of in plan if doc_id == first] == [None]
    assert files["other.txt"][1] is None


def test_views_count_the_document_once(archive: Path) -> None:
    plan = "(select id from documents where name like 'ke-hoach-017.%')"
    (per_file,) = rows(
        archive, f"select count(*) from tasks where document_id = (select min(id) from documents where id in {plan})"
    )[0]
    assert per_file > 0
    # every file holds the plan's tasks; the views hold them once, under the first file
    assert rows(archive, f"select count(distinct document_id) from tasks where document_id in {plan}") == [(3,)]
    for view in ("assignments", "open_deadlines", "target_list"):
        documents = rows(archive, f"select count(distinct document_id) from {view} where document_id in {plan}")
        assert documents[0][0] <= 1, view
    (assigned,) = rows(archive, f"select count(distinct task_id) from assignments where document_id in {plan}")[0]
    assert 0 < assigned <= per_file


async def test_the_document_page_lists_its_files_and_the_dashboard_counts_once(archive: Path) -> None:
    ds = Datasette([str(archive)], metadata=metadata(archive.stem))
    (first,) = rows(archive, "select min(id) from documents where name like 'ke-hoach-017.%'")[0]
    page = await ds.client.get(f"/-/congvan/document/{first}")
    assert page.status_code == 200
    for name in ("ke-hoach-017.docx", "ke-hoach-017.pdf", "ke-hoach-017.txt"):
        assert name in page.text
    (copy,) = rows(archive, "select max(id) from documents where name like 'ke-hoach-017.%'")[0]
    page = await ds.client.get(f"/-/congvan/document/{copy}")
    assert "ke-hoach-017.docx" in page.text  # a copy's page names the others too
    dashboard = await ds.client.get("/-/congvan/dashboard")
    assert dashboard.status_code == 200
    issuers = rows(archive, "select count(*) from documents where copy_of is null and issuer = 'Sở Công Thương'")
    assert issuers == [(2,)]


async def test_canned_queries_count_the_document_once(archive: Path) -> None:
    ds = Datasette([str(archive)], metadata=metadata(archive.stem))
    response = await ds.client.get(f"/{archive.stem}/agency_tasks.json?agency=Sở Công Thương&_shape=array")
    assert response.status_code == 200
    documents = {row["document_id"] for row in response.json()}
    plan = {r[0] for r in rows(archive, "select id from documents where name like 'ke-hoach-017.%'")}
    assert len(documents & plan) <= 1
    dashboard = await ds.client.get("/-/congvan/dashboard")
    assert "Sở Công Thương" in dashboard.text and ">2<" in dashboard.text.replace(" ", "")
