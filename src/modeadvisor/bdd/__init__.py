"""Feature files for modeadvisor: a pytest plugin with the step library, and rule coverage.

Needs the `bdd` extra (`pip install 'modeadvisor[bdd]'`: pytest and pytest-bdd); nothing else in
modeadvisor imports this package, so an application that embeds modeadvisor never loads pytest.

How the plugin is switched on. A `pytest11` entry point would load it into every pytest run of
every project that has modeadvisor installed, and entry points cannot depend on an extra; so it
has none and loads only where it is asked for:

- `modeadvisor test [FEATURES ...] [--pack DIR ...]` runs feature files with no Python at all
  (it runs pytest with this plugin on them);
- `pytest -p modeadvisor.bdd --modeadvisor-features features/`, or the same in the project's
  `addopts`, collects `.feature` files directly;
- `pytest_plugins = ["modeadvisor.bdd"]` in a project's top-level `conftest.py`, with
  `scenarios("features")` (pytest-bdd) in a test module, as before.

Options: `--modeadvisor-rules DIR` (repeat to layer packs; default the shipped pack),
`--modeadvisor-features` (collect `.feature` files), and rule coverage:
`--modeadvisor-coverage FILE.json`, `--modeadvisor-coverage-html FILE.html`,
`--modeadvisor-fail-under PERCENT` (the run fails below it), `--modeadvisor-coverage-report`
(a summary in the terminal).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario as bind_scenario
from pytest_bdd.feature import get_feature
from pytest_bdd.parser import Feature, Scenario

from modeadvisor.advice import Advice
from modeadvisor.advisor import Advisor
from modeadvisor.authoring.coverage import CoverageReport, measure, to_html, to_text
from modeadvisor.bdd._context import AdviceContext, UnknownNameError
from modeadvisor.bdd.steps import StepDoc, step_catalogue
from modeadvisor.knowledge import KnowledgeBase, load_knowledge_base, shipped_rules_dir

__all__ = ["AdviceContext", "StepDoc", "UnknownNameError", "step_catalogue"]

#: the step library is a plugin of its own (pytest-bdd registers steps in the defining module)
pytest_plugins = ["modeadvisor.bdd.steps"]

_KB = pytest.StashKey[KnowledgeBase]()
_RECORDER = pytest.StashKey["Recorder"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("modeadvisor", "modeadvisor feature files")
    group.addoption(
        "--modeadvisor-rules",
        metavar="DIR",
        action="append",
        default=[],
        help="rule pack folder the feature steps use; repeat to layer packs (default: the "
        "shipped pack)",
    )
    group.addoption(
        "--modeadvisor-features",
        action="store_true",
        help="collect .feature files given or found under the paths, with no Python file",
    )
    group.addoption(
        "--modeadvisor-coverage", metavar="FILE", help="write rule coverage as JSON to FILE"
    )
    group.addoption(
        "--modeadvisor-coverage-html",
        metavar="FILE",
        help="write rule coverage as a self-contained HTML page to FILE",
    )
    group.addoption(
        "--modeadvisor-coverage-report",
        action="store_true",
        help="print rule coverage (and a suggested scenario per uncovered rule)",
    )
    group.addoption(
        "--modeadvisor-fail-under",
        metavar="PERCENT",
        type=float,
        help="fail the run when rule coverage is below PERCENT",
    )


def pytest_configure(config: pytest.Config) -> None:
    options = ("coverage", "coverage_html", "coverage_report", "fail_under")
    if any(config.getoption(f"modeadvisor_{name}") for name in options):
        config.stash[_RECORDER] = Recorder()


def knowledge_base(config: pytest.Config) -> KnowledgeBase:
    """The pack of this run, loaded once: `--modeadvisor-rules` layers, else the shipped one."""
    if _KB not in config.stash:
        folders = config.getoption("modeadvisor_rules") or [shipped_rules_dir()]
        config.stash[_KB] = load_knowledge_base(*folders)
    return config.stash[_KB]


@pytest.fixture(scope="session")
def modeadvisor_advisor(request: pytest.FixtureRequest) -> Advisor:
    """One advisor for the whole run (building it compiles the pack)."""
    return Advisor(knowledge_base(request.config))


@pytest.fixture
def modeadvisor_context(
    request: pytest.FixtureRequest, modeadvisor_advisor: Advisor
) -> AdviceContext:
    """What the scenario has said; paths in its steps are relative to its feature file."""
    feature = request.node.stash.get(_FEATURE, None)
    context = AdviceContext(modeadvisor_advisor.knowledge_base)
    if feature is not None:
        context.base = feature.parent
    request.node.stash[_CONTEXT] = context
    return context


_FEATURE = pytest.StashKey[Path]()
_CONTEXT = pytest.StashKey[AdviceContext]()


def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    request.node.stash[_FEATURE] = Path(feature.filename)


def pytest_bdd_after_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    recorder = request.config.stash.get(_RECORDER, None)
    context = request.node.stash.get(_CONTEXT, None)
    if recorder is not None and context is not None:
        path = Path(feature.filename)
        if path.is_relative_to(request.config.rootpath):
            path = path.relative_to(request.config.rootpath)
        recorder.add(f"{path.as_posix()}: {scenario.name}", context.assessed)


# --- feature files collected with no Python file ---------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if file_path.suffix == ".feature" and parent.config.getoption("modeadvisor_features"):
        module: pytest.Module = FeatureModule.from_parent(parent, path=file_path)
        return module
    return None


class FeatureModule(pytest.Module):
    """A `.feature` file as a test module: one test per scenario, bound by pytest-bdd."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(f"feature_{_python_name(self.path.stem)}")
        module.__file__ = str(self.path)
        feature = get_feature(str(self.path.parent), self.path.name)
        names: set[str] = set()
        for scenario_name in feature.scenarios:
            test = bind_scenario(str(self.path), scenario_name)(_scenario_body)
            name = _unique(f"test_{_python_name(scenario_name)}", names)
            setattr(module, name, test)
        return module


def _scenario_body() -> None:
    """The steps do the work; the scenario function itself has nothing to add."""


def _python_name(text: str) -> str:
    return re.sub(r"\W+", "_", text.lower()).strip("_") or "scenario"


def _unique(name: str, taken: set[str]) -> str:
    candidate, index = name, 1
    while candidate in taken:
        index += 1
        candidate = f"{name}_{index}"
    taken.add(candidate)
    return candidate


# --- rule coverage ---------------------------------------------------------------------------


class Recorder:
    """Every advice each scenario obtained, for the coverage of the pack's rules."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, list[Advice]]] = []

    def add(self, scenario: str, assessed: list[Advice]) -> None:
        self.runs.append((scenario, list(assessed)))

    def report(self, kb: KnowledgeBase) -> CoverageReport:
        return measure(kb, self.runs)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None:
        return
    report = recorder.report(knowledge_base(config))
    config.stash[_REPORT] = report
    json_path = config.getoption("modeadvisor_coverage")
    html_path = config.getoption("modeadvisor_coverage_html")
    if json_path:
        Path(json_path).write_text(report.to_json(), encoding="utf-8")
    if html_path:
        Path(html_path).write_text(to_html(report), encoding="utf-8")
    floor = config.getoption("modeadvisor_fail_under")
    if floor is not None and not report.reaches(floor) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_REPORT = pytest.StashKey[CoverageReport]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if report is None:
        return
    detailed = bool(config.getoption("modeadvisor_coverage_report"))
    for line in _summary_lines(report, config, detailed=detailed):
        terminalreporter.write_line(line)


def _summary_lines(
    report: CoverageReport, config: pytest.Config, *, detailed: bool
) -> Iterator[str]:
    text = to_text(report, suggestions=detailed)
    yield from (text if detailed else text.split("\n\n")[0]).rstrip("\n").splitlines()
    floor = config.getoption("modeadvisor_fail_under")
    if floor is not None and not report.reaches(floor):
        yield f"FAIL: rule coverage {report.percent:.1f}% is under --fail-under {floor:g}%"
