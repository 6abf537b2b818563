"""The vectorised backend: scoring rules, profiles, model scores and per-unit conflict checks
for a whole table of units at once, with numpy.

It reads the same validated rules as the engine and gives the same advice: conditions are the
same disjunctive normal form (an unobserved trait fails every comparison, negated or not),
numbers are compared as integer millionths, and profiles and scores use `scoring`'s exact
arithmetic, step for step. The test suite checks it against the durable-rules path on generated
units and generated packs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor.backends._matching import match_indexed
from modeadvisor.facts import FACT_KINDS, Fact, Firing
from modeadvisor.graph import ModelScores, avoided, recommended
from modeadvisor.knowledge import ConflictRule, KnowledgeBase, Trait
from modeadvisor.knowledge._compiled import Conjunction, Test
from modeadvisor.profile import Profiles
from modeadvisor.scoring import MICRO, to_millionths_array

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: Beyond this magnitude a float cannot hold every millionth: such numbers go through Decimal.
_EXACT_LIMIT = 2**52 / MICRO


@dataclass(frozen=True)
class Column:
    """One trait over all units: `values` (codes, millionths, 0/1) where `observed`."""

    values: IntArray
    observed: BoolArray


class UnitTable:
    """Units' typed trait values as columns, ready for vectorised evaluation."""

    size: int
    observed_count: IntArray
    columns: dict[str, Column]
    members: dict[tuple[str, str], BoolArray]
    in_use: BoolArray

    def __init__(
        self,
        kb: KnowledgeBase,
        values: Sequence[Mapping[str, cond.TraitValue]],
        in_use: Sequence[frozenset[str]] | None = None,
    ) -> None:
        """From typed values, unit by unit (an organisation's, a what-if's)."""
        columns: dict[str, Column] = {}
        members: dict[tuple[str, str], BoolArray] = {}
        for trait in kb.traits.values():
            raw = [v.get(trait.id) for v in values]
            observed = np.array([r is not None for r in raw], dtype=np.bool_)
            if trait.type == "set":
                for option in trait.values or ():
                    members[(trait.id, option)] = np.array(
                        [isinstance(r, frozenset) and option in r for r in raw], dtype=np.bool_
                    )
            columns[trait.id] = Column(encode_values(trait, raw), observed)
        models = list(kb.models)
        used = np.zeros((len(values), len(models)), dtype=np.bool_)
        for row, names in enumerate(in_use or ()):
            for model in names:
                used[row, models.index(model)] = True
        self._fill(kb, len(values), columns, members, used)
        self.observed_count = np.array([len(v) for v in values], dtype=np.int64)

    @classmethod
    def from_columns(
        cls,
        kb: KnowledgeBase,
        size: int,
        columns: Mapping[str, Column],
        members: Mapping[tuple[str, str], BoolArray],
        in_use: BoolArray,
    ) -> UnitTable:
        """From columns already encoded (a table's, by `modeadvisor.tables`); a trait without
        a column is observed for no unit."""
        table = cls.__new__(cls)
        table._fill(kb, size, columns, members, in_use)
        return table

    def _fill(
        self,
        kb: KnowledgeBase,
        size: int,
        columns: Mapping[str, Column],
        members: Mapping[tuple[str, str], BoolArray],
        in_use: BoolArray,
    ) -> None:
        self.size = size
        self.columns, self.members = {}, {}
        nowhere = np.zeros(size, dtype=np.bool_)
        for trait in kb.traits.values():
            column = columns.get(trait.id)
            if column is None:
                empty = encode_values(trait, [None])[0]
                column = Column(np.full(size, empty, dtype=np.int64), nowhere)
            self.columns[trait.id] = column
            for option in trait.values or () if trait.type == "set" else ():
                self.members[(trait.id, option)] = members.get((trait.id, option), nowhere)
        self.observed_count = np.zeros(size, dtype=np.int64)
        for column in self.columns.values():
            self.observed_count += column.observed
        self.in_use = in_use


def variants(
    kb: KnowledgeBase,
    base: Mapping[str, cond.TraitValue],
    changes: Sequence[Mapping[str, cond.TraitValue]],
    in_use: frozenset[str] = frozenset(),
) -> UnitTable:
    """A table of one unit changed in several ways: the base encoded once, then patched (the
    what-if search scores thousands of variants at a time)."""
    one = UnitTable(kb, [base], [in_use])
    size = len(changes)
    table = UnitTable.__new__(UnitTable)
    table.size = size
    table.columns = {
        name: Column(np.repeat(c.values, size), np.repeat(c.observed, size))
        for name, c in one.columns.items()
    }
    table.members = {key: np.repeat(m, size) for key, m in one.members.items()}
    table.in_use = np.repeat(one.in_use, size, axis=0)
    table.observed_count = np.full(size, len(base), dtype=np.int64)
    encoded: dict[tuple[str, cond.TraitValue], int] = {}
    for row, change in enumerate(changes):
        for name, value in change.items():
            trait = kb.traits[name]
            column = table.columns[name]
            if not column.observed[row]:
                table.observed_count[row] += 1
            column.observed[row] = True
            if trait.type == "set":
                assert isinstance(value, frozenset)
                for option in trait.values or ():
                    table.members[(name, option)][row] = option in value
                continue
            key = (name, value)
            if key not in encoded:
                encoded[key] = int(encode_values(trait, [value])[0])
            column.values[row] = encoded[key]
    return table


def encode_values(trait: Trait, raw: Sequence[cond.TraitValue | None]) -> IntArray:
    """Typed values (None where not observed) in the column's encoding: codes, millionths,
    0/1, whole numbers; 0 (-1 for a category) where not observed."""
    match trait.type:
        case "number":
            numbers = np.array(
                [0.0 if r is None else float(r) for r in raw],  # type: ignore[arg-type]
                dtype=np.float64,
            )
            return to_millionths_array(numbers)
        case "category":
            codes = {v: i for i, v in enumerate(trait.values or ())}
            return np.array(
                [codes.get(r, -1) if isinstance(r, str) else -1 for r in raw], dtype=np.int64
            )
        case "set":
            return np.zeros(len(raw), dtype=np.int64)
    return np.array([0 if r is None else int(r) for r in raw], dtype=np.int64)  # type: ignore[arg-type]


def _literal(trait: Trait, test: Test) -> int:
    """A test's exact literal in the column's encoding."""
    assert test.exact is not None
    if trait.type == "category":
        return list(trait.values or ()).index(str(test.exact))
    return int(test.exact)  # millionths, scale, and bool as 0/1


def _compare(values: IntArray, op: cond.Op, target: int) -> BoolArray:
    result: BoolArray = cond.COMPARE[op](values, target)
    return result


def rule_weights(kb: KnowledgeBase) -> IntArray:
    """Each scoring rule's weights in millionths: shape (rules, archetypes)."""
    return np.array([rule.weights for rule in kb.compiled.rules], dtype=np.int64).reshape(
        len(kb.rules), len(kb.archetypes)
    )


class Scorer:
    """A pack's scoring rules as vectorised tests over a UnitTable."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.rule_ids = [rule.id for rule in kb.compiled.rules]
        self.alternatives = [rule.alternatives for rule in kb.compiled.rules]
        self.weights = rule_weights(kb)

    def fired(self, table: UnitTable) -> BoolArray:
        """Which rules fire for which units: shape (units, rules)."""
        result = np.zeros((table.size, len(self.rule_ids)), dtype=np.bool_)
        cache: dict[Test, BoolArray] = {}
        for index, alternatives in enumerate(self.alternatives):
            fires = np.zeros(table.size, dtype=np.bool_)
            for conjunction in alternatives:
                holds = np.ones(table.size, dtype=np.bool_)
                for test in conjunction:
                    if test not in cache:
                        cache[test] = self._leaf(test, table)
                    holds &= cache[test]
                fires |= holds
            result[:, index] = fires
        return result

    def _leaf(self, test: Test, table: UnitTable) -> BoolArray:
        leaf = test.leaf
        column = table.columns[leaf.trait]
        if isinstance(leaf, cond.Member):
            member = table.members[(leaf.trait, leaf.value)]
            return column.observed & (member if leaf.present else ~member)
        trait = self.kb.traits[leaf.trait]
        return column.observed & _compare(column.values, leaf.op, _literal(trait, test))


class ConflictChecks:
    """Conflict rules about a single unit (one alias of kind `unit` or `fit`), vectorised.

    Rules that join several facts (or need facts a table has no data for) are left to the full
    assessment of the unit's organisation.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.rules = [rule for rule in kb.conflicts if self.checkable(rule)]
        self._compiled = {rule.id: rule for rule in kb.compiled.conflicts}

    @staticmethod
    def checkable(rule: ConflictRule) -> bool:
        if len(rule.patterns) != 1 or rule.patterns[0].kind not in ("unit", "fit"):
            return False
        condition = rule.patterns[0].condition
        return condition is None or not any(
            leaf.trait in ("uid", "parent") or isinstance(getattr(leaf, "value", None), cond.Ref)
            for leaf in cond.comparisons(condition)
        )

    def flags(self, table: UnitTable, found: Profiles, scores: ModelScores) -> dict[str, BoolArray]:
        """For each checkable rule: does it find a conflict for each unit."""
        result = {}
        fit_exists = found.ok[:, None] & (scores.reached | table.in_use)
        for rule in self.rules:
            pattern = self._compiled[rule.id].patterns[0]
            if pattern.kind == "unit":
                holds = self._holds(
                    pattern.alternatives,
                    lambda f: self._unit_field(f, table, found),
                    (table.size,),
                )
                result[rule.id] = holds
            else:
                holds = self._holds(
                    pattern.alternatives,
                    lambda f: self._fit_field(f, table, found, scores),
                    fit_exists.shape,
                )
                result[rule.id] = np.asarray((holds & fit_exists).any(axis=1), dtype=np.bool_)
        return result

    def _holds(
        self, alternatives: tuple[Conjunction, ...], field: Any, shape: tuple[int, ...]
    ) -> BoolArray:
        holds = np.zeros(shape, dtype=np.bool_)
        for conjunction in alternatives:
            part: BoolArray = np.ones(shape, dtype=np.bool_)
            for test in conjunction:
                part = np.logical_and(part, self._leaf(test, field, shape))
            holds |= part
        return holds

    def _leaf(self, test: Test, field: Any, shape: tuple[int, ...]) -> BoolArray:
        leaf = test.leaf
        values, observed, encode = field(leaf.trait)
        if isinstance(leaf, cond.Member):
            member = values[leaf.value]
            return np.broadcast_to(observed & (member if leaf.present else ~member), shape)
        target = encode(test)
        return np.broadcast_to(observed & _compare(values, leaf.op, target), shape)

    def _unit_field(self, name: str, table: UnitTable, found: Profiles) -> Any:
        archetypes = list(self.kb.archetypes)
        match name:
            case "status":
                return (
                    np.where(found.ok, 0, 1),
                    np.ones(table.size, np.bool_),
                    lambda test: ["ok", "insufficient_evidence"].index(test.exact),
                )
            case "dominant" | "secondary":
                codes = found.dominant if name == "dominant" else found.secondary
                return codes, codes >= 0, lambda test: archetypes.index(test.exact)
            case "mixed":
                return found.mixed.astype(np.int64), np.ones(table.size, np.bool_), _integer
        trait = self.kb.traits[name]
        column = table.columns[name]
        if trait.type == "set":
            members = {v: table.members[(name, v)] for v in trait.values or ()}
            return members, column.observed, None
        return column.values, column.observed, lambda test: _literal(trait, test)

    def _fit_field(self, name: str, table: UnitTable, found: Profiles, scores: ModelScores) -> Any:
        archetypes, models = list(self.kb.archetypes), list(self.kb.models)
        size, count = scores.micro.shape
        everywhere = np.ones((size, count), np.bool_)
        settings = self.kb.settings
        match name:
            case "dominant":
                return (
                    found.dominant[:, None],
                    found.dominant[:, None] >= 0,
                    lambda test: archetypes.index(test.exact),
                )
            case "model":
                return np.arange(count)[None, :], everywhere, lambda test: models.index(test.exact)
            case "model_kind":
                kinds = np.array(
                    [
                        FACT_KINDS["fit"]["model_kind"].values.index(self.kb.models[m].kind)
                        for m in models
                    ]
                )
                choices = FACT_KINDS["fit"]["model_kind"].values
                return kinds[None, :], everywhere, lambda test: choices.index(test.exact)
            case "score":
                return scores.micro, everywhere, _integer  # the literal is in millionths
            case "in_use":
                return table.in_use.astype(np.int64), everywhere, _integer
            case "recommended":
                flag = recommended(scores.micro, settings)
                return flag.astype(np.int64), everywhere, _integer
            case "avoid":
                flag = avoided(scores.micro, settings)
                return flag.astype(np.int64), everywhere, _integer
        raise KeyError(name)


def _integer(test: Test) -> int:
    """A number (in millionths) or a bool (0/1) literal as a column compares it."""
    assert isinstance(test.exact, int)  # bool is an int
    return int(test.exact)


class VectorisedBackend:
    """The `vectorised` backend: numpy columns for scoring, hash joins for conflict rules."""

    name: Final = "vectorised"

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self.scorer = Scorer(kb)

    def fired(self, values: Sequence[Mapping[str, cond.TraitValue]]) -> BoolArray:
        return self.scorer.fired(UnitTable(self._kb, values))

    def match(self, facts: Sequence[Fact], *, limit: int) -> list[Firing]:
        return match_indexed(self._kb.compiled.conflicts, facts, limit=limit)
