"""Running feature files: what `modeadvisor test` does, with nothing to import until it runs.

The step library and its plugin are `modeadvisor.bdd` (the `bdd` extra). This module imports
neither pytest nor pytest-bdd before it runs them: a plugin imported before pytest starts could
not have its assertions rewritten, and an install without the extra must still be able to say
which extra is missing (`MissingExtraError`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from modeadvisor.knowledge import load_knowledge_base, shipped_rules_dir

#: What the `bdd` extra brings, by import name.
BDD_MODULES = ("pytest", "pytest_bdd")


class MissingExtraError(ImportError):
    """An optional part of modeadvisor is not installed; `extra` names what to install."""

    def __init__(self, extra: str, missing: str) -> None:
        super().__init__(f"No module named '{missing}'")
        self.extra = extra
        self.missing = missing


def require_bdd() -> None:
    """Raise MissingExtraError unless pytest and pytest-bdd can be imported."""
    for module in BDD_MODULES:
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError("bdd", module)


def run_features(
    paths: Sequence[Path],
    packs: Sequence[Path] = (),
    *,
    coverage: bool = False,
    coverage_json: Path | None = None,
    coverage_html: Path | None = None,
    fail_under: float | None = None,
    extra: Sequence[str] = (),
) -> int:
    """Run feature files (or folders of them) with the step library; pytest's exit code.

    No Python file is needed: the plugin (`modeadvisor.bdd`) collects the `.feature` files. A `conftest.py`
    beside them may still add steps of its own. The packs are loaded first, so a mistake in one
    is a located `KnowledgeBaseError`, not a failure of every scenario.
    """
    require_bdd()
    import pytest  # only now: see the module's docstring

    load_knowledge_base(*(packs or [shipped_rules_dir()]))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such feature file or folder: {', '.join(missing)}")
    args = [str(p) for p in paths]
    args += ["-p", "modeadvisor.bdd", "--modeadvisor-features", "-p", "no:cacheprovider"]
    args += ["--tb=short"]  # the step and its message; a consultant has no use for locals
    common = Path(os.path.commonpath([p.resolve() for p in paths]))
    args += ["--rootdir", str(common if common.is_dir() else common.parent)]
    for pack in packs:
        args += ["--modeadvisor-rules", str(pack)]
    if coverage:
        args.append("--modeadvisor-coverage-report")
    if coverage_json is not None:
        args += ["--modeadvisor-coverage", str(coverage_json)]
    if coverage_html is not None:
        args += ["--modeadvisor-coverage-html", str(coverage_html)]
    if fail_under is not None:
        args += ["--modeadvisor-fail-under", str(fail_under)]
    return int(pytest.main([*args, *extra]))


def measure_features(paths: Sequence[Path], packs: Sequence[Path] = ()) -> tuple[int, str]:
    """Run feature files in a child process for their rule coverage: (its exit code, the JSON).

    A child process, so pytest's output and state stay out of the caller's (lint's) output.
    """
    require_bdd()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "coverage.json"
        command = [sys.executable, "-m", "modeadvisor.cli", "test", *map(str, paths)]
        for pack in packs:
            command += ["--pack", str(pack)]
        command += ["--coverage-json", str(out)]
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        if not out.is_file():
            raise FeatureRunError(run.returncode, (run.stderr or run.stdout)[-2000:])
        return run.returncode, out.read_text(encoding="utf-8")


class FeatureRunError(RuntimeError):
    """The feature files could not be run at all (not: some scenarios failed)."""

    def __init__(self, code: int, output: str) -> None:
        super().__init__(f"running the feature files failed (exit {code}):\n{output}")
