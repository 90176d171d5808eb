"""Tables as text, the same way whatever the format they came in (DOCX, Markdown pipe tables, HTML).

A Vietnamese dispatch uses tables for two different things (Nghị định 30/2020, Phụ lục I):

* *layout tables*: the two-column header (issuer, số and trích yếu left; quốc hiệu, place and date right)
  and the signature block (Nơi nhận left, signer right). They are read column by column, so each column
  comes out as one block of lines, the way a reader sees it;
* *data tables*: tasks with their lead agency, coordinators and deadline. They are read row by row, one
  line a row, the cells separated by tabs.

Converters from PDF and portal pages (docling, MinerU, markitdown, law sites) put a cell's several lines
on one line: ``split_cell_lines`` takes them apart again at the marks they leave (runs of spaces,
decoration rules, ``<br>``, emphasis around the trích yếu, dash items after a semicolon).
"""

from __future__ import annotations

import re

LAYOUT_MARKERS = re.compile(
    r"CỘNG H[OÒ]À|Độc lập|Số\s*:|Nơi nhận|Kính gửi|\b(?:TM|KT|TL|TUQ|Q)\.\s*[A-ZĐÀ-Ỹ]", re.IGNORECASE
)
MAX_LAYOUT_ROWS = 8
MAX_LAYOUT_COLUMNS = 3

# the marks a converter leaves where a cell had a line break
_BREAKS = [
    re.compile(r"<br\s*/?>", re.IGNORECASE),
    re.compile(r"\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*"),  # the rule under the issuer and the motto
    re.compile(r"[ \t\u00a0]{3,}"),  # the spaces a converter leaves for a line break
    re.compile(r"(?<=VIỆT NAM)\s+(?=Độc lập)"),  # quốc hiệu, then tiêu ngữ (Nghị định 30/2020, Điều 8)
    re.compile(r"(?<=[;:.])\s+(?=[-–+]\s)"),  # "Nơi nhận: - Như trên; - Bộ Tài chính; - ..."
]
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\s*\*(?![\w*])")


def split_cell_lines(cell: str) -> str:
    """A converted cell's lines, one per line: "Số: 648/VPCP-NN *V/v phê duyệt ...*" gives the số line
    and the V/v line; "CỘNG HÒA ... VIỆT NAM Độc lập - Tự do - Hạnh phúc -----" the motto's two lines."""
    text = _EMPHASIS.sub(lambda m: "\n" + m.group(1) + "\n", cell)
    for pattern in _BREAKS:
        text = pattern.sub("\n", text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def is_layout(rows: list[list[str]]) -> bool:
    """A header or signature table: few rows, at most three columns, and the marks of one."""
    if not rows or len(rows) > MAX_LAYOUT_ROWS or max(len(r) for r in rows) > MAX_LAYOUT_COLUMNS:
        return False
    return bool(LAYOUT_MARKERS.search("\n".join(c for r in rows for c in r)))


def layout_text(rows: list[list[str]]) -> str:
    """Column by column: every non-empty cell of the first column, then of the next (a cell repeated
    down a column, as merged cells come out, once)."""
    columns: dict[int, list[str]] = {}
    for row in rows:
        for i, cell in enumerate(row):
            text = cell.strip("\n")
            if text.strip() and (not columns.get(i) or columns[i][-1] != text):
                columns.setdefault(i, []).append(text)
    return "\n\n".join("\n".join(cells) for _, cells in sorted(columns.items()))


def data_text(rows: list[list[str]]) -> str:
    """Row by row, one line a row, cells separated by tabs."""
    lines = []
    for row in rows:
        cells = [" ".join(c.split()) for c in row]
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def table_text(rows: list[list[str]]) -> str:
    return layout_text(rows) if is_layout(rows) else data_text(rows)


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", inner)]


def pipe_tables_as_text(text: str) -> str:
    """Markdown pipe tables turned into text as ``table_text`` reads them; other lines kept as they are.

    A separator row ("| --- | --- |") marks the row above it as the first row of a table: dropped itself,
    it starts a new table at that row (law sites write the header, the Kính gửi and the signature block
    as tables one after another, with no line between them)."""
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            rows = [[split_cell_lines(c) for c in row] for row in block]
            out.append("\n" + table_text(rows) + "\n")
            block.clear()

    for line in text.split("\n"):
        if _PIPE_ROW.match(line):
            if not _SEPARATOR.match(line):
                block.append(_pipe_cells(line))
            elif len(block) > 1:
                first = block.pop()
                flush()
                block.append(first)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)
