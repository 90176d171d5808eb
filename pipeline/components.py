"""spaCy pipeline components: one per extractor, each declaring what it reads and what it assigns.

There is no Vietnamese spaCy model, so the pipeline is a blank "vi" pipeline (whitespace tokens) built
from ``pipeline/congvan.cfg``, whose components are the factories registered here. Each reads the typed
results of earlier components from ``Doc`` extensions and sets one of its own (``requires`` and
``assigns`` say which, and ``nlp.analyze_pipes`` checks the order). What spaCy gives in return: the
order of the stages is configuration, each stage can be timed or replaced by name, and ``congvan_spans``
turns every extracted value into a labelled span in ``doc.spans["congvan"]`` that displaCy renders.

The extensions hold dataclasses, never dicts keyed by strings:

``doc._.cv_lines`` (lines and cells) → ``cv_header`` (``Header``) → ``cv_addressees`` (``Addressees``)
→ ``cv_signer`` (``SignerFound``) → ``cv_zones`` (``Zones``: the one definition of the body) →
``cv_tasks``, ``cv_references``, ``cv_targets``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from .addressees import find_distribution, find_recipients
from .found import Found
from .header import Header, extract_header
from .layout import Addressees, Zones, find_zones
from .lines import Line, split_lines
from .references import ReferenceFound, find_references, reference_key
from .signer import SignerFound, find_signer
from .targets import TargetFound, find_targets, listed_targets
from .tasks import TaskFound, extract_tasks
from .units import Placement, place

EXTENSIONS = ("cv_text", "cv_lines", "cv_header", "cv_addressees", "cv_signer", "cv_zones", "cv_unit")
LISTS = ("cv_tasks", "cv_references", "cv_targets")
for _name in EXTENSIONS + LISTS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def text_of(doc: Doc) -> str:
    """The text the spans index: the caller's own string (``Doc.text`` would join every token again)."""
    text = doc._.cv_text
    if text is None:
        text = doc._.cv_text = doc.text
    return text


def year_of(header: Header) -> int | None:
    return int(header.date.value[:4]) if header.date is not None else None


@Language.component("congvan_lines", assigns=["doc._.cv_text", "doc._.cv_lines"])
def lines_component(doc: Doc) -> Doc:
    """Split the text into lines and cells once, for every later component."""
    doc._.cv_lines = split_lines(text_of(doc))
    return doc


@Language.component("congvan_header", requires=["doc._.cv_lines"], assigns=["doc._.cv_header"])
def header_component(doc: Doc) -> Doc:
    """Issuer, số / ký hiệu, place and date, type and trích yếu."""
    doc._.cv_header = extract_header(text_of(doc), doc._.cv_lines)
    return doc


@Language.component("congvan_addressees", requires=["doc._.cv_lines"], assigns=["doc._.cv_addressees"])
def addressees_component(doc: Doc) -> Doc:
    """Kính gửi and Nơi nhận."""
    lines: list[Line] = doc._.cv_lines
    distribution, label_line = find_distribution(lines)
    doc._.cv_addressees = Addressees(find_recipients(lines), distribution, label_line)
    return doc


@Language.component("congvan_signer", requires=["doc._.cv_lines", "doc._.cv_addressees"], assigns=["doc._.cv_signer"])
def signer_component(doc: Doc) -> Doc:
    """Signer name, position and signing authority, nearest to Nơi nhận where there is one."""
    addressees: Addressees = doc._.cv_addressees
    doc._.cv_signer = find_signer(doc._.cv_lines, addressees.distribution_line)
    return doc


@Language.component(
    "congvan_zones",
    requires=["doc._.cv_lines", "doc._.cv_header", "doc._.cv_addressees", "doc._.cv_signer"],
    assigns=["doc._.cv_zones"],
)
def zones_component(doc: Doc) -> Doc:
    """The body between the header and Nơi nhận, its paragraphs, and an annex after the signature."""
    doc._.cv_zones = find_zones(doc._.cv_lines, doc._.cv_header, doc._.cv_addressees, doc._.cv_signer)
    return doc


@Language.component("congvan_tasks", requires=["doc._.cv_zones", "doc._.cv_header"], assigns=["doc._.cv_tasks"])
def tasks_component(doc: Doc) -> Doc:
    """Directive items with their agency, role, coordinators and deadline."""
    header: Header = doc._.cv_header
    issuer = header.issuer.value if header.issuer is not None else None
    doc._.cv_tasks = extract_tasks(doc._.cv_zones, year_of(header), issuer)
    return doc


@Language.component("congvan_units", requires=["doc._.cv_header"], assigns=["doc._.cv_unit"])
def units_component(doc: Doc) -> Doc:
    """The issuer's administrative units, then and now (the 2025 reform), from the issuer, the governing
    body and the place of the date line."""
    header: Header = doc._.cv_header
    value = [f.value if f is not None else None for f in (header.issuer, header.parent_issuer, header.place)]
    doc._.cv_unit = place(*value)
    return doc


@Language.component("congvan_references", requires=["doc._.cv_header"], assigns=["doc._.cv_references"])
def references_component(doc: Doc) -> Doc:
    """Documents cited by number, keyed so that two spellings are one reference (the document's own
    number left out)."""
    header: Header = doc._.cv_header
    own = None
    if header.number is not None and header.symbol is not None:
        own = reference_key(header.number.value, header.symbol.value, year_of(header))
    doc._.cv_references = find_references(text_of(doc), own)
    return doc


@Language.component("congvan_targets", requires=["doc._.cv_zones"], assigns=["doc._.cv_targets"])
def targets_component(doc: Doc) -> Doc:
    """Numeric goals, thresholds and budgets of the body and of an attached plan (not of the header or the
    signature)."""
    zones: Zones = doc._.cv_zones
    ranges = zones.read_ranges()
    text = text_of(doc)
    found = [t for t in find_targets(text) if any(a <= t.start < b for a, b in ranges)]
    paragraphs = zones.paragraphs + (zones.annex_paragraphs if zones.attached else [])
    starts = {t.start for t in found}
    found += [t for t in listed_targets(paragraphs, text) if t.start not in starts]
    doc._.cv_targets = sorted(found, key=lambda t: t.start)
    return doc


def field_values(doc: Doc) -> Iterator[tuple[str, Found]]:
    """Every header, addressee and signer value with its span, labelled by the record's field path
    (``issuer``, ``recipients[2]``, ``signer.name``): the record's ``evidence``."""
    header: Header = doc._.cv_header
    for name in ("issuer", "parent_issuer", "number", "symbol", "place", "date", "doc_type", "abstract"):
        value = getattr(header, name)
        if value is not None:
            yield name, value
    addressees: Addressees = doc._.cv_addressees
    for name, items in (("recipients", addressees.recipients), ("distribution", addressees.distribution)):
        for i, item in enumerate(items):
            yield f"{name}[{i}]", item
    signer: SignerFound = doc._.cv_signer
    for name in ("name", "position", "authority"):
        value = getattr(signer, name)
        if value is not None:
            yield f"signer.{name}", value


def list_spans(doc: Doc) -> Iterator[tuple[str, int, int]]:
    """The spans of tasks, references and targets (each kept on its own item, not in ``evidence``)."""
    tasks: list[TaskFound] = doc._.cv_tasks or []
    references: list[ReferenceFound] = doc._.cv_references or []
    targets: list[TargetFound] = doc._.cv_targets or []
    for name, items in (("tasks", tasks), ("references", references), ("targets", targets)):
        for item in items:
            yield name, item.start, item.end


@Language.component(
    "congvan_spans",
    requires=[
        "doc._.cv_header",
        "doc._.cv_addressees",
        "doc._.cv_signer",
        "doc._.cv_tasks",
        "doc._.cv_references",
        "doc._.cv_targets",
    ],
    assigns=["doc.spans"],
)
def spans_component(doc: Doc) -> Doc:
    """Every found value as a labelled span, for displaCy.

    Token boundaries are looked up by bisection once per document: ``Doc.char_span`` walks every token
    on each call, which made this the slowest stage."""
    offsets = doc.to_array([IDX, LENGTH])  # no Token objects: one array per document
    starts = offsets[:, 0].tolist()
    ends = (offsets[:, 0] + offsets[:, 1]).tolist()
    spans = []
    labelled = [(label.split("[")[0], f.start, f.end) for label, f in field_values(doc)] + list(list_spans(doc))
    for label, start, end in labelled:
        if end > start:
            first = max(bisect.bisect_right(starts, start) - 1, 0)
            last = bisect.bisect_left(ends, end)
            if first <= last < len(doc):
                spans.append(Span(doc, first, last + 1, label=label))
    doc.spans["congvan"] = spans
    return doc


__all__ = [
    "Addressees",
    "Header",
    "Placement",
    "ReferenceFound",
    "SignerFound",
    "TargetFound",
    "TaskFound",
    "Zones",
    "field_values",
    "list_spans",
    "text_of",
]
