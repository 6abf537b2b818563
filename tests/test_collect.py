"""collect: answer files and survey rows merged into one organisation file, every bad answer
file located, and `assess` running on the result unchanged; the aggregation rules for all
answers (hypothesis)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, load_organisation
from modeadvisor.cli import main
from modeadvisor.knowledge import Trait
from modeadvisor.people import collect_answers
from modeadvisor.people._aggregate import aggregate
from modeadvisor.people.collect import FORMAT, AnswersError

from .conftest import ROOT


def _answers(tmp_path: Path, name: str, **fields: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"format": FORMAT, "version": 1, **fields}), encoding="utf-8")
    return path


RND = {
    "experimentation": 5,
    "risk_taking_accepted": True,
    "innovation_type": "new_offerings",
    "project_work_share": 80,
    "work_variability": 5,
    "vision_challenge": 5,
    "uncertainty_level": 4,
    "ideation_activity": 5,
    "customer_value_basis": ["novel_solutions"],
}


def _three(tmp_path: Path) -> list[Path]:
    return [
        _answers(
            tmp_path,
            "a.json",
            organisation="Acme",
            unit="rnd",
            role="expert",
            ratings={"development": 5, "production": 1},
            traits=RND,
        ),
        _answers(
            tmp_path,
            "b.json",
            organisation="Acme",
            unit="rnd",
            role="top_management",
            ratings={"development": 4},
            traits={
                **RND,
                "experimentation": 3,
                "risk_taking_accepted": False,
                "project_work_share": 90,
            },
        ),
        _answers(
            tmp_path,
            "c.json",
            organisation="Acme",
            unit="rnd",
            ratings={"development": 1, "production": 5},
            traits={
                **RND,
                "customer_value_basis": ["novel_solutions", "low_price"],
                "risk_taking_accepted": True,
                "project_work_share": 40,
            },
        ),
    ]


def test_answers_merge_per_unit_by_median_and_majority(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    collected = collect_answers(_three(tmp_path), shipped_kb)
    (unit,) = collected.organisation["units"]
    traits = unit["traits"]
    assert traits["experimentation"] == 5  # median of 5, 3, 5
    assert traits["project_work_share"] == 80  # median of 80, 90, 40
    assert traits["risk_taking_accepted"] is True  # two of three
    assert traits["customer_value_basis"] == ["novel_solutions"]  # low_price named by one
    assert collected.organisation["organisation"] == "Acme"
    # numbered, never named (not by their files either), in the order of what they answered
    respondents = collected.organisation["respondents"]
    assert [r["id"] for r in respondents] == ["r1", "r2", "r3"]
    assert [r.get("role") for r in respondents] == [None, "top_management", "expert"]
    assert [r["ratings"]["development"] for r in respondents] == [1, 4, 5]


def test_the_written_file_is_a_valid_organisation_and_assesses(
    tmp_path: Path, shipped_kb: KnowledgeBase, advisor: Advisor
) -> None:
    collected = collect_answers(_three(tmp_path), shipped_kb)
    out = tmp_path / "org.yaml"
    out.write_text(collected.to_yaml(shipped_kb, "fi"), encoding="utf-8")
    organisation = load_organisation(out)
    assert organisation.units[0].traits["experimentation"] == 5
    advice = advisor.assess(out)
    assert advice.unit("rnd").profile.dominant == "development"
    # the three rate the development mode 5, 4 and 1: they disagree, and it is found
    assert any(c.kind == "respondent_disagreement" for c in advice.conflicts)
    assert "Kokeilukulttuuri" in out.read_text("utf-8") or "#" in out.read_text("utf-8")


def test_models_in_use_are_those_a_majority_names(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    files = [
        _answers(tmp_path, "a.json", unit="x", models_in_use=["balanced_scorecard"]),
        _answers(
            tmp_path, "b.json", unit="x", models_in_use=["balanced_scorecard", "resource_steering"]
        ),
        _answers(tmp_path, "c.json", unit="x", models_in_use=[]),
        _answers(tmp_path, "d.json", unit="x"),  # did not say: not counted
    ]
    collected = collect_answers(files, shipped_kb, organisation="Acme")
    assert collected.organisation["units"][0]["models_in_use"] == ["balanced_scorecard"]
    bad = _answers(tmp_path, "e.json", unit="x", models_in_use=["balanced_scorecrd"])
    worse = _answers(tmp_path, "f.json", unit="x", models_in_use="all")
    with pytest.raises(AnswersError) as raised:
        collect_answers([bad, worse], shipped_kb)
    text = str(raised.value)
    assert "did you mean 'balanced_scorecard'?" in text
    assert "expected a list of model ids" in text


def test_the_example_answers_collect_and_assess(
    tmp_path: Path, shipped_kb: KnowledgeBase, advisor: Advisor
) -> None:
    files = sorted((ROOT / "examples" / "answers").glob("*.json"))
    collected = collect_answers(files, shipped_kb)
    out = tmp_path / "org.yaml"
    out.write_text(collected.to_yaml(shipped_kb, "fi"), encoding="utf-8")
    advice = advisor.assess(out)
    assert advice.unit("plant").profile.dominant == "production"
    assert advice.unit("rnd").profile.dominant == "development"
    assert any(c.kind == "measurement_misfit" for c in advice.conflicts)


def test_strong_disagreement_is_listed(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    a = _answers(
        tmp_path, "a.json", unit="x", traits={"risk_taking_accepted": True, "cost_focus": 1}
    )
    b = _answers(
        tmp_path, "b.json", unit="x", traits={"risk_taking_accepted": False, "cost_focus": 5}
    )
    collected = collect_answers([a, b], shipped_kb, organisation="Acme")
    listed = {t.trait for _, t in collected.disagreements()}
    assert listed == {"risk_taking_accepted", "cost_focus"}
    assert "risk_taking_accepted" not in collected.organisation["units"][0]["traits"]  # a tie
    text = collected.to_yaml(shipped_kb, "en")
    assert "disagree strongly" in text


def test_survey_rows_and_answer_files_merge(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    table = tmp_path / "survey.csv"
    table.write_text(
        "organisation;unit;role;production;development;cost_focus;sector\n"
        "Acme;Tehdas, Tampere;expert;5;2;5;private\n"
        "Acme;Tehdas, Tampere;other;4;;4;private\n"
        "Acme;;top_management;3;3;;\n",
        encoding="utf-8",
    )
    answer = _answers(
        tmp_path, "a.json", organisation="Acme", unit="Tehdas, Tampere", traits={"cost_focus": 2}
    )
    collected = collect_answers([table, answer], shipped_kb)
    units = {u["id"]: u for u in collected.organisation["units"]}
    assert set(units) == {"acme", "tehdas_tampere"}
    assert units["tehdas_tampere"]["name"] == "Tehdas, Tampere"
    assert units["tehdas_tampere"]["parent"] == "acme"  # answers for no unit: the top unit
    assert units["tehdas_tampere"]["traits"] == {"cost_focus": 4, "sector": "private"}
    ratings = [r for r in collected.organisation["respondents"] if r["unit"] == "tehdas_tampere"]
    assert sorted(r["ratings"]["production"] for r in ratings) == [4, 5]


def test_every_mistake_of_every_answer_file_is_located(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "modeadvisor-answers", "rol": "x",\n'
        ' "ratings": {"developmnt": 5, "production": 7},\n'
        ' "traits": {"experimentaton": 5, "project_work_share": "lots", "sector": "privat"}}\n',
        encoding="utf-8",
    )
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "modeadvisor-answers", "unit": [}', encoding="utf-8")
    with pytest.raises(AnswersError) as raised:
        collect_answers([bad, other, broken], shipped_kb)
    text = str(raised.value)
    assert "bad.json:1:" in text
    assert "did you mean 'role'?" in text
    assert "bad.json:2:" in text
    assert "did you mean 'development'?" in text
    assert "rating 7 of 'production'" in text
    assert "bad.json:3:" in text
    assert "did you mean 'experimentation'?" in text
    assert "'lots'" in text
    assert "privat" in text
    assert "other.json:1:" in text
    assert "not an answer file" in text
    assert "broken.json:1:" in text
    assert all(p.location.line is not None for p in raised.value.problems)


def test_wrong_shapes_are_located(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    path = _answers(tmp_path, "a.json", unit=3, role="boss", ratings=[1], traits="none")
    with pytest.raises(AnswersError) as raised:
        collect_answers([path], shipped_kb)
    text = str(raised.value)
    assert "'unit' is int; expected text" in text
    assert "unknown role 'boss'" in text
    assert "'ratings' is list; expected an object" in text
    assert "'traits' is str; expected an object" in text
    top = tmp_path / "list.json"
    top.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(AnswersError, match="a JSON object"):
        collect_answers([top], shipped_kb)


def test_answers_of_two_organisations_are_refused(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    a = _answers(tmp_path, "a.json", organisation="Acme", unit="x")
    b = _answers(tmp_path, "b.json", organisation="Other", unit="x")
    with pytest.raises(AnswersError, match="collect one organisation at a time"):
        collect_answers([a, b], shipped_kb)
    assert (
        collect_answers([a, b], shipped_kb, organisation="Both").organisation["organisation"]
        == "Both"
    )


def test_no_answers_and_a_bad_survey_are_errors(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    with pytest.raises(AnswersError, match="no answers"):
        collect_answers([], shipped_kb)
    table = tmp_path / "s.csv"
    table.write_text("organisation,production\nAcme,9\n", encoding="utf-8")
    with pytest.raises(AnswersError, match=r"s\.csv:2:2"):
        collect_answers([table], shipped_kb)


def test_collect_then_assess_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(p) for p in _three(tmp_path)]
    out = tmp_path / "org.yaml"
    assert main(["collect", *files, "-o", str(out)]) == 0
    assert "3 respondents" in capsys.readouterr().out
    assert main(["assess", str(out), "--format", "json"]) == 0
    advice = json.loads(capsys.readouterr().out)
    assert advice["units"][0]["profile"]["dominant"] == "development"
    assert main(["collect", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_a_survey_in_another_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "kysely.csv"
    table.write_bytes(
        "organisation;unit;production;cost_focus\nKonepaja;Tehdas Hämeenlinna;5;4\n".encode(
            "cp1252"
        )
    )
    out = tmp_path / "org.yaml"
    assert main(["collect", str(table), "-o", str(out)]) == 2
    assert "kysely.csv:2:" in capsys.readouterr().err
    assert main(["collect", str(table), "-o", str(out), "--encoding", "cp1252"]) == 0
    assert load_organisation(out).units[0].name == "Tehdas Hämeenlinna"


def test_the_synthetic_survey_collects_into_a_valid_organisation(
    tmp_path: Path, shipped_kb: KnowledgeBase, advisor: Advisor
) -> None:
    with pytest.raises(AnswersError, match="organisations"):
        collect_answers([ROOT / "examples" / "survey-synthetic.csv"], shipped_kb)
    collected = collect_answers(
        [ROOT / "examples" / "survey-synthetic.csv"], shipped_kb, organisation="All"
    )
    out = tmp_path / "org.yaml"
    out.write_text(collected.to_yaml(shipped_kb, "en"), encoding="utf-8")
    assert advisor.assess(out).organisation == "All"


# --- the aggregation rules, for all answers --------------------------------------------------


def _trait(kb: KnowledgeBase, kind: str) -> Trait:
    return next(t for t in kb.traits.values() if t.type == kind)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=30), st.randoms())
def test_a_scale_is_its_median_on_the_scale(
    shipped_kb: KnowledgeBase, answers: list[int], rnd: Any
) -> None:
    trait = _trait(shipped_kb, "scale")
    result = aggregate(trait, answers)
    assert isinstance(result.value, int)
    assert 2 * sum(a <= result.value for a in answers) >= len(answers)
    assert 2 * sum(a >= result.value for a in answers) >= len(answers)
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    assert aggregate(trait, shuffled) == result
    assert 0 <= result.agreement <= 1
    if len(set(answers)) == 1:
        assert result.agreement == 1
        assert not result.disagree


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 100) | st.floats(0, 100), min_size=1, max_size=30))
def test_a_number_is_its_median(shipped_kb: KnowledgeBase, answers: list[float]) -> None:
    trait = shipped_kb.traits["project_work_share"]
    result = aggregate(trait, answers)
    assert isinstance(result.value, int | float)
    assert not isinstance(result.value, bool)
    assert result.value == pytest.approx(statistics.median(answers), abs=1e-6)
    assert min(answers) - 1e-6 <= result.value <= max(answers) + 1e-6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["little_or_none", "incremental", "new_offerings"]), min_size=1, max_size=30
    )
)
def test_a_category_is_the_answer_given_most_unless_tied(
    shipped_kb: KnowledgeBase, answers: list[str]
) -> None:
    result = aggregate(shipped_kb.traits["innovation_type"], answers)
    counts = sorted((answers.count(v) for v in set(answers)), reverse=True)
    if len(counts) > 1 and counts[0] == counts[1]:
        assert result.value is None
        assert result.disagree
    else:
        assert answers.count(str(result.value)) == counts[0]
        assert result.agreement == pytest.approx(counts[0] / len(answers), abs=1e-4)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_a_bool_is_the_majority(shipped_kb: KnowledgeBase, answers: list[bool]) -> None:
    result = aggregate(shipped_kb.traits["risk_taking_accepted"], answers)
    yes, no = answers.count(True), answers.count(False)
    assert result.value == (None if yes == no else yes > no)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.frozensets(st.sampled_from(["low_price", "novel_solutions", "long_relationship"])),
        min_size=1,
        max_size=20,
    )
)
def test_a_set_holds_the_values_a_majority_named(
    shipped_kb: KnowledgeBase, answers: list[frozenset[str]]
) -> None:
    result = aggregate(shipped_kb.traits["customer_value_basis"], list(answers))
    assert isinstance(result.value, frozenset)
    for value in ["low_price", "novel_solutions", "long_relationship"]:
        named = sum(value in a for a in answers)
        assert (value in result.value) == (2 * named > len(answers))
    assert 0.5 <= result.agreement <= 1  # each value is decided by its majority


def test_no_answers_cannot_be_aggregated(shipped_kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="no answers"):
        aggregate(shipped_kb.traits["cost_focus"], [])
