"""Born-digital PDF with pdfplumber.

Three things a plain text dump gets wrong, and this reader gets right:

* **Signed PDFs.** The số and the day of a signed dispatch are often stamped in by the signing software
  as form-field appearances, which pdfplumber does not read. Pages are first flattened with pdfium
  (``pypdfium2``, pdfplumber's own rendering dependency) so those stamps become page text.
* **Two-column header and footer.** Issuer / số / trích yếu on the left and quốc hiệu / date on the right
  share baselines; reading across would interleave them. Lines are split where a wide gap separates
  words, and runs of lines with no text crossing the page centre are emitted column by column.
* **Broken lines.** Body lines that run to the right margin are joined to the next line, across page
  breaks too, so a paragraph comes out as one line; page numbers are dropped.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from . import ocr
from .base import ParseError, ParsedDocument
from .normalize import normalize_text

MIN_PAGE_LETTERS = 40  # fewer letters than this on a page: a scan (or a blank page)
MAX_GARBLED = 0.05  # a larger share of impossible letters: a broken font map, read by OCR instead

_LIST_MARKER = re.compile(r"^(?:[-+•–*]\s|[IVXLC]+\.\s|\d+(?:\.\d+)*\.?\s|[a-zđ]\)\s|Điều\s+\d)")
_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")


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


def _flattened_bytes(path: Path) -> bytes:
    """The PDF with form fields and signature stamps merged into the page content."""
    data = path.read_bytes()
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            pdf.init_forms()
            for i in range(len(pdf)):
                page = pdf[i]
                page.flatten()
                page.close()
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
        finally:
            pdf.close()
    except Exception:
        return data  # flattening is an improvement, not a requirement


def _page_lines(page) -> list[_Line]:
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False, extra_attrs=["size"])
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for word in words:
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= max(2.0, 0.45 * word["size"]):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = max(w["size"] for w in row)
        segments: list[_Segment] = []
        for word in row:
            if segments:
                last = segments[-1]
                gap = word["x0"] - last.x1
                if gap <= 1.5 * size:
                    # signing stamps space the digits of a number apart: "7 4 3 2"
                    joined = gap < 0.8 * size and last.text[-1:].isdigit() and word["text"][:1].isdigit() and (
                        len(word["text"]) == 1 or len(last.text.split()[-1]) == 1)
                    last.text += ("" if joined else " ") + word["text"]
                    last.x1 = word["x1"]
                    continue
            segments.append(_Segment(word["x0"], word["x1"], word["text"]))
        lines.append(_Line(min(w["top"] for w in row), max(w["bottom"] for w in row), size, segments))
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


def read_pdf(path: Path) -> ParsedDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    data = _flattened_bytes(path)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages_count = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        raise ParseError(path, "PDF is encrypted with a password") from exc
    except PDFSyntaxError as exc:
        raise ParseError(path, f"not a valid PDF ({exc})") from exc
    except Exception as exc:
        causes = [exc, exc.__context__, *exc.args]
        if any(isinstance(c, PDFPasswordIncorrect) for c in causes) or "password" in str(exc).lower():
            raise ParseError(path, "PDF is encrypted with a password") from exc
        raise ParseError(path, f"not a valid PDF ({type(exc).__name__}: {exc})") from exc
    parts: list[str] = []
    empty_pages: list[int] = []
    ocr_pages: list[int] = []
    warnings: list[str] = []
    carry = ""
    rendered = None
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = [ln for ln in _page_lines(page) if ln.segments]
            page_text = " ".join(ln.text for ln in lines)
            letters = sum(c.isalpha() for c in page_text)
            garbled = ocr.garbled_share(page_text) > MAX_GARBLED
            area = float(page.width * page.height) or 1.0
            scanned = any((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) > 0.5 * area for img in page.images)
            if letters < MIN_PAGE_LETTERS or garbled or scanned and letters < 600:
                # a scan (maybe under a signing stamp's few words), or mojibake: read the page image
                if garbled:
                    warnings.append(f"page {number}: broken font encoding (mojibake); read by OCR")
                if len(ocr_pages) >= ocr.MAX_OCR_PAGES:
                    warnings.append(f"page {number}: not read, more than {ocr.MAX_OCR_PAGES} pages need OCR")
                    continue
                if rendered is None:
                    import pypdfium2 as pdfium

                    rendered = pdfium.PdfDocument(data)
                try:
                    text = ocr.ocr_page(rendered[number - 1])
                except ocr.OcrUnavailable as exc:
                    if letters:
                        warnings.append(f"page {number}: {exc}")
                    else:
                        empty_pages.append(number)
                        if not warnings or str(exc) not in warnings[-1]:
                            warnings.append(str(exc))
                        continue
                    text = ""
                if text.strip():
                    if carry:
                        parts.append(carry)
                        carry = ""
                    parts.append(text.strip("\n"))
                    ocr_pages.append(number)
                    continue
            if garbled:
                continue  # OCR found nothing either: better no text than mojibake
            if lines and _PAGE_NUMBER.match(lines[0].text) and len(lines) > 1:
                lines = lines[1:]
            if lines and _PAGE_NUMBER.match(lines[-1].text) and len(lines) > 1:
                lines = lines[:-1]
            if not lines:
                empty_pages.append(number)
                continue
            right_margin = max(ln.x1 for ln in lines)
            for kind, content in _page_blocks(lines, float(page.width)):
                if kind == "flow":
                    paragraphs, carry = _join_flow(content, right_margin, carry)
                    parts.extend(paragraphs)
                else:
                    if carry:
                        parts.append(carry)
                        carry = ""
                    parts.extend(["", "\n\n".join(c for c in content if c), ""])
        if carry:
            parts.append(carry)
    if rendered is not None:
        rendered.close()
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip("\n") + "\n"
    if not text.strip():
        reason = next((w for w in warnings if "install" in w), None)
        raise ParseError(path, f"PDF has no text layer and OCR is unavailable: {reason}" if reason
                         else "PDF has no readable text, even by OCR")
    doc = ParsedDocument(path=path, format="pdf", text=normalize_text(text), pages=pages_count,
                         ocr_pages=ocr_pages, warnings=warnings)
    if empty_pages:
        doc.warnings.append(f"pages without text: {empty_pages}")
    return doc
