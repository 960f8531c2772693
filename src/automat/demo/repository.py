"""Queries the demo seed needs (sync: it runs from the CLI)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from automat.models.tenant import Tenant
from automat.models.user import User


def tenant_by_slug(session: Session, slug: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.lower()))
