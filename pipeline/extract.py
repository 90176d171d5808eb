"""From a parsed document to a ``DispatchRecord``: the pipeline's one entry point."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from models import Assignment, DispatchRecord, Reference, Signer, Source, Span, Target, Task
from parsers import MAX_CHARS, ParsedDocument, read_document

from .agencies import canonical, split_agencies
from .components import PIPE_NAMES
from .found import Found
from .tokenizer import WhitespaceTokenizer
from .unmerge import unmerge_header

# Bump when extraction changes, so stored records made by an older pipeline can be found and redone.
PIPELINE_VERSION = "0.2.1"


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The pipeline: ``spacy.blank("vi")`` with whitespace tokens and the congvan components."""
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipeline.tokenizer = WhitespaceTokenizer(pipeline.vocab)
    # spaCy's default bound (a million characters) guards its parser and NER, which we do not run; the
    # readers bound a document's length themselves (parsers.MAX_CHARS)
    pipeline.max_length = MAX_CHARS + 1
    for name in PIPE_NAMES:
        pipeline.add_pipe(name)
    return pipeline


def record_from_text(text: str, source: Source | None = None) -> DispatchRecord:
    """Run the pipeline over normalized text and build the record (a merged header first put back on its
    lines: the record's text is the text its spans index)."""
    text = unmerge_header(text)
    pipeline = nlp()
    doc = pipeline.make_doc(text)
    doc.user_data["congvan_text"] = text
    for _, component in pipeline.pipeline:  # what Language.__call__ does, with the text handed on
        doc = component(doc)
    found: dict = doc._.congvan["found"]
    evidence: dict[str, Span] = {}

    def value(name: str):
        item = found.get(name)
        if isinstance(item, Found):
            evidence[name] = Span(start=item.start, end=item.end)
            return item.value
        return None

    def values(name: str) -> list[str]:
        out = []
        for i, item in enumerate(found.get(name, [])):
            evidence[f"{name}[{i}]"] = Span(start=item.start, end=item.end)
            out.append(item.value)
        return out

    issuer = found.get("issuer")
    parent = found.get("parent_issuer")
    context = issuer if issuer is not None and issuer.value.startswith("Ủy ban nhân dân") else parent or issuer
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
        for t in doc._.congvan.get("tasks", [])
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
        for r in doc._.congvan.get("references", [])
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
        for t in doc._.congvan.get("targets", [])
    ]
    return DispatchRecord(
        doc_type=value("doc_type"),
        issuer=value("issuer"),
        parent_issuer=value("parent_issuer"),
        number=value("number"),
        symbol=value("symbol"),
        place=value("place"),
        date=value("date"),
        abstract=value("abstract"),
        recipients=values("recipients"),
        distribution=values("distribution"),
        signer=Signer(
            name=value("signer.name"), position=value("signer.position"), authority=value("signer.authority")
        ),
        tasks=tasks,
        references=references,
        targets=targets,
        evidence=evidence,
        text=text,
        source=source,
        pipeline_version=PIPELINE_VERSION,
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
