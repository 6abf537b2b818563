"""Rule impact analysis: the same pack changes nothing; an edit's changes are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modeadvisor import Advisor
from modeadvisor.authoring.impact import compare, sample_population
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
    assert data["organisations"] == 3
    assert {
        "dominant_changed",
        "recommendations_changed",
        "conflicts_appeared",
        "examples_dominant",
    } <= set(data)
    assert main(["impact", str(ROOT / "rules"), str(edited), "--sample", "20"]) == 0
    assert "dominant mode changed" in capsys.readouterr().out
