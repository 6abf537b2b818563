"""What-if: the smallest repair, checked by assessing the repaired unit for real."""

from __future__ import annotations

from typing import Any

import pytest

from modeadvisor import Advisor, OrganisationError
from modeadvisor.cli import main

from .conftest import ROOT

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


def _apply(unit: dict[str, Any], changes: list[Any]) -> dict[str, Any]:
    traits = dict(unit["traits"])
    for change in changes:
        traits[change.trait] = change.after
    return {**unit, "traits": traits}


def test_the_repair_makes_the_target_dominant(advisor: Advisor) -> None:
    repair = advisor.what_if(WORKS, target="production")
    assert repair.found
    assert [(c.trait, c.before, c.after) for c in repair.changes] == [
        ("project_work_share", 50, 49.999999)
    ]
    assert repair.rules_stop == ["project_based_work"]
    fixed = advisor.assess({"organisation": "o", "units": [_apply(WORKS, repair.changes)]})
    assert fixed.units[0].profile.dominant == "production"


def test_the_repair_clears_a_conflict(advisor: Advisor) -> None:
    before = advisor.assess({"organisation": "o", "units": [LAB]})
    assert [c.kind for c in before.conflicts] == ["measurement_misfit"]
    repair = advisor.what_if(LAB, clear="measurement_misfit")
    assert repair.found
    assert len(repair.changes) == 1
    fixed = advisor.assess({"organisation": "o", "units": [_apply(LAB, repair.changes)]})
    assert fixed.conflicts == []


def test_already_there_needs_no_change(advisor: Advisor) -> None:
    repair = advisor.what_if(WORKS, target="development")
    assert repair.found
    assert repair.changes == []
    assert "nothing to change" in repair.to_text()


def test_fewest_traits_first(advisor: Advisor) -> None:
    repair = advisor.what_if(LAB, target="production")
    if repair.found:  # whatever it needs, no smaller set of traits does it
        fixed = advisor.assess({"organisation": "o", "units": [_apply(LAB, repair.changes)]})
        assert fixed.units[0].profile.dominant == "production"
        for change in repair.changes:
            fewer = [c for c in repair.changes if c is not change]
            again = advisor.assess({"organisation": "o", "units": [_apply(LAB, fewer)]})
            assert again.units[0].profile.dominant != "production"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "prodution"}, "did you mean 'production'"),
        ({"clear": "unit_mode_conflict"}, "not a conflict a unit raises on its own"),
        ({}, "give either a target archetype or a conflict"),
    ],
)
def test_bad_goals_are_refused(advisor: Advisor, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(OrganisationError, match=message):
        advisor.what_if(WORKS, **kwargs)


def test_cli_what_if(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(ROOT / "examples" / "manufacturer.yaml")
    assert main(["what-if", example, "--unit", "rnd", "--target", "production"]) == 0
    assert "rnd:" in capsys.readouterr().out
    assert main(["what-if", example, "--unit", "rdn", "--target", "production"]) == 2
    assert "did you mean 'rnd'" in capsys.readouterr().err
