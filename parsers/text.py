"""Plain text and Markdown.

Markdown exported from Word keeps emphasis markers (``**ỦY BAN NHÂN DÂN**``, ``*qua phòng ...*``);
they carry no meaning for a dispatch and would break the header patterns, so they are dropped.
Bytes that are not UTF-8 are tried as Windows-1258, the usual legacy Vietnamese code page.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import ParsedDocument, ParseError
from .legacy import to_unicode, vietnamese_share
from .normalize import normalize_text
from .ocr import garbled_share
from .tables import pipe_tables_as_text

MAX_GARBLED = 0.05  # as for PDF pages (parsers.pdf): more impossible letters than this is mojibake

_EMPHASIS = re.compile(r"(\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, a legacy Vietnamese
    font encoding (TCVN3, VNI, VIQR), or else Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
        converted, legacy = to_unicode(text)
        return converted, legacy or "utf-8"
    except UnicodeDecodeError:
        pass
    converted, legacy = to_unicode(data.decode("latin-1"))
    try:
        windows = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        if legacy:
            return converted, legacy
        raise ParseError(path, f"text is neither UTF-8 nor Windows-1258 ({exc.reason})") from exc
    if legacy and vietnamese_share(converted) > vietnamese_share(windows):
        return converted, legacy
    return windows, "cp1258"


# Word-segmented text, as Vietnamese NLP tools and the data sets made with them write it: the syllables of
# a word joined by underscores ("Uỷ_ban_nhân_dân"), punctuation set apart ("phòng , chống", "1 . Tăng").
# A joined word is a token of letters and underscores only: a file name, an address or an identifier
# with digits ("dan_cu_2024.xlsx", "van_ban/chi_thi_23") is left as printed.
_JOINED_WORD = re.compile(r"(?<!\S)[^\W\d_]+(?:_[^\W\d_]+)+(?!\S)")
_SPACED_PUNCTUATION = re.compile(r"(?<=\S) ([,.;:!?%‰)])(?= |$)", re.MULTILINE)
_SPACED_OPENING = re.compile(r"(?<= )\( (?=\S)")
_SPACED_STOP = re.compile(r"\S \.(?: |$)", re.MULTILINE)


def is_word_segmented(text: str) -> bool:
    """A tokenizer's output: many words joined by underscores (a twentieth of the words, and twenty at
    least), and punctuation set apart as a habit (a comma between spaces every fifty words or more often,
    and sentences ending " ."), not a list of field names in an ordinary letter."""
    words = len(text.split()) or 1
    joined = len(_JOINED_WORD.findall(text))
    return (
        joined >= 20
        and joined / words > 0.05
        and text.count(" , ") * 50 >= words
        and len(_SPACED_STOP.findall(text)) >= 3
    )


def unsegment(text: str) -> str:
    """Word-segmented text as it was written: underscores between syllables and the spaces before
    punctuation dropped ("Uỷ_ban_nhân_dân quận yêu_cầu các phòng , ban :" gives "Uỷ ban nhân dân quận
    yêu cầu các phòng, ban:"); a dash between spaces stays, as Vietnamese writes it."""
    text = _JOINED_WORD.sub(lambda m: m.group(0).replace("_", " "), text)
    text = _SPACED_PUNCTUATION.sub(r"\1", text)
    return _SPACED_OPENING.sub("(", text)


def strip_markdown(text: str) -> str:
    """Drop emphasis, inline code marks, heading hashes and backslash escapes; keep the words."""
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def read_text(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(path, "binary content in a text file")
    text, encoding = decode_bytes(data, path)
    fmt = "md" if path.suffix.lower() in {".md", ".markdown"} else "txt"
    garbled = garbled_share(text)
    if garbled > MAX_GARBLED:
        raise ParseError(
            path,
            f"text is garbled (a broken font map: {garbled:.0%} of its letters cannot be Vietnamese); "
            "export it again from the original, or ingest the original PDF, which is read by OCR",
        )
    text = pipe_tables_as_text(text)  # header and signature tables as a converter writes them
    text = strip_markdown(text)  # .txt exports from Markdown carry the same markers
    segmented = is_word_segmented(text)
    if segmented:
        text = unsegment(text)
    doc = ParsedDocument(path=path, format=fmt, text=normalize_text(text))
    if encoding not in ("utf-8", "utf-16"):
        doc.warnings.append(f"converted from {encoding}")
    if segmented:
        doc.warnings.append("word-segmented text (syllables joined by underscores): written back as plain text")
    return doc
