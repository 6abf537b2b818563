"""Rule impact analysis: the same pack changes nothing; an edit's changes are counted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import Advice, Advisor, KnowledgeBase
from modeadvisor.authoring.impact import compare, sample_population, to_text
from modeadvisor.cli import main

from .conftest import ROOT

EDIT = """pack: {id: acme, name: {en: ACME}, extends: core}
rules:
  - id: cost_leadership
    override: true
    when: cost_focus >= 3
    weights: {production: 4}
    rationale: {en: "Any cost focus counts."}
    source: [S-P1]
"""


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("acme")
    (folder / "pack.yaml").write_text(EDIT, encoding="utf-8")
    return folder


def test_the_same_pack_changes_nothing(advisor: Advisor) -> None:
    population = sample_population(advisor.knowledge_base, advisor.knowledge_base, 40, 1)
    impact = compare(advisor, advisor, population)
    assert (impact.units, impact.organisations) == (40, 10)
    assert impact.dominant_changed == impact.recommendations_changed == 0
    assert impact.conflicts_appeared == impact.conflicts_disappeared == 0


def test_an_edit_shows_its_effect_with_examples(advisor: Advisor, edited: Path) -> None:
    new = Advisor.from_path(edited)
    impact = compare(
        advisor, new, sample_population(advisor.knowledge_base, new.knowledge_base, 120, 3)
    )
    assert impact.dominant_changed > 0
    assert all(e.new == "production" for e in impact.examples_dominant)
    assert impact.recommendations_changed >= impact.dominant_changed
    assert impact.new_pack == "core+acme"


def test_the_sample_is_reproducible_and_valid(advisor: Advisor) -> None:
    kb = advisor.knowledge_base
    first = sample_population(kb, kb, 30, 7)
    assert first == sample_population(kb, kb, 30, 7)
    assert first != sample_population(kb, kb, 30, 8)
    for organisation in first:
        advisor.assess(organisation)  # every generated organisation is valid


def test_cli_impact_json_and_population(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = [str(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    assert (
        main(
            [
                "impact",
                str(ROOT / "rules"),
                str(edited),
                "--population",
                *examples,
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["organisations"] == len(examples)
    assert {
        "dominant_changed",
        "recommendations_changed",
        "conflicts_appeared",
        "examples_dominant",
    } <= set(data)
    assert main(["impact", str(ROOT / "rules"), str(edited), "--sample", "20"]) == 0
    assert "dominant mode changed" in capsys.readouterr().out


# --- evidence sufficiency: counts, not shares, so a layer cannot shift it --------------------

EIGHT = {  # eight traits observed; two rules fire (daily_flexing, customer_thinking_checked)
    "daily_flex_to_customer": 4,
    "customer_view_checked": 4,
    "output_standardisation": 3,
    "individual_customer_promise": 3,
    "exceeding_expectations": 3,
    "relationship_before_delivery": 3,
    "staff_dependent_service": 3,
    "whole_customer_experience": 3,
}


def _traits_layer(folder: Path, count: int, settings: str = "") -> Path:
    """A layer adding `count` traits (and a rule reading each) that no sample unit observes."""
    traits = "".join(
        f"  - {{id: extra_{i}, type: scale, label: {{en: Extra {i}}}, "
        f"description: {{en: Extra {i}.}}}}\n"
        for i in range(count)
    )
    rules = "".join(
        f"  - {{id: extra_rule_{i}, when: extra_{i} >= 4, weights: {{production: 1}}, "
        f"rationale: {{en: Extra.}}, source: [S-P1]}}\n"
        for i in range(count)
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"pack: {{id: extra, name: {{en: Extra}}, extends: core{settings}}}\n"
        f"traits:\n{traits}rules:\n{rules}",
        encoding="utf-8",
    )
    return folder


def _unit(traits: Mapping[str, object]) -> dict[str, object]:
    return {"organisation": "o", "units": [{"id": "u", "traits": traits}]}


def test_a_layer_adding_a_trait_leaves_a_units_status_as_it_was(
    advisor: Advisor, tmp_path: Path
) -> None:
    layered = Advisor.from_path(_traits_layer(tmp_path / "extra", 1))
    assert len(layered.knowledge_base.traits) == len(advisor.knowledge_base.traits) + 1
    before, after = advisor.assess(_unit(EIGHT)).units[0], layered.assess(_unit(EIGHT)).units[0]
    assert before.profile.status == after.profile.status == "ok"
    assert before.profile.weights == after.profile.weights
    assert before.profile.dominant == after.profile.dominant == "customer_service"


def _evidence(advice: Advice) -> list[tuple[object, ...]]:
    """What decides a unit's status and mode; not the catalogue's size, which the layer grows."""
    return [
        (
            u.profile.status,
            u.profile.dominant,
            u.profile.weights,
            u.profile.raw,
            u.profile.coverage.observed_traits,
            u.profile.coverage.fired_rules,
        )
        for u in advice.units
    ]


@settings(max_examples=8, deadline=None)
@given(count=st.integers(1, 30), seed=st.integers(0, 1000))
def test_added_traits_no_unit_observed_change_no_profile(
    vectorised: Advisor, tmp_path_factory: pytest.TempPathFactory, count: int, seed: int
) -> None:
    folder = _traits_layer(tmp_path_factory.mktemp("extra"), count)
    layered = Advisor.from_path(folder, backend="vectorised")
    kb = vectorised.knowledge_base
    for organisation in sample_population(kb, kb, 12, seed):
        assert _evidence(vectorised.assess(organisation)) == _evidence(layered.assess(organisation))


@pytest.fixture(scope="module")
def vectorised(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


def test_the_insufficient_note_prints_the_real_figures(advisor: Advisor) -> None:
    two = {"profitability_before_growth": 5, "cost_focus": 5}
    (note,) = advisor.assess(_unit(two)).units[0].notes
    assert note == (
        "too little evidence to name a mode: 2 rule(s) fired (at least 2 needed) on 2 observed "
        "trait(s) (at least 8 needed)"
    )
    seven = dict(list(EIGHT.items())[:7])
    unit = advisor.assess(_unit(seven)).units[0]
    assert unit.profile.status == "insufficient_evidence"
    assert "on 7 observed trait(s) (at least 8 needed)" in unit.notes[0]
    finnish = Advisor(advisor.knowledge_base, lang="fi").assess(_unit(seven)).units[0]
    assert "havaittuja piirteitä on 7 (vähintään 8 tarvitaan)" in finnish.notes[0]


def test_impact_says_why_a_units_status_changed(advisor: Advisor, tmp_path: Path) -> None:
    stricter = Advisor.from_path(
        _traits_layer(tmp_path / "strict", 1, ", settings: {min_observed: 10}")
    )
    impact = compare(advisor, stricter, [_unit(EIGHT)])
    assert impact.status_changed == 1
    (change,) = impact.examples_status
    assert (change.old, change.new) == ("ok", "insufficient_evidence")
    assert change.why == (
        "rules fired 2 (at least 2 needed); traits observed 8 (at least 8 -> 10 needed)"
    )
    assert "u: ok -> insufficient_evidence: rules fired 2" in to_text(impact)
    folder = tmp_path / "fewer"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "pack: {id: fewer, name: {en: Fewer}, extends: core}\ndisable: {rules: [daily_flexing]}\n",
        encoding="utf-8",
    )
    fewer = compare(advisor, Advisor.from_path(folder), [_unit(EIGHT)])
    assert [c.why for c in fewer.examples_status] == [
        "rules fired 2 -> 1 (at least 2 needed); traits observed 8 (at least 8 needed); "
        "no longer firing: daily_flexing"
    ]
