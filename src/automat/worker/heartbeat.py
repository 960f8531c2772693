"""A worker says it is alive, what it serves and what it runs (``status.py`` has the layout).

Connected by the worker's composition root. The main process starts a daemon thread at
``worker_ready`` that writes the heartbeat every ``HEARTBEAT_S`` and marks the worker stopped at
shutdown; each pool process records the task it runs (``task_prerun``/``task_postrun``) and counts
tasks by outcome for the metrics. ``note_device`` is for the render code: the device of the last
render (a GPU's name, or the CPU fallback and why) is what the Workers page shows.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import redis
from celery import current_task
from celery.signals import (
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_revoked,
    task_success,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)

from automat.core import metrics
from automat.core.redis import sync_client
from automat.worker import status

log = logging.getLogger(__name__)
_stop = threading.Event()
_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = sync_client()
    return _client


@worker_process_init.connect
def _fresh_client_after_fork(**_: Any) -> None:
    global _client
    _client = None  # a pool process must not share the main process' socket


@cache
def _version() -> str:
    try:
        return version("automat")
    except PackageNotFoundError:
        return "unknown"


def beat_once(consumer: Any, client: redis.Redis) -> None:
    pool = getattr(consumer, "pool", None)
    size = getattr(pool, "num_processes", None)
    if size is None:
        size = getattr(getattr(consumer, "controller", None), "concurrency", None)
    queues = sorted(consumer.app.amqp.queues.consume_from.keys())
    now = time.time()
    key = status.key(consumer.hostname)
    pipe = client.pipeline()
    pipe.hset(
        key,
        mapping={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "queues": ",".join(queues),
            "pool_size": "" if size is None else int(size),
            "version": _version(),
            "last_seen": now,
            "state": "online",
        },
    )
    pipe.hsetnx(key, "started_at", now)
    pipe.expire(key, status.FORGET_AFTER_S)
    pipe.execute()


def _loop(consumer: Any) -> None:
    client = sync_client()
    while not _stop.is_set():
        try:
            beat_once(consumer, client)
        except Exception:  # the broker is away: try again next time, the worker goes on
            log.warning("heartbeat not written", exc_info=True)
        _stop.wait(status.HEARTBEAT_S)


@worker_ready.connect
def _start(sender: Any = None, **_: Any) -> None:
    consumer = sender
    try:
        _redis().delete(status.key(consumer.hostname))  # a fresh start: no stale task entries
    except Exception:
        log.warning("could not reset the worker's status", exc_info=True)
    _stop.clear()
    threading.Thread(target=_loop, args=(consumer,), name="automat-heartbeat", daemon=True).start()
    port = os.environ.get("AUTOMAT_WORKER_METRICS_PORT")
    if port:
        metrics.serve(int(port))


@worker_shutdown.connect
def _stopped(sender: Any = None, **_: Any) -> None:
    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if hostname:
        try:
            _redis().hset(status.key(hostname), "state", "stopped")
        except Exception:
            log.warning("could not mark the worker stopped", exc_info=True)


def _hostname(task: Any) -> str | None:
    return getattr(getattr(task, "request", None), "hostname", None)


@task_prerun.connect
def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    hostname = _hostname(task)
    if not hostname:
        return
    entry = {"id": task_id, "name": getattr(task, "name", ""), "pid": os.getpid(), "started_at": time.time()}
    try:
        _redis().hset(status.key(hostname), f"task:{os.getpid()}", json.dumps(entry))
    except Exception:
        log.debug("could not record the running task", exc_info=True)


@task_postrun.connect
def _task_ended(task: Any = None, **_: Any) -> None:
    hostname = _hostname(task)
    if not hostname:
        return
    try:
        _redis().hdel(status.key(hostname), f"task:{os.getpid()}")
    except Exception:
        log.debug("could not clear the running task", exc_info=True)


def _count(outcome: str, sender: Any) -> None:
    name = getattr(sender, "name", None) or str(sender)
    metrics.TASKS.labels(name, outcome).inc()


@task_success.connect
def _succeeded(sender: Any = None, **_: Any) -> None:
    _count("succeeded", sender)


@task_failure.connect
def _failed(sender: Any = None, **_: Any) -> None:
    _count("failed", sender)


@task_retry.connect
def _retried(sender: Any = None, **_: Any) -> None:
    _count("retried", sender)


@task_revoked.connect
def _revoked(sender: Any = None, **_: Any) -> None:
    _count("revoked", sender)


@worker_process_shutdown.connect
def _pool_process_ended(pid: int | None = None, **_: Any) -> None:
    metrics.process_exited(pid or os.getpid())


def note_device(device: str | None) -> None:
    """The render device of this worker's last render, for the Workers page (no-op outside a task)."""
    hostname = _hostname(current_task)
    if not hostname or not device:
        return
    try:
        _redis().hset(status.key(hostname), "device", device)
    except Exception:
        log.debug("could not record the render device", exc_info=True)
