"""The auditors' login: one account (``auditor``) whose password hash comes from ``CONGVAN_PASSWORD_HASH``.

Why our own and not datasette-auth-passwords: that plugin checks the PBKDF2 hash on the event loop (six
parallel logins stalled every page for seconds), throttles nothing, serves a password-hashing page to
anyone, and answers a malformed hash with a 500. Here:

* the hash is parsed when the server starts, and a malformed one stops it with the reason;
* the check runs in a worker thread (hashlib releases the GIL), at most two at a time;
* failures are counted per client: after ``FREE_FAILURES`` wrong passwords the client must wait, the
  wait doubling with each further failure (up to ``MAX_WAIT_S``), and attempts made while it waits are
  refused without checking anything;
* success sets Datasette's own signed ``ds_actor`` cookie, so Datasette's permission machinery (the
  instance-wide ``allow`` block ``serve`` sets) decides every page as usual.

Hashes have the format ``pbkdf2_sha256$<iterations>$<salt>$<base64 digest>`` (the one
datasette-auth-passwords and Django use), so hashes made before keep working.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

PASSWORD_ENV = "CONGVAN_PASSWORD_HASH"
USER = "auditor"
ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 480_000
FREE_FAILURES = 5
MAX_WAIT_S = 900.0


@dataclass(frozen=True)
class PasswordHash:
    iterations: int
    salt: str
    digest: bytes


def parse_hash(text: str) -> PasswordHash:
    """The parts of a stored hash; ``ValueError`` saying what is wrong with a malformed one."""
    parts = text.strip().split("$")
    if len(parts) != 4:
        raise ValueError(f"expected 4 parts separated by '$', found {len(parts)}")
    algorithm, iterations, salt, b64 = parts
    if algorithm != ALGORITHM:
        raise ValueError(f"unknown algorithm '{algorithm[:20]}', expected {ALGORITHM}")
    if not iterations.isdigit() or not 1_000 <= int(iterations) <= 10_000_000:
        raise ValueError("the iteration count must be a number between 1,000 and 10,000,000")
    if not salt:
        raise ValueError("the salt is empty")
    try:
        digest = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the digest is not base64") from None
    if len(digest) != 32:
        raise ValueError("the digest is not 32 bytes long")
    return PasswordHash(int(iterations), salt, digest)


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${base64.b64encode(digest).decode('ascii')}"


def verify_password(password: str, stored: PasswordHash) -> bool:
    """Slow on purpose (PBKDF2); call it off the event loop."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), stored.salt.encode("utf-8"), stored.iterations)
    return hmac.compare_digest(digest, stored.digest)


@dataclass
class Throttle:
    """Failed logins per client, and how long each must wait before the next attempt is checked."""

    free: int = FREE_FAILURES
    max_wait_s: float = MAX_WAIT_S
    failures: dict[str, tuple[int, float]] = field(default_factory=dict)  # client -> (count, last failure)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, client: str, now: float | None = None) -> float:
        """Seconds ``client`` must still wait before a password is checked (0: go ahead)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            count, last = self.failures.get(client, (0, 0.0))
        if count < self.free:
            return 0.0
        return max(0.0, last + min(self.max_wait_s, 2.0 ** (count - self.free)) - now)

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self.lock:
            count, _ = self.failures.get(client, (0, 0.0))
            self.failures[client] = (count + 1, now)
            if len(self.failures) > 10_000:  # a flood of addresses must not grow memory without bound
                oldest = sorted(self.failures, key=lambda k: self.failures[k][1])[:5_000]
                for key in oldest:
                    del self.failures[key]

    def succeeded(self, client: str) -> None:
        with self.lock:
            self.failures.pop(client, None)


# Two checks at a time: each takes a core for about a second; more would only queue inside OpenSSL.
_CHECKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="congvan-login")


async def check_password(password: str, stored: PasswordHash) -> bool:
    """``verify_password`` in a worker thread, so the pages of other users keep answering."""
    return await asyncio.get_running_loop().run_in_executor(_CHECKS, verify_password, password, stored)
