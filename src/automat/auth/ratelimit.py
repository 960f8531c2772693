"""Login throttling in Redis: slow guessing down without giving anyone a lock-out button.

Two counters, each a Redis hash (``n`` attempts, ``next`` = when the next one may come, in ms):

- per **account and address** together (the e-mail as typed, lower-cased, plus the client
  address): ``per_account`` attempts are free; after that each further attempt must wait,
  twice as long each time (``backoff_base_s``, 2x, 4x, ... up to ``backoff_max_s``). The owner,
  coming from an address with no failures for the account, is not slowed at all.
- per **address** across accounts (credential stuffing): ``per_address`` free attempts, then
  the same back-off for every login from that address.

An attempt is *reserved* (counted) atomically, in one Lua script, before the password is
checked, so parallel requests cannot slip more checks past the limit than it allows; a
successful login *releases* it again (the account-and-address counter is cleared, the address
counter gives the attempt back). Counters are forgotten ``window_s`` after the last wait ends.
"""

from __future__ import annotations

import hashlib
import math

import redis.asyncio as aioredis

from automat.kit.errors import TooManyRequests

PREFIX = "automat:login-failures:"

# KEYS: the account-and-address counter, the address counter.
# ARGV: free attempts for each, back-off base, back-off cap and memory window (ms).
# Returns 0 when the attempt is reserved, else the milliseconds to wait.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local base, cap, window = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local wait = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('HGET', key, 'n') or '0')
  local nxt = tonumber(redis.call('HGET', key, 'next') or '0')
  if n >= tonumber(ARGV[i]) and now < nxt then
    wait = math.max(wait, nxt - now)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', 1)
  local free = tonumber(ARGV[i])
  local delay = 0
  if n >= free then
    delay = math.min(cap, base * math.pow(2, math.min(n - free, 30)))
    redis.call('HSET', key, 'next', string.format('%d', now + delay))
  end
  redis.call('PEXPIRE', key, string.format('%d', window + delay))
end
return 0
"""

# KEYS: the account-and-address counter, the address counter. The first is cleared, the
# second gives one attempt back (if it still exists: it may have expired meanwhile).
_RELEASE = """
redis.call('DEL', KEYS[1])
if redis.call('HGET', KEYS[2], 'n') then
  local n = redis.call('HINCRBY', KEYS[2], 'n', -1)
  if n <= 0 then
    redis.call('DEL', KEYS[2])
  end
end
return 0
"""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def normalise_email(email: str) -> str:
    return email.strip().lower()


class LoginLimiter:
    def __init__(
        self,
        client: aioredis.Redis,
        *,
        per_account: int,
        per_address: int,
        window_s: int,
        backoff_base_s: int,
        backoff_max_s: int,
    ) -> None:
        self.client = client
        self.per_account = max(1, per_account)
        self.per_address = max(1, per_address)
        self.window_s = window_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s

    def _keys(self, email: str, address: str) -> list[str]:
        return [
            f"{PREFIX}pair:{_digest(normalise_email(email), address)}",
            f"{PREFIX}addr:{_digest(address)}",
        ]

    async def reserve(self, email: str, address: str) -> None:
        """Count one attempt before the password is checked, or raise 429 with the time to wait."""
        wait_ms = await self.client.eval(
            _RESERVE,
            2,
            *self._keys(email, address),
            self.per_account,
            self.per_address,
            self.backoff_base_s * 1000,
            self.backoff_max_s * 1000,
            self.window_s * 1000,
        )
        if int(wait_ms) > 0:
            raise TooManyRequests(
                "Too many failed logins; try again later.",
                retry_after_s=max(1, math.ceil(int(wait_ms) / 1000)),
                code="too_many_attempts",
            )

    async def release(self, email: str, address: str) -> None:
        """The attempt succeeded (or was never judged): it does not count as a failure."""
        await self.client.eval(_RELEASE, 2, *self._keys(email, address))
