"""What-if and why-not latency for one unit with the shipped pack, beside an assessment of the
same organisation measured in the same run (the reference: what every answer starts from).

    python bench/whatif.py            # 30 runs of each question
    python bench/whatif.py --runs 5   # quicker

Each question is asked of the example organisations (every unit that takes part in a finding,
for every finding kind it takes part in; why-not of its most avoided model and its first
non-dominant mode) and of generated single units (what-if towards each mode). Figures are the
median (p50) and the worst over all questions, in wall time and in process time; the load
average is printed beside them, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from modeadvisor import Advisor
from modeadvisor.authoring.impact import sample_population

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    """Wall and process milliseconds of each of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def line(name: str, wall: list[float], cpu: list[float], target: float | None = None) -> float:
    p50 = statistics.median(wall)
    aim = f" (target {target:g} ms)" if target is not None else ""
    print(
        f"{name:<44} p50 {p50:6.1f} ms wall, {statistics.median(cpu):6.1f} ms cpu; "
        f"worst {max(wall):6.1f} ms ({len(wall)} calls){aim}"
    )
    return p50


def questions(advisor: Advisor) -> tuple[list[Callable[[], Any]], list[Callable[[], Any]]]:
    """What-if and why-not questions of the example organisations and generated units."""
    what_ifs: list[Callable[[], Any]] = []
    why_nots: list[Callable[[], Any]] = []
    for path in EXAMPLES:
        advice = advisor.assess(path)
        for uid, kind in sorted({(u, c.kind) for c in advice.conflicts for u in c.units}):
            what_ifs.append(partial(advisor.what_if, uid, organisation=path, clear=kind))
        for unit in advice.units:
            if unit.avoid:
                model = unit.avoid[0].model
                why_nots.append(partial(advisor.why_not, path, unit.id, model))
            mode = next(a for a in advice.archetypes if a != unit.profile.dominant)
            why_nots.append(partial(advisor.why_not, path, unit.id, mode))
    kb = advisor.knowledge_base
    targets = list(kb.archetypes)
    population = sample_population(kb, kb, 12, 21)
    for i, drawn in enumerate(u for o in population for u in o["units"]):
        alone = {k: v for k, v in drawn.items() if k != "parent"}
        target = targets[i % len(targets)]
        what_ifs.append(partial(advisor.what_if, alone, target=target))
    return what_ifs, why_nots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="calls of each question")
    args = parser.parse_args()
    advisor = Advisor.default(backend="vectorised")
    what_ifs, why_nots = questions(advisor)
    for question in [*what_ifs, *why_nots]:
        question()  # warm: compiled forms and caches built once, as in a long-lived advisor
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wall, cpu = [], []
    for path in EXAMPLES:
        w, c = timed(partial(advisor.assess, path), args.runs)
        wall += w
        cpu += c
    line("reference: assess one example organisation", wall, cpu)
    for name, group, target in (("what-if", what_ifs, 50.0), ("why-not", why_nots, 20.0)):
        wall, cpu = [], []
        for work in group:
            w, c = timed(work, max(1, args.runs // 3))
            wall += w
            cpu += c
        line(f"{name}, {len(group)} questions of one unit", wall, cpu, target)
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
