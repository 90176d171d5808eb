"""OCR of scanned pages with Tesseract and its Vietnamese data (Debian: tesseract-ocr, tesseract-ocr-vie).

Pages are rendered with pdfium at 300 dpi, which keeps the tone marks legible, and read with
``tesseract -l vie`` on one thread each (``OMP_THREAD_LIMIT=1``), several pages at once.

Why one thread each: Debian's Tesseract spreads every page over OpenMP threads, which on two cores,
beside another worker doing the same, spin against each other: a page took 5.9 s so, 1.6 s on one thread.
Pages are parallel instead (``threads()``; ingest's workers read one page at a time, since the cores are
shared among them already). ``make bench`` measures both ways on the same pages.

Tesseract's C API (tesserocr, whose wheel brings Tesseract 5.5) read a page in 1.05 s, but on the dev
scans it read two handwritten numbers as wrong ones ("575" as "9", "660" as "60") where the command,
Debian's 5.3, leaves them empty: the command is kept.

Each page has a time bound; a document has a bound on how many pages are read.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cache

DPI = 300
PAGE_TIMEOUT_S = 120
MAX_OCR_PAGES = 40
THREADS_ENV = "CONGVAN_OCR_THREADS"  # pages read at once by one process (ingest's workers read one each)


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese data is not installed."""


def disabled() -> bool:
    """CONGVAN_OCR=off turns OCR off (scans then fail with a reason instead of taking minutes)."""
    return os.environ.get("CONGVAN_OCR", "").lower() in ("off", "0", "no", "false")


@cache
def _has_vietnamese() -> bool:
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in langs.split()


def available() -> bool:
    return not disabled() and bool(shutil.which("tesseract")) and _has_vietnamese()


def threads() -> int:
    """How many pages one process reads at once: CONGVAN_OCR_THREADS, else every core (ingest's workers
    set 1: the cores are already shared among them)."""
    try:
        return max(1, int(os.environ.get(THREADS_ENV, "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


def render(pdf_page, dpi: int = DPI):
    """The page as a grayscale image (pdfium is not thread-safe: render on the reading thread)."""
    if disabled():
        raise OcrUnavailable("OCR is switched off (CONGVAN_OCR=off)")
    if not shutil.which("tesseract"):
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)")
    return pdf_page.render(scale=dpi / 72, grayscale=True).to_pil()


def read_image(image, omp_threads: str | None = "1") -> str:
    """Text of one rendered page by ``tesseract`` (safe from several threads: a process each).
    ``omp_threads=None`` leaves Tesseract its OpenMP threads (the way pages were read before 0.5.0)."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT=omp_threads) if omp_threads else None
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "vie"],
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT_S,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        raise TimeoutError(f"OCR of a page took longer than {PAGE_TIMEOUT_S} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        if "vie" in message[0] and "Failed loading language" in message[0]:
            raise OcrUnavailable("Tesseract's Vietnamese data is missing (apt-get install tesseract-ocr-vie)")
        raise RuntimeError(f"tesseract failed: {message[0]}")
    return done.stdout.decode("utf-8", "replace")


# letters, not the digits Unicode counts as alphanumeric: superscripts (m²), fractions, roman numerals,
# circled and parenthesised numbers
NUMBER_FORMS = "\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793"
LETTER = re.compile(f"[^\\W\\d_{NUMBER_FORMS}]")
# letters of the Latin blocks (Basic, Latin-1, Extended-A/B, IPA, phonetic, Extended Additional, -C/-D/-E,
# fullwidth): every Vietnamese letter is among them; counted by regular expressions, in C, because a
# Python loop over the letters of a long text took longer than reading it
_NOT_LATIN = re.compile(
    "[^\\W\\d_A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1d00-\u1d7f\u1e00-\u1eff"
    "\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a" + NUMBER_FORMS + "]"
)


def garbled_share(text: str) -> float:
    """Share of letters that cannot be Vietnamese (Cyrillic and other scripts from broken font maps,
    pdfminer's "(cid:NN)" placeholders): high for mojibake such as "6ӣ công 7+ѭѫ1"."""
    letters = len(LETTER.findall(text))
    if not letters:
        return 0.0
    odd = len(_NOT_LATIN.findall(text)) + 3 * text.count("(cid:")
    return odd / letters
