"""Serve the archive with Datasette, safely by default.

* bound to 127.0.0.1 unless another host is asked for;
* immutable: Datasette opens the file read-only and never writes to it;
* arbitrary SQL can be switched off (``--no-sql``); canned queries still answer;
* with ``CONGVAN_PASSWORD_HASH`` set (make one with ``congvan hash-password``), every page asks for a
  login (user ``auditor``), through the datasette-auth-passwords plugin.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .metadata import metadata

PASSWORD_ENV = "CONGVAN_PASSWORD_HASH"


def serving_metadata(database: str, password_hash: str | None) -> dict[str, Any]:
    data = metadata(database)
    if password_hash:
        data["plugins"] = {"datasette-auth-passwords": {"auditor_password_hash": password_hash}}
        data["allow"] = {"id": "auditor"}
    return data


# suggest_facets off: suggestions try a facet query per column on every table page, which at 100,000
# documents turned a 0.3 s page into 2 s; the configured facets (metadata) still show
SETTINGS = {"sql_time_limit_ms": 3000, "suggest_facets": False}


def settings(allow_sql: bool = True) -> dict[str, object]:
    """Datasette settings for serving, arbitrary SQL on or off."""
    return SETTINGS | ({} if allow_sql else {"default_allow_sql": False})


def _setting(value: object) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def datasette_app(db: Path, *, allow_sql: bool = True):
    """The Datasette that ``serve`` runs, in process (for benchmarks and tests): immutable, same settings."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(db)], metadata=serving_metadata(db.stem, os.environ.get(PASSWORD_ENV)),
                     settings=settings(allow_sql))


def datasette_args(db: Path, metadata_file: Path, host: str, port: int, *, immutable: bool = True,
                   allow_sql: bool = True) -> list[str]:
    args = [sys.executable, "-m", "datasette", "serve"]
    args += ["-i", str(db)] if immutable else [str(db)]
    args += ["--metadata", str(metadata_file), "--host", host, "--port", str(port),
             *[a for k, v in settings(allow_sql).items() for a in ("--setting", k, _setting(v))]]
    return args


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001, *, immutable: bool = True,
          allow_sql: bool = True) -> int:
    """Run Datasette until interrupted; returns its exit code."""
    if not db.exists():
        raise FileNotFoundError(f"{db}: no such database (run 'congvan ingest' first)")
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        data = serving_metadata(db.stem, os.environ.get(PASSWORD_ENV))
        meta.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        try:
            return subprocess.call(datasette_args(db, meta, host, port, immutable=immutable, allow_sql=allow_sql))
        except KeyboardInterrupt:
            return 0
