"""The body's structure: paragraphs rebuilt from lines, and their list markers.

Readers give lines; PDF text (pdftotext, or OCR) breaks a paragraph into several, and some exports put
blank lines between the broken lines. A line starts a new paragraph when it carries a list marker
("I.", "1.", "1.1.", "a)", "-", "+", "•", "Điều 3."), or when the line before it ended a sentence or
was short (a heading) and this one starts with a capital.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .lines import Line

MARKER = re.compile(
    r"^(?:(?P<roman>[IVXL]+)\.\s*"
    r"|(?P<article>Điều\s+\d+)\s*[.:]\s*"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s+"
    r"|(?P<num2>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?=[^\W\d_])"
    r"|(?P<letter>[a-zđ])\)\s*"
    r"|\((?P<paren>[ivx]+|\d{1,2}|[a-zđ])\)\s*"
    r"|(?P<dash>[-–])\s*(?=\S)"
    r"|(?P<plus>[+])\s*(?=\S)"
    r"|(?P<bullet>[•●▪*])\s*)"
)
# How deep a list marker nests: "I." above "1." above "1.1." above "a)" above "-" above "+"
LEVELS = {"roman": 0, "article": 1, "num": 1, "letter": 5, "paren": 6, "dash": 7, "bullet": 8, "plus": 8}
_MARKER_ONLY = re.compile(r"^(?:[IVXL]+\.|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[a-zđ]\))$")
_SENTENCE_END = re.compile(r"[.;:!?]\s*$|\./\.\s*$")


@dataclass
class Paragraph:
    start: int  # offset of the paragraph's first character (its marker, if any)
    end: int
    text: str  # the paragraph without its marker, lines joined by single spaces
    text_start: int  # offset where ``text`` begins
    marker: str | None  # the marker as printed ("1.", "a)", "-")
    kind: str | None  # roman, article, num, letter, paren, dash, plus, bullet, or None
    depth: int  # nesting depth for numbered markers ("1.1." is 2)
    line: int  # index of the first line

    @property
    def level(self) -> float:
        """Nesting level of the paragraph's marker (lower is outer); 9 for a paragraph without one."""
        if self.kind == "num":
            return 1 + self.depth
        return LEVELS.get(self.kind or "", 9)


def marker_of(text: str) -> tuple[str | None, str | None, int, int]:
    """(marker, kind, depth, length of the marker) of a line's text."""
    m = MARKER.match(text)
    if not m or "\t" in m.group(0) and text.count("\t") >= 2:
        return None, None, 0, 0  # "1.<tab>Hoàn thiện ...<tab>Cục ...": a table row's first cell, not a marker
    kind = next(k for k, v in m.groupdict().items() if v is not None)
    depth = 0
    if kind in ("num", "num2"):
        depth = m.group(kind).count(".") + 1
        kind = "num"
    if kind == "roman" and len(m.group("roman")) > 4:
        return None, None, 0, 0
    return m.group(0).strip(), kind, depth, m.end()


def build_paragraphs(lines: list[Line], first: int, last: int) -> list[Paragraph]:
    """Paragraphs of lines[first:last] (blank lines ignored)."""
    body = [ln for ln in lines[first:last] if not ln.blank]
    if not body:
        return []
    long_lines = [len(ln.text.strip()) for ln in body if len(ln.text.strip()) > 40]
    typical = statistics.median(long_lines) if long_lines else 80
    paragraphs: list[Paragraph] = []
    parts: list[Line] = []

    def flush() -> None:
        if not parts:
            return
        head = parts[0].text.strip()
        marker, kind, depth, length = marker_of(head)
        lead = len(parts[0].text) - len(parts[0].text.lstrip())
        start = parts[0].start + lead
        text = " ".join(re.sub(r" {2,}", " ", p.text.strip(" ")) for p in parts)  # tabs separate cells: kept
        text_start = start + length
        if marker is None and len(parts) > 1 and _MARKER_ONLY.match(head):
            # "1.4." alone on its line, its text on the next: the item's marker
            marker, kind, depth, _ = marker_of(head + " " + parts[1].text.strip())
            length = len(head) + 1
            text_start = parts[1].start + len(parts[1].text) - len(parts[1].text.lstrip())
        text = text[length:] if marker else text
        paragraphs.append(
            Paragraph(
                start,
                parts[-1].start + len(parts[-1].text.rstrip()),
                text.strip(),
                text_start,
                marker,
                kind,
                depth,
                parts[0].index,
            )
        )
        parts.clear()

    for line in body:
        text = line.text.strip()
        if parts:
            previous = parts[-1].text.strip()
            ended = bool(_SENTENCE_END.search(previous))
            short = len(previous) < 0.7 * typical
            starts_upper = text[:1].isupper() or text[:1] in '“"('
            new = marker_of(text)[0] is not None or "\t" in line.text.strip() or "\t" in parts[-1].text.strip()
            if not new and (ended or short) and starts_upper:
                new = True
            if not new and ended and not text[:1].islower():
                new = True
            if (
                not new
                and re.match(r"(?:Đề nghị|Giao(?! thông)|Yêu cầu|Căn cứ|Thực hiện)\s", text)
                and not previous.endswith(",")
            ):
                new = True  # capitalised, these only open a sentence
            if (
                not new
                and starts_upper
                and len(parts) == 1
                and marker_of(previous)[0]
                and len(previous) < 0.75 * typical
            ):
                new = True  # a numbered heading, then its first paragraph
            if new and _MARKER_ONLY.match(previous) and len(parts) == 1 and marker_of(text)[0] is None:
                new = False  # "1.4." alone on its line, its text on the next: one item
            if new:
                flush()
        parts.append(line)
    flush()
    return paragraphs
