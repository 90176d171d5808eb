"""The ``congvan`` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from parsers import ParseError


@click.group()
@click.version_option(package_name="congvan")
def main() -> None:
    """Structured, traceable records from Vietnamese state dispatches."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the records: one DIR/<input stem>.json per input file.")
@click.option("--with-text/--no-text", default=False, help="Include the normalized text in each record.")
def extract(paths: tuple[Path, ...], out_dir: Path, with_text: bool) -> None:
    """Extract one JSON record per input file (files or folders)."""
    from pipeline import extract_file

    from .ingest import expand

    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in expand(paths):
        try:
            record = extract_file(path)
        except ParseError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        data = record.model_dump(mode="json", exclude=None if with_text else {"text"})
        (out_dir / f"{path.stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if failed:
        click.echo(f"{failed} file(s) could not be read", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite database to create or update.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--timeout", type=click.FloatRange(min=1), default=None,
              help="Seconds one document may take before it is stopped and recorded as an error.")
@click.option("--force", is_flag=True, help="Re-extract files even when they are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only the summary.")
def ingest(paths: tuple[Path, ...], db_path: Path, jobs: int | None, timeout: float | None, force: bool,
           quiet: bool) -> None:
    """Load files and folders into the SQLite archive; bad files become rows in 'errors'."""
    from tqdm import tqdm

    from .ingest import Limits
    from .ingest import ingest as run

    bar = None

    def progress(i: int, n: int, outcome) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            bar = tqdm(total=n, unit="doc", desc="ingest", file=sys.stderr, dynamic_ncols=True)
        bar.set_postfix_str(f"{outcome.status}: {Path(outcome.path).name}", refresh=False)
        bar.update(1)

    limits = Limits(timeout_s=timeout) if timeout else Limits()
    summary = run(paths, db_path, progress, jobs=jobs, limits=limits, force=force)
    if bar is not None:
        bar.close()
    click.echo(f"{db_path}: {summary.line()}")
    for outcome in summary.outcomes:
        if outcome.status == "failed":
            click.echo(f"  failed {outcome.path}: {outcome.reason}")


@main.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
def reprocess(db_path: Path, jobs: int | None) -> None:
    """Re-extract, from the stored text, every record made by an older pipeline version."""
    from pipeline import PIPELINE_VERSION

    from .reprocess import reprocess as run

    count = run(db_path, jobs=jobs)
    click.echo(f"{db_path}: {count} record(s) re-extracted with pipeline {PIPELINE_VERSION}")


@main.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default to stay local.")
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-sql", is_flag=True, help="Refuse arbitrary SQL; canned queries still answer.")
@click.option("--mutable", is_flag=True, help="Open the database read-write (default: immutable, read-only).")
def serve(db_path: Path, host: str, port: int, no_sql: bool, mutable: bool) -> None:
    """Browse the archive in Datasette (set CONGVAN_PASSWORD_HASH to require a login)."""
    from .serve import serve as run

    sys.exit(run(db_path, host=host, port=port, immutable=not mutable, allow_sql=not no_sql))


@main.command("hash-password")
@click.password_option(help="The password auditors will type (asked for when not given).")
def hash_password(password: str) -> None:
    """Print a hash for CONGVAN_PASSWORD_HASH (login user: auditor)."""
    from datasette_auth_passwords.utils import hash_password as make_hash

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
