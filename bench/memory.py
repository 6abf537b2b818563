"""RSS over many single assessments through the durable-rules path (sessions are cleaned up).

    python bench/memory.py [--count 1000000]

Prints RSS after a warm-up, every tenth of the run, and the change in percent at the end.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from modeadvisor import Advisor


def rss_mb() -> float:
    """Current resident set size, from /proc (Linux); the peak where /proc is missing."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    advisor = Advisor.default(backend="durable")
    organisation = {
        "organisation": "o",
        "units": [
            {
                "id": "plant",
                "traits": {
                    "cost_focus": 5,
                    "established_way_of_working": 5,
                    "resource_based_steering": 4,
                    "goal_clarity": 5,
                    "output_standardisation": 4,
                    "uncertainty_level": 2,
                    "stabilising_leadership": 4,
                    "customer_value_basis": ["low_price"],
                },
                "models_in_use": ["balanced_scorecard"],
            }
        ],
    }
    first = advisor.assess(organisation)
    for _ in range(10_000):  # warm-up: caches, allocator arenas
        advisor.assess(organisation)
    start_rss, start = rss_mb(), time.perf_counter()
    print(f"after warm-up: {start_rss:.1f} MB", flush=True)
    step = max(1, args.count // 10)
    for done in range(1, args.count + 1):
        advice = advisor.assess(organisation)
        if done % step == 0:
            assert advice == first
            print(
                f"{done:>9,} assessments: {rss_mb():.1f} MB, "
                f"{done / (time.perf_counter() - start):,.0f}/s",
                flush=True,
            )
    end_rss = rss_mb()
    change = 100 * (end_rss - start_rss) / start_rss
    print(
        f"RSS {start_rss:.1f} MB -> {end_rss:.1f} MB over {args.count:,} assessments: "
        f"{change:+.1f} % (bound ±10 %)"
    )
    return 0 if abs(change) <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
