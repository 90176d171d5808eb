"""pydantic models: the single definition of a dispatch record."""

from .record import Assignment, DispatchRecord, DocumentZones, Reference, Signer, Source, Span, Target, Task

__all__ = ["Assignment", "DispatchRecord", "DocumentZones", "Reference", "Signer", "Source", "Span", "Target", "Task"]
