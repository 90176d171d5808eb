"""What every reader returns, and the error it raises."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# A folder for a reader's temporary files, owned by whoever supervises it: a reader stopped on its time
# bound never reaches its own clean-up, so its supervisor removes what it left (congvan.ingest, at the
# end of a batch; congvan.cluster, after each stopped document).
SCRATCH_ENV = "CONGVAN_SCRATCH"


def scratch() -> str | None:
    """Where a reader makes its temporary files: its supervisor's folder, else the system's (also when the
    folder is gone: a supervisor's run that ended out of order, a cleaner of /tmp)."""
    folder = os.environ.get(SCRATCH_ENV)
    return folder if folder and os.path.isdir(folder) else None


class ParseError(Exception):
    """A file that cannot be read as a document; the message says which file and why."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass
class ParsedDocument:
    """Normalized text of one file and the little layout the extractors need.

    ``text`` is the canonical text (see ``parsers.normalize``); all spans in a record index into it.
    Lines are separated by ``\\n``, paragraphs by a blank line, and the cells of one table row by ``\\t``.
    """

    path: Path
    format: str
    text: str
    pages: int | None = None
    ocr_pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
