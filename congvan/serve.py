"""Serve the archive with Datasette, safely by default.

* bound to 127.0.0.1 unless another host is asked for;
* read-only: Datasette opens the file with ``mode=ro`` and never writes to it, yet sees every transaction
  an ingest commits (WAL), so a served archive can grow while auditors read it. ``--immutable`` (faster
  counts, no locking) is for a finished archive only: it refuses to start while a ``-wal`` file says a
  writer may be at work, since an immutable reader of a changing file returns corrupt pages;
* arbitrary SQL can be switched off (``--no-sql``); canned queries still answer;
* with ``CONGVAN_PASSWORD_HASH`` set (make one with ``congvan hash-password``), every page asks for a
  login (user ``auditor``), see ``congvan.auth``.

Datasette runs inside this process (uvicorn), so stopping the command (Ctrl-C, SIGTERM from systemd or an
operator) stops the server: there is no child process left holding the port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

from . import store
from .auth import PASSWORD_ENV, parse_hash
from .metadata import metadata

# suggest_facets off: suggestions try a facet query per column on every table page, which at 100,000
# documents turned a 0.3 s page into 2 s; the configured facets (metadata) still show
# facets bounded: at archive scale a facet over a million rows gives up after 20 ms (Datasette says
# which timed out) instead of holding every page for seconds
# 50 rows a page: Datasette's template renders every cell of a page, and a hundred rows of the documents
# table took longer to render than to find at 100,000 documents
SETTINGS: dict[str, object] = {
    "sql_time_limit_ms": 3000,
    "suggest_facets": False,
    "facet_time_limit_ms": 20,
    "default_page_size": 50,
}


class ServeError(Exception):
    """The archive cannot be served as asked; the message names the file and the reason."""


def settings(allow_sql: bool = True) -> dict[str, object]:
    """Datasette settings for serving, arbitrary SQL on or off."""
    return SETTINGS | ({} if allow_sql else {"default_allow_sql": False})


def serving_metadata(database: str | list[str], password_hash: str | None) -> dict[str, Any]:
    """The metadata of one database or several (shards: one archive per province, each with its tables'
    descriptions and canned queries) with, when a password is set, the login's configuration.

    The hash itself is not copied into the metadata (``/-/metadata`` would show it): Datasette reads it
    from the environment through ``$env`` when the plugin asks for its configuration."""
    names = [database] if isinstance(database, str) else database
    data = metadata(names[0])
    for name in names[1:]:
        data["databases"] |= metadata(name)["databases"]
    if password_hash:
        data["plugins"] = {"congvan": {"password_hash": {"$env": PASSWORD_ENV}}}
        data["allow"] = {"id": "auditor"}
    return data


def check_password_hash() -> str | None:
    """The configured hash, or None; a malformed one is refused before anything is served."""
    value = os.environ.get(PASSWORD_ENV)
    if value is None:
        return None
    if not value.strip():  # a failed substitution must not leave the archive open
        raise ServeError(f"{PASSWORD_ENV} is set but empty; unset it to serve without a login")
    try:
        parse_hash(value)
    except ValueError as exc:
        raise ServeError(
            f"{PASSWORD_ENV} is not a usable password hash ({exc}); make one with 'congvan hash-password'"
        ) from None
    return value


def check_database(db: Path, immutable: bool) -> None:
    if not db.exists():
        raise ServeError(f"{db}: no such database (run 'congvan ingest' first)")
    try:
        store.check_database_file(db)
    except store.StoreError as exc:
        raise ServeError(str(exc)) from None
    wal = db.with_name(db.name + "-wal")
    if immutable and wal.exists() and wal.stat().st_size > 0:
        raise ServeError(
            f"{db}: {wal.name} holds changes not yet in the database file (a writer is at work or "
            "did not finish); serve without --immutable (read-only, sees each commit), or run "
            "'congvan ingest' to its end first"
        )


def datasette_app(db: Path | list[Path], *, allow_sql: bool = True, immutable: bool = False):
    """The Datasette that ``serve`` runs: read-only (or immutable), the serving settings and metadata.
    Several databases (shards) are served side by side, each under its file's name."""
    from datasette.app import Datasette

    dbs = [db] if isinstance(db, Path) else list(db)
    names = [str(d) for d in dbs]
    files = {"immutables": names} if immutable else {"files": names}
    return Datasette(
        **files,
        metadata=serving_metadata([d.stem for d in dbs], os.environ.get(PASSWORD_ENV)),
        settings=settings(allow_sql),
    )


def serve(
    db: Path | list[Path],
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    immutable: bool = False,
    allow_sql: bool = True,
) -> None:
    """Run Datasette in this process until interrupted or terminated."""
    import uvicorn

    check_password_hash()
    dbs = [db] if isinstance(db, Path) else list(db)
    stems = [d.stem for d in dbs]
    if len(set(stems)) < len(stems):
        raise ServeError(f"{', '.join(map(str, dbs))}: two databases share a name; Datasette names each by its file")
    with contextlib.ExitStack() as stack:
        for one in dbs:
            if immutable:
                # an immutable reader of a changing file returns damaged pages: hold a shared lock that
                # every writer (ingest, reprocess, prune) asks for exclusively, so none starts meanwhile
                try:
                    stack.enter_context(store.reader_lock(one))
                except store.StoreError as exc:
                    raise ServeError(str(exc)) from None
            check_database(one, immutable)
        ds = datasette_app(dbs, allow_sql=allow_sql, immutable=immutable)
        asyncio.run(ds.invoke_startup())
        # uvicorn handles SIGINT and SIGTERM: it stops accepting, finishes what is in flight and returns.
        # proxy headers off: X-Forwarded-For from any local process would otherwise choose the client
        # address the login throttle counts by
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning", proxy_headers=False)
