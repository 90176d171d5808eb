"""Who a document is sent to: "Kính gửi" (the addressees) and "Nơi nhận" (the distribution list).

Both are lists of dash items that may wrap over several lines; an item ends with ";" or "." and the
list ends at the first line that neither starts a new item nor continues an unfinished one.
"""

from __future__ import annotations

import re

from . import vocab
from .casing import is_upper_text
from .found import Found
from .lines import Line, Segment, sub_segment

_ITEM = re.compile(r"^[-+•–*]\s*")
_END = re.compile(r"[;.]\s*$")


def _clean(seg_text: str) -> str:
    text = _ITEM.sub("", seg_text)
    return " ".join(text.split()).strip(" ;.,:")


def _is_signature_line(text: str) -> bool:
    return is_upper_text(text) and not _ITEM.match(text)


def collect_items(
    lines: list[Line], first_line: int, inline: Segment | None, *, skip_signature: bool, max_lines: int = 40
) -> list[Found]:
    """Dash items from ``first_line`` on; ``inline`` is text standing after the label on its line."""
    items: list[list[Segment]] = []
    # a signature block interleaved with the list (two columns read line by line) ends the entry above
    # it: the signer's name under the block is not the rest of "Lưu: VT"
    after_signature = False

    def only_inline() -> bool:
        return (
            inline is not None
            and len(items) == 1
            and items[0][0].start >= inline.start
            and not _ITEM.match(inline.text)
        )

    def ended() -> bool:
        if only_inline():
            return True  # an inline addressee ends with its line, unless the next one is lower case
        return not items or bool(_END.search(items[-1][-1].text))

    if inline is not None:
        for part in (
            re.split(r"(?<=;)\s*(?=[-+•]?\s*\S)", inline.text) if ";" in inline.text.rstrip(" ;.") else [inline.text]
        ):
            offset = inline.text.find(part)
            piece = sub_segment(inline, offset, offset + len(part))
            if piece:
                items.append([piece])
    for line in lines[first_line : first_line + max_lines]:
        if line.blank:
            continue
        seg = line.segments[0]
        text = seg.text
        if _ITEM.match(text):
            if only_inline() and not _END.search(items[0][-1].text):
                break  # "Kính gửi: Sở X" then the body's own dash list
            items.append([seg])
            after_signature = False
        elif skip_signature and _is_signature_line(text):
            after_signature = True
            continue
        elif (
            items
            and not ended()
            and not vocab.layout().distribution_label.match(text)
            and not text.startswith(vocab.layout().body_openings)  # the body begins: "Thực hiện Công văn số ..."
        ):
            if not after_signature:
                items[-1].append(seg)
        elif items and text[:1].islower() and inline is not None and len(items) == 1:
            items[-1].append(seg)  # an inline addressee that wraps
        else:
            break
    found = []
    for parts in items:
        value = _clean(" ".join(p.text for p in parts))
        if value:
            found.append(Found(value, parts[0].start, parts[-1].end))
    return found


def find_recipients(lines: list[Line], header_lines: int = 80) -> list[Found]:
    """The "Kính gửi" entries, inline ("Kính gửi: Sở Công Thương.") or one per dash line."""
    label = vocab.layout().addressee_label
    for line in lines[:header_lines]:
        for i, seg in enumerate(line.segments):
            m = label.match(seg.text)
            if not m:
                continue
            inline = sub_segment(seg, m.end(), len(seg.text))
            if inline is None and i + 1 < len(line.segments):
                inline = line.segments[i + 1]
            return collect_items(lines, line.index + 1, inline, skip_signature=False, max_lines=30)
    return []


def find_distribution(lines: list[Line]) -> tuple[list[Found], int | None]:
    """The "Nơi nhận" entries and the line the label stands on."""
    label = vocab.layout().distribution_label
    for line in lines:
        for seg in line.segments:
            m = label.match(seg.text)
            if not m:
                continue
            rest = sub_segment(seg, m.end(), len(seg.text))
            inline = rest if rest is not None and _ITEM.match(rest.text) else None
            return collect_items(lines, line.index + 1, inline, skip_signature=True), line.index
    return [], None
