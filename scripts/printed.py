"""The wild originals judged file by file against what their pages print (tests/gold/printed/*.json, read
by people from the page images, blind to the extractor).

For each file the reading records the kind (dispatch, draft, legal, other), the số, ký hiệu, issuer and
date as printed, the text layer and what obscures the header. This prints, against it:

* number right among the files that print a legible số, and invented where none is printed;
* symbol right among the files that print a ký hiệu;
* issuer found among the files that print one, and invented among those that print none;
* doc_type as printed;
then the files that miss, with the cause the reading gives.

Usage: python scripts/printed.py PRED_DIR [--shared ../shared]   (PRED_DIR: `congvan extract --out` records)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READINGS = ROOT / "tests" / "gold" / "printed"


def fold(value: object) -> str:
    text = unicodedata.normalize("NFD", str(value or "").lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def symbol_key(value: object) -> str:
    return re.sub(r"^\d{4}", "", fold(value).replace(" ", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pred", type=Path)
    args = parser.parse_args()
    readings = sorted(READINGS.glob("*.json"))
    if not readings:
        print(f"printed: no readings in {READINGS}")
        return 0
    tally: dict[str, list[int]] = {k: [0, 0] for k in ("number", "symbol", "issuer", "doc_type")}
    invented = {"number": [0, 0], "issuer": [0, 0]}
    misses: list[str] = []
    printed_numbers = [0, 0, 0, 0, 0]  # print one; right; empty with a warning; empty, no warning; wrong
    kinds: dict[str, int] = {}
    for path in readings:
        read = json.loads(path.read_text(encoding="utf-8"))
        kinds[read["kind"]] = kinds.get(read["kind"], 0) + 1
        pred_path = args.pred / f"{path.stem}.json"
        pred = json.loads(pred_path.read_text(encoding="utf-8")) if pred_path.exists() else {}
        why = "; ".join(read.get("obstacles") or []) or read.get("text_layer", "")
        if read.get("number") and read.get("number_legible", True):
            ok = fold(pred.get("number")) == fold(read["number"])
            tally["number"][0] += ok
            tally["number"][1] += 1
            if not ok:
                misses.append(f"{path.stem} number {read['number']!r} got {pred.get('number')!r} ({why})")
        if read.get("number"):  # all that print one, legible or not: right, left empty with a warning, wrong
            printed_numbers[0] += 1
            if fold(pred.get("number")) == fold(read["number"]):
                printed_numbers[1] += 1
            elif not pred.get("number"):
                warned = any("cannot be read" in w for w in (pred.get("source") or {}).get("warnings", []))
                printed_numbers[2 if warned else 3] += 1
            else:
                printed_numbers[4] += 1
                if not read.get("number_legible", True):
                    misses.append(f"{path.stem} number (not legible) {read['number']!r} got {pred.get('number')!r}")
        elif not read.get("number"):
            invented["number"][1] += 1
            if pred.get("number"):
                invented["number"][0] += 1
                misses.append(f"{path.stem} number invented {pred.get('number')!r} ({why})")
        if read.get("symbol"):
            ok = symbol_key(pred.get("symbol")) == symbol_key(read["symbol"])
            tally["symbol"][0] += ok
            tally["symbol"][1] += 1
            if not ok:
                misses.append(f"{path.stem} symbol {read['symbol']!r} got {pred.get('symbol')!r} ({why})")
        if read.get("issuer"):
            found = bool(pred.get("issuer"))
            ok = (
                found
                and fold(read["issuer"]) in fold(pred.get("issuer"))
                or fold(pred.get("issuer")) in fold(read["issuer"])
            )
            tally["issuer"][0] += bool(found and ok)
            tally["issuer"][1] += 1
            if not (found and ok):
                misses.append(f"{path.stem} issuer {read['issuer']!r} got {pred.get('issuer')!r} ({why})")
        else:
            invented["issuer"][1] += 1
            if pred.get("issuer"):
                invented["issuer"][0] += 1
                misses.append(f"{path.stem} issuer invented {pred.get('issuer')!r} ({why})")
        if read.get("doc_type"):
            ok = fold(pred.get("doc_type")) == fold(read["doc_type"])
            tally["doc_type"][0] += ok
            tally["doc_type"][1] += 1
            if not ok:
                misses.append(
                    f"{path.stem} doc_type {read['doc_type']!r} got {pred.get('doc_type')!r} ({read['kind']})"
                )
    print(f"files read: {len(readings)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    for name, (right, total) in tally.items():
        print(f"{name}: right on {right} of the {total} files that print one")
    n, right, warned, silent, wrong = printed_numbers
    print(
        f"number, all {n} files that print one (legible or not): {right} right, {warned} empty with a warning "
        f"that it cannot be read, {silent} empty without one, {wrong} wrong"
    )
    for name, (made, total) in invented.items():
        print(f"{name}: invented on {made} of the {total} files that print none")
    for line in misses:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
