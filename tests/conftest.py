"""Shared fixtures. Tests that read ../shared skip with a reason where it is absent, except under CI."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("CONGVAN_SHARED", ROOT.parent / "shared"))


def require_tool(ok: bool, why: str) -> None:
    """Skip, saying why, when something the test needs is missing; under CI nothing may skip: fail."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def require(path: Path, why: str) -> Path:
    """``path`` if it exists; otherwise skip (or fail under CI)."""
    require_tool(path.exists(), f"{path} not found: {why}")
    return path


# A dispatch whose text holds markup: it must show as text, never run.
SCRIPT_DISPATCH = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 77/UBND-KT
Lào Cai, ngày 03 tháng 3 năm 2026
V/v kiểm tra <script>window.pwned = 1</script> an toàn
Kính gửi: Sở Công Thương.
Giao Sở Công Thương chủ trì kiểm tra <img src=x onerror="window.pwned=2">, báo cáo trước ngày 30/3/2026.
"""


@pytest.fixture
def dev_dir() -> Path:
    return require(SHARED / "corpus" / "dev", "the shared dev corpus is read in place, never copied")


@pytest.fixture
def archive(tmp_path: Path, seeds: Path) -> Path:
    """A real archive: the seeds ingested into a fresh SQLite file."""
    from congvan.ingest import ingest

    db = tmp_path / "congvan.db"
    ingest([seeds], db)
    return db


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the bundled seeds, so tests may change files without touching corpus/."""
    out = tmp_path / "seeds"
    shutil.copytree(CORPUS, out)
    return out


def as_plain_user(command: list[str]) -> list[str]:
    """``command`` run without the power to ignore file permissions.

    Tests of read-only folders and unreadable files mean nothing as root, who reads and writes anything:
    there the command runs under ``setpriv`` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped from
    its bounding set, so permissions bind it as they bind an archivist's account."""
    if os.geteuid() != 0:
        return command
    require_tool(shutil.which("setpriv") is not None, "setpriv (util-linux) is needed to drop root's file powers")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]


def congvan_command(*args: str) -> list[str]:
    """The installed console script, as a user runs it."""
    import sys

    return [str(Path(sys.executable).parent / "congvan"), *args]


# ---------------------------------------------------------------- a real `congvan serve` for tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp writes them) listening on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if int(hexport, 16) == port and state == "0A":
                out.append(address)
    return out


def wait_listening(port: int, proc: subprocess.Popen, tries: int = 200) -> None:
    for _ in range(tries):
        if listening(port):
            return
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port}")


@contextlib.contextmanager
def served(archive: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """The real ``congvan serve`` on a free loopback port, listening; stopped by SIGTERM at the end."""
    port = free_port()
    proc = subprocess.Popen(
        congvan_command("serve", "--db", str(archive), *options, "--port", str(port)),
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_listening(port, proc)
        yield port, proc
    finally:
        proc.send_signal(signal.SIGTERM)  # nothing if the test stopped it already
        try:
            proc.wait(timeout=15)
        finally:
            proc.kill()
