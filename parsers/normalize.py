"""Text normalization shared by every reader.

Every reader hands the pipeline text in one canonical form so that character offsets computed by the
extractors stay valid for the stored text: Unicode NFC, Windows and old Mac line ends unified, exotic
spaces made plain, and the old tone-mark placement ("hoà", "uỷ") unified to the new one ("hòa", "ủy").

Tone-mark placement is delegated to underthesea's ``text_normalize``, one word at a time, and a word's
replacement is accepted only when it has the same length: a sentence-level call would re-space
punctuation and move offsets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Fonts that lack "ư" make PDFs print the look-alike "ƣ" (U+01A3), a Latin letter of its own.
_LOOKALIKES = {"ƣ": "ư", "Ƣ": "Ư"}
_SPACES = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " "}
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
# a vowel cluster that can carry an old-style tone mark: oa, oe, uy, (and the upper-case forms)
_CLUSTER = "[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ]"
_OLD_STYLE = re.compile(_CLUSTER)
# a whole word (a run of letters) holding such a cluster: only these words are looked at, since calling
# back into Python for every word of a text took longer than the rest of its normalization
_OLD_STYLE_WORD = re.compile(f"(?<![^\\W\\d_])[^\\W\\d_]*{_CLUSTER}[^\\W\\d_]*")


@lru_cache(maxsize=65536)
def _modern_tone(word: str) -> str:
    from underthesea import text_normalize  # imported lazily: it is slow to import

    fixed = text_normalize(word)
    return fixed if len(fixed) == len(word) else word


def normalize_tone_marks(text: str) -> str:
    """Move old-style tone marks to the modern position, word by word, keeping every offset."""
    if not _OLD_STYLE.search(text):
        return text
    return _OLD_STYLE_WORD.sub(lambda match: _modern_tone(match.group(0)), text)


def normalize_text(text: str) -> str:
    """The canonical form of a document's text (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _INVISIBLE.sub("", text)
    for odd, plain in (_SPACES | _LOOKALIKES).items():
        text = text.replace(odd, plain)
    return normalize_tone_marks(text)
