"""Datasette over a real archive, through its in-process client."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette

from congvan.metadata import metadata


@pytest.fixture
def datasette(archive: Path) -> Datasette:
    return Datasette([str(archive)], metadata=metadata(archive.stem))


async def test_documents_table_lists_the_seeds(datasette: Datasette) -> None:
    response = await datasette.client.get("/congvan/documents.json?_shape=objects&_sort=name")
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["rows"]]
    assert len(names) == 5 and names[0].startswith("000_")


async def test_every_table_and_column_is_described(datasette: Datasette, archive: Path) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(archive)
    tables = metadata()["databases"]["congvan"]["tables"]
    for table in [*db.tables, *db.views]:
        if table.name.startswith("document_texts_fts"):
            continue
        assert tables[table.name]["description"], table.name
        for column in table.columns:
            assert tables[table.name]["columns"].get(column.name), f"{table.name}.{column.name}"
    page = await datasette.client.get("/congvan/documents")
    assert "Văn bản: one row per ingested file" in page.text


async def test_facets_and_label_column(datasette: Datasette) -> None:
    response = await datasette.client.get("/congvan/documents.json?_facet=issuer")
    facet = response.json()["facet_results"]
    facet = facet.get("results", facet)  # 0.65 nests results under "results" in some shapes
    values = {v["value"]: v["count"] for v in facet["issuer"]["results"]}
    assert values["Ủy ban nhân dân huyện Tam Đường"] == 2
    # recipients show their document by its title, not a bare id
    page = await datasette.client.get("/congvan/recipients")
    assert "Công văn .../UBND-NN&amp;PTNT" in page.text or "Công văn .../UBND-NN&PTNT" in page.text


async def test_full_text_search(datasette: Datasette) -> None:
    response = await datasette.client.get("/congvan/documents.json?_search=Phong+Tho&_shape=objects")
    names = [row["name"] for row in response.json()["rows"]]
    assert names and all(name.startswith(("000_", "004_")) for name in names)


async def test_assignments_answer_what_an_agency_was_asked_with_one_facet(datasette: Datasette) -> None:
    """ "What was Phòng Tài chính - Kế hoạch asked to do": one click on the agency facet."""
    page = await datasette.client.get("/congvan/assignments.json?_facet=agency")
    facet = page.json()["facet_results"]
    facet = facet.get("results", facet)
    options = {v["value"]: v for v in facet["agency"]["results"]}
    office = options["Phòng Tài chính - Kế hoạch huyện Phong Thổ"]
    clicked = await datasette.client.get(
        office["toggle_url"]
        .replace("http://localhost", "")
        .replace("/congvan/assignments?", "/congvan/assignments.json?")
        + "&_shape=objects"
    )
    tasks = [row["task"] for row in clicked.json()["rows"]]
    assert len(tasks) == office["count"] == 3
    assert any(t.startswith("Tham mưu bố trí vốn đối ứng") for t in tasks)


async def test_open_deadlines_are_ordered(datasette: Datasette) -> None:
    rows = (await datasette.client.get("/congvan/open_deadlines.json?_shape=objects")).json()["rows"]
    dates = [r["due_date"] for r in rows]
    assert dates == sorted(dates) and "2024-02-10" in dates
    assert {r["status"] for r in rows} <= {"open", "overdue"}


async def test_two_shards_are_served_side_by_side(tmp_path: Path, seeds: Path) -> None:
    """One database per province behind one Datasette: each shard has its tables, canned queries and
    dashboard under its own name."""
    from congvan.ingest import ingest
    from congvan.serve import datasette_app

    files = sorted(seeds.glob("*.txt"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for i, f in enumerate(files):
        (tmp_path / ("a" if i % 2 else "b") / f.name).write_bytes(f.read_bytes())
    ingest([tmp_path / "a"], tmp_path / "shard_a.db")
    ingest([tmp_path / "b"], tmp_path / "shard_b.db")
    ds = datasette_app([tmp_path / "shard_a.db", tmp_path / "shard_b.db"])
    counts = {}
    for name in ("shard_a", "shard_b"):
        table = await ds.client.get(f"/{name}/documents.json?_shape=objects")
        counts[name] = len(table.json()["rows"])
        query = await ds.client.get(f"/{name}/search_documents.json?q=ke+hoach&_shape=objects")
        assert query.status_code == 200, query.text[:200]
        dashboard = await ds.client.get(f"/-/congvan/dashboard?db={name}")
        assert dashboard.status_code == 200 and "documents per issuer" in dashboard.text
    assert counts == {"shard_a": len(files) // 2, "shard_b": len(files) - len(files) // 2}
