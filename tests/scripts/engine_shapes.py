"""Pack shapes beyond one durable-rules ruleset's limits, split by the compiler, fire fully.

Each shape would crash, hang or be refused in a single engine ruleset (DURABLE.md); the compiler
must split it and every rule must still fire exactly as the reference evaluation says. A hang or
crash takes the process down, so `tests/test_engine.py` runs this in a child process. Prints each
shape's name and how many firings it expected.

    python tests/scripts/engine_shapes.py PACK_DIR     # the mini test pack: tests/data/mini
"""

from __future__ import annotations

import dataclasses
import sys

from modeadvisor import Advisor
from modeadvisor import conditions as cond
from modeadvisor.errors import Location
from modeadvisor.knowledge import Rule, ScoringRule, Text, load_knowledge_base

SHAPES = {
    "identical": ["cost >= 3"] * 300,
    "distinct": [f"project_share >= {i / 10}" for i in range(300)],
    "mixed": ["cost >= 3"] * 200 + [f"project_share >= {i / 10}" for i in range(100)],
    "alternatives": [f"project_share >= {i / 10} or cost >= 1 or risky" for i in range(100)],
    "wide": [" or ".join(f"project_share >= {j}" for j in range(64))] * 3,
}


def main(pack: str) -> int:
    kb = load_knowledge_base(pack)
    values: list[dict[str, cond.TraitValue]] = [
        {"cost": 4, "project_share": 20 + k, "risky": True} for k in range(3)
    ]
    units = [{"id": f"u{k}", "traits": traits} for k, traits in enumerate(values)]
    for shape, texts in SHAPES.items():
        rules = tuple(
            Rule(
                ScoringRule(id=f"g{i}", when=text, weights={"prod": 1.0}, rationale=Text(en="g")),
                cond.normalise(cond.parse(text)),
                Location("g", i + 1),
            )
            for i, text in enumerate(texts)
        )
        advice = Advisor(dataclasses.replace(kb, rules=rules)).assess(
            {"organisation": "o", "units": units}
        )
        expected = [sorted(r.id for r in rules if cond.evaluate(r.condition, v)) for v in values]
        if [sorted(e.rule for e in u.evidence) for u in advice.units] != expected:
            print(f"{shape}: the engine and the reference disagree", file=sys.stderr)
            return 1
        print(shape, sum(len(e) for e in expected))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
