"""Rule coverage: what scenarios exercise is counted right, and the shipped features cover it all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBase
from modeadvisor.authoring.coverage import (
    covered_by,
    measure,
    satisfying_traits,
    suggest,
    to_html,
    to_text,
)

from .conftest import ROOT


def test_an_example_covers_what_its_advice_shows(
    advisor: Advisor, shipped_kb: KnowledgeBase
) -> None:
    advice = advisor.assess(ROOT / "examples" / "manufacturer.yaml")
    report = measure(shipped_kb, [("manufacturer", [advice])])
    covered = {(i.section, i.id) for i in report.items if i.scenarios}
    assert covered == set(covered_by(advice))
    rnd = advice.unit("rnd")
    assert ("rules", rnd.evidence[0].rule) in covered
    assert ("links", "development -> milestone_project_followup") in covered  # recommended
    assert ("links", "development -> balanced_scorecard") in covered  # avoided: poor_fit
    assert ("links", "production -> milestone_project_followup") not in covered
    # every rule with a match in a finding, folded in or leading
    assert {r for c in advice.conflicts for r in c.rules} == {
        i for s, i in covered if s == "conflicts"
    }
    assert ("conflicts", "period_figures_miss_the_work") in covered  # folded into a misfit
    total = len(shipped_kb.rules) + len(shipped_kb.conflicts)
    total += sum(1 for x in shipped_kb.links if x.relation != "evolves_to")
    assert report.total.total == total
    assert report.reaches(report.total.covered * 100 / total)
    assert not report.reaches(100)


def test_nothing_run_covers_nothing_and_every_item_gets_a_suggestion(
    shipped_kb: KnowledgeBase,
) -> None:
    report = measure(shipped_kb, [])
    assert report.total.covered == 0
    assert report.total.percent == 0.0
    assert all(item.suggestion for item in report.items)
    text = to_text(report)
    assert "not covered (" in text
    assert "rules/scoring/" in text  # where each rule is written
    page = to_html(report)
    assert page.count("class='miss'") == report.total.total


def test_every_suggested_scenario_for_a_rule_fires_it(
    advisor: Advisor, shipped_kb: KnowledgeBase
) -> None:
    for rule in shipped_kb.rules:
        traits = satisfying_traits(shipped_kb, rule)
        assert traits is not None, rule.id
        unit = advisor.assess({"organisation": "o", "units": [{"id": "u", "traits": traits}]})
        assert rule.id in [e.rule for e in unit.units[0].evidence], (rule.id, traits)
        assert f'Then the rule "{rule.id}" fired' in suggest(shipped_kb, "rules", rule.id)


@pytest.mark.slow
def test_the_shipped_features_cover_every_shipped_rule(tmp_path: Path) -> None:
    out = tmp_path / "coverage.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "modeadvisor.cli",
            "test",
            str(ROOT / "features"),
            "--coverage-json",
            str(out),
            "--fail-under",
            "100",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    report = json.loads(out.read_text("utf-8"))
    assert report["total"]["percent"] == 100.0
    assert {s: t["percent"] for s, t in report["sections"].items()} == {
        "rules": 100.0,
        "links": 100.0,
        "conflicts": 100.0,
    }


@pytest.mark.slow
def test_lint_suggests_a_scenario_for_every_rule_no_feature_exercises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from modeadvisor.cli import main

    (tmp_path / "production.feature").write_bytes(
        (ROOT / "features" / "production.feature").read_bytes()
    )
    assert main(["lint", "--features", str(tmp_path), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    uncovered = {f["message"].split("'")[1]: f for f in findings if f["code"].startswith("uncov")}
    assert "project_based_work" in uncovered  # a development rule: no production scenario
    assert "cost_leadership" not in uncovered
    hint = uncovered["project_based_work"]["hint"]
    assert hint.startswith("add a scenario: a unit with project_work_share 50")
    assert uncovered["project_based_work"]["file"].endswith("development.yaml")
    assert {f["severity"] for f in uncovered.values()} == {"info"}
