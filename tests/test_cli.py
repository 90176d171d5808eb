"""The congvan command, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from congvan.cli import main

GOLD_KEYS = {
    "doc_type",
    "issuer",
    "parent_issuer",
    "number",
    "symbol",
    "place",
    "date",
    "abstract",
    "recipients",
    "signer",
    "references",
    "tasks",
    "targets",
}


def test_extract_writes_one_record_per_file(tmp_path: Path, seeds: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(seeds), "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.json"))
    assert files == sorted(p.stem + ".json" for p in seeds.glob("*.txt"))
    record = json.loads((out / "004_8ef36d4b45c2f24a.json").read_text(encoding="utf-8"))
    assert GOLD_KEYS <= set(record)
    assert record["signer"] == {"name": "Phong Vĩnh Cường", "position": "Phó Chủ tịch", "authority": "KT."}
    assert "text" not in record
    with_text = CliRunner().invoke(
        main, ["extract", str(seeds / "004_8ef36d4b45c2f24a.txt"), "--out", str(tmp_path / "full"), "--with-text"]
    )
    full = json.loads((tmp_path / "full" / "004_8ef36d4b45c2f24a.json").read_text(encoding="utf-8"))
    assert with_text.exit_code == 0
    span = full["evidence"]["symbol"]
    assert full["text"][span["start"] : span["end"]] == full["symbol"] == record["symbol"]


def test_extract_reports_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = CliRunner().invoke(main, ["extract", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{bad}: file is empty" in result.output


def test_schema_is_the_records_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["title"] == "DispatchRecord"
    assert GOLD_KEYS <= set(schema["properties"])


def test_ingest_prints_a_summary(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "c.db"
    result = CliRunner().invoke(main, ["ingest", str(seeds), "--db", str(db), "-q"])
    assert result.exit_code == 0
    assert "5 loaded, 0 updated, 0 moved, 0 unchanged, 0 failed" in result.output


def test_ingest_summary_says_what_the_files_held(tmp_path: Path, seeds: Path) -> None:
    """Copies of a document already read are counted, and the bar shows from the start (tqdm writes its
    0/N line before any file is done)."""
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(seeds, folder)
    first = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first, folder / "ban-sao.txt")  # the same dispatch twice
    db = tmp_path / "c.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 file(s) holding a document already in the archive" in result.stdout
    assert "0/6" in result.stderr


def test_console_script_is_installed() -> None:
    congvan = Path(sys.executable).parent / "congvan"
    out = subprocess.run([str(congvan), "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("extract", "ingest", "serve", "schema"):
        assert command in out


def test_serving_and_storing_do_not_import_the_extraction_stack() -> None:
    """The server, the store and ``prune`` need the version and the vocabularies, not spaCy nor underthesea
    (their import was two thirds of a served archive's start-up, and 40 MB of its memory); extraction
    imports them when asked for."""
    probe = (
        "import sys, congvan.web, congvan.store, congvan.cli, pipeline; "
        "print(sorted(m for m in ('spacy', 'underthesea') if m in sys.modules)); "
        "pipeline.record_from_text; print(sorted(m for m in ('spacy', 'underthesea') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "['spacy']"]
