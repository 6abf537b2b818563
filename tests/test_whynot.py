"""Why-not: why a model is not recommended or a mode not dominant, checked against the advice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBase, OrganisationError, UnknownUnitError
from modeadvisor import conditions as cond
from modeadvisor.cli import main
from modeadvisor.whynot import WhyNot

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MANUFACTURER = ROOT / "examples" / "manufacturer.yaml"
MUNICIPALITY = ROOT / "examples" / "municipality.yaml"
#: Too few traits observed to name a mode.
SPARSE = {"organisation": "o", "units": [{"id": "u", "traits": {"cost_focus": 5}}]}


@pytest.fixture(scope="module")
def plain(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


def test_the_scorecard_is_not_recommended_for_the_development_unit(plain: Advisor) -> None:
    answer = plain.why_not(MANUFACTURER, "rnd", "balanced_scorecard")
    assert not answer.holds
    advice = plain.assess(MANUFACTURER).unit("rnd")
    (avoided,) = [m for m in advice.avoid if m.model == "balanced_scorecard"]
    assert answer.score == avoided.score
    (against,) = [link for link in answer.links if link.relation == "poor_fit"]
    assert (against.archetype, against.contribution) == ("development", avoided.score)
    assert {r.archetype for r in answer.rivals} >= {"development"}
    parts = {p.trait: p for r in answer.rules for branch in r.alternatives for p in branch}
    assert parts["cost_focus"].state == "not_observed"
    assert parts["cost_focus"].actual is None
    assert (
        parts["profitability_before_growth"].state,
        parts["profitability_before_growth"].actual,
    ) == (
        "failed",
        2,
    )
    # the repair searched levers only; none makes the scorecard fit project work
    assert answer.repair is not None
    assert not answer.repair.found
    assert "cost_focus" in answer.repair.held


def test_a_mode_not_dominant_names_its_rivals_and_the_lever_repair(plain: Advisor) -> None:
    answer = plain.why_not(MUNICIPALITY, "social-health", "customer_service")
    assert answer.subject_kind == "mode"
    assert not answer.holds
    advice = plain.assess(MUNICIPALITY).unit("social-health")
    assert answer.rivals[0].archetype == advice.profile.dominant
    assert answer.needed == round(advice.profile.weights[advice.profile.dominant], 4)
    assert answer.repair is not None
    assert answer.repair.found
    for change in answer.repair.changes:
        assert change.trait_kind == "lever"
    assert answer.repair.repairs[0].dominant_after == "customer_service"


def test_what_holds_is_said_to_hold(plain: Advisor) -> None:
    model = plain.why_not(MANUFACTURER, "rnd", "milestone_project_followup")
    mode = plain.why_not(MANUFACTURER, "rnd", "development")
    assert model.holds
    assert mode.holds
    assert model.repair is None
    assert mode.repair is None
    assert "is recommended" in model.to_text()
    assert "is the dominant mode" in mode.to_text()


def test_too_little_evidence_is_said(plain: Advisor) -> None:
    answer = plain.why_not(SPARSE, "u", "production")
    assert answer.insufficient
    assert not answer.holds
    assert "too little evidence" in answer.to_text()


def _check(plain: Advisor, path: Path) -> None:
    advice = plain.assess(path)
    kb = plain.knowledge_base
    for unit in advice.units:
        recommended = {m.model for m in unit.recommendations}
        scores = {m.model: m.score for m in [*unit.recommendations, *unit.avoid]}
        for subject in [*kb.models, *kb.archetypes]:
            answer = plain.why_not(path, unit.id, subject)
            if subject in kb.models:
                assert answer.holds == (subject in recommended), (unit.id, subject)
                if subject in scores:
                    assert answer.score == scores[subject]
            else:
                assert answer.holds == (unit.profile.dominant == subject)
            _parts_agree(answer, {e.rule for e in unit.evidence})


def _parts_agree(answer: WhyNot, fired: set[str]) -> None:
    """A rule that fired has a branch whose every part held; one that did not has none."""
    for check in answer.rules:
        assert check.fired == (check.rule in fired), check.rule
        whole = [all(p.state == "held" for p in branch) for branch in check.alternatives]
        assert any(whole) == check.fired, check
        for branch in check.alternatives:
            for part in branch:
                assert (part.actual is None) == (part.state == "not_observed")


def test_every_answer_agrees_with_the_advice_on_one_example(plain: Advisor) -> None:
    _check(plain, MANUFACTURER)


@pytest.mark.slow  # every unit, model and mode of every example: about 20 s
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_answer_agrees_with_the_advice(plain: Advisor, path: Path) -> None:
    _check(plain, path)


def test_each_part_is_the_rule_languages_own_test(plain: Advisor) -> None:
    answer = plain.why_not(MANUFACTURER, "rnd", "production")
    for check in answer.rules:
        for branch in check.alternatives:
            for part in branch:
                assert cond.traits_of(cond.normalise(cond.parse(part.test))) == (part.trait,)


def test_bad_subjects_and_units_are_refused(plain: Advisor) -> None:
    with pytest.raises(OrganisationError, match="did you mean 'balanced_scorecard'"):
        plain.why_not(MANUFACTURER, "rnd", "balanced_scorecad")
    with pytest.raises(UnknownUnitError, match="did you mean 'rnd'"):
        plain.why_not(MANUFACTURER, "rdn", "production")


def test_cli_explain_why_not(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["explain", str(MANUFACTURER), "--unit", "rnd", "--why-not", "balanced_scorecard"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        "Tuotekehitys, Espoo: Balanced scorecard (BSC) is not recommended: it scores -0.74"
    )
    assert "profitability_before_growth >= 4 failed (it is 2)" in text
    assert "cost_focus >= 4: not observed" in text
    assert main([*args, "--lang", "fi"]) == 0
    assert "cost_focus >= 4: ei havaittu" in capsys.readouterr().out
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["subject_kind"] == "model"
    assert data["links"][0]["relation"] == "poor_fit"
    assert main([*args[:-1], "prodution"]) == 2
    assert "did you mean 'production'" in capsys.readouterr().err
