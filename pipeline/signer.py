"""The signature block (Nghị định 30/2020, Điều 8, item 8): signing authority, position, name.

Layers of prefix are common ("TL. CHỦ TỊCH" / "KT. CHÁNH VĂN PHÒNG" / "PHÓ CHÁNH VĂN PHÒNG"): the
position recorded is the last position line above the name, and the authority is the prefix on the
line right above it (or on the position line itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import vocab
from .casing import is_upper_text, title_case
from .found import Found
from .header import starts_body
from .lines import Line, segments_of

_NAME_WORD = r"[^\W\d_][^\W\d_]*"
_NAME = re.compile(rf"^[^\w]{{0,2}}(?P<name>(?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{1,4}})\s*$")


@dataclass
class SignerFound:
    name: Found | None = None
    position: Found | None = None
    authority: Found | None = None


# A name on the position's own line, as crawlers and converters merge the block: "KT. BỘ TRƯỞNG THỨ TRƯỞNG
# Nguyễn Thị Xuyên", "CHÁNH VĂN PHÒNGThái Hữu Phép" (title-case words after the upper-case position).
_TRAILING_NAME = r"(?:\s*(?P<name>[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,4}))?"


@cache
def _position_pattern() -> re.Pattern[str]:
    signing = vocab.signing()
    authorities = vocab.alternation([a.rstrip(".") for a in signing.authorities])
    positions = vocab.alternation(list(signing.positions))
    return re.compile(rf"(?:(?<![\w])(?P<auth>{authorities})\.\s*)?(?P<pos>{positions}){_TRAILING_NAME}\s*$")


@cache
def _authority_pattern() -> re.Pattern[str]:
    authorities = vocab.alternation([a.rstrip(".") for a in vocab.signing().authorities])
    return re.compile(rf"^[^\w]{{0,3}}(?P<auth>{authorities})\.\s*\S")


@cache
def _inline_authority() -> re.Pattern[str]:
    authorities = vocab.alternation([a.rstrip(".") for a in vocab.signing().authorities])
    return re.compile(rf"(?<![\w])(?P<auth>{authorities})\.\s*[A-ZĐÀ-Ỹ]")


def _last_authority(text: str) -> re.Match[str] | None:
    """The last signing prefix in the text before a position ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH": KT.)."""
    matches = list(_inline_authority().finditer(text))
    return matches[-1] if matches else None


def _is_name(text: str) -> re.Match[str] | None:
    if len(text) > 45 or ":" in text:
        return None
    m = _NAME.match(text)
    if not m:
        return None
    words = m.group("name").split()
    if is_upper_text(m.group("name")):  # a name printed in capitals, not a body or a position
        upper = m.group("name")
        if len(words) > 4 or upper in vocab.signing().positions or starts_body(upper):
            return None
        return m
    return m if all(w[0].isupper() and not w[1:].isupper() for w in words) else None


def _is_position(text: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(text)) and is_upper_text(text)


def find_signer(lines: list[Line], near_line: int | None) -> SignerFound:
    """The signer: among position lines followed by a name, the one nearest the "Nơi nhận" label."""
    segments = segments_of(lines)
    pattern = _position_pattern()
    candidates: list[tuple[int, SignerFound]] = []
    for i, seg in enumerate(segments):
        m = pattern.search(seg.text)
        if not m:
            continue
        following = [s for s in segments[i + 1 : i + 8] if s.line - seg.line <= 3]
        if any(_is_position(s.text, pattern) for s in following):
            continue  # not the last position line: "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH"
        found = SignerFound()
        printed = m.group("pos")
        found.position = Found(vocab.signing().positions[printed], seg.start + m.start("pos"), seg.start + m.end("pos"))
        own = _last_authority(seg.text[: m.start("pos")])
        if m.group("auth"):
            found.authority = Found(m.group("auth") + ".", seg.start + m.start("auth"), seg.start + m.end("auth") + 1)
        elif own is not None:  # "KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM": the block merged into one line
            found.authority = Found(
                own.group("auth") + ".", seg.start + own.start("auth"), seg.start + own.end("auth") + 1
            )
        else:  # the nearest prefix line right above, possibly beside nơi nhận lines
            for prev in reversed([s for s in segments[max(0, i - 8) : i] if seg.line - s.line <= 3]):
                am = _authority_pattern().match(prev.text)
                if am:
                    found.authority = Found(
                        am.group("auth") + ".", prev.start + am.start("auth"), prev.start + am.end("auth") + 1
                    )
                    break
        if m.group("name"):
            found.name = Found(
                " ".join(m.group("name").split()), seg.start + m.start("name"), seg.start + m.end("name")
            )
        for later in [] if found.name is not None else segments[i + 1 : i + 60]:
            nm = _is_name(later.text)
            if nm and not later.text.startswith(("-", "+")):
                name = nm.group("name")
                value = title_case(name) if is_upper_text(name) else " ".join(name.split())
                found.name = Found(value, later.start + nm.start("name"), later.start + nm.end("name"))
                break
        if found.name is not None:
            candidates.append((seg.line, found))
    if not candidates:
        return SignerFound()
    if near_line is None:
        return candidates[-1][1]
    return min(candidates, key=lambda c: abs(c[0] - near_line))[1]
