"""Every file an archive holds: legacy encodings, legacy Word, scans, and hostile input."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import require_tool

from congvan.ingest import Limits, ingest
from parsers import ParseError, read_document
from parsers.legacy import to_unicode
from parsers.ocr import available as ocr_available
from parsers.ocr import garbled_share
from pipeline import extract_file
from pipeline.extract import nlp

LEGACY = [
    ("Uû ban nh©n d©n tØnh Lµo Cai", "Uỷ ban nhân dân tỉnh Lào Cai", "tcvn3"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3"),
    ("UÛy ban nhaân daân tænh Laøo Cai", "Ủy ban nhân dân tỉnh Lào Cai", "vni"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc", "vni"),
    ("Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "viqr"),
    ("DDo^.c la^.p - Tu+. do - Ha.nh phu'c.", "Độc lập - Tự do - Hạnh phúc.", "viqr"),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", None),
    ("PHÓ CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", None),  # Latin-1 letters Vietnamese uses itself
    ("Meeting notes: agenda, minutes.", "Meeting notes: agenda, minutes.", None),
]


@pytest.mark.parametrize("legacy, unicode, kind", LEGACY)
def test_legacy_encodings(legacy: str, unicode: str, kind: str | None) -> None:
    assert to_unicode(legacy) == (unicode, kind)


def test_legacy_text_file_is_converted_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "tcvn3.txt"
    path.write_bytes("Uû ban nh©n d©n huyÖn Phong Thæ\nKÝnh göi: Phßng Tµi chÝnh - KÕ ho¹ch.".encode("latin-1"))
    parsed = read_document(path)
    assert parsed.text.startswith("Ủy ban nhân dân huyện Phong Thổ")  # and modern tone marks
    assert "Kính gửi: Phòng Tài chính - Kế hoạch." in parsed.text
    assert parsed.warnings == ["converted from tcvn3"]


def test_docx_paragraph_in_a_vntime_font(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Uû ban nh©n d©n tØnh Lµo Cai")
    document.add_paragraph("Kính gửi: Sở Tài chính, Sở Xây dựng.")  # Unicode beside it
    document.save(tmp_path / "mixed.docx")
    parsed = read_document(tmp_path / "mixed.docx")
    assert parsed.text.splitlines() == ["Ủy ban nhân dân tỉnh Lào Cai", "Kính gửi: Sở Tài chính, Sở Xây dựng."]


def test_legacy_doc_through_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    document = docx.Document()
    for line in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: 321/UBND-KT",
        "Lào Cai, ngày 05 tháng 6 năm 2026",
        "V/v kiểm tra an toàn hóa chất",
        "Kính gửi: Sở Công Thương.",
    ):
        document.add_paragraph(line)
    document.save(tmp_path / "source.docx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "old"),
            str(tmp_path / "source.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    record = extract_file(tmp_path / "old" / "source.doc")
    assert record.source.format == "doc"
    assert (record.issuer, record.number, record.symbol, record.date) == (
        "Ủy ban nhân dân tỉnh Lào Cai",
        "321",
        "UBND-KT",
        "2026-06-05",
    )


def test_scanned_pdf_is_read_by_ocr(dev_dir: Path) -> None:
    require_tool(ocr_available(), "Tesseract with Vietnamese data is not installed (tesseract-ocr tesseract-ocr-vie)")
    record = extract_file(dev_dir / "files" / "022.pdf")
    assert record.source.ocr_pages == [1, 2, 3]
    assert (record.number, record.symbol, record.doc_type) == ("44", "CT-UBND", "Chỉ thị")
    assert record.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"


def test_mojibake_is_detected(dev_dir: Path) -> None:
    import pdfplumber

    with pdfplumber.open(dev_dir / "files" / "033.pdf") as pdf:
        garbled = pdf.pages[0].extract_text()
    with pdfplumber.open(dev_dir / "files" / "008.pdf") as pdf:
        clean = pdf.pages[0].extract_text()
    assert garbled_share(garbled) > 0.05 > garbled_share(clean)


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:t>" + b"A" * (450 * 1024 * 1024) + b"</w:t>")
    return path


def _encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="mật khẩu", owner_password="chủ")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as fh:
        fh.truncate(201 * 1024 * 1024)  # sparse: takes no disk
    return path


HOSTILE = [
    ("bomb.docx", _zip_bomb, "zip bomb"),
    ("locked.pdf", _encrypted_pdf, "encrypted"),
    ("huge.txt", _huge, "larger than 200 MiB"),
    (
        "picture.pdf",
        lambda p: (p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), p)[1],
        "this is a PNG image, not a PDF file",
    ),
    ("empty.docx", lambda p: (p.write_bytes(b""), p)[1], "file is empty"),
    ("noise.doc", lambda p: (p.write_bytes(b"GIF89a" + os.urandom(4096)), p)[1], "not a DOC file"),
]


@pytest.mark.parametrize("name, make, reason", HOSTILE)
def test_hostile_files_fail_fast_with_a_reason(tmp_path: Path, name: str, make, reason: str) -> None:
    path = make(tmp_path / name)
    with pytest.raises(ParseError) as info:
        read_document(path)
    assert reason in info.value.reason and info.value.reason


@pytest.mark.parametrize("by_url", [False, True])
def test_time_bound_stops_a_document_and_the_batch_goes_on(
    tmp_path: Path, seeds: Path, dev_dir: Path, monkeypatch, by_url: bool
) -> None:
    """The stopped document is an error row, the others load, and nothing it left stays behind (read by
    URL, it was reading a temporary copy when it was stopped)."""
    import tempfile

    require_tool(ocr_available(), "Tesseract with Vietnamese data is not installed (tesseract-ocr tesseract-ocr-vie)")
    # a 3-page scan: OCR takes seconds a page, loaded or not; a seed takes a few hundredths of a second in
    # a worker forked after the pipeline was built (ingest builds it first), so the bound is ten times
    # what a seed needs on a loaded machine and a fraction of one page's OCR
    shutil.copy(dev_dir / "files" / "022.pdf", seeds / "scan.pdf")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    db = tmp_path / "archive.db"
    source = seeds.resolve().as_uri() + "/" if by_url else seeds
    summary = ingest([source], db, limits=Limits(timeout_s=1.5), jobs=2)
    assert summary.count("loaded") == 5 and summary.count("failed") == 1
    assert list(temporary.iterdir()) == []
    with sqlite3.connect(db) as conn:
        ((reason,),) = conn.execute("select reason from errors").fetchall()
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert reason == "took longer than 1.5 s to read; stopped"


def _address_space_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    return 2048


def test_memory_bound_fails_the_document_not_the_batch(tmp_path: Path, seeds: Path) -> None:
    big = seeds / "zz_big.txt"
    big.write_text("Ủy ban nhân dân tỉnh Lào Cai giao nhiệm vụ.\n" * 450_000, encoding="utf-8")  # ~22 MB
    db = tmp_path / "archive.db"
    nlp()  # ingest builds the pipeline before forking: measure the address space with it built
    # workers are forked from this process: room for ordinary files, not for a 22 MB text (under the
    # 24 MiB a text file may have, so it is the memory bound that stops it)
    summary = ingest([seeds], db, limits=Limits(memory_mb=_address_space_mb() + 150), jobs=1)
    assert summary.count("loaded") == 5 and summary.count("failed") == 1
    with sqlite3.connect(db) as conn:
        ((name, reason),) = conn.execute("select name, reason from errors").fetchall()
    assert name == "zz_big.txt" and ("memory" in reason or "crashed" in reason), reason


def test_a_scratch_folder_that_is_gone_is_not_used(tmp_path: Path, monkeypatch) -> None:
    """A supervisor's scratch folder removed under a reader (a run that ended, a cleaner of /tmp) sends its
    temporary files to the system's folder instead of failing every URL and Word 97 file."""
    from parsers.base import SCRATCH_ENV, scratch

    monkeypatch.setenv(SCRATCH_ENV, str(tmp_path))
    assert scratch() == str(tmp_path)
    monkeypatch.setenv(SCRATCH_ENV, str(tmp_path / "gone"))
    assert scratch() is None
