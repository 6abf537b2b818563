"""Request rates: a token bucket per caller (a token's name, or a client's address), kept on the
app that owns it. No FastAPI here, and the clock is given, so that a test moves time itself.

A bucket holds at most `requests` requests and refills at `requests / seconds` a second: a
caller may send `requests` at once, then one every `seconds / requests` seconds. A bucket that
has refilled is the same as none, so buckets are forgotten once full when there are many.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from modeadvisor._i18n import Message

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*")
#: Buckets kept before the full ones are forgotten (each is a few dozen bytes).
MOST_BUCKETS = 10_000


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `requests` requests in `seconds` seconds."""

    requests: int
    seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not 0 < self.seconds < math.inf:
            raise ValueError("a rate is 1 request or more in more than 0 seconds")

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """`300/60` (300 requests a minute), or `off` (None); a ValueError saying what is
        expected otherwise."""
        if text.strip().lower() == "off":
            return None
        matched = _RATE.fullmatch(text)
        if matched is None or int(matched[1]) < 1 or float(matched[2]) <= 0:
            raise ValueError(
                Message("a rate as REQUESTS/SECONDS (300/60) or 'off', not '{text}'", text=text)
            )
        return cls(int(matched[1]), float(matched[2]))

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}"


class Buckets:
    """One token bucket per caller, at one rate, on one clock (seconds, never going back)."""

    def __init__(
        self, rate: Rate, clock: Callable[[], float] = time.monotonic, most: int = MOST_BUCKETS
    ) -> None:
        self.rate = rate
        self._clock = clock
        self._most = most
        self._per_second = rate.requests / rate.seconds
        self._buckets: dict[str, tuple[float, float]] = {}  # caller -> (level, when)

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, caller: str) -> float:
        """One request of `caller`: 0.0 if it may go ahead (and is counted), else the seconds
        until it may (and it is not counted)."""
        now = self._clock()
        level, when = self._buckets.get(caller, (float(self.rate.requests), now))
        level = min(float(self.rate.requests), level + (now - when) * self._per_second)
        if level >= 1.0:
            if caller not in self._buckets and len(self._buckets) >= self._most:
                self._forget_full(now)
            self._buckets[caller] = (level - 1.0, now)
            return 0.0
        self._buckets[caller] = (level, now)
        return (1.0 - level) / self._per_second

    def _forget_full(self, now: float) -> None:
        """Forget the buckets that have refilled (the same as none); if none has, the oldest
        half, so that many callers cannot grow the table without end."""
        full = [
            caller
            for caller, (level, when) in self._buckets.items()
            if level + (now - when) * self._per_second >= self.rate.requests
        ]
        if not full:
            by_age = sorted(self._buckets, key=lambda caller: self._buckets[caller][1])
            full = by_age[: len(by_age) // 2 + 1]
        for caller in full:
            del self._buckets[caller]
