"""Legacy .doc, .rtf and .odt through LibreOffice (Debian: libreoffice-writer-nogui), headless.

Each conversion runs in its own temporary profile, so several can run at once, and under a time limit;
the converted .docx is then read like any other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import ParsedDocument, ParseError, scratch
from .docx import read_docx

CONVERT_TIMEOUT_S = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# What each legacy format starts with: OLE2 compound file (.doc), RTF, or a zip package (.odt).
MAGIC = {".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), ".rtf": (b"{\\rtf",), ".odt": (b"PK\x03\x04",)}


def read_office(path: Path) -> ParsedDocument:
    with path.open("rb") as fh:
        head = fh.read(8)
    expected = MAGIC.get(path.suffix.lower(), ())
    if expected and not head.startswith(expected):
        if path.suffix.lower() == ".doc" and head.startswith(b"PK\x03\x04"):
            return read_docx(path)  # a .docx saved under an old name
        if path.suffix.lower() == ".doc" and head.startswith(b"{\\rtf"):
            pass  # Word writes RTF under .doc too; LibreOffice reads it
        else:
            raise ParseError(path, f"not a {path.suffix.lstrip('.').upper()} file (its first bytes are {head[:4]!r})")
    binary = soffice()
    if binary is None:
        raise ParseError(
            path, f"{path.suffix} needs LibreOffice to convert it (apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="congvan-soffice-", dir=scratch()) as tmp:
        profile = Path(tmp, "profile").as_uri()
        try:
            done = subprocess.run(
                [
                    binary,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(path),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            raise ParseError(path, f"LibreOffice took longer than {CONVERT_TIMEOUT_S} s to convert it") from exc
        converted = Path(tmp, path.stem + ".docx")
        if done.returncode != 0 or not converted.exists():
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ParseError(path, f"LibreOffice could not convert it: {detail[0]}")
        parsed = read_docx(converted)
    parsed.path = path
    parsed.format = path.suffix.lower().lstrip(".")
    return parsed
