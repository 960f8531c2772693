"""``worker_configs``: read and changed by global admins (``GET/PUT/DELETE /api/workers/configs``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core.deps import Actor
from automat.kit.errors import NotFound, Unprocessable
from automat.models.user import User
from automat.models.worker import WorkerConfig
from automat.worker.queues import QUEUES
from automat.workers.schemas import WorkerConfigIn, WorkerConfigOut


class UnknownQueue(NotFound):
    code = "unknown_queue"


class InvalidConcurrency(Unprocessable):
    code = "invalid_concurrency"


def _known(queue: str) -> None:
    if queue not in QUEUES:
        raise UnknownQueue(f"There is no queue {queue!r}; the queues are {', '.join(QUEUES)}.")


async def list_configs(session: AsyncSession) -> list[WorkerConfigOut]:
    rows = {
        c.queue_name: (c, email)
        for c, email in (
            await session.execute(
                select(WorkerConfig, User.email).outerjoin(User, User.id == WorkerConfig.updated_by)
            )
        ).all()
    }
    out = []
    for queue in sorted(set(QUEUES) | set(rows)):
        if queue in rows:
            c, email = rows[queue]
            out.append(
                WorkerConfigOut(
                    queue_name=queue, configured=True, min_concurrency=c.min_concurrency,
                    max_concurrency=c.max_concurrency, updated_at=c.updated_at, updated_by=email,
                )
            )  # fmt: skip
        else:
            out.append(
                WorkerConfigOut(
                    queue_name=queue, configured=False, min_concurrency=None, max_concurrency=None,
                    updated_at=None, updated_by=None,
                )
            )  # fmt: skip
    return out


async def set_config(session: AsyncSession, actor: Actor, queue: str, body: WorkerConfigIn) -> None:
    _known(queue)
    if body.min_concurrency > body.max_concurrency:
        raise InvalidConcurrency(
            f"The least ({body.min_concurrency}) is more than the most ({body.max_concurrency}).",
            details={"min_concurrency": body.min_concurrency, "max_concurrency": body.max_concurrency},
        )
    row = await session.get(WorkerConfig, queue)
    before = None if row is None else {"min": row.min_concurrency, "max": row.max_concurrency}
    if row is None:
        row = WorkerConfig(queue_name=queue)
        session.add(row)
    row.min_concurrency, row.max_concurrency, row.updated_by = (
        body.min_concurrency,
        body.max_concurrency,
        actor.user_id,
    )
    await session.flush()
    after = {"min": body.min_concurrency, "max": body.max_concurrency}
    await audit.record(
        session, actor=actor, action="worker_config.set", tenant_id=None,
        target_type="queue", target_id=queue, detail={"before": before, "after": after},
    )  # fmt: skip


async def clear_config(session: AsyncSession, actor: Actor, queue: str) -> None:
    _known(queue)
    row = await session.get(WorkerConfig, queue)
    if row is None:
        return
    await session.delete(row)
    before = {"min": row.min_concurrency, "max": row.max_concurrency}
    await audit.record(
        session, actor=actor, action="worker_config.clear", tenant_id=None,
        target_type="queue", target_id=queue, detail={"before": before},
    )  # fmt: skip
