"""Compiling validated rules and unit traits into the engine's JSON shapes (pure data).

Everything here respects the measured limits of durable-rules 2.0.28 (see DURABLE.md):
- every condition is guarded by `{"kind": "unit"}`, so no rule can match the session's own state
  fact (which would fire in an endless loop);
- numbers reach the engine as integers in millionths (exponent-free, finite, exact equality);
- set traits are flattened into one true/false property per declared value, so membership and
  its negation are plain equality tests (the engine's `$iall` is false on an empty list);
- rules are split into chunks of 128: `create_ruleset` hangs past 512 distinct condition nodes,
  and refuses (error 107) more than 128 rules sharing one identical condition;
- a fact has at most 253 properties (measured: 254 segfaults the engine), checked here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import conditions as cond
from .errors import EngineError
from .knowledge import NUMBER_DECIMALS, KnowledgeBase, Rule, Trait

FACT_KIND = "unit"
#: Rules per engine ruleset (measured: 513 distinct conditions hang, 129 identical ones fail).
RULES_PER_RULESET = 128
MAX_FACT_PROPERTIES = 253
_RESERVED = ("kind", "uid", "sid")

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CompiledPack:
    """Rule conditions as engine JSON, in chunks that each become one ruleset."""

    chunks: tuple[tuple[tuple[str, Json], ...], ...]
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


def compile_pack(kb: KnowledgeBase, chunk_size: int = RULES_PER_RULESET) -> CompiledPack:
    """Compile every rule of a knowledge base; raise EngineError if a limit would be broken."""
    properties = sum(len(t.values or ()) if t.type == "set" else 1 for t in kb.traits.values())
    if properties + len(_RESERVED) > MAX_FACT_PROPERTIES:
        raise EngineError(
            f"the trait catalogue needs {properties} fact properties; the engine takes at most "
            f"{MAX_FACT_PROPERTIES - len(_RESERVED)} (count set values one each)")
    compiled = [(rule.id, compile_condition(rule, kb.traits)) for rule in kb.rules]
    chunks = tuple(tuple(compiled[i:i + chunk_size]) for i in range(0, len(compiled), chunk_size))
    return CompiledPack(chunks=chunks, traits=kb.traits)


def compile_condition(rule: Rule, traits: Mapping[str, Trait]) -> Json:
    """The engine condition for one rule, guarded by the fact kind."""
    return {"$and": [{"kind": FACT_KIND}, _node(rule.condition, traits)]}


_OPERATORS = {">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt", "!=": "$neq"}


def _node(condition: cond.Condition, traits: Mapping[str, Trait]) -> Json:
    match condition:
        case cond.All(terms):
            return {"$and": [_node(term, traits) for term in terms]}
        case cond.AnyOf(terms):
            return {"$or": [_node(term, traits) for term in terms]}
        case cond.Member(trait, value, present):
            return {member_property(trait, value): present}
        case cond.Comparison(trait, op, value):
            prop = trait_property(trait)
            target = engine_value(traits[trait], value)
            if op == "==":
                return {prop: target}
            return {_OPERATORS[op]: {prop: target}}
    raise EngineError(f"cannot compile {condition!r}: conditions must be normalised first")


def chunk_names(prefix: str, pack: CompiledPack) -> Sequence[str]:
    return [f"{prefix}_{i}" for i in range(len(pack.chunks))]
