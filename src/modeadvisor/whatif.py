"""What-if: the smallest change of a unit's traits that makes a mode dominant or clears a conflict.

A diagnosis-and-repair search in the sense of knowledge-based recommenders (Felfernig et al.):
candidate changes of one trait are the values that can make some rule's test flip (every scale
point, both truth values, every category value, adding or dropping one member of a set, and the
numbers just either side of each threshold a rule uses). All candidates of one size are scored
at once by the vectorised backend; the search takes one change, then pairs, then triples of the
most promising ones, and returns the repair with the fewest traits changed, then the smallest
moves, explaining which rules start and stop firing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from modeadvisor import conditions as cond
from modeadvisor.backends._vectorised import (
    ConflictChecks,
    Scorer,
    UnitTable,
    variants,
)
from modeadvisor.errors import Location, OrganisationError, Problem, did_you_mean
from modeadvisor.graph import model_scores
from modeadvisor.knowledge import SCALE_MAX, SCALE_MIN, KnowledgeBase, Trait
from modeadvisor.profile import profiles

#: Single changes kept as seeds for pairs and triples (by how much they help).
SEEDS = 16
MAX_CHANGES = 3
STEP = 1e-6  # numbers are compared at six decimals: the next value over a threshold


class Change(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    trait: str
    before: bool | int | float | str | list[str] | None
    after: bool | int | float | str | list[str]


class WhatIf(BaseModel):
    """A repair: the changes, and what they do to the profile and the rules that fire."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    goal: str  # "dominant: development" or "clear: RULE"
    found: bool
    changes: list[Change]
    dominant_before: str | None
    dominant_after: str | None
    weights_after: dict[str, float]
    rules_start: list[str]
    rules_stop: list[str]
    candidates_tried: int

    def to_text(self) -> str:
        if not self.found:
            return (
                f"{self.unit}: no change of up to {MAX_CHANGES} traits reaches "
                f"{self.goal} ({self.candidates_tried} candidates tried)\n"
            )
        if not self.changes:
            return f"{self.unit}: already at {self.goal}; nothing to change\n"
        lines = [f"{self.unit}: to reach {self.goal}, change {len(self.changes)} trait(s):"]
        lines += [f"  {c.trait}: {_show(c.before)} -> {_show(c.after)}" for c in self.changes]
        lines.append(f"  dominant mode: {self.dominant_before or '-'} -> {self.dominant_after}")
        if self.rules_start:
            lines.append(f"  rules that start firing: {', '.join(self.rules_start)}")
        if self.rules_stop:
            lines.append(f"  rules that stop firing: {', '.join(self.rules_stop)}")
        return "\n".join(lines) + "\n"


def _show(value: object) -> str:
    if value is None:
        return "(not observed)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class _Move:
    trait: str
    value: cond.TraitValue
    cost: float  # how far the value moves, 0..1


def candidates(kb: KnowledgeBase, values: Mapping[str, cond.TraitValue]) -> list[_Move]:
    """Every single-trait change that can flip some rule's test."""
    thresholds: dict[str, set[float]] = {}
    for rule in kb.rules:
        for leaf in cond.comparisons(rule.condition):
            if (
                isinstance(leaf, cond.Comparison)
                and isinstance(leaf.value, int | float)
                and not isinstance(leaf.value, bool)
            ):
                thresholds.setdefault(leaf.trait, set()).add(float(leaf.value))
    moves = []
    for trait in kb.traits.values():
        current = values.get(trait.id)
        for value in _values(trait, current, thresholds.get(trait.id, set())):
            if value != current:
                moves.append(_Move(trait.id, value, _cost(trait, current, value)))
    return moves


def _values(
    trait: Trait, current: cond.TraitValue | None, thresholds: set[float]
) -> list[cond.TraitValue]:
    match trait.type:
        case "scale":
            return list(range(SCALE_MIN, SCALE_MAX + 1))
        case "bool":
            return [True, False]
        case "category":
            return list(trait.values or ())
        case "set":
            have = current if isinstance(current, frozenset) else frozenset()
            return [have ^ {v} for v in trait.values or ()]
    low = trait.min if trait.min is not None else -float("inf")
    high = trait.max if trait.max is not None else float("inf")
    numbers = {round(t + d, 6) for t in thresholds for d in (-STEP, 0.0, STEP)}
    return sorted(n for n in numbers if low <= n <= high)


def _cost(trait: Trait, current: cond.TraitValue | None, value: cond.TraitValue) -> float:
    if current is None:
        return 1.0  # observing a new trait is a full move
    match trait.type:
        case "scale":
            assert isinstance(value, int)
            assert isinstance(current, int)
            return abs(value - current) / (SCALE_MAX - SCALE_MIN)
        case "number":
            assert isinstance(value, int | float)
            assert isinstance(current, int | float)
            span = (
                (trait.max - trait.min)
                if trait.max is not None and trait.min is not None
                else max(abs(float(current)), abs(float(value)), 1.0)
            )
            return min(1.0, abs(float(value) - float(current)) / span)
    return 1.0


def what_if(
    kb: KnowledgeBase,
    scorer: Scorer,
    unit_id: str,
    values: Mapping[str, cond.TraitValue],
    in_use: frozenset[str],
    *,
    target: str | None = None,
    clear: str | None = None,
) -> WhatIf:
    """The smallest repair of one unit's traits towards `target` or clearing rule `clear`."""
    goal = _goal(kb, target, clear)
    moves = candidates(kb, values)
    base = dict(values)
    tried = 0
    before = _evaluate(kb, scorer, base, [[]], in_use, target, clear)
    if before.reached[0]:
        return _result(kb, scorer, unit_id, goal, base, [], base, in_use, tried)
    singles = [[m] for m in moves]
    evaluated = _evaluate(kb, scorer, base, singles, in_use, target, clear)
    tried += len(singles)
    best = _best(singles, evaluated.reached)
    if best is not None:
        return _result(kb, scorer, unit_id, goal, base, best, _apply(base, best), in_use, tried)
    order = np.argsort(-evaluated.progress, kind="stable")[:SEEDS].tolist()
    seeds = [moves[i] for i in order]
    for size in range(2, MAX_CHANGES + 1):
        sets = [
            list(c)
            for c in itertools.combinations(seeds, size)
            if len({m.trait for m in c}) == size
        ]
        if not sets:
            break
        evaluated = _evaluate(kb, scorer, base, sets, in_use, target, clear)
        tried += len(sets)
        best = _best(sets, evaluated.reached)
        if best is not None:
            return _result(kb, scorer, unit_id, goal, base, best, _apply(base, best), in_use, tried)
    return _result(kb, scorer, unit_id, goal, base, None, base, in_use, tried)


def _goal(kb: KnowledgeBase, target: str | None, clear: str | None) -> str:
    if (target is None) == (clear is None):
        raise OrganisationError(
            [
                Problem(
                    Location("<what-if>"), "give either a target archetype or a conflict to clear"
                )
            ]
        )
    if target is not None:
        if target not in kb.archetypes:
            raise OrganisationError(
                [
                    Problem(
                        Location("<what-if>"),
                        f"unknown archetype '{target}'",
                        did_you_mean(target, kb.archetypes),
                    )
                ]
            )
        return f"dominant: {target}"
    checkable = {rule.id: rule for rule in ConflictChecks(kb).rules}
    by_kind = {rule.spec.kind: rule.id for rule in checkable.values()}
    assert clear is not None
    if clear not in checkable and clear not in by_kind:
        raise OrganisationError(
            [
                Problem(
                    Location("<what-if>"),
                    f"'{clear}' is not a conflict a unit raises on its own",
                    did_you_mean(clear, [*checkable, *by_kind])
                    or f"one of: {', '.join(sorted([*checkable, *by_kind]))}",
                )
            ]
        )
    return f"clear: {by_kind.get(clear, clear)}"


def _apply(base: Mapping[str, cond.TraitValue], moves: Sequence[_Move]) -> dict[str, Any]:
    changed = dict(base)
    for move in moves:
        changed[move.trait] = move.value
    return changed


@dataclass(frozen=True)
class _Evaluated:
    reached: np.ndarray[Any, np.dtype[np.bool_]]
    progress: np.ndarray[Any, np.dtype[np.float64]]  # how close each candidate gets


def _evaluate(
    kb: KnowledgeBase,
    scorer: Scorer,
    base: Mapping[str, cond.TraitValue],
    sets: Sequence[Sequence[_Move]],
    in_use: frozenset[str],
    target: str | None,
    clear: str | None,
) -> _Evaluated:
    table = variants(kb, base, [{m.trait: m.value for m in moves} for moves in sets], in_use)
    fired = scorer.fired(table)
    found = profiles(kb, fired, table.observed_count)
    if target is not None:
        column = list(kb.archetypes).index(target)
        reached = found.ok & (found.dominant == column)
        lead = found.weights[:, column] - np.max(
            np.delete(found.weights, column, axis=1), axis=1, initial=0.0
        )
        return _Evaluated(reached, lead + found.ok.astype(np.float64))
    checks = ConflictChecks(kb)
    scores = model_scores(kb, found)
    flags = checks.flags(table, found, scores)
    rule = next(r.id for r in checks.rules if r.id == clear or r.spec.kind == clear)
    cleared = ~flags[rule]
    # how close: the worst score among the models in use (a misfit is a low score)
    used = table.in_use & found.ok[:, None]
    worst = np.where(used, scores.micro, np.iinfo(np.int64).max).min(axis=1, initial=0)
    return _Evaluated(cleared, cleared.astype(np.float64) + worst / 1e7)


def _best(
    sets: Sequence[Sequence[_Move]], reached: np.ndarray[Any, np.dtype[np.bool_]]
) -> list[_Move] | None:
    winners = [list(s) for s, ok in zip(sets, reached.tolist(), strict=True) if ok]
    if not winners:
        return None
    return min(
        winners, key=lambda s: (sum(m.cost for m in s), [(m.trait, repr(m.value)) for m in s])
    )


def _result(
    kb: KnowledgeBase,
    scorer: Scorer,
    unit_id: str,
    goal: str,
    base: Mapping[str, cond.TraitValue],
    moves: Sequence[_Move] | None,
    after: Mapping[str, cond.TraitValue],
    in_use: frozenset[str],
    tried: int,
) -> WhatIf:
    table = UnitTable(kb, [base, after], [in_use, in_use])
    fired = scorer.fired(table)
    found = profiles(kb, fired, table.observed_count)
    archetypes = list(kb.archetypes)
    names = scorer.rule_ids

    def dominant(row: int) -> str | None:
        return archetypes[found.dominant[row]] if found.dominant[row] >= 0 else None

    start = [names[i] for i in np.flatnonzero(fired[1] & ~fired[0]).tolist()]
    stop = [names[i] for i in np.flatnonzero(fired[0] & ~fired[1]).tolist()]
    changes = [
        Change(trait=m.trait, before=_plain(base.get(m.trait)), after=_plain(m.value))
        for m in sorted(moves or (), key=lambda m: m.trait)
    ]
    return WhatIf(
        unit=unit_id,
        goal=goal,
        found=moves is not None,
        changes=changes,
        dominant_before=dominant(0),
        dominant_after=dominant(1),
        weights_after={
            a: round(float(w), 4) for a, w in zip(archetypes, found.weights[1], strict=True)
        },
        rules_start=start,
        rules_stop=stop,
        candidates_tried=tried,
    )


def _plain(value: cond.TraitValue | None) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value
