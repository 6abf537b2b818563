"""What keeping history costs: saving an assessment and reading an organisation's changes back,
in SQLite and (where MODEADVISOR_TEST_POSTGRES names one) PostgreSQL, beside assessing the same
organisation in the same run (the reference: what `assess --save` does anyway).

    python bench/history.py                 # 40 saves of each example, then the reads
    python bench/history.py --saves 10      # quicker
    python bench/history.py --units 2000    # also a generated organisation of 2,000 units

Figures are medians, in wall and process milliseconds; the load average is printed beside them,
since the machine is shared. PostgreSQL runs in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from modeadvisor import Advice, Advisor, Organisation, load_organisation
from modeadvisor.authoring.impact import sample_population
from modeadvisor.history import HistoryStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall and process milliseconds of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def show(name: str, figures: tuple[float, float], runs: int) -> None:
    wall, cpu = figures
    print(f"{name:<58} {wall:8.1f} ms wall {cpu:8.1f} ms cpu  ({runs} runs)")


@contextmanager
def databases(folder: Path) -> Iterator[list[tuple[str, str]]]:
    found = [("sqlite", f"sqlite:///{folder / 'history.sqlite3'}")]
    url = os.environ.get("MODEADVISOR_TEST_POSTGRES")
    if not url:
        yield found
        return
    import psycopg
    from psycopg import sql

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield [*found, ("postgresql", f"{url}?options=-csearch_path%3D{schema}")]
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def cases(advisor: Advisor, units: int) -> list[tuple[str, Organisation, Advice]]:
    found = []
    for path in EXAMPLES:
        organisation = load_organisation(path)
        found.append((path.stem, organisation, advisor.assess(path)))
    if units:
        kb = advisor.knowledge_base
        population = [u for o in sample_population(kb, kb, units, seed=1) for u in o["units"]]
        data = {
            "organisation": f"Generated {units}",
            "units": [  # one tree: every unit under the first
                {**u, "id": f"u{i}", "parent": "u0" if i else None}
                for i, u in enumerate(population)
            ],
        }
        organisation = Organisation.model_validate(data)
        found.append((f"generated-{units}", organisation, advisor.assess(organisation)))
    return found


def _open_close(url: str) -> None:
    HistoryStore.open(url).close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--units", type=int, default=0)
    options = parser.parse_args()
    advisor = Advisor.default(backend="vectorised")
    kb = advisor.knowledge_base
    print(f"load average before: {os.getloadavg()}")
    found = cases(advisor, options.units)
    with tempfile.TemporaryDirectory() as folder, databases(Path(folder)) as targets:
        for name, organisation, advice in found:
            runs = options.saves if len(advice.units) < 100 else max(3, options.saves // 10)
            show(
                f"assess {name} ({len(advice.units)} units), the reference",
                timed(partial(advisor.assess, organisation), runs),
                runs,
            )
            for kind, url in targets:
                with HistoryStore.open(url) as store:
                    show(
                        f"  save in {kind}",
                        timed(partial(store.save, advice, organisation, kb), runs),
                        runs,
                    )
                    show(
                        f"  history of {runs} saved assessments in {kind}",
                        timed(partial(store.history, organisation.organisation), 5),
                        5,
                    )
        for kind, url in targets:
            show(
                f"open (schema checked) {kind}",
                timed(partial(_open_close, url), 10),
                10,
            )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
