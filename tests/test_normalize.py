"""Text normalization: every reader's output is NFC with modern tone marks, offsets unchanged."""

import unicodedata

import pytest

from parsers.normalize import normalize_text
from parsers.text import strip_markdown

TONE_MARKS = [
    ("CỘNG HOÀ XÃ HỘI", "CỘNG HÒA XÃ HỘI"),
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
    ("thuỷ lợi, hoá đơn", "thủy lợi, hóa đơn"),
    ("xanh hoá vườn", "xanh hóa vườn"),
    ("quý III", "quý III"),  # "qu" + y: the mark is already where it belongs
    ("Hòa Bình", "Hòa Bình"),
    ("khoẻ", "khỏe"),
]


@pytest.mark.parametrize("raw, expected", TONE_MARKS)
def test_tone_marks_unified(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_decomposed_input_becomes_nfc() -> None:
    raw = unicodedata.normalize("NFD", "Phong Thổ, ngày 17 tháng 4")
    assert normalize_text(raw) == "Phong Thổ, ngày 17 tháng 4"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Ký\u00a0hiệu", "Ký hiệu"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("Tr\u200bung", "Trung"),
        ("Công Thƣơng", "Công Thương"),  # the "ƣ" look-alike of fonts without "ư"
    ],
)
def test_odd_characters(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


MARKDOWN = [
    ("**ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ**", "ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ"),
    ("(*đến hết năm 2025*)", "(đến hết năm 2025)"),
    ("gửi về UBND huyện **trước ngày 10/02/2024**.", "gửi về UBND huyện trước ngày 10/02/2024."),
    ("## I. MỤC ĐÍCH", "I. MỤC ĐÍCH"),
    ("3 * 4 = 12", "3 * 4 = 12"),
]


@pytest.mark.parametrize("raw, expected", MARKDOWN)
def test_markdown_emphasis_dropped(raw: str, expected: str) -> None:
    assert strip_markdown(raw) == expected
