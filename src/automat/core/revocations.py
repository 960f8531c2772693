"""Access that ends, ends everywhere: tell every API process that some tokens stopped working.

Whatever retires tokens (deactivating or deleting a user, changing a role or a password:
``retire_tokens``; deactivating or deleting a tenant: ``announce``) publishes the user or
tenant id on one Redis channel once the transaction has committed. Every open ``/api/ws``
connection, in whichever API process, listens on it, re-checks its token against the database
and closes when access has ended. The message is only a hint to look: the database decides.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from automat.core.redis import sync_client
from automat.kit.transaction import on_commit
from automat.models.user import User

log = logging.getLogger(__name__)
CHANNEL = "automat:revocations"


def retire_tokens(session: Session | AsyncSession, user: User) -> None:
    """Every token the user holds stops working; their live connections close after commit."""
    user.token_version += 1
    announce(session, user_id=user.id)


def announce(
    session: Session | AsyncSession, *, user_id: uuid.UUID | None = None, tenant_id: uuid.UUID | None = None
) -> None:
    """After commit, publish that tokens of this user (or of everyone in this tenant) were retired."""
    message = json.dumps(
        {"user_id": str(user_id) if user_id else None, "tenant_id": str(tenant_id) if tenant_id else None}
    )

    def send() -> None:
        try:
            sync_client().publish(CHANNEL, message)
        except Exception:  # the tokens are retired already; live connections still end at expiry
            log.warning("could not announce revoked tokens %s", message, exc_info=True)

    on_commit(session, send)


def parse(data: Any) -> tuple[str | None, str | None]:
    """(user id, tenant id) of a published message; (None, None) if it is not one of ours."""
    try:
        message = json.loads(data)
        return message.get("user_id"), message.get("tenant_id")
    except (TypeError, ValueError, AttributeError):
        return None, None
