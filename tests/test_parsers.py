"""Readers: real files where they exist, DOCX built here with python-docx, and broken input."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from parsers import ParseError, read_document
from pipeline import extract_file


def make_dispatch_docx(path: Path) -> Path:
    """A công văn laid out as Word templates do: header and signature in borderless tables."""
    document = docx.Document()
    header = document.add_table(rows=3, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 2496 /UBND-KT"
    header.cell(1, 1).text = "Lào Cai, ngày 06 tháng 4 năm 2026"
    header.cell(2, 0).text = "V/v triển khai thực hiện thủ tục cấp Giấy phép vận chuyển hàng hoá nguy hiểm"
    document.add_paragraph("Kính gửi: Sở Công Thương.")
    document.add_paragraph(
        "Giao Sở Công Thương chủ trì, phối hợp với các cơ quan, đơn vị, địa phương triển khai "
        "thực hiện và báo cáo Uỷ ban nhân dân tỉnh trước ngày 15/4/2026."
    )
    tasks = document.add_table(rows=2, cols=4)
    for i, text in enumerate(["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"]):
        tasks.cell(0, i).text = text
    for i, text in enumerate(["1", "Rà soát quy định", "Sở Công Thương", "Quý III/2026"]):
        tasks.cell(1, i).text = text
    footer = document.add_table(rows=1, cols=2)
    footer.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT."
    footer.cell(0, 1).text = "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\n\nBùi Ngọc Hùng"
    document.save(path)
    return path


def test_docx_header_table_comes_out_as_two_blocks(tmp_path: Path) -> None:
    parsed = read_document(make_dispatch_docx(tmp_path / "cv.docx"))
    text = parsed.text
    # the left column, then the right one: never "ỦY BAN NHÂN DÂN CỘNG HÒA ..." on one line
    assert "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 2496 /UBND-KT\nV/v" in text
    assert text.index("Lào Cai, ngày 06") > text.index("V/v triển khai")
    assert "hóa nguy hiểm" in text  # old-style "hoá" normalized
    assert "1\tRà soát quy định\tSở Công Thương\tQuý III/2026" in text  # a data table stays row by row


def test_docx_record(tmp_path: Path) -> None:
    record = extract_file(make_dispatch_docx(tmp_path / "cv.docx"))
    assert (record.issuer, record.number, record.symbol) == ("Ủy ban nhân dân tỉnh Lào Cai", "2496", "UBND-KT")
    assert (record.place, record.date, record.doc_type) == ("Lào Cai", "2026-04-06", "Công văn")
    assert record.recipients == ["Sở Công Thương"]
    assert (record.signer.name, record.signer.position, record.signer.authority) == (
        "Bùi Ngọc Hùng",
        "Phó Chánh Văn phòng",
        "KT.",
    )
    assert record.source.format == "docx" and len(record.source.sha256) == 64


def test_signed_pdf_stamps_are_read(dev_dir: Path) -> None:
    """The số and day of 008.pdf are signature-field appearances, not page text."""
    record = extract_file(dev_dir / "files" / "008.pdf")
    assert (record.number, record.symbol, record.date) == ("7432", "UBND-XD", "2026-07-21")


def test_pdf_two_column_header_is_not_interleaved(dev_dir: Path) -> None:
    text = read_document(dev_dir / "files" / "002.pdf").text
    assert "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 11 /TB-UBND" in text
    assert not re.search(r"DÂN\s+CỘNG HÒA", text)


def test_pdf_lines_and_pages_joined(dev_dir: Path) -> None:
    parsed = read_document(dev_dir / "files" / "008.pdf")
    assert parsed.pages == 2
    # a body paragraph broken over lines comes back as one line
    assert "Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành Quyết định số 1074/QĐ-BXD về việc ban hành" in parsed.text
    assert not any(re.fullmatch(r"\s*\d{1,3}\s*", line) for line in parsed.text.splitlines())


# the số and day of a signed PDF are stamps that only pdfium can flatten into text, so they are not compared
HEADER_FIELDS = ("issuer", "symbol", "place", "doc_type", "abstract", "recipients")


@pytest.mark.parametrize("name", ["001.pdf", "002.pdf", "007.pdf", "014.pdf", "030.pdf"])
def test_pdfplumber_fallback_reads_the_same_header(dev_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """pdfium reads; pdfplumber takes over for PDFs pdfium refuses. Both must yield the same header."""
    import parsers.pdf

    fast = extract_file(dev_dir / "files" / name)
    monkeypatch.setattr(parsers.pdf, "_open_pdfium", lambda path, data: None)
    slow = extract_file(dev_dir / "files" / name)
    assert [getattr(slow, f) for f in HEADER_FIELDS] == [getattr(fast, f) for f in HEADER_FIELDS]
    assert fast.issuer and fast.symbol and fast.abstract  # not two empty records agreeing


def test_pdf_line_end_hyphen_marks_become_hyphens(dev_dir: Path) -> None:
    """pdfium marks a hyphen that ends a line as U+FFFE; the text must keep a plain hyphen."""
    text = read_document(dev_dir / "files" / "001.pdf").text
    assert "5969/QĐ- UBND" in text and "\ufffe" not in text


BROKEN = [
    ("empty.txt", b"", "file is empty"),
    ("binary.txt", b"\x00\x01\x02" * 50, "binary content"),
    ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", "DOCX"),
    ("notes.xyz", b"hello", "unsupported file type"),
]


@pytest.mark.parametrize("name, data, reason", BROKEN)
def test_broken_files_raise_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError) as info:
        read_document(path)
    assert reason in info.value.reason
    assert name in str(info.value)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters with their hat or horn whole, and tone marks apart."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    for base, mark, whole in (
        ("u", "\u031b", "ư"),
        ("o", "\u031b", "ơ"),
        ("a", "\u0306", "ă"),
        ("a", "\u0302", "â"),
        ("e", "\u0302", "ê"),
        ("o", "\u0302", "ô"),
        ("U", "\u031b", "Ư"),
        ("O", "\u031b", "Ơ"),
    ):
        decomposed = decomposed.replace(base + mark, whole)
    return decomposed.encode("cp1258")


def test_legacy_code_page_text(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.txt"
    path.write_bytes(to_cp1258("Kính gửi: Sở Tài chính, Ủy ban nhân dân."))
    assert "Kính gửi: Sở Tài chính, Ủy ban nhân dân." in read_document(path).text


def test_a_garbled_text_file_is_refused_with_its_reason(tmp_path) -> None:
    """Text copied out of a PDF with a broken font map ("6ӣ công 7+ѭѫ1…"): an error row naming the
    cause, not seventy tasks made of noise."""
    from parsers import ParseError, read_document

    path = tmp_path / "copied.txt"
    path.write_text("8Ӹ%$1 1+Æ1 'Æ1 +8<ӊ1 6Ӣ 1*+Ƭ 7+ѬӠ1*\n" * 40 + "Số: 12/UBND-KT\n", encoding="utf-8")
    with pytest.raises(ParseError, match="garbled"):
        read_document(path)


TITLES = [
    ({"doc_type": "Công văn", "number": "7432", "symbol": "UBND-XD"}, "Công văn 7432/UBND-XD"),
    (
        {"doc_type": "Kế hoạch", "symbol": "KH-UBND", "abstract": "Triển khai thực hiện Chỉ thị số 11-CT/TU"},
        "Kế hoạch .../KH-UBND: Triển khai thực hiện Chỉ thị số 11-CT/TU",
    ),
    ({"doc_type": "Công văn"}, "Công văn (003.txt)"),  # the hash an export added to the name is left out
]


@pytest.mark.parametrize(("fields", "title"), TITLES)
def test_titles_name_the_document_not_the_file_hash(fields: dict, title: str) -> None:
    from congvan.store import title_of
    from models import DispatchRecord, Source

    source = Source(path="/a/003_29f1b7b7db62c20b.txt", name="003_29f1b7b7db62c20b.txt", sha256="0", format="txt")
    record = DispatchRecord(pipeline_version="t", source=source, **fields)
    assert title_of(record) == title


NOT_DOCUMENTS = [
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "this is a JPEG image, not a document"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "this is a PNG image, not a document"),
    ("cong-van.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "this is a JPEG image, not a PDF file"),
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, "this is a Windows program"),
]


@pytest.mark.parametrize(("name", "content", "reason"), NOT_DOCUMENTS)
def test_a_file_that_is_not_a_document_says_what_it_is(tmp_path, name: str, content: bytes, reason: str) -> None:
    from parsers import ParseError, read_document

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParseError, match=reason):
        read_document(path)


def test_a_text_layer_without_diacritics_is_read_again_by_ocr() -> None:
    """A scan whose OCR layer lost every tone mark ("BO CONG THIJoNG"; wild w028, read in place): the
    pages are read by Tesseract and the header comes back."""
    import shutil

    from conftest import SHARED, require, require_tool

    from parsers import read_document

    path = require(SHARED / "corpus" / "wild" / "w028.pdf", "the wild originals")
    require_tool(shutil.which("tesseract") is not None, "tesseract is not installed (make install-system)")
    parsed = read_document(path)
    assert 1 in parsed.ocr_pages
    assert any("without Vietnamese diacritics" in w for w in parsed.warnings)
    assert "BỘ CÔNG THƯƠNG" in parsed.text[:200]


def test_a_long_scan_reads_its_first_and_last_pages(monkeypatch) -> None:
    """Past the OCR budget, the pages in the middle of a scan are left (with a warning naming them), not
    the signature at its end (dev 048, a five-page scan, read in place, under a budget of four pages)."""
    import shutil

    from conftest import SHARED, require, require_tool

    from parsers import ocr, read_document

    path = require(SHARED / "corpus" / "dev" / "files" / "048.pdf", "the dev originals")
    require_tool(shutil.which("tesseract") is not None, "tesseract is not installed (make install-system)")
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 4)
    parsed = read_document(path)
    assert parsed.ocr_pages == [1, 3, 4, 5]
    assert any(w.startswith("page 2: not read by OCR (a long scan") for w in parsed.warnings)


def test_pages_read_side_by_side_come_out_in_order(monkeypatch) -> None:
    """A scan's pages are read by several Tesseract processes at once (one thread each); the text is the
    one a page-by-page reading gives, in page order (dev 029, a two-page scan, read in place)."""
    import shutil

    from conftest import SHARED, require, require_tool

    from parsers import ocr, read_document

    path = require(SHARED / "corpus" / "dev" / "files" / "029.pdf", "the dev originals")
    require_tool(shutil.which("tesseract") is not None, "tesseract is not installed (make install-system)")
    monkeypatch.setenv(ocr.THREADS_ENV, "1")
    one = read_document(path)
    monkeypatch.setenv(ocr.THREADS_ENV, "2")
    two = read_document(path)
    assert one.ocr_pages == two.ocr_pages == [1, 2]
    assert one.text == two.text
