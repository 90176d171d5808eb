"""OCR of scanned pages with Tesseract and its Vietnamese data (Debian: tesseract-ocr, tesseract-ocr-vie).

Pages are rendered with pdfium at 300 dpi, which keeps the tone marks legible, and read with
``tesseract -l vie``. Each page has a time bound; a document has a bound on how many pages are read.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata

DPI = 300
PAGE_TIMEOUT_S = 120
MAX_OCR_PAGES = 40


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese data is not installed."""


def disabled() -> bool:
    """CONGVAN_OCR=off turns OCR off (scans then fail with a reason instead of taking minutes)."""
    return os.environ.get("CONGVAN_OCR", "").lower() in ("off", "0", "no", "false")


def available() -> bool:
    if disabled() or not shutil.which("tesseract"):
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in langs.split()


def ocr_page(pdf_page) -> str:
    """Text of one pypdfium2 page, by Tesseract."""
    if disabled():
        raise OcrUnavailable("OCR is switched off (CONGVAN_OCR=off)")
    if not shutil.which("tesseract"):
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)")
    image = pdf_page.render(scale=DPI / 72, grayscale=True).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "vie"],
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise TimeoutError(f"OCR of a page took longer than {PAGE_TIMEOUT_S} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        if "vie" in message[0] and "Failed loading language" in message[0]:
            raise OcrUnavailable("Tesseract's Vietnamese data is missing (apt-get install tesseract-ocr-vie)")
        raise RuntimeError(f"tesseract failed: {message[0]}")
    return done.stdout.decode("utf-8", "replace")


def garbled_share(text: str) -> float:
    """Share of letters that cannot be Vietnamese (Cyrillic and other scripts from broken font maps,
    pdfminer's "(cid:NN)" placeholders): high for mojibake such as "6ӣ công 7+ѭѫ1"."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    odd = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    odd += 3 * text.count("(cid:")
    return odd / len(letters)
