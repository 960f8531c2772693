"""The notification tasks: e-mails leave (``deliver_emails``, sent after the commit that wrote
them) and the beat's ``send_digests`` (every minute: due hourly/daily digests, then every due
e-mail, retries included)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from automat.core.db import BYPASS
from automat.kit.time import utcnow
from automat.models.tenant import Tenant
from automat.notifications import digests, mail, outbox
from automat.worker.base import SystemTask
from automat.worker.celery_app import celery_app
from automat.worker.context import worker_db
from automat.worker.queues import STEP_QUEUE, declare_task

log = logging.getLogger(__name__)
DIGEST_TASK = declare_task("automat.notifications.tasks.send_digests", queue=STEP_QUEUE)


@contextmanager
def _system() -> Iterator[Session]:
    with worker_db().session(BYPASS) as session:
        yield session


@celery_app.task(base=SystemTask, bind=True, name=outbox.DELIVER_TASK)
def deliver_emails(self: SystemTask, *, ids: list[int]) -> dict[str, int]:
    """Send these outbox rows now (those not due, e.g. waiting after a failure, wait for the beat)."""
    return outbox.deliver(_system, mail.transport(), ids=[int(i) for i in ids])


@celery_app.task(base=SystemTask, bind=True, name=DIGEST_TASK)
def send_digests(self: SystemTask) -> dict[str, Any]:
    now = utcnow()
    handled: dict[str, int] = {"periods": 0, "in_app": 0, "email": 0}
    with _system() as session:
        tenants = session.scalars(select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.id)).all()
        ids = [t.id for t in tenants]
    for tenant_id in ids:
        with _system() as session:  # one transaction per tenant: one tenant's failure stops no other
            tenant = session.get(Tenant, tenant_id)
            if tenant is None:
                continue
            try:
                done = digests.run_for_tenant(session, tenant, now)
            except Exception:
                log.exception("digests of tenant %s failed; the next run tries again", tenant_id)
                session.rollback()
                continue
        for key, value in done.items():
            handled[key] += value
    sent = outbox.deliver(_system, mail.transport())
    return {**handled, **sent}
