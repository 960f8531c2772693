from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.pagination import DEFAULT_PAGE_SIZE, CursorParam, PageSize
from automat.users import service
from automat.users.schemas import (
    TemporaryPassword,
    UserCreate,
    UserCreated,
    UserPage,
    UserRead,
    UserUpdate,
)

router = APIRouter(prefix="/api/users", tags=["users"])

ManageTenantUsers = Annotated[Actor, require(Permission.MANAGE_TENANT_USERS)]


@router.get("", response_model=UserPage)
async def list_users(
    session: SessionDep,
    actor: ManageTenantUsers,
    tenant_id: Annotated[uuid.UUID | None, Query(description="global admins: one tenant only")] = None,
    q: Annotated[str | None, Query(max_length=200, description="a part of the e-mail or name")] = None,
    cursor: Annotated[CursorParam, Query()] = None,
    page_size: Annotated[PageSize, Query()] = DEFAULT_PAGE_SIZE,
) -> UserPage:
    """The users an administrator manages, by e-mail: tenant admins their tenant's, global admins
    everyone's (or one tenant's)."""
    items, next_cursor, total = await service.list_page(
        session, actor=actor, tenant_id=tenant_id, search=q, cursor=cursor, page_size=page_size
    )
    return UserPage(items=[UserRead.model_validate(u) for u in items], next_cursor=next_cursor, total=total)


@router.post("", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, session: SessionDep, actor: ManageTenantUsers) -> UserCreated:
    """Create a user with a temporary password (in this answer only); they set their own at login."""
    user, password = await service.create(session, actor=actor, data=body)
    return UserCreated(**UserRead.model_validate(user).model_dump(), temporary_password=password)


@router.get("/{user_id}", response_model=UserRead)
async def get_user(user_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> UserRead:
    return UserRead.model_validate(await service.get(session, actor=actor, user_id=user_id))


@router.patch("/{user_id}", response_model=UserRead)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, session: SessionDep, actor: ManageTenantUsers
) -> UserRead:
    return UserRead.model_validate(await service.update(session, actor=actor, user_id=user_id, data=body))


@router.post("/{user_id}/password-reset", response_model=TemporaryPassword)
async def reset_password(
    user_id: uuid.UUID, session: SessionDep, actor: ManageTenantUsers
) -> TemporaryPassword:
    """A new temporary password for the user (in this answer only); their sessions end."""
    return TemporaryPassword(
        temporary_password=await service.reset_password(session, actor=actor, user_id=user_id)
    )


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: uuid.UUID, session: SessionDep, actor: ManageTenantUsers) -> None:
    await service.delete(session, actor=actor, user_id=user_id)
