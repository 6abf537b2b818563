"""The compiled form of a pack's rules: built once with the knowledge base, read by everything.

A rule's condition is checked and normalised on load; compiling turns it into what every consumer
evaluates — the durable-rules compiler, the vectorised backend, the matchers of conflict rules,
lint and what-if — so none of them derives it again:

- its disjunctive normal form (a tuple of alternatives, each a conjunction of tests);
- `$settings` replaced by the pack's values;
- each literal in its exact form (`Test.exact`): numbers in integer millionths
  (`scoring.to_millionths`), other values as written;
- a scoring rule's weights in millionths, in archetype order, and the traits its condition
  reads (what a unit's evidence quotes).

A rule whose condition expands beyond `MAX_ALTERNATIVES` is kept with a located problem: no
backend can run it, so an Advisor refuses the pack (lint reports it too).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.conditions import MAX_ALTERNATIVES, Leaf, disjunctive_form, resolve
from modeadvisor.errors import Location, Problem
from modeadvisor.facts import FACT_KINDS, UNIT_FIELDS
from modeadvisor.knowledge._shapes import Settings, Trait
from modeadvisor.scoring import micro, to_millionths

if TYPE_CHECKING:  # the knowledge base holds its compiled form: imported for types only
    from modeadvisor.knowledge._base import KnowledgeBase, Pattern

Exact = bool | int | str


@dataclass(frozen=True, slots=True)
class Test:
    """One leaf of a compiled condition and its literal as every backend compares it."""

    leaf: Leaf
    #: The literal: numbers in millionths, other values as written; None for a membership
    #: test (`leaf.value` is the member) or a join (`leaf.value` is a `cond.Ref`).
    exact: Exact | None
    #: Where the test's field stands in the condition text (1-based; 0: unknown), for lint's
    #: locations; not part of the test's identity.
    column: int = field(default=0, compare=False)

    @property
    def field(self) -> str:
        return self.leaf.trait

    @property
    def join(self) -> cond.Ref | None:
        """The other alias's field this test compares with, for a join."""
        value = self.leaf.value if isinstance(self.leaf, cond.Comparison) else None
        return value if isinstance(value, cond.Ref) else None


Conjunction = tuple[Test, ...]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A scoring rule, compiled."""

    id: str
    alternatives: tuple[Conjunction, ...]
    weights: tuple[int, ...]  # millionths per archetype, in the pack's archetype order
    #: The trait ids the condition reads, in order of first appearance.
    traits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One alias of a conflict rule, compiled; a pattern without a condition is `((),)`."""

    alias: str
    kind: str
    alternatives: tuple[Conjunction, ...]


@dataclass(frozen=True, slots=True)
class CompiledConflict:
    """A conflict rule, compiled: its patterns in the order aliases are bound."""

    id: str
    patterns: tuple[CompiledPattern, ...]

    @property
    def combinations(self) -> int:
        """How many conjunctions of one test set per alias the rule expands to."""
        count = 1
        for pattern in self.patterns:
            count *= len(pattern.alternatives)
        return count

    def expansions(self) -> itertools.product[tuple[Conjunction, ...]]:
        """Every choice of one alternative per alias, in pattern order."""
        return itertools.product(*(p.alternatives for p in self.patterns))


@dataclass(frozen=True, slots=True)
class CompiledForm:
    rules: tuple[CompiledRule, ...]
    conflicts: tuple[CompiledConflict, ...]
    #: Rules no backend can run (too many alternatives), located.
    problems: tuple[Problem, ...]


def compile_knowledge(kb: KnowledgeBase) -> CompiledForm:
    """Compile every scoring and conflict rule of a knowledge base."""
    problems: list[Problem] = []
    rules = []
    for rule in kb.rules:
        alternatives = disjunctive_form(rule.condition)
        columns = _columns(rule.condition)
        if len(alternatives) > MAX_ALTERNATIVES:
            where = kb.where(rule.pack, rule.origin)
            what = f"the condition of rule '{rule.id}' expands"
            problems.append(_too_complex(where, what, len(alternatives)))
        rules.append(
            CompiledRule(
                rule.id,
                tuple(
                    tuple(_test(leaf, "unit", kb.traits, columns) for leaf in conjunction)
                    for conjunction in alternatives
                ),
                tuple(micro(rule.spec.weights.get(a, 0.0)) for a in kb.archetypes),
                cond.traits_of(rule.condition),
            )
        )
    conflicts = []
    for conflict in kb.conflicts:
        compiled = CompiledConflict(
            conflict.id, tuple(_pattern(p, kb.traits, kb.settings) for p in conflict.patterns)
        )
        if compiled.combinations > MAX_ALTERNATIVES:
            where = kb.where(conflict.pack, conflict.origin)
            what = f"the patterns of conflict rule '{conflict.id}' expand"
            problems.append(_too_complex(where, what, compiled.combinations))
        conflicts.append(compiled)
    return CompiledForm(tuple(rules), tuple(conflicts), tuple(problems))


def _pattern(pattern: Pattern, traits: Mapping[str, Trait], settings: Settings) -> CompiledPattern:
    if pattern.condition is None:
        return CompiledPattern(pattern.alias, pattern.kind, ((),))
    condition = resolve(pattern.condition, settings)
    columns = _columns(condition)
    return CompiledPattern(
        pattern.alias,
        pattern.kind,
        tuple(
            tuple(_test(leaf, pattern.kind, traits, columns) for leaf in conjunction)
            for conjunction in disjunctive_form(condition)
        ),
    )


def _columns(condition: cond.Condition) -> dict[Leaf, int]:
    """Each leaf (as the normal form holds it, column 0) -> where it first stands in the text."""
    columns: dict[Leaf, int] = {}
    for leaf in cond.comparisons(condition):
        if isinstance(leaf, cond.Comparison | cond.Member):
            columns.setdefault(replace(leaf, column=0), leaf.column)
    return columns


def _too_complex(where: Location, what: str, count: int) -> Problem:
    return Problem(
        where,
        Message(
            "{what} to {count} alternatives; the engine takes at most {MAX_ALTERNATIVES}",
            what=what,
            count=count,
            MAX_ALTERNATIVES=MAX_ALTERNATIVES,
        ),
        Message("split it into several rules"),
    )


def _test(leaf: Leaf, kind: str, traits: Mapping[str, Trait], columns: Mapping[Leaf, int]) -> Test:
    column = columns.get(leaf, 0)
    if isinstance(leaf, cond.Member) or isinstance(leaf.value, cond.Ref):
        return Test(leaf, None, column)
    value = leaf.value
    assert not isinstance(value, cond.Param)  # resolved before compiling
    return Test(leaf, exact_value(kind, leaf.trait, value, traits), column)


def exact_value(kind: str, field: str, value: cond.Scalar, traits: Mapping[str, Trait]) -> Exact:
    """A literal or a fact's field value as every backend compares it: numbers in millionths."""
    if kind == "unit" and field not in UNIT_FIELDS:
        number = traits[field].type == "number"
    else:
        number = FACT_KINDS[kind][field].type == "number"
    if number and not isinstance(value, bool):
        assert isinstance(value, int | float)
        return to_millionths(value)
    assert not isinstance(value, float)  # a float is only ever a number field's value
    return value
