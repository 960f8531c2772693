"""The demo seed gives the tenants it creates the default aliases (the API path is tested in
test_alias_endpoints). It runs on the real database inside a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from automat.core.db import BYPASS, SyncDatabase, TenantScope, scope_value
from automat.demo.seed import DEMO_TENANTS, seed_demo
from automat.materials.library import DEFAULT_ALIASES


class OneTransaction(SyncDatabase):
    """The application role's connection, with every session a savepoint of one outer transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @contextmanager
    def session(self, scope: TenantScope) -> Iterator[Session]:
        with (
            Session(
                bind=self.conn, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session,
            session.begin(),
        ):
            session.execute(
                text("SELECT set_config('app.current_tenant_id', :s, true)"), {"s": scope_value(scope)}
            )
            yield session


def test_demo_tenants_get_the_default_aliases(app_db: SyncDatabase, tmp_path: Path) -> None:
    slugs = [slug for slug, _ in DEMO_TENANTS]
    with app_db.engine.connect() as conn:
        outer = conn.begin()
        try:
            db = OneTransaction(conn)
            with db.session(BYPASS) as session:  # start from an installation without demo data
                session.execute(text("DELETE FROM tenants WHERE slug = ANY(:s)"), {"s": slugs})
            report = seed_demo(db, tmp_path, password="demo-password-123")
            assert sorted(report.created_tenants) == sorted(slugs)
            with db.session(BYPASS) as session:
                rows = session.execute(
                    text(
                        "SELECT t.slug, a.pattern, a.kind, a.material, a.priority, a.is_default "
                        "FROM material_aliases a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = ANY(:s)"
                    ),
                    {"s": slugs},
                ).all()
            expected = {(d.pattern, d.kind, d.material, d.priority, True) for d in DEFAULT_ALIASES}
            for slug in slugs:
                assert {tuple(r[1:]) for r in rows if r[0] == slug} == expected
            # Seeding again leaves the existing tenants (and their aliases) alone.
            assert seed_demo(db, tmp_path).created_tenants == []
        finally:
            outer.rollback()
