"""The organisation around one unit, as what-if sees it: every way the unit could be, assessed
with the units it is joined with.

A change of one unit changes only its own facts (unit, fit, view, gap, rating) and the camps
(`split`) of its parent and of itself; the shipped conflict rules join facts through `uid`,
`parent` and `model`, so only findings over the unit, its parent, its siblings and its children
can start or stop. What-if therefore assesses that neighbourhood: the other units' states are
taken from the real assessment, the unit's state is computed for each variant with the
vectorised scorer (all variants at once), and the conflict rules run on the neighbourhood's
facts with the indexed matcher. Findings are named as `conflicts.summarise` names them (a test
holds the two to the same ids on every example).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor.backends._matching import match_indexed
from modeadvisor.backends._vectorised import Scorer, variants
from modeadvisor.conflicts import UnitState, situation
from modeadvisor.facts import FACT_KINDS, Fact, Firing
from modeadvisor.graph import ModeGraph, ModelScores, ScoredModel, model_scores
from modeadvisor.knowledge import CompiledConflict, ConflictRule, KnowledgeBase, Lang
from modeadvisor.profile import Profiles, profiles, unit_profile

BoolArray = npt.NDArray[np.bool_]
Views = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Variant:
    """One way the unit could be: its traits, the models it uses, the imposed models it is
    exempt from, and its stated views (desired, strategy)."""

    values: Mapping[str, cond.TraitValue]
    in_use: frozenset[str]
    exempt: frozenset[str] = frozenset()
    views: Views = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A finding as what-if compares it: its id, kind, rules, the units it names, and the values
    its id names after the topic (what the finding is about: a model, a parent, a unit)."""

    id: str
    kind: str
    rules: frozenset[str]
    units: frozenset[str]
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A variant assessed: the unit's state, which rules fired, and the neighbourhood's
    findings by id."""

    state: UnitState
    fired: tuple[str, ...]
    findings: Mapping[str, Finding]


class World:
    """One unit of an assessed organisation, and the units its findings can join it with."""

    def __init__(
        self,
        kb: KnowledgeBase,
        scorer: Scorer,
        graph: ModeGraph,
        states: Sequence[UnitState],
        imposed: Sequence[str],
        views: Mapping[str, Views],
        ratings: Mapping[str, Sequence[Mapping[str, int]]],
        unit_id: str,
        lang: Lang,
        limit: int,
    ) -> None:
        self.kb, self.scorer, self.graph, self.lang, self.limit = kb, scorer, graph, lang, limit
        self.unit = next(s for s in states if s.id == unit_id)
        parent = self.unit.parent
        near = {unit_id, parent} | {
            s.id for s in states if s.parent is not None and s.parent in (unit_id, parent)
        }
        self.neighbours = [s for s in states if s.id in near]  # in the assessment's order
        self.imposed = tuple(imposed)
        self.views = views
        self.ratings = ratings
        self.base = Variant(self.unit.values, self.unit.in_use, frozenset(), views.get(unit_id, {}))
        self.rule_kinds = {rule.id: rule.spec.kind for rule in kb.conflicts}

    def outcomes(
        self, variants_: Sequence[Variant], rules: Sequence[ConflictRule] | None = None
    ) -> list[Outcome]:
        """Every variant assessed, the conflict rules (`rules`, default all) on each one's
        neighbourhood."""
        batch = self.score(variants_)
        result = []
        for row, variant in enumerate(variants_):
            state = batch.state(row)
            result.append(Outcome(state, batch.fired(row), self.findings(state, variant, rules)))
        return result

    def score(self, variants_: Sequence[Variant]) -> Batch:
        """Every variant's scoring rules, profile and model scores at once (vectorised)."""
        base = self.base.values
        changes = [{t: v for t, v in x.values.items() if base.get(t) != v} for x in variants_]
        table = variants(self.kb, base, changes)
        fired = self.scorer.fired(table)
        found = profiles(self.kb, fired, table.observed_count)
        return Batch(self, variants_, fired, found, model_scores(self.kb, found))

    def findings(
        self,
        state: UnitState,
        variant: Variant,
        rules: Sequence[ConflictRule] | None = None,
        *,
        alone: bool = False,
    ) -> dict[str, Finding]:
        """The neighbourhood's findings with the unit in `state`, by id; `alone`: the unit's
        own facts only, enough for rules that join no other unit (`joins_one_unit`)."""
        kb = self.kb
        states = [state if s.id == state.id else s for s in self.neighbours]
        if alone:
            states = [state]
        views = {**self.views, state.id: variant.views}
        facts = situation(kb, states, self.imposed, views, self.ratings)
        chosen = kb.compiled.conflicts if rules is None else _compiled(kb, rules)
        firings = match_indexed(chosen, facts, limit=self.limit)
        if variant.exempt:
            firings = [f for f in firings if not _exempted(f, facts, state.id, variant.exempt)]
        return finding_map(kb, firings, facts)

    def findings_alone(
        self,
        states: Sequence[UnitState],
        variants_: Sequence[Variant],
        rules: Sequence[ConflictRule],
    ) -> list[dict[str, Finding]]:
        """Each variant's findings of rules that join no other unit (`joins_one_unit`), all in
        one match: each variant's facts under a uid of its own, so that no match can join two
        variants, and the organisation's imposed models once."""
        kb = self.kb
        facts: list[Fact] = [
            {"kind": "imposed", "model": m, "model_kind": kb.models[m].kind}
            for m in dict.fromkeys(self.imposed)
        ]
        ratings = self.ratings.get(self.unit.id, ())
        for number, (state, variant) in enumerate(zip(states, variants_, strict=True)):
            uid = f"{state.id}{_APART}{number}"
            own = replace(state, id=uid)
            for fact in situation(kb, [own], self.imposed, {uid: variant.views}, {uid: ratings}):
                if fact["kind"] not in ("imposed", "split"):
                    facts.append(fact)
        firings = match_indexed(_compiled(kb, rules), facts, limit=self.limit)
        apart: list[list[Firing]] = [[] for _ in states]
        for firing in firings:
            uids = {str(facts[i]["uid"]) for i in firing[1].values() if "uid" in facts[i]}
            (uid,) = uids  # the rules join one unit: one variant's facts
            number = int(uid.rpartition(_APART)[2])
            if not _exempted(firing, facts, uid, variants_[number].exempt):
                apart[number].append(firing)
        return [finding_map(kb, found, facts) for found in apart]


class Batch:
    """Variants of the unit scored at once; a variant's full state is built on demand."""

    def __init__(
        self,
        world: World,
        variants_: Sequence[Variant],
        fired: BoolArray,
        found: Profiles,
        scores: ModelScores,
    ) -> None:
        self.world, self.variants = world, variants_
        self.found, self.scores = found, scores
        self._fired = fired
        self._names = world.scorer.rule_ids
        self._scored: list[list[ScoredModel]] | None = None  # every variant's, when first asked

    def fired(self, row: int) -> tuple[str, ...]:
        return tuple(self._names[i] for i in self._fired[row].nonzero()[0])

    def fired_bytes(self, row: int) -> bytes:
        return bytes(self._fired[row].tobytes())

    def state(self, row: int) -> UnitState:
        world, kb, variant = self.world, self.world.kb, self.variants[row]
        unit = world.unit
        profile, _ = unit_profile(kb, self.found, row, world.lang)
        if self._scored is None:  # all variants at once: the graph scores arrays
            in_use = [v.in_use for v in self.variants]
            self._scored = world.graph.score_models(self.found, self.scores, in_use)
        scored = self._scored[row] if profile.status == "ok" else []
        rules = tuple(int(i) for i in self._fired[row].nonzero()[0])
        return UnitState(
            unit.id, unit.parent, variant.values, profile, scored, variant.in_use, rules
        )


def _compiled(kb: KnowledgeBase, rules: Sequence[ConflictRule]) -> list[CompiledConflict]:
    """The compiled form of some of the pack's conflict rules, the form the matcher reads."""
    wanted = {rule.id for rule in rules}
    return [c for c in kb.compiled.conflicts if c.id in wanted]


def joins_one_unit(rule: ConflictRule) -> bool:
    """Whether every match of the rule binds facts of one unit (and facts of no unit, such as
    imposed models): no camps, and each further fact of a unit joined on the first one's uid."""
    if any(p.kind == "split" for p in rule.patterns):
        return False
    with_unit = [p for p in rule.patterns if "uid" in FACT_KINDS[p.kind]]
    aliases = {p.alias for p in with_unit[:1]}
    for pattern in with_unit[1:]:
        leaves = cond.comparisons(pattern.condition) if pattern.condition is not None else ()
        joined = any(
            isinstance(leaf, cond.Comparison)
            and leaf.trait == "uid"
            and leaf.op == "=="
            and isinstance(leaf.value, cond.Ref)
            and leaf.value.alias in aliases
            and leaf.value.field == "uid"
            for leaf in leaves
        )
        if not joined:
            return False
        aliases.add(pattern.alias)
    return True


#: Between a unit's id and a variant's number in the uid of the variant's facts.
_APART = "\x1f"


def _exempted(firing: Firing, facts: Sequence[Fact], unit: str, exempt: frozenset[str]) -> bool:
    """A match that holds the unit to an imposed model it is exempt from."""
    bound = [facts[i] for i in firing[1].values()]
    imposed = {f.get("model") for f in bound if f.get("kind") == "imposed"}
    return bool(imposed & exempt) and any(f.get("uid") == unit for f in bound)


def finding_map(
    kb: KnowledgeBase, firings: Sequence[Firing], facts: Sequence[Fact]
) -> dict[str, Finding]:
    """Firings folded into findings by id, as `conflicts.summarise` folds and names them: the
    topic and the values the rule's finding is about, else the units it binds."""
    rules = {rule.id: rule for rule in kb.conflicts}
    found: dict[str, tuple[str, set[str], set[str], tuple[str, ...]]] = {}
    for rule_id, bound in firings:
        rule = rules[rule_id]
        units = {_own(u) for a in bound if (u := facts[bound[a]].get("uid")) is not None}
        if rule.about:
            values = [_plain(facts[bound[alias]].get(name)) for alias, name in rule.about]
            about = [_id_part(v) for v in values]
            units |= {
                str(v) for (a, n), v in zip(rule.about, values, strict=True) if _unit(rule, a, n)
            }
        else:
            about = sorted(units)
        finding_id = ":".join([rule.topic, *about])
        _, rule_ids, named, _ = found.setdefault(
            finding_id, (rule.spec.kind, set(), set(), tuple(about))
        )
        rule_ids.add(rule_id)
        named |= units
    return {
        key: Finding(key, kind, frozenset(r), frozenset(u), about)
        for key, (kind, r, u, about) in found.items()
    }


def _own(uid: object) -> str:
    """A unit's id without the number of the variant its facts belong to."""
    return str(uid).partition(_APART)[0]


def _plain(value: Any) -> Any:
    return _own(value) if isinstance(value, str) and _APART in value else value


def _id_part(value: Any) -> str:
    """A value as a finding id shows it: a text as it is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(sorted(value) if isinstance(value, frozenset) else value)


def _unit(rule: ConflictRule, alias: str, name: str) -> bool:
    kind = next(p.kind for p in rule.patterns if p.alias == alias)
    spec = FACT_KINDS[kind].get(name)
    return spec is not None and spec.type == "unit"
