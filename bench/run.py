"""Benchmarks: every figure beside a plain-Python reference measured in the same run.

The reference evaluates the same compiled rules (the disjunctive normal form the engine gets)
with `conditions.evaluate`, unit by unit, so every result reads as a ratio to it.

    python bench/run.py            # the full run (pack sizes up to 10,000 rules, up to 1M units)
    python bench/run.py --quick    # under a minute; the last line is one JSON object
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from modeadvisor import Advisor, KnowledgeBase, load_knowledge_base
from modeadvisor import conditions as cond
from modeadvisor.authoring.impact import sample_population
from modeadvisor.backends import durable_available
from modeadvisor.backends._rulesets import compile_pack
from modeadvisor.backends._vectorised import Scorer, UnitTable
from modeadvisor.conditions import disjunctive_form
from modeadvisor.errors import Location
from modeadvisor.graph import model_scores
from modeadvisor.knowledge import Rule, ScoringRule, Text, shipped_rules_dir
from modeadvisor.organisation import check_organisation, from_data
from modeadvisor.profile import profiles
from modeadvisor.tables import Table as BatchTable
from modeadvisor.tables import evaluate_table

Values = dict[str, cond.TraitValue]


def units(kb: KnowledgeBase, count: int, seed: int = 1) -> list[Values]:
    """Typed trait values of `count` generated units (as an organisation file would give)."""
    organisations = sample_population(kb, kb, count, seed)
    result: list[Values] = []
    for data in organisations:
        data = {
            **data,
            "units": [{k: v for k, v in u.items() if k != "parent"} for u in data["units"]],
        }
        organisation = from_data(data)
        checked = check_organisation(kb, organisation)
        result.extend(checked.values[u.id] for u in organisation.units)
    return result


def reference(kb: KnowledgeBase, values: Sequence[Values]) -> list[list[str]]:
    """Plain Python over the same compiled rules: each DNF alternative, leaf by leaf."""
    compiled = [(rule.id, disjunctive_form(rule.condition)) for rule in kb.rules]
    fired = []
    for unit in values:
        fired.append(
            [
                rule_id
                for rule_id, alternatives in compiled
                if any(
                    all(cond.evaluate(leaf, unit) for leaf in conjunction)
                    for conjunction in alternatives
                )
            ]
        )
    return fired


def timed(work: Callable[[], Any], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def line(label: str, value: float, reference_value: float, unit: str) -> None:
    ratio = value / reference_value if reference_value else float("nan")
    print(
        f"  {label:<44} {value:>14,.0f} {unit:<8} reference {reference_value:>12,.0f}"
        f"  x{ratio:,.1f}",
        flush=True,
    )


def throughput(kb: KnowledgeBase, count: int, report: dict[str, float], *, durable: bool) -> None:
    values = units(kb, count)
    ref_s = timed(lambda: reference(kb, values))
    ref_rate = rate(count, ref_s)
    report["reference_units_per_s"] = ref_rate
    scorer = Scorer(kb)
    table = UnitTable(kb, values)

    def batch() -> None:
        fired = scorer.fired(table)
        model_scores(kb, profiles(kb, fired, table.observed_count))

    batch_rate = rate(count, timed(batch, 3))
    report["batch_units_per_s"] = batch_rate
    encode_rate = rate(count, timed(lambda: UnitTable(kb, values)))
    report["batch_encode_units_per_s"] = encode_rate
    print(f"throughput, {count:,} generated units, {len(kb.rules)} rules:")
    line("reference: plain Python, same compiled rules", ref_rate, ref_rate, "units/s")
    line("batch (numpy): rules, profiles, model scores", batch_rate, ref_rate, "units/s")
    line("batch: encoding typed values into columns", encode_rate, ref_rate, "units/s")
    assert [sorted(r) for r in reference(kb, values[:2000])] == [
        sorted(scorer.rule_ids[i] for i in row.nonzero()[0])
        for row in scorer.fired(UnitTable(kb, values[:2000]))
    ], "batch differs from reference"
    if not durable:
        return
    from modeadvisor.backends._durable import DurableEngine

    pack = compile_pack(kb)
    facts = [pack.fact(f"u{i}", v) for i, v in enumerate(values)]
    engine, naive = DurableEngine(pack), DurableEngine(pack, naive=True)
    chunk = 1000

    def fire(with_engine: Any, subset: int) -> None:
        for start in range(0, subset, chunk):
            with_engine.fire(facts[start : start + chunk])

    subset = min(count, 20_000)
    durable_rate = rate(subset, timed(lambda: fire(engine, subset)))
    naive_rate = rate(min(subset, 5_000), timed(lambda: fire(naive, min(subset, 5_000))))
    report["durable_units_per_s"] = durable_rate
    report["durable_naive_units_per_s"] = naive_rate
    line("durable-rules, batched facts, capped actions", durable_rate, ref_rate, "units/s")
    line("durable-rules, naive: one assert per unit", naive_rate, ref_rate, "units/s")
    print(f"  durable speed-up over the naive baseline: x{durable_rate / naive_rate:.2f}")


def latency(kb: KnowledgeBase, report: dict[str, float], runs: int, backend: str) -> None:
    advisor = Advisor(kb, backend=backend)  # type: ignore[arg-type]
    organisation = sample_population(kb, kb, 10, 5)[:3]
    org = {"organisation": "ten", "units": [u for o in organisation for u in o["units"]][:10]}
    for unit in org["units"][1:]:
        unit["parent"] = org["units"][0]["id"]
    values = units(kb, 10, 5)
    advisor.assess(org)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        advisor.assess(org)
        times.append((time.perf_counter() - start) * 1000)
    ref_ms = timed(lambda: reference(kb, values), 5) * 1000
    times.sort()
    p50, p99 = statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]
    report["single_p50_ms"] = p50
    report["single_p99_ms"] = p99
    print(f"single assessment, 10 units in a tree, {backend} backend, {runs} runs:")
    print(
        f"  p50 {p50:.2f} ms, p99 {p99:.2f} ms; reference (rules only, plain Python) "
        f"{ref_ms:.3f} ms"
    )


def cold_start(report: dict[str, float], backend: str) -> None:
    start = time.perf_counter()
    kb = load_knowledge_base(shipped_rules_dir())
    loaded = time.perf_counter()
    Advisor(kb, backend=backend)  # type: ignore[arg-type]
    built = time.perf_counter()
    report["cold_start_ms"] = (built - start) * 1000
    print(
        f"cold start: load {1000 * (loaded - start):.0f} ms, compile and register "
        f"{1000 * (built - loaded):.0f} ms"
    )


def generated_pack(kb: KnowledgeBase, size: int, seed: int = 3) -> KnowledgeBase:
    """`size` rules over the shipped catalogue: scale, bool and number tests, and/or mixed."""
    rng = random.Random(seed)
    scale = [t for t in kb.traits.values() if t.type == "scale"]
    flags = [t for t in kb.traits.values() if t.type == "bool"]
    archetypes = list(kb.archetypes)
    rules = []
    for i in range(size):
        tests = [f"{rng.choice(scale).id} >= {rng.randint(2, 5)}" for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.3:
            tests.append(rng.choice(flags).id)
        text = " and ".join(tests) if rng.random() < 0.8 else " or ".join(tests)
        parsed = cond.normalise(cond.parse(text))
        rules.append(
            Rule(
                ScoringRule(
                    id=f"g{i}",
                    when=text,
                    weights={rng.choice(archetypes): 1},
                    rationale=Text(en="generated"),
                ),
                parsed,
                Location("generated.yaml", i + 1),
                kb.info.id,
            )
        )
    return dataclasses.replace(kb, rules=tuple(rules), conflicts=())


def pack_scale(kb: KnowledgeBase, sizes: Sequence[int], count: int, durable: bool) -> None:
    print(f"pack size ({count:,} units; durable-rules firing all rules, then numpy):")
    values = units(kb, count, 9)
    for size in sizes:
        pack = generated_pack(kb, size)
        ref_rate = rate(count, timed(partial(reference, pack, values)))
        scorer, table = Scorer(pack), UnitTable(pack, values)
        batch_rate = rate(count, timed(partial(scorer.fired, table)))
        text = f"  {size:>6} rules: reference {ref_rate:>9,.0f} units/s, batch {batch_rate:>11,.0f}"
        if durable:
            from modeadvisor.backends._durable import DurableEngine

            start = time.perf_counter()
            compiled = compile_pack(pack)
            engine = DurableEngine(compiled)
            built = time.perf_counter() - start
            facts = [compiled.fact(f"u{i}", v) for i, v in enumerate(values)]
            fired = engine.fire(facts)
            durable_rate = rate(count, timed(partial(engine.fire, facts)))
            expected = sum(len(r) for r in reference(pack, values))
            assert len({(r, b["m"]) for r, b in fired}) == expected, "durable differs"
            text += (
                f", durable {durable_rate:>7,.0f} units/s over "
                f"{engine.ruleset_count} rulesets (built in {built:.1f} s)"
            )
        print(text + f"  (batch x{batch_rate / ref_rate:,.0f})", flush=True)


def population_scale(kb: KnowledgeBase, counts: Sequence[int]) -> None:
    print("population (batch, shipped pack; reference on the first 10,000 units):")
    values = units(kb, 10_000, 11)
    ref_rate = rate(len(values), timed(lambda: reference(kb, values)))
    scorer = Scorer(kb)
    for count in counts:
        repeated = (values * (count // len(values) + 1))[:count]
        table = UnitTable(kb, repeated)

        def work(table: UnitTable = table) -> None:
            model_scores(kb, profiles(kb, scorer.fired(table), table.observed_count))

        seconds = timed(work)
        line(f"{count:,} units", rate(count, seconds), ref_rate, "units/s")


def what_if_latency(kb: KnowledgeBase, report: dict[str, float], count: int) -> None:
    advisor = Advisor(kb, backend="vectorised")
    population = sample_population(kb, kb, count, 21)
    targets = list(kb.archetypes)
    times, found = [], 0
    for i, unit in enumerate(u for o in population for u in o["units"]):
        unit = {k: v for k, v in unit.items() if k != "parent"}
        start = time.perf_counter()
        repair = advisor.what_if(unit, target=targets[i % len(targets)])
        times.append((time.perf_counter() - start) * 1000)
        found += repair.found
    times.sort()
    p50, worst = statistics.median(times), times[-1]
    report["what_if_p50_ms"] = p50
    print(
        f"what-if, {len(times)} generated units, target cycling the archetypes: p50 "
        f"{p50:.1f} ms, max {worst:.1f} ms (target 50 ms); repaired {found} of {len(times)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of under a minute")
    args = parser.parse_args()
    durable = durable_available()
    backend = "durable" if durable else "python"
    kb = load_knowledge_base(shipped_rules_dir())
    report: dict[str, float] = {}
    print(
        f"Python {sys.version.split()[0]}, backend {backend}, pack {kb.info.id} "
        f"({len(kb.rules)} rules, {len(kb.traits)} traits)"
    )
    cold_start(report, backend)
    latency(kb, report, 200 if args.quick else 2000, backend)
    throughput(kb, 20_000 if args.quick else 100_000, report, durable=durable)
    what_if_latency(kb, report, 12 if args.quick else 100)
    pack_scale(
        kb,
        (100, 500) if args.quick else (100, 500, 2_000, 10_000),
        500 if args.quick else 2_000,
        durable,
    )
    if not args.quick:
        population_scale(kb, (1_000, 10_000, 100_000, 1_000_000))
    table = BatchTable([f"u{i}" for i in range(3)], units(kb, 3), [frozenset()] * 3)
    evaluate_table(kb, table)  # the public path runs too
    print(json.dumps({k: round(v, 3) for k, v in sorted(report.items())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
