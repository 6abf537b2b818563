"""What-if: repairs a manager can make, each checked by assessing the repaired organisation."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import (
    Advisor,
    KnowledgeBase,
    OrganisationError,
    UnknownUnitError,
    load_knowledge_base,
)
from modeadvisor.cli import main
from modeadvisor.knowledge import shipped_rules_dir
from modeadvisor.organisation import check_organisation, read_organisation
from modeadvisor.whatif import Repair, WhatIf
from modeadvisor.whatif._world import World, joins_one_unit

from .conftest import ROOT
from .strategies import units

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MANUFACTURER = ROOT / "examples" / "manufacturer.yaml"
MUNICIPALITY = ROOT / "examples" / "municipality.yaml"
LIBRARY = ROOT / "examples" / "city-library.yaml"
ELECTRICITY = ROOT / "examples" / "electricity-distribution.yaml"

WORKS: dict[str, Any] = {
    "id": "works",
    "models_in_use": ["balanced_scorecard"],
    "traits": {
        "sector": "private",
        "aims_at_surplus": True,
        "established_way_of_working": 4,
        "cost_focus": 4,
        "resource_based_steering": 4,
        "own_business_followup": 4,
        "profitability_before_growth": 3,
        "risk_taking_accepted": True,
        "experimentation": 4,
        "project_work_share": 50,
        "milestone_structured_work": 4,
        "goal_clarity": 3,
        "uncertainty_level": 3,
    },
}
LAB: dict[str, Any] = {
    **WORKS,
    "id": "lab",
    "traits": {
        "sector": "private",
        "aims_at_surplus": True,
        "established_way_of_working": 4,
        "cost_focus": 4,
        "resource_based_steering": 4,
        "risk_taking_accepted": True,
        "experimentation": 5,
        "project_work_share": 70,
        "milestone_structured_work": 4,
        "work_variability": 4,
        "uncertainty_level": 4,
    },
}


@pytest.fixture(scope="module")
def plain(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


def _data(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _apply(
    data: dict[str, Any], unit_id: str, repair: Repair, current: dict[str, float]
) -> dict[str, Any]:
    """The organisation as the repair leaves it (an exemption is not expressible in a file: it
    is checked apart)."""
    changed = copy.deepcopy(data)
    unit = next(u for u in changed["units"] if u["id"] == unit_id)
    traits, used = unit.setdefault("traits", {}), unit.setdefault("models_in_use", [])
    for change in repair.changes:
        match change.action:
            case "trait":
                traits[change.subject] = change.after
            case "drop":
                used.remove(change.subject)
            case "replace":
                used[used.index(change.subject)] = change.after
            case "add":
                used.append(change.subject)
            case "view":
                views = unit.get("perspectives") or changed["perspectives"]
                views[change.subject] = current
    return changed


def _exempt(repair: Repair) -> set[str]:
    return {c.subject for c in repair.changes if c.action == "exempt"}


def _still_in(
    advisor: Advisor,
    data: dict[str, Any],
    unit_id: str,
    found: WhatIf,
    repair: Repair,
    kind: str,
) -> list[str]:
    """The findings of `kind` that still name the unit once the repair is made, assessed for
    real; a match holding the unit to a model it is exempted from does not count."""
    current = advisor.assess(data).unit(unit_id).profile.weights
    after = advisor.assess(_apply(data, unit_id, repair, current))
    exempt = _exempt(repair)
    left = []
    for conflict in after.conflicts:
        if conflict.kind != kind or unit_id not in conflict.units:
            continue
        binding = [
            m
            for m in conflict.matches
            if any(f.get("uid") == unit_id or f.get("parent") == unit_id for f in m.facts.values())
            and not any(
                f.get("model") in exempt and "uid" not in f and "parent" not in f
                for f in m.facts.values()
            )
        ]
        if binding or not exempt:
            left.append(conflict.id)
    return left


# --- the examples, read as a manager would -----------------------------------------------------


def test_the_scorecard_unit_is_offered_the_model_change_first(plain: Advisor) -> None:
    found = plain.what_if("rnd", organisation=MANUFACTURER, clear="measurement_misfit")
    assert found.found
    first = found.repairs[0]
    assert [(c.action, c.subject, c.after) for c in first.changes] == [
        ("replace", "balanced_scorecard", "milestone_project_followup")
    ]
    assert first.dominant_before == first.dominant_after == "development"
    assert first.cleared == ["measurement_misfit:balanced_scorecard"]
    assert first.created == []
    data = _data(MANUFACTURER)
    assert _still_in(plain, data, "rnd", found, first, "measurement_misfit") == []


def test_a_statutory_service_is_not_told_to_compete_on_price(plain: Advisor) -> None:
    found = plain.what_if("social-health", organisation=MUNICIPALITY, clear="measurement_misfit")
    assert found.found
    touched = {c.subject for r in found.repairs for c in r.changes if c.action == "trait"}
    assert not touched & {"cost_focus", "customer_value_basis", "established_way_of_working"}
    assert {c.action for c in found.repairs[0].changes} <= {"replace", "drop", "exempt"}


@pytest.mark.parametrize("unit", ["branch-asema", "branch-kirkonkyla", "branch-niittu"])
@pytest.mark.parametrize("goal", [{"clear": "measurement_misfit"}, {"target": "production"}])
def test_a_library_is_not_told_to_serve_customers_worse(
    plain: Advisor, unit: str, goal: dict[str, str]
) -> None:
    found = plain.what_if(unit, organisation=LIBRARY, **goal)
    for repair in found.repairs:
        for change in repair.changes:
            assert change.subject not in {"daily_flex_to_customer", "individual_customer_promise"}


def test_an_imposed_model_is_cleared_by_exempting_the_unit(plain: Advisor) -> None:
    found = plain.what_if("digital-team", organisation=ELECTRICITY, clear="measurement_misfit")
    first = found.repairs[0]
    assert [(c.action, c.subject) for c in first.changes] == [("exempt", "balanced_scorecard")]
    data = _data(ELECTRICITY)
    assert _still_in(plain, data, "digital-team", found, first, "measurement_misfit") == []


def test_a_perspective_conflict_says_which_view_would_have_to_move(plain: Advisor) -> None:
    found = plain.what_if("library", organisation=LIBRARY, clear="perspective_conflict")
    assert found.found
    views = [c for c in found.repairs[0].changes if c.action == "view"]
    assert {c.subject for c in views} == {"desired", "strategy"}
    assert {(c.before, c.after) for c in views} == {("customer_service", "public_administration")}
    assert (
        _still_in(plain, _data(LIBRARY), "library", found, found.repairs[0], "perspective_conflict")
        == []
    )


# --- every kind, every unit, every repair: checked by assessing it for real --------------------


def _kinds(advisor: Advisor, path: Path) -> list[tuple[str, str]]:
    advice = advisor.assess(path)
    return sorted({(u, c.kind) for c in advice.conflicts for u in c.units})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_repair_takes_the_unit_out_and_changes_only_levers_and_models(
    plain: Advisor, path: Path
) -> None:
    data = _data(path)
    for unit, kind in _kinds(plain, path):
        found = plain.what_if(unit, organisation=path, clear=kind)
        assert len(found.repairs) <= 3
        offered: set[str] = set()
        for repair in found.repairs:
            for change in repair.changes:
                if change.action == "trait":
                    assert change.trait_kind == "lever", (unit, kind, change)
            mine = {change.model_dump_json() for change in repair.changes}
            assert not mine & offered, "two repairs have a change in common"
            offered |= mine
            acted = [c.subject for c in repair.changes if c.action != "replace"]
            acted += [str(c.after) for c in repair.changes if c.action == "replace"]
            acted += [c.subject for c in repair.changes if c.action == "replace"]
            assert len(acted) == len(set(acted)), "two changes of one repair act on one thing"
            assert _still_in(plain, data, unit, found, repair, kind) == [], (unit, kind, repair)
            assert repair.cleared, "a repair clears the findings of the kind it was asked to"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_model_repairs_come_before_practices_and_views(plain: Advisor, path: Path) -> None:
    order = {"replace": 0, "exempt": 0, "drop": 0, "add": 0, "trait": 1, "view": 2}
    for unit, kind in _kinds(plain, path):
        found = plain.what_if(unit, organisation=path, clear=kind)
        ranks = [max(order[c.action] for c in r.changes) for r in found.repairs]
        assert ranks == sorted(ranks), (unit, kind)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_findings_are_named_as_the_assessment_names_them(
    plain: Advisor, shipped_kb: KnowledgeBase, path: Path
) -> None:
    organisation, document = read_organisation(path, plain.limits)
    checked = check_organisation(shipped_kb, organisation, document, plain.limits)
    states = [s for s, _ in plain._unit_states(organisation, checked.values)]
    advice = plain.assess(path)
    local = [r for r in shipped_kb.conflicts if joins_one_unit(r)]
    for unit in organisation.units:
        world = World(
            shipped_kb,
            plain._scorer,
            plain.graph,
            states,
            organisation.imposed_models,
            checked.views,
            checked.ratings,
            unit.id,
            "en",
            plain.limits.max_conflict_bindings,
        )
        (before,) = world.outcomes([world.base])
        mine = {c.id: set(c.units) for c in advice.conflicts if unit.id in c.units}
        seen = {k: set(f.units) for k, f in before.findings.items() if unit.id in f.units}
        assert set(seen) == set(mine), unit.id
        for key, named in seen.items():
            assert named <= mine[key]
        (alone,) = world.findings_alone([before.state], [world.base], local)
        names = {r.id for r in local}
        assert {k for k, f in alone.items() if unit.id in f.units} == {
            c.id
            for c in advice.conflicts
            if any(
                m.rule in names and any(f.get("uid") == unit.id for f in m.facts.values())
                for m in c.matches
            )
        }, unit.id


def test_a_rule_joining_camps_or_other_units_is_not_searched_alone(
    shipped_kb: KnowledgeBase,
) -> None:
    alone = {r.id for r in shipped_kb.conflicts if joins_one_unit(r)}
    assert "units_split_on_model" not in alone
    assert {
        "imposed_measurement_misfits_mode",
        "measurement_in_use_misfits_mode",
        "period_figures_miss_the_work",
        "strategy_mode_crosses_current",
        "customers_expect_production",
    } <= alone


# --- a target mode -------------------------------------------------------------------------------


def test_the_repair_makes_the_target_dominant_with_levers_only(plain: Advisor) -> None:
    found = plain.what_if(WORKS, target="production")
    assert found.found
    assert all(c.trait_kind == "lever" for r in found.repairs for c in r.changes)
    for repair in found.repairs:
        fixed = {**WORKS, "traits": {**WORKS["traits"]}}
        for change in repair.changes:
            fixed["traits"][change.subject] = change.after
        advice = plain.assess({"organisation": "o", "units": [fixed]})
        assert advice.units[0].profile.dominant == "production"
        assert repair.dominant_after == "production"
        # fewest changes: no change of the repair can be left out
        for left_out in repair.changes:
            fewer = {**WORKS, "traits": {**WORKS["traits"]}}
            for change in repair.changes:
                if change is not left_out:
                    fewer["traits"][change.subject] = change.after
            again = plain.assess({"organisation": "o", "units": [fewer]})
            assert again.units[0].profile.dominant != "production"


def test_a_circumstance_changes_only_when_allowed(plain: Advisor) -> None:
    held = plain.what_if(WORKS, target="production")
    assert "project_work_share" not in {c.subject for c in held.changes}
    allowed = plain.what_if(WORKS, target="production", allow=["project_work_share"])
    assert [(c.subject, c.before, c.after, c.trait_kind) for c in allowed.changes] == [
        ("project_work_share", 50, 49.999999, "circumstance")
    ]
    assert allowed.allowed == ["project_work_share"]
    assert "allowed by you" in allowed.to_text()


def test_nothing_reachable_names_what_was_held(plain: Advisor) -> None:
    found = plain.what_if("rnd", organisation=MANUFACTURER, target="production")
    assert not found.found
    assert found.repairs == []
    assert {"cost_focus", "uncertainty_level", "periodic_figures_informative"} <= set(found.held)
    assert "--allow" in found.to_text()


def test_already_there_needs_no_change(plain: Advisor) -> None:
    found = plain.what_if(WORKS, target="development")
    assert found.found
    assert found.already
    assert found.changes == []
    assert "nothing to change" in found.to_text()
    cleared = plain.what_if("plant", organisation=MANUFACTURER, clear="perspective_conflict")
    assert cleared.already
    assert "takes part in no finding" in cleared.to_text()


#: Units drawn over the shipped catalogue, and a target mode for each.
SHIPPED = load_knowledge_base(shipped_rules_dir())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=units(SHIPPED, max_units=1), target=st.sampled_from(list(SHIPPED.archetypes)))
def test_generated_units_change_only_levers(
    plain: Advisor, drawn: list[dict[str, Any]], target: str
) -> None:
    found = plain.what_if(copy.deepcopy(drawn[0]), target=target)
    for repair in found.repairs:
        assert all(c.action == "trait" and c.trait_kind == "lever" for c in repair.changes)
        assert 1 <= len(repair.changes) <= 3
        assert repair.dominant_after == target
    offered = [c.model_dump_json() for r in found.repairs for c in r.changes]
    assert len(offered) == len(set(offered)), "two repairs have a change in common"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "prodution"}, "did you mean 'production'"),
        ({"clear": "measurement_misfit:balanced_scorecad"}, "did you mean 'measurement_misfit:"),
        ({"clear": "mesurement_misfit"}, "did you mean 'measurement_misfit'"),
        ({"clear": "nothing_like_it"}, "rnd"),
        ({}, "give either a target archetype or a conflict"),
        ({"target": "production", "clear": "measurement_misfit"}, "give either"),
        ({"target": "production", "allow": ["cost_fokus"]}, "did you mean 'cost_focus'"),
    ],
)
def test_bad_goals_are_refused(plain: Advisor, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(OrganisationError, match=message):
        plain.what_if("rnd", organisation=MANUFACTURER, **kwargs)


def test_an_unknown_unit_is_refused_with_a_did_you_mean(plain: Advisor) -> None:
    with pytest.raises(UnknownUnitError, match="did you mean 'rnd'"):
        plain.what_if("rdn", organisation=MANUFACTURER, target="production")


def test_a_unit_and_its_organisation_are_given_one_way(plain: Advisor) -> None:
    with pytest.raises(TypeError, match="needs the organisation"):
        plain.what_if("rnd", target="production")
    with pytest.raises(TypeError, match="by its id"):
        plain.what_if(WORKS, organisation=MANUFACTURER, target="production")


# --- the command line ----------------------------------------------------------------------------


def test_cli_what_if_text_json_and_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(MANUFACTURER)
    args = ["what-if", example, "--unit", "rnd", "--clear", "measurement_misfit"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "1. replace Balanced scorecard (BSC) with Project follow-up" in text
    assert main([*args, "--lang", "fi"]) == 0
    assert "korvatkaa Tasapainotettu mittaristo (BSC) mallilla" in capsys.readouterr().out
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["repairs"][0]["changes"][0]["action"] == "replace"
    assert data["repairs"][0]["cleared"] == ["measurement_misfit:balanced_scorecard"]
    allow = [
        "--target",
        "production",
        "--allow",
        "cost_focus",
        "--allow",
        "established_way_of_working",
    ]
    assert main(["what-if", example, "--unit", "rnd", *allow]) == 0
    capsys.readouterr()
    assert main(["what-if", example, "--unit", "rdn", "--target", "production"]) == 2
    assert "did you mean 'rnd'" in capsys.readouterr().err
    assert main(["what-if", example, "--unit", "rnd", "--clear", "x", "--allow", "cost"]) == 2
    assert "cost" in capsys.readouterr().err


def test_the_readme_shows_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What-if") :]
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert main(command.split()[1:]) == 0
    assert capsys.readouterr().out == shown


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_repair_of_a_joined_finding_clears_it_and_names_what_it_creates(
    plain: Advisor, path: Path
) -> None:
    data = _data(path)
    before = plain.assess(path)
    tried = 0
    for conflict in before.conflicts:
        if conflict.kind != "unit_mode_conflict":
            continue
        for unit in conflict.units:
            found = plain.what_if(unit, organisation=path, clear=conflict.id)
            for repair in found.repairs:
                tried += 1
                current = before.unit(unit).profile.weights
                after = plain.assess(_apply(data, unit, repair, current))
                named = {c.id for c in after.conflicts if unit in c.units}
                assert conflict.id not in named
                assert conflict.id in repair.cleared
                was = {c.id: set(c.units) for c in before.conflicts}
                new = {
                    c.id
                    for c in after.conflicts
                    if c.id not in was or (unit in c.units and unit not in was[c.id])
                }
                assert set(repair.created) == new, (unit, repair)
    if path.stem == "electricity-distribution":
        assert tried  # the grid operations' own model in its group


def test_a_pack_written_before_kinds_changes_no_trait_unless_allowed(
    mini_kb: KnowledgeBase,
) -> None:
    advisor = Advisor(mini_kb, backend="vectorised")
    unit = {"id": "u", "traits": {"risky": True, "cost": 2, "focus": ["novelty"]}}
    assert advisor.assess({"organisation": "o", "units": [unit]}).units[0].profile.dominant == "dev"
    held = advisor.what_if(unit, target="prod")
    assert not held.found
    assert "cost" in held.held
    allowed = advisor.what_if(unit, target="prod", allow=["cost"])
    assert [(c.subject, c.after, c.trait_kind) for c in allowed.changes] == [("cost", 4, None)]
    assert "kind not given, allowed by you" in allowed.to_text()


# --- the answer as a reader reads it ----------------------------------------------------------


def test_a_cleared_finding_is_named_by_its_kind_and_model_not_its_id(
    shipped_kb: KnowledgeBase,
) -> None:
    finnish = Advisor(shipped_kb, backend="vectorised", lang="fi")
    found = finnish.what_if("rnd", organisation=MANUFACTURER, clear="measurement_misfit")
    assert found.findings["measurement_misfit:balanced_scorecard"].about == ["balanced_scorecard"]
    text = found.to_text()
    assert "poistuvat havainnot: mittaaminen ei sovi toimintatapaan " in text
    assert "(Tasapainotettu mittaristo (BSC))" in text
    assert "measurement_misfit" not in text
    assert "balanced_scorecard" not in text


def test_a_finding_about_a_unit_names_the_unit(plain: Advisor) -> None:
    """A perspective conflict is about a unit: the text gives the unit's name from the file."""
    for path in EXAMPLES:
        for unit, kind in _kinds(plain, path):
            if kind != "perspective_conflict":
                continue
            found = plain.what_if(unit, organisation=path, clear=kind)
            names = {u["id"]: u.get("name", u["id"]) for u in _data(path)["units"]}
            for ref in found.findings.values():
                assert set(ref.about) <= set(names)
                assert all(names[u] in found.to_text() for u in ref.about if names[u] != u)
            return
    pytest.fail("no example has a perspective conflict")


def test_held_traits_are_named_with_the_id_allow_takes(shipped_kb: KnowledgeBase) -> None:
    finnish = Advisor(shipped_kb, backend="vectorised", lang="fi")
    found = finnish.what_if("rnd", organisation=MANUFACTURER, target="production")
    text = found.to_text()
    assert "Kustannuspainotus [cost_focus]" in text
    assert "Tuotantolähtöinen ei tule hallitsevaksi toimintatavaksi" in text


@pytest.mark.parametrize(
    ("allow", "shown"),
    [
        ("sector", "yksityinen sektori -> julkinen sektori"),
        ("customer_value_basis", "{tuttujen tuotteiden parannetut ominaisuudet}"),
    ],
)
def test_category_and_set_values_are_shown_by_their_labels(
    shipped_kb: KnowledgeBase, allow: str, shown: str
) -> None:
    finnish = Advisor(shipped_kb, backend="vectorised", lang="fi")
    found = finnish.what_if(WORKS, target="production", allow=[allow])
    assert allow in found.value_names
    assert shown in found.to_text()
