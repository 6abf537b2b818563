"""Tables end to end: every path's units/s beside `csv.DictReader` merely reading the same file
and the vectorised kernel on columns already encoded, measured in one run.

    python bench/batch.py                   # 1,000,000 generated units (about two minutes)
    python bench/batch.py --rows 100000     # quicker
    python bench/batch.py --memory          # also 10,000,000 rows (CSV and Parquet)
    python bench/batch.py --reference ../main/src   # the same commands with another source tree

The tables are generated (seeded) into a temporary folder and removed afterwards: about 40% of
the traits observed per unit, numbers with two decimals, sets as `a;b`, one or two models in
use. `modeadvisor batch` runs as the command a user runs, in a child process, so its time
includes starting Python and loading the pack (measured alone on a one-unit table), and its
peak RSS is the child's. Each line gives wall seconds and processor seconds (all threads'; the
child's user and system time): the machine may be shared, so the load average is printed before
and after. The stages (read, encode, ids, score, write) are timed one after the other in this
process, in one thread, so that each one's processor time is its own. With --memory, the rate
of a 10,000,000-row Parquet file less that of the 1,000,000-row one is the steady state: what
each further million rows costs once Python has started and the pack is loaded. With
--reference SRC, each `modeadvisor batch` also runs with SRC first on PYTHONPATH (a checkout's
`src` folder: before and after in one run, on one load). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from modeadvisor import Advisor, KnowledgeBase, load_knowledge_base
from modeadvisor.knowledge import shipped_rules_dir
from modeadvisor.limits import Limits
from modeadvisor.tables import open_table, write_advice
from modeadvisor.tables._encoding import Encoder
from modeadvisor.tables._layout import noted
from modeadvisor.tables._results import Scoring
from modeadvisor.tables._unique import SeenIds
from modeadvisor.tables._writers import Names, open_writer

#: Rows generated at a time: the generator's own memory stays small whatever the size.
CHUNK = 200_000


def raised(path: Path) -> list[str]:
    """The bounds raised for a large table (the defaults keep a careless input small; the
    file bound applies to the pack's files too, so it is never set below the default)."""
    size = max(path.stat().st_size, Limits().max_file_bytes)
    return ["--limit", f"max_file_bytes={size}", "--limit", "max_table_rows=1_000_000_000"]


def _cells(kb: KnowledgeBase, rng: np.random.Generator, size: int) -> dict[str, Any]:
    """One chunk of units as Arrow text columns, dictionary-encoded (as a spreadsheet has few
    distinct cells per column, but numbers)."""
    columns: dict[str, Any] = {"unit": None}
    for trait in kb.traits.values():
        match trait.type:
            case "scale":
                words = [str(n) for n in range(1, 6)]
            case "bool":
                words = ["true", "false"]
            case "category" | "set":
                words = list(trait.values or ())
            case _:
                low = trait.min if trait.min is not None else 0.0
                high = trait.max if trait.max is not None else low + 100.0
                words = [f"{v:.2f}" for v in np.linspace(low, high, 10_001)]
        if trait.type == "set":  # a subset, written in the catalogue's order
            chosen = rng.random((size, len(words))) < 0.25
            keys = chosen @ (1 << np.arange(len(words)))
            words = [
                ";".join(w for j, w in enumerate(words) if k >> j & 1)
                for k in range(1 << len(words))
            ]
            codes = keys
        else:
            codes = rng.integers(0, len(words), size)
        codes = np.where(rng.random(size) < 0.4, codes, len(words))  # 60% not observed
        columns[trait.id] = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array([*words, ""]))
    models = sorted(kb.models)
    pairs = [f"{a};{b}" if a != b else a for a in models for b in models if a <= b]
    columns["models_in_use"] = pa.DictionaryArray.from_arrays(
        pa.array(rng.integers(0, len(pairs), size)), pa.array(pairs)
    )
    return columns


def generate(kb: KnowledgeBase, rows: int, folder: Path, parquet: bool = True) -> Path:
    """`rows` units as units.csv (and units.parquet) in `folder`."""
    rng = np.random.default_rng(18)
    path = folder / f"units-{rows}.csv"
    writer = None
    with path.open("wb") as out:
        for start in range(0, rows, CHUNK):
            size = min(CHUNK, rows - start)
            columns = _cells(kb, rng, size)
            columns["unit"] = pa.array([f"u{i}" for i in range(start, start + size)])
            table = pa.table(columns)
            if start == 0:
                out.write((",".join(table.column_names) + "\n").encode())
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            pacsv.write_csv(table, out, write_options=options)
            if parquet:
                writer = writer or pq.ParquetWriter(path.with_suffix(".parquet"), table.schema)
                writer.write_table(table)
    if writer is not None:
        writer.close()
    return path


#: A measurement: wall seconds, processor seconds (every thread's, or the child's), peak RSS.
Measured = tuple[float, float, float | None]


def timed(work: Callable[[], Any]) -> Measured:
    """Wall and processor seconds of `work` in this process (the threads' time included)."""
    gc.collect()
    start, processor = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - processor, None


def _children_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


#: The child of `command`: the command line exactly as the `modeadvisor` script runs it (no
#: import of this benchmark's own modules), then its peak RSS (VmHWM, in kB) on stderr.
_CHILD = (
    "import sys\n"
    "from modeadvisor.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "print(status, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def command(args: list[str], source: str | None = None) -> Measured:
    """`modeadvisor ARGS` as a user runs it, in a new process (with `source`, a checkout's
    `src` folder, first on its path): wall seconds, the child's processor seconds (user and
    system), and its peak RSS (Linux: VmHWM, which a new program starts anew; ru_maxrss would
    count the parent's memory at the fork)."""
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            [source, *filter(None, [environment.get("PYTHONPATH")])]
        )
    start, processor = time.perf_counter(), _children_seconds()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    seconds, used = time.perf_counter() - start, _children_seconds() - processor
    if child.returncode:
        raise SystemExit(f"modeadvisor {' '.join(args)}: exit {child.returncode}\n{child.stderr}")
    return seconds, used, int(child.stderr.strip().rsplit("\n", 1)[-1]) / 1024


def load() -> str:
    """The load average over the last minute, five and fifteen (other work on the machine)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def dict_reader(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as stream:
        return sum(1 for _ in csv.DictReader(stream))


def encoded(kb: KnowledgeBase, path: Path) -> list[Any]:
    """The table's batches encoded, as the kernel gets them."""
    source = open_table(kb, path, Limits(max_file_bytes=10**12, max_table_rows=10**10))
    encoder = Encoder(kb, source.layout.names)
    return [encoder.encode(batch.size, batch.cells) for batch in source.batches()]


def kernel(kb: KnowledgeBase, batches: list[Any]) -> Callable[[], None]:
    scoring = Scoring(kb)

    def run() -> None:
        for batch in batches:
            scoring.score(batch.units, batch.ids)

    return run


def stages(kb: KnowledgeBase, path: Path, kind: str) -> dict[str, float]:
    """Processor seconds of each stage of `write_advice` over the table at `path`, one after
    the other in this thread (in the command they overlap in three threads, four for a CSV)."""
    limits = Limits(max_file_bytes=10**12, max_table_rows=10**10)
    source = open_table(kb, path, limits)
    encoder, scoring, ids = Encoder(kb, source.layout.names), Scoring(kb), SeenIds()
    writer = open_writer(kind, io.BytesIO(), Names.of(scoring), lambda parts: None)
    used = dict.fromkeys(("read", "encode", "ids", "score", "write"), 0.0)
    batches = noted(source)
    while True:
        clock = time.process_time()
        batch = next(batches, None)
        used["read"] += time.process_time() - clock
        if batch is None:
            return used
        clock = time.process_time()
        encoded = encoder.encode(batch.size, batch.cells)
        used["encode"] += time.process_time() - clock
        clock = time.process_time()
        ids.add(encoded.ids, batch.start)
        used["ids"] += time.process_time() - clock
        clock = time.process_time()
        scored = scoring.score(encoded.units, encoded.ids)
        used["score"] += time.process_time() - clock
        clock = time.process_time()
        writer.write(scored)
        used["write"] += time.process_time() - clock


def lines(rows: int, results: list[tuple[str, Measured, int]], reader: float) -> None:
    """The table of figures, each line's rate over its own rows; a line of a fixed cost
    (start-up) has none (0 rows)."""
    print(
        f"{rows:,} units, {'path':<56} {'s':>6} {'cpu s':>6} {'units/s':>10} {'x reader':>8} "
        f"{'RSS MB':>6}"
    )
    for label, (seconds, used, rss), counted in results:
        rate = counted / seconds
        memory = f"{rss:6.0f}" if rss is not None else "     -"
        speed = f"{rate:10,.0f} {rate / reader:8.2f}" if counted else f"{'-':>10} {'-':>8}"
        print(f"  {label:<64} {seconds:6.2f} {used:6.2f} {speed} {memory}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory", action="store_true", help="also 10,000,000 rows, for RSS")
    parser.add_argument("--reference", metavar="SRC", help="also run the commands from SRC")
    args = parser.parse_args()
    kb = load_knowledge_base(shipped_rules_dir())
    report: dict[str, float] = {"rows": args.rows}
    print(f"load average before: {load()} ({os.cpu_count()} processors)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = generate(kb, args.rows, folder)
        parquet = source.with_suffix(".parquet")
        measured: list[tuple[str, Measured, int]] = []

        def measure(key: str, label: str, found: Measured, rows: int = args.rows) -> None:
            seconds, used, rss = found
            rated = not key.startswith("startup")  # a fixed cost, whatever the rows
            report[f"{key}_units_per_s" if rated else f"{key}_s"] = (
                rows / seconds if rated else seconds
            )
            report[f"{key}_cpu_s"] = used
            if rss is not None:
                report[f"{key}_peak_rss_mb"] = rss
            measured.append((label, found, rows if rated else 0))

        reading = timed(lambda: dict_reader(source))
        measure("dictreader", "csv.DictReader merely reading the CSV (the reference)", reading)
        batches = encoded(kb, parquet)
        measure(
            "kernel",
            "kernel: advice on encoded columns (Scoring.score)",
            timed(kernel(kb, batches)),
        )
        del batches
        out = folder / "advice"
        one = generate(kb, 1, folder, parquet=False)
        runs = [
            ("startup", "modeadvisor batch of one unit (start-up, pack load)", [str(one), "-o", f"{out}-one.csv"]),
            ("batch_csv", "modeadvisor batch units.csv -o advice.csv", [str(source), "-o", f"{out}.csv"]),
            ("batch_parquet", "modeadvisor batch units.parquet -o advice.parquet", [str(parquet), "-o", f"{out}.parquet"]),
            ("batch_parquet_csv", "modeadvisor batch units.parquet -o advice.csv", [str(parquet), "-o", f"{out}.csv"]),
        ]  # fmt: skip
        for key, label, argv in runs:
            bounds = raised(Path(argv[0])) if key != "startup" else []  # the default suffices
            measure(key, label, command(["batch", *argv, *bounds]))
            if args.reference:
                found = command(["batch", *argv, *bounds], args.reference)
                measure(f"{key}_reference", f"  the same from {args.reference}", found)
        limits = Limits(max_file_bytes=10**12, max_table_rows=10**10)
        for key, label, table, kind in (
            ("write_csv", "write_advice(units.csv -> CSV), in process", source, "csv"),
            ("write_parquet", "write_advice(units.parquet -> Parquet), in process", parquet, "parquet"),
        ):  # fmt: skip
            with (folder / f"in-process.{kind}").open("wb") as sink:
                found = timed(lambda: write_advice(kb, table, sink, kind, limits=limits))  # noqa: B023
            measure(key, label, found)
        advisor = Advisor(kb, backend="vectorised", limits=limits)
        frames = [pq.read_table(parquet).to_pandas()]
        found = timed(lambda: advisor.assess_many(frames[0]))
        measure("assess_many_frame", "advisor.assess_many(pandas DataFrame)", found)
        frames.clear()
        count = min(args.rows, 100_000)  # a Python loop over mappings: a tenth of the rows
        records = [
            {key: value for key, value in row.items() if value is not None}
            for row in pq.read_table(parquet).slice(0, count).to_pylist()
        ]
        found = timed(lambda: advisor.assess_many(records))
        measure("assess_many_rows", f"advisor.assess_many(list of {count:,} dicts)", found, count)
        records.clear()
        split: dict[str, dict[str, float]] = {}
        for key, table, kind in (("csv", source, "csv"), ("parquet", parquet, "parquet")):
            split[key] = stages(kb, table, kind)
            report.update({f"stage_{key}_{stage}_cpu_s": s for stage, s in split[key].items()})
        if args.memory:
            big = 10_000_000
            large = generate(kb, big, folder)
            large_runs = [
                ("large_batch_csv", "modeadvisor batch units.csv -o advice.csv", large, ".csv"),
                ("large_batch_parquet", "modeadvisor batch units.parquet -o advice.parquet", large.with_suffix(".parquet"), ".parquet"),
            ]  # fmt: skip
            for key, label, table, suffix in large_runs:
                argv = [str(table), "-o", f"{out}-large{suffix}", *raised(table)]
                measure(key, f"{big:,} rows: {label}", command(["batch", *argv]), big)
                if args.reference:
                    found = command(["batch", *argv], args.reference)
                    measure(f"{key}_reference", f"  the same from {args.reference}", found, big)
            report["large_rows"] = big
            report["large_csv_bytes"] = large.stat().st_size
            # what each further million rows costs, start-up and pack load left out
            further = report["large_batch_parquet_units_per_s"]
            seconds = big / further - args.rows / report["batch_parquet_units_per_s"]
            report["steady_batch_parquet_units_per_s"] = (big - args.rows) / seconds
        lines(args.rows, measured, args.rows / reading[0])
        for key, used in split.items():
            print(
                f"stages of write_advice({key} -> {key}), processor s, one thread: "
                + ", ".join(f"{stage} {s:.2f}" for stage, s in used.items())
                + f"; total {sum(used.values()):.2f}"
            )
        if args.memory:
            print(
                f"steady state, Parquet -> Parquet (10,000,000 rows less {args.rows:,}): "
                f"{report['steady_batch_parquet_units_per_s']:,.0f} units/s"
            )
    print(f"load average after: {load()}")
    print(json.dumps({key: round(value, 2) for key, value in report.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
