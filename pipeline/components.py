"""spaCy pipeline components.

There is no Vietnamese spaCy model, so the pipeline is ``spacy.blank("vi")`` (syllable tokens, no
pyvi) with our own components, each a thin wrapper around one extractor module. They share their
results through ``doc._.congvan``: ``lines`` (from ``congvan_layout``) and ``found``, a mapping from a
record field path to a ``Found`` value or a list of them. ``congvan_spans`` finally turns every found
value into a labelled span in ``doc.spans["congvan"]``, which displaCy can render.
"""

from __future__ import annotations

import bisect

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from .addressees import find_distribution, find_recipients
from .found import Found
from .header import extract_header
from .lines import line_at, split_lines
from .references import find_references, reference_key
from .signer import find_signer
from .targets import find_targets
from .tasks import extract_tasks

if not Doc.has_extension("congvan"):
    Doc.set_extension("congvan", default=None)

# The header fields: the body (and its tasks) begins on the line after the last of them and the recipients.
HEADER_FIELDS = ("issuer", "number", "symbol", "place", "date", "doc_type", "abstract")


def state(doc: Doc) -> dict:
    if doc._.congvan is None:
        # Doc.text joins every token: take the text the caller already has, else read it once
        text = doc.user_data.get("congvan_text") or doc.text
        doc._.congvan = {"text": text, "lines": split_lines(text), "found": {}}
    return doc._.congvan


@Language.component("congvan_layout")
def layout_component(doc: Doc) -> Doc:
    """Split the text into lines and cells once, for every later component."""
    state(doc)
    return doc


@Language.component("congvan_header")
def header_component(doc: Doc) -> Doc:
    """Issuer, số / ký hiệu, place and date, type and trích yếu."""
    st = state(doc)
    header = extract_header(st["text"], st["lines"])
    for name in ("issuer", "parent_issuer", "number", "symbol", "place", "date", "doc_type", "abstract"):
        value = getattr(header, name)
        if value is not None:
            st["found"][name] = value
    return doc


@Language.component("congvan_addressees")
def addressees_component(doc: Doc) -> Doc:
    """Kính gửi and Nơi nhận."""
    st = state(doc)
    st["found"]["recipients"] = find_recipients(st["lines"])
    distribution, label_line = find_distribution(st["lines"])
    st["found"]["distribution"] = distribution
    st["distribution_line"] = label_line
    return doc


@Language.component("congvan_signer")
def signer_component(doc: Doc) -> Doc:
    """Signer name, position and signing authority."""
    st = state(doc)
    signer = find_signer(st["lines"], st.get("distribution_line"))
    for name in ("name", "position", "authority"):
        value = getattr(signer, name)
        if value is not None:
            st["found"][f"signer.{name}"] = value
    return doc


@Language.component("congvan_tasks")
def tasks_component(doc: Doc) -> Doc:
    """Directive items with their agency, role, coordinators and deadline."""
    st = state(doc)
    found, lines = st["found"], st["lines"]
    header_parts = [found.get(k) for k in HEADER_FIELDS]
    header_parts += found.get("recipients", [])
    ends = [f.end for f in header_parts if isinstance(f, Found)]
    first = line_at(lines, max(ends)) + 1 if ends else 0
    last = st.get("distribution_line")
    if last is None or last <= first:
        last = len(lines)
    signer = found.get("signer.name")
    annex = line_at(lines, signer.end) + 1 if signer is not None and line_at(lines, signer.end) >= last else None
    date = found.get("date")
    year = int(date.value[:4]) if date is not None else None
    issuer = found.get("issuer")
    st["tasks"] = extract_tasks(lines, first, last, annex, year, issuer.value if issuer is not None else None)
    found["tasks"] = [Found(t.text, t.start, t.end) for t in st["tasks"]]
    return doc


@Language.component("congvan_references")
def references_component(doc: Doc) -> Doc:
    """Documents cited by number, keyed so that two spellings are one reference."""
    st = state(doc)
    found = st["found"]
    number, symbol, date = found.get("number"), found.get("symbol"), found.get("date")
    own = (
        reference_key(number.value, symbol.value, int(date.value[:4]) if date else None) if number and symbol else None
    )
    st["references"] = find_references(st["text"], own)
    found["references"] = [Found(r.number_symbol, r.start, r.end) for r in st["references"]]
    return doc


@Language.component("congvan_targets")
def targets_component(doc: Doc) -> Doc:
    """Numeric goals, thresholds and budgets of the body (not of the header or the signature)."""
    st = state(doc)
    found = st["found"]
    body_end = len(st["text"])
    if st.get("distribution_line") is not None:
        body_end = st["lines"][st["distribution_line"]].start
    header = [f.end for k, f in found.items() if k in ("abstract", "date", "number") and isinstance(f, Found)]
    body_start = max(header) if header else 0
    st["targets"] = [t for t in find_targets(st["text"]) if body_start <= t.start < body_end]
    found["targets"] = [Found(t.text, t.start, t.end) for t in st["targets"]]
    return doc


@Language.component("congvan_spans")
def spans_component(doc: Doc) -> Doc:
    """Every found value as a labelled span, for displaCy and for the document page.

    Token boundaries are looked up by bisection once per document: ``Doc.char_span`` walks every token
    on each call, which made this the slowest stage."""
    offsets = doc.to_array([IDX, LENGTH])  # no Token objects: one array per document
    starts = offsets[:, 0].tolist()
    ends = (offsets[:, 0] + offsets[:, 1]).tolist()
    spans = []
    for label, value in state(doc)["found"].items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Found) and item.end > item.start:
                first = max(bisect.bisect_right(starts, item.start) - 1, 0)
                last = bisect.bisect_left(ends, item.end)
                if first <= last < len(doc):
                    spans.append(Span(doc, first, last + 1, label=label.split("[")[0]))
    doc.spans["congvan"] = spans
    return doc


PIPE_NAMES = (
    "congvan_layout",
    "congvan_header",
    "congvan_addressees",
    "congvan_signer",
    "congvan_tasks",
    "congvan_references",
    "congvan_targets",
    "congvan_spans",
)
