"""Who is on the other end: the client address from the connection's peer and trusted proxies.

``X-Forwarded-For`` is anyone's to write, so it is believed only when the peer is one of the
configured trusted proxies (``AUTOMAT_TRUSTED_PROXIES``). Then the header is read from the
right: every hop a trusted proxy added is skipped, and the first address that is not a trusted
proxy is the client. Whatever an untrusted client wrote to the left of it is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(value: str) -> tuple[Network, ...]:
    """Comma- or space-separated addresses and networks; ``ValueError`` names a bad entry."""
    networks = []
    for entry in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {entry!r}") from None
    return tuple(networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``1.2.3.4``, ``1.2.3.4:port``, ``::1`` or ``[::1]:port``; None if none."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(value: str, networks: tuple[Network, ...]) -> bool:
    address = _ip(value)
    return address is not None and any(address in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: tuple[Network, ...]
) -> str | None:
    """The client's address: the peer, or (behind trusted proxies) the nearest untrusted hop.

    ``forwarded_for`` are the values of every ``X-Forwarded-For`` header, in order.
    """
    if peer is None or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break  # garbage where a trusted proxy should have written an address: stop there
        client = str(address)
        if not _trusted(client, trusted):
            break  # the first hop no trusted proxy vouches for: the client
    return client
