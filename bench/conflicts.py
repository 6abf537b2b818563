"""The conflict curve: `Advisor.assess` on organisation trees of growing size, per backend.

Each run is its own subprocess (so its peak RSS is its own): the shipped pack, a generated tree
(`authoring._trees.sample_tree`: 10-100 children per parent, mixed modes, the balanced scorecard
imposed, some stated views and respondents), assessed from plain data on the durable and the
vectorised backend (on the vectorised one also reading the tree as YAML and as JSON, and
`modeadvisor assess FILE.json --format json` end to end in a fresh process: wall and CPU
seconds, peak RSS; the load average beside each run). Beside them the conflict matchers alone
over the same facts: the indexed one
and the reference (nested loops), the latter only where it finishes within the time cap. Last,
the findings (issue 12) on two shapes: a flat parent with 2,000 children in two modes
(`authoring._trees.flat_parent`), where pairs of units would explode, and the 20,000-unit tree,
each with time, peak RSS, the number of findings and matches, and the size of the JSON.

    python bench/conflicts.py                     # 100, 1,000, 5,000 and 20,000 units
    python bench/conflicts.py --quick             # 100 and 1,000; 200 children, 1,000 units
    python bench/conflicts.py --sizes 500,2000    # any sizes
    python bench/conflicts.py --parts findings    # only the findings (curve, matchers, findings)

Prints a table per part, and as its last line one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
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
from modeadvisor.authoring._trees import flat_parent, sample_tree
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
#: The findings part: (shape, units), full and quick.
SHAPES = (("flat", 2_001), ("tree", 20_000))
QUICK_SHAPES = (("flat", 201), ("tree", 1_000))
PARTS = ("curve", "matchers", "findings")

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
    """Assess one generated tree; on the vectorised backend also time reading it as YAML and
    as JSON, and `modeadvisor assess FILE.json --format json` end to end in a fresh process."""
    advisor = Advisor.default(backend=_backend_name(backend))  # type: ignore[arg-type]
    data = sample_tree(advisor.knowledge_base, size, seed)
    row: Row = {
        "backend": backend,
        "units": size,
        "before_mb": round(_peak_mb()),
        "load": round(os.getloadavg()[0], 2),  # 1-minute load average when it started
    }
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
            path = path.with_suffix(".json")
            path.write_text(json.dumps(data, indent=1), "utf-8")
            start = time.perf_counter()
            load_organisation(path)
            row["read_json_seconds"] = round(time.perf_counter() - start, 2)
            row.update(_cli_json(path))
    return row


def _cli_json(path: Path) -> Row:
    """`modeadvisor assess FILE --format json --backend vectorised` in a fresh process, its
    output thrown away: wall and CPU seconds, and its peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = "import sys; from modeadvisor.cli import main; sys.exit(main())"
    arguments = ["assess", str(path), "--format", "json", "--backend", "vectorised"]
    done = subprocess.run(
        [sys.executable, "-c", command, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        return {"cli_json_error": done.stderr.decode()[-200:]}
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "cli_json_seconds": round(seconds, 2),
        "cli_json_cpu_seconds": round(cpu, 2),
        "cli_json_peak_mb": round(after.ru_maxrss / 1024),
    }


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
    gc.collect()
    start = time.perf_counter()
    if matcher == "indexed":
        firings = match_indexed(kb.compiled.conflicts, facts)
    else:
        firings = match_reference(kb.conflicts, facts, kb.settings)
    seconds = time.perf_counter() - start
    return {
        "matcher": matcher,
        "units": size,
        "facts": len(facts),
        "bindings": len(firings),
        "seconds": round(seconds, 2),
    }


def child_findings(shape: str, backend: str, size: int, seed: int) -> Row:
    """Assess one shape and write its JSON: how many findings, how large the output."""
    advisor = Advisor.default(backend=_backend_name(backend))  # type: ignore[arg-type]
    kb = advisor.knowledge_base
    data = flat_parent(kb, size - 1, seed) if shape == "flat" else sample_tree(kb, size, seed)
    row: Row = {"shape": shape, "backend": backend, "units": size}
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        advice = advisor.assess(data)
    except Exception as error:  # reported, not raised: the other runs go on
        row["error"] = f"{type(error).__name__}: {str(error)[:160]}"
        return row
    row["seconds"] = round(time.perf_counter() - wall, 2)
    row["cpu_seconds"] = round(time.process_time() - cpu, 2)
    start = time.perf_counter()
    size_bytes = len(advice.to_json().encode("utf-8"))
    row["json_seconds"] = round(time.perf_counter() - start, 2)
    row["peak_mb"] = round(_peak_mb())
    row["findings"] = len(advice.conflicts)
    row["matches"] = sum(len(c.matches) for c in advice.conflicts)
    row["json_mb"] = round(size_bytes / 1e6, 1)
    row["json_kb_per_unit"] = round(size_bytes / 1e3 / size, 1)
    return row


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
        # the same in CPU seconds, which other work on a shared machine disturbs less
        cpu = (big["cpu_seconds"] / 20_000) / (vectorised[1_000]["cpu_seconds"] / 1_000)
        result["per_unit_cpu_ratio_20k_to_1k"] = round(cpu, 2)
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
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"which parts to run (default {','.join(PARTS)})"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, name, size, seed = args.child
        if what.startswith("findings-"):
            row = child_findings(what.removeprefix("findings-"), name, int(size), int(seed))
        else:
            row = (child_assess if what == "assess" else child_match)(name, int(size), int(seed))
        print(json.dumps(row))
        return 0
    parts = [part.strip() for part in args.parts.split(",")]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; parts: {', '.join(PARTS)}")
    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes else QUICK if args.quick else SIZES
    )
    backends = ["vectorised", "durable"] if durable_available() else ["vectorised"]
    print(
        f"Python {sys.version.split()[0]}; sizes {sizes}; seed {args.seed}; backends {backends}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    runs = _curve(sizes, backends, args) if "curve" in parts else []
    matchers = _matchers(sizes, args) if "matchers" in parts else []
    shapes = QUICK_SHAPES if args.quick else SHAPES
    findings = _findings(shapes, backends, args) if "findings" in parts else []
    judged = targets(runs)
    if runs:
        print("\ntargets (vectorised):", judged)
    summary = {"runs": runs, "matchers": matchers, "findings": findings, "targets": judged}
    print(json.dumps(summary, default=str))
    return 0


def _curve(sizes: Sequence[int], backends: Sequence[str], args: argparse.Namespace) -> list[Row]:
    """`assess` per size and backend."""
    runs: list[Row] = []
    print(
        f"\n{'units':>7} {'backend':<11} {'seconds':>8} {'cpu s':>7} {'ms/unit':>8} "
        f"{'peak MB':>8} {'conflicts':>10} {'load':>5} {'read YAML s':>12} {'read JSON s':>12} "
        f"{'CLI JSON s':>11} {'CLI cpu s':>10} {'CLI MB':>7}"
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
                    f"{row['load']:>5} {row.get('read_yaml_seconds', ''):>12} "
                    f"{row.get('read_json_seconds', ''):>12} {row.get('cli_json_seconds', ''):>11} "
                    f"{row.get('cli_json_cpu_seconds', ''):>10} {row.get('cli_json_peak_mb', ''):>7}"
                )
            elif "seconds" in row:  # failed after running this long
                print(
                    f"{size:>7,} {backend:<11} {row['seconds']:>8.2f} {row['cpu_seconds']:>7.2f} "
                    f"{'':>8} {row['peak_mb']:>8,} failed: {str(row['error'])[:48]}"
                )
            else:
                print(f"{size:>7,} {backend:<11} {row['error']}")
    return runs


def _matchers(sizes: Sequence[int], args: argparse.Namespace) -> list[Row]:
    """The indexed and the reference matcher alone, per size."""
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
    return matchers


def _findings(
    shapes: Sequence[tuple[str, int]], backends: Sequence[str], args: argparse.Namespace
) -> list[Row]:
    """Findings and JSON size per shape and backend."""
    rows: list[Row] = []
    print(
        f"\n{'shape':<5} {'units':>7} {'backend':<11} {'seconds':>8} {'peak MB':>8} "
        f"{'findings':>9} {'matches':>9} {'JSON MB':>8} {'KB/unit':>8} {'JSON s':>7}"
    )
    for shape, size in shapes:
        for backend in backends:
            row = _run([f"findings-{shape}", backend, str(size), str(args.seed)], args.run_cap)
            row = row or {"error": f"did not finish in {args.run_cap:g} s"}
            row.setdefault("shape", shape)
            row.setdefault("backend", backend)
            row.setdefault("units", size)
            rows.append(row)
            if "findings" not in row:
                print(f"{shape:<5} {size:>7,} {backend:<11} {row['error']}")
                continue
            print(
                f"{shape:<5} {size:>7,} {backend:<11} {row['seconds']:>8.2f} "
                f"{row['peak_mb']:>8,} {row['findings']:>9,} {row['matches']:>9,} "
                f"{row['json_mb']:>8.1f} {row['json_kb_per_unit']:>8.1f} {row['json_seconds']:>7.2f}"
            )
    return rows


if __name__ == "__main__":
    sys.exit(main())
