"""What an extractor returns: a value and the span of text it was read from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Found:
    value: Any
    start: int
    end: int
