"""Inputs named by URL (``s3://bucket/2025/``, ``file:///mnt/archive/``, any fsspec protocol).

Why: an archive that outgrows one machine keeps its files on object storage or a shared file system,
and the workers of a cluster read them from there. fsspec (a dependency of Dask) gives every protocol
one interface; the protocol's own package (s3fs, gcsfs, ...) is installed where it is used. A URL is
its file's key in the archive, and a file is copied to a local temporary file to be read, because the
readers (pdfium, python-docx, LibreOffice) want a path.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from parsers.base import scratch

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
CHUNK = 1 << 20


def is_url(path: object) -> bool:
    """``s3://...`` and ``file://...`` are URLs; a local path (``C:\\x`` included) is not."""
    return bool(_URL.match(str(path)))


def _fs(url: str):
    from fsspec.core import url_to_fs

    return url_to_fs(url)


def expand(url: str, wanted: Callable[[str], bool]) -> Iterator[tuple[str, str | None]]:
    """The files under ``url`` (or ``url`` itself) as (url, reason it is refused or None), sorted."""
    try:
        fs, root = _fs(url)
    except (ImportError, ValueError) as exc:
        yield url, f"cannot read this URL ({exc})"
        return
    try:
        if not fs.isdir(root):
            if not fs.exists(root):
                yield url, "file does not exist"
            elif _is_link(fs, root):
                yield url, "a link; files named by URL are read only where they lie"
            else:
                yield url, None
            return
        found = sorted(fs.find(root))
    except OSError as exc:
        yield url, f"folder cannot be read ({exc})"
        return
    for path in found:
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if wanted(name) and not any(part.startswith(".") for part in path[len(root) :].split("/")):
            if _is_link(fs, path):  # as for paths: a URL does not lead out through a link
                yield fs.unstrip_protocol(path), "a link; files named by URL are read only where they lie"
            else:
                yield fs.unstrip_protocol(path), None


def _is_link(fs, path: str) -> bool:
    try:
        return bool(fs.info(path).get("islink"))
    except OSError:
        return False


def exists(url: str) -> bool:
    """Whether the file at ``url`` is still there (a storage that cannot be asked counts as there: a
    record is never dropped for a network that is down)."""
    try:
        fs, path = _fs(url)
        return bool(fs.exists(path))
    except Exception:
        return True


def sha256(url: str) -> str:
    """The file's SHA-256, streamed (object storage gives no content hash every protocol shares)."""
    fs, path = _fs(url)
    digest = hashlib.sha256()
    with fs.open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def fetched(url: str) -> Iterator[Path]:
    """The file at ``url`` as a local temporary file with the same name (readers go by the suffix)."""
    fs, path = _fs(url)
    name = path.rstrip("/").rsplit("/", 1)[-1] or "document"
    with tempfile.TemporaryDirectory(prefix="congvan-", dir=scratch()) as folder:
        local = Path(folder) / name
        fs.get_file(path, str(local))
        yield local
