"""What row-level security costs on a tenant's page of pipeline events.

Both sides run the same page query with the same explicit tenant filter inside a transaction
that starts with ``set_config('app.current_tenant_id', …)``. Baseline: the admin connection
(superuser, so RLS is not applied). Value: the application role, where the policy adds its
predicate. The ratio is the policy's own cost; the plan must still use the
(tenant_id, job_id, created_at) index.
"""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text

from bench.common import best_of, private_database, report

TENANTS = 50
EVENTS_PER_TENANT = 4_000
PAGE = text(
    "SELECT id, step_name, message, created_at FROM pipeline_events "
    "WHERE tenant_id = :t AND job_id = :j ORDER BY created_at DESC LIMIT 50"
)


def main() -> None:
    with private_database():
        from automat.config import get_settings
        from automat.core.db import SyncDatabase
        from automat.core.urls import admin_url

        settings = get_settings()
        admin = create_engine(admin_url(settings))
        with admin.begin() as conn:
            tenant_ids = [
                conn.execute(
                    text("INSERT INTO tenants (slug, name) VALUES (:s, :s) RETURNING id"), {"s": f"bench-{i}"}
                ).scalar_one()
                for i in range(TENANTS)
            ]
            conn.execute(
                text(
                    """
                    INSERT INTO pipeline_events (tenant_id, job_id, step_name, level, message, created_at)
                    SELECT t.id, 'job-' || (g % 40), 'render_still', 'info', 'frame ' || g,
                           now() - (g || ' seconds')::interval
                    FROM unnest(CAST(:ids AS uuid[])) AS t(id), generate_series(1, :n) AS g
                    """
                ),
                {"ids": [str(t) for t in tenant_ids], "n": EVENTS_PER_TENANT},
            )
            conn.execute(text("ANALYZE pipeline_events"))
        target: uuid.UUID = tenant_ids[TENANTS // 2]
        params = {"t": target, "j": "job-7"}

        app_db = SyncDatabase(settings)
        admin_db = SyncDatabase(settings)
        admin_db.engine.dispose()
        admin_db.engine = admin
        admin_db.sessionmaker.configure(bind=admin)

        def baseline() -> None:
            with admin_db.session(target) as session:
                session.execute(PAGE, params).all()

        def with_rls() -> None:
            with app_db.session(target) as session:
                rows = session.execute(PAGE, params).all()
                assert rows, "the tenant must see its own events"

        with app_db.session(target) as session:
            plan = "\n".join(r[0] for r in session.execute(text("EXPLAIN " + str(PAGE)), params))
        baseline_s = best_of(baseline)
        value_s = best_of(with_rls)
        report(
            "rls_overhead",
            baseline_s,
            value_s,
            rows=TENANTS * EVENTS_PER_TENANT,
            query="tenant page of 50 pipeline events",
            uses_index="ix_pipeline_events_tenant_job_created" in plan,
            note="value = app role under RLS; baseline = superuser (RLS not applied); same transaction shape",
        )
        app_db.dispose()
        admin.dispose()
