"""Rate limits per token: a token bucket for each, refilled at the token's rate."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Buckets by token key: ``take(key, rate, burst)`` spends one request, or says how many
    seconds to wait before one is allowed (one process's count: each instance limits alone)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def take(self, key: str, rate: float, burst: int) -> float:
        """0.0 when the request may go ahead (and counts it), else the seconds to wait."""
        now = self._clock()
        tokens, when = self._buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - when) * rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / rate

    @staticmethod
    def retry_after(wait: float) -> str:
        """The ``Retry-After`` header for a wait: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait)))
