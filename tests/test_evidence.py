"""Every span a record gives is the text of the value it claims (folded), on the seeds and the dev texts.

A span that is merely inside the text proves nothing: a span shifted by one character still is. So each
field's span is read back and compared with its value, by the rule that fits how the value is made:
copied as printed (folded equality), expanded from an abbreviation, or parsed (a date)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, SHARED, require

from models import DispatchRecord
from parsers import ParseError
from pipeline import extract_file
from pipeline.agencies import fold_key
from pipeline.casing import expand_abbreviations


def fold(text: str) -> str:
    return fold_key(text)


def squeeze(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def value_of(record: DispatchRecord, name: str) -> str:
    if name.startswith("signer."):
        return getattr(record.signer, name.split(".", 1)[1])
    m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    if m:
        return getattr(record, m.group(1))[int(m.group(2))]
    return getattr(record, name)


def check(name: str, value: str, span: str) -> bool:
    field = re.sub(r"\[\d+\]", "", name)
    if field == "number":  # recorded without leading zeros ("09/KH-BTNMT" is number 9)
        return (fold(value).lstrip("0") or "0") == (fold(span).lstrip("0") or "0")
    if field in ("symbol", "place", "signer.name", "signer.authority", "recipients"):
        return fold(value) == fold(span)
    if field == "signer.position":  # "P. GIÁM ĐỐC" is printed for "Phó Giám đốc"
        return fold(value) == fold(re.sub(r"^P\.\s*", "Phó ", span))
    if field in ("abstract", "distribution"):  # the value may drop "V/v" and the line breaks of the span
        return squeeze(value) in squeeze(span) and len(squeeze(span)) - len(squeeze(value)) < 40
    if field == "date":  # the date line: it ends with the year the value starts with
        return re.search(value[:4] + r"\W*$", span) is not None
    if field in ("issuer", "parent_issuer"):  # printed abbreviated or upper case, place maybe on the next line
        start = squeeze(" ".join(fold(expand_abbreviations(value)).split()[:2]))
        return squeeze(expand_abbreviations(span)).startswith(start)
    if field == "doc_type":  # printed as the title, or "Công văn" inferred from "V/v" or "Kính gửi"
        return fold(value) == fold(span) or value == "Công văn"
    raise AssertionError(f"no rule for {name}")


def texts() -> list[Path]:
    dev = SHARED / "corpus" / "dev"
    return sorted(CORPUS.glob("*.txt")) + (sorted(dev.glob("*.txt")) if dev.exists() else [])


@pytest.mark.parametrize("path", texts(), ids=lambda p: p.name)
def test_every_span_reads_back_as_its_value(path: Path) -> None:
    try:
        record = extract_file(path)
    except ParseError as exc:  # the dev corpus's mojibake case is refused whole: no span to read back
        assert "garbled" in str(exc)
        return
    wrong = []
    for name, span in record.evidence.items():
        value, printed = value_of(record, name), record.text[span.start : span.end]
        if not check(name, str(value), printed):
            wrong.append((name, value, printed))
    assert not wrong, wrong


def test_the_dev_texts_are_there() -> None:
    require(SHARED / "corpus" / "dev", "the span table runs over the dev texts too")
    assert len(texts()) > 50
