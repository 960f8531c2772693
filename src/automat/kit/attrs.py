"""Attributes set for the length of a ``with`` block and put back afterwards, whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def temporarily(changes: list[tuple[Any, str, Any]]) -> Iterator[None]:
    """Set ``owner.attr = value`` for each ``(owner, attr, value)``; restore the old values in
    reverse order on exit (Blender scenes: a pass changes render settings, the job's render must
    not see them)."""
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in changes]
    try:
        for owner, attr, value in changes:
            setattr(owner, attr, value)
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)
