"""The document header (Nghị định 30/2020, Điều 8, items 1–5): issuer, số and ký hiệu, place and
date, document type and trích yếu.

The header may come as one column after the other (DOCX tables, our PDF reader), interleaved
(pdftotext), or squeezed onto shared lines (OCR: "Số: 44 /CT-UBND Quảng Ngãi, ngày ..."). The
extractors therefore look for each part by its own shape within the first lines rather than by
position, and stop at the first body paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import vocab
from .casing import body_name, is_upper_text
from .found import Found
from .lines import Line, Segment, cells_of, line_at, segments_of, sub_segment

HEADER_LINES = 70  # the header never runs longer than this many lines, blank ones included

_LETTER = r"[^\W\d_]"
_NUMBER = re.compile(
    r"(?<!\w)(?:S[ốôo0óòỏõọồổỗộớờởỡợơ]\s*[:.;]?|số\s*:)\s*(?P<num>\d{1,6}(?!\d)(?:\.\d{1,3}(?=\s*/))?)?\s*(?P<noise>(?:[^\s/]{1,4}\s+){0,3}(?:[^\s/\d]{1,2}(?=/)|[^\w\s/-]{0,2}))\s*"
    r"(?P<sym>[/-]\s*(?:\d{4}/)?[A-ZĐ][\w&.\-/]*(?:[ \t]?-[ \t]?[A-ZĐ][\w&.\-/]*)*)?"  # "QĐ - UBND": one symbol
)
_NUMBER_SYMBOL = re.compile(
    r"(?<![\w/.])(?P<num>\d{1,6})\s*/\s*(?P<sym>(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)+)(?![\w/-])"
)
_CITED_BEFORE = re.compile(
    r"(?:[Ss]ố|[Qq]uyết định|[Cc]ông văn|[Kk]ế hoạch|[Tt]hông báo|[Nn]ghị|[Tt]hông tư|V/v|[Vv]ề)"
)
# the rest of a ký hiệu a narrow header cell wrapped onto the next line ("Số: /KH-" then "SCT")
_SYMBOL_REST = re.compile(r"^[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)*$")
_SYMBOL_ALONE = re.compile(r"^[/-]\s*(?P<sym>(?:\d{4}/)?[A-ZĐ][\w&.\-/]*(?:[ \t]?-[ \t]?[A-ZĐ][\w&.\-/]*)*)")
_DATE_CORE_PATTERN = r"ngày\W{0,3}\s*(?:(?P<d>\d{1,2})|[^\s\d]{1,3}(?=\s*tháng))?\W{0,3}\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>(?:19|20)\d{2})"
_DATE_CORE = re.compile(_DATE_CORE_PATTERN, re.IGNORECASE)
_DATE = re.compile(r"(?P<pre>[^\n\t,]{0,60}?)\s*,?\s*" + _DATE_CORE_PATTERN, re.IGNORECASE)


@dataclass
class Header:
    issuer: Found | None = None
    parent_issuer: Found | None = None
    number: Found | None = None
    symbol: Found | None = None
    place: Found | None = None
    date: Found | None = None
    doc_type: Found | None = None
    abstract: Found | None = None
    title_line: int | None = None  # index of the line holding the type title
    # the số line prints a number OCR could not read (handwritten, stamped): left empty, and said so
    number_unreadable: bool = False
    issuer_inferred: bool = False  # the issuer read from the body (infer_issuer): not a part of the header


def header_segments(lines: list[Line]) -> list[Segment]:
    """Segments of the header zone, with quốc hiệu and tiêu ngữ cut out of shared lines."""
    motto = vocab.layout().national_motto
    foot = vocab.layout().distribution_label
    out: list[Segment] = []
    for seg in segments_of(lines[:HEADER_LINES]):
        if foot.match(seg.text) and out:
            break  # Nơi nhận: the document's foot; a title below it is an annex's (Nghị định 30/2020, Điều 8)
        pos = 0
        for m in motto.finditer(seg.text):
            before = sub_segment(seg, pos, m.start())
            if before:
                out.append(before)
            pos = m.end()
        rest = sub_segment(seg, pos, len(seg.text)) if pos else seg
        if rest and not (pos and not rest.text.strip(" -–—_.,:")):
            out.append(rest)
    return out


# ------------------------------------------------------------------ số and ký hiệu


def clean_symbol(symbol: str) -> str:
    symbol = re.sub(r"\s+", "", symbol).strip("/-.,;:")
    return symbol


def unreadable_number(header: list[Segment], symbol: Found | None) -> bool:
    """Whether a number is printed that OCR could not read: the số line holds marks where the number
    stands that are neither a number nor a blank's dots ("Số: Ả € 1 /GP-BKHCN", "SỐ: œ2 đGP-BCT"), or
    the ký hiệu stands alone at the head of its line, "Số:" and the number lost under a stamp. ``header``:
    the segments above the body."""
    for seg in header:
        m = _NUMBER.match(seg.text)
        if m and re.match(r"S[ốôoóòỏõọổỗộỐÔOÓỔ]\s*[:.;]", seg.text) and not m.group("num"):  # not "Sở", "Sơn La"
            noise = m.group("noise") or ""
            if m.group("sym"):
                return bool(re.search(r"[^\s._…,:;]", noise))
            return bool(re.search(r"\w", noise) and re.search(r"[A-ZĐ]{1,6}-[A-ZĐ]{2,}", seg.text[m.end() :]))
    return symbol is not None


def body_start(segments: list[Segment]) -> int:
    """The index of the first segment of the body (Kính gửi, or a paragraph that opens the body): the
    số stands above it (Nghị định 30/2020, Điều 8), and a number below is a citation's."""
    for i, seg in enumerate(segments):
        if (
            vocab.layout().addressee_label.match(seg.text)
            or _opens_body(seg.text)
            and not seg.text.startswith(("-", "+"))
        ):
            return i
    return len(segments)


def find_number(segments: list[Segment], body: int | None = None) -> tuple[Found | None, Found | None, int | None]:
    """Số and ký hiệu: "Số: 123/QĐ-UBND", "Số: /UBND-NN" (blank), "Số: 9387 /UBND-KT", or the
    number and symbol on different lines ("Số: 565" ... "/TB-UBND"). Returns the line index too.
    ``body``: the index of the body's first segment (``body_start``), found here when not given."""
    for i, seg in enumerate(segments):
        m = _NUMBER.match(seg.text)
        if (
            not m
            or seg.text[:1] not in "Ss"
            or not (m.group("num") or m.group("sym") or re.fullmatch(r"Số\s*:?", seg.text))
        ):
            continue
        number = None
        if m.group("num"):
            digits = m.group("num").lstrip("0") or "0"  # "66.18" (a resolution's sub-number) kept whole
            number = Found(digits, seg.start + m.start("num"), seg.start + m.end("num"))
        symbol = None
        if m.group("sym"):
            raw = m.group("sym")
            symbol = Found(clean_symbol(raw), seg.start + m.start("sym") + 1, seg.start + m.end("sym"))
            rest = segments[i + 1] if i + 1 < len(segments) else None
            if raw.endswith("-") and rest is not None and rest.line == seg.line + 1 and _SYMBOL_REST.match(rest.text):
                symbol = Found(f"{symbol.value}-{rest.text}", symbol.start, rest.end)
        else:  # the ký hiệu stands a few segments further on (pdftotext of a two-column header)
            for later in segments[i + 1 : i + 8]:
                if number is None and re.fullmatch(r"\d{1,6}", later.text):
                    number = Found(later.text.lstrip("0") or "0", later.start, later.end)
                    continue
                sm = _SYMBOL_ALONE.match(later.text)
                if sm:
                    symbol = Found(
                        clean_symbol(sm.group("sym")), later.start + sm.start("sym"), later.start + sm.end("sym")
                    )
                    break
        return number, symbol, seg.line
    # a stamp over "Số:" left the number and the ký hiệu at the head of the line, after its own noise
    # ("Tóc sư—SS: 19/2026/NQ-CP Hà Nội, ngày 29 ..."): a citation would name its type before them, and
    # a number in the body is a citation's
    segments = segments[: min(40, body_start(segments) if body is None else body)]
    for seg in segments:
        cm = _NUMBER_SYMBOL.search(seg.text, 0, 40)
        if cm and seg.line < 15 and not _CITED_BEFORE.search(seg.text[: cm.start()]):
            number = Found(cm.group("num").lstrip("0") or "0", seg.start + cm.start("num"), seg.start + cm.end("num"))
            symbol = Found(clean_symbol(cm.group("sym")), seg.start + cm.start("sym"), seg.start + cm.end("sym"))
            return number, symbol, seg.line
    # "Số:" and its number lost under a stamp or a handwritten number OCR cannot read: the ký hiệu still
    # stands at the head of its line ("/QĐ-XPVPHC Hà Nội, ngày ..."), and is kept
    for seg in segments:
        sm = _SYMBOL_ALONE.match(seg.text)
        if sm and "-" in sm.group("sym") and seg.line < 15:
            symbol = Found(clean_symbol(sm.group("sym")), seg.start + sm.start("sym"), seg.start + sm.end("sym"))
            return None, symbol, seg.line
    return None, None, None


# ------------------------------------------------------------------ place and date


def _place_words(pre: str) -> tuple[str, int] | None:
    """The trailing capitalised words of ``pre`` ("Số: 44 /CT-UBND Quảng Ngãi" -> "Quảng Ngãi").

    Words in capitals belong to the issuer above, not to the place; "Thành phố" and "Thị xã" before a
    name are part of it ("Thành phố Hồ Chí Minh").
    """
    words = list(re.finditer(r"\S+", pre))
    kept: list[re.Match[str]] = []
    for w in reversed(words):
        word = w.group()
        if (
            re.match(rf"^{_LETTER}", word)
            and word[0].isupper()
            and not word.endswith(":")
            and not (len(word) > 1 and word.isupper())
        ):
            kept.insert(0, w)
        else:
            break
    if not kept:
        return None
    before = [w.group() for w in words[: words.index(kept[0])]][-2:]
    if len(before) == 2 and " ".join(before).lower() in ("thành phố", "thị xã", "thị trấn"):
        kept = words[words.index(kept[0]) - 2 : words.index(kept[0])] + kept
    kept = kept[-6:]
    return pre[kept[0].start() : kept[-1].end()], kept[0].start()


def _date_search(text: str) -> re.Match[str] | None:
    """_DATE.search, started a little before the first "ngày … năm YYYY": the place group in front of
    it makes _DATE try every position of a long paragraph, which _DATE_CORE (anchored on "ngày") does not."""
    core = _DATE_CORE.search(text)
    return _DATE.search(text, max(0, core.start() - 200)) if core else None


def find_date(segments: list[Segment]) -> tuple[Found | None, Found | None, int | None]:
    """Place and date of issue: "Lào Cai, ngày 15 tháng 9 năm 2026" with blank day or month allowed.

    The date line of Nghị định 30/2020 carries its địa danh: a date with a place before it is preferred to
    an earlier bare "ngày … năm …" (a cited document's date that a converter moved above the header)."""
    first: tuple[Found | None, Found | None, int | None] | None = None
    for found in _dates(segments):
        if found[0] is not None:
            return found
        first = first or found
    return first or (None, None, None)


def _dates(segments: list[Segment]) -> Iterator[tuple[Found | None, Found | None, int | None]]:
    for seg in segments:
        m = _date_search(seg.text)
        if not m:
            continue
        year = int(m.group("y"))
        month = int(m.group("m")) if m.group("m") else None
        day = int(m.group("d")) if m.group("d") else None
        if month and month > 12:  # a superscript or stamp digit glued on: "tháng 54"
            month = int(str(month)[0]) or None
        if day and not 1 <= day <= 31:
            day = None
        iso = f"{year:04d}"
        if month:
            iso += f"-{month:02d}"
            if day:
                iso += f"-{day:02d}"
        date = Found(iso, seg.start + (m.start("d") if day else m.start()), seg.start + m.end("y"))
        place = None
        pw = _place_words(m.group("pre"))
        if pw:
            name, offset = pw
            start = seg.start + m.start("pre") + offset
            place = Found(name, start, start + len(name))
            date = Found(iso, start, seg.start + m.end("y"))
        yield place, date, seg.line


# ------------------------------------------------------------------ issuer


def _is_stamp(text: str) -> bool:
    return any(p.search(text) for p in vocab.bodies().stamp)


def starts_body(text: str) -> bool:
    lowered = text.lower()
    for head in vocab.bodies().heads:
        h = head.lower()
        if lowered.startswith(h) and (len(lowered) == len(h) or not lowered[len(h)].isalpha()):
            return True
    return False


def find_issuer(segments: list[Segment], stop_line: int) -> tuple[Found | None, Found | None]:
    """Issuer and governing body from the capitalised lines above the số (item 2 of the layout)."""
    layout = vocab.layout()
    candidates: list[Segment] = []
    for seg in segments:
        if seg.line >= stop_line:
            break
        text = seg.text.strip("* ")
        if _is_stamp(text):
            # a signing stamp ("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC" / e-mail / time): drop its name lines
            while candidates and seg.line - candidates[-1].line <= 2:
                candidates.pop()
            continue
        if layout.rule_line.match(text) or not is_upper_text(text):
            continue
        if text.rstrip(":").upper() in vocab.doc_types().by_title:
            continue
        candidates.append(seg)
    bodies: list[list[Segment]] = []
    for seg in candidates:
        if bodies and seg.line - bodies[-1][-1].line > 4:
            bodies = []  # far above the issuer: a stamp or stray capitals, not a governing body
        if not bodies or starts_body(seg.text):
            bodies.append([seg])
        else:
            bodies[-1].append(seg)
    if not bodies:
        return None, None

    def found(parts: list[Segment]) -> Found:
        printed = ocr_fixed(" ".join(p.text.strip("*").strip(" -–—_") for p in parts))
        printed = " ".join(re.sub(r"\||[-–—_=*]{3,}", " ", printed).split())  # a pipe table's bars, rules
        for title in vocab.doc_types().by_title:  # OCR put the type title on the issuer's line
            if printed.endswith(" " + title) and len(title) > 5:
                printed = printed[: -len(title)].rstrip()
        return Found(body_name(printed), parts[0].start, parts[-1].end)

    if not any(starts_body(part[0].text.strip("*( ")) for part in bodies[-2:]):
        # no body's name among the capitals above the số: a title, a form's placeholder, an annex's
        # heading. What the header does not print stays empty (the issuer is not invented)
        return None, None
    issuer = found(bodies[-1])
    parent = (
        found(bodies[-2])
        if len(bodies) >= 2
        and starts_body(bodies[-2][0].text)
        and not any(c.isdigit() for p in bodies[-2] for c in re.sub(r"\bQUẬN\s+\d{1,2}\b", "", p.text))
        else None
    )
    return issuer, parent


_SELF_REFERENCE = re.compile(
    r"(?:UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN)\s+(tỉnh|huyện|xã|thành phố|thị xã|quận|phường)(?!\s+[A-ZĐÀ-Ỹ])"
)


def infer_issuer(text: str, place: Found | None, symbol: Found | None) -> Found | None:
    """Where the header is missing but the text makes the issuer certain.

    A People's Committee signs "TM. ỦY BAN NHÂN DÂN" or codes its documents "…-UBND", and calls itself
    "UBND huyện" (no place name after the level) in its own text; with the place of the date line this
    gives "Ủy ban nhân dân huyện Tam Đường".
    """
    if place is None:
        return None
    is_committee = (
        symbol is not None and "UBND" in symbol.value.split("-")[-1:] + symbol.value.split("-")[:1]
    ) or bool(re.search(r"TM\.\s*ỦY BAN NHÂN DÂN|Chủ\s+tịch\s+(?:Ủy ban nhân dân|UBND)", text))
    if not is_committee:
        return None
    levels: dict[str, list[re.Match[str]]] = {}
    for m in _SELF_REFERENCE.finditer(text):
        levels.setdefault(m.group(1), []).append(m)
    if not levels:
        return None
    level, mentions = max(levels.items(), key=lambda kv: len(kv[1]))
    first = mentions[0]
    return Found(f"Ủy ban nhân dân {level} {place.value}", first.start(), first.end())


# ------------------------------------------------------------------ type and trích yếu


def ocr_fixed(text: str) -> str:
    """A capitalised header line with OCR's usual misreadings put right ("TĨNH" -> "TỈNH")."""
    if not is_upper_text(text):
        return text
    for wrong, right in vocab.layout().ocr_fixes.items():
        text = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, text)
    return text


def find_title(segments: list[Segment], below: int | None = None) -> Found | None:
    """The type title printed alone in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH"), or ending a capitalised
    line that OCR merged with the issuer ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI CHỈ THỊ").

    ``below``: the số line. The title stands under it (Nghị định 30/2020, Điều 8); capitals above it
    that begin like a title are a site's banner ("VĂN BẢN QUY PHẠM PHÁP LUẬT") or the issuer's."""
    titles = vocab.doc_types().by_title
    for seg in segments[: body_start(segments)]:  # a title in the body is an annex's or a cited document's
        key = ocr_fixed(" ".join(seg.text.strip("*: ").split()))
        if below is not None and seg.line < below and not starts_body(key):
            continue
        if key in titles:  # exact capitals only: "Kế hoạch" in running text is not a title
            return Found(titles[key], seg.start, seg.end)
        if is_upper_text(key) and not starts_body(key):  # "BIÊN BẢN THẨM ĐỊNH HỒ SƠ": the title runs on
            for title, name in sorted(titles.items(), key=lambda kv: -len(kv[0])):
                if key.startswith(title + " ") and len(title) > 5:
                    return Found(name, seg.start, seg.start + len(title))
        if is_upper_text(key) and starts_body(key):
            for title, name in titles.items():
                if key.endswith(" " + title) and len(title) > 5:
                    return Found(name, seg.end - len(title), seg.end)
    return None


_ANNEX = re.compile(r"^\W{0,4}(?P<label>Phụ lục|PHỤ LỤC)(?:\s+[IVXLCHl\d]{1,6}[a-z]?)?\s*[.:]?\s*$")
_ANNEXED_TO = re.compile(r"^\W{0,3}\(?\s*(?:Kèm theo|Ban hành kèm theo)", re.IGNORECASE)


def annex_heading(segments: list[Segment]) -> Found | None:
    """A file that opens with an annex's heading: "Phụ lục IV", its title, then "(Kèm theo Nghị định số
    ...)" (Nghị định 30/2020, Phụ lục I: how an annex is laid out). Its kind is Phụ lục."""
    for i, seg in enumerate(segments[:3]):
        m = _ANNEX.match(seg.text)
        if m and any(_ANNEXED_TO.match(later.text) for later in segments[i + 1 : i + 7]):
            return Found("Phụ lục", seg.start + m.start("label"), seg.start + m.end("label"))
    return None


def type_from_symbol(symbol: Found | None) -> Found | None:
    if symbol is None:
        return None
    code = re.split(r"[-/]", re.sub(r"^\d{4}/", "", symbol.value))[0].upper()
    name = vocab.doc_types().by_code.get(code)
    return Found(name, symbol.start, symbol.end) if name else None


def _opens_body(text: str) -> bool:
    layout = vocab.layout()
    if any(text.startswith(p) for p in layout.body_openings):
        return True
    if re.match(r"^(?:Ngày\s+\d|[IVX]+\.\s|\d+\.\s|[-+•]\s|Điều\s+\d+\s*[.:])", text):
        return True  # a numbered item or an article (Nghị định 30/2020: the body of a decision is in articles)
    if layout.distribution_label.match(text):
        return True
    return False


def _stops_abstract(seg: Segment, upper_allowed: bool = False) -> bool:
    """Whether ``seg`` is a header part or the body rather than the trích yếu. Under a type title the
    trích yếu may be printed in capitals (law sites and many converters do): ``upper_allowed``."""
    layout = vocab.layout()
    text = seg.text
    if upper_allowed and is_upper_text(text) and not starts_body(text):
        date = _DATE_CORE.search(text)  # a date line opens with its place; a cited document's date comes late
        return bool(
            layout.national_motto.search(text)
            or (date and date.start() < 40)
            or _is_stamp(text)
            or _NUMBER.match(text)
            and text.startswith("Số")
        )
    return bool(
        _opens_body(text)
        or layout.national_motto.search(text)
        or layout.addressee_label.match(text)
        or layout.rule_line.match(text)
        or _date_search(text)
        or _NUMBER.match(text)
        and text.startswith("Số")
        or is_upper_text(text)
        and len(text.split()) >= 2
        or _is_stamp(text)
    )


def collect_abstract(
    lines: list[Line], first: Segment, label: re.Pattern[str] | None, upper_allowed: bool = False
) -> Found | None:
    """The trích yếu starting at ``first``: its lines until a blank line or the next header part (an
    upper-case trích yếu under a title goes on while its lines stay upper case)."""
    upper = upper_allowed and is_upper_text(first.text)
    parts: list[Segment] = []
    seg = first
    if label is not None:
        m = label.match(seg.text)
        if m:
            cut = sub_segment(seg, m.end(), len(seg.text))
            if cut is None:
                return None
            seg = cut
    parts.append(seg)
    for line in lines[first.line + 1 : first.line + 8]:
        if line.blank or len(line.segments) > 1 and line.segments[0].text == parts[-1].text:
            break
        nxt = line.segments[0]
        if _stops_abstract(nxt, upper and is_upper_text(nxt.text)) and not nxt.text[:1].islower():
            break
        parts.append(nxt)
        if len(line.segments) > 1:  # another cell follows: the trích yếu cell ended
            break
    text = " ".join(" ".join(p.text for p in parts).split()).strip(" .;:")
    text = re.sub(r"^(?:V[ềêeéèàảa]\s*vi[ệêe]c|V/v)\s*:?\s*", "", text)  # OCR reads "Về việc" as "Và việc"
    if not text:
        return None
    return Found(text[:1].upper() + text[1:], parts[0].start, parts[-1].end)


def find_subject(segments: list[Segment], number_line: int | None = None) -> Segment | None:
    """The "V/v ..." line of a công văn: under its số (Nghị định 30/2020, Phụ lục I), where a số is
    found; a "v/v" above it belongs to a page's title ("Công văn số 5115/LĐTBXH-KHTC v/v ..." over a
    crawled header)."""
    label = vocab.layout().subject_label
    found = [seg for seg in segments if label.match(seg.text)]
    below = [seg for seg in found if number_line is not None and seg.line >= number_line]
    return next(iter(below or found), None)


def extract_header(text: str, lines: list[Line]) -> Header:
    """All header fields of one document."""
    header = Header()
    segments = header_segments(lines)
    cells = cells_of(lines[:HEADER_LINES])
    body = body_start(segments)
    header.number, header.symbol, number_line = find_number(segments, body)
    header.number_unreadable = header.number is None and unreadable_number(segments[:body], header.symbol)
    header.place, header.date, date_line = find_date(cells)
    if header.date is None:  # "Hà Nội, ngày 28" / "tháng 4" / "năm 2026" on separate lines (pdftotext)
        header.place, header.date, _ = find_date(_joined_header(lines))
        date_line = line_at(lines, header.date.start) if header.date else None
    title = find_title(segments, number_line)
    subject = find_subject(segments, number_line)
    addressee = next((s for s in segments if vocab.layout().addressee_label.match(s.text)), None)

    stops = [
        i
        for i in (
            number_line,
            date_line,
            line_at(lines, title.start) if title else None,
            subject.line if subject else None,
            addressee.line if addressee else None,
        )
        if i is not None
    ]
    stop_line = min(stops) if stops else min(len(lines), 12)
    header.issuer, header.parent_issuer = find_issuer(segments, stop_line)
    if header.issuer is None:
        header.issuer = infer_issuer(text, header.place, header.symbol)
        header.issuer_inferred = header.issuer is not None

    annex = annex_heading(segments)
    if annex is not None:  # a file that is an annex: its heading, not a form's title inside it
        header.doc_type = annex
    elif title is not None:
        header.doc_type = title
        header.title_line = line_at(lines, title.start)
        first = next((s for s in segments if s.line > header.title_line), None)
        if first is not None and (
            vocab.layout().subject_label.match(first.text) or not _stops_abstract(first, upper_allowed=True)
        ):
            header.abstract = collect_abstract(lines, first, vocab.layout().subject_label, upper_allowed=True)
    else:
        header.doc_type = type_from_symbol(header.symbol)
        anchor = subject or addressee
        if header.doc_type is None and anchor is not None:
            # inferred from "V/v" or "Kính gửi": the span is that label
            label = re.match(r"V/v|Về việc|Kính gửi", anchor.text, re.IGNORECASE)
            default = vocab.doc_types().default
            header.doc_type = Found(default, anchor.start, anchor.start + (label.end() if label else 3))
        if subject is not None:
            header.abstract = collect_abstract(lines, subject, vocab.layout().subject_label)
    if header.doc_type is None and header.issuer is not None:
        header.doc_type = Found(vocab.doc_types().default, header.issuer.start, header.issuer.end)
    return header


def _joined_header(lines: list[Line]) -> list[Segment]:
    """The header zone as one segment with line breaks, for a date line broken over several lines."""
    zone = [ln for ln in lines[:HEADER_LINES] if ln.segments]
    if not zone:
        return []
    start, end = zone[0].start, zone[-1].end
    text = "\n".join(ln.text for ln in lines[zone[0].index : zone[-1].index + 1])
    flat = re.sub(r"\s*\n\s*", lambda m: " " * len(m.group()), text)  # same length: offsets hold
    return [Segment(start, end, flat, zone[0].index)]
