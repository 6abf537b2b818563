"""The indexed matcher of conflict rules: equality joins answered by hash lookups.

It reads the rules' compiled form (`KnowledgeBase.compiled.conflicts`: each alias's condition as
alternatives of tests, settings resolved) and finds exactly the bindings
`_reference.match_reference` finds (aliases bind distinct facts of their kind; a missing field
never matches; `conditions.evaluate` decides every test), in time linear in the facts plus the
bindings, where the reference takes the power of the fact count:

- facts are grouped by kind once, and each field a test reads is read once per kind: its values
  coded by distinct value, so a test of one fact against a literal is decided once per distinct
  value (`evaluate` on that value) and a conjunction of them is a few array operations;
- within one alternative, the literal tests pick the candidates and the joins
  `field == other.field` against an alias bound earlier are answered by a hash index of those
  candidates on the joined fields, built once per assessment and only for the fields some join
  uses;
- a binding found by several alternatives of one alias is reported once.

A join through another comparison (`>`, `!=`: the loader refuses them, the engine crashes on
them) has no index: the candidates are scanned, which is still correct, only not linear.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor.conditions import Leaf
from modeadvisor.facts import Fact, Firing
from modeadvisor.knowledge._compiled import CompiledConflict

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class BindingLimitError(Exception):
    """A conflict rule binds more combinations of facts than the limit allows.

    Counting stops as soon as the limit is passed: `found` is the limit plus one, not the total.
    """

    def __init__(self, rule: CompiledConflict, limit: int) -> None:
        super().__init__(f"conflict rule '{rule.id}' binds more than {limit:,} combinations")
        self.rule = rule
        self.limit = limit
        self.found = limit + 1


def match_indexed(
    rules: Sequence[CompiledConflict], facts: Sequence[Fact], *, limit: int | None = None
) -> list[Firing]:
    """Every (rule, alias -> fact index) binding, in the reference's order.

    Raises BindingLimitError as soon as one rule passes `limit` bindings (None: no limit).
    """
    index = FactIndex(facts)
    firings: list[Firing] = []
    for rule in rules:
        start = len(firings)
        for bound in index.bindings(rule):
            firings.append((rule.id, bound))
            if limit is not None and len(firings) - start > limit:
                raise BindingLimitError(rule, limit)
    return firings


def count_bindings(
    rules: Sequence[CompiledConflict], facts: Sequence[Fact], *, limit: int
) -> dict[str, int]:
    """How many bindings each rule makes, without keeping them; raises BindingLimitError as soon
    as one rule passes `limit`. What runs before an engine that cannot be stopped midway."""
    index = FactIndex(facts)
    counts: dict[str, int] = {}
    for rule in rules:
        count = 0
        for _ in index.bindings(rule):
            count += 1
            if count > limit:
                raise BindingLimitError(rule, limit)
        counts[rule.id] = count
    return counts


# --- the plan of one rule ----------------------------------------------------------------------

#: A test as a dictionary key: equal leaves compare equal, but `x == 1` and `x == true` must not
#: (1 == True in Python, and not in the rule language).
_LeafKey = tuple[Leaf, type]


def _key(leaf: Leaf) -> _LeafKey:
    return leaf, type(leaf.value)


@dataclass(frozen=True, slots=True)
class _Alternative:
    """One conjunction of an alias's condition, split by what answers each test."""

    literal: tuple[Leaf, ...]  # against a value: they choose the candidates
    joins: tuple[cond.Comparison, ...]  # `field == alias.field` on an earlier alias: the index
    rest: tuple[Leaf, ...]  # other comparisons with another fact: checked one by one

    @property
    def refs(self) -> tuple[tuple[str, str], ...]:
        """The other side of each join: (alias, field)."""
        return tuple(
            (r.alias, r.field)
            for r in (leaf.value for leaf in self.joins)
            if isinstance(r, cond.Ref)
        )


@dataclass(frozen=True, slots=True)
class _Step:
    alias: str
    kind: str
    alternatives: tuple[_Alternative, ...]


def plan(rule: CompiledConflict) -> tuple[_Step, ...]:
    """Each alias in binding order with its compiled condition's alternatives, sorted by what
    answers each test."""
    steps = []
    earlier: set[str] = set()
    for pattern in rule.patterns:
        if len(pattern.alternatives) > cond.MAX_ALTERNATIVES:  # the expansion stopped early
            raise ValueError(
                f"conflict rule '{rule.id}': the condition of '{pattern.alias}' expands to "
                f"more than {cond.MAX_ALTERNATIVES} alternatives (the pack check refuses it)"
            )
        alternatives = []
        for conjunction in pattern.alternatives:
            alternative = _split(tuple(test.leaf for test in conjunction), earlier)
            if alternative is not None:
                alternatives.append(alternative)
        steps.append(_Step(pattern.alias, pattern.kind, tuple(alternatives)))
        earlier.add(pattern.alias)
    return tuple(steps)


def _split(conjunction: tuple[Leaf, ...], earlier: set[str]) -> _Alternative | None:
    """Sort the tests of one conjunction; None when it can never hold."""
    literal: list[Leaf] = []
    joins: list[cond.Comparison] = []
    rest: list[Leaf] = []
    for leaf in conjunction:
        ref = leaf.value if isinstance(leaf, cond.Comparison) else None
        if not isinstance(ref, cond.Ref):
            literal.append(leaf)
        elif ref.alias not in earlier:
            return None  # `evaluate` finds no such fact bound: the test is false
        elif isinstance(leaf, cond.Comparison) and leaf.op == "==":
            joins.append(leaf)
        else:
            rest.append(leaf)
    return _Alternative(tuple(literal), tuple(joins), tuple(rest))


# --- the facts of one assessment, indexed on demand ---------------------------------------------

_MISSING = object()


def _value_key(value: object) -> object:
    """Groups values that every test treats alike: the same type and the same value (a string
    is its own key, the common case: it equals no key of another type)."""
    return value if value.__class__ is str else (type(value), value)


def _join_key(value: object) -> object:
    """A key under which values equal by the rule language's `==` meet (1 and 1.0 do; 1 and
    true, or 1 and "1", do not). Only narrows the candidates: `evaluate` decides each join."""
    if value.__class__ is str:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return type(value), value


@dataclass(frozen=True, slots=True)
class _Column:
    """One field over the facts of one kind: a code per fact, in their order, naming its group
    of values that every test treats alike (`_MISSING` where the field is absent)."""

    distinct: list[Any]  # one value per code
    codes: IntArray


#: Types whose values can be equal across types (1 == 1.0 == True) and still differ in the rule
#: language: a column holding more than one of them is grouped by (type, value).
_NUMERIC = frozenset({bool, int, float})


class FactIndex:
    """The facts of one assessment, grouped by kind, with columns, filters and join indexes
    built lazily and kept for every rule after the first that asks for them."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.facts = facts
        by_kind: dict[str, list[int]] = {}
        for index, fact in enumerate(facts):
            kind = fact["kind"]
            found = by_kind.get(kind)  # type: ignore[arg-type]
            if found is None:
                found = by_kind[str(kind)] = []
            found.append(index)
        self.by_kind = by_kind
        self._indexes = {kind: np.array(found, dtype=np.int64) for kind, found in by_kind.items()}
        self._of_kind = {kind: [facts[i] for i in found] for kind, found in by_kind.items()}
        self._columns: dict[tuple[str, str], _Column] = {}
        self._masks: dict[tuple[str, _LeafKey], BoolArray] = {}
        self._filtered: dict[tuple[str, tuple[_LeafKey, ...]], list[int]] = {}
        self._joins: dict[tuple[str, tuple[_LeafKey, ...], tuple[str, ...]], _Table] = {}

    def bindings(self, rule: CompiledConflict) -> Iterator[dict[str, int]]:
        """Every binding of the rule: alias -> fact index, in the order of the reference."""
        steps = plan(rule)
        if all(step.alternatives for step in steps):
            sources = [
                (step.alias, [self._source(step.kind, alt) for alt in step.alternatives])
                for step in steps
            ]
            yield from self._extend(sources, 0, {})

    def _extend(
        self,
        sources: Sequence[tuple[str, Sequence[_Source]]],
        level: int,
        bound: dict[str, int],
    ) -> Iterator[dict[str, int]]:
        alias, alternatives = sources[level]
        if len(alternatives) == 1:
            found: Iterable[int] = self._candidates(alternatives[0], bound)
        else:  # one fact matching two alternatives binds once
            found = sorted(
                set(chain.from_iterable(self._candidates(a, bound) for a in alternatives))
            )
        taken = tuple(bound.values())
        last = level == len(sources) - 1
        for index in found:
            if index in taken:
                continue
            bound[alias] = index
            if last:
                yield dict(bound)
            else:
                yield from self._extend(sources, level + 1, bound)
            del bound[alias]

    def _source(self, kind: str, alternative: _Alternative) -> _Source:
        source = _Source(
            refs=alternative.refs,
            fields=tuple(leaf.trait for leaf in alternative.joins),
            joins=_conjunction(alternative.joins),
            rest=_conjunction(alternative.rest),
        )
        if alternative.joins:
            source.table = self._join_index(kind, alternative.literal, source.fields)
        else:
            source.found = self.filtered(kind, alternative.literal)
        return source

    def _candidates(self, source: _Source, bound: Mapping[str, int]) -> list[int]:
        """The facts one alternative admits, given the facts bound to earlier aliases."""
        facts = self.facts
        if source.table is None:
            found = source.found
        else:
            wanted = []
            for alias, name in source.refs:
                value = facts[bound[alias]].get(name, _MISSING)
                if value is _MISSING or isinstance(value, frozenset):
                    return []  # `evaluate`: a join on a missing field or a set is false
                wanted.append(value)
            groups = source.table.get(tuple(_join_key(v) for v in wanted))
            if not groups:
                return []
            runs = [
                indexes
                for values, indexes in groups.values()
                if source.holds(tuple(wanted), values)
            ]
            found = runs[0] if len(runs) == 1 else sorted(chain.from_iterable(runs))
        if source.rest is None:
            return found
        others = {alias: facts[index] for alias, index in bound.items()}
        return [index for index in found if cond.evaluate(source.rest, facts[index], others)]

    def filtered(self, kind: str, literal: Sequence[Leaf]) -> list[int]:
        """The facts of `kind` (indexes, in order) that pass every literal test."""
        key = (kind, tuple(_key(leaf) for leaf in literal))
        found = self._filtered.get(key)
        if found is None:
            found = self._indexes_of(kind, self._passing(kind, literal)).tolist()
            self._filtered[key] = found
        return found

    def _indexes_of(self, kind: str, passing: BoolArray | None) -> IntArray:
        """The indexes of the facts of `kind` where `passing` (None: every one)."""
        indexes = self._indexes.get(kind, np.zeros(0, dtype=np.int64))
        return indexes if passing is None else indexes[passing]

    def _passing(self, kind: str, literal: Sequence[Leaf]) -> BoolArray | None:
        """Which facts of `kind` pass every literal test (None: no test, every fact)."""
        passing: BoolArray | None = None
        for leaf in literal:
            mask = self._mask(kind, leaf)
            passing = mask if passing is None else passing & mask
        return passing

    def _mask(self, kind: str, leaf: Leaf) -> BoolArray:
        """Which facts of `kind` pass one literal test: `evaluate` once per distinct value."""
        key = (kind, _key(leaf))
        mask = self._masks.get(key)
        if mask is None:
            column = self._column(kind, leaf.trait)
            verdicts = np.array(
                [
                    cond.evaluate(leaf, {} if value is _MISSING else {leaf.trait: value})
                    for value in column.distinct
                ],
                dtype=np.bool_,
            )
            mask = self._masks[key] = verdicts[column.codes]
        return mask

    def _column(self, kind: str, name: str) -> _Column:
        """One field of the facts of `kind`, read once."""
        key = (kind, name)
        column = self._columns.get(key)
        if column is None:
            values = _field(self._of_kind.get(kind, []), name)
            if len(set(map(type, values)) & _NUMERIC) > 1:  # 1, 1.0 and true apart
                keys = [_value_key(value) for value in values]
                unique = dict.fromkeys(keys)
                distinct = [k if k.__class__ is str else k[1] for k in unique]  # type: ignore[index]
            else:
                keys = values
                unique = dict.fromkeys(keys)
                distinct = list(unique)
            code = {k: i for i, k in enumerate(unique)}
            codes = np.fromiter(map(code.__getitem__, keys), dtype=np.int64, count=len(keys))
            column = self._columns[key] = _Column(distinct, codes)
        return column

    def _join_index(self, kind: str, literal: Sequence[Leaf], fields: tuple[str, ...]) -> _Table:
        """The facts passing `literal`, by their values of `fields` (those lacking one left out):
        under the key `==` would equate, then grouped by exact values for `evaluate`."""
        key = (kind, tuple(_key(leaf) for leaf in literal), fields)
        table = self._joins.get(key)
        if table is None:
            table = {}
            facts = self.facts
            indexes = self.filtered(kind, literal)
            columns = [_field([facts[index] for index in indexes], name) for name in fields]
            text = set(map(type, chain.from_iterable(columns))) <= {str, object}  # or missing
            rows = zip(*columns, strict=True)
            for index, values in zip(indexes, rows, strict=True):
                if _MISSING in values or (
                    not text and any(isinstance(v, frozenset) for v in values)
                ):
                    continue
                if text:  # the common case: a string is its own key
                    joined: tuple[object, ...] = values
                    exact: tuple[object, ...] = values
                else:
                    joined = tuple(_join_key(v) for v in values)
                    exact = tuple(_value_key(v) for v in values)
                groups = table.get(joined)
                if groups is None:
                    groups = table[joined] = {}
                group = groups.get(exact)
                if group is None:
                    group = groups[exact] = (values, [])
                group[1].append(index)
            self._joins[key] = table
        return table


def _field(facts: Sequence[Fact], name: str) -> list[Any]:
    """Each fact's value of one field (`_MISSING` where it has none), in order."""
    try:
        return list(map(itemgetter(name), facts))  # the common case: every fact has it
    except KeyError:
        return [fact.get(name, _MISSING) for fact in facts]


#: A join index: `==` key of the joined values -> exact values -> (those values, fact indexes).
_Table = dict[tuple[object, ...], dict[tuple[object, ...], tuple[tuple[Any, ...], list[int]]]]


def _conjunction(leaves: Sequence[Leaf]) -> cond.Condition | None:
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else cond.All(tuple(leaves))


@dataclass(slots=True)
class _Source:
    """Where one alternative of one alias finds its candidates, its indexes resolved."""

    refs: tuple[tuple[str, str], ...]  # the other side of each join: (alias, field)
    fields: tuple[str, ...]  # this side of each join
    joins: cond.Condition | None
    rest: cond.Condition | None
    table: _Table | None = None  # with joins: the index they are answered from
    found: list[int] = field(default_factory=list)  # without joins: every fact passing
    verdicts: dict[tuple[object, ...], bool] = field(default_factory=dict)

    def holds(self, wanted: tuple[Any, ...], values: tuple[Any, ...]) -> bool:
        """Whether the joins hold between these values: `evaluate`, once per distinct pair."""
        key = (*map(_value_key, wanted), *map(_value_key, values))
        verdict = self.verdicts.get(key)
        if verdict is None:
            assert self.joins is not None
            others: dict[str, dict[str, Any]] = {}
            for (alias, name), value in zip(self.refs, wanted, strict=True):
                others.setdefault(alias, {})[name] = value
            mine = dict(zip(self.fields, values, strict=True))
            verdict = self.verdicts[key] = cond.evaluate(self.joins, mine, others)
        return verdict
