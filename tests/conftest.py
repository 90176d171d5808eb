"""Shared fixtures. Tests that read ../shared skip with a reason where it is absent, except under CI."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("CONGVAN_SHARED", ROOT.parent / "shared"))


def require(path: Path, why: str) -> Path:
    """``path`` if it exists; otherwise skip (or fail under CI, where nothing may skip)."""
    if path.exists():
        return path
    message = f"{path} not found: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def dev_dir() -> Path:
    return require(SHARED / "corpus" / "dev", "the shared dev corpus is read in place, never copied")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the bundled seeds, so tests may change files without touching corpus/."""
    out = tmp_path / "seeds"
    shutil.copytree(CORPUS, out)
    return out
