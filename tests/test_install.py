"""A plain `pip install .` into a fresh virtual environment works from another directory.

This is the promise of the design card: the shipped rules are package data, so an installed
modeadvisor needs nothing from the source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow  # builds a fresh virtual environment: about 25 s


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fresh") / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return target


def test_installed_package_carries_its_rules(installed: Path, tmp_path: Path) -> None:
    script = ROOT / "tests" / "scripts" / "shipped_rules_dir.py"
    result = subprocess.run(
        [str(installed / "bin" / "python"), str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    rules = Path(result.stdout.strip())
    assert rules.is_relative_to(installed)
    assert (rules / "traits.yaml").is_file()


def test_installed_cli_assesses_from_another_directory(installed: Path, tmp_path: Path) -> None:
    example = tmp_path / "org.yaml"
    example.write_bytes((ROOT / "examples" / "service-company.yaml").read_bytes())
    result = subprocess.run(
        [str(installed / "bin" / "modeadvisor"), "assess", "org.yaml", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"dominant": "customer_service"' in result.stdout


def test_installed_cli_matches_the_development_tree(installed: Path) -> None:
    args = ["assess", str(ROOT / "examples" / "municipality.yaml"), "--format", "json"]
    fresh = subprocess.run(
        [str(installed / "bin" / "modeadvisor"), *args], capture_output=True, check=True
    ).stdout
    here = subprocess.run(
        [sys.executable, "-m", "modeadvisor.cli", *args], capture_output=True, check=True
    ).stdout
    assert fresh == here


# --- a lean install: assessing needs no test tool, and a command that needs an extra names it --


def test_the_bare_install_brings_no_test_tool(installed: Path) -> None:
    listed = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "pip", "list", "--format", "freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    names = {line.split("==")[0] for line in listed.splitlines()}
    assert "modeadvisor" in names
    unwanted = {
        "pytest",
        "pytest-bdd",
        "gherkin-official",
        "mako",
        "openpyxl",
        "fastapi",
        "prompt-toolkit",
    }
    assert not names & (unwanted | {"uvicorn", "starlette"}), names


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["test"], "bdd"),
        (["steps"], "bdd"),
        (["pack", "export", "PACK", "-o", "pack.xlsx"], "spreadsheet"),
        (["interview", "-o", "org.yaml"], "interview"),
        (["serve", "--port", "1"], "server"),
    ],
)
def test_a_command_that_needs_an_extra_names_it(
    installed: Path, tmp_path: Path, args: list[str], extra: str
) -> None:
    args = [str(ROOT / "rules") if a == "PACK" else a for a in args]
    result = subprocess.run(
        [str(installed / "bin" / "modeadvisor"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert f"needs the {extra} extra" in result.stderr
    assert f"pip install 'modeadvisor[{extra}]'" in result.stderr


def test_the_bare_install_exports_dmn(installed: Path, tmp_path: Path) -> None:
    command = [str(installed / "bin" / "modeadvisor"), "pack", "export", str(ROOT / "rules")]
    result = subprocess.run(
        [*command, "-o", "core.dmn"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "core.dmn").read_text("utf-8").count("<decisionTable") == 4


def test_the_installed_cli_speaks_finnish(installed: Path, tmp_path: Path) -> None:
    # the compiled catalogues are package data: help and errors in Finnish from the wheel
    env = {**os.environ, "MODEADVISOR_LANG": "fi"}
    command = [str(installed / "bin" / "modeadvisor")]
    helped = subprocess.run(
        [*command, "assess", "--help"], capture_output=True, text=True, env=env, check=True
    )
    assert helped.stdout.startswith("käyttö: modeadvisor assess")
    assert "organisaatiotiedosto (YAML tai JSON)" in helped.stdout
    bad = tmp_path / "org.yaml"
    bad.write_text("organisation: X\nunits:\n  - id: a\n    traits: {cost_focuss: 3}\n")
    refused = subprocess.run(
        [*command, "assess", str(bad)], capture_output=True, text=True, env=env, check=False
    )
    assert refused.returncode == 2
    assert "tuntematon piirre 'cost_focuss' (tarkoititko 'cost_focus'?)" in refused.stderr
