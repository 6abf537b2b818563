"""What checking a request's bearer token costs: the server's check (SHA-256 of the token, then a
constant-time comparison with every stored hash) beside what a slow key-derivation function
(scrypt at n=2**14, r=8, p=1, a common interactive setting) would cost per request, and beside
the work of the request itself (`Advisor.assess` of the example manufacturer, in this process),
all measured in the same run.

    python bench/tokens.py                  # 10 and 1,000 tokens in the file
    python bench/tokens.py --rounds 200     # quicker

Each line gives the wall and processor time per check (`time.process_time`); the machine may be
shared, so the load average is printed before and after. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from modeadvisor import Advisor
from modeadvisor.server._tokens import Tokens

ROOT = Path(__file__).resolve().parent.parent


def scrypt(token: bytes, salt: bytes) -> bytes:
    """A token's scrypt hash at a common interactive setting (n=2**14, r=8, p=1)."""
    return hashlib.scrypt(token, salt=salt, n=2**14, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)


def measure(job: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Seconds per call of `job`: wall, processor."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        job()
    return (time.perf_counter() - wall) / rounds, (time.process_time() - cpu) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000, help="checks per figure")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    figures: dict[str, dict[str, float]] = {}

    def show(name: str, per: tuple[float, float]) -> None:
        figures[name] = {"wall_us": per[0] * 1e6, "cpu_us": per[1] * 1e6}
        print(f"{name:<44} {per[0] * 1e6:>12,.1f} us wall {per[1] * 1e6:>12,.1f} us cpu")

    for count in (10, 1000):
        tokens, last = Tokens(), ""
        for i in range(count):
            tokens, last = tokens.added(f"holder{i}", ["assess"])
        assert tokens.find(last) is not None
        show(
            f"sha-256 check, {count:,} tokens, valid",
            measure(partial(tokens.find, last), args.rounds),
        )
        wrong = last[:-1] + ("A" if last[-1] != "A" else "B")
        show(
            f"sha-256 check, {count:,} tokens, invalid",
            measure(partial(tokens.find, wrong), args.rounds),
        )
    salt, token = secrets.token_bytes(16), secrets.token_urlsafe(32).encode()
    stored = scrypt(token, salt)
    rounds = max(5, args.rounds // 100)
    show(
        "scrypt check, 1 token (n=2**14, r=8, p=1)",
        measure(lambda: scrypt(token, salt) == stored, rounds),
    )
    advisor = Advisor.default(backend="vectorised")
    example = ROOT / "examples" / "manufacturer.yaml"
    advisor.assess(example)
    show("reference: assess the manufacturer", measure(lambda: advisor.assess(example), rounds))
    print(f"load average after: {os.getloadavg()}")
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
