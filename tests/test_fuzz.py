"""500 mutated and random inputs through every reader: a reason or a document, never a crash or a hang.

Seeded, so a failure reproduces. OCR is switched off here (it is tested on real scans elsewhere): a
mutated PDF whose text layer breaks would otherwise be sent to Tesseract page by page.
"""

from __future__ import annotations

import io
import random
import signal
import zipfile
from pathlib import Path

import docx
from conftest import require_tool

from parsers import ParseError, read_document
from pipeline import record_from_parsed

PER_INPUT_BOUND_S = 60


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.choice(["flip", "truncate", "insert", "splice", "zero"])
    if kind == "flip":
        for _ in range(rng.randint(1, 50)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data) + 1)]
    elif kind == "insert":
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.randbytes(rng.randint(1, 500))
    elif kind == "splice":
        a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
        data[a:b] = data[a:b][::-1]
    else:
        a = rng.randrange(len(data) + 1)
        data[a : a + rng.randint(1, 2000)] = bytes(min(2000, len(data) - a))
    return bytes(data)


def _docx_bytes() -> bytes:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(1, 0).text = "Số: 12/UBND-KT"
    table.cell(1, 1).text = "Lào Cai, ngày 05 tháng 6 năm 2026"
    document.add_paragraph("Kính gửi: Sở Công Thương.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _broken_xml_docx(data: bytes, rng: random.Random) -> bytes:
    """A valid zip whose document.xml is mutated: the XML parser, not the unzipper, has to cope."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = _mutate(content, rng)
            target.writestr(item, content)
    return out.getvalue()


def _small_pdf(tmp_path: Path, docx_bytes: bytes) -> bytes:
    """A one-page born-digital PDF made by LibreOffice: small, so 100 mutations of it parse quickly."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice is not installed: it makes the PDF to mutate (make install-system)")
    source = tmp_path / "sample.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "sample.pdf").read_bytes()


def _alarm(signum, frame):
    raise TimeoutError(f"a reader took longer than {PER_INPUT_BOUND_S} s")


def test_fuzz_every_reader(tmp_path: Path, seeds: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONGVAN_OCR", "off")
    rng = random.Random(20261123)
    samples = {
        ".txt": next(seeds.glob("000_*.txt")).read_bytes(),
        ".md": next(seeds.glob("004_*.txt")).read_bytes(),
        ".docx": _docx_bytes(),
    }
    samples[".pdf"] = _small_pdf(tmp_path, samples[".docx"])
    cases: list[tuple[str, bytes]] = []
    for suffix, data in samples.items():
        cases += [(suffix, _mutate(data, rng)) for _ in range(100)]
    cases += [(".docx", _broken_xml_docx(samples[".docx"], rng)) for _ in range(50)]
    cases += [
        (rng.choice([".txt", ".md", ".docx", ".pdf", ".doc"]), rng.randbytes(rng.randint(0, 5000))) for _ in range(50)
    ]
    assert len(cases) == 500
    previous = signal.signal(signal.SIGALRM, _alarm)
    outcomes = {"document": 0, "reason": 0}
    try:
        for i, (suffix, data) in enumerate(cases):
            path = tmp_path / f"case{i:03d}{suffix}"
            path.write_bytes(data)
            signal.alarm(PER_INPUT_BOUND_S)
            try:
                record_from_parsed(read_document(path))
                outcomes["document"] += 1
            except ParseError as exc:
                assert exc.reason and path.name in str(exc)
                outcomes["reason"] += 1
            finally:
                signal.alarm(0)
                path.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert outcomes["document"] + outcomes["reason"] == 500
    assert outcomes["document"] > 100 and outcomes["reason"] > 100  # both paths really exercised
