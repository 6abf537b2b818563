"""One cell parser: a written value reads back the same, and every table reader agrees."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import KnowledgeBase, OrganisationError
from modeadvisor._cells import (
    DELIMITERS,
    FALSE_WORDS,
    TRUE_WORDS,
    ProblemCollector,
    cell_value,
    document_value,
    sniff_delimiter,
    split_set,
    whole_number,
)
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import ModeAdvisorError
from modeadvisor.knowledge import Trait
from modeadvisor.survey import SurveyError, SurveyResult, read_survey
from modeadvisor.tables import Table, read_table

from .strategies import trait_value

HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def _typed(trait: Trait) -> st.SearchStrategy[TraitValue]:
    """Values as the parser gives them: numbers to the millionth, sets as frozensets."""
    match trait.type:
        case "set":
            return st.lists(st.sampled_from(trait.values or ()), min_size=1, unique=True).map(
                frozenset
            )
        case "number":
            low = round((trait.min if trait.min is not None else -1e6) * 10**6)
            high = round((trait.max if trait.max is not None else 1e6) * 10**6)
            return st.integers(low, high).map(_millionths)
    return trait_value(trait)


def _millionths(count: int) -> int | float:
    value = round(count / 10**6, 6)
    return int(value) if value.is_integer() else value


def _padded(text: str) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", " ", "  "]), st.sampled_from(["", " ", "\t"])).map(
        lambda pad: pad[0] + text + pad[1]
    )


def _spellings(trait: Trait, value: TraitValue) -> st.SearchStrategy[str]:
    """The ways a table may hold a value: Finnish and English, decimal comma or point."""
    match trait.type:
        case "bool":
            words = sorted(TRUE_WORDS if value else FALSE_WORDS)
            cases: list[Callable[[str], str]] = [str.lower, str.upper, str.title]
            written = st.tuples(st.sampled_from(words), st.sampled_from(cases))
            return written.map(lambda w: w[1](w[0])).flatmap(_padded)
        case "scale":
            forms = [f"{value}", f"{value}.0", f"{value},0", f"+{value}", f"{value},00"]
            return st.sampled_from(forms).flatmap(_padded)
        case "number":
            assert isinstance(value, int | float)
            assert not isinstance(value, bool)
            forms = [repr(value), repr(value).replace(".", ","), repr(float(value))]
            return st.sampled_from(forms).flatmap(_padded)
        case "set":
            assert isinstance(value, frozenset)
            items = st.permutations(sorted(value))
            joined = st.tuples(items, st.sampled_from([";", "|", " ; ", "| "]))
            return joined.map(lambda j: j[1].join(j[0])).flatmap(_padded)
    assert isinstance(value, str)
    return _padded(value)


@settings(max_examples=400, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_a_written_value_reads_back_the_same(shipped_kb: KnowledgeBase, data: Any) -> None:
    trait = data.draw(st.sampled_from(sorted(shipped_kb.traits.values(), key=lambda t: t.id)))
    value = data.draw(_typed(trait))
    cell = data.draw(_spellings(trait, value))
    assert cell_value(trait, cell) == (value, None)
    # the same value already typed (a YAML scalar, a frame's number or list) reads the same too
    typed = sorted(value) if isinstance(value, frozenset) else value
    assert cell_value(trait, typed) == document_value(trait, typed) == (value, None)


#: Cells as a person or a spreadsheet writes them, right or wrong.
_CELL_TEXT = st.text(
    alphabet=st.sampled_from([*"0123456789.,;|+-eEkKyYäÄtrufalsnoi _\"'#", "\t"]),
    max_size=12,
)


def _any_cell(trait: Trait) -> st.SearchStrategy[str]:
    right = _typed(trait).flatmap(lambda value: _spellings(trait, value))
    values = st.sampled_from(trait.values) if trait.values else st.nothing()
    return st.one_of(right, _CELL_TEXT, values.map(lambda v: v[:-1]))


def _write(path: Path, rows: list[list[str]], delimiter: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _survey_value(trait: Trait, result: SurveyResult) -> object:
    """What a one-respondent survey says of the trait, to compare with the batch value."""
    (organisation,) = result.organisations
    summaries = {t.trait: t for t in organisation.traits}
    if trait.id not in summaries:
        return None
    summary = summaries[trait.id]
    if summary.mean is not None:
        return summary.mean
    return dict(summary.counts)


def _as_summary(value: TraitValue | None) -> object:
    match value:
        case None:
            return None
        case bool():
            return {"true" if value else "false": 1}
        case str():
            return {value: 1}
        case frozenset():
            return dict.fromkeys(sorted(value), 1)
    return float(value)


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_a_cell_means_the_same_to_the_survey_and_the_batch_reader(
    shipped_kb: KnowledgeBase, tmp_path: Path, data: Any
) -> None:
    trait = data.draw(st.sampled_from(sorted(shipped_kb.traits.values(), key=lambda t: t.id)))
    cell = data.draw(_any_cell(trait))
    delimiter = data.draw(st.sampled_from(DELIMITERS))
    survey, table = tmp_path / "survey.csv", tmp_path / "units.csv"
    _write(survey, [["organisation", "production", trait.id], ["A", "3", cell]], delimiter)
    _write(table, [["unit", trait.id], ["a", cell]], delimiter)
    batch: Table | OrganisationError
    survey_result: SurveyResult | SurveyError
    try:
        batch = read_table(shipped_kb, table)
    except OrganisationError as error:
        batch = error
    try:
        survey_result = read_survey(survey, shipped_kb, show_respondents=True)
    except SurveyError as error:
        survey_result = error
    if isinstance(batch, OrganisationError) or isinstance(survey_result, SurveyError):
        # refused by both, for the same reason, in the cell's column
        assert isinstance(batch, OrganisationError)
        assert isinstance(survey_result, SurveyError)
        assert [p.message for p in survey_result.problems] == [p.message for p in batch.problems]
        assert [p.location.column for p in survey_result.problems] == [3]
        assert [p.location.column for p in batch.problems] == [2]
        return
    value = batch.values[0].get(trait.id)
    assert _survey_value(trait, survey_result) == _as_summary(value)
    assert value == cell_value(trait, cell)[0]


# --- the pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("4", 4), ("+4", 4), ("4.0", 4), ("4,00", 4), ("-1", -1), ("4.5", None), ("4.", None)],
)
def test_whole_numbers(text: str, number: int | None) -> None:
    assert whole_number(text) == number


def test_set_cells() -> None:
    assert split_set(" b ; a|b ;; ") == ["b", "a"]
    assert split_set(";") == []


def test_an_observed_empty_set_and_an_empty_cell(shipped_kb: KnowledgeBase) -> None:
    trait = shipped_kb.traits["customer_value_basis"]
    assert cell_value(trait, ";") == (frozenset(), None)
    for empty in ("", "  ", None, float("nan")):
        assert cell_value(trait, empty) == (None, None)


def test_a_typed_value_is_taken_by_its_type(shipped_kb: KnowledgeBase) -> None:
    scale = shipped_kb.traits["cost_focus"]
    flag = shipped_kb.traits["risk_taking_accepted"]
    assert document_value(scale, 4.0) == (4, None)  # a frame's integer column with gaps
    assert document_value(scale, "4") == (None, "'cost_focus' is a scale (1-5), found text '4'")
    assert document_value(flag, "kyllä")[1] == (
        "'risk_taking_accepted' is true/false, found text 'kyllä'"
    )
    assert document_value(flag, 1)[1] == "'risk_taking_accepted' is true/false, found a number 1"
    assert cell_value(flag, "1") == (True, None)
    assert cell_value(scale, "9") == (None, "9 is out of range: 'cost_focus' is a scale (1-5)")


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(
        st.sampled_from(["organisation", "unit", "cost_focus", "sector", "production"]),
        min_size=2,
        max_size=5,
    ),
    delimiter=st.sampled_from(DELIMITERS),
)
def test_the_delimiter_is_found_from_the_header(names: list[str], delimiter: str) -> None:
    known = {"organisation", "unit", "cost_focus", "sector", "production"}
    assert sniff_delimiter(delimiter.join(names), known) == (delimiter, names)


def test_known_names_then_more_cells_then_the_comma_decide() -> None:
    assert sniff_delimiter("unit;cost_focus,x", {"unit", "cost_focus"}) == (
        ";",
        ["unit", "cost_focus,x"],
    )
    assert sniff_delimiter("a\tb", set()) == ("\t", ["a", "b"])
    assert sniff_delimiter("a;b,c", set()) == (",", ["a;b", "c"])


def test_the_collector_keeps_the_first_and_counts_the_rest() -> None:
    collector = ProblemCollector("t.csv", ModeAdvisorError, limit=2)
    assert not collector
    collector.raise_if_any()  # nothing to raise
    for line in (3, 2, 4):
        collector.add(line, 1, f"problem on {line}")
    assert collector.total == 3
    with pytest.raises(ModeAdvisorError) as raised:
        collector.raise_if_any()
    assert [str(p) for p in raised.value.problems] == [
        "t.csv: 1 more problems are not listed; the first 2 are",
        "t.csv:2:1: problem on 2",
        "t.csv:3:1: problem on 3",
    ]
    with pytest.raises(ModeAdvisorError, match="stop here"):
        ProblemCollector("t.csv", ModeAdvisorError).fail(1, None, "stop here")
