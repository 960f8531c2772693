"""Alembic environment. Run through ``automat migrate``, which hands over a connection that has
already switched to the owner role (``SET ROLE automat_owner``), so every object is owned by it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from automat.kit.db import Base
from automat.models import *  # noqa: F403  (registers every table on Base.metadata)

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `automat migrate`; it prepares the owner role first")
run_migrations(connection)
