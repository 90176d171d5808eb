"""Deadlines: "trước ngày 04/11/2024", "chậm nhất ngày ...", "trong tháng 10/2024", "trong quý III năm
2025", "trước ngày 15/9" (the year from the document's date), and recurring duties ("định kỳ hàng
quý", "trước ngày 30/6 hằng năm"), which are a recurrence rather than a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import vocab

_DATE = (
    r"(?:ngày\s*)?(?P<d>\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(?P<m>\d{1,2})"
    r"(?:\s*(?:/|-|\.|\s+năm\s+)\s*(?P<y>(?:19|20)\d{2}))?"
)


@dataclass(frozen=True)
class Deadline:
    iso: str | None  # None for a recurring duty
    start: int
    end: int
    recurrence: str | None = None


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = vocab.deadlines()
    before = re.compile(rf"(?<!\w)(?:{vocab.alternation(list(v.before))})\s+{_DATE}(?!\d)", re.IGNORECASE)
    month = re.compile(
        rf"(?<!\w)(?:{vocab.alternation(list(v.within))})\s+(?P<m>\d{{1,2}})\s*(?:/|năm)\s*(?P<y>(?:19|20)\d{{2}})",
        re.IGNORECASE,
    )
    quarter = re.compile(
        r"(?<!\w)(?:hoàn thành )?trong\s+quý\s+(?P<q>IV|III|II|I|[1-4])\s*(?:/|năm|,)?\s*(?P<y>(?:19|20)\d{2})",
        re.IGNORECASE,
    )
    recurrence = re.compile(rf"(?<!\w)(?:{vocab.alternation(list(v.recurrence))})(?!\w)", re.IGNORECASE)
    return before, month, quarter, recurrence


def _valid(year: int, month: int, day: int | None = None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31) and 1990 <= year <= 2100


def find_deadline(text: str, doc_year: int | None) -> Deadline | None:
    """The first deadline in ``text`` (an item of a dispatch), or a recurrence, or None."""
    before, month, quarter, recurrence = _patterns()
    found: list[Deadline] = []
    for m in before.finditer(text):
        day, mon = int(m.group("d")), int(m.group("m"))
        year = int(m.group("y")) if m.group("y") else doc_year
        if year and _valid(year, mon, day):
            found.append(Deadline(f"{year:04d}-{mon:02d}-{day:02d}", m.start(), m.end()))
    for m in month.finditer(text):
        year, mon = int(m.group("y")), int(m.group("m"))
        if _valid(year, mon):
            found.append(Deadline(f"{year:04d}-{mon:02d}", m.start(), m.end()))
    for m in quarter.finditer(text):
        last_month = vocab.deadlines().quarters[m.group("q").upper()]
        found.append(Deadline(f"{int(m.group('y')):04d}-{last_month:02d}", m.start(), m.end()))
    if not found:
        rec = recurrence.search(text)
        return Deadline(None, rec.start(), rec.end(), recurrence=rec.group()) if rec else None
    first = min(found, key=lambda d: d.start)
    # "định kỳ hàng năm (trước ngày 10/12)", "trước ngày 30/6 hằng năm": a recurrence, not a date
    clause_start = max(text.rfind(";", 0, first.start), text.rfind(".", 0, max(first.start - 1, 0)), 0)
    window = text[clause_start : min(len(text), first.end + 25)]
    rec = recurrence.search(window)
    if rec:
        return Deadline(None, first.start, first.end, recurrence=rec.group())
    return first


def parse_time_cell(text: str, doc_year: int | None) -> str | None:
    """A task table's time column: a range gives its end ("2024 - 2025" -> 2025, "Quý III, IV/2026" ->
    2026-12); "Thường xuyên" gives None."""
    cell = " ".join(text.split())
    if not cell or re.search(r"thường xuyên|hằng năm|hàng năm|định kỳ", cell, re.IGNORECASE):
        return None
    deadline = find_deadline("trước ngày " + cell if re.match(r"^\d{1,2}/\d{1,2}", cell) else cell, doc_year)
    if deadline and deadline.iso:
        return deadline.iso
    quarters = (
        re.findall(r"(?<![A-Za-z])(IV|III|II|I)(?![A-Za-z])", cell.split("/")[0]) if re.search(r"[Qq]uý", cell) else []
    )
    years = re.findall(r"(?:19|20)\d{2}", cell)
    if quarters and years:
        q = max(vocab.deadlines().quarters[x] for x in quarters)
        return f"{years[-1]}-{q:02d}"
    m = re.search(r"[Tt]háng\s*(\d{1,2})\s*(?:/|năm)\s*((?:19|20)\d{2})", cell)
    if m and _valid(int(m.group(2)), int(m.group(1))):
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = re.search(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})", cell)
    if m and _valid(int(m.group(3)), int(m.group(2)), int(m.group(1))):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if years:
        return years[-1]
    return None
