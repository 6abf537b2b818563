"""Exact arithmetic shared by every backend, so they give the same advice to the last bit.

Pack weights, link strengths and thresholds have at most six decimals (checked on load), so
they are exact integers in millionths. Sums are taken over those integers (order-free); a share
is one integer divided by another (one correctly rounded division); a contribution of an
archetype to a model is rounded half-to-even to millionths. numpy performs each step with the
same IEEE operations as Python, so a vectorised backend reproduces these values exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MICRO = 1_000_000


def micro(value: float) -> int:
    """A pack constant (at most six decimals) in millionths."""
    return round(value * MICRO)


def shares(raw: Mapping[str, int]) -> dict[str, float]:
    """Weights summing to 1 from raw millionths (all zero when nothing fired)."""
    total = sum(raw.values())
    return {a: (w / total if total else 0.0) for a, w in raw.items()}


def ranking(weights: Mapping[str, float], order: Sequence[str]) -> tuple[str, str | None, float]:
    """The dominant and secondary archetype (ties go to the first in pack order) and the lead."""
    first = max(order, key=lambda a: (weights[a], -order.index(a)))
    rest = [a for a in order if a != first]
    second = max(rest, key=lambda a: (weights[a], -order.index(a))) if rest else None
    if second is not None and weights[second] <= 0:
        second = None
    return first, second, weights[first] - (weights[second] if second else 0.0)


def contribution(sign: float, weight: float, strength: float) -> int:
    """An archetype's push on a model in millionths: sign x weight x strength, rounded."""
    return round(sign * weight * strength * MICRO)
