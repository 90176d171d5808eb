"""Header fields, table style: (text as readers give it, expected value).

Snippets are real header shapes: Markdown exports, DOCX tables (tab-separated cells, column blocks),
pdftotext of two-column headers, OCR'd lines where parts share a line, drafts with blank số and day.
"""

from __future__ import annotations

import pytest

from parsers.normalize import normalize_text
from pipeline import record_from_text


def extract(text: str):
    return record_from_text(normalize_text(text))


def check_span(record, field: str) -> None:
    """The evidence span of ``field`` exists and holds text the value came from."""
    span = record.evidence[field]
    assert 0 <= span.start < span.end <= len(record.text)


NUMBER_SYMBOL = [
    ("Số: 123/QĐ-UBND\nLào Cai, ngày 15 tháng 9 năm 2026", "123", "QĐ-UBND"),
    ("Số: 9387 /UBND-KT\nLào Cai, ngày 15 tháng 9 năm 2026", "9387", "UBND-KT"),
    ("Số: /UBND-NN\nPhong Thổ, ngày tháng 5 năm 2024", None, "UBND-NN"),
    ("Số:           /KH-UBND\t\t       Lào Cai, ngày       tháng      năm 2026", None, "KH-UBND"),
    ("Số: 05/KH-UBND\nSi Ma Cai, ngày 12 tháng 01 năm 2021", "5", "KH-UBND"),
    ("Số:6791 /SNNMT-KHTC\nLào Cai, ngày 17 tháng 7 năm 2026", "6791", "SNNMT-KHTC"),
    ("Số: 193 /UBND-NN&PTNT\nTam Đường, ngày 3 tháng 4 năm 2024", "193", "UBND-NN&PTNT"),
    # pdftotext of a two-column header puts the ký hiệu lines below the number
    (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 542\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\n/TB-UBND\n\nQuảng Ngãi, ngày 06 tháng 11 năm 2024",
        "542",
        "TB-UBND",
    ),
    # a spaced hyphen in the ký hiệu (typed "QĐ - UBND"); a narrow cell wrapping the ký hiệu at its hyphen
    ("Số: 12/QĐ - UBND\nLào Cai, ngày 3 tháng 7 năm 2026", "12", "QĐ-UBND"),
    ("SỞ CÔNG THƯƠNG\nSố:             /GP - SCT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, "GP-SCT"),  # a blank số
    ("SỞ CÔNG\nTHƯƠNG\nSố: /KH-\nSCT\nLào Cai, ngày tháng 7 năm 2026", None, "KH-SCT"),
    # a resolution's sub-number ("66.18/2026/NQ-CP"); a handwritten number OCR lost, the ký hiệu kept
    ("Số: 66.18/2026/NQ-CP\nHà Nội, ngày 3 tháng 7 năm 2026", "66.18", "2026/NQ-CP"),
    ("CỤC HÓA CHẤT\n/QĐ-XPVPHC Hà Nội, ngàyOẨ tháng 7 năm 2026\nQUYẾT ĐỊNH", None, "QĐ-XPVPHC"),
    # a handwritten number OCR reads as letters: null, and the ký hiệu after it kept
    ("CỤC HÓA CHẤT\nSố: Éđã /HC-CNHC Hà Nội, ngày °ÔÖ tháng 4 năm 2026", None, "HC-CNHC"),
    # a handwritten number OCR reads as several marks, or glued to the slash (wild w077, w059)
    ("BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: Ả € 1 /GP-BKHCN Hà Nội, ngày 21 tháng 5 năm 2024", None, "GP-BKHCN"),
    ("BỘ CÔNG THƯƠNG\nSố: ^ Ổ/2024/TT-BCT Hà Nội, ngày Ò ƒ tháng ||  nău:2023\nTHÔNG TƯ", None, "2024/TT-BCT"),
    # a receipt stamp over "Số:" (OCR reads its noise instead): number and ký hiệu at the head of the line
    ("CHÍNH PHỦ\nTóc sư—SS: 19/2026/NQ-CP Hà Nội, ngày 29 tháng 4 năm 2026\nNGHỊ QUYẾT", "19", "2026/NQ-CP"),
    # OCR: số and date on one line
    ("Số: 44 /CT-UBND Quảng Ngãi, ngày 11 tháng 9 năm 2024\nCHỈ THỊ", "44", "CT-UBND"),
    ("Số 104-CTr/TU\nLào Cai, ngày 2 tháng 3 năm 2024", "104", "CTr/TU"),
    # OCR misreads the ố of "Số" (wild w106.pdf)
    ("Só:3036 /SCT-CN Lào Cai, ngày 28 tháng 5 năm 2026", "3036", "SCT-CN"),
    ("Sổ: 2480/SCT-CN\nLào Cai, ngày 7 tháng 5 năm 2026", "2480", "SCT-CN"),
]


@pytest.mark.parametrize("text, number, symbol", NUMBER_SYMBOL)
def test_number_and_symbol(text: str, number: str | None, symbol: str) -> None:
    record = extract(text)
    assert record.number == number
    assert record.symbol == symbol
    check_span(record, "symbol")


PLACE_DATE = [
    ("Lào Cai, ngày 15 tháng 9 năm 2026", "Lào Cai", "2026-09-15"),
    ("Phong Thổ, ngày tháng 5 năm 2024", "Phong Thổ", "2024-05"),
    ("Tam Đường, ngày      tháng      năm 2024", "Tam Đường", "2024"),
    ("Lào Cai, ngày 10 tháng 01năm 2026", "Lào Cai", "2026-01-10"),
    ("Lào Cai, ngày15 tháng 54 năm 2026", "Lào Cai", "2026-05-15"),  # a stamp digit glued to the month
    ("Số: 44 /CT-UBND Quảng Ngãi, ngày 11 tháng 9 năm 2024", "Quảng Ngãi", "2024-09-11"),
    ("   Lào Cai,  ngày       tháng 7 năm 2026", "Lào Cai", "2026-07"),
    ("Hà Nội, ngày 28\n\ntháng 4\n\nnăm 2026", "Hà Nội", "2026-04-28"),  # pdftotext broke the line
    ("Hà Nội, ngàyOẨ tháng 7 năm 2026", "Hà Nội", "2026-07"),  # a handwritten day OCR misread: left out
    ("Thành phố Hồ Chí Minh, ngày 02 tháng 3 năm 2025", "Thành phố Hồ Chí Minh", "2025-03-02"),
]


@pytest.mark.parametrize("text, place, date", PLACE_DATE)
def test_place_and_date(text: str, place: str, date: str) -> None:
    record = extract("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n" + text)
    assert (record.place, record.date) == (place, date)
    check_span(record, "date")


ISSUER = [
    (
        "**ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ**\n\n**CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc**\n"
        "\nSố: /UBND-NN",
        "Ủy ban nhân dân huyện Phong Thổ",
        None,
    ),
    # DOCX: the header table read column by column
    (
        "ỦY BAN NHÂN DÂN                                  TỈNH LÀO CAI\nSố:           /KH-UBND\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Ủy ban nhân dân tỉnh Lào Cai",
        None,
    ),
    (
        "UBND TỈNH LÀO CAI\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n––––––––––––––\n\n"
        "Độc lập - Tự do - Hạnh phúc\n\nSố:6791 /SNNMT-KHTC",
        "Sở Nông nghiệp và Môi trường",
        "Ủy ban nhân dân tỉnh Lào Cai",
    ),
    ("BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\n-------\nSố: 597/HC-QLHC", "Cục Hóa chất", "Bộ Công Thương"),
    # a digital-signature stamp printed above the header is not the issuer
    (
        "TRUNG TÂM CÔNG BÁO\nVÀ TIN HỌC\nttcbth@quangngai.gov.vn\n09.01.2025 10:21:11 +07:00\n\nỦY BAN NHÂN DÂN\n"
        "TỈNH QUẢNG NGÃI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 11 /TB-UBND",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        None,
    ),
    # OCR puts issuer and quốc hiệu on one line
    (
        "ỦY BAN NHÂN DÂN CỌNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nTỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 44 /CT-UBND Quảng Ngãi, ngày 11 tháng 9 năm 2024",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        None,
    ),
]


@pytest.mark.parametrize("text, issuer, parent", ISSUER)
def test_issuer_and_parent(text: str, issuer: str, parent: str | None) -> None:
    record = extract(text)
    assert record.issuer == issuer
    assert record.parent_issuer == parent
    check_span(record, "issuer")


def test_missing_issuer_line_is_inferred_from_the_text() -> None:
    text = (
        "Tam Đường, ngày      tháng      năm 2024\n\nKính gửi:\n- Các cơ quan, đơn vị huyện;\n"
        "- Ủy ban nhân dân các xã.\nĐể tiếp tục nâng cao chất lượng ..., Chủ tịch Ủy ban nhân dân huyện yêu cầu "
        "các cơ quan ban, ngành, đoàn thể huyện thực hiện một số nhiệm vụ sau:"
    )
    record = extract(text)
    assert record.issuer == "Ủy ban nhân dân huyện Tam Đường"
    assert record.doc_type == "Công văn"


def test_no_header_at_all_gives_nulls_not_errors() -> None:
    record = extract("Một đoạn văn bản không có phần đầu.")
    assert (record.issuer, record.number, record.symbol, record.date) == (None, None, None, None)


def test_an_unreadable_number_is_null_with_a_warning() -> None:
    from models import Source
    from pipeline.extract import UNREADABLE_NUMBER

    source = Source(path="w.pdf", name="w.pdf", sha256="0", format="pdf")
    text = normalize_text("BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: Ả € 1 /GP-BKHCN Hà Nội, ngày 21 tháng 5 năm 2024\n")
    record = record_from_text(text, source)
    assert record.number is None and UNREADABLE_NUMBER in record.source.warnings
    blank = record_from_text(
        normalize_text("SỞ CÔNG THƯƠNG\nSố:      /KH-SCT\nLào Cai, ngày tháng 7 năm 2026\n"), source
    )
    assert blank.number is None and UNREADABLE_NUMBER not in blank.source.warnings  # a draft's blank số


# What the header does not print is null: capitals that name no body are not an issuer, and a number in a
# body table is not the số (shapes of the wild originals: forms, annexes, standards, licences)
NOT_PRINTED = [
    "(TÊN TỔ CHỨC ĐỀ NGHỊ)\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBẢNG KÊ\nDanh sách",
    "PHỤ LỤC VIII\nCẮT GIẢM, PHÂN QUYỀN, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH\nI. Thủ tục cấp tỉnh",
    "TIÊU CHUẨN VIỆT NAM\nTCVN 5507:2002\nHÓA CHẤT NGUY HIỂM – QUI PHẠM AN TOÀN",
    "1\tNguyễn Văn Khánh, số định danh: 026077001127\tSố 310156018502; có giá trị đến 2030",
    "V/v triển khai Quyết định 123/QĐ-UBND\nKính gửi: Sở Y tế",  # a cited số is not its own
]

# a stamped số OCR cannot read, and the body cites another document at the head of a line (wild w063):
# the citation is not the dispatch's số
CITED_IN_BODY = (
    "BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    'sẽ? 6 BCT-ATMT =- "%1. -SẮs—\n\nKính gửi: Ủy ban nhân dân các tỉnh, thành phố\n\n'
    "Ngày 25 tháng 3 năm 2026, Bộ Công Thương ban hành Thông tư số\n"
    "15/2026/TT-BCT ngày 25 tháng 3 năm 2026 về việc sửa đổi, bổ sung một số\n"
)


def test_a_number_cited_in_the_body_is_not_the_dispatchs() -> None:
    record = extract(CITED_IN_BODY)
    assert (record.number, record.symbol) == (None, None)
    assert record.issuer == "Bộ Công Thương"


@pytest.mark.parametrize("text", NOT_PRINTED)
def test_what_the_header_does_not_print_is_null(text: str) -> None:
    record = extract(text)
    assert (record.issuer, record.number) == (None, None)


DOC_TYPE = [
    ("Số: 11 /TB-UBND\nQuảng Ngãi, ngày 08 tháng 01 năm 2025\nTHÔNG BÁO\nKết luận của Phó Chủ tịch", "Thông báo"),
    ("Số: /KH-UBND\nSi Ma Cai, ngày tháng 01 năm 2024\n\nKẾ HOẠCH\n\nTriển khai thực hiện", "Kế hoạch"),
    ("Số: 1696 /QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ủy quyền", "Quyết định"),
    ("Số: 7432 /UBND-XD\nV/v triển khai thực hiện Quyết định số 1074/QĐ-BXD", "Công văn"),
    ("Số: 44 /CT-UBND\nnội dung không có tiêu đề", "Chỉ thị"),  # from the type code in the ký hiệu
    ("Số: /UBND-KT\nV/v xây dựng Kế hoạch thực hiện Chương trình", "Công văn"),  # "Kế hoạch" inside V/v
    # OCR reads Ấ as Á in capitals (wild w076, w077)
    ("BỘ CÔNG THƯƠNG\nSỐ: œ2 đGP-BCT Độc lập = Tự do = Hạnh phúc\n\nGIÁY PHÉP\nVẬN CHUYÊN HÀNG HÓA", "Giấy phép"),
    # a law site's banner above the header is not the title (wild w058)
    (
        "VĂN BẢN QUY PHẠM PHÁP LUẬT\n\nBỘ CÔNG AN\n\nSố: 16/2018/TT-BCA\n\nHà Nội, ngày 15 tháng 5 năm 2018\n\n"
        "THÔNG TƯ\nQuy định chi tiết một số điều",
        "Thông tư",
    ),
    # a file that is an annex: its heading, then "(Kèm theo ...)" (wild w070, w072: OCR of scans)
    ("Phụ lục IH\nHÃN, BIÊU TRƯNG HÀNG HÓA NGUY HIỄM\n(Kèm theo Nghị định số 161/2024/NĐ-CP", "Phụ lục"),
    (
        "Phụ lục IVa\nĐÈ NGHỊ ĐIÈU CHỈNH THÔNG TIÑ TRÊN GIÁY PHÉP\nVẬN CHUYÊN HÀNG NGUY HIẾM (....)\n"
        "(Kèm theo Nghị định số 161/2024/NĐ-CP\nngày 18 tháng 12 năm 2024 của Chính phủ)\n\n"
        "GIÁY ĐÈ NGHỊ ĐIỀU CHỈNH THÔNG TIN TRÊN\nGIÁY PHÉP VẬN CHUYÊN HÀNG NGUY HIẾM\n\nKính gửi: seo",
        "Phụ lục",
    ),
]


@pytest.mark.parametrize("text, doc_type", DOC_TYPE)
def test_doc_type(text: str, doc_type: str) -> None:
    assert extract(text).doc_type == doc_type


ABSTRACT = [
    (
        "Số: /UBND-NN\nV/v triển khai thực hiện Chỉ thị\nsố 04/CT-UBND ngày 17/4/2024\ncủa UBND tỉnh Lai Châu\n\n"
        "Phong Thổ, ngày tháng 5 năm 2024",
        "Triển khai thực hiện Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu",
    ),
    (
        "Số: 193 /UBND-KT\n\nLào Cai, ngày 10 tháng 01năm 2026\n\nĐộc lập - Tự do - Hạnh phúc\n\nV/v tăng cường công tác quản\n"
        "lý, giám sát hoạt động VLNCN,\nTCTN trên địa bàn tỉnh\n\nKính gửi:",
        "Tăng cường công tác quản lý, giám sát hoạt động VLNCN, TCTN trên địa bàn tỉnh",
    ),
    (
        "Số: 11 /TB-UBND\nTHÔNG BÁO\nKết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe\n"
        "báo cáo về tình hình cổ phần hóa\nNgày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp",
        "Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe báo cáo về tình hình cổ phần hóa",
    ),
    (
        "QUYẾT ĐỊNH\nVề việc ủy quyền cho Giám đốc Sở Công Thương\nthực hiện một số nhiệm vụ\n"
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nCăn cứ Luật Tổ chức chính quyền địa phương",
        "Ủy quyền cho Giám đốc Sở Công Thương thực hiện một số nhiệm vụ",
    ),
    (
        "Số:           /UBND-KT\t\t         Lào Cai, ngày       tháng       năm 2026\n"
        "V/v tăng cường công tác quản lý bảo vệ khoáng sản chưa khai thác trên địa bàn\t\t\n\n         Kính gửi:",
        "Tăng cường công tác quản lý bảo vệ khoáng sản chưa khai thác trên địa bàn",
    ),
]


ABSTRACT.append(  # OCR of a scan reads "Về việc" as "Và việc"
    (
        "Số: 44 /CT-UBND Quảng Ngãi, ngày 11 tháng 9 năm 2024\nCHỈ THỊ\n\nVà việc tăng cường các biện pháp đảm bảo an toàn\n\n"
        "Cơn bão số 3 và mưa lũ",
        "Tăng cường các biện pháp đảm bảo an toàn",
    )
)


@pytest.mark.parametrize("text, abstract", ABSTRACT)
def test_abstract(text: str, abstract: str) -> None:
    record = extract(text)
    assert record.abstract == abstract
    check_span(record, "abstract")
