"""A short run of every fuzz target (the long run is `python fuzz/run.py`, 10,000 per target)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from modeadvisor.backends import durable_available

from .conftest import ROOT

pytestmark = pytest.mark.slow  # a child process per target: 1-8 s each


@pytest.mark.parametrize(
    "target", ["condition", "rule_file", "organisation", "survey", "scoring", "joins"]
)
def test_fuzz_target_short_run(target: str) -> None:
    """Each target in a child process: a crash or a hang is a failure, not a dead test run."""
    if target in ("scoring", "joins") and not durable_available():
        pytest.skip("these targets run the durable-rules engine, which does not import here")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "run.py"),
            "--target",
            target,
            "--cases",
            "120",
            "--seed",
            "11",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.startswith(target)
