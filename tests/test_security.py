"""The holes an attacker and an unlucky archivist found, one test each (issue #11).

Serving tests run the real ``congvan serve`` on a free loopback port; the rest use the in-process
Datasette client and the real CLI. Every loop that waits on a server is bounded in count."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import as_plain_user, congvan_command, free_port, listening, require, served

from congvan import auth, store
from congvan.cli import main
from congvan.ingest import ingest
from congvan.serve import PASSWORD_ENV, datasette_app
from congvan.web import citation_key

PASSWORD = "mật khẩu kiểm toán"


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ---------------------------------------------------------------------------------------------------
# 1 and 7: the login covers every route, is throttled, and checks the hash off the event loop


@pytest.fixture
def protected(archive: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(PASSWORD_ENV, auth.hash_password(PASSWORD, iterations=1_000))
    return datasette_app(archive)


# Every route Datasette and the plugin serve, with real values (the seeds' first document, a canned query)
WALK = [
    "/",
    "/.json",
    "/-/metadata",
    "/-/metadata.json",
    "/-/versions",
    "/-/plugins",
    "/-/settings",
    "/-/settings.json",
    "/-/config",
    "/-/config.json",
    "/-/threads",
    "/-/databases",
    "/-/actor",
    "/-/auth-token",
    "/-/permissions",
    "/-/messages",
    "/-/allow-debug",
    "/-/patterns",
    "/_memory",
    "/:memory:",
    "/congvan",
    "/congvan.json",
    "/congvan.db",
    "/congvan/documents",
    "/congvan/documents.json",
    "/congvan/documents.csv",
    "/congvan/documents/1",
    "/congvan/documents/1.json",
    "/congvan/tasks",
    "/congvan/assignments",
    "/congvan/agency_tasks?agency=phong",
    "/congvan/documents?_search=uy",
    "/-/congvan/document/1",
    "/-/congvan/dashboard",
]
OPEN = {"/-/login", "/-/logout", "/favicon.ico", "/-/congvan/congvan.css"}  # the stylesheet holds no data
PRODUCT_PAGES = [
    "/",
    "/congvan",
    "/congvan/documents",
    "/congvan/documents/1",
    "/congvan/assignments",
    "/congvan/agency_tasks?agency=phong",
    "/-/congvan/document/1",
    "/-/congvan/dashboard",
]


async def login(ds, password: str, user: str = auth.USER):
    """Log in through the real form: the page, its CSRF token and cookie, then the POST."""
    page = await ds.client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return await ds.client.post(
        "/-/login",
        data={"csrftoken": token, "username": user, "password": password},
        cookies={"ds_csrftoken": page.cookies["ds_csrftoken"]},
    )


async def test_every_route_is_walked(protected) -> None:
    """The walk below covers every route the instance serves: a route added later must join it."""
    await protected.invoke_startup()
    walked = [path.split("?")[0] for path in [*WALK, *OPEN]]
    for regex, _ in protected._routes():
        if "static" in regex.pattern:
            continue
        assert any(regex.match(path) for path in walked), f"route {regex.pattern} is not walked"


async def test_logged_out_every_route_is_refused_or_sent_to_login(protected) -> None:
    await protected.invoke_startup()
    for path in WALK:
        response = await protected.client.get(path)
        if response.status_code == 302:
            assert response.headers["location"].startswith("/-/login?next="), path
        else:
            assert response.status_code == 403, (path, response.status_code)
        assert "Phong Thổ" not in response.text and "Tam Đường" not in response.text, path


async def test_logged_in_the_product_answers(protected) -> None:
    await protected.invoke_startup()
    response = await login(protected, PASSWORD)
    assert response.status_code == 302
    cookies = {"ds_actor": response.cookies["ds_actor"]}
    for path in PRODUCT_PAGES:
        page = await protected.client.get(path, cookies=cookies)
        assert page.status_code == 200, path
    for path in WALK:
        page = await protected.client.get(path, cookies=cookies)
        assert page.status_code < 500, path
    document = await protected.client.get("/-/congvan/document/1", cookies=cookies)
    assert "<mark" in document.text


async def test_wrong_password_refused_right_one_let_in(protected) -> None:
    await protected.invoke_startup()
    wrong = await login(protected, "not the password")
    assert wrong.status_code == 403 and "ds_actor" not in wrong.cookies
    stranger = await login(protected, PASSWORD, user="admin")
    assert stranger.status_code == 403 and "ds_actor" not in stranger.cookies
    right = await login(protected, PASSWORD)
    assert right.status_code == 302 and right.cookies["ds_actor"]
    actor = await protected.client.get("/-/actor.json", cookies={"ds_actor": right.cookies["ds_actor"]})
    assert actor.json() == {"actor": {"id": "auditor"}}


async def test_failed_logins_are_throttled_per_client(protected) -> None:
    await protected.invoke_startup()
    for _ in range(auth.FREE_FAILURES):
        assert (await login(protected, "guess")).status_code == 403
    blocked = await login(protected, PASSWORD)  # even the right password waits its turn
    assert blocked.status_code == 429 and "ds_actor" not in blocked.cookies


def test_throttle_wait_doubles_and_ends() -> None:
    throttle = auth.Throttle(free=2, max_wait_s=60)
    assert throttle.wait_s("a", now=0) == 0
    for t in (1, 2):
        throttle.failed("a", now=t)
    assert throttle.wait_s("a", now=2) == 1 and throttle.wait_s("a", now=3) == 0
    throttle.failed("a", now=3)
    assert throttle.wait_s("a", now=3) == 2 and throttle.wait_s("b", now=3) == 0
    throttle.succeeded("a")
    assert throttle.wait_s("a", now=3) == 0


async def test_password_is_checked_off_the_event_loop(protected, monkeypatch: pytest.MonkeyPatch) -> None:
    await protected.invoke_startup()
    threads: list[str] = []
    real = auth.verify_password

    def spy(password: str, stored: auth.PasswordHash) -> bool:
        threads.append(threading.current_thread().name)
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", spy)
    assert (await login(protected, PASSWORD)).status_code == 302
    assert threads and all(name.startswith("congvan-login") for name in threads), threads


BAD_HASHES = [
    ("secret", "is not a usable password hash"),
    ("pbkdf2_sha256$480000$salt", "is not a usable password hash"),
    ("pbkdf2_sha256$many$salt$AAAA", "is not a usable password hash"),
    ("md5$1000$salt$" + "A" * 44, "is not a usable password hash"),
    ("pbkdf2_sha256$480000$salt$not-base64!", "is not a usable password hash"),
    (" ", "is set but empty"),  # a failed substitution must not leave the archive open
]


@pytest.mark.parametrize(("bad", "why"), BAD_HASHES)
def test_malformed_password_hash_refuses_to_start(archive: Path, bad: str, why: str) -> None:
    env = dict(os.environ, **{PASSWORD_ENV: bad})
    result = subprocess.run(
        congvan_command("serve", "--db", str(archive), "--port", str(free_port())),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"error: {PASSWORD_ENV} {why}" in result.stderr
    assert "Traceback" not in result.stderr


def test_hash_password_command_makes_a_hash_the_login_accepts() -> None:
    result = CliRunner().invoke(main, ["hash-password", "--password", PASSWORD])
    assert auth.verify_password(PASSWORD, auth.parse_hash(result.output.strip()))
    assert not auth.verify_password("other", auth.parse_hash(result.output.strip()))


# ---------------------------------------------------------------------------------------------------
# 2 and 14: the default serve sees an ingest live, binds localhost, and stops on SIGTERM


def test_serve_default_binds_localhost_and_stops_on_sigterm(archive: Path) -> None:
    with served(archive) as (port, proc):
        assert listening(port) == ["0100007F"]  # 127.0.0.1 only, never 0.0.0.0
        assert get(f"http://127.0.0.1:{port}/congvan/documents.json")[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) in (0, -signal.SIGTERM)  # uvicorn shuts down, then re-raises the signal
        assert listening(port) == []


def test_serve_sees_an_ingest_as_it_commits(archive: Path, dev_dir: Path, tmp_path: Path) -> None:
    more = tmp_path / "more"
    more.mkdir()
    for path in sorted(dev_dir.glob("*.txt"))[:20]:
        shutil.copy(path, more / path.name)
    pages = [
        "/congvan/documents.json?_size=5",
        "/congvan/documents?_search=uy+ban",
        "/congvan/assignments",
        "/congvan/agency_tasks?agency=so",
        "/-/congvan/dashboard",
        "/-/congvan/document/1",
        "/congvan",
    ]
    statuses: list[tuple[int, str]] = []
    with served(archive) as (port, _):
        writer = subprocess.Popen(
            congvan_command("ingest", str(more), "--db", str(archive), "-q", "-j", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2_000):  # bounded: the ingest of 20 texts takes seconds
            for page in pages:
                statuses.append((get(f"http://127.0.0.1:{port}{page}")[0], page))
            if writer.poll() is not None:
                break
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        import json

        status, body = get(f"http://127.0.0.1:{port}/congvan/documents.json?_size=0")
        assert status == 200 and json.loads(body)["filtered_table_rows_count"] == 25
    assert len(statuses) > len(pages)
    assert all(code == 200 for code, _ in statuses), [s for s in statuses if s[0] != 200][:5]


def test_immutable_refuses_while_a_writer_log_exists(archive: Path) -> None:
    conn = sqlite3.connect(archive)  # a writer at work: its -wal file is there while it is open
    conn.execute("pragma journal_mode = wal")
    conn.execute("insert into errors (path, name, reason) values ('x', 'x', 'held')")
    conn.commit()
    try:
        assert archive.with_name(archive.name + "-wal").exists()
        result = subprocess.run(
            congvan_command("serve", "--db", str(archive), "--immutable", "--port", str(free_port())),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        conn.close()
    assert result.returncode != 0 and "holds changes not yet in the database file" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------------
# 3 and 9: links out of the input folders are not read; an unreadable folder is an error row


def _folder_with_links(tmp_path: Path, seeds: Path) -> tuple[Path, Path]:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("ỦY BAN NHÂN DÂN\nTỈNH BÍ MẬT\nSố: 1/UBND\nMẬT KHẨU NỘI BỘ xyzzy\n", encoding="utf-8")
    (seeds / "x.txt").symlink_to(secret)
    (seeds / "outside").symlink_to(secret.parent, target_is_directory=True)
    (seeds / "inside.txt").symlink_to(seeds / "000_e0f64f5618f91b60.txt")
    return seeds, secret


def test_ingest_does_not_follow_links_out_of_the_folder(tmp_path: Path, seeds: Path) -> None:
    folder, secret = _folder_with_links(tmp_path, seeds)
    db = tmp_path / "a.db"
    summary = ingest([folder], db)
    failed = {Path(o.path).name: o.reason for o in summary.outcomes if o.status == "failed"}
    assert set(failed) == {"x.txt", "outside"}
    assert all("outside the paths named" in reason for reason in failed.values())
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from document_texts where text like '%xyzzy%'").fetchone() == (0,)
        assert conn.execute("select count(*) from documents").fetchone() == (6,)  # 5 seeds and the inside link


def test_named_link_to_an_outside_file_is_refused_too(tmp_path: Path, seeds: Path) -> None:
    folder, _ = _folder_with_links(tmp_path, seeds)
    result = CliRunner().invoke(
        main,
        ["extract", str(folder / "x.txt"), str(folder / "004_8ef36d4b45c2f24a.txt"), "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 1
    assert f"error: {folder / 'x.txt'}: a link to a file outside the paths named" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["004_8ef36d4b45c2f24a.json"]


def _shared_tmp() -> Path:
    """A folder any user may enter (pytest's own is private to its owner)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="congvan-perm-", dir="/tmp"))
    folder.chmod(0o777)
    return folder


def test_unreadable_sub_folder_becomes_an_error_row(seeds: Path) -> None:
    base = _shared_tmp()
    try:
        folder = base / "in"
        shutil.copytree(seeds, folder)
        locked = folder / "locked"
        locked.mkdir()
        shutil.copy(seeds / "000_e0f64f5618f91b60.txt", locked / "a.txt")
        locked.chmod(0)
        db = base / "a.db"
        result = subprocess.run(
            as_plain_user(congvan_command("ingest", str(folder), "--db", str(db), "-q")),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 1, result.stderr
        assert "5 loaded" in result.stdout and "1 failed" in result.stdout
        with sqlite3.connect(db) as conn:
            ((path, reason),) = conn.execute("select path, reason from errors").fetchall()
        assert path == str(locked) and reason.startswith("folder cannot be read (Permission denied)")
    finally:
        for p in base.rglob("*"):
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(base)


# ---------------------------------------------------------------------------------------------------
# 4: long documents load; what cannot load is refused at once with its size


def test_a_two_thousand_page_pdf_loads(tmp_path: Path, dev_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = pdfium.PdfDocument(require(dev_dir / "files" / "001.pdf", "a born-digital plan"))
    long = pdfium.PdfDocument.new()
    long.import_pages(source)
    while len(long) < 2000:
        long.import_pages(source, list(range(1, min(len(source), 2000 - len(long) + 1))))
    path = tmp_path / "long.pdf"
    long.save(path)
    monkeypatch.setenv("CONGVAN_OCR", "off")  # the text layer is what is under test, not OCR's speed
    db = tmp_path / "long.db"
    summary = ingest([path], db, jobs=1)
    assert summary.count("loaded") == 1, summary.outcomes
    with sqlite3.connect(db) as conn:
        pages, symbol, issuer, length = conn.execute(
            "select pages, symbol, issuer, (select length(text) from document_texts where document_id = documents.id) from documents"
        ).fetchone()
        tasks = conn.execute("select count(*) from tasks").fetchone()[0]
        references = conn.execute("select count(*) from [references]").fetchone()[0]
    assert pages == 2000 and length > 1_000_000
    assert symbol == "KH-UBND" and issuer and issuer.startswith("Ủy ban nhân dân")
    assert tasks >= 100 and references >= 5


def test_a_text_too_long_to_be_a_document_is_refused_at_once(tmp_path: Path, seeds: Path) -> None:
    huge = seeds / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(199 * 1024 * 1024)  # sparse: 199 MiB on paper, nothing on disk
    summary = ingest([seeds], tmp_path / "a.db")
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.path.endswith("huge.txt") and "199 MiB is longer than a document may be" in failed.reason


# ---------------------------------------------------------------------------------------------------
# 5: two writers on one database


def test_a_second_ingest_stops_at_once_saying_why(archive: Path, seeds: Path) -> None:
    with store.writer_lock(archive):
        result = CliRunner().invoke(main, ["ingest", str(seeds), "--db", str(archive), "-q"])
        reprocess = CliRunner().invoke(main, ["reprocess", "--db", str(archive)])
    for r in (result, reprocess):
        assert r.exit_code == 1
        assert r.output.strip() == (
            f"error: {archive}: another ingest, reprocess or prune is writing this database, "
            "or 'serve --immutable' is reading it; run again when it has finished"
        )
    again = CliRunner().invoke(main, ["ingest", str(seeds), "--db", str(archive), "-q"])
    assert again.exit_code == 0 and "5 unchanged" in again.output


# ---------------------------------------------------------------------------------------------------
# 6: extract --out gives every input its own record, or writes nothing


def test_extract_out_refuses_clashing_names_before_writing(tmp_path: Path, seeds: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    text = seeds / "004_8ef36d4b45c2f24a.txt"
    for target in (a / "doc.txt", b / "doc.txt", a / "001.txt"):
        shutil.copy(text, target)
    shutil.copy(text, a / "001.md")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["extract", str(a / "doc.txt"), str(b / "doc.txt"), str(a / "001.md"), str(a / "001.txt"), "--out", str(out)],
    )
    assert result.exit_code == 2
    assert f"error: {a / 'doc.txt'}, {b / 'doc.txt'}: would all be written to {out / 'doc.json'}" in result.output
    assert f"{a / '001.md'}, {a / '001.txt'}: would all be written to {out / '001.json'}" in result.output
    assert not out.exists()


def test_extract_out_keeps_sub_folders(tmp_path: Path, seeds: Path) -> None:
    (seeds / "files").mkdir()
    shutil.copy(seeds / "004_8ef36d4b45c2f24a.txt", seeds / "files" / "004_8ef36d4b45c2f24a.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(seeds), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "004_8ef36d4b45c2f24a.json").exists() and (out / "files" / "004_8ef36d4b45c2f24a.json").exists()


# ---------------------------------------------------------------------------------------------------
# 8: renames follow the file; prune removes what is gone, when asked


def test_a_renamed_file_keeps_its_record(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "a.db"
    ingest([seeds], db)
    with sqlite3.connect(db) as conn:
        before = conn.execute(
            "select id, (select count(*) from tasks) from documents where name like '004%'"
        ).fetchone()
    (seeds / "004_8ef36d4b45c2f24a.txt").rename(seeds / "renamed.txt")
    summary = ingest([seeds], db)
    assert summary.count("moved") == 1 and summary.count("loaded") == 0
    with sqlite3.connect(db) as conn:
        after = conn.execute(
            "select id, (select count(*) from tasks) from documents where name = 'renamed.txt'"
        ).fetchone()
        assert conn.execute("select count(*) from documents").fetchone() == (5,)
    assert after == before


def test_prune_lists_then_removes_records_whose_files_are_gone(tmp_path: Path, seeds: Path) -> None:
    db = tmp_path / "a.db"
    (seeds / "empty.txt").write_text("")
    ingest([seeds], db)
    (seeds / "004_8ef36d4b45c2f24a.txt").unlink()
    (seeds / "empty.txt").unlink()
    dry = CliRunner().invoke(main, ["prune", "--db", str(db)])
    assert dry.exit_code == 0
    assert "would remove document" in dry.output and "would remove error row" in dry.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (5,)
    done = CliRunner().invoke(main, ["prune", "--db", str(db), "--yes"])
    assert done.exit_code == 0 and "2 record(s) removed" in done.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (4,)
        assert conn.execute("select count(*) from errors").fetchone() == (0,)
        orphans = conn.execute("select count(*) from tasks where document_id not in (select id from documents)")
        assert orphans.fetchone() == (0,)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


# ---------------------------------------------------------------------------------------------------
# 10 and 13: one line, a true exit status, nothing damaged


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(result: subprocess.CompletedProcess, path: Path, cause: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}") and cause in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_not_a_database_is_refused_untouched(tmp_path: Path, seeds: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("meeting notes, not a database\n" * 100)
    digest = _digest(notes)
    for command in (["ingest", str(seeds), "--db", str(notes), "-q"], ["reprocess", "--db", str(notes)]):
        result = subprocess.run(congvan_command(*command), capture_output=True, text=True, timeout=120)
        _one_line_error(result, notes, "not an SQLite database")
    assert _digest(notes) == digest and not notes.with_name("notes.db-wal").exists()


def test_corrupt_database_is_refused_untouched(archive: Path, seeds: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the header
    archive.write_bytes(bytes(data))
    digest = _digest(archive)
    for command in (["ingest", str(seeds), "--db", str(archive), "-q"], ["reprocess", "--db", str(archive)]):
        result = subprocess.run(congvan_command(*command), capture_output=True, text=True, timeout=120)
        _one_line_error(result, archive, "damaged")
    assert _digest(archive) == digest


def test_read_only_database_and_output_folder(seeds: Path) -> None:
    base = _shared_tmp()
    try:
        db = base / "a.db"
        ingest([seeds], db)
        shutil.copy(seeds / "004_8ef36d4b45c2f24a.txt", base / "new.txt")
        db.chmod(0o444)
        digest = _digest(db)
        result = subprocess.run(
            as_plain_user(congvan_command("ingest", str(base / "new.txt"), "--db", str(db), "-q")),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _one_line_error(result, db, "read-only")
        assert _digest(db) == digest
        locked = base / "locked"
        locked.mkdir(mode=0o555)
        result = subprocess.run(
            as_plain_user(congvan_command("extract", str(seeds), "--out", str(locked / "out"))),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _one_line_error(result, locked / "out", "Permission denied")
        result = subprocess.run(
            as_plain_user(congvan_command("ingest", str(seeds), "--db", str(locked / "x.db"), "-q")),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _one_line_error(result, locked / "x.db", "Permission denied")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_ingest_exits_non_zero_when_a_file_failed(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "photo.pdf").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "a.db"), "-q"])
    assert result.exit_code == 1
    assert "0 loaded, 0 updated, 0 moved, 0 unchanged, 2 failed" in result.output


def test_a_mistyped_input_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "no-such-folder"), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "a.db").exists()


# ---------------------------------------------------------------------------------------------------
# 11 and 12: hostile parameters and paths


def test_citation_key_parameter_is_bounded() -> None:
    assert citation_key("1487/QĐ-UBND") == citation_key(" 1487 / QĐ-UBND ") is not None
    assert citation_key("1/" + " " * 8_000 + "QĐ-UBND") is None  # cut, not backtracked through


async def test_hostile_paths_answer_4xx_not_500(archive: Path) -> None:
    ds = datasette_app(archive)
    await ds.invoke_startup()
    for path in [
        "/-/congvan/document/99999999999999999999999",
        "/-/congvan/document/1?db=../../etc/passwd",
        "/-/congvan/document/..%2F..%2Fetc%2Fpasswd",
        "/-/congvan/document/-1",
        "/-/congvan/document/0",
        "/congvan/documents/99999999999999999999999",
        "/congvan/documents.json?id__gt=99999999999999999999999",
        "/congvan/documents.json?_sort=..%2F..%2Fetc",
        "/..%2F..%2Fetc%2Fpasswd",
        "/congvan/..%2F..%2Fx",
        "/congvan/documents_citing?number_symbol=" + "%20" * 8000 + "1/x",
    ]:
        response = await ds.client.get(path)
        assert 200 <= response.status_code < 500, (path, response.status_code)
        assert "root:" not in response.text


# ---------------------------------------------------------------------------------------------------
# A second look, as an attacker (review of the first fix)


async def test_parallel_guesses_are_counted_before_they_are_checked(protected) -> None:
    import asyncio

    await protected.invoke_startup()
    page = await protected.client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    cookies = {"ds_csrftoken": page.cookies["ds_csrftoken"]}

    async def guess(i: int) -> int:
        response = await protected.client.post(
            "/-/login", cookies=cookies, data={"csrftoken": token, "username": auth.USER, "password": f"guess {i}"}
        )
        return response.status_code

    statuses = await asyncio.gather(*(guess(i) for i in range(12)))
    assert statuses.count(403) <= auth.FREE_FAILURES and statuses.count(429) >= 12 - auth.FREE_FAILURES


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "https://evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/\r\nSet-Cookie: x=1",
    ],
)
async def test_login_goes_back_only_to_a_path_on_this_site(protected, next_path: str) -> None:
    await protected.invoke_startup()
    page = await protected.client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    response = await protected.client.post(
        "/-/login",
        cookies={"ds_csrftoken": page.cookies["ds_csrftoken"]},
        data={"csrftoken": token, "username": auth.USER, "password": PASSWORD, "next": next_path},
    )
    assert response.status_code == 302
    location = response.headers["location"]
    assert location == "/" or (location == next_path and next_path.startswith("/%")), location


async def test_login_without_the_forms_token_is_refused(protected) -> None:
    await protected.invoke_startup()
    forged = await protected.client.post("/-/login", data={"username": auth.USER, "password": PASSWORD})
    assert forged.status_code == 403 and "ds_actor" not in forged.cookies


def test_forwarded_for_does_not_choose_the_throttled_client(archive: Path) -> None:
    import http.cookiejar

    env = dict(os.environ, **{PASSWORD_ENV: auth.hash_password(PASSWORD, iterations=1_000)})
    with served(archive, env=env) as (port, _):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"http://127.0.0.1:{port}/-/login", timeout=30).read().decode()
        token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)
        codes = []
        for i in range(auth.FREE_FAILURES + 2):
            body = urllib.parse.urlencode({"csrftoken": token, "username": auth.USER, "password": f"x{i}"}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/-/login", data=body, headers={"X-Forwarded-For": f"10.0.0.{i}"}
            )
            try:
                codes.append(opener.open(request, timeout=30).status)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)
        assert codes[: auth.FREE_FAILURES] == [403] * auth.FREE_FAILURES and codes[-1] == 429, codes


def test_immutable_serve_keeps_writers_out(archive: Path, seeds: Path) -> None:
    with served(archive, "--immutable"):
        result = CliRunner().invoke(main, ["ingest", str(seeds), "--db", str(archive), "-q", "--force"])
        assert result.exit_code == 1 and "'serve --immutable' is reading it" in result.output


def test_links_named_on_the_command_line_cannot_lead_out(tmp_path: Path, seeds: Path) -> None:
    folder, secret = _folder_with_links(tmp_path, seeds)
    (folder / "chain1.txt").symlink_to(folder / "chain2.txt")
    (folder / "chain2.txt").symlink_to(secret)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    db = tmp_path / "a.db"
    named = sorted(str(p) for p in folder.iterdir())  # what a shell makes of folder/*
    result = CliRunner().invoke(main, ["ingest", *named, "--db", str(db), "-q"])
    assert result.exit_code == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from document_texts where text like '%xyzzy%'").fetchone() == (0,)
        refused = dict(conn.execute("select name, reason from errors").fetchall())
    assert set(refused) == {"x.txt", "outside", "chain1.txt", "chain2.txt", "gone.txt"}
    assert refused["gone.txt"] == "a link whose target does not exist"


def test_a_file_swapped_for_a_link_after_listing_is_refused(tmp_path: Path, seeds: Path) -> None:
    from congvan.ingest import extract_one, roots_of

    folder, secret = _folder_with_links(tmp_path, seeds)
    victim = folder / "001_cda60954af8e6ad0.txt"
    victim.unlink()
    victim.symlink_to(secret)  # as if swapped between the listing and the worker's turn
    status, reason = extract_one(str(victim), None, tuple(str(r) for r in roots_of([folder])))
    assert status == "error" and "outside the paths named" in reason


def test_a_file_reached_twice_is_read_once(tmp_path: Path, seeds: Path) -> None:
    (seeds / "sub").mkdir()
    shutil.copy(seeds / "004_8ef36d4b45c2f24a.txt", seeds / "sub" / "b.txt")
    summary = ingest([seeds, seeds / "sub", seeds / "sub" / "b.txt"], tmp_path / "a.db")
    assert summary.count("loaded") == 6 and summary.count("updated") == 0 and len(summary.outcomes) == 6


def test_extract_does_not_replace_another_inputs_record_nor_write_through_links(tmp_path: Path, seeds: Path) -> None:
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    a.mkdir(), b.mkdir()
    shutil.copy(seeds / "004_8ef36d4b45c2f24a.txt", a / "doc.txt")
    shutil.copy(seeds / "000_e0f64f5618f91b60.txt", b / "doc.txt")
    assert CliRunner().invoke(main, ["extract", str(a), "--out", str(out)]).exit_code == 0
    first = (out / "doc.json").read_bytes()
    again = CliRunner().invoke(main, ["extract", str(a), "--out", str(out)])  # the same input: refreshed
    assert again.exit_code == 0
    other = CliRunner().invoke(main, ["extract", str(b), "--out", str(out)])
    assert other.exit_code == 2 and "holds the record of another file" in other.output
    assert (out / "doc.json").read_bytes() == first
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / "doc.json").unlink()
    (out / "doc.json").symlink_to(victim)
    assert CliRunner().invoke(main, ["extract", str(a), "--out", str(out)]).exit_code == 0
    assert victim.read_text() == "keep me" and not (out / "doc.json").is_symlink()


def test_prune_on_a_read_only_database_is_one_line(seeds: Path) -> None:
    base = _shared_tmp()
    try:
        folder = base / "in"
        shutil.copytree(seeds, folder)
        db = base / "a.db"
        ingest([folder], db)
        (folder / "004_8ef36d4b45c2f24a.txt").unlink()
        db.chmod(0o444)
        result = subprocess.run(
            as_plain_user(congvan_command("prune", "--db", str(db), "--yes")),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _one_line_error(result, db, "read-only")
        assert "removed document" not in result.stdout
    finally:
        shutil.rmtree(base, ignore_errors=True)
