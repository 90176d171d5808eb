"""Lines and cells of a document's text, with their offsets.

Readers put table cells (DOCX) side by side with tabs, and some exports pad columns with runs of
spaces; such a line holds several *segments*. The header and footer extractors reason about segments,
and every segment remembers where it stands so the values taken from it keep their span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CELL_BREAK = re.compile(r"\t+| {3,}")
_TAB = re.compile(r"\t+")


@dataclass(frozen=True)
class Segment:
    """A stripped piece of one line, ``text == document[start:end]``."""

    start: int
    end: int
    text: str
    line: int  # index of its line


@dataclass
class Line:
    start: int
    end: int
    text: str
    index: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not self.segments


def _pieces(raw: str, pos: int, index: int, breaks: re.Pattern[str]) -> list[Segment]:
    out = []
    cell_start = 0
    for brk in [*breaks.finditer(raw), None]:
        cell_end = brk.start() if brk else len(raw)
        piece = raw[cell_start:cell_end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = pos + cell_start + lead
            out.append(Segment(s, s + len(stripped), stripped, index))
        if brk:
            cell_start = brk.end()
    return out


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` with its segments (blank lines have none)."""
    lines: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        line = Line(start=pos, end=pos + len(raw), text=raw, index=index)
        if "\t" in raw or "   " in raw:
            line.segments = _pieces(raw, pos, index, _CELL_BREAK)
        else:  # most lines: one piece, no regular expression needed
            stripped = raw.strip()
            if stripped:
                lead = len(raw) - len(raw.lstrip())
                line.segments = [Segment(pos + lead, pos + lead + len(stripped), stripped, index)]
        lines.append(line)
        pos += len(raw) + 1
    return lines


def cells_of(lines: list[Line]) -> list[Segment]:
    """Pieces of lines split at tabs only: for patterns that span padded blanks ("ngày      tháng")."""
    return [seg for line in lines if line.segments for seg in _pieces(line.text, line.start, line.index, _TAB)]


def segments_of(lines: list[Line]) -> list[Segment]:
    return [seg for line in lines for seg in line.segments]


def sub_segment(seg: Segment, start: int, end: int) -> Segment | None:
    """The stripped part of ``seg`` between offsets relative to its text."""
    piece = seg.text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    s = seg.start + start + lead
    return Segment(s, s + len(stripped), stripped, seg.line)


def line_at(lines: list[Line], offset: int) -> int:
    """Index of the line holding ``offset`` (the number of lines when it lies past the end)."""
    for line in lines:
        if line.start <= offset <= line.end:
            return line.index
    return len(lines)
