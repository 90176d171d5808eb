"""Web pages (.html, .htm) as portals and law sites publish dispatches, read with selectolax (Lexbor).

A saved page holds the document among the site's chrome: menus, breadcrumbs, search boxes, related
links, scripts and styles. Those are dropped: elements that never hold a document's words (script,
style, nav, form, ...) and elements whose class, id or ARIA role names the chrome. What remains is
narrowed to the document itself: the smallest element that holds both the quốc hiệu and the end of the
document (Nơi nhận, or the signature's "TM." / "KT." line), where there is one.

Text comes out as the other readers give it: block elements on lines of their own, tables through
``parsers.tables`` (the two-column header and the signature block column by column, task tables row by
row with tabs), ``<ol>`` items numbered and ``<ul>`` items dashed as a reader sees them.
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .base import ParsedDocument, ParseError
from .normalize import normalize_text
from .tables import table_text
from .text import decode_bytes

# elements that never hold a document's words
_DROPPED = (
    "script, style, noscript, template, iframe, svg, canvas, button, select, input, textarea, object, embed, "
    "head, [aria-hidden=true], [hidden]"
)
# elements that hold chrome, unless the document stands inside them (ASP.NET portals wrap the whole page,
# the document included, in one <form>)
_CONTAINERS = "nav, form, aside, footer, [role=navigation], [role=banner], [role=search]"
# class or id words of site chrome (whole words of the attribute: "menu-top" and "breadcrumb" are chrome,
# "content-menu-free" is too, "document" is not)
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|sidebar|footer|header-top|topbar|social|share|sharing|"
    r"comments?|related|banner|ads?|advert\w*|popup|modal|cookie|login|search|toolbar|pagination)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK = {
    "address", "article", "blockquote", "body", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[ÒO]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", re.IGNORECASE
)
_END = re.compile(r"N[ơo]i\s*nh[ậa]n|\b(?:TM|KT|TL|TUQ)\.\s*[A-ZĐÀ-Ỹ]|\(Đã ký\)", re.IGNORECASE)  # "(Đã ký)": sites
# what only a document holds: a chrome-named wrapper or a <form> holding one of these is kept
_DOCUMENT_MARK = re.compile(rf"{_MOTTO.pattern}|{_END.pattern}|K[ií]nh\s*g[ửu]i", re.IGNORECASE)
_ANNEX = re.compile(r"PH[ỤU]\s*L[ỤU]C|kèm\s+theo", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _decode(data: bytes, path: Path) -> str:
    """The page's text: a byte-order mark first, then the charset its <meta> declares, else what the text
    reader would guess."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, path)[0]
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)[0]


def _is_chrome(node: LexborNode) -> bool:
    attributes = node.attributes
    names = " ".join(v for k, v in attributes.items() if k in ("class", "id") and v)
    return bool(names and _CHROME.search(names))


def _ancestors(node: LexborNode | None) -> list[LexborNode]:
    chain = []
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def _document_root(body: LexborNode) -> LexborNode:
    """The element that holds the document: the nearest common ancestor of the first quốc hiệu and the
    last Nơi nhận or signature line after it (found over the text nodes once, so a page with thousands
    of nested elements is read in linear time), widened to take in an annex in the elements that follow
    it (Word saves a landscape Phụ lục as a section of its own). The body when the marks are missing."""
    first = last = None
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        text = node.text_content or ""
        if first is None:
            if _MOTTO.search(text):
                first = node
        elif _END.search(text):
            last = node
    if first is None or last is None:
        return body
    below = {n.mem_id for n in _ancestors(first)}
    root = next((n for n in _ancestors(last) if n.mem_id in below), body)
    for _ in range(3):
        sibling, annex = root.next, False
        while sibling is not None and not annex:
            annex = sibling.tag != "-text" and bool(_ANNEX.search((sibling.text(deep=True) or "")[:400]))
            sibling = sibling.next
        if not annex or root.parent is None or root.mem_id == body.mem_id:
            break
        root = root.parent
    return root


def _cells(row: LexborNode) -> list[LexborNode]:
    return [c for c in row.iter() if c.tag in ("td", "th")]


def _rows(table: LexborNode) -> list[LexborNode]:
    rows: list[LexborNode] = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.iter() if c.tag == "tr")
    return rows


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def _grid(table: LexborNode) -> list[list[str]]:
    """The table's cell texts row by row, merged cells laid out as the eye reads them: a cell spanning
    rows repeats its text down them (an agency given to several tasks), one spanning columns fills the
    columns it covers with nothing, so every column keeps its meaning."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for row in _rows(table):
        out: list[str] = []
        cells = iter(_cells(row))
        column = 0
        while True:
            if column in pending:
                text, left = pending.pop(column)
                out.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = _cell_text(cell)
            for offset in range(_span(cell, "colspan")):
                out.append(text if offset == 0 else "")
                if _span(cell, "rowspan") > 1:
                    pending[column] = (text if offset == 0 else "", _span(cell, "rowspan") - 1)
                column += 1
        while column in pending:  # spans reaching past the row's own cells
            text, left = pending.pop(column)
            out.append(text)
            if left > 1:
                pending[column] = (text, left - 1)
            column += 1
        rows.append(out)
    return rows


def _has_table(node: LexborNode) -> bool:
    return node.css_first("table") is not None


class _Writer:
    """Text of a DOM subtree, lines broken where blocks begin and end."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        # Word's floating shapes are anchored inside a word ("S<img>ố:", "T<img>ỈNH"): LibreOffice's export
        # leaves a line break in the source after them, which is not a space of the document's text
        self.after_image = False

    def text(self) -> str:
        return "".join(self.parts)

    def newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def walk(self, node: LexborNode, list_index: list[int] | None = None) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = re.sub(r"[ \t\r\n\u00a0]+", " ", child.text_content or "")
                if self.after_image:
                    text = text.lstrip(" ")
                    self.after_image = not text
                if text.isspace() and (not self.parts or self.parts[-1].endswith("\n")):
                    continue  # the source's indentation between blocks, not a line of the document
                self.parts.append(text)
                continue
            if tag == "img":
                self.after_image = True
                self.walk(child)  # the lexbor tree may hang the break after a shape inside its <img>
                continue
            clearing = tag == "br" and "clear" in child.attributes  # the float-clearing break after a shape
            self.after_image = self.after_image and clearing
            if tag == "br":
                if not clearing:
                    self.parts.append("\n")
            elif tag == "table" and not any(_has_table(c) for r in _rows(child) for c in _cells(r)):
                self.newline()
                rows = _grid(child)
                self.parts.append(table_text([r for r in rows if any(x.strip() for x in r)]) + "\n")
            elif tag in ("ol", "ul"):
                self.newline()
                start = (child.attributes.get("start") or "1").strip()
                self.walk(child, [int(start) - 1 if start.isdigit() else 0] if tag == "ol" else None)
                self.newline()
            elif tag == "li":
                self.newline()
                if list_index is not None:
                    list_index[0] += 1
                    self.parts.append(f"{list_index[0]}. ")
                else:
                    self.parts.append("- ")
                self.walk(child)
                self.newline()
            elif tag in _BLOCK:
                self.newline()
                self.walk(child)
                self.newline()
            elif tag not in ("-comment", "-doctype"):
                self.walk(child, list_index)


def _cell_text(cell: LexborNode) -> str:
    writer = _Writer()
    writer.walk(cell)
    return "\n".join(" ".join(line.split()) for line in writer.text().split("\n") if line.strip())


def html_text(html: str) -> str:
    """The document's text in a page: chrome dropped, tables read as the other readers read them."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_DROPPED):
        node.decompose()
    for node in tree.css("[style]"):  # hidden text is not the page's text
        if _HIDDEN.search(node.attributes.get("style") or ""):
            node.decompose()
    body = tree.body
    if body is None:
        return ""
    for node in [*body.css(_CONTAINERS), *(n for n in body.css("[class], [id]") if _is_chrome(n))]:
        if not _DOCUMENT_MARK.search(node.text(deep=True)):  # a wrapper named like chrome may hold the document
            node.decompose()
    root = _document_root(body)
    writer = _Writer()
    try:
        writer.walk(root)
        text = writer.text()
    except RecursionError:  # thousands of unclosed inline tags nest as deep: the words, a line a block
        text = root.text(deep=True, separator="\n")
    lines = [line.strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def read_html(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(path, "binary content in an HTML file")
    text = html_text(_decode(data, path))
    return ParsedDocument(path=path, format="html", text=normalize_text(text))
