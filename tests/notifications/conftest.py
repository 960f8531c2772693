from __future__ import annotations

import uuid
from typing import Any

from automat.core.db import SyncDatabase
from automat.notifications.service import activity_sync, alert_sync, notify_sync
from tests.support.factories import MadeTenant


def notify(db: SyncDatabase, tenant: MadeTenant, message: str, **kw: Any) -> bool:
    """A notification written (and committed) as a worker would."""
    with db.session(tenant.id) as session:
        return notify_sync(
            session, tenant_id=tenant.id, action=kw.pop("action", "test.notice"), message=message, **kw
        )


def activity(db: SyncDatabase, tenant: MadeTenant, message: str, **kw: Any) -> None:
    with db.session(tenant.id) as session:
        activity_sync(
            session, tenant_id=tenant.id, action=kw.pop("action", "line.completed"), message=message, **kw
        )


def alert(db: SyncDatabase, tenant: MadeTenant, message: str, **kw: Any) -> None:
    with db.session(tenant.id) as session:
        alert_sync(
            session, tenant_id=tenant.id, action=kw.pop("action", "render.stalled"), message=message, **kw
        )


def target() -> str:
    return str(uuid.uuid4())
