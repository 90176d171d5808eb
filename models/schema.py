"""Schemas derived from the record models: JSON Schema for the record and SQLite column types.

Nothing here names a field: the columns of the SQLite tables follow the pydantic models, so adding a
field to a model adds its column.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from .record import DispatchRecord


def json_schema() -> dict[str, Any]:
    """JSON Schema of a dispatch record (what ``congvan extract`` writes)."""
    return DispatchRecord.model_json_schema()


def _sqlite_type(annotation: Any) -> type:
    """The SQLite-utils column type for a field annotation; containers and models are stored as JSON."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _sqlite_type(args[0])
        return str  # str | list[str]: stored as JSON text
    if annotation is bool:
        return int
    if annotation in (int, float, str):
        return annotation
    return str


def is_scalar(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_scalar(args[0])
    return annotation in (int, float, str, bool)


def columns(
    model: type[BaseModel], prefix: str = "", scalars_only: bool = False, exclude: tuple[str, ...] = ()
) -> dict[str, type]:
    """Column name -> type for the fields of ``model`` (``prefix`` prepended to each name)."""
    out: dict[str, type] = {}
    for name, info in model.model_fields.items():
        if name in exclude or scalars_only and not is_scalar(info.annotation):
            continue
        out[prefix + name] = _sqlite_type(info.annotation)
    return out


def descriptions(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    """Column name -> the field's description, for Datasette's metadata."""
    return {prefix + name: info.description or "" for name, info in model.model_fields.items()}


def list_models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Fields of ``model`` that hold a list of sub-records (references, tasks, targets)."""
    out = {}
    for name, info in model.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            (item,) = typing.get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                out[name] = item
    return out
