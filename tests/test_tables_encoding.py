"""The column encoder gives every cell exactly what the one cell parser gives it.

`tables._encoding` reads a column at once: dictionary-encoded, each distinct cell parsed once,
and plain numbers converted as arrays. These tests compare it, cell for cell, with
`_cells.cell_value` followed by the typed values' encoding (`encode_values`): the same code,
the same observed flag, the same set members, the same message in the same row - for Arrow
columns of every type a reader can give, and for Python lists.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import KnowledgeBase
from modeadvisor._cells import cell_value
from modeadvisor.backends._vectorised import UnitTable, encode_values
from modeadvisor.knowledge import Trait
from modeadvisor.tables._encoding import (
    PYTHON_SPACE,
    Encoder,
    TraitColumn,
    fast_numbers,
    text_of,
    unit_ids,
)

HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
Reading = tuple[list[int], list[bool], dict[str, list[bool]], list[tuple[int, str]]]


def _reference(trait: Trait, cells: list[Any]) -> Reading:
    """Each cell through the one cell parser, then the typed values' encoding."""
    parsed = [cell_value(trait, cell) for cell in cells]
    typed = [value for value, _ in parsed]
    options = trait.values or () if trait.type == "set" else ()
    return (
        encode_values(trait, typed).tolist(),
        [value is not None for value in typed],
        {o: [isinstance(v, frozenset) and o in v for v in typed] for o in options},
        [(row, f"column '{trait.id}': {p}") for row, (_, p) in enumerate(parsed) if p],
    )


def _encoded(column: TraitColumn, cells: Any) -> Reading:
    found, members, rows, which, entries = column.encode(cells)
    return (
        found.values.tolist(),
        found.observed.tolist(),
        {option: flags.tolist() for (_, option), flags in members.items()},
        [(int(r), entries.messages[int(w)][0]) for r, w in zip(rows, which, strict=True)],
    )


# --- cells as people and programs write them ----------------------------------------------

_SPACE = st.sampled_from(["", " ", "\t", "\xa0", "\u3000"])
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=13)


@st.composite
def _number_text(draw: st.DrawFn) -> str:
    whole = draw(_DIGITS)
    decimals = draw(st.one_of(st.none(), st.text(alphabet="0123456789", max_size=8)))
    text = draw(st.sampled_from(["", "+", "-"])) + whole
    if decimals is not None:
        text += draw(st.sampled_from([".", ","])) + decimals
    if draw(st.booleans()) and draw(st.booleans()):
        text += draw(st.sampled_from(["e", "E"])) + draw(st.sampled_from(["", "-", "+"]))
        text += draw(st.text(alphabet="0123", min_size=1, max_size=3))
    return text


_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-2e9, 2e9),
    st.decimals(-1e10, 1e10, places=6).map(float),
    st.decimals(-200, 200, places=2).map(float),
    st.sampled_from([0.1 + 0.2, 1e-7, 5e-7, 0.0000005, -0.0, 999_999_999.999999, 1e9, 4.5e9]),
)
_WORDS = st.sampled_from(
    [*"0123456789", "true", "False", "KYLLÄ", "ei", "k", "yes", "maybe", "4,0", "4.", ".5",
     "4.50", "nan", "inf", "-inf", "1e3", "1_000", "٣", "low_price", "public", "private", "cost",
     "loyalty;cost", "loyalty|novelty", "cost ; cost", ";", "", "  "]
)  # fmt: skip


def _texts(trait: Trait) -> st.SearchStrategy[str]:
    values = st.sampled_from(list(trait.values)) if trait.values else st.nothing()
    sets = st.lists(values, max_size=3).map(";".join) if trait.values else st.nothing()
    padded = st.tuples(_SPACE, st.one_of(_number_text(), _WORDS, values, sets), _SPACE)
    return padded.map("".join)


def _typed(trait: Trait) -> st.SearchStrategy[Any]:
    values = st.sampled_from(list(trait.values)) if trait.values else st.just("x")
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**13), 10**13),
        st.integers(-3, 8),
        _FLOATS,
        values,
        st.lists(values, max_size=3),
    )


def _traits(kb: KnowledgeBase) -> st.SearchStrategy[Trait]:
    """Every trait of a pack, and its number traits with no bounds or with odd ones."""
    numbers = [t for t in kb.traits.values() if t.type == "number"]
    changed = [
        t.model_copy(update=bounds)
        for t in numbers
        for bounds in ({"min": None, "max": None}, {"min": -5.5, "max": 2e9}, {"min": 1e9})
    ]
    return st.sampled_from(sorted(kb.traits.values(), key=lambda t: t.id) + changed)


# --- Python lists and Arrow columns of every kind ------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_a_python_column_reads_as_cell_value_reads_each_cell(
    shipped_kb: KnowledgeBase, mini_kb: KnowledgeBase, data: st.DataObject
) -> None:
    trait = data.draw(_traits(data.draw(st.sampled_from([shipped_kb, mini_kb]))))
    cells = data.draw(st.lists(st.one_of(_texts(trait), _typed(trait)), max_size=40))
    column = TraitColumn(trait)
    assert _encoded(column, cells) == _reference(trait, cells)
    again = data.draw(st.lists(st.one_of(_texts(trait), _typed(trait)), max_size=40))
    assert _encoded(column, again) == _reference(trait, again)  # remembered cells too


def _arrow_text(pa: Any, cells: list[str | None], kind: str) -> Any:
    array = pa.array(cells, pa.string())
    if kind == "dictionary":
        return array.dictionary_encode()
    if kind == "large":
        return array.cast(pa.large_string())
    if kind == "view":
        return array.cast(pa.string_view())
    if kind == "chunked":
        return pa.chunked_array([array.slice(0, len(array) // 2), array.slice(len(array) // 2)])
    return array


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_an_arrow_text_column_reads_as_cell_value_reads_each_cell(
    shipped_kb: KnowledgeBase, mini_kb: KnowledgeBase, data: st.DataObject
) -> None:
    pa = pytest.importorskip("pyarrow")
    trait = data.draw(_traits(data.draw(st.sampled_from([shipped_kb, mini_kb]))))
    # up to 120 cells: a number column with 32 distinct ones or more takes the array path
    size = data.draw(st.integers(0, 120))
    cells = data.draw(st.lists(st.one_of(st.none(), _texts(trait)), min_size=size, max_size=size))
    kind = data.draw(st.sampled_from(["string", "dictionary", "large", "view", "chunked"]))
    column = TraitColumn(trait)
    assert _encoded(column, _arrow_text(pa, cells, kind)) == _reference(trait, cells)


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_an_arrow_typed_column_reads_as_cell_value_reads_each_cell(
    shipped_kb: KnowledgeBase, data: st.DataObject
) -> None:
    pa = pytest.importorskip("pyarrow")
    trait = data.draw(_traits(shipped_kb))
    kind, values = data.draw(
        st.sampled_from(
            [
                (pa.int64(), st.integers(-(10**12), 10**12)),
                (pa.int8(), st.integers(-128, 127)),
                (pa.uint64(), st.integers(0, 2**64 - 1)),
                (pa.float64(), _FLOATS),
                (pa.float32(), st.floats(-1e6, 1e6, width=32)),
                (pa.bool_(), st.booleans()),
                (pa.list_(pa.string()), st.lists(st.sampled_from(["low_price", "x", "cost"]))),
            ]
        )
    )
    cells = data.draw(st.lists(st.one_of(st.none(), values), max_size=100))
    array = pa.array(cells, kind)
    expected = _reference(trait, array.to_pylist())  # what a reader of rows would get
    assert _encoded(TraitColumn(trait), array) == expected


# --- the array path for numbers, on its own -------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_numbers_converted_as_arrays_are_what_cell_value_makes_of_them(
    shipped_kb: KnowledgeBase, data: st.DataObject
) -> None:
    pa = pytest.importorskip("pyarrow")
    base = shipped_kb.traits["project_work_share"]
    trait = data.draw(
        st.sampled_from(
            [
                base,
                base.model_copy(update={"min": None, "max": None}),
                base.model_copy(update={"min": -1e9, "max": 1e9}),
            ]
        )
    )
    texts = data.draw(st.lists(_number_text(), min_size=1, max_size=50))
    floats = data.draw(st.lists(_FLOATS, min_size=1, max_size=50))
    for distinct in (pa.array(texts), pa.array(floats, pa.float64())):
        found = fast_numbers(trait, distinct)
        assert found is not None
        ok, millionths = found
        for cell, taken, code in zip(distinct.to_pylist(), ok, millionths, strict=True):
            if taken:  # only where cell_value keeps this very number, unrounded
                value, problem = cell_value(trait, cell)
                assert problem is None, cell
                assert value is not None, cell
                assert code == encode_values(trait, [value])[0], cell


def test_plain_numbers_take_the_array_path_and_others_do_not(shipped_kb: KnowledgeBase) -> None:
    pa = pytest.importorskip("pyarrow")
    trait = shipped_kb.traits["project_work_share"].model_copy(update={"min": None, "max": None})
    texts = ["12", "12,5", "-0.000001", "999999999.999999", "0.1234567", "1e3", " 4", "4.", "1e9"]
    found = fast_numbers(trait, pa.array(texts))
    assert found is not None
    assert found[0].tolist() == [True, True, True, True, False, False, False, False, False]
    assert found[1][:4].tolist() == [12_000_000, 12_500_000, -1, 999_999_999_999_999]
    floats = fast_numbers(trait, pa.array([0.1 + 0.2, 0.3, math.inf, 12.5]))
    assert floats is not None
    assert floats[0].tolist() == [False, True, False, True]


# --- ids, the whole batch ------------------------------------------------------------------


def test_python_whitespace_is_the_class_arrow_trims_ids_by() -> None:
    assert "".join(c for c in map(chr, range(0x110000)) if c.isspace()) == PYTHON_SPACE


@settings(max_examples=200, deadline=None, suppress_health_check=HEALTH)
@given(ids=st.lists(st.one_of(st.none(), st.text(max_size=6), _SPACE.map(lambda s: s + "a"))))
def test_ids_are_trimmed_as_python_trims_them(ids: list[str | None]) -> None:
    pa = pytest.importorskip("pyarrow")
    expected = [text_of(cell) for cell in ids]
    arrow_ids, empty = unit_ids(pa.array(ids, pa.string()))
    assert arrow_ids.to_pylist() == expected
    assert empty.tolist() == [not text for text in expected]
    python_ids, python_empty = unit_ids(ids)
    assert python_ids == expected
    assert python_empty.tolist() == empty.tolist()


def test_a_batch_encodes_as_the_typed_units_do(shipped_kb: KnowledgeBase) -> None:
    """UnitTable.from_columns of encoded cells equals UnitTable of the typed values."""
    rows = [
        {"unit": "a", "cost_focus": "4,0", "sector": "public", "customer_value_basis": "low_price"},
        {"unit": "b", "risk_taking_accepted": "kyllä", "project_work_share": "12,5"},
        {"unit": "c", "models_in_use": "balanced_scorecard"},
    ]
    names = ["unit", "cost_focus", "sector", "customer_value_basis", "risk_taking_accepted"]
    names += ["project_work_share", "models_in_use"]
    cells = {c: [row.get(n) for row in rows] for c, n in enumerate(names, start=1)}
    encoded = Encoder(shipped_kb, dict(enumerate(names, start=1))).encode(3, cells)
    typed = [
        {
            n: value
            for n in names[1:-1]
            if (value := cell_value(shipped_kb.traits[n], row.get(n))[0]) is not None
        }
        for row in rows
    ]
    expected = UnitTable(
        shipped_kb, typed, [frozenset(), frozenset(), frozenset({"balanced_scorecard"})]
    )
    assert encoded.ids == ["a", "b", "c"]
    assert encoded.problems.count == 0
    assert encoded.units.size == expected.size
    assert encoded.units.observed_count.tolist() == expected.observed_count.tolist()
    assert np.array_equal(encoded.units.in_use, expected.in_use)
    for name, column in expected.columns.items():
        assert encoded.units.columns[name].values.tolist() == column.values.tolist(), name
        assert encoded.units.columns[name].observed.tolist() == column.observed.tolist(), name
    for key, members in expected.members.items():
        assert encoded.units.members[key].tolist() == members.tolist(), key


def test_remembered_cells_keep_zero_and_minus_zero_apart(shipped_kb: KnowledgeBase) -> None:
    trait = shipped_kb.traits["project_work_share"].model_copy(update={"min": 1.0})
    column = TraitColumn(trait)
    for cells in ([0.0], [-0.0], [0.0, -0.0, 1, 1.0, True]):
        assert _encoded(column, cells) == _reference(trait, cells)
