"""Whom to believe about the client address: the peer, unless it is a trusted proxy."""

from __future__ import annotations

import pytest

from automat.config import Settings
from automat.kit.proxies import client_address, parse_networks

PROXIES = parse_networks("10.0.0.5, 10.1.0.0/16 ::1")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        # No proxy trusted by default: whatever the client writes is ignored.
        ("127.0.0.1", ["203.0.113.9"], "127.0.0.1"),
        ("198.51.100.3", ["203.0.113.9"], "198.51.100.3"),
        # A trusted proxy: the hop it vouches for.
        ("10.0.0.5", ["203.0.113.9"], "203.0.113.9"),
        ("::1", ["2001:db8::7"], "2001:db8::7"),
        # A chain of trusted proxies is skipped from the right; what the client forged is not read.
        ("10.0.0.5", ["6.6.6.6, 203.0.113.9, 10.1.2.3"], "203.0.113.9"),
        ("10.0.0.5", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),
        # Ports and brackets as some proxies write them.
        ("10.0.0.5", ["203.0.113.9:5123"], "203.0.113.9"),
        ("10.0.0.5", ["[2001:db8::7]:443"], "2001:db8::7"),
        # Nothing usable: the last address a trusted proxy vouched for.
        ("10.0.0.5", [], "10.0.0.5"),
        ("10.0.0.5", ["not-an-address"], "10.0.0.5"),
        ("10.0.0.5", ["203.0.113.9, garbage, 10.1.2.3"], "10.1.2.3"),
        (None, ["203.0.113.9"], None),
    ],
)
def test_client_address(peer: str | None, forwarded_for: list[str], expected: str | None) -> None:
    assert client_address(peer, forwarded_for, PROXIES) == expected


def test_no_trusted_proxies_believes_nobody() -> None:
    assert client_address("127.0.0.1", ["203.0.113.9"], parse_networks("")) == "127.0.0.1"


def test_a_bad_trusted_proxy_setting_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not-an-ip"):
        Settings(trusted_proxies="10.0.0.1, not-an-ip")
