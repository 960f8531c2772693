from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from automat.core.deps import Actor, Authenticated, SessionDep, require
from automat.core.permissions import Permission
from automat.kit.bounds import Offset
from automat.users import service
from automat.users.schemas import UserCreate, UserRead, UserUpdate

router = APIRouter(prefix="/api/users", tags=["users"])

ManageTenantUsers = Annotated[Actor, require(Permission.MANAGE_TENANT_USERS)]


@router.get("", response_model=list[UserRead])
async def list_users(
    session: SessionDep,
    actor: Authenticated,
    tenant_id: Annotated[uuid.UUID | None, Query(description="global admins: one tenant only")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[UserRead]:
    """Users the caller may see: all (global admins), their tenant (PM and above), themselves (clients)."""
    users = await service.list_visible(session, actor=actor, tenant_id=tenant_id, limit=limit, offset=offset)
    return [UserRead.model_validate(u) for u in users]


@router.post("", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, session: SessionDep, actor: ManageTenantUsers) -> UserRead:
    return UserRead.model_validate(await service.create(session, actor=actor, data=body))


@router.get("/{user_id}", response_model=UserRead)
async def get_user(user_id: uuid.UUID, session: SessionDep, actor: Authenticated) -> UserRead:
    return UserRead.model_validate(await service.get(session, actor=actor, user_id=user_id))


@router.patch("/{user_id}", response_model=UserRead)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, session: SessionDep, actor: ManageTenantUsers
) -> UserRead:
    return UserRead.model_validate(await service.update(session, actor=actor, user_id=user_id, data=body))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: uuid.UUID, session: SessionDep, actor: ManageTenantUsers) -> None:
    await service.delete(session, actor=actor, user_id=user_id)
