"""Citations and numeric targets, table style; and the citation graph in a real archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from congvan.ingest import ingest
from congvan.metadata import metadata
from pipeline.body import build_paragraphs
from pipeline.lines import split_lines
from pipeline.references import find_references
from pipeline.targets import find_targets, listed_targets, parse_number

CITATIONS = [
    (
        "Thực hiện Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu về việc tăng cường",
        [("Chỉ thị", "04/CT-UBND", "2024-04-17", "UBND tỉnh Lai Châu")],
    ),
    ("được giao tại Kế hoạch 364/KH-UBND ngày 21/12/2022 chủ trì", [("Kế hoạch", "364/KH-UBND", "2022-12-21", None)]),
    (
        "theo Quyết định 1487/QĐUBND ngày 22/10/2024 của Ủy ban nhân dân tỉnh",
        [("Quyết định", "1487/QĐUBND", "2024-10-22", "Ủy ban nhân dân tỉnh")],
    ),
    (
        "Căn cứ Nghị quyết số 25/2021/QH15 ngày 28/7/2021 của Quốc hội phê duyệt",
        [("Nghị quyết", "25/2021/QH15", "2021-07-28", "Quốc hội")],
    ),
    (
        "Căn cứ các Quyết định của Thủ tướng Chính phủ: số 1689/QĐ-TTg ngày 11/10/2021 ban hành kế hoạch; "
        "số 263/QĐ-TTg ngày 22/02/2022 phê duyệt Chương trình",
        [("Quyết định", "1689/QĐ-TTg", "2021-10-11", None), ("Quyết định", "263/QĐ-TTg", "2022-02-22", None)],
    ),
    ("Thực hiện Chương trình hành động số 104-CTr/TU của Tỉnh ủy", [("Chương trình", "104-CTr/TU", None, "Tỉnh ủy")]),
    ("theo đề xuất tại Văn bản số 27/BC-VPĐP ngày 21/7/2021.", [("Văn bản", "27/BC-VPĐP", "2021-07-21", None)]),
    (
        "theo Nghị quyết số 14/2022/NQ-HĐND ngày 26 tháng 8 năm 2022 của Hội đồng nhân dân tỉnh)",
        [("Nghị quyết", "14/2022/NQ-HĐND", "2022-08-26", "Hội đồng nhân dân tỉnh")],
    ),
    ("đảm bảo theo QCVN 01:2019/BCT về an toàn", [("Quy chuẩn kỹ thuật quốc gia", "QCVN 01:2019/BCT", None, None)]),
    (
        "Luật số 69/2025/QH15 và Thông tư số 23/2024/TT-BCT ngày 07/11/2024 của Bộ Công Thương",
        [("Luật", "69/2025/QH15", None, None), ("Thông tư", "23/2024/TT-BCT", "2024-11-07", "Bộ Công Thương")],
    ),
    # not citations: dates, periods, ratios, section numbers
    ("ngày 17/4/2024, giai đoạn 2021-2025, 07/16 xã, mục 3.3.1, tiêu chí 17.7, loại 1,2,3,4,9", []),
]


@pytest.mark.parametrize("text, expected", CITATIONS)
def test_citation_forms(text: str, expected: list[tuple]) -> None:
    got = [(r.doc_type, r.number_symbol, r.date, r.issuer) for r in find_references(text)]
    assert got == expected


def test_two_spellings_and_short_mentions_are_one_reference() -> None:
    text = (
        "Căn cứ Kế hoạch số 454/KH-UBND ngày 06/4/2023 của UBND huyện; Quyết định 1487/QĐUBND ngày 22/10/2024. "
        "Theo Kế hoạch số 454/KH-UBND, ... Quyết định số 1487/QĐ-UBND quy định ... Kế hoạch 454 nêu rõ."
    )
    refs = find_references(text)
    assert [(r.number_symbol, len(r.mentions)) for r in refs] == [("454/KH-UBND", 2), ("1487/QĐUBND", 1)]
    assert refs[1].key == "1487|QDUBND|2024"


def test_own_number_is_not_a_reference() -> None:
    text = "Số: 193/UBND-KT ... Căn cứ Công văn số 193/UBND-KT, Công văn số 4316/UBND-KTN ngày 25/10/2024"
    assert [r.number_symbol for r in find_references(text, own_key="193|UBNDKT|2026")] == ["4316/UBND-KTN"]


@pytest.mark.parametrize(
    "printed, value",
    [
        ("16,8", 16.8),
        ("183.970", 183970.0),
        ("96,5", 96.5),
        ("07", 7.0),
        ("1.600", 1600.0),
        ("5.490,5", 5490.5),
    ],
)
def test_vietnamese_number_format(printed: str, value: float) -> None:
    assert parse_number(printed) == value


TARGETS = [
    ("đến hết năm 2025, toàn huyện có 07/16 xã đạt chuẩn nông thôn mới", [(7.0, 16.0, "xã", "goal", 2025)]),
    ("công nhận 25% số thôn, bản", [(25.0, None, "%", "goal", None)]),
    ("toàn huyện không còn xã dưới 15 tiêu chí nông thôn mới", [(15.0, None, "tiêu chí", "threshold", None)]),
    ("bình quân đạt 16,8 tiêu chí/xã", [(16.8, None, "tiêu chí/xã", "goal", None)]),
    ("dành tối thiểu 50% tiền thu sử dụng đất", [(50.0, None, "%", "threshold", None)]),
    ("Tổng nguồn vốn huy động 183.970 triệu đồng", [(183970.0, None, "triệu đồng", "budget", None)]),
    ("Tỷ lệ bao phủ bảo hiểm y tế đạt 96,5%", [(96.5, None, "%", "goal", None)]),
    ("08/09 xã đạt tiêu chí trường học", [(8.0, 9.0, "xã", "goal", None)]),
    ("Phấn đấu mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản trở lên", [(5.0, None, "mỏ", "goal", None)]),
    # not targets
    ("Chỉ thị số 04/CT-UBND ngày 17/4/2024 giai đoạn 2021-2025", []),
    ("tiêu chí 13.3 (thực hiện truy xuất nguồn gốc); tiêu chí số 17.7", []),
    ("04 xã đã được công nhận hoàn thành 19 tiêu chí nông thôn mới", []),  # the past
    ("Quy mô thực hiện: 60,0 ha.", []),  # a description
    ("diện tích được điều chỉnh từ 20,0 ha lên", []),
    ("thông báo bằng văn bản ít nhất 10 ngày trước khi nổ mìn", []),  # a time limit
    ("giá trị hợp đồng 500 triệu đồng đã thanh toán", []),  # money, not a budget
    ("giảm tỷ lệ tăng dân số tự nhiên còn 12‰", [(12.0, None, "‰", "goal", None)]),  # per mille
    ("Doanh nghiệp có dưới 10 lao động được miễn.", []),  # a condition, not a goal
    ("trẻ em dưới 5 tuổi được tiêm chủng", []),  # an age, not a goal
]


@pytest.mark.parametrize("text, expected", TARGETS)
def test_targets(text: str, expected: list[tuple]) -> None:
    got = [(t.value, t.total, t.unit, t.kind, t.year) for t in find_targets(text)]
    assert got == expected


CITED = """ỦY BAN NHÂN DÂN
HUYỆN TAM ĐƯỜNG
Số: 454/KH-UBND
Tam Đường, ngày 06 tháng 4 năm 2023
KẾ HOẠCH
Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021-2025
I. MỤC TIÊU
Phấn đấu đến hết năm 2025 toàn huyện có 12/12 xã đạt chuẩn nông thôn mới.
"""
CITING = """ỦY BAN NHÂN DÂN
HUYỆN TAM ĐƯỜNG
Số: 88/UBND-NN
Tam Đường, ngày 10 tháng 02 năm 2024
V/v xây dựng kế hoạch năm 2024
Kính gửi: Ủy ban nhân dân các xã.
Căn cứ Kế hoạch số 454/KH-UBND ngày 06/4/2023 của UBND huyện, đề nghị UBND các xã xây dựng kế hoạch.
"""


async def test_citation_graph_links_documents_both_ways(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a_citing.txt").write_text(CITING, encoding="utf-8")  # ingested before what it cites
    (folder / "b_cited.txt").write_text(CITED, encoding="utf-8")
    db = tmp_path / "congvan.db"
    ingest([folder], db)
    with sqlite3.connect(db) as conn:
        links = conn.execute("select citing_document, number_symbol, cited_document from citations").fetchall()
        targets = conn.execute("select value, total, unit, year from target_list").fetchall()
        cited_id = conn.execute("select id from documents where name = 'b_cited.txt'").fetchone()[0]
    assert links == [("Công văn 88/UBND-NN", "454/KH-UBND", "Kế hoạch 454/KH-UBND")]
    assert targets == [(12.0, 12.0, "xã", 2025)]
    datasette = Datasette([str(db)], metadata=metadata(db.stem))
    page = await datasette.client.get(f"/congvan/documents/{cited_id}")
    # the cited document's page shows what cites it
    assert "references" in page.text and "cited_document_id" in page.text


# A plan's list of chỉ tiêu: every figure is a target whatever its unit (gold README). Real snippets: the
# 2024 chỉ tiêu of a provincial People's Council resolution as published, and a circular's list of
# test indicators, which are not targets.
LISTED = [
    (
        "11 chỉ tiêu kinh tế gồm:\n- Tốc độ tăng trưởng kinh tế (GRDP): Trên 10%\n"
        "- GRDP bình quân đầu người: 104 triệu đồng/năm\n- Tổng vốn đầu tư toàn xã hội: 60.000 tỷ đồng\n"
        "- Tỷ lệ đô thị hóa: 33,5%",
        [(10.0, "%"), (104.0, "triệu đồng/năm"), (60000.0, "tỷ đồng"), (33.5, "%")],
    ),
    (
        "3 chỉ tiêu môi trường gồm:\n- Tỷ lệ che phủ rừng 59,2%\n"
        "- Thu gom rác thải đô thị đạt 96%; khu vực nông thôn đạt 80%",
        [(59.2, "%"), (96.0, "%"), (80.0, "%")],
    ),
    (
        "8 chỉ tiêu xã hội gồm:\n- Số giường bệnh trên 1 vạn dân: 45,7 giường; 14,5 bác sĩ/vạn dân\n"
        "- Tỷ lệ tăng dân số tự nhiên dưới 1,2%",
        [(45.7, "giường"), (14.5, "bác sĩ/vạn dân"), (1.2, "%")],
    ),
    (
        "II. MỤC TIÊU, CHỈ TIÊU\n1. Chỉ tiêu về kinh tế\n- Tổng khách du lịch trên 8 triệu lượt\n"
        "- Kinh doanh dịch vụ tăng từ 10% trở lên.\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Tổ chức 02 hội nghị trong năm 2024",
        [(8.0, "triệu lượt"), (10.0, "%")],
    ),
    (
        "- Biện pháp an toàn khi thao tác thử nghiệm các chỉ tiêu:\n- Quy định về canh gác khi nổ thử nghiệm:\n"
        "- Thử nổ 02 lần, mỗi lần 5 kg",
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_chi_tieu_lists(text: str, expected: list[tuple[float, str]]) -> None:
    lines = split_lines(text)
    found = listed_targets(build_paragraphs(lines, 0, len(lines)), text)
    assert [(t.value, t.unit) for t in found] == expected
    assert all(text[t.start : t.end].startswith(str(t.value).split(".")[0][:1]) for t in found)


# Fines are not targets: a penalty decision's sum and its late-payment rate (wild w028, as OCR reads it)
PENALTY = (
    "Phạt tiền với mức phạt 16.000.000 đồng đối với hành vi vi phạm.\n"
    "Nộp thêm 0,05% tính trên tổng số tiền phạt chưa nộp cho mỗi ngày chậm nộp.\n"
    "Tổng số tiền phạt và thu hồi nộp ngân sách nhà nước là: 16.000.000 đồng"
)


def test_fines_are_not_targets() -> None:
    assert find_targets(PENALTY) == []
    assert [(t.value, t.unit) for t in find_targets("Tăng cường xử phạt vi phạm; phấn đấu đạt 95% số xã")] == [
        (95.0, "%")
    ]
