"""Differential check of conflict joins: the durable engine and the indexed matcher against the
reference matcher.

Generates conflict rules (1-3 aliases, literal tests on every field type, equality joins between
compatible fields, `or`/`not`/`in`) and fact sets (with optional fields missing), loads them
through the real pack loader, fires them through the real compiler and engine, and compares every
binding with `match_reference` (the indexed matcher of the vectorised backend must also give
them in the same order). Run in a subprocess by the test suite, because a join shape the
engine cannot take would crash or hang the process instead of failing a test.

    python fuzz/joins_differential.py CASES SEED
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from modeadvisor.backends._durable import DurableEngine
from modeadvisor.backends._matching import match_indexed
from modeadvisor.backends._reference import match_reference
from modeadvisor.backends._rulesets import compile_conflicts, engine_fact
from modeadvisor.knowledge import load_knowledge_base

MINI = Path(__file__).parent.parent / "tests" / "data" / "mini"
UNITS = ["u1", "u2", "u3", "u4"]
ARCHETYPES = ["prod", "dev"]
MODELS = ["scorecard", "milestones", "steering"]
VIEWS = ["current", "desired", "strategy"]
NUMBERS = [0, 0.1, 0.25, 0.5, 1, 3, 4.5]

# field -> (family, literal choices); the family decides which fields may be joined
FIELDS: dict[str, dict[str, tuple[str, list[Any]]]] = {
    "unit": {
        "uid": ("unit", UNITS),
        "parent": ("unit", UNITS),
        "dominant": ("archetype", ARCHETYPES),
        "mixed": ("bool", [True, False]),
        "cost": ("scale", [1, 3, 5]),
        "risky": ("bool", [True, False]),
        "sector": ("sector", ["public", "private"]),
        "project_share": ("number", NUMBERS),
    },
    "fit": {
        "uid": ("unit", UNITS),
        "parent": ("unit", UNITS),
        "dominant": ("archetype", ARCHETYPES),
        "model": ("model", MODELS),
        "score": ("number", NUMBERS),
        "in_use": ("bool", [True, False]),
        "avoid": ("bool", [True, False]),
    },
    "view": {
        "uid": ("unit", UNITS),
        "view": ("view", VIEWS),
        "archetype": ("archetype", ARCHETYPES),
        "weight": ("number", NUMBERS),
        "top": ("bool", [True, False]),
    },
    "imposed": {"model": ("model", MODELS)},
}
OPTIONAL = {"parent", "dominant", "cost", "risky", "sector", "project_share"}


def literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def test_text(rng: random.Random, kind: str) -> str:
    field, (family, choices) = rng.choice(sorted(FIELDS[kind].items()))
    value = rng.choice(choices)
    if family in ("number", "scale"):
        op = rng.choice(["==", "!=", ">=", "<=", ">", "<"])
    else:
        op = rng.choice(["==", "!="])
    text = f"{field} {op} {literal(value)}"
    if rng.random() < 0.15 and family not in ("number", "bool", "scale"):
        text = f"{field} in [{', '.join(literal(c) for c in rng.sample(choices, 2))}]"
    return f"not ({text})" if rng.random() < 0.15 else text


def generate_rule(rng: random.Random, index: int) -> str:
    aliases: list[tuple[str, str]] = []
    lines = [f"  - id: r{index}", "    kind: k", "    severity: low", "    match:"]
    for a in range(rng.randint(1, 3)):
        alias, kind = f"a{a}", rng.choice(sorted(FIELDS))
        terms = [test_text(rng, kind) for _ in range(rng.randint(0, 2))]
        if len(terms) == 2 and rng.random() < 0.3:
            terms = [f"({terms[0]} or {terms[1]})"]
        for _ in range(rng.randint(0, 2) if aliases else 0):
            other, other_kind = rng.choice(aliases)
            pairs = [
                (f, g)
                for f, (fam, _) in FIELDS[kind].items()
                for g, (gam, _) in FIELDS[other_kind].items()
                if fam == gam
            ]
            if pairs:
                mine, theirs = rng.choice(pairs)
                terms.append(f"{mine} == {other}.{theirs}")
        where = f" where {' and '.join(terms)}" if terms else ""
        lines.append(f"      {alias}: '{kind}{where}'")
        aliases.append((alias, kind))
    lines += ["    explanation: {en: x}", "    resolution: {en: y}"]
    return "\n".join(lines)


def generate_facts(rng: random.Random) -> list[dict[str, Any]]:
    facts = []
    for _ in range(rng.randint(1, 9)):
        kind = rng.choice(sorted(FIELDS))
        fact: dict[str, Any] = {"kind": kind}
        for field, (_, choices) in FIELDS[kind].items():
            if field in OPTIONAL and rng.random() < 0.25:
                continue
            fact[field] = rng.choice(choices)
        if kind == "fit":
            fact["model_kind"] = "measurement"
        if kind == "imposed":
            fact["model_kind"] = "measurement"
        facts.append(fact)
    return facts


def main(cases: int, seed: int) -> int:
    rng = random.Random(seed)
    mismatches = compared = firings = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(cases):
            folder = Path(tmp) / f"p{case}"
            folder.mkdir()
            for source in MINI.glob("*.yaml"):
                (folder / source.name).write_text(source.read_text("utf-8"), "utf-8")
            rules = [generate_rule(rng, i) for i in range(rng.randint(1, 4))]
            (folder / "conflicts.yaml").write_text(
                "conflicts:\n" + "\n".join(rules) + "\n", "utf-8"
            )
            kb = load_knowledge_base(folder)
            engine = DurableEngine(compile_conflicts(kb))
            for _ in range(3):
                facts = generate_facts(rng)
                got = engine.fire([engine_fact(f, kb.traits) for f in facts])
                expected = match_reference(kb.conflicts, facts, kb.settings)

                def key(firings: list[tuple[str, dict[str, int]]]) -> list[str]:
                    # a binding matching two alternatives of one rule fires twice: compare sets
                    return sorted({f"{rule}:{sorted(bound.items())}" for rule, bound in firings})

                compared += 1
                firings += len(expected)
                indexed = match_indexed(kb.compiled.conflicts, facts)
                if key(got) != key(expected) or indexed != expected:
                    mismatches += 1
                    print(
                        "MISMATCH",
                        rules,
                        facts,
                        key(got),
                        key(expected),
                        indexed,
                        sep="\n",
                        file=sys.stderr,
                    )
    print(f"cases {compared} firings {firings} mismatches {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
