"""From a parsed document to a ``DispatchRecord``: the pipeline's one entry point."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from models import (
    Assignment,
    DispatchRecord,
    DocumentZones,
    Reference,
    Signer,
    Source,
    Span,
    Target,
    Task,
)
from parsers import MAX_CHARS, ParsedDocument, read_document

from . import tokenizer as tokenizer  # registers the config's tokenizer
from .agencies import canonical, split_agencies
from .components import (
    Addressees,
    Header,
    Placement,
    ReferenceFound,
    SignerFound,
    TargetFound,
    TaskFound,
    Zones,
    field_values,
)
from .found import Found
from .units import as_record
from .units import warm as warm_units
from .unmerge import unmerge_header
from .version import PIPELINE_VERSION

CONFIG = Path(__file__).with_name("congvan.cfg")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The pipeline built from ``congvan.cfg``: whitespace tokens and the congvan components, in the order
    the config gives and their ``requires``/``assigns`` allow."""
    pipeline = util.load_model_from_config(util.load_config(CONFIG), auto_fill=True, validate=True)
    # spaCy's default bound (a million characters) guards its parser and NER, which we do not run; the
    # readers bound a document's length themselves (parsers.MAX_CHARS)
    pipeline.max_length = MAX_CHARS + 1
    return pipeline


def warm() -> None:
    """Build the pipeline and read the reform's mapping now, in a process that forks workers: they inherit
    both instead of each paying for them on its first document (a single ``extract`` reads the mapping's
    parts as its documents need them)."""
    nlp()
    warm_units()


def run(text: str) -> Doc:
    """The pipeline over ``text``, the string handed on so that no component joins the tokens again."""
    pipeline = nlp()
    doc = pipeline.make_doc(text)
    doc._.cv_text = text
    for _, component in pipeline.pipeline:  # what Language.__call__ does, without its length check
        doc = component(doc)
    return doc


UNREADABLE_NUMBER = "số: the number on the số line cannot be read (handwritten or stamped over); left empty"


def record_from_text(text: str, source: Source | None = None) -> DispatchRecord:
    """Run the pipeline over normalized text and build the record (a merged header first put back on its
    lines: the record's text is the text its spans index)."""
    text = unmerge_header(text)
    doc = run(text)
    header: Header = doc._.cv_header
    if source is not None and (header.number_unreadable or UNREADABLE_NUMBER in source.warnings):
        # said once, and only while it holds (reprocess hands the stored warnings back)
        kept = [w for w in source.warnings if w != UNREADABLE_NUMBER]
        source = source.model_copy(update={"warnings": kept + [UNREADABLE_NUMBER] * header.number_unreadable})
    addressees: Addressees = doc._.cv_addressees
    signer: SignerFound = doc._.cv_signer
    zones: Zones = doc._.cv_zones
    unit: Placement = doc._.cv_unit
    evidence = {path: Span(start=f.start, end=f.end) for path, f in field_values(doc)}

    def value(found: Found | None) -> Any:
        return found.value if found is not None else None

    issuer, parent = header.issuer, header.parent_issuer
    context = issuer if issuer is not None and issuer.value.startswith("Ủy ban nhân dân") else parent or issuer
    found_tasks: list[TaskFound] = doc._.cv_tasks
    found_references: list[ReferenceFound] = doc._.cv_references
    found_targets: list[TargetFound] = doc._.cv_targets
    tasks = [
        Task(
            agency=t.agency,
            text=t.text,
            deadline=t.deadline,
            coordinators=t.coordinators,
            role=t.role,
            recurrence=t.recurrence,
            report_to=t.report_to,
            span=Span(start=t.start, end=t.end),
            assignments=assignments(t.agency, t.role, t.coordinators, context.value if context else None),
        )
        for t in found_tasks
    ]
    references = [
        Reference(
            doc_type=r.doc_type,
            number_symbol=r.number_symbol,
            date=r.date,
            issuer=r.issuer,
            number=r.number,
            symbol=r.symbol,
            year=r.year,
            key=r.key,
            span=Span(start=r.start, end=r.end),
            mentions=[Span(start=s, end=e) for s, e in r.mentions],
        )
        for r in found_references
    ]
    targets = [
        Target(
            value=t.value,
            total=t.total,
            unit=t.unit,
            text=t.text,
            kind=t.kind,
            year=t.year,
            span=Span(start=t.start, end=t.end),
        )
        for t in found_targets
    ]
    return DispatchRecord(
        doc_type=value(header.doc_type),
        issuer=value(issuer),
        parent_issuer=value(parent),
        number=value(header.number),
        symbol=value(header.symbol),
        place=value(header.place),
        date=value(header.date),
        abstract=value(header.abstract),
        recipients=[f.value for f in addressees.recipients],
        distribution=[f.value for f in addressees.distribution],
        signer=Signer(name=value(signer.name), position=value(signer.position), authority=value(signer.authority)),
        tasks=tasks,
        references=references,
        targets=targets,
        evidence=evidence,
        zones=zone_spans(zones),
        unit=as_record(unit),
        text=text,
        source=source,
        pipeline_version=PIPELINE_VERSION,
    )


def zone_spans(zones: Zones) -> DocumentZones:
    """The zones as spans of the record's text (line ranges, last line included)."""
    lines = zones.lines

    def span(first: int | None, last: int | None) -> Span | None:
        if first is None or last is None or last < first or first >= len(lines):
            return None
        last = min(last, len(lines) - 1)
        while last > first and lines[last].blank:
            last -= 1
        return Span(start=lines[first].start, end=lines[last].end)

    return DocumentZones(
        header=span(0, zones.header_last),
        body=span(zones.body_first, zones.body_last - 1),
        signature=span(zones.signature_first, zones.signature_last),
        distribution=span(zones.distribution_line, zones.distribution_last),
        annex=span(zones.annex_first, len(lines) - 1),
    )


def assignments(agency: str | None, role: str | None, coordinators: list[str], issuer: str | None) -> list[Assignment]:
    """Each agency of a task with its role and canonical name; the lead may name several."""
    out: list[Assignment] = []
    seen: set[str] = set()
    named = [(name, role or "lead") for name in split_agencies(agency or "")]
    named += [(name, "coordinate") for name in coordinators]
    for name, part in named:
        c = canonical(name, issuer)
        if c.key and c.key not in seen:
            seen.add(c.key)
            out.append(
                Assignment(agency=c.name, printed=name, key=c.key, role=part, level=c.level, is_group=c.is_group)
            )
    return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_from_parsed(parsed: ParsedDocument, sha256: str | None = None) -> DispatchRecord:
    source = Source(
        path=str(parsed.path),
        name=parsed.path.name,
        sha256=sha256 or file_sha256(parsed.path),
        format=parsed.format,
        pages=parsed.pages,
        ocr_pages=parsed.ocr_pages,
        warnings=parsed.warnings,
    )
    return record_from_text(parsed.text, source)


def extract_file(path: Path | str) -> DispatchRecord:
    """Read one file and extract its record; raises ``parsers.ParseError`` for unreadable files."""
    return record_from_parsed(read_document(Path(path)))
