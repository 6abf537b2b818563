"""Compiling validated rules and unit traits into the engine's JSON shapes (pure data).

Everything here respects the measured limits of durable-rules 2.0.28 (DURABLE.md and our own
experiments, each pinned by a test):
- every condition is guarded by `{"kind": "unit"}`, so no rule can match the session's own state
  fact (which would fire in an endless loop);
- numbers reach the engine as integers in millionths (exponent-free, finite, exact equality);
- set traits are flattened into one true/false property per declared value, so membership and
  its negation are plain equality tests (the engine's `$iall` is false on an empty list);
- conditions are expanded into disjunctive normal form: each conjunction is one engine rule, so
  the engine never sees `$or` and the number of conditions a fact can match is countable;
- engine rules are packed into rulesets so that one ruleset holds at most 63 distinct conditions
  (a fact matching more than 64, the catch-all included, fails with error 303 and the session
  then crashes the process when deleted), at most 128 rules sharing one identical condition
  (more: error 107), and so far fewer than the 512 condition nodes that hang `create_ruleset`;
- a fact has at most 253 properties (measured: 254 segfaults the engine), checked here;
- conflict rules join facts only with equality (`b.model == a.model`): measured, `!=` and
  ordering comparisons between two facts segfault the engine, so the loader refuses them; the
  literal tests of each alias come before its joins.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.errors import KnowledgeBaseError, Location, PackTooLargeError, Problem
from modeadvisor.facts import FACT_KINDS, UNIT_FIELDS
from modeadvisor.knowledge import KnowledgeBase, Trait
from modeadvisor.knowledge._compiled import Test, exact_value

FACT_KIND = "unit"
#: Distinct conditions per ruleset (the catch-all makes 64, the most a fact may match).
MAX_DISTINCT_CONDITIONS = 63
#: Engine rules sharing one identical condition in a ruleset (129 are refused, error 107).
MAX_SHARED_CONDITION = 128
#: Condition nodes (rules x aliases) per ruleset, well below the 512 that hang the engine.
MAX_NODES = 480
MAX_FACT_PROPERTIES = 253
#: Properties of a conflict-stage unit fact besides its traits: kind, sid, the adapter's fact
#: index, and the unit fields.
_RESERVED = 3 + len(UNIT_FIELDS)

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class EngineRule:
    """One conjunction of one rule, as the engine will hold it: a condition per alias."""

    name: str
    rule_id: str
    patterns: tuple[tuple[str, Json], ...]


@dataclass(frozen=True, slots=True)
class CompiledPack:
    """Engine rules in chunks that each become one ruleset, and the fact kinds they read."""

    chunks: tuple[tuple[EngineRule, ...], ...]
    traits: Mapping[str, Trait]
    kinds: tuple[str, ...] = (FACT_KIND,)

    def fact(self, uid: str, values: Mapping[str, cond.TraitValue]) -> Json:
        """The engine fact for one unit's typed trait values."""
        fact: Json = {"kind": FACT_KIND, "uid": uid}
        for name, value in values.items():
            trait = self.traits[name]
            if trait.type == "set":
                assert isinstance(value, frozenset)
                for option in trait.values or ():
                    fact[member_property(name, option)] = option in value
            else:
                fact[trait_property(name)] = engine_value(trait, value)
        return fact


def trait_property(trait_id: str) -> str:
    return f"t_{trait_id}"


def member_property(trait_id: str, value: str) -> str:
    return f"t_{trait_id}__{value}"


def engine_value(trait: Trait, value: cond.TraitValue | cond.Scalar) -> bool | int | str:
    """A unit's trait value as the engine compares it: numbers as integer millionths."""
    assert not isinstance(value, frozenset)
    return exact_value("unit", trait.id, value, {trait.id: trait})


def check_fact_size(kb: KnowledgeBase) -> None:
    """Refuse a trait catalogue whose facts would exceed the engine's properties per fact."""
    properties = sum(len(t.values or ()) if t.type == "set" else 1 for t in kb.traits.values())
    if properties + _RESERVED > MAX_FACT_PROPERTIES:
        raise PackTooLargeError(
            [
                Problem(
                    Location(str(kb.root)),
                    Message(
                        "the trait catalogue needs {properties} fact properties; the "
                        "durable-rules engine takes at most {most} (count set values one each)",
                        properties=properties,
                        most=MAX_FACT_PROPERTIES - _RESERVED,
                    ),
                    Message("use the vectorised backend, or split the catalogue"),
                )
            ]
        )


def compile_pack(kb: KnowledgeBase, max_distinct: int = MAX_DISTINCT_CONDITIONS) -> CompiledPack:
    """The scoring rules of a knowledge base as engine rules packed within the limits."""
    check_fact_size(kb)
    if kb.compiled.problems:
        raise KnowledgeBaseError(kb.compiled.problems)
    engine_rules: list[EngineRule] = []
    for rule in kb.compiled.rules:
        for index, conjunction in enumerate(rule.alternatives):
            condition = {"$and": [{"kind": FACT_KIND}, *(_leaf(test) for test in conjunction)]}
            name = rule.id if len(rule.alternatives) == 1 else f"{rule.id}#{index}"
            engine_rules.append(EngineRule(name, rule.id, (("m", condition),)))
    return CompiledPack(chunks=_pack(engine_rules, max_distinct), traits=kb.traits)


def compile_conflicts(kb: KnowledgeBase, max_distinct: int | None = None) -> CompiledPack:
    """The conflict rules as engine join rules over the conflict-stage facts."""
    kinds = tuple(FACT_KINDS)
    limit = MAX_DISTINCT_CONDITIONS + 1 - len(kinds) if max_distinct is None else max_distinct
    if kb.compiled.problems:
        raise KnowledgeBaseError(kb.compiled.problems)
    engine_rules: list[EngineRule] = []
    for rule in kb.compiled.conflicts:
        kind_of = {p.alias: p.kind for p in rule.patterns}
        count = rule.combinations
        for index, combination in enumerate(rule.expansions()):
            patterns = tuple(
                (
                    pattern.alias,
                    {
                        "$and": [
                            {"kind": pattern.kind},
                            *_ordered([_fact_leaf(test, pattern.kind, kind_of) for test in tests]),
                        ]
                    },
                )
                for pattern, tests in zip(rule.patterns, combination, strict=True)
            )
            name = rule.id if count == 1 else f"{rule.id}#{index}"
            engine_rules.append(EngineRule(name, rule.id, patterns))
    return CompiledPack(chunks=_pack(engine_rules, limit), traits=kb.traits, kinds=kinds)


def _ordered(leaves: list[tuple[bool, Json]]) -> list[Json]:
    """Literal tests first, then joins: the order measured to be safe."""
    return [leaf for is_join, leaf in sorted(leaves, key=lambda item: item[0])]


def _fact_leaf(test: Test, kind: str, kind_of: Mapping[str, str]) -> tuple[bool, Json]:
    """One test of a conflict pattern as an engine test; True when it joins another alias."""
    join = test.join
    if join is not None:  # the loader lets only == join two facts
        return True, {
            _property(kind, test.field): {join.alias: _property(kind_of[join.alias], join.field)}
        }
    if kind == "unit" and test.field not in UNIT_FIELDS:
        return False, _leaf(test)
    return False, _comparison(test.field, test)


def _property(kind: str, field: str) -> str:
    return trait_property(field) if kind == "unit" and field not in UNIT_FIELDS else field


def fact_value(kind: str, field: str, value: cond.Scalar) -> bool | int | str:
    """A value of a conflict-stage fact field as the engine compares it."""
    return exact_value(kind, field, value, {})


def engine_fact(fact: Mapping[str, Any], traits: Mapping[str, Trait]) -> Json:
    """A conflict-stage fact (kind, fields, and for units their trait values) for the engine."""
    kind = fact["kind"]
    out: Json = {"kind": kind}
    for name, value in fact.items():
        if name == "kind":
            continue
        if name in FACT_KINDS[kind]:
            out[name] = fact_value(kind, name, value)
            continue
        trait = traits[name]
        if trait.type == "set":
            for option in trait.values or ():
                out[member_property(name, option)] = option in value
        else:
            out[trait_property(name)] = engine_value(trait, value)
    return out


def _pack(rules: Sequence[EngineRule], max_distinct: int) -> tuple[tuple[EngineRule, ...], ...]:
    """Greedy packing in pack order: a new ruleset whenever a limit would be crossed."""
    chunks: list[tuple[EngineRule, ...]] = []
    current: list[EngineRule] = []
    shared: Counter[str] = Counter()
    nodes = 0
    for rule in rules:
        keys = [json.dumps(condition, sort_keys=True) for _, condition in rule.patterns]
        new = {key for key in keys if key not in shared}
        if current and (
            len(shared) + len(new) > max_distinct
            or any(shared[key] >= MAX_SHARED_CONDITION for key in keys)
            or nodes + len(keys) > MAX_NODES
        ):
            chunks.append(tuple(current))
            current, shared, nodes = [], Counter(), 0
        current.append(rule)
        shared.update(keys)
        nodes += len(keys)
    if current:
        chunks.append(tuple(current))
    return tuple(chunks)


_OPERATORS = {">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt", "!=": "$neq"}


def _leaf(test: Test) -> Json:
    """A test on a unit's trait as an engine condition on its fact property."""
    leaf = test.leaf
    if isinstance(leaf, cond.Member):
        return {member_property(leaf.trait, leaf.value): leaf.present}
    return _comparison(trait_property(leaf.trait), test)


def _comparison(prop: str, test: Test) -> Json:
    assert isinstance(test.leaf, cond.Comparison)
    assert test.exact is not None
    if test.leaf.op == "==":
        return {prop: test.exact}
    return {_OPERATORS[test.leaf.op]: {prop: test.exact}}
