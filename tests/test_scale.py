"""Scale: large generated packs through the durable path, and one Advisor under 8 threads."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from modeadvisor import Advisor
from modeadvisor.backends import durable_available

from .conftest import ROOT

LARGE_PACKS = """
import sys
sys.path.insert(0, sys.argv[1])
from run import generated_pack, reference, units
from modeadvisor import Advisor, load_knowledge_base
from modeadvisor.knowledge import shipped_rules_dir

kb = load_knowledge_base(shipped_rules_dir())
values = units(kb, 25, 4)
organisation = {"organisation": "o", "units": [
    {"id": f"u{i}", "traits": {k: sorted(v) if isinstance(v, frozenset) else v
                               for k, v in unit.items()}} for i, unit in enumerate(values)]}
for size in (2000, 10000):
    pack = generated_pack(kb, size)
    advice = Advisor(pack, backend="durable").assess(organisation)
    fired = [sorted(e.rule for e in advice.unit(f"u{i}").evidence) for i in range(len(values))]
    assert fired == [sorted(r) for r in reference(pack, values)], size
    print(size, sum(map(len, fired)))
"""


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")
def test_packs_of_2000_and_10000_rules_assess_correctly_through_durable_rules() -> None:
    """In a subprocess: a hang or crash of the engine would otherwise take the run down."""
    result = subprocess.run(
        [sys.executable, "-c", LARGE_PACKS, str(ROOT / "bench")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sizes = [int(line.split()[0]) for line in result.stdout.split("\n") if line]
    assert sizes == [2000, 10000]


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
