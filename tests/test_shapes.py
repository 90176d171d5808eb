"""Text shapes real collections arrive in, table style: (text as published, expected values).

Each snippet keeps the shape of its source: a law site's HTML turned into Markdown pipe tables, a crawler
that merged the header into a few lines, a signature block run into one line. The values are what the
gold rules (../shared/gold/README.md) record for them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SHARED, require, require_tool

from parsers import read_document
from parsers.normalize import normalize_text
from parsers.tables import pipe_tables_as_text, split_cell_lines
from pipeline import record_from_parsed, record_from_text

PIPE_HEADER = """| VĂN PHÒNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  --------------- |
| --- | --- |
| Số: 648/VPCP-NN *V/v phê duyệt Đề án phát triển thị trường các-bon tại Việt Nam* | *Hà Nội, ngày 26 tháng 01 năm 2022* |
| Kính gửi: | - Bộ Tài chính; - Bộ Tài nguyên và Môi trường. |
| --- | --- |
Về đề nghị của Bộ Tài nguyên và Môi trường, Phó Thủ tướng Chính phủ có ý kiến như sau:
Bộ Tài chính chủ trì, phối hợp với Bộ Tài nguyên và Môi trường xây dựng Đề án, báo cáo Thủ tướng Chính phủ.
Văn phòng Chính phủ thông báo để các cơ quan liên quan biết, thực hiện./.
| *Nơi nhận:* - Như trên; - Lưu: VT, NN (2). | KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM     Nguyễn Cao Lục |
| --- | --- |
"""


def read_as(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return record_from_parsed(read_document(path))


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_markdown_pipe_header_and_signature(tmp_path: Path, suffix: str) -> None:
    record = read_as(tmp_path, "vpcp" + suffix, PIPE_HEADER)
    assert (record.issuer, record.number, record.symbol) == ("Văn phòng Chính phủ", "648", "VPCP-NN")
    assert (record.place, record.date) == ("Hà Nội", "2022-01-26")
    assert record.abstract == "Phê duyệt Đề án phát triển thị trường các-bon tại Việt Nam"
    assert record.recipients == ["Bộ Tài chính", "Bộ Tài nguyên và Môi trường"]
    assert (record.signer.name, record.signer.position, record.signer.authority) == (
        "Nguyễn Cao Lục",
        "Phó Chủ nhiệm",
        "KT.",
    )


CELLS = [
    ("VĂN PHÒNG CHÍNH PHỦ -------", "VĂN PHÒNG CHÍNH PHỦ"),
    (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  ---------------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    ),
    ("Số: 467/TB-VPCP", "Số: 467/TB-VPCP"),
    ("*Hà Nội, ngày 14 tháng 10 năm 2024 *", "Hà Nội, ngày 14 tháng 10 năm 2024"),
    ("Số: 648/VPCP-NN *V/v phê duyệt Đề án*", "Số: 648/VPCP-NN\nV/v phê duyệt Đề án"),
    ("- Bộ Tài chính; - Bộ Tài nguyên và Môi trường.", "- Bộ Tài chính;\n- Bộ Tài nguyên và Môi trường."),
    ("KT. BỘ TRƯỞNG THỨ TRƯỞNG     Lê Công Thành", "KT. BỘ TRƯỞNG THỨ TRƯỞNG\nLê Công Thành"),
    ("UBND TỈNH LÀO CAI<br>SỞ CÔNG THƯƠNG", "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG"),
    ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch"),  # a dash inside a name stays
]


@pytest.mark.parametrize(("cell", "lines"), CELLS)
def test_converter_cells_split_into_their_lines(cell: str, lines: str) -> None:
    assert split_cell_lines(cell) == lines


def test_task_table_in_pipes_stays_a_table() -> None:
    text = (
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1. | Hoàn thiện dự thảo Nghị định | Cục Biến đổi khí hậu | Vụ Pháp chế | Tháng 8/2024 |\n"
    )
    assert pipe_tables_as_text(text).strip().split("\n") == [
        "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
        "1.\tHoàn thiện dự thảo Nghị định\tCục Biến đổi khí hậu\tVụ Pháp chế\tTháng 8/2024",
    ]


CRAWLED = (
    "Công văn 384/BYT-KCB năm 2014 cấp chứng chỉ hành nghề do Bộ Y tế ban hành. BỘ Y TẾ -------\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
    "Số: 384/BYT-KCB V/v cấp CCHN và GPHĐ khám bệnh, chữa bệnh theo quy định của Luật KBCB\n"
    "Hà Nội, ngày 27 tháng 01 năm 2014 Kính gửi: Đ/c Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc "
    "Trung ương Trong thời gian qua, Ủy ban nhân dân tỉnh, thành phố đã khẩn trương chỉ đạo Sở Y tế.\n"
    "KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Thị Xuyên\n"
)


def test_crawler_merged_header() -> None:
    record = record_from_text(normalize_text(CRAWLED))
    assert (record.issuer or "").lower() == "bộ y tế"
    assert (record.number, record.symbol, record.place, record.date) == ("384", "BYT-KCB", "Hà Nội", "2014-01-27")
    assert record.abstract == "Cấp CCHN và GPHĐ khám bệnh, chữa bệnh theo quy định của Luật KBCB"
    assert record.recipients == ["Đ/c Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]
    assert (record.signer.name, record.signer.position, record.signer.authority) == (
        "Nguyễn Thị Xuyên",
        "Thứ trưởng",
        "KT.",
    )


def test_a_header_laid_out_line_by_line_is_left_alone() -> None:
    from pipeline.unmerge import unmerge_header

    text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/UBND-KT\nV/v kiểm tra\nLào Cai, ngày 3 tháng 3 năm 2026\nKính gửi: Sở Công Thương."
    assert unmerge_header(text) == text


SIGNATURE_LINES = [
    ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Thị Xuyên", ("Nguyễn Thị Xuyên", "Thứ trưởng", "KT.")),
    ("KT. TỔNG GIÁM ĐỐC PHÓ TỔNG GIÁM ĐỐC Phạm Lương Sơn", ("Phạm Lương Sơn", "Phó Tổng Giám đốc", "KT.")),
    ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp", ("Nguyễn Hữu Tháp", "Phó Chủ tịch", "KT.")),
    ("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNGThái Hữu Phép", ("Thái Hữu Phép", "Chánh Văn phòng", "TL.")),
    ("KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM\nNguyễn Cao Lục", ("Nguyễn Cao Lục", "Phó Chủ nhiệm", "KT.")),
]


@pytest.mark.parametrize(("block", "expected"), SIGNATURE_LINES)
def test_signature_block_run_into_one_line(block: str, expected: tuple[str, str, str]) -> None:
    record = record_from_text(normalize_text("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n" + block + "\n"))
    assert (record.signer.name, record.signer.position, record.signer.authority) == expected


UPPER_ABSTRACTS = [
    (
        "THÔNG BÁO\nKẾT LUẬN CUỘC HỌP VỀ ĐỀ ÁN PHÁT TRIỂN THỊ TRƯỜNG CÁC-BON TẠI VIỆT NAM\nNgày 07 tháng 10 năm 2024, tại",
        "KẾT LUẬN CUỘC HỌP VỀ ĐỀ ÁN PHÁT TRIỂN THỊ TRƯỜNG CÁC-BON TẠI VIỆT NAM",
    ),
    (
        "KẾ HOẠCH\nTRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 13/CT-TTG NGÀY 02 THÁNG 5 NĂM 2024 CỦA THỦ TƯỚNG CHÍNH PHỦ\n"
        "Thực hiện Chỉ thị số 13/CT-TTg",
        "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 13/CT-TTG NGÀY 02 THÁNG 5 NĂM 2024 CỦA THỦ TƯỚNG CHÍNH PHỦ",
    ),
    ("KẾ HOẠCH\nTriển khai công tác phòng cháy năm 2026\nI. MỤC ĐÍCH", "Triển khai công tác phòng cháy năm 2026"),
]


@pytest.mark.parametrize(("body", "abstract"), UPPER_ABSTRACTS)
def test_trich_yeu_under_the_title_even_in_capitals(body: str, abstract: str) -> None:
    head = "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 09/KH-BTNMT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    record = record_from_text(normalize_text(head + "Hà Nội, ngày 06 tháng 8 năm 2024\n\n" + body))
    assert record.abstract == abstract


def test_kinh_gui_items_end_where_the_body_opens() -> None:
    text = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 327/SGDĐT-KHTC\nVũng Tàu, ngày 29 tháng 4 năm 2011\nKính gửi:\n"
        "- Các Phòng Giáo dục và Đào tạo huyện, thị xã, thành phố;\n- Các đơn vị trực thuộc\n"
        "Thực hiện Công văn số 1369/BGDĐT-CTHSSV ngày 15 tháng 3 năm 2011 của Bộ Giáo dục và Đào tạo\n"
    )
    record = record_from_text(normalize_text(text))
    assert record.recipients == ["Các Phòng Giáo dục và Đào tạo huyện, thị xã, thành phố", "Các đơn vị trực thuộc"]


REQUEST_LISTS = [
    # a request paragraph heads the numbered items below it; numbered sections do not end it
    (
        "Để bảo đảm hoạt động theo đúng quy định, Bộ Y tế đề nghị Đ/c Chủ tịch UBND tỉnh, thành phố tiếp tục chỉ đạo "
        "thực hiện một số nội dung sau:\n1. Đầu tư, nâng cấp cơ sở hạ tầng, trang thiết bị y tế.\n"
        "2. Chỉ đạo Sở Y tế và các sở, ban ngành liên quan thực hiện nghiêm túc quy định.\nTrân trọng cảm ơn./.\n",
        [
            ("Chủ tịch UBND tỉnh, thành phố", "Đầu tư, nâng cấp cơ sở hạ tầng"),
            ("Chủ tịch UBND tỉnh, thành phố", "Chỉ đạo Sở Y tế và các sở, ban ngành"),
        ],
    ),
    (
        "Bộ Nông nghiệp và Môi trường kính đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ đạo, "
        "triển khai thực hiện một số nhiệm vụ, cụ thể như sau:\n1. Về giảm nhẹ phát thải khí nhà kính\n"
        "a) Chỉ đạo cơ quan chuyên môn trực thuộc rà soát số liệu tiêu thụ năng lượng.\n"
        "b) Phối hợp với Bộ Nông nghiệp và Môi trường triển khai các quy định.\n"
        "2. Về thị trường các-bon\na) Tổ chức phổ biến, tuyên truyền trên các phương tiện thông tin.\n",
        [
            ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Chỉ đạo cơ quan chuyên môn"),
            ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Phối hợp với Bộ Nông nghiệp"),
            ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Tổ chức phổ biến, tuyên truyền"),
        ],
    ),
    # the issuer speaking at the end closes the list: not a task of its addressees
    (
        "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu và đề nghị các cơ quan, đơn vị thực hiện một số nội dung như sau:\n"
        "1. Sở Công Thương chủ trì kiểm tra các mỏ khoáng sản.\n"
        "2. Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các Sở, ban, ngành nghiêm túc thực hiện. Trong quá trình thực hiện "
        "nếu có khó khăn, các cơ quan kịp thời báo cáo.\n",
        [("Sở Công Thương", "Sở Công Thương chủ trì kiểm tra")],
    ),
]


@pytest.mark.parametrize(("body", "expected"), REQUEST_LISTS)
def test_a_request_heads_the_items_below_it(body: str, expected: list[tuple[str, str]]) -> None:
    head = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/UBND-KT\nV/v thực hiện\nLào Cai, ngày 3 tháng 3 năm 2026\n"
    record = record_from_text(normalize_text(head + "Kính gửi: Các cơ quan.\n" + body))
    tasks = [(t.agency, t.text) for t in record.tasks if t.agency]
    assert len(tasks) == len(expected)
    for (agency, text), (want_agency, start) in zip(tasks, expected, strict=True):
        assert agency == want_agency and text.startswith(start)


PROGRAMME = (
    "ỦY BAN NHÂN DÂN\nTỈNH KON TUM\nSố: 435/QĐ-UBND\nKon Tum, ngày 04 tháng 5 năm 2020\nQUYẾT ĐỊNH\n"
    "Ban hành Chương trình hành động\n\nĐiều 1. Ban hành kèm theo Quyết định này Chương trình hành động.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Hữu Tháp\n\n"
    "CHƯƠNG TRÌNH HÀNH ĐỘNG\n(Ban hành kèm theo Quyết định số 435/QĐ-UBND ngày 04 tháng 5 năm 2020)\n"
    "II. NỘI DUNG, NHIỆM VỤ\n1.3.\nTiếp tục thực hiện hiệu quả Đề án tuyên truyền, phổ biến pháp luật cho người lao động.\n"
    "- Cơ quan thực hiện: Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh.\n"
    "- Thời gian thực hiện: Hoàn thành trong quý II/2020.\n"
    "1.4. Xây dựng cơ sở dữ liệu, bộ tiêu chí đánh giá quan hệ lao động tại các doanh nghiệp.\n"
    "- Cơ quan thực hiện: Ủy ban nhân dân các huyện, thành phố.\n- Thời gian thực hiện: Thường xuyên hằng năm.\n"
)


def test_flattened_task_table_of_an_attached_programme() -> None:
    """Each item followed by its columns as labelled lines; the programme issued with the decision is read."""
    record = record_from_text(normalize_text(PROGRAMME))
    tasks = [(t.agency, t.text[:40], t.deadline, t.coordinators) for t in record.tasks if t.agency]
    assert tasks == [
        (
            "Sở Lao động - Thương binh và Xã hội",
            "Tiếp tục thực hiện hiệu quả Đề án tuyên ",
            "2020-06",
            ["Liên đoàn Lao động tỉnh"],
        ),
        ("Ủy ban nhân dân các huyện, thành phố", "Xây dựng cơ sở dữ liệu, bộ tiêu chí đánh", None, []),
    ]


def test_an_appendix_that_is_not_issued_with_the_decision_gives_only_its_tables() -> None:
    text = PROGRAMME.replace("(Ban hành kèm theo Quyết định số 435/QĐ-UBND ngày 04 tháng 5 năm 2020)", "(tham khảo)")
    assert [t for t in record_from_text(normalize_text(text)).tasks if t.agency] == []


def test_the_date_line_with_its_place_wins_over_a_cited_date_moved_above_it() -> None:
    """A preview's text layer put the V/v block (with a cited document's date) above the header."""
    text = (
        "Thực hiện Công văn số 1369/BGDĐT-CTHSSV ngày 15 tháng 3 năm 2011\n"
        "UBND TỈNH BÀ RỊA - VŨNG TÀU\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n"
        "Số: 327/SGDĐT-KHTC Vũng Tàu, ngày 29 tháng 4 năm 2011\nKính gửi: Các đơn vị trực thuộc.\n"
    )
    record = record_from_text(normalize_text(text))
    assert (record.place, record.date) == ("Vũng Tàu", "2011-04-29")


# A law site's crawl puts the site's title in front of each part it anchors; items numbered "2.2." on a
# line of their own, each followed by its labelled columns.
ANCHORED = (
    "Quyết định 435/QĐ-UBND năm 2020. ỦY BAN NHÂN DÂN TỈNH KON TUM -------\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
    "Số: 435/QĐ-UBND Kon Tum, ngày 04 tháng 5 năm 2020 QUYẾT ĐỊNH V/V BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG\n"
    "QUYẾT ĐỊNH:\nQuyết định 435/QĐ-UBND năm 2020. Điều 1.\n"
    "Ban hành kèm theo Quyết định này Chương trình hành động của Ủy ban nhân dân tỉnh.\n"
    "Nơi nhận:\n- Như điều 2;\n- Lưu VT, KGVX2.\nTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp\n"
    "Quyết định 435/QĐ-UBND năm 2020. CHƯƠNG TRÌNH HÀNH ĐỘNG. TRIỂN KHAI KẾ HOẠCH SỐ 119-KH/TU\n"
    "(Ban hành kèm theo Quyết định số 435/QĐ-UBND ngày 04 tháng 5 năm 2020)\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức của cấp ủy, chính quyền về xây dựng quan hệ lao động.\n"
    "Quyết định 435/QĐ-UBND năm 2020. CHƯƠNG TRÌNH HÀNH ĐỘNG. II. NỘI DUNG HOẠT ĐỘNG\n"
    "2.2.\nTăng cường kiểm tra, thanh tra chấp hành pháp luật về lao động, công đoàn trong các doanh nghiệp.\n"
    "- Cơ quan thực hiện: Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh.\n"
    "- Thời gian thực hiện: Thường xuyên hằng năm.\n"
    "2.6.\nHình thành các cơ chế tham vấn ba bên một cách linh hoạt để tư vấn, hỗ trợ cho cơ quan nhà nước.\n"
    "- Cơ quan thực hiện: Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh.\n"
    "- Thời gian thực hiện: Hoàn thành trong quý III/2020.\n"
)


def test_parts_anchored_by_a_crawl_and_items_numbered_on_their_own_line() -> None:
    """The aims section ends at "II." though the crawl put the site's title in front of it; each item's
    labelled columns stay with that item ("2.2." on its own line is the item's number)."""
    record = record_from_text(normalize_text(ANCHORED))
    assert [(t.agency, t.text[:25], t.deadline) for t in record.tasks if t.agency] == [
        ("Sở Lao động - Thương binh và Xã hội", "Tăng cường kiểm tra, than", None),
        ("Sở Lao động - Thương binh và Xã hội", "Hình thành các cơ chế tha", "2020-09"),
    ]
    assert record.number == "435" and record.issuer == "Ủy ban nhân dân tỉnh Kon Tum"


LAYOUT_PDFS = ["002", "008", "014", "015", "021", "032", "036", "045"]


@pytest.mark.parametrize("stem", LAYOUT_PDFS)
def test_pdftotext_layout_columns_give_the_published_texts_header(stem: str, tmp_path: Path) -> None:
    """`pdftotext -layout` of the dev PDF originals (read in place): the header's two columns and the
    signer beside Nơi nhận come out side by side, padded with spaces; the record's header and signer are
    those of the text the portal published."""
    pdf = require(SHARED / "corpus" / "dev" / "files" / f"{stem}.pdf", "the dev originals")
    pdftotext = shutil.which("pdftotext")
    require_tool(pdftotext is not None, "pdftotext is not installed (make install-system: poppler-utils)")
    out = tmp_path / f"{stem}.txt"
    subprocess.run([str(pdftotext), "-layout", "-q", str(pdf), str(out)], check=True, timeout=120)
    layout = record_from_text(normalize_text(out.read_text(encoding="utf-8")))
    published = record_from_parsed(read_document(SHARED / "corpus" / "dev" / f"{stem}.txt"))
    for name in ("issuer", "number", "symbol", "date", "place", "doc_type", "signer"):
        assert getattr(layout, name) == getattr(published, name), name


# A law site's page as a crawl stored it: the page's title ("Công văn số ... v/v ...") above the header's
# pipe table (tests/fixtures/fresh/f03.md, thuvienphapluat.vn through a crawler's Markdown).
TITLED_CRAWL = (
    "*Source: https://thuvienphapluat.vn/cong-van/Tai-chinh-nha-nuoc/Cong-van-5115-LDTBXH-KHTC-2018.aspx*\n\n"
    "# Công văn số 5115/LĐTBXH-KHTC v/v thí điểm thực hiện chi trả trợ cấp ưu đãi người có công với cách "
    "mạng qua hệ thống Bưu điện\n\n"
    "| BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
    "Hạnh phúc --------------- |\n|---|---|\n"
    "| Số: 5115/LĐTBXH-KHTC V/v thí điểm thực hiện chi trả trợ cấp ưu đãi người có công với cách mạng qua "
    "hệ thống Bưu điện | Hà Nội, ngày 03 tháng 12 năm 2018 |\n\n"
    "| Kính gửi: | - Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ; - Sở Lao động - Thương binh và "
    "Xã hội tỉnh Hưng Yên. |\n|---|---|\n\n"
    "Giám đốc Sở Lao động - Thương binh và Xã hội có trách nhiệm chỉ đạo thực hiện chi trả.\n"
)


def test_a_page_title_above_the_header_is_not_its_trich_yeu(tmp_path: Path) -> None:
    """The số's own "V/v" is the trích yếu (Nghị định 30/2020: it stands under the số), so the capitals
    above the số are read as the issuer, and a ministry is spelled as its Sở counterpart is."""
    record = read_as(tmp_path, "crawl.md", TITLED_CRAWL)
    assert record.issuer == "Bộ Lao động - Thương binh và Xã hội"
    assert (record.number, record.symbol, record.date) == ("5115", "LĐTBXH-KHTC", "2018-12-03")
    assert record.abstract == (
        "Thí điểm thực hiện chi trả trợ cấp ưu đãi người có công với cách mạng qua hệ thống Bưu điện"
    )


# A decision that issues a plan, the plan after the decision's signature under its heading "KẾ HOẠCH ...
# (Kèm theo Quyết định số ...)" (Nghị định 30/2020, Phụ lục III): tests/fixtures/fresh/f02.md, and the
# shape of dev 007 (a Hà Nội decision read by pdftotext).
ATTACHED_PLAN = """| ỦY BAN NHÂN DÂN TỈNH SƠN LA ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 254/QĐ-UBND | Sơn La, ngày 17 tháng 02 năm 2023 |

QUYẾT ĐỊNH

BAN HÀNH KẾ HOẠCH THỰC HIỆN CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC NĂM 2023

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện công tác bảo vệ bí mật nhà nước năm 2023.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

| Nơi nhận: - Bộ Công an (Cục A03 - để b/c); - Như Điều 3; - Lưu: VT, NC, ĐH30b. | CHỦ TỊCH Hoàng Quốc Khánh |
|---|---|

KẾ HOẠCH

THỰC HIỆN CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC NĂM 2023 (Kèm theo Quyết định số 254/QĐ-UBND ngày 17/02/2023 của Chủ tịch Ủy ban nhân dân tỉnh)

II. NỘI DUNG CÔNG TÁC

6. Xây dựng và tham mưu với UBND tỉnh ban hành Quy chế bảo vệ BMNN trên địa bàn tỉnh (Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh).

III. TỔ CHỨC THỰC HIỆN

3. Giao Công an tỉnh chủ trì phối hợp với Văn phòng UBND tỉnh giúp Chủ tịch UBND tỉnh hướng dẫn, đôn đốc, kiểm tra việc thực hiện kế hoạch này.
"""


def test_a_plan_issued_with_the_decision_is_read_for_its_tasks(tmp_path: Path) -> None:
    record = read_as(tmp_path, "qd.md", ATTACHED_PLAN)
    assert record.signer.name == "Hoàng Quốc Khánh"
    assigned = {t.text[:40]: [a.agency for a in t.assignments] for t in record.tasks if t.assignments}
    assert any(text.startswith("Giao Công an tỉnh chủ trì") for text in assigned)
    assert all(
        any(a.startswith("Công an tỉnh") for a in agencies) for text, agencies in assigned.items() if "Công an" in text
    )


ANNEX_HEADINGS = [  # (the first lines after the signature, read as the decision's own directives?)
    ("KẾ HOẠCH\nTHỰC HIỆN CÔNG TÁC BẢO VỆ BÍ MẬT (Kèm theo Quyết định số 254/QĐ-UBND ngày 17/02/2023)", True),
    ("KẾ HOẠCH\nBảo đảm thoát nước, chống úng ngập\n(Kèm theo Quyết định số\n/QĐ-UBND ngày /4/2026)", True),
    ("CHƯƠNG TRÌNH HÀNH ĐỘNG\n(Ban hành kèm theo Quyết định số 435/QĐ-UBND)", True),
    ("Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA\n(Kèm theo Quyết định số: /QĐ-SCT ngày /5/2026)", False),
    ("PHỤ LỤC:\nDANH MỤC NHIỆM VỤ QUYỀN HẠN ỦY QUYỀN\n(Kèm theo Quyết định số 1696 /QĐ-UBND)", False),
    # a reviewer's cases: a plan's name inside an annex list's heading is not a plan's heading
    ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH SỐ 45/KH-UBND\n(Kèm theo Quyết định số 12/QĐ-UBND)", False),
    ("Phụ lục I\nDANH MỤC CÁC CHƯƠNG TRÌNH, ĐỀ ÁN\n(Kèm theo Quyết định số 12/QĐ-UBND)", False),
    ("KẾ HOẠCH\nPhát triển du lịch (giai đoạn 2021-2025)\n(Kèm theo Quyết định số 12/QĐ-UBND)", True),
    ("KẾ HOẠCH\nPhát triển du lịch\n(Kèm theo QĐ số 12/QĐ-UBND ngày 3/3/2024)", True),
]


@pytest.mark.parametrize(("heading", "attached"), ANNEX_HEADINGS)
def test_what_after_a_signature_is_a_plan_issued_with_the_decision(heading: str, attached: bool) -> None:
    from pipeline import vocab

    assert bool(vocab.layout().attached_heading.search(heading)) is attached


# A data set's text made by a word segmenter (tests/fixtures/fresh/f06.txt, a Chỉ thị of a quận of TP.HCM).
SEGMENTED = [
    (
        "Uỷ_ban_nhân_dân quận yêu_cầu các phòng , ban , ngành , Mặt_trận , đoàn_thể tăng_cường thực_hiện "
        "các hoạt_động phòng , chống tác_hại của thuốc_lá với các nội_dung như sau : \n",
        "Uỷ ban nhân dân quận yêu cầu các phòng, ban, ngành, Mặt trận, đoàn thể tăng cường thực hiện "
        "các hoạt động phòng, chống tác hại của thuốc lá với các nội dung như sau:\n",
    ),
    ("1 . Tăng_cường các biện_pháp phòng , chống : \n", "1. Tăng cường các biện pháp phòng, chống:\n"),
    ("hưởng_ứng mít - tinh ( 31 tháng 5 ) . \n", "hưởng ứng mít - tinh (31 tháng 5).\n"),
    ("Chỉ_thị số 23/2009/CT-UBND ngày 30/12/2009 , \n", "Chỉ thị số 23/2009/CT-UBND ngày 30/12/2009,\n"),
    # addresses and file names keep their underscores
    (
        "xem tại https://x.vn/van_ban_moi/chi_thi_23 , gửi tuyen_truyen@x.vn , tệp dan_cu_2024.xlsx . \n",
        "xem tại https://x.vn/van_ban_moi/chi_thi_23, gửi tuyen_truyen@x.vn, tệp dan_cu_2024.xlsx.\n",
    ),
    ("tỷ_lệ tăng dân_số dưới 12 ‰ . \n", "tỷ lệ tăng dân số dưới 12‰.\n"),
]


@pytest.mark.parametrize(("segmented", "plain"), SEGMENTED)
def test_word_segmented_text_is_written_back(segmented: str, plain: str) -> None:
    from parsers.text import unsegment

    assert unsegment(segmented).replace(" \n", "\n") == plain


@pytest.mark.parametrize(
    ("text", "segmented"),
    [
        ("".join(segmented for segmented, _ in SEGMENTED) * 3, True),
        (SEGMENTED[0][0], False),  # too few words to tell
        # an ordinary letter listing a data set's fields (a reviewer's case)
        (
            "Đề nghị cung cấp các trường: ma_tinh, ten_tinh, ma_huyen, ten_huyen, ma_xa, ten_xa, dan_so, "
            "dien_tich, so_ho, so_nguoi, ty_le, nam_bao_cao, don_vi, ghi_chu, nguoi_lap, ngay_lap , theo mẫu , "
            "gửi về Sở , trước ngày 30/11 .\n" * 2,
            False,
        ),
        (TITLED_CRAWL, False),
        ("Số: ___/UBND-KT\nKính gửi: Sở Tài chính , Sở Nội vụ , Sở Y tế , Sở Xây dựng.\n", False),
        ("file_name_with_underscores.pdf is attached , see it , and it , again\n", False),
    ],
)
def test_word_segmented_text_is_told_from_plain_text(text: str, segmented: bool) -> None:
    from parsers.text import is_word_segmented

    assert is_word_segmented(text) is segmented
