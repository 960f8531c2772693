"""GET /api/help: the whole help registry in one cacheable answer (it changes only with a deploy),
in English or German."""

from __future__ import annotations

import uuid
from typing import Annotated, cast

from fastapi import APIRouter, Query, Request, Response

from automat.core.deps import Authenticated, SessionDep
from automat.help.registry import LANGUAGES, Language, catalogue
from automat.help.schemas import HelpCatalogue
from automat.kit.errors import Unprocessable
from automat.models.user import User

router = APIRouter(prefix="/api/help", tags=["help"])


class UnsupportedLanguage(Unprocessable):
    """Help is written in English (en) and German (de) only."""

    code = "unsupported_language"


@router.get(
    "",
    response_model=HelpCatalogue,
    responses={304: {"description": "Not modified (ETag)"}, 422: {"description": "unsupported_language"}},
)
async def get_help(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: Authenticated,
    lang: Annotated[
        str | None,
        Query(
            description="en or de; without it, the language stored on the user (else English)", max_length=8
        ),
    ] = None,
) -> HelpCatalogue | Response:
    """Help for every setting, parameter, field and action, keyed like ``setting.max_upload_mb``.

    Sent with an ETag (one per language: the version differs): a request with ``If-None-Match`` of
    the current version gets 304 and no body.
    """
    language = await _language(session, actor.user_id, lang)
    help_ = catalogue(language)
    etag = f'"{help_.version}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, max-age=300, must-revalidate",
        "Content-Language": language,
    }
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return help_


async def _language(session: SessionDep, user_id: uuid.UUID, lang: str | None) -> Language:
    """``lang`` when given, else the user's stored locale, else English."""
    if lang is not None:
        if lang not in LANGUAGES:
            raise UnsupportedLanguage(
                f"There is no help in {lang!r}: ask for en or de.",
                details={"lang": lang, "supported": list(LANGUAGES)},
            )
        return cast(Language, lang)
    user = await session.get(User, user_id)
    stored = user.locale if user is not None else None
    return cast(Language, stored) if stored in LANGUAGES else "en"
