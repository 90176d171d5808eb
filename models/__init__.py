"""pydantic models: the single definition of a dispatch record."""

from .record import (
    AdminPlacement,
    Assignment,
    DispatchRecord,
    DocumentZones,
    Reference,
    Signer,
    Source,
    Span,
    Target,
    Task,
)

__all__ = [
    "AdminPlacement",
    "Assignment",
    "DispatchRecord",
    "DocumentZones",
    "Reference",
    "Signer",
    "Source",
    "Span",
    "Target",
    "Task",
]
