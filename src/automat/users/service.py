"""Users: global admins manage everyone; tenant admins manage their own tenant below global admin."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from automat.audit import service as audit
from automat.core import revocations
from automat.core.deps import Actor
from automat.core.security import hash_password, temporary_password
from automat.kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from automat.kit.pagination import decode_cursor, page_of
from automat.kit.repository import save_unique
from automat.models.user import Role, User
from automat.tenants import repository as tenants
from automat.users import repository
from automat.users.schemas import UserCreate, UserUpdate

EMAIL_TAKEN = "A user with this e-mail exists already."


async def get(session: AsyncSession, *, actor: Actor, user_id: uuid.UUID) -> User:
    """A user the actor may see; anyone else is answered 404, like an unknown id.

    Global admins see everyone, project managers and tenant admins their tenant, clients themselves.
    """
    if not actor.at_least(Role.PROJECT_MANAGER) and user_id != actor.user_id:
        raise NotFound("User not found.")
    user = await repository.get_in_scope(
        session, user_id, tenant_id=None if actor.is_global_admin else actor.tenant_id
    )
    if user is None:
        raise NotFound("User not found.")
    return user


async def list_page(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant_id: uuid.UUID | None,
    search: str | None,
    cursor: str | None,
    page_size: int,
) -> tuple[list[User], str | None, int]:
    """The users an administrator manages, by e-mail: a tenant admin's tenant (another tenant's
    id is 404); a global admin's choice of tenant, or everyone."""
    after = decode_cursor(cursor, (str, uuid.UUID))
    rows, total = await repository.list_page(
        session,
        tenant_id=actor.scope_tenant(tenant_id),
        search=(search or "").strip() or None,
        after=(str(after[0]), uuid.UUID(str(after[1]))) if after else None,
        limit=page_size + 1,
    )
    items, next_cursor = page_of(rows, page_size, key=lambda u: (u.email, u.id))
    return items, next_cursor, total


def _check_grantable(actor: Actor, role: Role) -> None:
    if role is Role.GLOBAL_ADMIN and not actor.is_global_admin:
        raise Forbidden("Only global admins grant the global admin role.", code="role_escalation")
    if not actor.at_least(role):
        raise Forbidden("You cannot grant a role above your own.", code="role_escalation")


async def _keep_a_tenant_admin(session: AsyncSession, user: User) -> None:
    """409 ``last_tenant_admin`` when ``user`` is the only active tenant admin of their tenant.

    Called before a change that would take the role or the access away from them.
    """
    if user.role != Role.TENANT_ADMIN.value or not user.is_active or user.tenant_id is None:
        return
    admins = await repository.active_tenant_admins_locked(session, user.tenant_id)
    if admins == [user.id]:
        raise Conflict(
            "This is the tenant's last active tenant admin; make another user tenant admin first.",
            code="last_tenant_admin",
        )


async def create(session: AsyncSession, *, actor: Actor, data: UserCreate) -> tuple[User, str]:
    """A new user with a temporary password, returned once; they must change it at first login."""
    _check_grantable(actor, data.role)
    if data.role is Role.GLOBAL_ADMIN:
        if data.tenant_id is not None:
            raise Unprocessable("Global admins belong to no tenant.", code="global_admin_has_no_tenant")
        tenant_id = None
    else:
        tenant_id = actor.require_tenant(data.tenant_id)
        if await tenants.get(session, tenant_id) is None:
            raise NotFound("Tenant not found.")
    if await repository.get_by_email(session, data.email) is not None:
        raise Conflict(EMAIL_TAKEN, code="email_taken")
    password = temporary_password()
    new_user = User(
        tenant_id=tenant_id,
        email=data.email,
        full_name=data.full_name,
        password_hash=hash_password(password),
        role=data.role.value,
        must_change_password=True,
    )
    # E-mails are unique across the installation; the unique index has the last word.
    user = await save_unique(
        session,
        new_user,
        constraint="uq_users_email_lower",
        conflict=Conflict(EMAIL_TAKEN, code="email_taken"),
    )
    await audit.record(
        session,
        actor=actor,
        action="user.create",
        tenant_id=tenant_id,
        target_type="user",
        target_id=user.id,
        detail={"email": user.email, "role": user.role},
    )
    return user, password


async def update(session: AsyncSession, *, actor: Actor, user_id: uuid.UUID, data: UserUpdate) -> User:
    """Change a user. A new role or a deactivation retires the user's tokens.

    Their REST calls are refused at once and their live connections close after commit.
    """
    user = await get(session, actor=actor, user_id=user_id)
    if not actor.at_least(Role(user.role)):
        raise Forbidden("You cannot change a user above your own role.", code="role_escalation")
    changes: dict[str, object] = {}
    if data.role is not None and data.role.value != user.role:
        _check_grantable(actor, data.role)
        if (data.role is Role.GLOBAL_ADMIN) != (user.role == Role.GLOBAL_ADMIN.value):
            raise Unprocessable(
                "A user cannot move between a tenant and global administration.", code="role_scope"
            )
        if user.id == actor.user_id:
            raise Conflict("You cannot change your own role.", code="cannot_change_own_role")
        await _keep_a_tenant_admin(session, user)
        user.role = data.role.value
        revocations.retire_tokens(session, user)  # tokens carry the role: old ones must go
        changes["role"] = data.role.value
    if data.full_name is not None:
        user.full_name = data.full_name
        changes["full_name"] = data.full_name
    if data.is_active is not None and data.is_active != user.is_active:
        if user.id == actor.user_id and not data.is_active:
            raise Conflict("You cannot deactivate yourself.", code="cannot_deactivate_self")
        if not data.is_active:
            await _keep_a_tenant_admin(session, user)
        user.is_active = data.is_active
        if not data.is_active:
            revocations.retire_tokens(session, user)
        changes["is_active"] = data.is_active
    await session.flush()
    await session.refresh(user)
    await audit.record(
        session,
        actor=actor,
        action="user.update",
        tenant_id=user.tenant_id,
        target_type="user",
        target_id=user.id,
        detail={"changes": changes},
    )
    return user


async def delete(session: AsyncSession, *, actor: Actor, user_id: uuid.UUID) -> None:
    user = await get(session, actor=actor, user_id=user_id)
    if user.id == actor.user_id:
        raise Conflict("You cannot delete yourself.", code="cannot_delete_self")
    if not actor.at_least(Role(user.role)):
        raise Forbidden("You cannot delete a user above your own role.", code="role_escalation")
    await _keep_a_tenant_admin(session, user)
    await audit.record(
        session,
        actor=actor,
        action="user.delete",
        tenant_id=user.tenant_id,
        target_type="user",
        target_id=user.id,
        detail={"email": user.email},
    )
    revocations.announce(session, user_id=user.id)
    await repository.delete(session, user)


async def reset_password(session: AsyncSession, *, actor: Actor, user_id: uuid.UUID) -> str:
    """Give a user a new temporary password (returned once) and log them out everywhere.

    They must change it at the next login. Your own password is changed with the current one
    (``POST /api/auth/password``), never here.
    """
    user = await get(session, actor=actor, user_id=user_id)
    if user.id == actor.user_id:
        raise Conflict(
            "Change your own password with your current one, not by a reset.",
            code="cannot_reset_own_password",
        )
    if not actor.at_least(Role(user.role)):
        raise Forbidden(
            "You cannot reset the password of a user above your own role.", code="role_escalation"
        )
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    revocations.retire_tokens(session, user)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="user.reset_password",
        tenant_id=user.tenant_id,
        target_type="user",
        target_id=user.id,
    )
    return password
