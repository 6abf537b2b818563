"""Packs of 2,000 and 10,000 generated rules through durable-rules, against plain Python.

Run by `tests/test_scale.py` in a child process, because a pack shape the engine cannot take
hangs or crashes the process instead of failing a test. Prints one line per pack size: the size
and how many rules fired over the 25 generated units.

    python tests/scripts/large_packs.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from modeadvisor import Advisor, load_knowledge_base
from modeadvisor.knowledge import shipped_rules_dir

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"


def _bench() -> ModuleType:
    """bench/run.py, which generates the packs and units and fires them in plain Python."""
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {BENCH}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def main() -> int:
    bench = _bench()
    kb = load_knowledge_base(shipped_rules_dir())
    values = bench.units(kb, 25, 4)
    organisation: dict[str, Any] = {
        "organisation": "o",
        "units": [
            {
                "id": f"u{i}",
                "traits": {
                    k: sorted(v) if isinstance(v, frozenset) else v for k, v in unit.items()
                },
            }
            for i, unit in enumerate(values)
        ],
    }
    for size in (2000, 10000):
        pack = bench.generated_pack(kb, size)
        advice = Advisor(pack, backend="durable").assess(organisation)
        fired = [sorted(e.rule for e in advice.unit(f"u{i}").evidence) for i in range(len(values))]
        expected = [sorted(rules) for rules in bench.reference(pack, values)]
        if fired != expected:
            print(f"{size} rules: the engine and plain Python disagree", file=sys.stderr)
            return 1
        print(size, sum(map(len, fired)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
