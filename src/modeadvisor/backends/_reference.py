"""The reference matcher: every binding of every conflict rule, by nested loops in plain Python.

It states the engine's semantics as simply as they can be written (aliases bind distinct facts of
their kind in order; a missing field never matches) and is what the other matchers are tested
against. Its time grows with the power of the number of aliases: it is for tests, not for use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from modeadvisor import conditions as cond
from modeadvisor.conditions import resolve
from modeadvisor.facts import Fact, Firing
from modeadvisor.knowledge import ConflictRule, Settings


def match_reference(
    rules: Sequence[ConflictRule], facts: Sequence[Fact], settings: Settings
) -> list[Firing]:
    """Every (rule, alias -> fact index) binding that satisfies a rule, in plain Python."""
    firings: list[Firing] = []
    for rule in rules:
        conditions = [
            (p.alias, p.kind, resolve(p.condition, settings) if p.condition else None)
            for p in rule.patterns
        ]
        for bound in _bindings(conditions, facts, {}):
            firings.append((rule.id, bound))
    return firings


def _bindings(
    patterns: Sequence[tuple[str, str, cond.Condition | None]],
    facts: Sequence[Fact],
    bound: dict[str, int],
) -> Iterator[dict[str, int]]:
    if not patterns:
        yield dict(bound)
        return
    (alias, kind, condition), rest = patterns[0], patterns[1:]
    taken = set(bound.values())
    others = {a: facts[i] for a, i in bound.items()}
    for index, fact in enumerate(facts):
        if index in taken or fact["kind"] != kind:
            continue
        if condition is None or cond.evaluate(condition, fact, others):
            bound[alias] = index
            yield from _bindings(rest, facts, bound)
            del bound[alias]
