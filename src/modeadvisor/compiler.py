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
- a fact has at most 253 properties (measured: 254 segfaults the engine), checked here.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import conditions as cond
from .errors import EngineError, KnowledgeBaseError, Location, Problem, display_path
from .knowledge import NUMBER_DECIMALS, KnowledgeBase, Trait

FACT_KIND = "unit"
#: Distinct conditions per ruleset (the catch-all makes 64, the most a fact may match).
MAX_DISTINCT_CONDITIONS = 63
#: Engine rules sharing one identical condition in a ruleset (129 are refused, error 107).
MAX_SHARED_CONDITION = 128
#: Alternatives one rule may expand to; a rule beyond this is refused as too complex.
MAX_ALTERNATIVES = 64
MAX_FACT_PROPERTIES = 253
_RESERVED = ("kind", "uid", "sid")

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class EngineRule:
    """One conjunction of one scoring rule, as the engine will hold it."""

    name: str
    rule_id: str
    condition: Json


@dataclass(frozen=True, slots=True)
class CompiledPack:
    """Engine rules in chunks that each become one ruleset."""

    chunks: tuple[tuple[EngineRule, ...], ...]
    traits: Mapping[str, Trait]

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
    """A trait value as the engine compares it: numbers as integer millionths."""
    if trait.type == "number":
        assert isinstance(value, int | float)
        return int(Decimal(str(value)).scaleb(NUMBER_DECIMALS).to_integral_value())
    assert isinstance(value, bool | int | str)
    return value


def compile_pack(kb: KnowledgeBase,
                 max_distinct: int = MAX_DISTINCT_CONDITIONS) -> CompiledPack:
    """Compile every rule of a knowledge base into engine rules packed within the limits."""
    properties = sum(len(t.values or ()) if t.type == "set" else 1 for t in kb.traits.values())
    if properties + len(_RESERVED) > MAX_FACT_PROPERTIES:
        raise EngineError(
            f"the trait catalogue needs {properties} fact properties; the engine takes at most "
            f"{MAX_FACT_PROPERTIES - len(_RESERVED)} (count set values one each)")
    engine_rules: list[EngineRule] = []
    too_complex: list[Problem] = []
    for rule in kb.rules:
        alternatives = disjunctive_form(rule.condition)
        if len(alternatives) > MAX_ALTERNATIVES:
            origin = rule.origin
            too_complex.append(Problem(
                Location(display_path(kb.root / origin.file), origin.line, origin.column),
                f"the condition of rule '{rule.id}' expands to {len(alternatives)} alternatives; "
                f"the engine takes at most {MAX_ALTERNATIVES}", "split it into several rules"))
            continue
        for index, conjunction in enumerate(alternatives):
            condition = {"$and": [{"kind": FACT_KIND},
                                  *(_leaf(leaf, kb.traits) for leaf in conjunction)]}
            name = rule.id if len(alternatives) == 1 else f"{rule.id}#{index}"
            engine_rules.append(EngineRule(name, rule.id, condition))
    if too_complex:
        raise KnowledgeBaseError(too_complex)
    return CompiledPack(chunks=_pack(engine_rules, max_distinct), traits=kb.traits)


def _pack(rules: Sequence[EngineRule], max_distinct: int) -> tuple[tuple[EngineRule, ...], ...]:
    """Greedy packing in pack order: a new ruleset whenever a limit would be crossed."""
    chunks: list[tuple[EngineRule, ...]] = []
    current: list[EngineRule] = []
    shared: Counter[str] = Counter()
    for rule in rules:
        key = json.dumps(rule.condition, sort_keys=True)
        if current and ((key not in shared and len(shared) >= max_distinct)
                        or shared[key] >= MAX_SHARED_CONDITION):
            chunks.append(tuple(current))
            current, shared = [], Counter()
        current.append(rule)
        shared[key] += 1
    if current:
        chunks.append(tuple(current))
    return tuple(chunks)


Leaf = cond.Comparison | cond.Member


def disjunctive_form(condition: cond.Condition) -> list[tuple[Leaf, ...]]:
    """A normalised condition as a list of conjunctions of leaves (duplicates removed)."""
    match condition:
        case cond.All(terms):
            result: list[tuple[Leaf, ...]] = [()]
            for term in terms:
                result = [left + right for left in result for right in disjunctive_form(term)]
                if len(result) > MAX_ALTERNATIVES:  # stop early: it is refused anyway
                    return result
            return list(dict.fromkeys(result))
        case cond.AnyOf(terms):
            alternatives = [conj for term in terms for conj in disjunctive_form(term)]
            return list(dict.fromkeys(alternatives))
        case cond.Comparison() | cond.Member():
            return [(dataclasses.replace(condition, column=0),)]  # equal leaves compare equal
    raise EngineError(f"cannot compile {condition!r}: conditions must be normalised first")


_OPERATORS = {">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt", "!=": "$neq"}


def _leaf(leaf: Leaf, traits: Mapping[str, Trait]) -> Json:
    if isinstance(leaf, cond.Member):
        return {member_property(leaf.trait, leaf.value): leaf.present}
    prop = trait_property(leaf.trait)
    target = engine_value(traits[leaf.trait], leaf.value)
    if leaf.op == "==":
        return {prop: target}
    return {_OPERATORS[leaf.op]: {prop: target}}
