#!/usr/bin/env python3
"""Benchmark (not a test): how fast is congvan, against what the machine already does.

1. Extraction, text to record, over corpus/ and DEV/*.txt, side by side in the same run with
   underthesea's word_tokenize over the same texts: documents/s and characters/s per core, and the ratio.
2. The cost of each pipeline stage (reading excluded), so the slow one is visible.
3. PDF reading pages/s against poppler's pdftotext on DEV/files/*.pdf (OCR off: born-digital pages).
4. Wall time and peak memory of ingesting WILD (all readers, OCR included) into a fresh database.

usage: scripts/bench.py [--shared ../shared] [--skip-wild]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def texts(shared: Path) -> list[str]:
    from parsers import ParseError, read_document

    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((shared / "corpus" / "dev").glob("*.txt"))
    out = []
    for f in files:
        try:
            out.append(read_document(f).text)
        except ParseError:  # the dev corpus's mojibake case is refused by the reader
            continue
    return out


def extraction(docs: list[str]) -> None:
    from underthesea import word_tokenize

    from pipeline import nlp, record_from_text

    chars = sum(map(len, docs))
    record_from_text(docs[0])  # load the pipeline outside the timing
    word_tokenize("khởi động")
    rounds = 3
    t = time.perf_counter()
    for _ in range(rounds):
        for d in docs:
            record_from_text(d)
    ours = (time.perf_counter() - t) / rounds
    t = time.perf_counter()
    for d in docs:
        word_tokenize(d)
    theirs = time.perf_counter() - t
    print(f"extraction: {len(docs)} documents, {chars:,} characters, one core")
    print(f"  congvan text->record      {len(docs) / ours:8.1f} docs/s  {chars / ours:12,.0f} chars/s")
    print(f"  underthesea word_tokenize {len(docs) / theirs:8.1f} docs/s  {chars / theirs:12,.0f} chars/s")
    print(f"  ratio: congvan is {theirs / ours:.1f}x the throughput of word_tokenize")
    stages: dict[str, float] = {}
    pipeline = nlp()
    for d in docs:
        t = time.perf_counter()
        doc = pipeline.make_doc(d)
        stages["tokenizer"] = stages.get("tokenizer", 0) + time.perf_counter() - t
        for name, proc in pipeline.pipeline:
            t = time.perf_counter()
            doc = proc(doc)
            stages[name] = stages.get(name, 0) + time.perf_counter() - t
    total = sum(stages.values())
    print("  cost per stage:")
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"    {name:22s} {seconds * 1000:8.1f} ms  {100 * seconds / total:5.1f}%")


def _median_run(command: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(f"bench: {' '.join(command[:4])} ... failed: {done.stderr[-300:]}")
    return sorted(times)[len(times) // 2]


WORD_TOKENIZE = """import sys
from underthesea import word_tokenize
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        for line in handle:
            word_tokenize(line)
"""


def whole_process(shared: Path) -> None:
    """As whole processes, start-up included: ``congvan extract`` over the seeds and dev texts three times
    against underthesea's word_tokenize, line by line, over the same files; and ``congvan extract`` of one
    file. Each the median of three runs."""
    from parsers import ParseError, read_document

    def readable(f: Path) -> bool:
        try:
            read_document(f)
            return True
        except ParseError:  # the dev corpus's mojibake text, refused by the reader
            return False

    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((shared / "corpus" / "dev").glob("*.txt"))
    files = [f for f in files if readable(f)]
    congvan = str(Path(sys.executable).with_name("congvan"))
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for n in range(3):  # three copies, in folders of their own: their records keep distinct names
            folder = Path(tmp) / "in" / f"copy{n}"
            folder.mkdir(parents=True)
            for f in files:
                (folder / f.name).write_bytes(f.read_bytes())
                copies.append(folder / f.name)
        size = sum(f.stat().st_size for f in copies)
        ours = _median_run([congvan, "extract", str(Path(tmp) / "in"), "--out", str(Path(tmp) / "out")])
        theirs = _median_run([sys.executable, "-c", WORD_TOKENIZE, *map(str, copies)])
        one = _median_run([congvan, "extract", str(files[0]), "--out", str(Path(tmp) / "one")])
    print(f"whole process, start-up included ({len(copies)} files, {size / 1e6:.1f} MB, median of 3 runs):")
    print(f"  congvan extract (all cores)         {ours:6.2f} s")
    print(f"  underthesea word_tokenize, by line  {theirs:6.2f} s")
    print(f"  ratio: congvan is {theirs / ours:.1f}x the throughput of word_tokenize as whole processes")
    print(f"  congvan extract of one file          {one:6.2f} s")


def pdf_reading(shared: Path) -> None:
    from parsers import read_document

    pdfs = sorted((shared / "corpus" / "dev" / "files").glob("*.pdf"))
    os.environ["CONGVAN_OCR"] = "off"
    read_document(pdfs[0])  # imports and pdfium's start-up outside the timing, as for extraction
    pages = 0
    t = time.perf_counter()
    for pdf in pdfs:
        try:
            pages += read_document(pdf).pages or 0
        except Exception:
            pass
    ours = time.perf_counter() - t
    os.environ.pop("CONGVAN_OCR")
    if not shutil.which("pdftotext"):
        print(f"pdf: congvan {pages / ours:.1f} pages/s; pdftotext not installed (poppler-utils)")
        return
    t = time.perf_counter()
    for pdf in pdfs:
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True)
    theirs = time.perf_counter() - t
    print(f"pdf: {len(pdfs)} files, {pages} pages (OCR off)")
    print(f"  congvan   {pages / ours:8.1f} pages/s")
    print(f"  pdftotext {pages / theirs:8.1f} pages/s")
    print(f"  ratio: congvan reads {ours and theirs / ours:.2f}x the pages/s of pdftotext")


def _ocr_pages(shared: Path, per_file: int = 2) -> list[tuple[str, int]]:
    """The first pages of every dev scan (the OCR parity set): (pdf path, page index)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import pypdfium2 as pdfium
    from parity import scanned

    dev = shared / "corpus" / "dev"
    out = []
    for stem in sorted(scanned(dev)):
        pdf_path = dev / "files" / f"{stem}.pdf"
        if pdf_path.exists():
            count = len(pdfium.PdfDocument(str(pdf_path)))
            out += [(str(pdf_path), i) for i in range(min(per_file, count))]
    return out


def _ocr_one(job: tuple[str, int, str | None]) -> int:
    import pypdfium2 as pdfium

    from parsers import ocr

    path, index, omp = job
    pdf = pdfium.PdfDocument(path)
    try:
        return len(ocr.read_image(ocr.render(pdf[index]), omp_threads=omp))
    finally:
        pdf.close()


def ocr_throughput(shared: Path) -> None:
    """OCR pages/s on every core, the way pages were read before (Tesseract's own OpenMP threads) and now
    (one thread each, pages side by side), on the same pages in the same run."""
    from concurrent.futures import ProcessPoolExecutor

    from parsers import ocr

    if not ocr.available():
        print("ocr: tesseract with Vietnamese data is not installed; skipped")
        return
    pages = _ocr_pages(shared)
    cores = os.cpu_count() or 1
    print(f"ocr: {len(pages)} pages (the first two of each dev scan), {cores} cores, 300 dpi")
    rates = {}
    for label, omp in (("before: OpenMP threads per page", None), ("now: one thread per page", "1")):
        with ProcessPoolExecutor(max_workers=cores) as pool:
            t = time.perf_counter()
            list(pool.map(_ocr_one, [(path, i, omp) for path, i in pages]))
            rates[label] = len(pages) / (time.perf_counter() - t)
        print(f"  {label:34s} {rates[label]:6.2f} pages/s")
    before, now = rates.values()
    print(f"  ratio: {now / before:.1f}x the pages/s of the previous method")


def wild(shared: Path) -> None:
    folder = shared / "corpus" / "wild"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "wild.db"
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "congvan.cli", "ingest", str(folder), "--db", str(db), "-q"],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"wild ingest: {wall:.1f} s wall on {os.cpu_count()} cores, peak memory of one process {peak:.0f} MiB")
        print("  " + done.stdout.strip().splitlines()[0] if done.stdout else done.stderr[-500:])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--skip-wild", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "corpus").is_dir():
        print(f"bench: {args.shared}/corpus not found; it is read in place")
        return 1
    extraction(texts(args.shared))
    whole_process(args.shared)
    pdf_reading(args.shared)
    ocr_throughput(args.shared)
    if not args.skip_wild:
        wild(args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
