"""Sweeping the storage's temp folder: at worker start (``worker_ready``) and hourly from beat.

What goes: entries of processes that have ended (see ``kit/storage.py``), once older than the
``temp_max_age_hours`` setting. What stays: everything a live process owns.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from automat.core.storage import default_storage
from automat.kit.storage import LocalStorage, SweepReport
from automat.settings.registry import SETTINGS
from automat.settings.service import read_system_value

log = logging.getLogger(__name__)
AGE_SETTING = SETTINGS["temp_max_age_hours"]


def max_age_s(session: Session | None) -> float:
    """The setting's value in seconds (its default without a database)."""
    hours = AGE_SETTING.default if session is None else read_system_value(session, AGE_SETTING)
    return float(hours) * 3600.0


def sweep(storage: LocalStorage, age_s: float) -> SweepReport:
    report = storage.sweep_temp(age_s)
    if report.removed:
        log.info(
            "[TEMP_SWEEP] removed %d temp entr%s of ended processes (%.1f MB): %s",
            len(report.removed), "y" if len(report.removed) == 1 else "ies", report.freed_bytes / 1e6,
            ", ".join(report.removed[:10]) + (" …" if len(report.removed) > 10 else ""),
        )  # fmt: skip
    return report


def sweep_at_start() -> SweepReport | None:
    """The worker-start sweep; a problem here is logged, never fatal to the worker."""
    from automat.config import get_settings
    from automat.core.db import BYPASS, SyncDatabase

    try:
        db = SyncDatabase(get_settings(), pool_size=1)
        try:
            with db.session(BYPASS) as session:
                age = max_age_s(session)
        finally:
            db.dispose()
        return sweep(default_storage(), age)
    except Exception:
        log.warning("[TEMP_SWEEP] the sweep at worker start failed", exc_info=True)
        return None
