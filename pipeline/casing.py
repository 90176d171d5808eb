"""Writing names printed in capitals the way they are written in running text.

Headers print bodies in capitals ("ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ"); records keep the ordinary
spelling ("Ủy ban nhân dân huyện Phong Thổ"): sentence case, with the place name after an
administrative level capitalised, and known bodies spelled as in ``vocab/bodies.toml``.
"""

from __future__ import annotations

import re

from . import vocab


def is_upper_text(text: str) -> bool:
    """Mostly capital letters (at least 80% of the letters, and at least three of them)."""
    letters = sum(map(str.isalpha, text))  # counted in C: this runs on every line of every document
    return letters >= 3 and sum(map(str.isupper, text)) >= 0.8 * letters


def expand_abbreviations(text: str) -> str:
    for short, full in vocab.bodies().abbreviations.items():
        text = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", full, text)
    return text


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def body_name(text: str) -> str:
    """Ordinary spelling of a body name that may be printed in capitals."""
    printed_upper = is_upper_text(text)
    text = " ".join(expand_abbreviations(text).split())
    if not printed_upper:
        return _capitalize(text)
    lower = text.lower()
    known = vocab.bodies().names
    if lower in known:
        return known[lower]
    for name_lower, name in known.items():  # "sở công thương tỉnh lào cai"
        if lower.startswith(name_lower + " "):
            return name + place_case(text[len(name_lower) :])
    return _capitalize(place_case(lower))


def place_case(text: str) -> str:
    """Lower case, with every word after an administrative level word capitalised."""
    words = text.lower().split()
    levels = [lv.split() for lv in vocab.bodies().levels]
    out: list[str] = []
    i = 0
    while i < len(words):
        for level in sorted(levels, key=len, reverse=True):
            if words[i : i + len(level)] == level:
                out.extend(level)
                out.extend(_capitalize(w) for w in words[i + len(level) :])
                return (" " if text[:1] == " " else "") + " ".join(out)
        out.append(words[i])
        i += 1
    return (" " if text[:1] == " " else "") + " ".join(out)


def title_case(text: str) -> str:
    """Every word capitalised: for personal and place names printed in capitals."""
    return " ".join(_capitalize(w.lower()) for w in text.split())
