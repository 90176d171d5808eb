"""Cited documents: every number-and-symbol the text cites, with type, date and issuer.

Forms handled: "Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu", "Kế hoạch 364/KH-UBND"
(no "số"), "Quyết định 1487/QĐUBND" (a hyphen lost), "Nghị quyết số 25/2021/QH15" and "14/2022/NQ-HĐND"
(the year inside), party documents ("104-CTr/TU"), lists sharing a type and issuer ("các Quyết định
của Thủ tướng Chính phủ: số 1689/QĐ-TTg ngày ...; số 263/QĐ-TTg ..."), dates written out ("ngày 22
tháng 3 năm 2011") and national technical regulations ("QCVN 01:2019/BCT"). Each cited document is one
reference, keyed by number, symbol and year; later mentions ("Chỉ thị 11", "Công văn nêu trên") are
attached to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from . import vocab

_CITATION = re.compile(
    r"(?<![\w/:.,-])(?P<num>\d{1,5})(?:\s*/\s*(?P<year>(?:19|20)\d{2}))?(?P<sep>\s*/\s*|-)"
    r"(?P<sym>[A-ZĐ][A-Za-zĐđ0-9&]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9&]*)*)"
)
_QCVN = re.compile(r"QCVN\s*(?P<num>\d{1,3})\s*:\s*(?P<year>(?:19|20)\d{2})\s*/\s*(?P<sym>[A-ZĐ][A-ZĐ0-9-]*)")
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:được\s+)?(?:ban hành\s+)?ngày\s*(?P<d>\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(?P<m>\d{1,2})"
    r"\s*(?:/|-|\.|\s+năm\s+)\s*(?P<y>(?:19|20)\d{2})"
)
_ISSUER_AFTER = re.compile(
    r"^\s*,?\s*(?:của|do)\s+(?P<issuer>[^,;.:()\n]{3,90}?)"
    r"(?=\s+(?:về|phê duyệt|ban hành|quy định|hướng dẫn|sửa đổi|giao|thực hiện|triển khai|đã|được|tại|với)\b|[,;.:()\n]|$)"
)


@dataclass
class ReferenceFound:
    doc_type: str | None
    number_symbol: str
    number: str
    symbol: str
    year: int | None
    date: str | None
    issuer: str | None
    start: int
    end: int
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return reference_key(self.number, self.symbol, self.year)


def symbol_key(symbol: str) -> str:
    """A symbol folded for comparison: "QĐUBND", "QĐ-UBND" and "qđ-ubnd" are one."""
    text = unicodedata.normalize("NFD", symbol.upper())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("Đ", "D")
    return re.sub(r"[^0-9A-Z]", "", text)


def reference_key(number: str, symbol: str, year: int | None) -> str:
    number = str(int(number)) if number.isdigit() else number  # "66.18": a resolution's sub-number
    return f"{number}|{symbol_key(symbol)}|{year or ''}"


@cache
def _type_before() -> re.Pattern[str]:
    names = list(vocab.doc_types().by_title) + ["Văn bản", "Luật"]
    words = vocab.alternation([n[:1] + n[1:].lower() for n in names] + [n.lower() for n in names])
    return re.compile(rf"(?P<type>{words})\s*(?:số\s*:?\s*|số\s+hiệu\s+)?$")


def _type_name(word: str) -> str:
    types = vocab.doc_types().by_title
    return types.get(word.upper(), word[:1].upper() + word[1:])


def _type_from_symbol(symbol: str, sep: str) -> str | None:
    code = symbol.split("/")[0] if sep == "-" else symbol.split("-")[0]
    code = re.sub(r"\d+$", "", code)
    if code.upper() == "QH":
        return "Nghị quyết"
    return vocab.doc_types().by_code.get(code.upper())


def _looks_like_symbol(sym: str, sep: str) -> bool:
    letters = [c for c in sym if c.isalpha()]
    if sum(c.isupper() for c in letters) < 2:
        return False
    if sep == "-" and "/" not in sym:  # party numbering needs its body after a slash: 104-CTr/TU
        return False
    return True


def find_references(text: str, own_key: str | None = None) -> list[ReferenceFound]:
    """Every cited document once, in order of first citation; ``own_key`` (the document itself) is left out."""
    refs: dict[str, ReferenceFound] = {}
    order: list[str] = []
    last_type: tuple[int, str] | None = None  # (offset, type) of the previous citation, for list forms

    def add(found: ReferenceFound) -> None:
        loose = found.key.rsplit("|", 1)[0]
        for key in order:  # the same document cited with and without its year
            ref = refs[key]
            if key.rsplit("|", 1)[0] == loose and (ref.year is None or found.year is None or ref.year == found.year):
                ref.mentions.append((found.start, found.end))
                ref.date = ref.date or found.date
                ref.issuer = ref.issuer or found.issuer
                ref.year = ref.year or found.year
                return
        refs[found.key] = found
        order.append(found.key)

    matches: list[tuple[int, int, str, str | None, str, str]] = []
    for m in _QCVN.finditer(text):
        matches.append((m.start(), m.end(), m.group("num"), m.group("year"), "QCVN/" + m.group("sym"), "qcvn"))
    for m in _CITATION.finditer(text):
        sep = m.group("sep").strip() or "/"
        if not _looks_like_symbol(m.group("sym"), sep):
            continue
        if any(s <= m.start() < e for s, e, *_ in matches):
            continue
        matches.append((m.start(), m.end(), m.group("num"), m.group("year"), m.group("sym").rstrip("-/"), sep))
    matches.sort()
    for start, end, num, year_text, sym, sep in matches:
        year = int(year_text) if year_text else None
        doc_type: str | None
        if sep == "qcvn":
            number_symbol = f"QCVN {num}:{year_text}/{sym[5:]}"
            doc_type = "Quy chuẩn kỹ thuật quốc gia"
        else:
            number_symbol = f"{num}{'/' + year_text if year_text else ''}{'-' if sep == '-' else '/'}{sym}"
            before = text[max(0, start - 45) : start]
            tm = _type_before().search(before)
            listed = last_type and start - last_type[0] < 400 and re.search(r"(?:^|[;,:]\s*)(?:và\s+)?số\s*$", before)
            if tm:
                doc_type = _type_name(tm.group("type"))
            elif _type_from_symbol(sym, sep):
                doc_type = _type_from_symbol(sym, sep)
            elif listed and last_type:
                doc_type = last_type[1]  # "...; số 263/QĐ-TTg": the list's type
            else:
                doc_type = "Công văn" if "-" in sym else None
        date = issuer = None
        after = text[end : end + 160]
        dm = _DATE_AFTER.match(after)
        if dm:
            d, mo, y = int(dm.group("d")), int(dm.group("m")), int(dm.group("y"))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
            after = after[dm.end() :]
        im = _ISSUER_AFTER.match(after)
        if im and len(im.group("issuer").split()) <= 10:
            issuer = im.group("issuer").strip()
        if year is None and date:
            year = int(date[:4])
        found = ReferenceFound(doc_type, number_symbol, num, sym, year, date, issuer, start, end, [])
        if own_key and found.key.rsplit("|", 1)[0] == own_key.rsplit("|", 1)[0]:
            continue
        if doc_type:
            last_type = (end, doc_type)
        add(found)
    out = [refs[k] for k in order]
    _attach_short_mentions(text, out)
    return out


_SHORT = re.compile(
    r"(?P<type>Chỉ thị|Quyết định|Kế hoạch|Công văn|Văn bản|Nghị quyết|Thông báo|Báo cáo)"
    r"(?:\s+số)?\s+(?:(?P<num>\d{1,5})(?![\d/-])|(?P<above>nêu trên|trên|đã nêu))"
)


def _attach_short_mentions(text: str, refs: list[ReferenceFound]) -> None:
    """ "Chỉ thị 11" and "Công văn nêu trên" point back to the full citation they abbreviate."""
    for m in _SHORT.finditer(text):
        earlier = [r for r in refs if r.start < m.start() and r.doc_type == m.group("type")]
        if m.group("num"):
            earlier = [r for r in earlier if int(r.number) == int(m.group("num"))]
        if earlier:
            earlier[-1].mentions.append((m.start(), m.end()))
