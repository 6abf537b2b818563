"""How many questions the interview needs to settle a unit, against asking every question.

    python bench/interview.py                 # the examples' units and 10 generated units
    python bench/interview.py --generated 3   # quicker

Each unit's traits are the truth a simulated interviewee knows: asked about a trait the unit
has, they answer it; asked about any other, they press Enter (don't know). The interview asks
until the unit is settled (its dominant mode and top recommendation cannot change) or no
question left could change the advice. Beside it, in the same run: the same stopping rule with
the next question by the largest change of the unit's weights alone, and with the questions in
catalogue order (not chosen by what could change the advice), and asking every
question (the catalogue's size). "Reached" counts the questions after which the provisional
dominant mode and top recommendation were already the final ones and stayed so: the interview
cannot know that until the unit is settled, but it shows how early the answer was right. The
examples' units are partly observed, as written by a
consultant; the generated units know every trait, drawn at random per type. Printed: the mean
number of questions, how many units ended settled, how many end with the dominant mode the
whole truth gives, the time per question (wall and process), and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from modeadvisor import Advisor, KnowledgeBase
from modeadvisor.knowledge import Trait
from modeadvisor.people.interview import Interview, is_settled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

Chooser = Callable[[Interview, str, set[str]], Trait | None]


def adaptive(interview: Interview, unit: str, skipped: set[str]) -> Trait | None:
    return interview.next_question(unit, skipped)


def by_weights(interview: Interview, unit: str, skipped: set[str]) -> Trait | None:
    """The same stopping rule, the next question by the largest change of the weights alone
    (not by the pull towards the closest rival)."""
    if is_settled(interview.status(unit)):
        return None
    asked = set(interview.values(unit)) | skipped
    found = interview.moving_most(unit, asked)
    if found is None and interview.status(unit).dominant is None:
        found = next((t for t in interview.kb.traits.values() if t.id not in asked), None)
    return found


def in_order(interview: Interview, unit: str, skipped: set[str]) -> Trait | None:
    """The same stopping rule, the questions in catalogue order."""
    if is_settled(interview.status(unit)):
        return None
    asked = set(interview.values(unit)) | skipped
    return next((t for t in interview.kb.traits.values() if t.id not in asked), None)


def interview_of(
    kb: KnowledgeBase, truth: Mapping[str, Any], choose: Chooser
) -> tuple[int, int, bool, str | None, float, float]:
    """Questions asked; questions after which the provisional dominant mode and top
    recommendation were already the final ones (and stayed so); settled at the end; the
    dominant mode then; wall and cpu seconds."""
    interview = Interview.new(kb, "en", "bench")
    interview.add_unit("u")
    skipped: set[str] = set()
    asked = 0
    seen: list[tuple[str | None, str | None]] = []
    start, start_cpu = time.perf_counter(), time.process_time()
    while (trait := choose(interview, "u", skipped)) is not None:
        asked += 1
        if trait.id in truth:
            interview.values("u")[trait.id] = truth[trait.id]
        else:
            skipped.add(trait.id)
        status = interview.status("u")
        seen.append((status.dominant, status.top))
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    status = interview.status("u")
    final = (status.dominant, status.top)
    reached = next((i for i in range(len(seen), 0, -1) if seen[i - 1] != final), 0)
    return asked, reached, is_settled(status), status.dominant, wall, cpu


def example_units() -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = []
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text("utf-8"))
        units.extend(dict(u.get("traits") or {}) for u in data["units"])
    return units


def generated_units(kb: KnowledgeBase, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{t.id: _value(t, rng) for t in kb.traits.values()} for _ in range(count)]


def _value(trait: Trait, rng: random.Random) -> Any:
    fixed = trait.choices()
    if fixed is not None:
        return rng.choice(fixed)
    if trait.type == "set":
        return sorted(v for v in trait.values or () if rng.random() < 0.3)
    low = trait.min if trait.min is not None else 0.0
    high = trait.max if trait.max is not None else 100.0
    return round(rng.uniform(low, high))


def truth_answer(advisor: Advisor, truth: Mapping[str, Any]) -> tuple[str | None, bool]:
    """The dominant mode with every answer the unit knows, and whether it is settled then."""
    organisation = {"organisation": "bench", "units": [{"id": "u", "traits": dict(truth)}]}
    status = advisor.settled(organisation, "u")
    return status.dominant, is_settled(status)


def report(name: str, kb: KnowledgeBase, advisor: Advisor, units: list[dict[str, Any]]) -> None:
    every = len(kb.traits)
    answers = [truth_answer(advisor, u) for u in units]
    truths = [dominant for dominant, _ in answers]
    print(
        f"{name:<22} {'every answer known':<26} settled {sum(s for _, s in answers)}/"
        f"{len(units)} (what any order of questions can reach at best)"
    )
    strategies: tuple[tuple[str, Chooser], ...] = (
        ("adaptive (the interview)", adaptive),
        ("largest change of weights", by_weights),
        ("catalogue order", in_order),
    )
    for how, choose in strategies:
        runs = [interview_of(kb, u, choose) for u in units]
        asked = [r[0] for r in runs]
        reached = [r[1] for r in runs]
        settled = sum(r[2] for r in runs)
        same = sum(r[3] == t for r, t in zip(runs, truths, strict=True))
        wall = sum(r[4] for r in runs) / max(1, sum(asked))
        cpu = sum(r[5] for r in runs) / max(1, sum(asked))
        print(
            f"{name:<22} {how:<26} mean {statistics.mean(asked):5.1f} questions asked "
            f"(median {statistics.median(asked):g}, max {max(asked)}) of {every}, the final "
            f"answer reached after {statistics.mean(reached):4.1f}; settled {settled}/"
            f"{len(units)}; dominant mode as with every answer {same}/{len(units)}; "
            f"{wall * 1000:5.1f} ms wall, {cpu * 1000:5.1f} ms cpu a question"
        )
    print(f"{name:<22} {'every question':<26} {every} questions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=10, help="generated units")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    advisor = Advisor.default(backend="vectorised")
    kb = advisor.knowledge_base
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(f"examples ({len(example_units())} units)", kb, advisor, example_units())
    report(
        f"generated ({args.generated} units)",
        kb,
        advisor,
        generated_units(kb, args.generated, args.seed),
    )
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
