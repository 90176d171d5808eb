"""The ``congvan`` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click


@click.group()
@click.version_option(package_name="congvan")
def main() -> None:
    """Structured, traceable records from Vietnamese state dispatches."""


def output_names(paths: tuple[Path, ...], inputs: list) -> dict[Path, Path]:
    """Where ``extract --out`` writes each input's record, relative to the output folder.

    A file named on the command line gives ``<stem>.json``; a file found under a named folder keeps its
    sub-folder: ``folder/files/022.pdf`` gives ``files/022.json``. The name depends on the input alone,
    so it is stable from run to run. Two inputs that would share a name are reported before anything is
    written (``ClashError``)."""
    folders = [p for p in paths if p.is_dir()]
    names: dict[Path, Path] = {}
    for item in inputs:
        base = next((f for f in folders if f == item.path.parent or f in item.path.parents), None)
        relative = item.path.relative_to(base).parent if base is not None else Path()
        names[item.path] = relative / f"{item.path.stem}.json"
    by_name: dict[Path, list[Path]] = {}
    for source, name in names.items():
        by_name.setdefault(name, []).append(source)
    clashes = {name: sources for name, sources in by_name.items() if len(sources) > 1}
    if clashes:
        raise ClashError(clashes)
    return names


def recorded_source(path: Path) -> str | None:
    """The input an existing record in the output folder was made from (its ``source.path``)."""
    if not path.exists() or path.is_symlink():
        return None
    try:
        source = json.loads(path.read_text(encoding="utf-8")).get("source") or {}
    except (OSError, ValueError, AttributeError):
        return None
    return str(Path(source["path"]).absolute()) if source.get("path") else None


def write_replacing(target: Path, text: str) -> None:
    """Write ``target`` whole or not at all, replacing what is there (a link included) rather than
    writing through it."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ClashError(Exception):
    def __init__(self, clashes: dict[Path, list[Path]]):
        self.clashes = clashes
        super().__init__("; ".join(f"{', '.join(map(str, s))} would all be written to {n}" for n, s in clashes.items()))


def fail(message: str, status: int = 1) -> NoReturn:
    """One line on standard error, and the exit status."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the records: <stem>.json per named file; files under a named folder keep their "
    "sub-folder (folder/a/x.pdf gives a/x.json).",
)
@click.option("--with-text/--no-text", default=False, help="Include the normalized text in each record.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
def extract(paths: tuple[Path, ...], out_dir: Path, with_text: bool, jobs: int | None) -> None:
    """Extract one JSON record per input file (files or folders).

    Several files are read by worker processes, each under the time and memory bounds ingest uses; one
    file is read in this process."""
    from .ingest import Limits, Result, expand, extract_json, local_results, roots_of

    inputs = list(expand(paths))
    try:
        names = output_names(paths, inputs)
    except ClashError as exc:
        for name, sources in exc.clashes.items():
            click.echo(
                f"error: {', '.join(map(str, sources))}: would all be written to {out_dir / name}; "
                "extract them into separate --out folders",
                err=True,
            )
        sys.exit(2)
    taken = [
        (item, other)
        for item in inputs
        if (other := recorded_source(out_dir / names[item.path])) and other != str(item.path.absolute())
    ]
    for item, other in taken:
        click.echo(
            f"error: {item.path}: {out_dir / names[item.path]} holds the record of another file ({other}); "
            "extract into another --out folder or remove it",
            err=True,
        )
    if taken:
        sys.exit(2)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{out_dir}: cannot make the output folder ({exc.strerror or exc})")
    failed = 0
    for item in inputs:
        if item.refused:
            failed += 1
            click.echo(f"error: {item.path}: {item.refused}", err=True)
    readable = {str(item.path): item for item in inputs if not item.refused}
    todo: list[tuple[str, str | None]] = [(key, None) for key in readable]
    roots = tuple(str(r) for r in roots_of(paths))
    results: Iterator[Result]
    if len(todo) == 1:
        key = todo[0][0]
        results = iter([(key, None, *extract_json(key, None, roots, with_text))])
    else:
        results = local_results(todo, roots, Limits(), jobs, None, task=extract_json, extra=(with_text,))
    for key, _, status, payload in results:
        item = readable[key]
        if status != "ok":
            failed += 1
            click.echo(f"error: {item.path}: {payload}", err=True)
            continue
        target = out_dir / names[item.path]
        try:
            write_replacing(target, str(payload))
        except OSError as exc:
            fail(f"{target}: cannot write the record ({exc.strerror or exc})")
    if failed:
        click.echo(f"{failed} file(s) could not be read", err=True)
        sys.exit(1)


def existing(ctx: click.Context, param: click.Parameter, paths: tuple[str, ...]) -> tuple[Path | str, ...]:
    """A mistyped path is a usage error that writes nothing; a dangling link is not mistyped (it gets
    an error row, like any file that cannot be read)."""
    from .remote import is_url

    missing = [str(p) for p in paths if not is_url(p) and not os.path.lexists(p)]
    if missing:
        raise click.BadParameter(f"{', '.join(missing)}: does not exist", ctx=ctx, param=param)
    return tuple(str(p) if is_url(p) else Path(p) for p in paths)  # a URL keeps its "//"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=existing)
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite database to create or update.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds one document may take before it is stopped and recorded as an error.",
)
@click.option("--force", is_flag=True, help="Re-extract files even when they are unchanged.")
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Read and extract on the Dask cluster at ADDRESS (tcp://host:8786); this command stays the writer.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only the summary.")
def ingest(
    paths: tuple[Path | str, ...],
    db_path: Path,
    jobs: int | None,
    timeout: float | None,
    force: bool,
    cluster: str | None,
    quiet: bool,
) -> None:
    """Load files and folders (or fsspec URLs: s3://bucket/folder/) into the SQLite archive; bad files
    become rows in 'errors'.

    Exits 1 when any file failed (the summary says which), so make and cron notice."""
    from tqdm import tqdm

    from .cluster import ClusterError
    from .ingest import Limits
    from .ingest import ingest as run
    from .store import StoreError

    bar = None

    def progress(i: int, n: int, outcome) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            bar = tqdm(total=n, unit="doc", desc="ingest", file=sys.stderr, dynamic_ncols=True)
        if outcome is None:  # the start: the bar shows before the first file is done
            bar.refresh()
            return
        bar.set_postfix_str(f"{outcome.status}: {Path(outcome.path).name}", refresh=False)
        bar.update(1)

    limits = Limits(timeout_s=timeout) if timeout else Limits()
    try:
        summary = run(paths, db_path, progress, jobs=jobs, limits=limits, force=force, cluster=cluster)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:  # the scheduler cannot be reached (distributed raises OSError for it)
        fail(f"{cluster}: cannot reach the Dask scheduler ({exc})" if cluster else str(exc))
    except ClusterError as exc:
        fail(str(exc))
    finally:
        if bar is not None:
            bar.close()
    click.echo(f"{db_path}: {summary.line()}")
    details = summary.details()
    if details:
        click.echo(f"  {details}")
    for outcome in summary.outcomes:
        if outcome.status == "failed":
            click.echo(f"  failed {outcome.path}: {outcome.reason}")
    if summary.count("failed"):
        sys.exit(1)


@main.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
def reprocess(db_path: Path, jobs: int | None) -> None:
    """Re-extract, from the stored text, every record made by an older pipeline version."""
    from pipeline import PIPELINE_VERSION

    from .reprocess import reprocess as run
    from .store import StoreError

    try:
        count = run(db_path, jobs=jobs)
    except StoreError as exc:
        fail(str(exc))
    click.echo(f"{db_path}: {count} record(s) re-extracted with pipeline {PIPELINE_VERSION}")


@main.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Remove them (default: only list what would be removed).")
def prune(db_path: Path, yes: bool) -> None:
    """List the records (and error rows) whose files are gone; remove them with --yes."""
    from .store import StoreError, gone, remove_document, remove_error, writing

    try:
        with writing(db_path) as (db, _):
            missing = gone(db)
            for _table, doc_id, path in missing:
                what = f"document {doc_id}" if doc_id is not None else "error row"
                if yes:
                    if doc_id is not None:
                        remove_document(db, doc_id)
                    else:
                        remove_error(db, path)
                click.echo(f"{'removed' if yes else 'would remove'} {what}: {path}")
    except StoreError as exc:
        fail(str(exc))
    if not missing:
        click.echo(f"{db_path}: every record's file is still there")
    elif not yes:
        click.echo(f"{db_path}: {len(missing)} record(s) whose files are gone; run with --yes to remove them")
    else:
        click.echo(f"{db_path}: {len(missing)} record(s) removed")


@main.command()
@click.option(
    "--db",
    "db_paths",
    required=True,
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The archive; repeat for shards (one database per province), served side by side.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default to stay local.")
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-sql", is_flag=True, help="Refuse arbitrary SQL; canned queries still answer.")
@click.option(
    "--immutable",
    is_flag=True,
    help="Open a finished archive immutable (faster counts); refused while a -wal file shows a writer.",
)
def serve(db_paths: tuple[Path, ...], host: str, port: int, no_sql: bool, immutable: bool) -> None:
    """Browse the archive in Datasette, read-only (set CONGVAN_PASSWORD_HASH to require a login).

    The database is opened read-only but not immutable, so an ingest running meanwhile shows its new
    documents as it commits them."""
    from .serve import ServeError
    from .serve import serve as run

    try:
        click.echo(
            f"serving {', '.join(map(str, db_paths))} at http://{host}:{port}/ "
            f"({'immutable' if immutable else 'read-only'}; Ctrl-C stops)",
            err=True,
        )
        run(list(db_paths), host=host, port=port, immutable=immutable, allow_sql=not no_sql)
    except ServeError as exc:
        fail(str(exc))


@main.command("hash-password")
@click.password_option(help="The password auditors will type (asked for when not given).")
def hash_password(password: str) -> None:
    """Print a hash for CONGVAN_PASSWORD_HASH (login user: auditor)."""
    from .auth import hash_password as make_hash

    click.echo(make_hash(password))


@main.command()
def schema() -> None:
    """Print the JSON Schema of a dispatch record."""
    from models.schema import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command("metadata")
@click.option("--database", default="congvan", show_default=True, help="Database name (the file's stem).")
def metadata_command(database: str) -> None:
    """Print the Datasette metadata (JSON) that 'serve' uses."""
    from .metadata import metadata

    click.echo(json.dumps(metadata(database), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
