"""An unexpected exception is a JSON 500, and the client's keep-alive connection survives it.

Starlette's last-resort handler re-raises after answering and uvicorn then closes the connection:
the client's next request on it was reset. Only a real server shows that, so these tests run
uvicorn on a loopback port and talk to it over one httpx connection.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from tests.support.uvicorn_thread import serve_in_thread

BOOM = "/api/test-only/boom"
BROKEN_STREAM = "/api/test-only/broken-stream"


def local_port(response: httpx.Response) -> int:
    """The client-side port of the connection a response came on."""
    stream = response.extensions["network_stream"]
    return int(stream.get_extra_info("client_addr")[1])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    from automat.app import create_app

    app: FastAPI = create_app()

    @app.get(BOOM)
    async def boom() -> None:
        raise RuntimeError("a bug no handler knows")

    @app.get(BROKEN_STREAM)
    async def broken_stream() -> StreamingResponse:
        async def chunks() -> Iterator[bytes]:  # type: ignore[misc]
            yield b"half of it"
            raise RuntimeError("the stream breaks")

        return StreamingResponse(chunks(), media_type="text/plain")

    with serve_in_thread(app) as url:
        yield url


def test_an_unexpected_error_is_a_json_500_and_the_connection_stays_usable(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        before = http.get("/health/live")
        assert before.status_code == 200
        port = local_port(before)

        for _ in range(3):
            response = http.get(BOOM)
            assert response.status_code == 500
            assert response.headers["content-type"].startswith("application/json")
            assert response.json() == {
                "error": {
                    "code": "internal_error",
                    "message": "Something went wrong on our side; it has been logged.",
                }
            }
            assert "Traceback" not in response.text
            assert response.headers.get("connection", "").lower() != "close"

        after = http.get("/health/live")
        assert after.status_code == 200
        assert local_port(after) == port, "the server closed the keep-alive connection after the 500"


def test_a_stream_that_breaks_halfway_closes_its_connection(base_url: str) -> None:
    """Once a response has started, closing the connection is the only way to say it is broken;
    the client notices (a short body) and its next request gets a new connection that works."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(BROKEN_STREAM)
        assert http.get("/health/live").status_code == 200
