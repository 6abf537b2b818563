"""The conflict curve: `Advisor.assess` on organisation trees of growing size, per backend.

Each run is its own subprocess (so its peak RSS is its own): the shipped pack, a generated tree
(`authoring._trees.sample_tree`: 10-100 children per parent, mixed modes, the balanced scorecard
imposed, some stated views and respondents), assessed from plain data on the durable and the
vectorised backend. Beside them the conflict matchers alone over the same facts: the indexed one
and the reference (nested loops), the latter only where it finishes within the time cap.

    python bench/conflicts.py                     # 100, 1,000, 5,000 and 20,000 units
    python bench/conflicts.py --quick             # 100 and 1,000
    python bench/conflicts.py --sizes 500,2000    # any sizes

Prints a table per part, and as its last line one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from modeadvisor import Advisor
from modeadvisor.authoring._trees import sample_tree
from modeadvisor.backends import durable_available
from modeadvisor.backends._matching import match_indexed
from modeadvisor.backends._reference import match_reference
from modeadvisor.facts import Fact
from modeadvisor.organisation import load_organisation

SIZES = (100, 1_000, 5_000, 20_000)
QUICK = (100, 1_000)
#: Targets on the vectorised backend (issue 11).
TARGET_SECONDS_20K = 10.0
TARGET_RSS_MB_20K = 2_048
TARGET_PER_UNIT_RATIO = 1.5

Row = dict[str, Any]


# --- what runs in a child process --------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _backend_name(wanted: str) -> str:
    """`vectorised`, or `python` where this checkout still calls it that."""
    from modeadvisor import backends

    choices = getattr(backends, "CHOICES", ())
    return "python" if wanted == "vectorised" and "vectorised" not in choices else wanted


def child_assess(backend: str, size: int, seed: int) -> Row:
    """Assess one generated tree; on the vectorised backend also time reading it as YAML."""
    advisor = Advisor.default(backend=_backend_name(backend))  # type: ignore[arg-type]
    data = sample_tree(advisor.knowledge_base, size, seed)
    row: Row = {"backend": backend, "units": size, "before_mb": round(_peak_mb())}
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        advice = advisor.assess(data)
    except Exception as error:  # reported, not raised: the curve goes on
        row["error"] = f"{type(error).__name__}: {str(error)[:160]}"
    else:
        row["conflicts"] = len(advice.conflicts)
    row["seconds"] = round(time.perf_counter() - wall, 2)
    row["cpu_seconds"] = round(time.process_time() - cpu, 2)
    row["peak_mb"] = round(_peak_mb())
    if backend == "vectorised" and "error" not in row:
        del advice
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "organisation.yaml"
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True), "utf-8")
            start = time.perf_counter()
            load_organisation(path)
            row["read_yaml_seconds"] = round(time.perf_counter() - start, 2)
    return row


def _facts(size: int, seed: int) -> tuple[Advisor, list[Fact]]:
    """The conflict-stage facts of one generated tree, as the advisor builds them."""
    from unittest import mock

    from modeadvisor.conflicts import situation

    advisor = Advisor.default(backend=_backend_name("vectorised"))  # type: ignore[arg-type]
    seen: list[list[Fact]] = []

    def spy(*args: Any) -> list[Fact]:
        seen.append(situation(*args))
        return seen[-1]

    with mock.patch("modeadvisor.advisor.situation", spy):
        advisor.assess(sample_tree(advisor.knowledge_base, size, seed))
    return advisor, seen[0]


def child_match(matcher: str, size: int, seed: int) -> Row:
    """One matcher alone over the facts of one tree."""
    advisor, facts = _facts(size, seed)
    kb = advisor.knowledge_base
    run = match_indexed if matcher == "indexed" else match_reference
    gc.collect()
    start = time.perf_counter()
    firings = run(kb.conflicts, facts, kb.settings)
    seconds = time.perf_counter() - start
    return {
        "matcher": matcher,
        "units": size,
        "facts": len(facts),
        "bindings": len(firings),
        "seconds": round(seconds, 2),
    }


# --- the parent: runs, table, targets --------------------------------------------------------


def _run(arguments: Sequence[str], cap: float) -> Row | None:
    """A child's row, or None when it did not finish within `cap` seconds."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", *arguments],
            capture_output=True,
            text=True,
            timeout=cap,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-200:]}"}
    row: Row = json.loads(lines[-1])
    return row


def _cell(row: Row | None, key: str, cap: float) -> str:
    if row is None:
        return f"did not finish in {cap:g} s"
    if "error" in row:
        return "failed: " + str(row["error"])[:70]
    return f"{row[key]:,}" if isinstance(row[key], int) else f"{row[key]:g}"


def targets(runs: Sequence[Row]) -> dict[str, Any]:
    """The issue's targets, judged on the figures measured (None where a size was not run)."""
    ok = {(r["backend"], r["units"]): r for r in runs if r.get("conflicts") is not None}
    vectorised = {size: r for (name, size), r in ok.items() if name == "vectorised"}
    durable = {size: r for (name, size), r in ok.items() if name == "durable"}
    result: dict[str, Any] = {}
    big = vectorised.get(20_000)
    if big is not None:
        result["20k_within_10s"] = big["seconds"] <= TARGET_SECONDS_20K
        result["20k_within_2GB"] = big["peak_mb"] <= TARGET_RSS_MB_20K
    if big is not None and 1_000 in vectorised:
        ratio = (big["seconds"] / 20_000) / (vectorised[1_000]["seconds"] / 1_000)
        result["per_unit_ratio_20k_to_1k"] = round(ratio, 2)
        result["per_unit_ratio_within_1.5"] = ratio <= TARGET_PER_UNIT_RATIO
    result["no_worse_than_durable"] = {
        size: vectorised[size]["seconds"] <= durable[size]["seconds"]
        if size in durable
        else "durable did not finish"
        for size in sorted(vectorised)
    }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 units only")
    parser.add_argument("--sizes", help="comma-separated unit counts (default 100,1000,5000,20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=60, help="seconds for the reference matcher")
    parser.add_argument("--run-cap", type=float, default=1_200, help="seconds for one assess run")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, name, size, seed = args.child
        work = child_assess if what == "assess" else child_match
        print(json.dumps(work(name, int(size), int(seed))))
        return 0
    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes else QUICK if args.quick else SIZES
    )
    backends = ["vectorised", "durable"] if durable_available() else ["vectorised"]
    print(f"Python {sys.version.split()[0]}; sizes {sizes}; seed {args.seed}; backends {backends}")
    runs: list[Row] = []
    print(
        f"\n{'units':>7} {'backend':<11} {'seconds':>8} {'cpu s':>7} {'ms/unit':>8} "
        f"{'peak MB':>8} {'conflicts':>10} {'read YAML s':>12}"
    )
    for size in sizes:
        for backend in backends:
            row = _run(["assess", backend, str(size), str(args.seed)], args.run_cap)
            row = row or {"error": f"did not finish in {args.run_cap:g} s"}
            row.setdefault("backend", backend)
            row.setdefault("units", size)
            runs.append(row)
            if "conflicts" in row:
                per_unit = 1000 * row["seconds"] / size
                print(
                    f"{size:>7,} {backend:<11} {row['seconds']:>8.2f} {row['cpu_seconds']:>7.2f} "
                    f"{per_unit:>8.3f} {row['peak_mb']:>8,} {row['conflicts']:>10,} "
                    f"{row.get('read_yaml_seconds', ''):>12}"
                )
            elif "seconds" in row:  # failed after running this long
                print(
                    f"{size:>7,} {backend:<11} {row['seconds']:>8.2f} {row['cpu_seconds']:>7.2f} "
                    f"{'':>8} {row['peak_mb']:>8,} failed: {str(row['error'])[:48]}"
                )
            else:
                print(f"{size:>7,} {backend:<11} {row['error']}")
    matchers: list[Row] = []
    print(f"\n{'units':>7} {'facts':>8} {'bindings':>9} {'indexed s':>10} {'reference s':>26}")
    for size in sizes:
        indexed = _run(["match", "indexed", str(size), str(args.seed)], args.run_cap)
        reference = _run(["match", "reference", str(size), str(args.seed)], args.cap)
        matchers.append({"units": size, "indexed": indexed, "reference": reference})
        base = indexed or {}
        print(
            f"{size:>7,} {base.get('facts', 0):>8,} {base.get('bindings', 0):>9,} "
            f"{_cell(indexed, 'seconds', args.run_cap):>10} "
            f"{_cell(reference, 'seconds', args.cap):>26}"
        )
    judged = targets(runs)
    print("\ntargets (vectorised):", judged)
    print(json.dumps({"runs": runs, "matchers": matchers, "targets": judged}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
