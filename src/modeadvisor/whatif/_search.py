"""The search for repairs: single changes first, then pairs and triples of the most promising.

A diagnosis-and-repair search in the sense of knowledge-based recommenders (Felfernig et al.):
every single change (`_moves`) is assessed, all at once with the vectorised scorer; changes that
leave the unit's facts as another change leaves them are assessed once. If fewer than three
distinct repairs are found, pairs and then triples of the most promising changes (those that get
closest to the goal) are tried. Repairs are ranked by preference: model changes before practices
before moving a view, then fewer changes, then smaller moves; no two repairs offered have a
change in common, and none holds another repair whole.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from modeadvisor import conditions as cond
from modeadvisor.conflicts import UnitState
from modeadvisor.graph import recommended
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.scoring import MICRO
from modeadvisor.whatif._goal import Goal
from modeadvisor.whatif._moves import (
    Move,
    changeable,
    model_moves,
    trait_moves,
    view_moves,
)
from modeadvisor.whatif._result import Change, FindingRef, Repair, WhatIf, names, value_names
from modeadvisor.whatif._world import Batch, Finding, Outcome, Variant, World, joins_one_unit

#: Single changes kept as seeds for pairs, and for triples.
SEEDS_PAIRS, SEEDS_TRIPLES = 8, 6
MAX_CHANGES = 3
REPAIRS = 3


@dataclass(frozen=True)
class _Tried:
    moves: tuple[Move, ...]
    reached: bool
    progress: float

    @property
    def key(self) -> tuple[Any, ...]:
        return (
            max(m.rank for m in self.moves),
            len(self.moves),
            round(sum(m.cost for m in self.moves), 9),
            [(m.action, m.subject, repr(m.value)) for m in self.moves],
        )


class Search:
    """One what-if: the unit in its organisation, the goal, the changes it may make."""

    def __init__(self, world: World, before: Outcome, goal: Goal, allow: Collection[str]) -> None:
        self.world, self.before, self.goal, self.kb = world, before, goal, world.kb
        self.allow = frozenset(allow)
        self.rules = None if goal.of_profile else goal.rules(self.kb)
        # rules that join no other unit are searched on the unit's own facts
        self.alone = self.rules is not None and all(joins_one_unit(r) for r in self.rules)
        self.tried = 0
        self._seen: dict[tuple[Any, ...], tuple[bool, float]] = {}
        self._read = _conflict_traits(self.kb)

    def run(self) -> WhatIf:
        before = self.before
        if self.goal.target is not None:
            reached = before.state.profile.dominant == self.goal.target
        elif self.goal.recommend is not None:
            scores = {m.model: m.micro for m in before.state.scored}
            reached = bool(recommended(scores.get(self.goal.recommend, 0), self.kb.settings))
        else:
            reached = self.goal.holds(before.state.id, before.findings)
        if reached:
            return self._answer([], already=True)
        moves = self._moves()
        singles = self._try([(m,) for m in moves])
        winners = [t for t in singles if t.reached]
        ranked = sorted((t for t in singles if not t.reached), key=lambda t: -t.progress)
        seeds = [t.moves[0] for t in ranked]
        for size, count in ((2, SEEDS_PAIRS), (3, SEEDS_TRIPLES)):
            if len(_distinct(winners)) >= REPAIRS:
                break
            sets = [
                combo
                for combo in itertools.combinations(seeds[:count], size)
                if _compatible(combo) and not any(set(w.moves) <= set(combo) for w in winners)
            ]
            winners += [t for t in self._try(sets) if t.reached]
        return self._answer(_distinct(winners))

    def _moves(self) -> list[Move]:
        world, kb = self.world, self.kb
        values = world.base.values
        traits = changeable(kb, self.allow)
        moves = trait_moves(kb, values, traits)
        if not self.goal.of_profile:
            scored = {m.model: m.micro for m in self.before.state.scored}
            good = [m for m, s in scored.items() if recommended(s, kb.settings)]
            floats = {m: s / MICRO for m, s in scored.items()}
            moves += model_moves(kb, world.base.in_use, world.imposed, floats, good)
            if any(rule.spec.kind == self.goal.kind for rule in kb.conflicts if _views(rule)):
                moves += view_moves(world.base.views)
        return sorted(moves, key=lambda m: (m.rank, m.cost, m.action, m.subject, repr(m.value)))

    def _try(self, sets: Sequence[tuple[Move, ...]]) -> list[_Tried]:
        """Assess each set of moves: the scoring all at once, the conflict rules once per
        distinct state of the unit."""
        if not sets:
            return []
        self.tried += len(sets)
        variants = [self._variant(moves) for moves in sets]
        batch = self.world.score(variants)
        if self.goal.of_profile:
            return self._towards(sets, batch)
        signatures = [self._signature(batch.fired_bytes(row), v) for row, v in enumerate(variants)]
        fresh = {sig: row for row, sig in enumerate(signatures) if sig not in self._seen}
        rows = list(fresh.values())
        states = [batch.state(row) for row in rows]
        assert self.rules is not None
        if self.alone:
            found = self.world.findings_alone(states, [variants[r] for r in rows], self.rules)
        else:
            found = [
                self.world.findings(state, variants[row], self.rules)
                for state, row in zip(states, rows, strict=True)
            ]
        for state, row, findings in zip(states, rows, found, strict=True):
            self._seen[signatures[row]] = self._judge(state, variants[row], findings)
        return [
            _Tried(moves, *self._seen[signature])
            for moves, signature in zip(sets, signatures, strict=True)
        ]

    def _towards(self, sets: Sequence[tuple[Move, ...]], batch: Batch) -> list[_Tried]:
        """For a target mode, reached where it is dominant, closer the more it leads; for a
        model, reached where it is recommended, closer the higher it scores."""
        found, goal = batch.found, self.goal
        if goal.target is not None:
            column = list(self.kb.archetypes).index(goal.target)
            reached = found.ok & (found.dominant == column)
            others = np.delete(found.weights, column, axis=1)
            closer = found.weights[:, column] - np.max(others, axis=1, initial=0.0)
        else:
            column = list(self.kb.models).index(str(goal.recommend))
            score = batch.scores.micro[:, column]
            reached = found.ok & recommended(score, self.kb.settings)
            closer = score / MICRO
        progress = closer + found.ok
        return [
            _Tried(moves, bool(r), float(p))
            for moves, r, p in zip(sets, reached.tolist(), progress.tolist(), strict=True)
        ]

    def _variant(self, moves: Iterable[Move]) -> Variant:
        base = self.world.base
        values = dict(base.values)
        in_use, exempt, views = set(base.in_use), set(base.exempt), dict(base.views)
        for move in moves:
            match move.action:
                case "trait":
                    assert move.value is not None
                    values[move.subject] = move.value
                case "drop":
                    in_use.discard(move.subject)
                case "replace":
                    in_use.discard(move.subject)
                    in_use.add(str(move.value))
                case "add":
                    in_use.add(move.subject)
                case "exempt":
                    exempt.add(move.subject)
                case "view":
                    views[move.subject] = self.before.state.profile.weights
        return Variant(values, frozenset(in_use), frozenset(exempt), views)

    def _signature(self, fired: bytes, variant: Variant) -> tuple[Any, ...]:
        """What decides the unit's facts: the rules that fired (its profile and fits), the
        traits conflict rules read, its models, exemptions and views."""
        return (
            fired,
            tuple(repr(variant.values.get(t)) for t in self._read),
            variant.in_use,
            variant.exempt,
            tuple(sorted((v, tuple(sorted(w.items()))) for v, w in variant.views.items())),
        )

    def _judge(
        self, state: UnitState, variant: Variant, findings: Mapping[str, Finding]
    ) -> tuple[bool, float]:
        """Whether the unit is out of the goal's findings, and how close the variant gets
        (fewer findings, then a better worst fit of the models it is held to)."""
        unit = state.id
        open_ = sum(1 for f in findings.values() if self.goal.about(f) and unit in f.units)
        held = (variant.in_use | set(self.world.imposed)) - variant.exempt
        worst = min((m.micro for m in state.scored if m.model in held), default=0)
        return open_ == 0, -open_ + worst / (10 * MICRO)

    def _answer(self, winners: Sequence[_Tried], *, already: bool = False) -> WhatIf:
        world, kb = self.world, self.kb
        before = self.before
        repairs = []
        seen = dict(before.findings)  # every finding a repair clears or creates, by id
        if winners:
            variants = [self._variant(w.moves) for w in winners]
            for tried, variant, after in zip(
                winners, variants, world.outcomes(variants), strict=True
            ):
                repairs.append(self._repair(tried.moves, variant, after))
                seen |= {k: f for k, f in after.findings.items() if k not in seen}
        allowed = sorted(
            {
                c.subject
                for r in repairs
                for c in r.changes
                if c.action == "trait" and c.trait_kind != "lever"
            }
        )
        return WhatIf(
            unit=world.unit.id,
            goal=self.goal.text,
            found=already or bool(repairs),
            already=already,
            repairs=repairs,
            dominant_before=before.state.profile.dominant,
            allowed=allowed,
            held=[] if repairs or already else self._held(),
            candidates_tried=self.tried,
            language=world.lang,
            names=names(kb, world.lang),
            kinds={k.id: k.name.get(world.lang) for k in kb.kinds.values()},
            findings={
                k: FindingRef(kind=seen[k].kind, about=list(seen[k].about))
                for r in repairs
                for k in (*r.cleared, *r.created)
            },
            value_names=value_names(kb, repairs, world.lang),
        )

    def _repair(self, moves: Sequence[Move], variant: Variant, after: Outcome) -> Repair:
        before = self.before
        unit = self.world.unit.id
        old, new = before.findings, after.findings
        cleared = [k for k, f in old.items() if unit in f.units and unit not in _units(new, k)]
        created = [
            k
            for k, f in new.items()
            if k not in old or (unit in f.units and unit not in old[k].units)
        ]
        return Repair(
            changes=[self._change(m) for m in sorted(moves, key=lambda m: (m.rank, m.subject))],
            dominant_before=before.state.profile.dominant,
            dominant_after=after.state.profile.dominant,
            weights_after={a: round(w, 4) for a, w in after.state.profile.weights.items()},
            rules_start=[r for r in after.fired if r not in before.fired],
            rules_stop=[r for r in before.fired if r not in after.fired],
            cleared=sorted(cleared),
            created=sorted(created),
        )

    def _change(self, move: Move) -> Change:
        base = self.world.base
        match move.action:
            case "trait":
                return Change(
                    action="trait",
                    subject=move.subject,
                    before=_plain(base.values.get(move.subject)),
                    after=_plain(move.value),
                    trait_kind=self.kb.traits[move.subject].kind,
                )
            case "replace":
                return Change(action="replace", subject=move.subject, after=str(move.value))
            case "view":
                weights = base.views.get(move.subject, {})
                return Change(
                    action="view",
                    subject=move.subject,
                    before=max(weights, key=lambda a: weights[a]) if weights else None,
                    after=self.before.state.profile.dominant,
                )
        return Change(action=move.action, subject=move.subject)

    def _held(self) -> list[str]:
        """Traits the goal's rules read that were not changed: neither levers nor allowed."""
        kb, read = self.kb, set[str]()
        if self.goal.of_profile:
            for archetype in _towards(kb, self.goal):
                index = list(kb.archetypes).index(archetype)
                for rule, compiled in zip(kb.rules, kb.compiled.rules, strict=True):
                    if compiled.weights[index] > 0:
                        read |= set(cond.traits_of(rule.condition))
        else:
            read |= {t for r in self.rules or () for t in _unit_traits(r)}
            for index in self.before.state.rules:
                read |= set(cond.traits_of(kb.rules[index].condition))
        free = {t.id for t in changeable(kb, self.allow)}
        return sorted(t for t in read if t in kb.traits and t not in free)


def _distinct(winners: Sequence[_Tried]) -> list[_Tried]:
    """The best repairs, no two with a change in common: the same model change, or a change of
    the same trait (to whatever value)."""
    chosen: list[_Tried] = []
    used: set[tuple[Any, ...]] = set()
    for tried in sorted(winners, key=lambda t: t.key):
        changes = {_identity(m) for m in tried.moves}
        if used & changes:
            continue
        chosen.append(tried)
        used |= changes
        if len(chosen) == REPAIRS:
            break
    return chosen


def _identity(move: Move) -> tuple[Any, ...]:
    if move.action == "trait":
        return (move.action, move.subject)
    return (move.action, move.subject, move.value)


def _towards(kb: KnowledgeBase, goal: Goal) -> list[str]:
    """The modes a profile goal needs weight for: the target, or those a model suits."""
    if goal.target is not None:
        return [goal.target]
    return [
        link.source_node
        for link in kb.links
        if link.target == goal.recommend and link.relation == "suits"
    ]


def _compatible(moves: Sequence[Move]) -> bool:
    """No two moves of one set act on the same thing (a model's use, a trait, a view)."""
    families = [f for m in moves for f in m.families]
    return len(families) == len(set(families))


def _units(findings: Mapping[str, Finding], key: str) -> frozenset[str]:
    found = findings.get(key)
    return found.units if found is not None else frozenset()


def _views(rule: Any) -> bool:
    return any(p.kind in ("view", "gap") for p in rule.patterns)


def _unit_traits(rule: Any) -> set[str]:
    return {
        t
        for p in rule.patterns
        if p.kind == "unit" and p.condition is not None
        for t in cond.traits_of(p.condition)
    }


def _conflict_traits(kb: KnowledgeBase) -> tuple[str, ...]:
    """Traits conflict rules read from unit facts: a change of one changes the facts even
    where no scoring rule notices."""
    return tuple(sorted({t for rule in kb.conflicts for t in _unit_traits(rule) if t in kb.traits}))


def _plain(value: cond.TraitValue | None) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value
