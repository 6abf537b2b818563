"""The HTTP API under load: concurrent clients posting an organisation to `/assess` on a real
`modeadvisor serve` on the loopback interface, beside `Advisor.assess` called in this process on
the same organisation and pack, measured in the same run.

    python bench/server_load.py                          # 8 clients x 2,000 requests
    python bench/server_load.py --clients 2 --requests 50 # a quick run

Only 127.0.0.1 is ever addressed. The run is bounded in count (clients x requests) and in time
(`--seconds`, default 600): a client stops at either. It prints the latency of the requests (p50,
p99, max), the errors (any answer but 200 with the command line's bytes, or a failed request),
the server's resident memory (VmRSS) at the start (after warming up), the middle and the end of
the run, wall and processor seconds (this process's and the server's), the reference (in-process
`assess` of the same organisation, p50 per call) and the load average before and after (the
machine's cores are shared). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from modeadvisor import Advisor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "manufacturer.yaml"
HOST = "127.0.0.1"  # loopback only
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    """A process's resident memory in KiB (VmRSS, from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """A process's user and system processor seconds (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def reference(body: dict[str, Any], calls: int) -> dict[str, float]:
    """`Advisor.assess(...).to_json()` in this process, per call: what the server adds to."""
    advisor = Advisor.default()
    advisor.assess(body).to_json()  # warm
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        advisor.assess(body).to_json()
        times.append(time.perf_counter() - start)
    return {"p50_ms": statistics.median(times) * 1000, "mean_ms": statistics.fmean(times) * 1000}


class Load:
    """The clients' shared tally: latencies, errors, and when to sample the server's memory."""

    def __init__(self, total: int, deadline: float) -> None:
        self.total = total
        self.deadline = deadline
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.halfway = threading.Event()

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error is not None:
                self.errors.append(error)
            if len(self.latencies) * 2 >= self.total:
                self.halfway.set()


def client(url: str, body: bytes, expected: str, requests: int, load: Load) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        for _ in range(requests):
            if time.monotonic() > load.deadline:
                return
            start = time.perf_counter()
            error = None
            try:
                answer = http.post(
                    "/assess", content=body, headers={"content-type": "application/json"}
                )
                if answer.status_code != 200 or answer.text != expected:
                    error = f"{answer.status_code}: {answer.text[:200]}"
            except httpx.HTTPError as failed:
                error = f"{type(failed).__name__}: {failed}"
            load.record(time.perf_counter() - start, error)


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="per client")
    parser.add_argument("--seconds", type=float, default=600.0, help="stop all clients after")
    parser.add_argument("--reference-calls", type=int, default=300)
    args = parser.parse_args()

    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    body = json.dumps(data).encode("utf-8")
    expected = Advisor.default().assess(data).to_json()  # the command line's bytes
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")

    ref_wall, ref_cpu = time.perf_counter(), time.process_time()
    ref = reference(data, args.reference_calls)
    ref_wall, ref_cpu = time.perf_counter() - ref_wall, time.process_time() - ref_cpu
    print(
        f"reference: Advisor.assess + to_json in process: p50 {ref['p50_ms']:.2f} ms, mean "
        f"{ref['mean_ms']:.2f} ms ({args.reference_calls} calls, {ref_wall:.1f} s wall, "
        f"{ref_cpu:.1f} s processor)"
    )

    port = free_port()
    url = f"http://{HOST}:{port}"
    command = [
        sys.executable,
        "-m",
        "modeadvisor.cli",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server)
        with httpx.Client(base_url=url, timeout=60) as warm:
            for _ in range(20):
                warm.post("/assess", content=body)
        rss = {"start": rss_kib(server.pid)}
        server_cpu = cpu_seconds(server.pid)
        total = args.clients * args.requests
        load = Load(total, time.monotonic() + args.seconds)
        threads = [
            threading.Thread(target=client, args=(url, body, expected, args.requests, load))
            for _ in range(args.clients)
        ]
        wall, cpu = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.start()
        load.halfway.wait(timeout=args.seconds)
        rss["middle"] = rss_kib(server.pid)
        for thread in threads:
            thread.join()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rss["end"] = rss_kib(server.pid)
        server_cpu = cpu_seconds(server.pid) - server_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    done = len(load.latencies)
    p50, p99 = percentile(load.latencies, 0.50) * 1000, percentile(load.latencies, 0.99) * 1000
    load_after = os.getloadavg()
    print(
        f"server: {args.clients} clients x {args.requests} requests: {done:,} done in {wall:.1f} s "
        f"wall ({done / wall:.0f}/s); latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max "
        f"{max(load.latencies) * 1000:.1f} ms; errors {len(load.errors)}"
    )
    print(
        f"processor: server {server_cpu:.1f} s, clients (this process) {cpu:.1f} s; server RSS "
        f"start {rss['start'] / 1024:.1f} MiB, middle {rss['middle'] / 1024:.1f} MiB, end "
        f"{rss['end'] / 1024:.1f} MiB"
    )
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    for error in load.errors[:5]:
        print(f"error: {error}")
    print(
        json.dumps(
            {
                "clients": args.clients,
                "requests": done,
                "errors": len(load.errors),
                "p50_ms": round(p50, 2),
                "p99_ms": round(p99, 2),
                "wall_s": round(wall, 2),
                "server_cpu_s": round(server_cpu, 2),
                "client_cpu_s": round(cpu, 2),
                "rss_kib": rss,
                "reference_p50_ms": round(ref["p50_ms"], 3),
                "load_before": load_before[0],
                "load_after": load_after[0],
            }
        )
    )


if __name__ == "__main__":
    main()
