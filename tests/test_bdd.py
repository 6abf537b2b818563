"""The step library checks what it names, reads paths beside the feature file, and runs feature
files with no Python file (`modeadvisor test`), loading only where it is asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

PLANT = """
    Given a unit "plant" with traits:
      | trait                        | value       |
      | established_way_of_working   | 5           |
      | cost_focus                   | 5           |
      | own_business_followup        | 5           |
      | profitability_before_growth  | 4           |
      | innovation_type              | incremental |
      | stabilising_leadership       | 4           |
      | goal_clarity                 | 5           |
      | periodic_figures_informative | 4           |
      | resource_based_steering      | 5           |
      | uncertainty_level            | 2           |
    And the unit uses "balanced_scorecard"
    When the unit is assessed
"""

#: (a check with a misspelt id, what the failure suggests, the same check spelt right)
MISSPELT = [
    (
        'Then "milestone_project_folowup" is not recommended',
        "milestone_project_followup",
        'Then "milestone_project_followup" is not recommended',
    ),
    (
        'Then "balanced_scorecrd" is not to be avoided',
        "balanced_scorecard",
        'Then "balanced_scorecard" is not to be avoided',
    ),
    (
        'Then there is no "unit_mode_conflit" conflict',
        "unit_mode_conflict",
        'Then there is no "unit_mode_conflict" conflict',
    ),
    (
        'Then the rule "project_based_wrk" did not fire',
        "project_based_work",
        'Then the rule "project_based_work" did not fire',
    ),
    (
        'Then the dominant mode is "productin"',
        "production",
        'Then the dominant mode is "production"',
    ),
    (
        'Then the dominant mode of "plnt" is "production"',
        "plant",
        'Then the dominant mode of "plant" is "production"',
    ),
    ('Then the advice cites "S-P66"', "S-P6", 'Then the advice cites "S-P6"'),
    (
        'Then "milestone_project_folowup" is not recommended for "plant"',
        "milestone_project_followup",
        'Then "milestone_project_followup" is not recommended for "plant"',
    ),
    (
        'Then there is no "measurement_misfit" conflict for "plnt"',
        "plant",
        'Then there is no "measurement_misfit" conflict for "plant"',
    ),
]


def _feature(checks: list[str]) -> str:
    scenarios = [
        f"  Scenario: check {index}\n{PLANT}    {check}\n" for index, check in enumerate(checks)
    ]
    return "Feature: checks\n" + "\n".join(scenarios)


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # in-process: modeadvisor.bdd is imported already, so assertions stay plain
    return pytester.runpytest(
        "-p", "modeadvisor.bdd", "--modeadvisor-features", "--assert=plain", *args
    )


def test_a_misspelt_id_fails_positive_and_negative_steps(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", wrong=_feature([wrong for wrong, _, _ in MISSPELT]))
    result = _run(pytester)
    result.assert_outcomes(failed=len(MISSPELT))
    out = result.stdout.str()
    for _, meant, _ in MISSPELT:
        assert f"did you mean '{meant}'?" in out, meant


def test_the_same_steps_spelt_right_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", right=_feature([right for _, _, right in MISSPELT]))
    _run(pytester).assert_outcomes(passed=len(MISSPELT))


@pytest.mark.parametrize(
    ("table", "meant"),
    [
        ("| trait | value |\n      | cost_focu | 5 |", "cost_focus"),
        ("| trait | value |\n      | cost_focus | 5 |", None),
    ],
)
def test_trait_ids_in_tables_are_checked(
    pytester: pytest.Pytester, table: str, meant: str | None
) -> None:
    pytester.makefile(
        ".feature",
        traits=f"""Feature: traits
  Scenario: a table
    Given a unit "u" with traits:
      {table}
    When the unit is assessed
    Then there is too little evidence to name a mode
""",
    )
    result = _run(pytester)
    if meant is None:
        result.assert_outcomes(passed=1)
    else:
        result.assert_outcomes(failed=1)
        assert f"unknown trait 'cost_focu' in the pack: did you mean '{meant}'?" in (
            result.stdout.str()
        )


def test_models_modes_and_parents_in_givens_are_checked(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".feature",
        givens="""Feature: givens
  Scenario: an unknown model in use
    Given a unit "u" with traits:
      | trait | value |
      | cost_focus | 5 |
    And the unit uses "balanced_scorcard"
  Scenario: an unknown mode in a desired view
    Given a unit "u" with traits:
      | trait | value |
      | cost_focus | 5 |
    And the unit's desired mode is:
      | archetype | weight |
      | productio | 1 |
  Scenario: a parent not described
    Given a unit "u" with traits:
      | trait | value |
      | cost_focus | 5 |
    And a unit "c" under "uu" with traits:
      | trait | value |
      | cost_focus | 5 |
""",
    )
    result = _run(pytester)
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    assert "did you mean 'balanced_scorecard'?" in out
    assert "did you mean 'production'?" in out
    assert "unknown unit 'uu' in this scenario: did you mean 'u'?" in out


def test_paths_in_steps_are_relative_to_the_feature_file(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "deep" / "features"
    folder.mkdir(parents=True)
    organisations = folder.parent / "organisations"
    organisations.mkdir()
    (organisations / "org.yaml").write_bytes((ROOT / "examples" / "manufacturer.yaml").read_bytes())
    (folder / "org.feature").write_text(
        """Feature: a file beside
  Scenario: beside the feature file
    Given the organisation file "../organisations/org.yaml"
    When the organisation is assessed
    Then the dominant mode of "rnd" is "development"
  Scenario: relative to where pytest runs, which does not count
    Given the organisation file "deep/organisations/org.yaml"
    When the organisation is assessed
""",
        encoding="utf-8",
    )
    result = _run(pytester, str(folder))
    result.assert_outcomes(passed=1, failed=1)
    assert "paths are relative to the feature file's folder" in result.stdout.str()


def test_the_plugin_collects_no_feature_file_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", one=_feature([MISSPELT[0][2]]))
    assert pytester.runpytest("-p", "modeadvisor.bdd").ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_importing_modeadvisor_loads_no_test_tool() -> None:
    code = "import sys, modeadvisor; modeadvisor.Advisor.default(); print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for module in ("pytest", "pytest_bdd", "gherkin", "mako", "_pytest", "modeadvisor.bdd"):
        assert f"'{module}'" not in loaded, module


# --- modeadvisor test: no Python file -------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "modeadvisor.cli", "test", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_modeadvisor_test_runs_feature_files_alone(tmp_path: Path) -> None:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "plant.feature").write_text(
        _feature([MISSPELT[0][2], 'Then "balanced_scorecard" is recommended']), encoding="utf-8"
    )
    assert not list(tmp_path.rglob("*.py"))
    passed = _cli(cwd=tmp_path)  # default: ./features
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "2 passed" in passed.stdout
    (tmp_path / "features" / "wrong.feature").write_text(
        _feature([MISSPELT[2][0]]), encoding="utf-8"
    )
    failed = _cli("features", cwd=tmp_path)
    assert failed.returncode == 1
    assert "did you mean 'unit_mode_conflict'?" in failed.stdout
    assert _cli("features/plant.feature", cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_modeadvisor_test_layers_packs_and_reports_usage_errors(tmp_path: Path) -> None:
    pack = tmp_path / "acme"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        """pack: {id: acme, name: {en: ACME}, extends: core}
models:
  - id: acme_dashboard
    kind: measurement
    name: {en: ACME dashboard}
    description: {en: Weekly figures.}
links:
  - {from: production, to: acme_dashboard, relation: suits, strength: 0.9,
     reason: {en: Weekly figures suit steady work.}, source: [S-P6]}
""",
        encoding="utf-8",
    )
    feature = tmp_path / "acme.feature"
    feature.write_text(_feature(['Then "acme_dashboard" is recommended']), encoding="utf-8")
    assert _cli(str(feature), "--pack", str(pack), cwd=tmp_path).returncode == 0
    without = _cli(str(feature), cwd=tmp_path)
    assert without.returncode == 1
    assert "unknown model 'acme_dashboard'" in without.stdout
    (pack / "broken.yaml").write_text("rules:\n  - id: x\n    when: nonsense >= 4\n", "utf-8")
    broken = _cli(str(feature), "--pack", str(pack), cwd=tmp_path)
    assert broken.returncode == 2
    assert "broken.yaml:2" in broken.stderr
    missing = _cli("nowhere.feature", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no such feature file or folder: nowhere.feature" in missing.stderr
    (tmp_path / "empty").mkdir()
    assert _cli("empty", cwd=tmp_path).returncode == 2  # no scenarios found


@pytest.mark.slow
def test_modeadvisor_test_coverage_json_html_and_fail_under(tmp_path: Path) -> None:
    feature = tmp_path / "plant.feature"
    feature.write_text(_feature(['Then "balanced_scorecard" is recommended']), encoding="utf-8")
    out_json, out_html = tmp_path / "coverage.json", tmp_path / "coverage.html"
    run = _cli(
        str(feature),
        "--coverage",
        "--coverage-json",
        str(out_json),
        "--coverage-html",
        str(out_html),
        "--fail-under",
        "100",
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stdout  # the scenario passes; coverage is under 100 %
    assert "is under --fail-under 100%" in run.stdout
    report = json.loads(out_json.read_text("utf-8"))
    rules = {i["id"]: i for i in report["items"] if i["section"] == "rules"}
    assert rules["cost_leadership"]["scenarios"] == 1
    assert rules["cost_leadership"]["examples"] == ["plant.feature: check 0"]
    uncovered = rules["project_based_work"]
    assert uncovered["scenarios"] == 0
    assert 'Then the rule "project_based_work" fired' in uncovered["suggestion"]
    assert 'Then the rule "project_based_work" fired' in run.stdout  # --coverage prints them
    page = out_html.read_text("utf-8")
    assert "<script" not in page
    assert "http" not in page  # self-contained: nothing fetched
    assert "project_based_work" in page
    assert "cost_leadership" in page
    low = _cli(str(feature), "--fail-under", "1", cwd=tmp_path)
    assert low.returncode == 0, low.stdout
