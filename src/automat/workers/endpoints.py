"""``GET /api/workers`` (global admins: the installation's workers and queues) and ``GET /metrics``
(Prometheus: internal networks, or a bearer token)."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from typing import Annotated

from fastapi import APIRouter, Request, Response

from automat.config import get_settings
from automat.core import metrics
from automat.core.deps import PUBLIC, Actor, SessionDep, require
from automat.core.permissions import Permission
from automat.core.redis import sync_client
from automat.kit.bounds import BigintId
from automat.kit.errors import Forbidden
from automat.kit.proxies import parse_networks
from automat.workers import blocklist, config_service, service
from automat.workers.schemas import BlockOut, WorkerConfigIn, WorkerConfigOut, WorkersOverview

router = APIRouter(prefix="/api/workers", tags=["workers"])
metrics_router = APIRouter(tags=["metrics"])
ManageWorkers = Annotated[Actor, require(Permission.MANAGE_WORKERS)]


@router.get("", response_model=WorkersOverview)
async def list_workers(session: SessionDep, _: ManageWorkers) -> WorkersOverview:
    """Every worker heard of in the last day (online, stopped, or offline when its heartbeats
    stopped) with what it serves and runs, every queue's length from the broker: the shared
    queues and the tenants' own (``tenant_config.dedicated_*_queue``), and the blocklist: workers
    blocklisted for a step after ``worker_blocklist_threshold`` failures in a row, and those
    counting failures."""
    dedicated = await service.dedicated_queue_names(session)

    def read() -> WorkersOverview:
        client = sync_client()
        try:
            return service.overview(client, dedicated)
        finally:
            client.close()

    overview = await asyncio.to_thread(read)
    overview.blocklist = await blocklist.entries(session)
    overview.blocklist_threshold = await blocklist.threshold(session)
    return overview


@router.post("/blocklist/{entry_id}/clear", response_model=list[BlockOut])
async def clear_block(entry_id: BigintId, session: SessionDep, actor: ManageWorkers) -> list[BlockOut]:
    """Let a blocklisted worker take its step's jobs again and start its count of failures afresh
    (audited as ``worker_blocklist.clear``); the worker notices within seconds. 404
    ``worker_block_not_found`` for an unknown entry. Answers the blocklist as it is now."""
    await blocklist.clear(session, actor, entry_id)
    return await blocklist.entries(session)


@router.get("/configs", response_model=list[WorkerConfigOut])
async def list_configs(session: SessionDep, _: ManageWorkers) -> list[WorkerConfigOut]:
    """Every queue's pool bounds (``configured: false``: its workers keep the pool they started with)."""
    return await config_service.list_configs(session)


@router.put("/configs/{queue_name}", response_model=list[WorkerConfigOut])
async def set_config(
    queue_name: str, body: WorkerConfigIn, session: SessionDep, actor: ManageWorkers
) -> list[WorkerConfigOut]:
    """Bound the pools of a queue's workers; beat applies it within a minute (``[WORKER_SCALING]``)."""
    await config_service.set_config(session, actor, queue_name, body)
    return await config_service.list_configs(session)


@router.delete("/configs/{queue_name}", response_model=list[WorkerConfigOut])
async def clear_config(queue_name: str, session: SessionDep, actor: ManageWorkers) -> list[WorkerConfigOut]:
    """Leave a queue's pools as their workers were started."""
    await config_service.clear_config(session, actor, queue_name)
    return await config_service.list_configs(session)


class MetricsForbidden(Forbidden):
    """Metrics are for the monitoring system: from an allowed network or with the metrics token."""

    code = "metrics_forbidden"


def _allowed(request: Request) -> bool:
    settings = get_settings()
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    peer = request.client.host if request.client else None
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in network for network in parse_networks(settings.metrics_allow_from))


@metrics_router.get("/metrics", dependencies=[PUBLIC], response_class=Response)
async def prometheus_metrics(request: Request) -> Response:
    """Prometheus text format: request durations, queue lengths, steps and tasks by outcome, render
    and conversion durations, GPU vs CPU renders, render host restarts, workers, DB pool use.

    Answered to clients in ``AUTOMAT_METRICS_ALLOW_FROM`` (default: this machine) and to any
    client with ``Authorization: Bearer $AUTOMAT_METRICS_TOKEN``; others get 403 ``metrics_forbidden``.
    The peer address is the connection's (a proxy in front must be in the allowed networks)."""
    if not _allowed(request):
        raise MetricsForbidden("The metrics are served to the monitoring network or with the metrics token.")

    def render() -> bytes:
        client = sync_client()
        try:
            return metrics.exposition([metrics.ScrapeCollector(lambda: service.scrape_values(client))])
        finally:
            client.close()

    return Response(await asyncio.to_thread(render), media_type=metrics.CONTENT_TYPE)
