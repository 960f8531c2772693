"""Which failures are retried, and how long a node waits before its next attempt."""

from __future__ import annotations

import kombu.exceptions
import pytest
import redis.exceptions
import sqlalchemy.exc

from automat.kit.errors import Unprocessable
from automat.pipeline.retry import Policy, TransientFailure, is_transient


def test_the_wait_doubles_up_to_the_cap_and_ends_with_the_attempts() -> None:
    policy = Policy(attempts=5, backoff_s=10, cap_s=60)
    assert [policy.delay_after(n) for n in range(1, 6)] == [10, 20, 40, 60, None]
    assert Policy(attempts=1, backoff_s=10, cap_s=60).delay_after(1) is None  # retries off


@pytest.mark.parametrize(
    "exc",
    [
        TransientFailure("the render host was killed by SIGKILL"),
        ConnectionRefusedError("connection refused"),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")),
        redis.exceptions.ConnectionError("Error 111 connecting"),
        kombu.exceptions.OperationalError("broker gone"),
        TimeoutError("timed out"),
    ],
)
def test_lost_connections_and_crashed_hosts_are_transient(exc: Exception) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        Unprocessable("The STEP file has no solids."),  # invalid input: the same again
        FileNotFoundError("template.blend"),
        ValueError("bad value"),
        sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("duplicate key")),
    ],
)
def test_what_would_fail_the_same_way_again_is_not(exc: Exception) -> None:
    assert not is_transient(exc)
