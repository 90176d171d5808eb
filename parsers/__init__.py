"""Readers: one function per file format, each returning a ``ParsedDocument``.

``read_document`` picks the reader from the file's extension and turns every failure into a
``ParseError`` that names the file and the reason, so a batch can record it and go on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .base import ParsedDocument, ParseError

MAX_BYTES = 200 * 1024 * 1024
# The longest text a record may hold: about 8,000 pages. Extraction is linear (a 5.5 million character,
# 2,000-page document takes about 6 s and 0.5 GB), so this bound keeps a document inside the worker's
# memory bound with room to spare. A text file is judged by its size at once, before it is read:
# Vietnamese in UTF-8 takes about 1.3 bytes a character, so 24 MiB is about the longest text allowed.
MAX_CHARS = 20_000_000
MAX_TEXT_BYTES = 24 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
MAX_HTML_BYTES = 64 * 1024 * 1024  # markup is most of a page: bounded apart, before the parser builds its tree


def _readers() -> dict[str, Callable[[Path], ParsedDocument]]:
    from .docx import read_docx
    from .html import read_html
    from .office import read_office
    from .pdf import read_pdf
    from .text import read_text

    return {
        ".txt": read_text,
        ".md": read_text,
        ".markdown": read_text,
        ".docx": read_docx,
        ".pdf": read_pdf,
        ".doc": read_office,
        ".rtf": read_office,
        ".odt": read_office,
        ".html": read_html,
        ".htm": read_html,
    }


SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx", ".pdf", ".doc", ".rtf", ".odt")


# The first bytes of files that are not documents, as people find them in archive folders
_SIGNATURES = [
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an audio file"),
]


def what_it_is(path: Path) -> str | None:
    """What a file that is not a readable document holds, from its first bytes (and a zip's contents)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "a video file"
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as package:
                names = package.namelist()[:2000]
        except (zipfile.BadZipFile, OSError):
            return "a damaged zip archive"
        if any(n.startswith("xl/") for n in names):
            return "an Excel workbook"
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint presentation"
        if not any(n.startswith("word/") for n in names):
            return "a zip archive"
    return None


def read_document(path: Path | str) -> ParsedDocument:
    """Read any supported file; raise ``ParseError`` with a reason for anything else."""
    path = Path(path)
    if not path.exists():
        raise ParseError(path, "file does not exist")
    if not path.is_file():
        raise ParseError(path, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise ParseError(path, "file is empty")
    if size > MAX_BYTES:
        raise ParseError(path, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if path.suffix.lower() in TEXT_SUFFIXES and size > MAX_TEXT_BYTES:
        raise ParseError(
            path,
            f"text file of {size / 2**20:.0f} MiB is longer than a document may be "
            f"({MAX_TEXT_BYTES // 2**20} MiB, {MAX_CHARS:,} characters)",
        )
    if path.suffix.lower() in HTML_SUFFIXES and size > MAX_HTML_BYTES:
        raise ParseError(path, f"web page of {size / 2**20:.0f} MiB is larger than {MAX_HTML_BYTES // 2**20} MiB")
    reader = _readers().get(path.suffix.lower())
    if reader is None:
        kind = what_it_is(path)
        if kind:
            raise ParseError(path, f"this is {kind}, not a document (a scanned page is read when saved as PDF)")
        raise ParseError(path, f"unsupported file type '{path.suffix or '(none)'}'")
    try:
        doc = reader(path)
        doc.path = path
    except MemoryError:
        raise  # a memory bound is the caller's to report
    except ParseError as exc:
        kind = what_it_is(path)
        if kind:  # a file named .pdf or .docx that is something else
            raise ParseError(path, f"this is {kind}, not a {path.suffix.lstrip('.').upper()} file") from exc
        raise
    except Exception as exc:  # a reader's library failing on a broken file
        kind = what_it_is(path)
        if kind:  # a file named .pdf or .docx that is something else
            raise ParseError(path, f"this is {kind}, not a {path.suffix.lstrip('.').upper()} file") from exc
        raise ParseError(path, f"{type(exc).__name__}: {exc}") from exc
    if not doc.text.strip():
        raise ParseError(path, "no text could be read")
    if len(doc.text) > MAX_CHARS:
        raise ParseError(path, f"text of {len(doc.text):,} characters is longer than a document may be ({MAX_CHARS:,})")
    return doc


__all__ = ["ParseError", "ParsedDocument", "read_document", "SUPPORTED_SUFFIXES", "MAX_CHARS"]
