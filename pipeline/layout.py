"""The document's zones, found once: where the header ends, the body lies, the signature and Nơi nhận
stand, and whether an annex follows.

Nghị định 30/2020 (Điều 8 to 16) fixes the order of a document's parts: the header (cơ quan ban hành,
số / ký hiệu, quốc hiệu, địa danh and date, the type's title and trích yếu), Kính gửi, the body, the
signature block, Nơi nhận; an annex (phụ lục, or a plan "ban hành kèm theo") may follow. The header's
parts and the addressees are found by their own extractors, which read lines by position; this module
turns what they found into the one definition of the body every later extractor reads (tasks, targets,
and the benchmark that recomposes documents), instead of each working it out its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import vocab
from .body import Paragraph, build_paragraphs
from .found import Found
from .header import Header
from .lines import Line, line_at
from .signer import SignerFound


@dataclass(frozen=True)
class Addressees:
    """Kính gửi and Nơi nhận, and the line the Nơi nhận label stands on (the body ends above it)."""

    recipients: list[Found] = field(default_factory=list)
    distribution: list[Found] = field(default_factory=list)
    distribution_line: int | None = None


@dataclass
class Zones:
    """Line ranges of a document's parts; ``lines[body_first:body_last]`` is the body.

    ``annex_first`` is the first line after the signature when the signature stands below Nơi nhận's
    label or after the body's end (an annex or an attached plan follows); ``attached`` says the annex is a
    plan issued with the document, read whole, rather than an appendix whose tables alone are read."""

    lines: list[Line]
    header_last: int  # the last line of the header (the trích yếu, or Kính gửi's last entry); -1 when none
    body_first: int
    body_last: int
    signature_first: int | None
    signature_last: int | None  # the signer's name
    distribution_line: int | None
    distribution_last: int | None  # Nơi nhận's last entry
    annex_first: int | None
    attached: bool
    paragraphs: list[Paragraph]
    annex_paragraphs: list[Paragraph]

    @property
    def body_start(self) -> int:
        """Offset of the body's first character."""
        return self.lines[self.body_first].start if self.body_first < len(self.lines) else self.end_of_text

    @property
    def body_end(self) -> int:
        """Offset one past the body (the start of Nơi nhận's line, or the end of the text)."""
        return self.lines[self.body_last].start if self.body_last < len(self.lines) else self.end_of_text

    @property
    def annex_start(self) -> int | None:
        return self.lines[self.annex_first].start if self.annex_first is not None else None

    @property
    def end_of_text(self) -> int:
        return self.lines[-1].end if self.lines else 0

    def read_ranges(self) -> list[tuple[int, int]]:
        """The offsets whose directives count: the body, and an attached plan read whole."""
        ranges = [(self.body_start, self.body_end)]
        if self.annex_first is not None and self.attached:
            start = self.annex_start or self.end_of_text
            ranges.append((max(start, self.body_end), self.end_of_text))
        return ranges


def header_parts(header: Header, addressees: Addressees) -> list[Found]:
    """Every value of the header zone, Kính gửi's entries included."""
    parts = [
        None if header.issuer_inferred else header.issuer,
        header.number,
        header.symbol,
        header.place,
        header.date,
        header.doc_type,
        header.abstract,
    ]
    return [p for p in parts if p is not None] + list(addressees.recipients)


def find_zones(lines: list[Line], header: Header, addressees: Addressees, signer: SignerFound) -> Zones:
    """The zones of a document from what the header, addressee and signer extractors found.

    The header ends at its last value standing above the document's foot (a value the header extractor
    took from an annex after the signature is not the header's); the body ends where Nơi nhận or the
    signature begins, whichever comes first; an annex begins at the first line after the signer's name
    when that name stands at or below Nơi nhận."""
    signed = [f for f in (signer.authority, signer.position, signer.name) if f is not None]
    signature_first = min(line_at(lines, f.start) for f in signed) if signed else None
    foot = [i for i in (addressees.distribution_line, signature_first) if i is not None]
    foot_first = min(foot) if foot else len(lines)
    ends = [f.end for f in header_parts(header, addressees) if line_at(lines, f.end) < foot_first]
    header_last = line_at(lines, max(ends)) if ends else -1
    first = header_last + 1
    last = foot_first if foot_first > first else len(lines)
    annex = None
    if signer.name is not None and (
        addressees.distribution_line is None or line_at(lines, signer.name.end) >= addressees.distribution_line
    ):
        after = line_at(lines, signer.name.end) + 1
        annex = next((ln.index for ln in lines[after:] if not ln.blank), None)
        if annex is not None and addressees.distribution_line is not None and annex <= addressees.distribution_line:
            annex = None
    paragraphs = build_paragraphs(lines, first, last)
    annex_paragraphs = build_paragraphs(lines, annex, len(lines)) if annex is not None else []
    # a plan or programme issued with the decision is part of what the decision assigns: read whole
    attached = bool(vocab.layout().attached_heading.search("\n".join(p.text for p in annex_paragraphs[:4])))
    return Zones(
        lines=lines,
        header_last=header_last,
        body_first=first,
        body_last=last,
        signature_first=signature_first,
        signature_last=line_at(lines, signer.name.end) if signer.name is not None else signature_first,
        distribution_line=addressees.distribution_line,
        distribution_last=line_at(lines, addressees.distribution[-1].end) if addressees.distribution else None,
        annex_first=annex,
        attached=attached,
        paragraphs=paragraphs,
        annex_paragraphs=annex_paragraphs,
    )
