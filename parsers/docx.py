"""Word documents (.docx) with python-docx, paragraphs and tables in document order.

The header of a real công văn is a borderless two-column table (issuer, số and trích yếu on the left;
quốc hiệu and date on the right), and the signature block often is one too (nơi nhận left, signer
right). Such *layout tables* are read column by column so each column comes out as one block, the way a
reader sees it. Tables that hold data (tasks with their lead and deadline) are read row by row, one
line a row with the cells separated by tabs.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .base import ParsedDocument, ParseError
from .legacy import to_unicode
from .normalize import normalize_text
from .tables import table_text


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def _unique_cells(row) -> list:
    """Row cells without the repeats python-docx returns for horizontally merged cells."""
    seen: list = []
    cells = []
    for cell in row.cells:
        if not any(cell._tc is tc for tc in seen):
            seen.append(cell._tc)
            cells.append(cell)
    return cells


def _rows(table) -> list[list[str]]:
    """Cell texts row by row; a vertically merged cell (python-docx repeats it down the rows) once."""
    seen: set = set()  # the lxml elements themselves: ids of freed proxies get reused
    rows = []
    for row in table.rows:
        cells = []
        for cell in _unique_cells(row):
            cells.append("" if cell._tc in seen else _cell_text(cell))
            seen.add(cell._tc)
        rows.append(cells)
    return rows


MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200


def check_package(path: Path) -> None:
    """Refuse a zip bomb before python-docx inflates it: a huge total or an absurd compression ratio."""
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except zipfile.BadZipFile as exc:
        raise ParseError(path, "not a valid DOCX (zip) file") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ParseError(
            path, f"DOCX would inflate to {total // (1024 * 1024)} MiB from {packed // 1024} KiB: refused as a zip bomb"
        )


def read_docx(path: Path) -> ParsedDocument:
    check_package(path)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except zipfile.BadZipFile as exc:
        raise ParseError(path, "not a valid DOCX (zip) file") from exc
    except KeyError as exc:
        raise ParseError(path, f"DOCX is missing a part: {exc}") from exc
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise ParseError(path, f"cannot open DOCX: {type(exc).__name__}: {exc}") from exc

    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            blocks.append("\n" + table_text(_rows(Table(child, document))) + "\n")
    text = "\n".join(blocks)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text.strip():
        raise ParseError(path, "DOCX has no text")
    # paragraphs set in .VnTime (TCVN3) or VNI fonts, often beside Unicode ones
    lines, legacy = [], set()
    for line in text.split("\n"):
        fixed, kind = to_unicode(line, viqr=False) if len(line.split()) >= 3 else (line, None)
        lines.append(fixed)
        if kind:
            legacy.add(kind)
    doc = ParsedDocument(path=path, format="docx", text=normalize_text("\n".join(lines)))
    if legacy:
        doc.warnings.append(f"converted from {', '.join(sorted(legacy))}")
    return doc
