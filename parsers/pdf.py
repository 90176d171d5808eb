"""Born-digital PDF: pdfium's text layer (through ``pypdfium2``), pdfplumber as the fallback reader.

Why pdfium first: it is pdfplumber's own rendering dependency, it reads text in C at the speed of
``pdftotext``, where pdfplumber's pure-Python content-stream interpreter (pdfminer) reads a few pages a
second. pdfplumber still reads the PDFs pdfium refuses to open. Both give the same thing: words with
their boxes, and the layout work below is done on those words.

Three things a plain text dump gets wrong, and this reader gets right:

* **Signed PDFs.** The số and the day of a signed dispatch are often stamped in by the signing software
  as form-field appearances, which are not page text. Pages with annotations are flattened with pdfium
  first, so those stamps become page text.
* **Two-column header and footer.** Issuer / số / trích yếu on the left and quốc hiệu / date on the right
  share baselines; reading across would interleave them. Lines are split where a wide gap separates
  words, and runs of lines with no text crossing the page centre are emitted column by column.
* **Broken lines.** Body lines that run to the right margin are joined to the next line, across page
  breaks too, so a paragraph comes out as one line; page numbers are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from . import ocr
from .base import ParsedDocument, ParseError
from .legacy import vietnamese_share
from .normalize import normalize_text

MIN_PAGE_LETTERS = 40  # fewer letters than this on a page: a scan (or a blank page)
MIN_VIETNAMESE_SHARE = 0.04  # Vietnamese text has a quarter or more of its letters marked; an unmarked layer ~0
OCR_LAST_PAGES = 3  # of a long scan, the last pages always read (the signature and Nơi nhận stand there)
MAX_GARBLED = 0.05  # a larger share of impossible letters: a broken font map, read by OCR instead

_LIST_MARKER = re.compile(r"^(?:[-+•–*]\s|[IVXLC]+\.\s|\d+(?:\.\d+)*\.?\s|[a-zđ]\)\s|Điều\s+\d)")
_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")


@dataclass
class _Word:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


@dataclass
class _Page:
    """One page as the layout code needs it: its width, its words, and whether it looks scanned."""

    width: float
    words: list[_Word]
    image_share: Callable[[], float]  # the largest image's share of the page area (a scan covers most)


@dataclass
class _Segment:
    x0: float
    x1: float
    text: str


@dataclass
class _Line:
    top: float
    bottom: float
    size: float
    segments: list[_Segment]

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


_PDFIUM_HYPHENS = "\ufffe\x02"  # pdfium's marks for a hyphen that ends a line


def _open_pdfium(path: Path, data: bytes):
    """The document opened by pdfium with its form environment (for flattening), or None if pdfium
    cannot parse it (pdfplumber gets a try). A password is an error either way."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ParseError(path, "PDF is encrypted with a password") from exc
        return None
    try:
        pdf.init_forms()
    except Exception:
        pass  # no form environment: stamps stay unread, the text is still there
    return pdf


def _pdfium_page(pdf, index: int):
    """Page ``index``, with its annotations (signing stamps, form fields) merged into the page text."""
    import pypdfium2.raw as raw

    page = pdf[index]
    if page.formenv and raw.FPDFPage_GetAnnotCount(page) > 0:
        try:
            flattened = page.flatten() == raw.FLATTEN_SUCCESS
        except Exception:
            flattened = False
        if flattened:  # pdfium shows the merged content only to a freshly loaded page
            page.close()
            page = pdf[index]
    return page


def _pdfium_words(page) -> _Page:
    """Words from pdfium's text page, grouped as pdfplumber groups them: a word ends at a space, where
    the baseline moves (a superscript, initials written under a line) or where a gap opens.

    One call reads the text; the per-character loop asks only for each character's box (a C call of a
    microsecond), which keeps reading near ``pdftotext``'s speed."""
    import ctypes

    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_mediabox()
    textpage = page.get_textpage()
    words: list[_Word] = []
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range() if n > 0 else ""
        if len(text) != n:  # pdfium's text view and its character list disagree: read char by char
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))
        rect = raw.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        char_box, font_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
        matrix = raw.FS_MATRIX()
        matrix_ref, text_matrix = ctypes.byref(matrix), raw.FPDFText_GetMatrix
        # the baseline is the character's origin, not its box: the box of "ậ" reaches below the line
        # (its dot), which split "Luật" into "Lu ật" in justified Word exports
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        origin_refs, char_origin = (ctypes.byref(origin_x), ctypes.byref(origin_y)), raw.FPDFText_GetCharOrigin
        chars: list[str] = []
        x0 = x1 = base = size = font = 0.0

        def close() -> None:
            if chars:
                words.append(_Word(x0 - left, x1 - left, top - base - size, top - base, size, "".join(chars)))
                chars.clear()

        for i, char in enumerate(text):
            if char.isspace() or char == "\x00":
                close()
                continue
            if char in _PDFIUM_HYPHENS:
                char = "-"
            char_box(textpage, i, rect_ref)
            baseline = origin_y.value if char_origin(textpage, i, *origin_refs) else rect.bottom
            char_size = font_size(textpage, i) or 1.0
            if chars and (
                abs(baseline - base) > 2.5
                or rect.left - x1 > 1.5
                or rect.left < x0
                or abs(char_size - font) > 0.15 * font
            ):
                close()
            if not chars:
                # the size a reader sees: the font size times the text matrix's scale (OCR text layers
                # set tiny fonts large and scale them down)
                x0, base, font = rect.left, baseline, char_size
                size = char_size
                if text_matrix(textpage, i, matrix_ref):
                    size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
            chars.append(char)
            x1 = rect.right
        close()
    finally:
        textpage.close()
    area = float((right - left) * (top - bottom)) or 1.0
    return _Page(float(right - left), words, lambda: _pdfium_image_share(page, area))


def _pdfium_image_share(page, area: float) -> float:
    """The largest image's share of the page (top-level objects, read through the raw API: wrapping
    every path of a drawing-heavy page in Python objects would cost more than reading its text)."""
    import ctypes

    import pypdfium2.raw as raw

    corners = [ctypes.c_float() for _ in range(4)]
    share = 0.0
    for j in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, j)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(
            obj, *map(ctypes.byref, corners)
        ):
            left, bottom, right, top = (c.value for c in corners)
            share = max(share, (right - left) * (top - bottom) / area)
    return share


def _plumber_words(page) -> _Page:
    """The same from pdfplumber (pdfminer), for PDFs pdfium refuses."""
    found = page.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False, extra_attrs=["size"])
    words = [_Word(w["x0"], w["x1"], w["top"], w["bottom"], w["size"], w["text"]) for w in found]
    area = float(page.width * page.height) or 1.0
    return _Page(
        float(page.width),
        words,
        lambda: max([(i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) / area for i in page.images], default=0.0),
    )


def _page_lines(words: list[_Word]) -> list[_Line]:
    words = sorted(words, key=lambda w: (round(w.top), w.x0))
    rows: list[list[_Word]] = []
    for word in words:
        if rows and abs(word.top - rows[-1][0].top) <= max(2.0, 0.45 * word.size):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        size = max(w.size for w in row)
        segments: list[_Segment] = []
        for word in row:
            if segments:
                last = segments[-1]
                gap = word.x0 - last.x1
                if gap <= 1.5 * size:
                    # signing stamps space the digits of a number apart: "7 4 3 2"
                    joined = (
                        gap < 0.8 * size
                        and last.text[-1:].isdigit()
                        and word.text[:1].isdigit()
                        and (len(word.text) == 1 or len(last.text.split()[-1]) == 1)
                    )
                    last.text += ("" if joined else " ") + word.text
                    last.x1 = word.x1
                    continue
            segments.append(_Segment(word.x0, word.x1, word.text))
        lines.append(_Line(min(w.top for w in row), max(w.bottom for w in row), size, segments))
    return lines


def _crosses(line: _Line, mid: float) -> bool:
    """Whether some text runs well across the page centre (body text does; header columns do not)."""
    margin = 0.1 * mid
    return any(s.x0 < mid - margin and s.x1 > mid + margin for s in line.segments)


def _page_blocks(lines: list[_Line], width: float) -> list[tuple[str, list[_Line] | list[str]]]:
    """Group lines into ('flow', lines) and ('columns', [left text, right text]) blocks."""
    mid = width / 2
    blocks: list[tuple[str, list]] = []
    zone: list[_Line] = []

    def close_zone() -> None:
        if not zone:
            return
        left = [" ".join(s.text for s in ln.segments if s.x1 <= mid + 8) for ln in zone]
        right = [" ".join(s.text for s in ln.segments if s.x1 > mid + 8) for ln in zone]
        left, right = [t for t in left if t], [t for t in right if t]
        if not right or not left:  # one column only: ordinary text that happens not to cross the centre
            if blocks and blocks[-1][0] == "flow" and not zone_gap[0]:
                blocks[-1][1].extend(zone)
            else:
                blocks.append(("flow", list(zone)))
        else:
            blocks.append(("columns", ["\n".join(left), "\n".join(right)]))
        zone.clear()

    previous: _Line | None = None
    zone_gap = [False]  # whether the open zone began after a large vertical gap
    for line in lines:
        big_gap = previous is not None and line.top - previous.bottom > 1.6 * line.size
        if not zone:
            zone_gap[0] = big_gap
        if _crosses(line, mid):
            close_zone()
            if blocks and blocks[-1][0] == "flow" and not big_gap:
                blocks[-1][1].append(line)
            else:
                blocks.append(("flow", [line]))
        else:
            if big_gap:
                close_zone()
            zone.append(line)
        previous = line
    close_zone()
    return blocks


def _join_flow(lines: list[_Line], right_margin: float, carry: str) -> tuple[list[str], str]:
    """Join wrapped lines into paragraphs; ``carry`` is an unfinished paragraph from the page before."""
    paragraphs: list[str] = []
    current = carry
    previous_full = bool(carry)
    for line in lines:
        text = line.text.strip()
        if current and previous_full and not _LIST_MARKER.match(text):
            current += " " + text
        else:
            if current:
                paragraphs.append(current)
            current = text
        previous_full = line.x1 >= right_margin - 1.5 * line.size
    if previous_full and current:
        return paragraphs, current
    if current:
        paragraphs.append(current)
    return paragraphs, ""


def _plumber_pages(path: Path, data: bytes):
    """(page count, iterator of _Page) from pdfplumber, or a ParseError saying why it cannot read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        raise ParseError(path, "PDF is encrypted with a password") from exc
    except PDFSyntaxError as exc:
        raise ParseError(path, f"not a valid PDF ({exc})") from exc
    except Exception as exc:
        causes = [exc, exc.__context__, *exc.args]
        if any(isinstance(c, PDFPasswordIncorrect) for c in causes) or "password" in str(exc).lower():
            raise ParseError(path, "PDF is encrypted with a password") from exc
        raise ParseError(path, f"not a valid PDF ({type(exc).__name__}: {exc})") from exc

    def pages():
        with pdf:
            for page in pdf.pages:
                yield _plumber_words(page), None

    return count, pages()


def _pdfium_pages(pdf):
    for index in range(len(pdf)):
        page = _pdfium_page(pdf, index)
        try:
            yield _pdfium_words(page), page
        finally:
            page.close()


@dataclass
class _Scan:
    """One page's text layer and whether the page is read by OCR instead."""

    number: int
    width: float
    lines: list[_Line]
    letters: int
    garbled: bool
    needs_ocr: bool


def _ocr_pages(pdf, numbers: list[int]) -> dict[int, str | Exception]:
    """The text of pages ``numbers`` (1-based) by OCR, several at once (``ocr.threads()``): pdfium renders
    on this thread, Tesseract reads on the pool's, a few pages ahead at most (each image is ~9 MB)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    results: dict[int, str | Exception] = {}
    if not numbers:
        return results
    if pdf is None:
        why = ocr.OcrUnavailable("pdfium cannot open this PDF to render its pages for OCR")
        return {n: why for n in numbers}
    workers = min(ocr.threads(), len(numbers))
    pending: dict[int, Future] = {}

    def collect(number: int) -> None:
        try:
            results[number] = pending.pop(number).result()
        except Exception as exc:  # OcrUnavailable, TimeoutError, a failed tesseract: said per page
            results[number] = exc

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        for number in numbers:
            try:
                page = _pdfium_page(pdf, number - 1)
                try:
                    image = ocr.render(page)
                finally:
                    page.close()
            except Exception as exc:
                results[number] = exc
                continue
            pending[number] = pool.submit(ocr.read_image, image)
            if len(pending) >= 2 * workers:
                collect(min(pending))
        for number in sorted(pending):
            collect(number)
    return results


def read_pdf(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    pdf = _open_pdfium(path, data)
    if pdf is not None:
        count, pages = len(pdf), _pdfium_pages(pdf)
    else:
        count, pages = _plumber_pages(path, data)
    parts: list[str] = []
    empty_pages: list[int] = []
    ocr_pages: list[int] = []
    warnings: list[str] = []
    carry = ""
    try:
        # first the text layers: which pages are scans (maybe under a signing stamp's few words),
        # mojibake, or a text layer without diacritics, to be read from their image
        scans: list[_Scan] = []
        for number, (page, _) in enumerate(pages, start=1):
            lines = [ln for ln in _page_lines(page.words) if ln.segments]
            page_text = " ".join(ln.text for ln in lines)
            letters = sum(c.isalpha() for c in page_text)
            garbled = ocr.garbled_share(page_text) > MAX_GARBLED
            # an OCR layer without tone marks ("BO CONG THIJoNG"): no Vietnamese page has so few
            unmarked = letters >= 200 and vietnamese_share(page_text) < MIN_VIETNAMESE_SHARE
            needs = letters < MIN_PAGE_LETTERS or garbled or unmarked or letters < 600 and page.image_share() > 0.5
            if garbled:
                warnings.append(f"page {number}: broken font encoding (mojibake); read by OCR")
            elif unmarked:
                warnings.append(f"page {number}: text layer without Vietnamese diacritics; read by OCR")
            scans.append(_Scan(number, page.width, lines, letters, garbled, needs))
        # a long scan: its first pages (the header, the directives) and its last ones (the signature,
        # Nơi nhận) are read; the middle beyond the budget is not
        wanted = [s.number for s in scans if s.needs_ocr]
        budget_first = ocr.MAX_OCR_PAGES - OCR_LAST_PAGES
        chosen = wanted if len(wanted) <= ocr.MAX_OCR_PAGES else wanted[:budget_first] + wanted[-OCR_LAST_PAGES:]
        for number in wanted:
            if number not in chosen:
                warnings.append(
                    f"page {number}: not read by OCR (a long scan: the first {budget_first} and the last "
                    f"{OCR_LAST_PAGES} pages that need it are read)"
                )
        read = _ocr_pages(pdf, chosen)
        for scan in scans:
            number, lines = scan.number, scan.lines
            if scan.needs_ocr:
                if number not in read:
                    continue  # beyond the budget (said above)
                result = read[number]
                text = ""
                if isinstance(result, ocr.OcrUnavailable):
                    if not scan.letters:
                        empty_pages.append(number)
                        if not warnings or str(result) not in warnings[-1]:
                            warnings.append(str(result))
                        continue
                    warnings.append(f"page {number}: {result}")
                elif isinstance(result, Exception):
                    raise result
                else:
                    text = result
                if text.strip():
                    if carry:
                        parts.append(carry)
                        carry = ""
                    parts.append(text.strip("\n"))
                    ocr_pages.append(number)
                    continue
            if scan.garbled:
                continue  # OCR found nothing either: better no text than mojibake
            if lines and _PAGE_NUMBER.match(lines[0].text) and len(lines) > 1:
                lines = lines[1:]
            if lines and _PAGE_NUMBER.match(lines[-1].text) and len(lines) > 1:
                lines = lines[:-1]
            if not lines:
                empty_pages.append(number)
                continue
            right_margin = max(ln.x1 for ln in lines)
            for kind, content in _page_blocks(lines, scan.width):
                if kind == "flow":
                    paragraphs, carry = _join_flow(cast(list[_Line], content), right_margin, carry)
                    parts.extend(paragraphs)
                else:
                    if carry:
                        parts.append(carry)
                        carry = ""
                    parts.extend(["", "\n\n".join(c for c in cast(list[str], content) if c), ""])
        if carry:
            parts.append(carry)
    finally:
        if pdf is not None:
            pdf.close()
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip("\n") + "\n"
    if not text.strip():
        reason = next((w for w in warnings if "install" in w), None)
        raise ParseError(
            path,
            f"PDF has no text layer and OCR is unavailable: {reason}"
            if reason
            else "PDF has no readable text, even by OCR",
        )
    doc = ParsedDocument(
        path=path, format="pdf", text=normalize_text(text), pages=count, ocr_pages=ocr_pages, warnings=warnings
    )
    if empty_pages:
        doc.warnings.append(f"pages without text: {empty_pages}")
    return doc
