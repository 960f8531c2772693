"""Database bootstrap: the database, the two roles, and the Alembic migrations.

``automat_owner`` owns every table and runs the migrations (the admin connection switches to it
with ``SET ROLE``). ``automat_app`` is what the API and the workers log in as: it owns nothing,
is no superuser and has no BYPASSRLS, so the row-level security policies bind it. Works the same
for the embedded server and an external one (the admin user there needs CREATEROLE, or the roles
must exist already).
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL

from automat.config import APP_DB_ROLE, OWNER_DB_ROLE, Settings
from automat.core.urls import admin_url, app_db_password

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def ensure_database(settings: Settings) -> None:
    """Create the configured database when the admin user may and it is missing."""
    maintenance = admin_url(settings, database="postgres")
    engine = create_engine(maintenance, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": settings.database_name}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{settings.database_name}"'))
                log.info("created database %s", settings.database_name)
    finally:
        engine.dispose()


def ensure_roles(conn: Connection, *, database: str, app_password: str) -> None:
    def role_exists(name: str) -> bool:
        return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())

    if not role_exists(OWNER_DB_ROLE):
        conn.execute(text(f"CREATE ROLE {OWNER_DB_ROLE} NOLOGIN"))
    if not role_exists(APP_DB_ROLE):
        conn.execute(text(f"CREATE ROLE {APP_DB_ROLE} LOGIN"))
    # Re-asserted on every run: an app role that somehow gained privileges loses them again.
    pw = app_password.replace("'", "''")
    conn.execute(
        text(
            f"ALTER ROLE {APP_DB_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '{pw}'"
        )
    )
    current = conn.execute(text("SELECT current_user")).scalar()
    conn.execute(text(f'GRANT {OWNER_DB_ROLE} TO "{current}"'))
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {APP_DB_ROLE}'))
    conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {OWNER_DB_ROLE}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_DB_ROLE}"))
    conn.execute(
        text(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_DB_ROLE} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_DB_ROLE}"
        )
    )
    conn.execute(
        text(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_DB_ROLE} IN SCHEMA public "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {APP_DB_ROLE}"
        )
    )


def grant_app_privileges(conn: Connection) -> None:
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_DB_ROLE}")
    )
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_DB_ROLE}"))
    # The migration bookkeeping is not the application's business.
    conn.execute(text(f"REVOKE ALL ON alembic_version FROM {APP_DB_ROLE}"))


def migrate(settings: Settings, *, revision: str = "head") -> None:
    """Create database and roles if needed, then upgrade the schema to ``revision``."""
    ensure_database(settings)
    engine = create_engine(admin_url(settings))
    try:
        with engine.begin() as conn:
            ensure_roles(conn, database=settings.database_name, app_password=app_db_password(settings))
        with engine.begin() as conn:
            conn.execute(text(f"SET ROLE {OWNER_DB_ROLE}"))
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            grant_app_privileges(conn)
    finally:
        engine.dispose()
    log.info("database migrated to %s", revision)


def downgrade(settings: Settings, *, revision: str) -> None:
    engine = create_engine(admin_url(settings))
    try:
        with engine.begin() as conn:
            conn.execute(text(f"SET ROLE {OWNER_DB_ROLE}"))
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def owner_engine_url(settings: Settings) -> URL:
    return admin_url(settings)
