"""The python backend and the vectorised batch: the same advice as durable-rules, to the bit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, OrganisationError
from modeadvisor import advisor as advisor_module
from modeadvisor.advisor import durable_available
from modeadvisor.backends._vectorised import ConflictChecks
from modeadvisor.tables import read_table

from .conftest import ROOT
from .strategies import MINI_CONDITIONS as _MINI_CONDITIONS
from .strategies import pack_with as _pack_with
from .strategies import units as _units

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules not importable")


@pytest.fixture(scope="module")
def python_advisor(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="python")


def _organisation(units: list[dict[str, Any]]) -> dict[str, Any]:
    shaped = []
    for i, unit in enumerate(units):
        shaped.append({**unit, "parent": "u0"} if i else unit)
    return {"organisation": "generated", "units": shaped}


@needs_durable
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_python_backend_gives_byte_identical_advice(
    advisor: Advisor, python_advisor: Advisor, data: st.DataObject
) -> None:
    units = data.draw(_units(advisor.knowledge_base, max_units=5))
    organisation = _organisation(units)
    assert python_advisor.assess(organisation).to_json() == advisor.assess(organisation).to_json()


@needs_durable
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_MINI_CONDITIONS, min_size=1, max_size=8), data=st.data())
def test_python_backend_on_generated_packs(
    mini_kb: KnowledgeBase, texts: list[str], data: st.DataObject
) -> None:
    kb = _pack_with(mini_kb, texts)
    units = data.draw(_units(kb))
    durable, python = Advisor(kb, backend="durable"), Advisor(kb, backend="python")
    organisation = _organisation(units)
    assert python.assess(organisation).to_json() == durable.assess(organisation).to_json()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_columns_match_each_units_full_advice(advisor: Advisor, data: st.DataObject) -> None:
    kb = advisor.knowledge_base
    units = data.draw(_units(kb, max_units=12))
    models = list(kb.models)
    rows: list[dict[str, Any]] = []
    for unit in units:
        row: dict[str, Any] = {"unit": unit["id"], **unit["traits"]}
        used = data.draw(st.lists(st.sampled_from(models), max_size=3, unique=True))
        row["models_in_use"] = ";".join(used)
        rows.append(row)
    result = advisor.assess_many(rows)
    checkable = {rule.id for rule in ConflictChecks(kb).rules}
    for i, unit_id in enumerate(result.ids):
        full = advisor.advice_for(result, i)
        advised = full.unit(unit_id)
        assert result.dominant[i] == advised.profile.dominant
        assert result.status[i] == advised.profile.status
        assert bool(result.mixed[i]) == advised.profile.mixed
        assert [round(float(w), 4) for w in result.weights[i]] == list(
            advised.profile.weights.values()
        )
        assert result.top_recommendations[i] == [m.model for m in advised.recommendations][:3]
        flagged = {rule for rule, flags in result.conflict_flags.items() if flags[i]}
        assert flagged == {c.rule for c in full.conflicts if c.rule in checkable}


def test_conflict_checks_cover_the_single_unit_rules(shipped_kb: KnowledgeBase) -> None:
    assert {r.id for r in ConflictChecks(shipped_kb).rules} == {"measurement_in_use_misfits_mode"}


def test_a_csv_table_is_read_with_located_errors(advisor: Advisor, tmp_path: Path) -> None:
    good = tmp_path / "units.csv"
    good.write_text(
        "unit,cost_focus,risk_taking_accepted,customer_value_basis,models_in_use\n"
        "a,5,false,low_price;reliable_standard_delivery,balanced_scorecard\n"
        "b,,true,,\n",
        encoding="utf-8",
    )
    table = read_table(advisor.knowledge_base, good)
    assert table.values[0]["customer_value_basis"] == frozenset(
        {"low_price", "reliable_standard_delivery"}
    )
    assert table.values[1] == {"risk_taking_accepted": True}
    assert table.in_use[0] == frozenset({"balanced_scorecard"})
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,cost_fokus,cost_focus,models_in_use\na,1,9,bsc\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, bad)
    text = str(raised.value)
    assert "bad.csv:2: unknown column 'cost_fokus' (did you mean 'cost_focus'?)" in text
    assert "column 'cost_focus': 9 is out of range" in text
    assert "unknown model 'bsc'" in text


def test_the_fallback_warns_once_and_gives_the_same_advice(
    shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(advisor_module, "durable_available", lambda: False)
    monkeypatch.setattr(advisor_module, "_warned", False)
    with pytest.warns(RuntimeWarning, match="python backend"):
        first = Advisor(shipped_kb)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = Advisor(shipped_kb)
    assert first.backend == second.backend == "python"
    with pytest.raises(Exception, match="cannot be imported"):
        Advisor(shipped_kb, backend="durable")
    example = ROOT / "examples" / "municipality.yaml"
    assert first.assess(example).conflicts


def test_a_pandas_like_frame_is_accepted(advisor: Advisor) -> None:
    class Frame:  # what pandas.DataFrame offers
        def to_dict(self, orient: str) -> list[dict[str, Any]]:
            assert orient == "records"
            return [{"unit": "a", "cost_focus": 5.0, "models_in_use": float("nan")}]

    result = advisor.assess_many(Frame())
    assert result.ids == ["a"]


def test_a_table_with_the_wrong_columns_says_so_once(advisor: Advisor, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("organisation,role\nA,expert\nB,expert,extra\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, wrong)
    messages = [p.message for p in raised.value.problems]
    assert messages.count("unknown column 'organisation'") == 1
    assert "no 'unit' column: each row needs the id of the unit it describes" in messages
    assert "the row has more cells than the header has columns" in messages
