"""PipelineLogger writes each event three ways: log line, Redis event, pipeline_events row."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import text

from automat.core import events
from automat.core.db import SyncDatabase
from automat.pipeline.logger import PipelineLogger
from automat.pipeline.steps import ProcessStep
from tests.support.factories import MadeTenant, unique


def _rows(app_db: SyncDatabase, tenant: MadeTenant, job_id: str) -> list[Any]:
    with app_db.session(tenant.id) as session:
        return list(
            session.execute(
                text(
                    "SELECT step_name, level, message, duration_s, context FROM pipeline_events "
                    "WHERE job_id = :j ORDER BY id"
                ),
                {"j": job_id},
            ).all()
        )


@pytest.fixture
def job_id() -> str:
    return unique("job")


def test_step_context_records_start_and_timed_done(
    app_db: SyncDatabase, redis_client: Any, tenant: MadeTenant, job_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    pubsub = redis_client.pubsub()
    pubsub.subscribe(events.channel_for(tenant.id))
    pubsub.get_message(timeout=1)  # subscription confirmation
    pl = PipelineLogger(
        tenant_id=tenant.id, db=app_db, redis_client=redis_client, job_id=job_id, task_id="t-1"
    )
    with caplog.at_level(logging.INFO, logger="automat.pipeline"), pl.step(ProcessStep.EXTRACT_METADATA) as h:
        h.progress("half way", fraction=0.5)
        h.context["parts"] = 13

    rows = _rows(app_db, tenant, job_id)
    assert [(r.step_name, r.context["kind"]) for r in rows] == [
        ("extract_metadata", "start"),
        ("extract_metadata", "progress"),
        ("extract_metadata", "done"),
    ]
    assert rows[1].context["fraction"] == 0.5
    assert rows[2].duration_s is not None and rows[2].duration_s >= 0
    assert rows[2].context["parts"] == 13
    assert any(r.getMessage().startswith("[EXTRACT_METADATA] done") for r in caplog.records)

    published = []
    while (message := pubsub.get_message(timeout=1)) is not None:
        published.append(json.loads(message["data"]))
    pubsub.close()
    assert [e["kind"] for e in published] == ["start", "progress", "done"]
    assert all(e["tenant_id"] == str(tenant.id) and e["job_id"] == job_id for e in published)


def test_step_error_is_recorded_even_though_the_step_raised(
    app_db: SyncDatabase, redis_client: Any, tenant: MadeTenant, job_id: str
) -> None:
    pl = PipelineLogger(tenant_id=tenant.id, db=app_db, redis_client=redis_client, job_id=job_id)
    with pytest.raises(RuntimeError, match="no solid geometry"), pl.step(ProcessStep.OCC_GLB_EXPORT):
        raise RuntimeError("file has no solid geometry")
    rows = _rows(app_db, tenant, job_id)
    assert rows[-1].level == "error"
    assert rows[-1].message == "file has no solid geometry"
    assert rows[-1].context["exception"] == "RuntimeError"
    assert rows[-1].duration_s is not None


def test_events_are_stored_under_their_tenant_only(
    app_db: SyncDatabase, redis_client: Any, tenant: MadeTenant, other_tenant: MadeTenant, job_id: str
) -> None:
    PipelineLogger(tenant_id=tenant.id, db=app_db, redis_client=redis_client, job_id=job_id).step_done(
        ProcessStep.DELIVER, "delivered"
    )
    assert len(_rows(app_db, tenant, job_id)) == 1
    assert _rows(app_db, other_tenant, job_id) == []


def test_a_broken_redis_does_not_break_the_step(
    app_db: SyncDatabase, tenant: MadeTenant, job_id: str
) -> None:
    import redis

    dead = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_connect_timeout=0.2)
    pl = PipelineLogger(tenant_id=tenant.id, db=app_db, redis_client=dead, job_id=job_id)
    with pl.step(ProcessStep.PARSE_EXCEL):
        pass
    assert [r.context["kind"] for r in _rows(app_db, tenant, job_id)] == ["start", "done"]
