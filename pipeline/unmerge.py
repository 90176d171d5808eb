"""Header lines that a crawler or a converter merged, put back on lines of their own.

Nghị định 30/2020 (Điều 8) lays the header out in parts, each on its own line: cơ quan ban hành, số
and ký hiệu, trích yếu (V/v), quốc hiệu and tiêu ngữ, địa danh and date, Kính gửi. Web crawls of law sites
and portals, and text layers of previews, run them together ("BỘ Y TẾ ------- CỘNG HÒA ... Độc lập - Tự
do - Hạnh phúc", "Số: 384/BYT-KCB V/v cấp ...", "Hà Nội, ngày 27 tháng 01 năm 2014 Kính gửi: ...
Trong thời gian qua, ..."), often after a title line of the site's own ("Công văn 384/BYT-KCB năm 2014
... do Bộ Y tế ban hành."). Every extractor reads lines, so the parts are split again here, at the
boundaries the layout itself defines, before anything else reads the text.

Only the head of a document is touched, and only when it shows a merge (a header part sharing its line
with another); a document laid out line by line passes through unchanged.
"""

from __future__ import annotations

import re
from functools import cache

from . import vocab

HEAD_LINES = 8  # a merged header spans a few lines; the body is never rewritten
UPPER = "A-ZĐÀ-Ỹ"


@cache
def _splits() -> list[re.Pattern[str]]:
    """Places where a header part begins or ends inside a line (the split goes at the match)."""
    layout = vocab.layout()
    motto = layout.national_motto.pattern
    subject = layout.subject_label.pattern.lstrip("^")
    addressee = layout.addressee_label.pattern
    return [
        re.compile(r"\s*[-–—_=*]{5,}\s*"),  # the rule under the issuer and under the motto
        re.compile(rf"(?<=\S)\s+(?=(?:{motto}))", re.IGNORECASE),  # quốc hiệu after the issuer
        re.compile(r"(?<=VIỆT NAM)\s+(?=Độc\s+lập)", re.IGNORECASE),  # tiêu ngữ under the quốc hiệu
        re.compile(r"(?<=Hạnh phúc)\s+(?=\S)"),  # what follows the tiêu ngữ
        # a site's title (a sentence: "... do Bộ Y tế ban hành."), then the issuer; not after "KT." or "TM."
        re.compile(rf"(?<=[a-zđà-ỹ][.!?])\s+(?=[{UPPER}]{{2,}}(?:\s+[{UPPER}]+)+(?:\s|$))"),
        re.compile(r"(?<=\S)\s+(?=Số\s*:)"),  # the số line after the issuer
        re.compile(rf"(?<=\S)\s+(?={subject})"),  # the trích yếu after the số
        re.compile(rf"(?<=\S)\s+(?={addressee})", re.IGNORECASE),  # Kính gửi after the date
    ]


_DATE = re.compile(r"^[^\n]{0,40}?ngày\s+[\d.…_ ]{0,4}\s*tháng\s+[\d.…_ ]{0,4}\s*năm\s+\d{4}\s*(?=\S)")


@cache
def _body_opening() -> re.Pattern[str]:
    """A body's first words after the addressee on the Kính gửi line ("... Trung ương Trong thời gian qua")."""
    openings = [o.strip() for o in vocab.layout().body_openings if o.strip() not in ("Kính gửi", "Chủ tịch")]
    return re.compile(rf"(?<=[\w.;)])\s+(?=(?:{'|'.join(re.escape(o) for o in openings)})\s)")


def merged(lines: list[str]) -> bool:
    """Whether the head shows a merge: a header part sharing its line with another part."""
    layout = vocab.layout()
    for line in lines:
        motto = layout.national_motto.search(line)
        after = re.search(r"Hạnh\s+phúc(.*)$", line)
        if motto and (line[: motto.start()].strip(" -–—_=*|") or after and after.group(1).strip(" -–—_=*|")):
            return True
        if re.match(r"\s*Số\s*:", line) and re.search(layout.subject_label.pattern.lstrip("^"), line[4:]):
            return True
        if _DATE.match(line) and layout.addressee_label.search(line):
            return True
    return False


# A law site's title of the document ("Quyết định 435/QĐ-UBND năm 2020. ..."), which its crawl also puts in
# front of each part it anchors ("Quyết định 435/QĐ-UBND năm 2020. Điều 1.", "... CHƯƠNG TRÌNH HÀNH ĐỘNG.
# II. NỘI DUNG HOẠT ĐỘNG").
_SITE_TITLE = re.compile(
    r"^(?P<title>[A-ZĐ][a-zà-ỹđ]+(?: [a-zà-ỹđ]+)? \d+[^\s.]*(?: [^\n.]{0,80}?)? năm \d{4})\.[ \t]+"
)


def _anchored(text: str) -> str:
    """Each part the crawl put the site's title in front of, on a line of its own after the title (and a
    part's heading after the title of the part: "CHƯƠNG TRÌNH HÀNH ĐỘNG. II. NỘI DUNG" on two lines)."""
    first = _SITE_TITLE.match(text)
    if first is None or text.count(first.group("title") + ".") < 3:
        return text
    prefix = re.compile(rf"^({re.escape(first.group('title'))}\.)[ \t]+(?=\S)", re.MULTILINE)
    text = prefix.sub(lambda m: m.group(1) + "\n", text)
    heading = re.compile(rf"(?<=\n)([{UPPER} ]{{4,}}\.)[ \t]+(?=[IVXL]+\.\s)")
    return heading.sub(lambda m: m.group(1) + "\n", text)


def unmerge_header(text: str) -> str:
    """``text`` with its merged header parts on lines of their own (unchanged when nothing is merged)."""
    text = _anchored(text)
    # only the head is split into lines: this runs on every document, long ones included
    cut = -1
    for _ in range(HEAD_LINES):
        cut = text.find("\n", cut + 1)
        if cut < 0:
            cut = len(text)
            break
    head, rest = text[:cut].split("\n"), text[cut:]
    if not merged(head):
        return text
    out: list[str] = []
    for line in head:
        pieces = [line]
        for pattern in _splits():
            pieces = [part for piece in pieces for part in pattern.sub("\n", piece).split("\n")]
        for piece in pieces:
            date = _DATE.match(piece)
            if date:  # the date line ends with its year
                out += [piece[: date.end()].rstrip(), piece[date.end() :]]
            elif vocab.layout().addressee_label.match(piece):
                out += _body_opening().sub("\n", piece, count=1).split("\n")
            else:
                out.append(piece)
    return "\n".join(p for p in out if p.strip()) + rest
