"""Profiles, recommendations and explanations: the figures and where they come from."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from modeadvisor import Advice, Advisor, KnowledgeBase, UnknownUnitError
from modeadvisor import advice as advice_module
from modeadvisor.advice import ModeRating

from .conftest import ROOT


def _assess(advisor: Advisor, traits: dict[str, Any], **unit: Any) -> Advice:
    return advisor.assess({"organisation": "t", "units": [{"id": "u", "traits": traits, **unit}]})


def test_profile_weights_are_fired_rule_weights_normalised(mini_advisor: Advisor) -> None:
    # cost_first: prod 2; projects (sector private): dev 1, prod 0.5
    advice = _assess(mini_advisor, {"cost": 5, "sector": "private"})
    profile = advice.units[0].profile
    assert profile.raw == {"prod": 2.5, "dev": 1.0}
    assert profile.weights == {"prod": round(2.5 / 3.5, 4), "dev": round(1 / 3.5, 4)}
    assert profile.dominant == "prod"
    assert profile.secondary == "dev"
    assert not profile.mixed
    assert profile.status == "ok"
    assert profile.coverage.model_dump() == {
        "observed_traits": 2,
        "catalogue_traits": 5,
        "share": 0.4,
        "fired_rules": 2,
    }


def test_evidence_explains_every_figure(mini_advisor: Advisor) -> None:
    unit = _assess(mini_advisor, {"cost": 5, "sector": "private", "risky": False}).units[0]
    assert [e.rule for e in unit.evidence] == ["cost_first", "projects"]
    projects = unit.evidence[1]
    assert projects.matched == {"sector": "private"}
    assert projects.weights == {"dev": 1.0, "prod": 0.5}
    assert projects.contribution == {"dev": round(1 / 3.5, 4), "prod": round(0.5 / 3.5, 4)}
    assert projects.source == ["S-D1"]
    assert projects.pack == "mini"
    assert projects.origin == "rules.yaml:12:9"
    assert projects.condition == 'project_share > 50.5 or sector in ["private"]'
    raw = dict.fromkeys(unit.profile.raw, 0.0)
    for evidence in unit.evidence:
        for archetype, weight in evidence.weights.items():
            raw[archetype] += weight
    assert raw == unit.profile.raw


def test_recommendation_scores_follow_graph_paths(mini_advisor: Advisor) -> None:
    unit = _assess(
        mini_advisor,
        {"risky": True, "focus": ["novelty"], "project_share": 80},
        models_in_use=["scorecard"],
    ).units[0]
    weights = unit.profile.weights
    scorecard = next(m for m in unit.avoid if m.model == "scorecard")
    assert scorecard.in_use
    assert scorecard.score == pytest.approx(0.9 * weights["prod"] - 0.8 * weights["dev"], abs=1e-3)
    assert {tuple(r.path) for r in scorecard.because} == {
        ("u", "dev", "scorecard"),
        ("u", "prod", "scorecard"),
    }
    assert [m.model for m in unit.recommendations] == ["milestones"]
    assert unit.recommendations[0].because[0].reason == "yes"
    assert any("'Scorecard' is in use today" in note for note in unit.notes)


def test_mixed_profile_when_no_mode_clearly_leads(mini_advisor: Advisor) -> None:
    # cost_first prod 2; risk_taking dev 2 -> 0.5 / 0.5 (an empty focus set is observed)
    unit = _assess(mini_advisor, {"cost": 4, "risky": True, "focus": []}).units[0]
    assert unit.profile.mixed
    assert any("mixed profile" in note for note in unit.notes)
    scorecard = [m for m in unit.recommendations + unit.avoid if m.model == "scorecard"]
    assert scorecard == []  # suits 0.9 x 0.5 against poor fit 0.8 x 0.5: neither push


def test_too_little_evidence_names_no_mode(mini_advisor: Advisor) -> None:
    unit = _assess(mini_advisor, {"sector": "public"}).units[0]
    assert unit.profile.status == "insufficient_evidence"
    assert unit.profile.dominant is None
    assert unit.recommendations == []
    assert unit.avoid == []
    assert "too little evidence" in unit.notes[0]


def test_direction_follows_evolution_links(mini_advisor: Advisor) -> None:
    unit = _assess(mini_advisor, {"cost": 5}).units[0]
    assert [d.to for d in unit.direction] == ["dev"]


def test_unknown_unit_suggests_a_close_one(mini_advisor: Advisor) -> None:
    advice = _assess(mini_advisor, {"cost": 5})
    with pytest.raises(UnknownUnitError, match="did you mean 'u'"):
        advice.unit("uu")


def test_finnish_advice_uses_finnish_names(mini_kb: Any) -> None:
    advice = Advisor(mini_kb, lang="fi").assess(
        {"organisation": "t", "units": [{"id": "u", "traits": {"cost": 5}}]}
    )
    assert advice.archetypes == {"prod": "Tuotanto", "dev": "Kehitys"}
    assert advice.language == "fi"
    mixed = Advisor(mini_kb, lang="fi").assess(
        {
            "organisation": "t",
            "units": [{"id": "u", "traits": {"cost": 4, "risky": True, "focus": []}}],
        }
    )
    assert mixed.units[0].notes[0].startswith("sekaprofiili: Tuotanto (0,50) ja Kehitys (0,50)")


def test_advisor_shared_by_threads_gives_the_sequential_results(advisor: Advisor) -> None:
    from concurrent.futures import ThreadPoolExecutor

    files = [
        "examples/manufacturer.yaml",
        "examples/service-company.yaml",
        "examples/municipality.yaml",
    ] * 20
    sequential = [advisor.assess(f).to_json() for f in files]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda f: advisor.assess(f).to_json(), files)) == sequential


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "cost": st.integers(1, 5),
            "risky": st.booleans(),
            "sector": st.sampled_from(["public", "private"]),
            "focus": st.lists(st.sampled_from(["loyalty", "cost", "novelty"]), unique=True),
            "project_share": st.integers(0, 100),
        },
    )
)
def test_profile_laws_hold_for_all_units(mini_advisor: Advisor, traits: dict[str, Any]) -> None:
    unit = _assess(mini_advisor, traits).units[0]
    profile = unit.profile
    if profile.coverage.fired_rules:
        assert sum(profile.weights.values()) == pytest.approx(1.0, abs=1e-3)
    assert all(w >= 0 for w in profile.weights.values())
    if profile.dominant is not None:
        assert profile.weights[profile.dominant] == max(profile.weights.values())
    assert [m.score for m in unit.recommendations] == sorted(
        (m.score for m in unit.recommendations), reverse=True
    )
    assert all(m.score < 0 for m in unit.avoid)
    assert not {m.model for m in unit.recommendations} & {m.model for m in unit.avoid}


# --- output models built from values the stages typed themselves -----------------------------

OUTPUT_MODELS = sorted(
    (
        model
        for model in vars(advice_module).values()
        if isinstance(model, type)
        and issubclass(model, advice_module._Out)
        and model is not advice_module._Out
    ),
    key=lambda model: model.__name__,
)
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _instances(value: Any) -> Iterator[BaseModel]:
    """Every model inside an advice, depth first."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _instances(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _instances(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _instances(item)


@pytest.fixture(scope="module")
def assessed(shipped_kb: KnowledgeBase) -> list[Advice]:
    advisor = Advisor(shipped_kb, backend="vectorised")
    return [advisor.assess(example) for example in EXAMPLES]


@pytest.mark.parametrize("example", range(len(EXAMPLES)), ids=[p.stem for p in EXAMPLES])
def test_the_advice_built_without_validation_is_what_validation_gives(
    assessed: list[Advice], example: int
) -> None:
    """The stages build the output models without validating them: validated from its own
    data, every advice is equal and its JSON the same bytes."""
    advice = assessed[example]
    again = Advice.model_validate(advice.model_dump())
    assert again == advice
    assert again.to_json() == advice.to_json()
    assert Advice.model_validate_json(advice.to_json()).to_json() == advice.to_json()


@pytest.mark.parametrize("model", OUTPUT_MODELS, ids=lambda model: model.__name__)
def test_an_output_model_built_from_every_field_is_the_validated_one(
    assessed: list[Advice], model: type[BaseModel]
) -> None:
    found = [m for advice in assessed for m in _instances(advice) if type(m) is model]
    assert found, f"no {model.__name__} in the examples' advice"
    every_field = model.every_field  # type: ignore[attr-defined]
    assert every_field == set(model.model_fields)
    for instance in found[:50]:
        values = {name: getattr(instance, name) for name in model.model_fields}
        built = model.model_construct(every_field, **values)
        validated = model.model_validate(values)
        assert built == validated == instance
        assert built.model_dump_json() == validated.model_dump_json()
        assert built.model_fields_set == validated.model_fields_set == every_field
        assert pickle.loads(pickle.dumps(built)) == validated
        assert built.model_copy() == validated
        with pytest.raises(ValidationError, match="frozen"):
            setattr(built, next(iter(model.model_fields)), None)


def test_a_model_construct_of_the_user_s_is_pydantic_s_own() -> None:
    """Only a call with every field and the model's own `every_field` takes the direct path;
    any other keeps pydantic's semantics (the fields set as given, defaults filled)."""
    named = ModeRating.model_construct(
        {"archetype"}, archetype="a", mean=3.0, respondents=2, rwg=None, consensus=None
    )
    assert named.model_fields_set == {"archetype"}
    mine = set(ModeRating.every_field)
    same = ModeRating.model_construct(
        mine, archetype="a", mean=3.0, respondents=2, rwg=None, consensus=None
    )
    assert same.model_fields_set is mine
    shared = ModeRating.model_construct(
        ModeRating.every_field, archetype="a", mean=3.0, respondents=2, rwg=None, consensus=None
    )
    assert shared.model_fields_set is ModeRating.every_field
    assert named == same == shared
