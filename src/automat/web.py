"""The built web UI (``frontend/dist``) served at ``/``, beside the API.

The API keeps ``/api``, ``/docs``, ``/openapi.json`` and ``/health``. Any other GET path is a
file of the build when one exists, else ``index.html`` so the client-side router can take it.
Vite's hashed files under ``assets/`` are cached for a year; everything else (above all
``index.html``, which names the current hashes) is revalidated on every load.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor

from automat.kit.errors import NotFound

DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
RESERVED = ("api", "docs", "redoc", "openapi.json", "health")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

HINT = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Automat</title>
<body style="font-family: system-ui, sans-serif; margin: 3rem; color: #1f2933">
<h1>Automat is running</h1>
<p>The web UI has not been built. Run <code>make up</code> (or <code>make web</code>, then restart).</p>
<p>The API is under <a href="/docs">/docs</a>; health at <a href="/health">/health</a>.</p>
</body></html>
"""


class WebPath(Convertor[str]):
    """Any path except the reserved ones, so API paths never reach the web route (their 404s
    and 405s stay the API's)."""

    regex = "(?!(?:" + "|".join(p.replace(".", r"\.") for p in RESERVED) + ")(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("webpath", WebPath())


def mount(app: FastAPI, dist: Path | None) -> None:
    """Serve ``dist`` at ``/`` when it holds a build; otherwise ``/`` says how to build it.

    Call this after every API router is registered: the catch-all route must come last.
    """
    root = (dist or DEFAULT_DIST).resolve()
    if not (root / "index.html").is_file():

        @app.get("/", include_in_schema=False)
        async def hint() -> HTMLResponse:
            return HTMLResponse(HINT, headers={"Cache-Control": REVALIDATE})

        return

    @app.api_route("/{path:webpath}", methods=["GET", "HEAD"], include_in_schema=False)
    async def web(path: str) -> Response:
        return serve(root, path)


def serve(root: Path, path: str) -> Response:
    """The response for one path below the web root (a file, or ``index.html`` to route)."""
    first = path.split("/", 1)[0]
    candidate = (root / path).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        cache = IMMUTABLE if first == "assets" else REVALIDATE
        return FileResponse(candidate, headers={"Cache-Control": cache})
    if first == "assets":
        # A missing hashed file is a stale page asking for an old build: 404, not HTML.
        raise NotFound(f"No such file: /{path}.")
    return FileResponse(root / "index.html", headers={"Cache-Control": REVALIDATE})
