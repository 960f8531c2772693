"""The API as installations run it (``automat api``: uvicorn, its settings) in a child process.

For what the in-process test client would hide: requests that really run in parallel, the
connection's peer address, WebSockets held open while another process changes the database.
It uses the test session's PostgreSQL, Redis and ``AUTOMAT_HOME`` (so the same signing key).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def api_process(log_dir: Path, **env: str) -> Iterator[str]:
    """Run ``automat api`` on a free port of 127.0.0.1 with extra ``AUTOMAT_*`` settings; yield its URL."""
    port = free_port()
    child_env = {**os.environ, "AUTOMAT_HOST": "127.0.0.1", "AUTOMAT_PORT": str(port), **env}
    child_env.pop("FORWARDED_ALLOW_IPS", None)  # uvicorn's own switch; the test is of ours
    log_path = log_dir / f"api-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "automat.cli", "api"],
            cwd=REPO,
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"automat api exited:\n{log_path.read_text()}")
            try:
                client.get(f"{url}/openapi.json")
                return
            except httpx.TransportError:
                time.sleep(0.2)
    raise RuntimeError(f"automat api did not start:\n{log_path.read_text()}")
