"""Failed-login counters in Redis, per e-mail and per client address, over a sliding window.

Only failures count. Once either counter reaches its limit, further attempts get 429 until the
window has passed, whether or not the password would have been right.
"""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis

from automat.kit.errors import TooManyRequests

PREFIX = "automat:login-failures:"


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{PREFIX}{kind}:{digest}"


class LoginLimiter:
    def __init__(self, client: aioredis.Redis, *, per_email: int, per_address: int, window_s: int) -> None:
        self.client = client
        self.per_email = per_email
        self.per_address = per_address
        self.window_s = window_s

    async def check(self, email: str, address: str) -> None:
        keys = [_key("email", email), _key("addr", address)]
        counts = await self.client.mget(keys)
        email_n, addr_n = (int(c or 0) for c in counts)
        if email_n >= self.per_email or addr_n >= self.per_address:
            ttls = [await self.client.ttl(k) for k in keys]
            retry = max([t for t in ttls if t > 0], default=self.window_s)
            raise TooManyRequests(
                "Too many failed logins; try again later.", retry_after_s=retry, code="too_many_attempts"
            )

    async def failed(self, email: str, address: str) -> None:
        async with self.client.pipeline(transaction=True) as pipe:
            for key in (_key("email", email), _key("addr", address)):
                # Start the window with the first failure (SET NX EX; INCR keeps the TTL). Not
                # `EXPIRE ... NX`: that needs Redis 7, and the embedded Redis is 6.2.
                pipe.set(key, 0, ex=self.window_s, nx=True)
                pipe.incr(key)
            await pipe.execute()

    async def succeeded(self, email: str) -> None:
        await self.client.delete(_key("email", email))
