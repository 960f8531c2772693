"""Migration 0011 creates the workflow tables with the built-ins, and its downgrade removes them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from automat.config import Settings
from automat.core.migrate import downgrade, migrate
from automat.core.urls import admin_url


@pytest.fixture
def scratch(settings: Settings) -> Iterator[Settings]:
    name = f"automat_mig_{uuid.uuid4().hex[:8]}"
    other = settings.model_copy(update={"database_name": name})
    migrate(other, revision="0011_workflows")
    yield other
    engine = create_engine(admin_url(settings, database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _state(settings: Settings) -> tuple[bool, int]:
    engine = create_engine(admin_url(settings))
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT to_regclass('public.workflows') IS NOT NULL")).scalar_one()
            builtins = conn.execute(text("SELECT count(*) FROM workflows")).scalar_one() if exists else 0
            return bool(exists), int(builtins)
    finally:
        engine.dispose()


def test_down_and_up_again(scratch: Settings) -> None:
    assert _state(scratch) == (True, 6)
    downgrade(scratch, revision="0010_line_render_again")
    assert _state(scratch) == (False, 0)
    migrate(scratch, revision="0011_workflows")
    assert _state(scratch) == (True, 6)
