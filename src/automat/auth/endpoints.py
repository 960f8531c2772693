from __future__ import annotations

from fastapi import APIRouter, Request

from automat.auth import service
from automat.auth.ratelimit import LoginLimiter
from automat.auth.schemas import LoginRequest, Me, PasswordChange, RefreshRequest, TokenPair
from automat.config import get_settings
from automat.core.deps import PUBLIC, Authenticated, SessionDep, client_address, database

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _limiter(request: Request) -> LoginLimiter:
    settings = get_settings()
    return LoginLimiter(
        request.app.state.redis,
        per_account=settings.login_max_failures_per_email,
        per_address=settings.login_max_failures_per_address,
        window_s=settings.login_failure_window_s,
        backoff_base_s=settings.login_backoff_base_s,
        backoff_max_s=settings.login_backoff_max_s,
    )


@router.post("/login", response_model=TokenPair, dependencies=[PUBLIC])
async def login(body: LoginRequest, request: Request) -> TokenPair:
    """Exchange e-mail and password for an access and a refresh token.

    Repeated failures slow down (429 with `retry_after_s`) for that account from that address,
    and for everything from an address that fails across many accounts.
    """
    return await service.login(
        database(request),
        settings=get_settings(),
        limiter=_limiter(request),
        email=body.email,
        password=body.password,
        address=client_address(request) or "unknown",
    )


@router.post("/refresh", response_model=TokenPair, dependencies=[PUBLIC])
async def refresh(body: RefreshRequest, request: Request) -> TokenPair:
    return await service.refresh(
        database(request),
        settings=get_settings(),
        redis=request.app.state.redis,
        refresh_token=body.refresh_token,
    )


@router.get("/me", response_model=Me)
async def me(session: SessionDep, actor: Authenticated) -> Me:
    """The logged-in user, their tenant and what their role may do."""
    return await service.me(session, actor=actor)


@router.post("/password", response_model=TokenPair)
async def change_password(body: PasswordChange, session: SessionDep, actor: Authenticated) -> TokenPair:
    """Change your own password; your other sessions are logged out."""
    return await service.change_password(
        session, settings=get_settings(), actor=actor, current=body.current_password, new=body.new_password
    )
