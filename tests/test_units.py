"""The 2025 reform: each issuer placed in its units as printed then, and in today's (underthesea's official
mapping, offline). Real issuers from the corpus and public units."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from congvan.ingest import ingest
from congvan.metadata import metadata
from pipeline.units import place

# (issuer, governing body, place of the date line) -> (province then, district then, province now, commune now, status)
PLACES = [
    # a district of a province that merged: Yên Bái into Lào Cai
    (("Ủy ban nhân dân huyện Mù Cang Chải", None, None), ("Tỉnh Yên Bái", "Huyện Mù Cang Chải", "Tỉnh Lào Cai", None)),
    # a commune merged and renamed (seed 000's district)
    (
        ("Ủy ban nhân dân xã Mường So", "Ủy ban nhân dân huyện Phong Thổ", "Mường So"),
        ("Tỉnh Lai Châu", "Huyện Phong Thổ", "Tỉnh Lai Châu", "Xã Phong Thổ"),
    ),
    # a province that did not change, and a district of it (seeds 003, 004)
    (("Ủy ban nhân dân tỉnh Lai Châu", None, "Lai Châu"), ("Tỉnh Lai Châu", None, "Tỉnh Lai Châu", None)),
    (
        ("Ủy ban nhân dân huyện Tam Đường", None, "Tam Đường"),
        ("Tỉnh Lai Châu", "Huyện Tam Đường", "Tỉnh Lai Châu", None),
    ),
    # a Sở named without its province, placed by its governing body or the place of its date line (dev)
    (("Sở Công Thương", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai"), ("Tỉnh Lào Cai", None, "Tỉnh Lào Cai", None)),
    (("Sở Giáo dục và Đào tạo", None, "Vũng Tàu"), ("Tỉnh Bà Rịa - Vũng Tàu", None, "Thành phố Hồ Chí Minh", None)),
    # a commune whose name the country has once (dev 106)
    (
        ("Ủy ban nhân dân xã Gia Phố", None, "Gia Phố"),
        ("Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Tỉnh Hà Tĩnh", "Xã Hương Phố"),
    ),
    # a numbered district: Ho Chi Minh City's (dev 113, Quận 9, merged into Thủ Đức before the 2025 mapping)
    (
        ("Trung tâm văn hóa", "Ủy ban nhân dân quận 9", None),
        ("Thành phố Hồ Chí Minh", "Quận 9", "Thành phố Hồ Chí Minh", None),
    ),
    # a central body: no unit
    (("Văn phòng Chính phủ", None, "Hà Nội"), (None, None, None, None)),
    # a district name ten provinces have, and no province printed (dev 116): left empty, not guessed
    (("Ủy ban nhân dân huyện Châu Thành", None, "Châu Thành"), (None, "Huyện Châu Thành", None, None)),
]


@pytest.mark.parametrize(("printed", "expected"), PLACES)
def test_units_then_and_now(printed: tuple, expected: tuple) -> None:
    unit = place(*printed)
    assert (unit.province, unit.district, unit.province_now, unit.commune_now) == expected


def test_status_says_what_changed() -> None:
    assert place("Ủy ban nhân dân tỉnh Yên Bái").status == "province merged"
    assert place("Ủy ban nhân dân tỉnh Lai Châu").status == "province kept"
    assert place("Ủy ban nhân dân xã Mường So", "Ủy ban nhân dân huyện Phong Thổ").status == "merged"
    assert place("Bộ Y tế").status == "central"
    assert place("Trung tâm văn hóa").status == "not named"


YEN_BAI = """ỦY BAN NHÂN DÂN
TỈNH YÊN BÁI
Số: 1234/UBND-KT
V/v tăng cường quản lý khoáng sản
Yên Bái, ngày 15 tháng 8 năm 2023
Kính gửi: Sở Tài nguyên và Môi trường.
Sở Tài nguyên và Môi trường chủ trì kiểm tra các mỏ đá, báo cáo trước ngày 30/9/2023.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Thế Phước
"""


@pytest.fixture
def archive(tmp_path: Path, seeds: Path) -> Path:
    import shutil

    folder = tmp_path / "docs"
    shutil.copytree(seeds, folder)
    (folder / "yen-bai-2023.txt").write_text(YEN_BAI, encoding="utf-8")
    db = tmp_path / "congvan.db"
    ingest([folder], db)
    return db


async def test_queries_by_todays_province_and_the_district_then(archive: Path) -> None:
    ds = Datasette([str(archive)], metadata=metadata(archive.stem))
    now = (await ds.client.get(f"/{archive.stem}/now_in_province.json?province=Lào Cai&_shape=array")).json()
    provinces_then = {row["province"] for row in now}
    assert provinces_then == {"Tỉnh Lào Cai", "Tỉnh Yên Bái"}  # Yên Bái's 2023 dispatch is Lào Cai's now
    district = (await ds.client.get(f"/{archive.stem}/former_district.json?district=Phong Thổ&_shape=array")).json()
    assert district and {row["province_now"] for row in district} == {"Tỉnh Lai Châu"}
    facet = await ds.client.get(f"/{archive.stem}/documents_by_unit.json?_facet=province_now")
    assert facet.status_code == 200
    (doc_id,) = [row["document_id"] for row in district][:1]
    page = await ds.client.get(f"/-/congvan/document/{doc_id}")
    assert "Ủy ban nhân dân huyện Phong Thổ (nay thuộc Tỉnh Lai Châu)" in page.text


def test_reprocess_fills_the_units_of_an_older_archive(archive: Path) -> None:
    from congvan.reprocess import reprocess

    with sqlite3.connect(archive) as conn:
        conn.execute("update documents set unit_id = null, pipeline_version = '0.3.0'")
    assert reprocess(archive) > 0
    with sqlite3.connect(archive) as conn:
        (missing,) = conn.execute("select count(*) from documents where unit_id is null").fetchone()
    assert missing == 0
