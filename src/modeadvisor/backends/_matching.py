"""The indexed matcher of conflict rules: equality joins answered by hash lookups.

It finds exactly the bindings `_reference.match_reference` finds (aliases bind distinct facts of
their kind; a missing field never matches; `conditions.evaluate` decides every test), in time
linear in the facts plus the bindings, where the reference takes the power of the fact count:

- facts are grouped by kind once; a test of one fact against a literal is decided once per
  distinct value of the field (`evaluate` on that value), so a literal filter costs one pass;
- each alias's condition is expanded to alternatives (conjunctions of tests); within one, the
  literal tests pick the candidates and the joins `field == other.field` against an alias bound
  earlier are answered by a hash index of those candidates on the joined fields, built once per
  assessment and only for the fields some join uses;
- a binding found by several alternatives of one alias is reported once.

A join through another comparison (`>`, `!=`: the loader refuses them, the engine crashes on
them) has no index: the candidates are scanned, which is still correct, only not linear.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

from modeadvisor import conditions as cond
from modeadvisor.conditions import Leaf
from modeadvisor.facts import Fact, Firing
from modeadvisor.knowledge import ConflictRule, Settings


class BindingLimitError(Exception):
    """A conflict rule binds more combinations of facts than the limit allows.

    Counting stops as soon as the limit is passed: `found` is the limit plus one, not the total.
    """

    def __init__(self, rule: ConflictRule, limit: int) -> None:
        super().__init__(f"conflict rule '{rule.id}' binds more than {limit:,} combinations")
        self.rule = rule
        self.limit = limit
        self.found = limit + 1


def match_indexed(
    rules: Sequence[ConflictRule],
    facts: Sequence[Fact],
    settings: Settings,
    *,
    limit: int | None = None,
) -> list[Firing]:
    """Every (rule, alias -> fact index) binding, in the reference's order.

    Raises BindingLimitError as soon as one rule passes `limit` bindings (None: no limit).
    """
    index = FactIndex(facts)
    firings: list[Firing] = []
    for rule in rules:
        start = len(firings)
        for bound in index.bindings(rule, settings):
            firings.append((rule.id, bound))
            if limit is not None and len(firings) - start > limit:
                raise BindingLimitError(rule, limit)
    return firings


def count_bindings(
    rules: Sequence[ConflictRule], facts: Sequence[Fact], settings: Settings, *, limit: int
) -> dict[str, int]:
    """How many bindings each rule makes, without keeping them; raises BindingLimitError as soon
    as one rule passes `limit`. What runs before an engine that cannot be stopped midway."""
    index = FactIndex(facts)
    counts: dict[str, int] = {}
    for rule in rules:
        count = 0
        for _ in index.bindings(rule, settings):
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


def plan(rule: ConflictRule, settings: Settings) -> tuple[_Step, ...]:
    """Each alias in binding order with its condition's alternatives, settings resolved."""
    steps = []
    earlier: set[str] = set()
    for pattern in rule.patterns:
        if pattern.condition is None:
            conjunctions: list[tuple[Leaf, ...]] = [()]
        else:
            conjunctions = cond.disjunctive_form(cond.resolve(pattern.condition, settings))
            if len(conjunctions) > cond.MAX_ALTERNATIVES:  # then the expansion stopped early
                raise ValueError(
                    f"conflict rule '{rule.id}': the condition of '{pattern.alias}' expands to "
                    f"more than {cond.MAX_ALTERNATIVES} alternatives (the pack check refuses it)"
                )
        alternatives = []
        for conjunction in conjunctions:
            alternative = _split(conjunction, earlier)
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


class FactIndex:
    """The facts of one assessment, grouped by kind, with filters and join indexes built lazily
    and kept for every rule after the first that asks for them."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.facts = facts
        self.by_kind: dict[str, list[int]] = {}
        for index, fact in enumerate(facts):
            self.by_kind.setdefault(str(fact["kind"]), []).append(index)
        self._columns: dict[tuple[str, str], dict[object, tuple[Any, list[int]]]] = {}
        self._passing: dict[tuple[str, _LeafKey], list[int]] = {}
        self._passing_sets: dict[tuple[str, _LeafKey], frozenset[int]] = {}
        self._filtered: dict[tuple[str, tuple[_LeafKey, ...]], list[int]] = {}
        self._joins: dict[tuple[str, tuple[_LeafKey, ...], tuple[str, ...]], _Table] = {}

    def bindings(self, rule: ConflictRule, settings: Settings) -> Iterator[dict[str, int]]:
        """Every binding of the rule: alias -> fact index, in the order of the reference."""
        steps = plan(rule, settings)
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
            if not literal:
                found = self.by_kind.get(kind, [])
            else:  # the most selective test first, the others as sets
                first, *more = sorted(literal, key=lambda leaf: len(self._passing_leaf(kind, leaf)))
                sets = [self._passing_set(kind, leaf) for leaf in more]
                found = [i for i in self._passing_leaf(kind, first) if all(i in s for s in sets)]
            self._filtered[key] = found
        return found

    def _passing_leaf(self, kind: str, leaf: Leaf) -> list[int]:
        """The facts of `kind` that pass one literal test: `evaluate` once per distinct value."""
        key = (kind, _key(leaf))
        found = self._passing.get(key)
        if found is None:
            runs = [
                indexes
                for value, indexes in self._column(kind, leaf.trait).values()
                if cond.evaluate(leaf, {} if value is _MISSING else {leaf.trait: value})
            ]
            found = runs[0] if len(runs) == 1 else sorted(chain.from_iterable(runs))
            self._passing[key] = found
        return found

    def _passing_set(self, kind: str, leaf: Leaf) -> frozenset[int]:
        key = (kind, _key(leaf))
        found = self._passing_sets.get(key)
        if found is None:
            found = self._passing_sets[key] = frozenset(self._passing_leaf(kind, leaf))
        return found

    def _column(self, kind: str, name: str) -> dict[object, tuple[Any, list[int]]]:
        """The facts of `kind` grouped by their value of one field (absent: `_MISSING`): each
        group's value and its facts' indexes."""
        key = (kind, name)
        groups = self._columns.get(key)
        if groups is None:
            groups = {}
            facts = self.facts
            for index in self.by_kind.get(kind, []):
                value = facts[index].get(name, _MISSING)
                exact = value if value.__class__ is str or value is _MISSING else _value_key(value)
                group = groups.get(exact)
                if group is None:
                    group = groups[exact] = (value, [])
                group[1].append(index)
            self._columns[key] = groups
        return groups

    def _join_index(self, kind: str, literal: Sequence[Leaf], fields: tuple[str, ...]) -> _Table:
        """The facts passing `literal`, by their values of `fields` (those lacking one left out):
        under the key `==` would equate, then grouped by exact values for `evaluate`."""
        key = (kind, tuple(_key(leaf) for leaf in literal), fields)
        table = self._joins.get(key)
        if table is None:
            table = {}
            facts = self.facts
            for index in self.filtered(kind, literal):
                fact = facts[index]
                values = tuple([fact.get(name, _MISSING) for name in fields])
                if all(v.__class__ is str for v in values):  # the common case: its own key
                    joined: tuple[object, ...] = values
                    exact: tuple[object, ...] = values
                elif any(v is _MISSING or isinstance(v, frozenset) for v in values):
                    continue
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
