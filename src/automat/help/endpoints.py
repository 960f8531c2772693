"""GET /api/help: the whole help registry in one cacheable answer (it changes only with a deploy)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from automat.core.deps import Authenticated
from automat.help.registry import catalogue
from automat.help.schemas import HelpCatalogue

router = APIRouter(prefix="/api/help", tags=["help"])


@router.get("", response_model=HelpCatalogue, responses={304: {"description": "Not modified (ETag)"}})
async def get_help(request: Request, response: Response, _: Authenticated) -> HelpCatalogue | Response:
    """Help for every setting, parameter, field and action, keyed like ``setting.max_upload_mb``.

    Sent with an ETag: a request with ``If-None-Match`` of the current version gets 304 and no body.
    """
    help_ = catalogue()
    etag = f'"{help_.version}"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300, must-revalidate"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return help_
