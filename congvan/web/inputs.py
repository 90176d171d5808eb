"""What auditors type into the canned queries, read the way they mean it.

* Dates: "30/06/2025", "30-6-2025", "2025-06-30", a month ("06/2025", "2025-06") or a year. A month or a
  year given as the end of a range (or an "as of" day) means its last day; as a start, its first day.
  Anything else is refused with a message, never answered silently wrong.
* Agencies: "Sở NN&MT", "UBND tỉnh Quảng Ngãi", "nông nghiệp môi trường Lào Cai": abbreviations expanded
  as the agency registry expands them, then folded, and every word typed must appear in the name.
* Số hiệu: "Quyết định số 05/2025/QĐ-UBND", "05/QĐ-UBND năm 2025": the number and symbol, and the year
  where one is given (a number and symbol alone match every year).
* Full-text search: words with or without diacritics (đ typed as d too); documents holding the words as a
  phrase come first; "..." in quotes asks for the phrase only.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from functools import lru_cache

from congvan import store
from pipeline.agencies import expand_agency_abbreviations, fold_key

MAX_ARGUMENT = 300  # typed text is cut before any regular expression sees it


class InputError(ValueError):
    """A value typed into a query that cannot be read; the message says what to type instead."""


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_WORDS = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$", re.IGNORECASE)

DATE_HELP = "gõ ngày theo dạng 30/06/2025 (hoặc 2025-06-30; một tháng: 06/2025; một năm: 2025)"


def parse_date(text: str, *, end: bool) -> str:
    """An ISO day from what was typed; a month or a year is its last day when ``end``, else its first."""
    value = " ".join(text[:MAX_ARGUMENT].split())
    day: int | None
    if m := _DAY_FIRST.match(value) or _WORDS.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _ISO.match(value):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    elif m := _MONTH.match(value):
        day, month, year = None, int(m.group(1)), int(m.group(2))
    elif m := _YEAR.match(value):
        day, month, year = None, 12 if end else 1, int(m.group(1))
    else:
        raise InputError(f"Không đọc được ngày '{value}': {DATE_HELP}.")
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise InputError(f"Ngày '{value}' không có thật: {DATE_HELP}.")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last if end else 1
    if not 1 <= day <= last:
        raise InputError(f"Ngày '{value}' không có thật (tháng {month}/{year} có {last} ngày).")
    return date(year, month, day).isoformat()


def parse_month(text: str) -> str:
    """A month "06/2025" or "2025-06" as "2025-06"."""
    return parse_date(text, end=False)[:7] if text.strip() else ""


def agency_words(typed: str | None) -> list[str]:
    """The folded words of an agency as typed, abbreviations expanded ("Sở NN&MT" gives "so nong nghiep va
    moi truong"); "và" is dropped, so "nông nghiệp môi trường" finds "Nông nghiệp và Môi trường"."""
    if not typed or not typed.strip():
        return []
    return [w for w in fold_key(expand_agency_abbreviations(typed[:MAX_ARGUMENT])).split() if w != "va"]


@lru_cache(maxsize=1024)
def _typed_words(typed: str | None) -> tuple[str, ...]:
    return tuple(agency_words(typed))


@lru_cache(maxsize=1 << 17)
def _name_words(agency: str) -> tuple[str, ...]:
    """An agency's folded words, once per name: the query runs the match over every agency (thousands)
    on each request, and folding with the abbreviations expanded is what costs."""
    return tuple(w for w in fold_key(expand_agency_abbreviations(agency)).split() if w != "va")


def agency_matches(agency: str | None, typed: str | None) -> int:
    """1 when the words typed stand in the agency's name in their order, each next to the one before or
    one word further ("nông nghiệp môi trường Lào Cai" in "Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
    but "UBND các xã" not in "UBND các huyện, thị xã"); SQL function ``congvan_agency_match``. An empty
    input matches nothing."""
    words = _typed_words(typed)
    if not words or not agency:
        return 0
    name = _name_words(agency)

    def rest_from(i: int, k: int) -> bool:  # words[k:] follow name[i - 1]
        if k == len(words):
            return True
        return any(j < len(name) and name[j] == words[k] and rest_from(j + 1, k + 1) for j in (i, i + 1))

    return int(any(name[i] == words[0] and rest_from(i + 1, 1) for i in range(len(name))))


_CITATION = re.compile(r"(\d{1,6})\s*/\s*(?:((?:19|20)\d{2})\s*/\s*)?([A-ZĐa-zđ][\w&.\-]*(?:\s?-\s?[\w&.]+)*)")
_YEAR_WORDS = re.compile(r"(?:năm|/)\s*((?:19|20)\d{2})(?!\d)|(?:ngày\s*)?\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d{2})")


def citation_parts(typed: str | None) -> tuple[str | None, int | None]:
    """The citation key (number|SYMBOL) and the year of a số hiệu as typed, whatever words surround it."""
    text = (typed or "")[:MAX_ARGUMENT]
    m = _CITATION.search(text)
    if not m:
        return None, None
    symbol = re.sub(r"\s+", "", m.group(3)).upper()
    key = store.citation_key(m.group(1), symbol)
    year = m.group(2)
    if year is None:
        rest = text[m.end() :]
        y = _YEAR_WORDS.search(rest)
        year = (y.group(1) or y.group(2)) if y else None
    return key, int(year) if year else None


def citation_key(typed: str | None) -> str | None:
    return citation_parts(typed)[0]


def citation_year(typed: str | None) -> int | None:
    return citation_parts(typed)[1]


def _search_words(typed: str) -> list[str]:
    folded = store.fold_d(typed[:MAX_ARGUMENT].lower())
    return re.findall(r"\w+", folded)


def fts_query(typed: str | None) -> str:
    """An FTS5 query for what was typed: every word, each quoted (no FTS syntax gets through); a phrase
    in quotes is kept as a phrase. Nothing typed matches nothing."""
    typed = typed or ""
    phrases = re.findall(r'"([^"]+)"', typed)
    if phrases:
        parts = [" ".join(_search_words(p)) for p in phrases]
        return " ".join(f'"{p}"' for p in parts if p) or '"\u2400"'
    words = _search_words(typed)
    return " ".join(f'"{w}"' for w in words) if words else '"\u2400"'


def fts_phrase(typed: str | None) -> str:
    """The words typed as one FTS5 phrase: the documents holding them side by side rank first."""
    words = _search_words((typed or "").replace('"', " "))
    return f'"{" ".join(words)}"' if words else '"\u2400"'


def _fold_char(char: str) -> str:
    """One character folded to one (lower case, no tone mark, đ as d): offsets stay those of the text."""
    base = unicodedata.normalize("NFD", char.lower())[:1]
    return "d" if base == "đ" else base or char


# the same as a translation table over the Latin letters Vietnamese uses, applied in C (a snippet folds
# a whole document's text)
_FOLD_TABLE = {
    code: _fold_char(chr(code))
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    if _fold_char(chr(code)) != chr(code) and len(_fold_char(chr(code))) == 1
}


def fold_chars(text: str) -> str:
    """``text`` folded character by character (same length, so offsets carry over)."""
    return text.translate(_FOLD_TABLE)


MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def snippet(text: str | None, typed: str | None, width: int = 90) -> str | None:
    """The passage of ``text`` around the first match (the phrase if it stands there, else a word), with
    every word typed marked by MARK_OPEN / MARK_CLOSE; ``render_cell`` turns the marks into <mark>."""
    if not text or not typed:
        return None
    words = [fold_key(w) for w in _search_words(typed.replace('"', " "))]
    words = [w for w in words if w]
    if not words:
        return None
    folded = fold_chars(text)
    phrase = re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", folded)
    any_word = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)")
    first = phrase or any_word.search(folded)
    if first is None:
        return None
    start = max(0, first.start() - width)
    end = min(len(text), first.end() + width)
    out, pos = [], start
    for m in any_word.finditer(folded, start, end):
        out += [text[pos : m.start()], MARK_OPEN, text[m.start() : m.end()], MARK_CLOSE]
        pos = m.end()
    out.append(text[pos:end])
    passage = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + passage + (" …" if end < len(text) else "")
