"""The condition language: parsing, errors with columns, normalisation and its laws."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modeadvisor import conditions as cond


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("a >= 4", "a >= 4"),
        ("not a >= 4", "a < 4"),
        ("flag", "flag == true"),
        ("not flag", "flag == false"),
        ('s in ["x", "y"]', 's == "x" or s == "y"'),
        ('not s in ["x", "y"]', 's != "x" and s != "y"'),
        ('"v" in tags', '"v" in tags'),
        ('not "v" in tags', 'not "v" in tags'),
        ("not (a > 1 and (b or c < 2))", "a <= 1 or (b == false and c >= 2)"),
        ("a == 1 and (b == 2 and c == 3)", "a == 1 and b == 2 and c == 3"),
        ("n >= -2.5", "n >= -2.5"),
    ],
)
def test_normalised_form(text: str, normalised: str) -> None:
    assert cond.render(cond.normalise(cond.parse(text))) == normalised


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("a >= ", 6, "ends too early"),
        ("a => 3", 3, "unexpected character '='"),
        ("a and or b", 7, "unexpected 'or'"),
        ("and", 1, "expected"),
        ("3 in tags", 6, "quoted value"),
        ('a == "open', 6, "unexpected character"),
        ("a >= 4 b", 8, "unexpected 'b'"),
        ("__import__('os').system('x')", 11, "unexpected '('"),
    ],
)
def test_syntax_errors_have_columns(text: str, column: int, fragment: str) -> None:
    with pytest.raises(cond.ConditionSyntaxError) as caught:
        cond.parse(text)
    assert caught.value.column == column
    assert fragment in str(caught.value)


def test_traits_of_lists_each_trait_once_in_order() -> None:
    assert cond.traits_of(cond.parse('b > 1 and (a or b < 5) and "x" in c')) == ("b", "a", "c")


def test_unobserved_traits_make_comparisons_false_even_negated() -> None:
    negated = cond.normalise(cond.parse("not a >= 4"))
    assert not cond.evaluate(negated, {})
    assert cond.evaluate(negated, {"a": 2})
    assert not cond.evaluate(cond.normalise(cond.parse('not "x" in c')), {})


def test_numbers_compare_exactly_as_decimals() -> None:
    condition = cond.normalise(cond.parse("n == 0.3"))
    assert cond.evaluate(condition, {"n": 0.3})
    assert cond.evaluate(cond.normalise(cond.parse("n > 0.1")), {"n": 0.1 + 0.000001})


# --- laws over all conditions ----------------------------------------------------------------

TRAITS = {"a": "scale", "b": "scale", "f": "bool", "g": "bool", "s": "set"}


def _leaf() -> st.SearchStrategy[str]:
    scale = st.builds(
        lambda t, op, v: f"{t} {op} {v}",
        st.sampled_from(["a", "b"]),
        st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]),
        st.integers(1, 5),
    )
    flag = st.sampled_from(["f", "g", "f == true", "g != false"])
    member = st.sampled_from(['"x" in s', '"y" in s'])
    return st.one_of(scale, flag, member)


conditions_text = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=8,
)

full_units = st.fixed_dictionaries(
    {
        "a": st.integers(1, 5),
        "b": st.integers(1, 5),
        "f": st.booleans(),
        "g": st.booleans(),
        "s": st.frozensets(st.sampled_from(["x", "y"])),
    }
)


@given(conditions_text, full_units)
def test_not_is_exact_negation_when_every_trait_is_observed(
    text: str, unit: dict[str, Any]
) -> None:
    positive = cond.normalise(cond.parse(text))
    negative = cond.normalise(cond.parse(f"not ({text})"))
    assert cond.evaluate(negative, unit) is (not cond.evaluate(positive, unit))


@given(conditions_text)
def test_render_parses_back_to_the_same_normal_form(text: str) -> None:
    normal = cond.normalise(cond.parse(text))
    again = cond.normalise(cond.parse(cond.render(normal)))
    assert _without_columns(again) == _without_columns(normal)


def _without_columns(condition: cond.Condition) -> cond.Condition:
    """Rendering moves columns; compare structure only."""
    match condition:
        case cond.All(terms):
            return cond.All(tuple(_without_columns(t) for t in terms))
        case cond.AnyOf(terms):
            return cond.AnyOf(tuple(_without_columns(t) for t in terms))
        case cond.Comparison(trait, op, value):
            return cond.Comparison(trait, op, value)
        case cond.Member(trait, value, present):
            return cond.Member(trait, value, present)
    return condition


def test_small_numbers_render_without_an_exponent() -> None:
    """Found by fuzz/run.py: `1e-06` rendered from 0.000001 did not parse back."""
    condition = cond.normalise(cond.parse("project_share == 0.000001"))
    assert cond.render(condition) == "project_share == 0.000001"
    assert cond.normalise(cond.parse(cond.render(condition))) == condition
