"""Agencies in the body: finding the subject of a directive, and one canonical name per agency.

The subject of "Sở Kế hoạch và Đầu tư chủ trì, phối hợp với ..." ends where the predicate begins;
predicates are a vocabulary (``vocab/agencies.toml``) matched in lower case only, so the capitalised
words of a name ("Sở Xây dựng") are never mistaken for the verb "xây dựng".

Canonical names make "Phòng NN&PTNT", "Phòng Nông nghiệp và PTNT" and "phòng Nông nghiệp & PTNT"
one agency: abbreviations are expanded, dashes and spaces unified; an office named without its place
("Phòng Tài chính - Kế hoạch huyện") is placed in the issuer's district or province; groups ("UBND
các xã", "Các sở, ban, ngành tỉnh") stay groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, wraps

from . import vocab
from .casing import body_name, is_upper_text


@dataclass(frozen=True)
class Subject:
    name: str
    start: int  # offsets within the text searched
    end: int
    role: str  # lead or request
    predicate: str | None  # the predicate that ended the name, or None for a bare heading


@cache
def _head_pattern() -> re.Pattern[str]:
    v = vocab.agencies()
    heads = vocab.alternation(list(v.heads))
    capital = vocab.alternation(list(v.heads_before_capital))
    groups = vocab.alternation(list(v.group_nouns))
    return re.compile(rf"(?:(?:{heads})(?![\w])|(?:{capital})\s+(?=[A-ZĐÀ-Ỹ])|[Cc]ác\s+(?i:{groups})(?![\w]))")


@cache
def _predicate_pattern() -> re.Pattern[str]:
    # "Ban chỉ đạo", "dự án đầu tư xây dựng": names, not predicates
    predicates = vocab.alternation([p for p in vocab.agencies().predicates if p != "xây dựng"])
    return re.compile(rf"(?<![\w])(?<!Ban )(?<!ban )(?:(?<!đầu tư )xây dựng|{predicates})(?![\w])")


@cache
def _prefix_pattern() -> re.Pattern[str]:
    return re.compile(rf"^(?P<prefix>{vocab.alternation(list(vocab.agencies().prefixes))})\s+")


def _trim(name: str) -> str:
    name = re.sub(r"\s*\([^)]*\)?\s*$", "", name)  # a trailing note: "(Cơ quan thường trực ...)"
    return name.strip(" ,;:.-–")


def starts_with_agency(text: str) -> bool:
    return bool(_head_pattern().match(text))


_BREAKERS = re.compile(
    r"(?<!\w)(?:nhận được|yêu cầu|đề nghị|về việc|ban hành|có ý kiến|thông báo|kết luận|tại cuộc|ngày\s*\d|số\s*\d)(?!\w)"
    r"|\d+/[A-ZĐ]"
)


def _subject_at(text: str, pos: int, role: str, max_chars: int) -> Subject | None:
    honorific = re.match(rf"(?:{'|'.join(map(re.escape, vocab.agencies().honorifics))})\s+", text[pos:])
    if honorific:  # "đề nghị Đ/c Chủ tịch UBND tỉnh": the agency is the Chủ tịch
        pos += honorific.end()
    # after "Giao" or "đề nghị", offices are often written in lower case: "giao phòng Nông nghiệp ..."
    probe = text[:pos] + text[pos : pos + 1].upper() + text[pos + 1 :] if pos else text
    head = _head_pattern().match(probe, pos)
    if not head:
        return None
    window = text[pos : pos + max_chars]
    stop = re.search(r"[.;:](?:\s|$)|\s\(", window)
    limit = stop.start() if stop else len(window)
    pred = _predicate_pattern().search(window, max(head.end() - pos, 1), limit)
    if pred is None:
        return None
    name = _trim(window[: pred.start()])
    if not name or len(name.split()) > 40 or _BREAKERS.search(name):
        return None
    return Subject(name, pos, pos + len(name), role, pred.group())


def find_subject(text: str, max_chars: int = 260) -> Subject | None:
    """The agency a directive item names as its subject, at its start ("Giao X ...", "Đề nghị X ...",
    "X chủ trì ...")."""
    role = "lead"
    pos = 0
    pm = _prefix_pattern().match(text)
    if pm and pm.group("prefix") != "Đối với":  # "Đối với ..." opens an item about something, in running text
        role = vocab.agencies().prefixes[pm.group("prefix")]
        pos = pm.end()
    return _subject_at(text, pos, role, max_chars)


@cache
def _embedded_pattern() -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?P<prefix>[Gg]iao(?: cho)?|[Đđ]ề nghị|[ỦủUu][ỷy] quyền cho)\s+(?!của\b)")


def find_embedded(text: str, max_chars: int = 260) -> Subject | None:
    """An assignment inside an item rather than at its start: "..., giao Sở Tài chính chủ trì ...",
    "... do vậy đề nghị Chủ đầu tư cập nhật ...", "Ủy quyền cho Giám đốc Sở Công Thương thực hiện ..."."""
    for m in _embedded_pattern().finditer(text):
        role = "request" if m.group("prefix").lower().startswith("đề") else "lead"
        subject = _subject_at(text, m.end(), role, max_chars)
        if subject is not None:
            return subject
    return None


def heading_agency(text: str) -> Subject | None:
    """A heading that is only an agency ("2. Phòng Tài chính - Kế hoạch huyện", "1. Sở Công Thương:",
    "4. Đề nghị Ủy ban Mặt trận Tổ quốc, ..."). Text after a colon is the heading's first task."""
    head = text.split(":", 1)[0] if ":" in text else text
    role = "lead"
    pos = 0
    pm = _prefix_pattern().match(head)
    if pm:
        role = vocab.agencies().prefixes[pm.group("prefix")]
        pos = pm.end()
        if pm.group("prefix") == "Đối với" and head[pos:].lower().startswith(vocab.agencies().not_after_concerning):
            return None
    match = _head_pattern().match(head, pos)
    if not match or len(head) > 260:
        return None
    name = _trim(head[pos:])
    if (
        re.search(r"\.\s", name)
        or _predicate_pattern().search(name, max(match.end() - pos, 1))
        or _BREAKERS.search(name)
    ):
        return None
    return Subject(name, pos, pos + len(name), role, None) if name else None


def is_self(name: str, issuer: str | None) -> bool:
    """Whether ``name`` is the issuing body itself ("Chủ tịch UBND tỉnh yêu cầu ..." in its own text)."""
    if not issuer:
        return False
    own = fold_key(expand_agency_abbreviations(re.sub(r"^(?:Phó\s+)?Chủ tịch\s+", "", name)))
    full = fold_key(issuer)
    short = fold_key(re.sub(r"^(Ủy ban nhân dân (?:tỉnh|huyện|xã|thành phố|thị xã|quận|phường)).*$", r"\1", issuer))
    return own in (full, short)


def split_agencies(text: str) -> list[str]:
    """ "Công an tỉnh, các sở, ban, ngành và Ủy ban nhân dân các xã" -> three names.

    A list is cut only where the next piece starts a new agency, so "Sở Nông nghiệp và Môi trường"
    and "Sở Văn hóa, Thể thao và Du lịch" stay whole."""
    text = text.strip(" .;:")
    cuts = [0]
    for sep in re.finditer(r",\s*|;\s*|\s+và\s+", text):
        if _head_pattern().match(text, sep.end()):
            cuts.append(sep.start())
            cuts.append(sep.end())
    cuts.append(len(text))
    names = [text[cuts[i] : cuts[i + 1]].strip(" ,;.") for i in range(0, len(cuts), 2)]
    return [n for n in names if n]


# ------------------------------------------------------------------ canonical names


FOLD_CACHED_UP_TO = 200  # characters: names are cached, whole texts (folded for copy keys) are not


def _cached_for_names(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` computed once per name (names come back in every document), but not kept for a long
    string: the writer folds whole texts for copy keys, and would otherwise hold every document's."""
    cached = lru_cache(maxsize=1 << 16)(function)

    @wraps(function)
    def wrapper(name: str) -> str:
        return cached(name) if len(name) <= FOLD_CACHED_UP_TO else function(name)

    return wrapper


@cache
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every abbreviation, the longest first, and what each stands for."""
    table = vocab.agencies().abbreviations
    shorts = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(map(re.escape, shorts)) + r")(?![\w&])", re.IGNORECASE)
    return pattern, {short.casefold(): full for short, full in table.items()}


@_cached_for_names
def expand_agency_abbreviations(name: str) -> str:
    """Abbreviations written out ("UBND" as "Ủy ban nhân dân", "NN&MT" as "Nông nghiệp và Môi trường"),
    dashes and "&" unified: one spelling for the registry and for what auditors type."""
    pattern, full = _abbreviations()
    name = pattern.sub(lambda m: full[m.group(0).casefold()], name)
    name = re.sub(r"\s*[-–—]\s*", " - ", name)
    name = re.sub(r"\s*&\s*", " và ", name)
    return " ".join(name.split())


@_cached_for_names
def fold_key(name: str) -> str:
    """Lower case, no diacritics, đ as d, alphanumerics only: the registry key of a canonical name."""
    text = unicodedata.normalize("NFD", name.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@dataclass(frozen=True)
class Canonical:
    name: str
    key: str
    level: str | None
    is_group: bool


def canonical(name: str, issuer: str | None = None) -> Canonical:
    """The canonical form of an agency name, in the context of the issuing body (a People's Committee,
    or the one above the issuing Sở): "Phòng Tài chính - Kế hoạch huyện" in a dispatch of UBND huyện
    Tam Đường is "Phòng Tài chính - Kế hoạch huyện Tam Đường"; "Công an tỉnh" in one of UBND tỉnh Lào
    Cai is "Công an tỉnh Lào Cai". Groups are left as they are."""
    if is_upper_text(name):
        name = body_name(name)
    expanded = expand_agency_abbreviations(name)
    expanded = expanded[:1].upper() + expanded[1:]
    is_group = bool(re.search(r"(?:^|\s)các\s", expanded, re.IGNORECASE))
    level = None
    m = re.search(r"\s(tỉnh|huyện|xã|thành phố|thị xã)$", expanded)
    if m:
        level = m.group(1)
        expanded = expanded[: m.start()]
    scope = re.match(r"Ủy ban nhân dân (tỉnh|huyện|thành phố|thị xã|quận) (.+)$", issuer or "")
    places_named = re.search(r"\s(?:tỉnh|huyện|xã|thành phố|thị xã|quận|phường)\s+[A-ZĐÀ-Ỹ]", expanded)
    if not is_group and scope and not places_named:
        issuer_level, place = scope.groups()
        office = expanded.split()[0] if expanded else ""
        district = issuer_level in ("huyện", "thị xã", "quận") or issuer_level == "thành phố" and level == "huyện"
        if level == issuer_level or (
            level is None
            and (office == "Sở" and issuer_level in ("tỉnh", "thành phố") or office == "Phòng" and district)
        ):
            level = issuer_level
            expanded = f"{expanded} {issuer_level} {place}"
        elif level:
            expanded = f"{expanded} {level}"
    elif level:
        expanded = f"{expanded} {level}"
    return Canonical(expanded, fold_key(expanded), level, is_group)


# ------------------------------------------------------------------ groups and their members

# The kinds of body a group names ("Các sở, ban, ngành" holds every Sở and Ban of the province), by the
# folded words that name them; a single agency's kind is the first of these its name begins with.
_KIND_WORDS = {
    "so": ("so",),
    "ban": ("ban", "nganh"),
    "phong": ("phong",),
    "ubnd-huyen": ("uy ban nhan dan cac huyen", "cac huyen", "cac quan", "cac thi xa", "thanh pho"),
    "ubnd-xa": ("uy ban nhan dan cac xa", "cac xa", "cac phuong", "thi tran"),
}
_AREA = re.compile(r"\b(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹđ]*\s*)+)$")


def agency_kind(name: str) -> str | None:
    """The kind of a single body: "so" for "Sở Tài chính tỉnh Lào Cai", "ubnd-huyen" for "Ủy ban nhân dân
    huyện Phong Thổ", "phong", "ban", "ubnd-xa"; None for the rest (a Bộ, a company, a person)."""
    key = fold_key(name)
    if key.startswith("uy ban nhan dan "):
        rest = key[len("uy ban nhan dan ") :]
        if rest.startswith(("huyen ", "quan ", "thi xa ", "thanh pho ")):
            return "ubnd-huyen"
        if rest.startswith(("xa ", "phuong ", "thi tran ")):
            return "ubnd-xa"
        return None
    first = key.split(" ", 1)[0]
    return first if first in ("so", "ban", "phong") else None


def group_kinds(name: str) -> list[str]:
    """The kinds of body a group holds: "Các sở, ban, ngành" gives so and ban; "UBND các huyện, thành phố"
    gives ubnd-huyen; "Các phòng, ban, đơn vị" gives phong and ban."""
    key = fold_key(name)
    found = []
    for kind, words in _KIND_WORDS.items():
        if kind.startswith("ubnd"):
            if any(w in key for w in words[:2]) or any(f"cac {w}" in key for w in words[2:]):
                found.append(kind)
        elif re.search(rf"\bcac\b.*\b(?:{'|'.join(words)})\b", key):
            found.append(kind)
    if "ubnd-huyen" in found or "ubnd-xa" in found:
        found = [k for k in found if k.startswith("ubnd")]  # "Ủy ban nhân dân các xã": not a Ban
    return found


def area_of(name: str | None) -> str | None:
    """The unit a name is placed in, folded: "tinh lao cai" for "Sở Tài chính tỉnh Lào Cai" and for "Ủy ban
    nhân dân tỉnh Lào Cai"; the province or district that holds a People's Committee's own bodies."""
    if not name:
        return None
    m = _AREA.search(name.strip())
    return fold_key(f"{m.group(1)} {m.group(2)}") if m else None
