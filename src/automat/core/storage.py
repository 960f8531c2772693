"""The installation's file storage: a ``LocalStorage`` under ``$AUTOMAT_HOME/storage`` (one per
process). It lives in core, not kit, because it reads the configuration; kit imports nothing of
automat."""

from __future__ import annotations

from functools import lru_cache

from automat.config import get_settings
from automat.kit.storage import LocalStorage


@lru_cache
def default_storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_home() / "storage")
