"""The DMN export, evaluated by an independent engine (pyDMNrules), gives modeadvisor's raw scores."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyDMNrules  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase
from modeadvisor.authoring.dmn import NAMESPACE, export_dmn, rule_rows
from modeadvisor.cli import main

from .strategies import MINI_CONDITIONS, pack_with, units

DMN = f"{{{NAMESPACE}}}"


def _engine(kb: KnowledgeBase, folder: Path) -> Any:
    path = folder / "pack.dmn"
    report = export_dmn(kb, path)
    assert report.not_expressed == []
    engine = pyDMNrules.DMN()
    assert engine.loadXML(str(path)) == {}
    return engine


def _dmn_scores(engine: Any, kb: KnowledgeBase, traits: Mapping[str, Any]) -> dict[str, float]:
    """Each archetype's sum as the DMN engine decides it (pyDMNrules: one result per table)."""
    read = {t for rule in kb.rules for t in _traits(rule.condition)}
    data = {t: (sorted(v) if isinstance(v, list) else v) for t, v in traits.items() if t in read}
    status, results = engine.decide({**dict.fromkeys(read), **data})
    assert status == {}, status
    scores = dict.fromkeys(kb.archetypes, 0.0)
    for result in results if isinstance(results, list) else [results]:
        executed = result["Executed Rule"]
        table = (executed if isinstance(executed, tuple) else executed[0])[1]
        scores[table] = round(float(result["Result"][f"{table}.{table}"]), 4)
    return scores


def _traits(condition: Any) -> tuple[str, ...]:
    from modeadvisor import conditions as cond

    return cond.traits_of(condition)


def _modeadvisor_scores(advisor: Advisor, traits: Mapping[str, Any]) -> dict[str, float]:
    advice = advisor.assess({"organisation": "o", "units": [{"id": "u", "traits": dict(traits)}]})
    return dict(advice.units[0].profile.raw)


@pytest.fixture(scope="module")
def shipped_engine(shipped_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _engine(shipped_kb, tmp_path_factory.mktemp("dmn"))


@pytest.fixture(scope="module")
def vectorised(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_shipped_rules_score_the_same_in_an_independent_dmn_engine(
    shipped_kb: KnowledgeBase, shipped_engine: Any, vectorised: Advisor, data: st.DataObject
) -> None:
    (unit,) = data.draw(units(shipped_kb, max_units=1))
    traits = unit["traits"]
    assert _dmn_scores(shipped_engine, shipped_kb, traits) == _modeadvisor_scores(
        vectorised, traits
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(MINI_CONDITIONS, min_size=1, max_size=4), data=st.data())
def test_generated_conditions_score_the_same_in_an_independent_dmn_engine(
    mini_kb: KnowledgeBase,
    tmp_path_factory: pytest.TempPathFactory,
    texts: list[str],
    data: st.DataObject,
) -> None:
    """Or, not, != and set membership: alternatives made exclusive add up exactly once."""
    kb = pack_with(mini_kb, texts)
    engine = _engine(kb, tmp_path_factory.mktemp("dmn"))
    advisor = Advisor(kb, backend="vectorised")
    for unit in data.draw(units(kb, max_units=3)):
        traits = unit["traits"]
        assert _dmn_scores(engine, kb, traits) == _modeadvisor_scores(advisor, traits), texts


def test_rows_of_one_rule_never_match_together(mini_kb: KnowledgeBase) -> None:
    kb = pack_with(mini_kb, ['cost >= 4 or (risky and "cost" in focus) or sector == "public"'])
    rows = rule_rows(kb.rules[0])
    assert rows[0] == [("cost", ">= 4")]
    assert sorted(a for a in rows[1] if a[0] != "focus") == [
        ("cost", "null, < 4"),
        ("risky", "true"),
    ]
    assert len(rows) == 4  # the last alternative under each way the earlier ones fail


def test_the_export_is_dmn_1_3_collect_sum_typed_from_the_catalogue(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    out = tmp_path / "core.dmn"
    assert main(["pack", "export", "rules", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag == f"{DMN}definitions"
    tables = root.findall(f"{DMN}decision/{DMN}decisionTable")
    assert len(tables) == len(shipped_kb.archetypes)
    assert {(t.get("hitPolicy"), t.get("aggregation")) for t in tables} == {("COLLECT", "SUM")}
    types = {d.get("name"): d.findtext(f"{DMN}typeRef") for d in root.iter(f"{DMN}itemDefinition")}
    assert types["t_cost_focus"] == types["t_project_work_share"] == "number"
    assert types["t_risk_taking_accepted"] == "boolean"
    assert types["t_sector"] == "string"
    sets = [d for d in root.iter(f"{DMN}itemDefinition") if d.get("isCollection") == "true"]
    assert [d.get("name") for d in sets] == ["t_customer_value_basis"]
    descriptions = {r.findtext(f"{DMN}description") for r in root.iter(f"{DMN}rule")}
    assert {rule.id for rule in shipped_kb.rules} <= descriptions


def test_what_dmn_cannot_express_is_reported(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    import dataclasses

    traits = dict(mini_kb.traits)
    traits["then"] = traits["cost"].model_copy(update={"id": "then"})
    kb = pack_with(dataclasses.replace(mini_kb, traits=traits), ["then >= 3", "cost >= 3"])
    report = export_dmn(kb, tmp_path / "x.dmn")
    assert report.not_expressed == ["rule 'g0': trait 'then' is a FEEL keyword, not an input name"]
    assert "g1" in (tmp_path / "x.dmn").read_text("utf-8")
