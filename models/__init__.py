"""pydantic models: the single definition of a dispatch record."""
from .record import DispatchRecord, Reference, Signer, Source, Span, Target, Task

__all__ = ["DispatchRecord", "Reference", "Signer", "Source", "Span", "Target", "Task"]
