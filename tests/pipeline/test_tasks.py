from __future__ import annotations

import subprocess

from sqlalchemy import Engine, text

from automat.pipeline.tasks import prune_pipeline_events
from automat.worker.celery_app import celery_app
from tests.support.factories import MadeTenant, unique


def test_beat_prunes_old_pipeline_events_only(
    celery_worker_process: subprocess.Popen[bytes], admin_engine: Engine, tenant: MadeTenant
) -> None:
    old, fresh = unique("old"), unique("fresh")
    with admin_engine.begin() as conn:
        for job, age in ((old, "400 days"), (fresh, "1 day")):
            conn.execute(
                text(
                    "INSERT INTO pipeline_events (tenant_id, job_id, step_name, level, message, created_at) "
                    "VALUES (:t, :j, 'deliver', 'info', 'x', now() - CAST(:age AS interval))"
                ),
                {"t": tenant.id, "j": job, "age": age},
            )
    # By name, as beat sends it.
    removed = celery_app.send_task(prune_pipeline_events.name).get(timeout=30)
    assert removed >= 1
    with admin_engine.connect() as conn:
        left = dict(
            conn.execute(
                text("SELECT job_id, count(*) FROM pipeline_events WHERE job_id IN (:o, :f) GROUP BY job_id"),
                {"o": old, "f": fresh},
            ).all()
        )
    assert left == {fresh: 1}
