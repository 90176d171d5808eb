#!/usr/bin/env python3
"""Do the original files give the same header as their text?

For every born-digital original in DEV/files (PDF whose .txt came from pdftotext, and DOCX), extract
the original and the matching DEV/NNN.txt and compare the header fields after the scorer's folding.
Scans (text made by tesseract) are left out: they are the OCR issue's subject. Prints one line per
differing field and the share of fields that agree.

With --ocr, the scanned originals (text made by tesseract) are compared instead, through our own OCR
path: a document counts as reproduced when at most one header field differs from its text's.

usage: scripts/parity.py [--ocr] [DEV_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers import ParseError  # noqa: E402
from pipeline import extract_file  # noqa: E402

FIELDS = (
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "place",
    "date",
    "abstract",
    "recipients",
    "signer.name",
    "signer.position",
    "signer.authority",
)


def fold(value) -> str:
    import unicodedata

    if isinstance(value, list):
        return " ; ".join(fold(v) for v in value)
    text = unicodedata.normalize("NFD", str(value or "")).lower()
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def field(record, name: str):
    obj = record
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def scanned(dev: Path) -> set[str]:
    sources = (dev / "SOURCES.md").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^\| (\d+)\.txt \|[^\n]*tesseract", sources, re.MULTILINE)}


def main(argv: list[str]) -> int:
    use_ocr = "--ocr" in argv
    args = [a for a in argv[1:] if a != "--ocr"]
    dev = Path(args[0] if args else "../shared/corpus/dev")
    if not (dev / "files").is_dir():
        print(f"parity: skipped, {dev}/files not found")
        return 0
    scans = scanned(dev)
    same = total = 0
    reproduced: list[str] = []
    as_well: list[str] = []
    for original in sorted((dev / "files").iterdir()):
        if (original.stem in scans) != use_ocr or original.suffix.lower() not in {".pdf", ".docx"}:
            continue
        text_file = dev / f"{original.stem}.txt"
        if not text_file.exists():
            continue
        try:
            a = extract_file(original)
        except ParseError as exc:
            print(f"  {original.name}: {exc.reason}")
            total += len(FIELDS)
            continue
        try:
            b = extract_file(text_file)
        except ParseError as exc:  # the text, not the original, is unreadable: nothing to compare with
            print(f"  {text_file.name} (not compared): {exc.reason}")
            continue
        differing = worse = 0
        for name in FIELDS:
            total += 1
            fa, fb = fold(field(a, name)), fold(field(b, name))
            if fa == fb:
                same += 1
            else:
                differing += 1
                worse += not (fa and not fb)  # OCR found a value where the text had none: not worse
                print(f"  {original.name} {name}: original={fa[:70]!r} text={fb[:70]!r}")
        if differing <= 1:
            reproduced.append(original.stem)
        if worse <= 1:
            as_well.append(original.stem)
    what = "scanned originals read by OCR" if use_ocr else "originals"
    print(f"parity: {same}/{total} header fields agree between {what} and their text ({same / max(total, 1):.1%})")
    if use_ocr:
        n = sum(1 for o in (dev / "files").iterdir() if o.stem in scans)
        print(
            f"parity: {len(reproduced)} of {n} scanned documents reproduce their text's header "
            f"(at most one field differs): {', '.join(reproduced)}"
        )
        print(
            f"parity: {len(as_well)} of {n} scanned documents lose at most one header field against their text "
            f"(a value OCR finds where the text has none is not a loss): {', '.join(as_well)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
