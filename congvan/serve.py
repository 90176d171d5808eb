"""Serve the archive with Datasette, bound to 127.0.0.1 unless asked otherwise."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .metadata import metadata


def datasette_args(db: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata_file),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette until interrupted; returns its exit code."""
    if not db.exists():
        raise FileNotFoundError(f"{db}: no such database (run 'congvan ingest' first)")
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(db.stem), ensure_ascii=False, indent=2), encoding="utf-8")
        try:
            return subprocess.call(datasette_args(db, meta, host, port), env=os.environ.copy())
        except KeyboardInterrupt:
            return 0
