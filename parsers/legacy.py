"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI and VIQR, detected and converted to Unicode.

Before Unicode, Vietnamese was typed in font encodings that reuse Latin-1 code points: TCVN3 writes
"Uû ban nh©n d©n", VNI writes "UÛy ban nhaân daân" (a base letter followed by its marks), and plain
ASCII mail used VIQR ("Co^.ng ho`a"). Such text reaches us from old .txt files and from Word
documents set in .VnTime or VNI-Times fonts. The tables are built from the encodings' published
layouts; detection compares how Vietnamese the text looks before and after each conversion.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .ocr import LETTER as _LETTERS  # letters, not m² nor Ⅳ

# TCVN3 (ABC): one byte per letter. Capitals with tone marks come from a separate capital font that
# reuses the lower-case codes, so they decode to lower case here.
_TCVN3 = {
    "¸": "á",
    "µ": "à",
    "¶": "ả",
    "·": "ã",
    "¹": "ạ",
    "¨": "ă",
    "¾": "ắ",
    "»": "ằ",
    "¼": "ẳ",
    "½": "ẵ",
    "Æ": "ặ",
    "©": "â",
    "Ê": "ấ",
    "Ç": "ầ",
    "È": "ẩ",
    "É": "ẫ",
    "Ë": "ậ",
    "®": "đ",
    "Ð": "é",
    "Ì": "è",
    "Î": "ẻ",
    "Ï": "ẽ",
    "Ñ": "ẹ",
    "ª": "ê",
    "Õ": "ế",
    "Ò": "ề",
    "Ó": "ể",
    "Ô": "ễ",
    "Ö": "ệ",
    "Ý": "í",
    "×": "ì",
    "Ø": "ỉ",
    "Ü": "ĩ",
    "Þ": "ị",
    "ã": "ó",
    "ß": "ò",
    "á": "ỏ",
    "â": "õ",
    "ä": "ọ",
    "«": "ô",
    "è": "ố",
    "å": "ồ",
    "æ": "ổ",
    "ç": "ỗ",
    "é": "ộ",
    "¬": "ơ",
    "í": "ớ",
    "ê": "ờ",
    "ë": "ở",
    "ì": "ỡ",
    "î": "ợ",
    "ó": "ú",
    "ï": "ù",
    "ñ": "ủ",
    "ò": "ũ",
    "ô": "ụ",
    "\u00ad": "ư",
    "ø": "ứ",
    "õ": "ừ",
    "ö": "ử",
    "÷": "ữ",
    "ù": "ự",
    "ý": "ý",
    "ú": "ỳ",
    "û": "ỷ",
    "ü": "ỹ",
    "þ": "ỵ",
    "¡": "Ă",
    "¢": "Â",
    "§": "Đ",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
}
# characters that only legacy text contains: Latin-1 signs and letters foreign to Vietnamese (the
# Latin-1 letters Vietnamese itself uses, such as "ó" or "Ò", say nothing)
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TCVN3_ONLY = (set(_TCVN3) | set("äåæçëîïñö÷øûüþ") | set("ØÛÏÅÄÜËÖÑÆÎ")) - _VIETNAMESE_LATIN1

# VNI: a base letter followed by mark codes.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


@cache
def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def put(code: str, base: str, *marks: str) -> None:
        for upper in (False, True):
            c = code.upper() if upper else code
            b = base.upper() if upper else base
            table[c] = unicodedata.normalize("NFC", b + "".join(marks))

    for vowel in "aeiouy":
        for mark, combining in _VNI_TONES.items():
            put(vowel + mark, vowel, combining)
    for vowel in "aeo":
        for mark, combining in _VNI_HAT.items():
            put(vowel + mark, vowel, "\u0302", combining)
    for mark, combining in _VNI_BREVE.items():
        put("a" + mark, "a", "\u0306", combining)
    for code, base in (("ô", "ơ"), ("ö", "ư")):
        put(code, base)
        for mark, combining in _VNI_TONES.items():
            put(code + mark, base, combining)
    for code, letter in (("ñ", "đ"), ("í", "í"), ("ì", "ì"), ("æ", "ỉ"), ("ó", "ĩ"), ("ò", "ị"), ("î", "ỵ")):
        put(code, letter)
    return table


_VIETNAMESE_ONLY = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")


def vietnamese_share(text: str) -> float:
    """Share of letters that are Vietnamese-only (ă â đ ê ô ơ ư and letters with tone marks)."""
    text = unicodedata.normalize("NFC", text)
    letters = len(_LETTERS.findall(text))
    if not letters:
        return 0.0
    return len(_VIETNAMESE_ONLY.findall(text)) / letters


def _foreign_share(text: str) -> float:
    letters = [c for c in text if c.isalpha() or c in _TCVN3_ONLY]
    return sum(1 for c in letters if c in _TCVN3_ONLY) / max(len(letters), 1)


def from_tcvn3(text: str) -> str:
    return "".join(_TCVN3.get(c, c) for c in text)


def from_vni(text: str) -> str:
    table = _vni_table()
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    return pattern.sub(lambda m: table[m.group()], text)


def from_viqr(text: str) -> str:
    """VIQR: a vowel followed by ^ ( + for its shape and ' ` ? ~ . for its tone; "dd" for đ. A full stop
    is a dot-below mark only inside a word or before a lower-case word ("Tu+. do")."""
    marks = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
    shapes = {"^": "\u0302", "(": "\u0306", "+": "\u031b"}

    def convert(m: re.Match[str]) -> str:
        if m.group("dd"):
            return "Đ" if m.group("dd")[0] == "D" else "đ"
        out = m.group("v") + shapes.get(m.group("shape") or "", "") + marks.get(m.group("tone") or "", "")
        return unicodedata.normalize("NFC", out)

    pattern = re.compile(
        r"(?P<dd>[Dd][Dd])|(?P<v>[aeiouyAEIOUY])(?P<shape>[\^(+])?"
        r"(?P<tone>['`?~]|\.(?=[^\W\d_]|\s+[a-zđ]))?"
    )
    return pattern.sub(
        lambda m: convert(m) if m.group("dd") or m.group("shape") or m.group("tone") else m.group(), text
    )


def detect(text: str, viqr: bool = True) -> str | None:
    """ "tcvn3", "vni", "viqr", or None for text that is already Unicode Vietnamese (or not Vietnamese).
    VIQR is plain ASCII, so it is only looked for in whole plain-text files (``viqr``)."""
    if vietnamese_share(text) > 0.08:
        return None
    if _foreign_share(text) > 0.04 and sum(1 for c in text if c in _TCVN3_ONLY) >= 2:
        scores = {"tcvn3": vietnamese_share(from_tcvn3(text)), "vni": vietnamese_share(from_vni(text))}
        best = max(scores, key=lambda name: scores[name])
        if scores[best] > 0.12:
            return best
    if not viqr:
        return None
    words = text.split()
    viqr_words = sum(1 for w in words if re.search(r"[aeiouyAEIOUY](?:\^|\(|\+)|[aeiouyAEIOUY]\^?[`~]|dd", w))
    if words and viqr_words / len(words) > 0.2:
        return "viqr"
    return None


def to_unicode(text: str, viqr: bool = True) -> tuple[str, str | None]:
    """The text in Unicode and the legacy encoding it was in (None if it was not)."""
    kind = detect(text, viqr)
    if kind == "tcvn3":
        return from_tcvn3(text), kind
    if kind == "vni":
        return from_vni(text), kind
    if kind == "viqr":
        return from_viqr(text), kind
    return text, None
