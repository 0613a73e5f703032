"""Validation errors with stable codes and how YAML values read in messages: shared by the
book.yaml schema and the models it embeds (prices), which must not import the schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import PydanticCustomError


def fail(code: str, message: str, **extra: Any) -> PydanticCustomError:
    """A validation error with a stable code; ``extra`` may hold ``hint`` and ``first`` (the
    full location of an earlier, conflicting entry)."""
    return PydanticCustomError(code, "{message}", {"message": message, **extra})


def describe(value: Any) -> str:
    """How a YAML value reads in a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return type(value).__name__
