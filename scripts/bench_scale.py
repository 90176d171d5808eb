#!/usr/bin/env python3
"""Scale run (a benchmark, not a test): a national archive's worth of dispatches on this machine.

1. Generate N documents (100,000 by default; seeded, so every run makes the same ones) by recombining
   the sections of the real corpus (``corpus/`` and, where present, ``../shared/corpus/dev/*.txt``): the
   header of one document with a fresh số and date, body passages from two to four others (their
   tasks, deadlines, references and targets come along), and the signature and Nơi nhận of another.
   Sections are cut where our own extraction says the header ends and the footer begins.
2. Ingest them with ``congvan ingest --jobs`` into a fresh database, sampling the memory of the whole
   process tree (proportional set size, so pages shared by forked workers count once).
3. Report wall time, peak memory, database size and rows per table, and the latency of every canned
   query through Datasette's in-process client (median and 95th percentile over varied parameters
   drawn from the data), plus full-text search and the main faceted pages.

4. Do so at 20,000, 50,000 and 100,000 documents (one archive growing), then ingest the same 2,000
   documents by the local pool and by a Dask LocalCluster (the cluster's throughput against the pool's),
   and serve two shards (one database per province) behind one Datasette, ingested side by side.

usage: scripts/bench_scale.py [--n 100000] [--seed 7] [--jobs N] [--out outputs/bench-scale]
                              [--shared ../shared] [--queries-only] [--skip-cluster]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"(Số\s*:?\s*)(\d*)(\s*/)")
DATE = re.compile(r"ngày\s*[\d./…]{0,4}\s*tháng\s*[\d./…]{0,4}\s*năm\s*\d{4}")


@dataclass
class Donor:
    header: str
    body: list[str]  # paragraphs (lines) between the header and the footer
    footer: str


def donors(shared: Path) -> list[Donor]:
    """Every real text cut into header, body lines and footer at the zones the layout stage found."""
    from parsers import read_document
    from pipeline import record_from_parsed

    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((shared / "corpus" / "dev").glob("*.txt"))
    found = []
    from parsers import ParseError

    for path in files:
        try:
            record = record_from_parsed(read_document(path))
        except ParseError:  # the dev corpus's mojibake case is refused by the reader
            continue
        text, zones = record.text, record.zones
        if zones.header is None or zones.body is None or zones.body.end >= len(text):
            continue  # no footer to move
        header_end, footer_start = zones.header.end, zones.body.end
        body = [line for line in text[header_end:footer_start].split("\n") if line.strip()]
        if body:
            found.append(Donor(text[:header_end], body, text[footer_start:]))
    return found


def compose(rng: random.Random, pool: list[Donor], serial: int) -> str:
    """One new dispatch: a header with a new số and date, passages of other bodies, another footer."""
    head = rng.choice(pool)
    year = rng.randint(2019, 2026)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    header = NUMBER.sub(lambda m: f"{m.group(1)}{serial}{m.group(3)}", head.header, count=1)
    header = DATE.sub(f"ngày {day:02d} tháng {month:02d} năm {year}", header, count=1)
    body: list[str] = []
    target = rng.choice([len(d.body) for d in pool])  # body lengths as the real corpus has them
    while len(body) < target:
        donor = rng.choice(pool)
        start = rng.randrange(len(donor.body))
        body.extend(donor.body[start : start + rng.randint(3, 12)])
    footer = rng.choice(pool).footer
    return header + "\n" + "\n".join(body[: max(target, 3)]) + "\n\n" + footer


def generate(out: Path, n: int, seed: int, shared: Path) -> tuple[int, int]:
    """Write n documents under out/, 1,000 to a folder; returns (documents, characters)."""
    pool = donors(shared)
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    chars = 0
    for i in range(n):
        folder = out / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        text = compose(rng, pool, serial=1000 + i)
        chars += len(text)
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
    return n, chars


class TreeMemory(threading.Thread):
    """Peak memory of a process and its descendants, from /proc: the sum of proportional set sizes
    (shared pages split among the processes sharing them) and the largest single resident set."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_pss, self.peak_rss, self.done = pid, 0, 0, False

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        tree, stack = [], [self.pid]
        while stack:
            pid = stack.pop()
            tree.append(pid)
            stack.extend(children.get(pid, []))
        return tree

    @staticmethod
    def _kib(pid: int, path: str, key: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def run(self) -> None:
        while not self.done:
            tree = self._tree()
            self.peak_pss = max(self.peak_pss, sum(self._kib(p, "smaps_rollup", "Pss:") for p in tree))
            self.peak_rss = max([self.peak_rss] + [self._kib(p, "status", "VmRSS:") for p in tree])
            time.sleep(0.5)


def fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def ingest(inputs: list[Path], db: Path, jobs: int | None, cluster: str | None = None) -> tuple[float, TreeMemory]:
    """``congvan ingest`` as a process (the files already in ``db`` are skipped as unchanged); wall time
    and the memory of its process tree."""
    command = [sys.executable, "-m", "congvan.cli", "ingest", *map(str, inputs), "--db", str(db), "-q"]
    if jobs:
        command += ["--jobs", str(jobs)]
    if cluster:
        command += ["--cluster", cluster]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    out, err = process.communicate()
    memory.done = True
    wall = time.perf_counter() - started
    print(f"  ingest: {wall / 60:.1f} min wall ({wall:.0f} s) on {os.cpu_count()} cores, exit {process.returncode}")
    print(f"    {(out.strip().splitlines() or [err.strip()[-300:]])[0]}")
    print(
        f"    peak memory: {memory.peak_pss / 1024:.0f} MiB for the whole process tree (PSS), "
        f"largest process {memory.peak_rss / 1024:.0f} MiB (RSS)"
    )
    return wall, memory


def cluster_against_pool(corpus: Path, out: Path, folders: int = 2) -> None:
    """The same documents ingested by the local pool and by a Dask LocalCluster (two worker processes,
    one thread each) on this machine, each into a fresh database: documents per second, and the ratio."""
    import logging

    import dask
    from distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)

    inputs = sorted(p for p in corpus.iterdir() if p.is_dir())[:folders]
    n = sum(1 for folder in inputs for _ in folder.glob("*.txt"))
    cores = os.cpu_count() or 1
    print(f"cluster against the local pool: {n:,} documents, {cores} cores")
    rates = {}
    db = out / "compare.db"
    fresh(db)
    print(" local pool (--jobs):")
    wall, _ = ingest(inputs, db, cores)
    rates["pool"] = n / wall
    fresh(db)
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=cores, threads_per_worker=1, dashboard_address=":0", silence_logs=40) as local:
            # a standing cluster's workers have their readers running: a few documents first, not timed
            warm_up = out / "warm-up.db"
            fresh(warm_up)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "congvan.cli",
                    "ingest",
                    *map(str, sorted(inputs[0].glob("*.txt"))[: 4 * cores]),
                    "--db",
                    str(warm_up),
                    "-q",
                    "--cluster",
                    local.scheduler_address,
                ],
                capture_output=True,
            )
            fresh(warm_up)
            print(f" Dask LocalCluster ({cores} workers x 1 thread, --cluster {local.scheduler_address}, warmed up):")
            wall, _ = ingest(inputs, db, None, cluster=local.scheduler_address)
            rates["cluster"] = n / wall
    fresh(db)
    print(
        f"  local pool {rates['pool']:.1f} docs/s, cluster {rates['cluster']:.1f} docs/s: "
        f"the cluster ingests at {rates['cluster'] / rates['pool']:.2f} of the pool's throughput"
    )


def two_shards(corpus: Path, out: Path, folders: int, runs: int, seed: int) -> None:
    """One database per province, shown with two shards of the first documents: two writers side by side
    (one worker each), then both served by one Datasette, every page timed on each."""
    inputs = sorted(p for p in corpus.iterdir() if p.is_dir())[:folders]
    halves = [inputs[: len(inputs) // 2], inputs[len(inputs) // 2 :]]
    dbs = [out / "shard_a.db", out / "shard_b.db"]
    n = sum(1 for folder in inputs for _ in folder.glob("*.txt"))
    print(f"two shards: {n:,} documents, half in each, two writers side by side (--jobs 1 each)")
    for db in dbs:
        fresh(db)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "congvan.cli", "ingest", *map(str, half), "--db", str(db), "-q", "--jobs", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half, db in zip(halves, dbs, strict=True)
    ]
    for process in processes:
        process.communicate()
    wall = time.perf_counter() - started
    print(f"  both shards ingested in {wall / 60:.1f} min wall ({n / wall:.1f} docs/s)")
    for db in dbs:
        report_size(db)
    latencies(dbs, runs, seed)


def parameters(db: Path, rng: random.Random, runs: int) -> dict[str, list[dict[str, str]]]:
    """Realistic parameters for each canned query, drawn from what the database holds."""
    import sqlite_utils

    d = sqlite_utils.Database(db)

    def column(sql: str) -> list:
        return [row[0] for row in d.execute(sql).fetchall() if row[0] not in (None, "")]

    agencies = column("select agency from agencies where id in (select agency_id from task_agencies) order by agency")
    due = column("select due_date from deadlines where due_date is not null order by random() limit 500")
    cited = column("select number_symbol from [references] where citation_key is not null order by random() limit 500")
    # pairs that exist (and, one time in four, the whole column: year or unit left empty)
    year_units = d.execute(
        "select year, unit from targets where year is not null and unit is not null order by random() limit 500"
    ).fetchall()
    issuer_months = d.execute(
        "select issuer, substr(date, 1, 7) from documents where issuer is not null "
        "and date is not null order by random() limit 500"
    ).fetchall()
    words = column("select abstract from documents where abstract is not null order by random() limit 200")
    documents = d.execute("select max(id) from documents").fetchone()[0] or 1
    d.close()
    picks: dict[str, list[dict[str, str]]] = {
        q: []
        for q in (
            "agency_tasks",
            "deadlines_between",
            "overdue_as_of",
            "documents_citing",
            "targets_by_year_and_unit",
            "documents_by_issuer_and_month",
            "search",
            "search_documents",
            "documents_page",
            "search_page",
            "tasks_page",
            "assignments_page",
            "deadlines_page",
            "document_page",
            "dashboard",
            "assignments_facet",
        )
    }
    for _ in range(runs):
        agency = rng.choice(agencies)
        short = " ".join(agency.split()[:3])  # "Sở Tài chính" finds every Sở Tài chính
        picks["agency_tasks"].append({"agency": rng.choice([agency, short])})
        start = rng.choice(due)
        end = f"{int(start[:4]) + rng.choice([0, 0, 1])}{start[4:]}"
        picks["deadlines_between"].append({"start": min(start, end), "end": max(start, end)})
        picks["overdue_as_of"].append({"as_of": rng.choice(due)})
        picks["documents_citing"].append({"number_symbol": rng.choice(cited)})
        year, unit = rng.choice(year_units)
        blank = rng.choice(["", "", "", "year", "unit"])
        picks["targets_by_year_and_unit"].append(
            {"year": "" if blank == "year" else str(year), "unit": "" if blank == "unit" else unit}
        )
        issuer, month = rng.choice(issuer_months)
        picks["documents_by_issuer_and_month"].append({"issuer": " ".join(issuer.split()[-2:]), "month": month})
        phrase = " ".join(rng.choice(words).split()[1:3])
        picks["search"].append({"_search": phrase})
        picks["search_documents"].append({"q": phrase})
        picks["documents_page"].append({"_sort_desc": "date"} if rng.random() < 0.5 else {"_facet": "issuer"})
        picks["search_page"].append({"_search": phrase})
        picks["tasks_page"].append({} if rng.random() < 0.5 else {"role": "lead"})
        picks["assignments_page"].append({"agency": agency} if rng.random() < 0.5 else {})
        picks["deadlines_page"].append({"status": "overdue"} if rng.random() < 0.5 else {})
        picks["document_page"].append({"id": str(rng.randint(1, max(documents, 1)))})
        picks["dashboard"].append({})
        picks["assignments_facet"].append({"agency": rng.choice(agencies)})
    return picks


def latencies(dbs: Path | list[Path], runs: int, seed: int) -> None:
    """Every canned query, full-text search, the table pages and facets, the document page and the
    dashboard, through Datasette in process; with several databases (shards), each one's in turn."""
    from congvan.serve import datasette_app

    dbs = [dbs] if isinstance(dbs, Path) else dbs
    datasette = datasette_app(dbs)
    for db in dbs:
        _latencies(datasette, db, runs, seed, first=db == dbs[0])


def _latencies(datasette, db: Path, runs: int, seed: int, first: bool) -> None:
    rng = random.Random(seed)
    picks = parameters(db, rng, runs)
    name = db.stem

    def path(query: str, params: dict[str, str]) -> str:
        if query == "search":
            return f"/{name}/documents.json?" + urllib.parse.urlencode(params)
        if query == "assignments_facet":
            return f"/{name}/assignments.json?" + urllib.parse.urlencode(params)
        if query == "documents_page":  # the HTML listing an archivist opens, facets and all
            return f"/{name}/documents?" + urllib.parse.urlencode(params)
        if query == "search_page":  # the same listing searched, counted and faceted
            return f"/{name}/documents?" + urllib.parse.urlencode(params)
        if query in ("tasks_page", "assignments_page", "deadlines_page"):
            table = {"tasks_page": "tasks", "assignments_page": "assignments", "deadlines_page": "open_deadlines"}
            return f"/{name}/{table[query]}?" + urllib.parse.urlencode(params)
        if query == "document_page":
            return f"/-/congvan/document/{params['id']}?db={name}"
        if query == "dashboard":
            return f"/-/congvan/dashboard?db={name}"
        return f"/{name}/{query}.json?" + urllib.parse.urlencode(params)

    async def measure() -> None:
        if first:
            await datasette.invoke_startup()
        # the first request to a freshly started Datasette pays once for what it caches (the schema,
        # the OS reading the file's pages): timed apart, not in the figures. The database is opened as
        # `congvan serve` opens it by default: read-only, not immutable
        started = time.perf_counter()
        await datasette.client.get(path("agency_tasks", picks["agency_tasks"][0]))
        print(f"first request after start-up (cold), {name}: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"Datasette in-process latency, {name}, {runs} requests each (varied parameters), ms:")
        print(f"  {'query':32s} {'p50':>7s} {'p95':>7s} {'max':>7s}  rows (median)")
        for query, params_list in picks.items():
            times, rows = [], []
            for params in params_list:
                started = time.perf_counter()
                response = await datasette.client.get(path(query, params))
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    print(f"  {query}: HTTP {response.status_code} for {params}: {response.text[:200]}")
                    break
                is_json = response.headers.get("content-type", "").startswith("application/json")
                rows.append(len(response.json().get("rows", [])) if is_json else 1)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(
                f"  {query:32s} {statistics.median(times):7.1f} {p95:7.1f} {times[-1]:7.1f}  "
                f"{statistics.median(rows) if rows else 0:g}"
            )

    asyncio.run(measure())


def report_size(db: Path) -> None:
    import sqlite_utils

    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    d = sqlite_utils.Database(db)
    counts = {
        t: d[t].count
        for t in (
            "documents",
            "tasks",
            "task_agencies",
            "agencies",
            "deadlines",
            "references",
            "targets",
            "evidence",
            "errors",
        )
    }
    d.close()
    print(f"database: {size / 2**30:.2f} GiB; " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))


def checkpoints(n: int) -> list[int]:
    """Where the archive is measured as it grows: 20,000, 50,000 and 100,000 documents for the default run
    (a fifth, a half and all of it otherwise), in whole folders of 1,000."""
    points = [max(1000, round(n * share / 1000) * 1000) for share in (0.2, 0.5)] + [n]
    return sorted({min(p, n) for p in points})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--runs", type=int, default=40, help="requests per query for the latency figures")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench-scale")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--queries-only", action="store_true", help="measure the queries on the database already built")
    ap.add_argument("--skip-cluster", action="store_true", help="no cluster comparison, no shards")
    args = ap.parse_args()
    corpus, db = args.out / "corpus", args.out / "scale.db"
    if args.queries_only:
        report_size(db)
        latencies(db, args.runs, args.seed)
        return 0
    started = time.perf_counter()
    n, chars = generate(corpus, args.n, args.seed, args.shared)
    print(
        f"generated {n:,} documents, {chars / 1e6:,.0f} M characters (seed {args.seed}) "
        f"in {time.perf_counter() - started:.0f} s under {corpus}"
    )
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    fresh(db)
    total = 0.0
    for point in checkpoints(n):
        print(f"== {point:,} documents")
        wall, _ = ingest(folders[: -(-point // 1000)], db, args.jobs)
        total += wall
        print(f"  ingest so far: {total / 60:.1f} min for {point:,} documents ({point / total:.1f} docs/s)")
        report_size(db)
        latencies(db, args.runs, args.seed)
    if not args.skip_cluster:
        cluster_against_pool(corpus, args.out)
        two_shards(corpus, args.out, min(20, len(folders)), args.runs, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
