"""Extraction quality per group of gold documents, scored by ../shared/eval/score.py.

Groups: the seeds; dev batch 1 (texts made from original files); dev batch 2 (text as published on portals,
law sites, crawls and conversions: the rows under "## Batch 2" in the dev SOURCES.md); all dev; the wild
gold kept in tests/gold/wild, scored from the original PDF, DOCX and DOC files; and the fresh group (texts
in tests/fixtures/fresh from public repositories the corpus does not draw on, gold in tests/gold/fresh).
Each group is scored in a folder of links (gold and predictions), so the shared gold is read in place,
never copied.

    python scripts/eval.py --shared ../shared [--verbose]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "outputs" / "eval"
WILD_GOLD = ROOT / "tests" / "gold" / "wild"
# documents from public repositories the corpus does not draw on (tests/fixtures/fresh/SOURCES.md), with
# gold made blind in tests/gold/fresh: kept in the repository, so scored without ../shared's corpus too
FRESH = ROOT / "tests" / "fixtures" / "fresh"
FRESH_GOLD = ROOT / "tests" / "gold" / "fresh"


def batch2(sources: Path) -> set[str]:
    """Stems of the dev texts listed under the "Batch 2" heading of SOURCES.md."""
    text = sources.read_text(encoding="utf-8")
    part = text.split("## Batch 2", 1)[1] if "## Batch 2" in text else ""
    return set(re.findall(r"^\|\s*(\d+)\.txt\s*\|", part, re.MULTILINE))


def extract(inputs: list[Path], out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    congvan = Path(sys.executable).parent / "congvan"
    subprocess.run([str(congvan), "extract", *map(str, inputs), "--out", str(out)], check=False)


def group(name: str, gold: list[Path], predictions: Path) -> Path:
    """A folder with links to a group's gold files and to their predictions."""
    folder = OUT / "groups" / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "gold").mkdir(parents=True)
    (folder / "pred").mkdir()
    for path in gold:
        (folder / "gold" / path.name).symlink_to(path.resolve())
        predicted = predictions / path.name
        if predicted.exists():
            (folder / "pred" / path.name).symlink_to(predicted.resolve())
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--verbose", action="store_true", help="per-document misses")
    args = parser.parse_args()
    score = args.shared / "eval" / "score.py"
    groups: list[tuple[str, Path]] = []

    extract([ROOT / "corpus"], OUT / "seeds")
    if (args.shared / "gold").is_dir():
        seeds_gold = sorted((args.shared / "gold" / "seeds").glob("*.json"))
        groups.append(("seeds", group("seeds", seeds_gold, OUT / "seeds")))
        dev = args.shared / "corpus" / "dev"
        dev_gold = sorted((args.shared / "gold" / "dev").glob("*.json"))
        extract(sorted(dev.glob("*.txt")), OUT / "dev")
        second = batch2(dev / "SOURCES.md")
        groups.append(("dev batch 1", group("dev-batch-1", [g for g in dev_gold if g.stem not in second], OUT / "dev")))
        groups.append(("dev batch 2", group("dev-batch-2", [g for g in dev_gold if g.stem in second], OUT / "dev")))
        groups.append(("dev (all)", group("dev", dev_gold, OUT / "dev")))
    else:
        print(f"eval: {args.shared / 'gold'} not found; the shared groups are not scored")
    wild = args.shared / "corpus" / "wild"
    wild_gold = sorted(WILD_GOLD.glob("*.json"))
    if wild.is_dir() and wild_gold:
        originals = [p for g in wild_gold for p in sorted(wild.glob(g.stem + ".*"))]
        extract(originals, OUT / "wild")
        groups.append(("wild gold (originals)", group("wild", wild_gold, OUT / "wild")))
    else:
        print(f"eval: {wild} not found; wild gold is not scored")
    fresh_gold = sorted(FRESH_GOLD.glob("f*.json"))
    if fresh_gold:
        extract([p for g in fresh_gold for p in sorted(FRESH.glob(g.stem + ".*"))], OUT / "fresh")
        groups.append(("fresh (new sources)", group("fresh", fresh_gold, OUT / "fresh")))
    for name, folder in groups:
        print(f"== {name} ({len(list((folder / 'gold').iterdir()))} documents)", flush=True)
        command = [sys.executable, str(score), str(folder / "gold"), str(folder / "pred")]
        subprocess.run(command + (["--verbose"] if args.verbose else []), check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
