"""Scale: large generated packs through the durable path, and one Advisor under 8 threads."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from modeadvisor import Advisor
from modeadvisor.backends import durable_available

from .conftest import ROOT


@pytest.mark.slow
@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")
def test_packs_of_2000_and_10000_rules_assess_correctly_through_durable_rules() -> None:
    """In a subprocess: a hang or crash of the engine would otherwise take the run down."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "scripts" / "large_packs.py")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sizes = [int(line.split()[0]) for line in result.stdout.split("\n") if line]
    assert sizes == [2000, 10000]


@pytest.mark.slow
def test_one_advisor_from_8_threads_gives_the_sequential_results(advisor: Advisor) -> None:
    """10,000 assessments of 20 different units, once in order and once from 8 threads."""
    from .test_whatif import LAB, WORKS

    variants = [
        {
            **unit,
            "id": f"{unit['id']}{i}",
            "traits": {**unit["traits"], "uncertainty_level": 1 + i % 5},
        }
        for i in range(10)
        for unit in (LAB, WORKS)
    ]
    jobs = [{"organisation": "o", "units": [variants[i % len(variants)]]} for i in range(10_000)]
    sequential = [advisor.assess(job).to_json() for job in jobs[: len(variants)]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda job: advisor.assess(job).to_json(), jobs))
    assert threaded == [sequential[i % len(variants)] for i in range(len(jobs))]
