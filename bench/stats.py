"""Timings and their summary: requests per second and latency percentiles."""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Result:
    """One benchmark's outcome on one database: throughput, latencies in ms, and whether it met its target."""

    name: str
    backend: str
    count: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    # CPU time of this process per call (sequential runs): on a busy machine, closer to what a call costs.
    cpu_ms: list[float] = field(default_factory=list, repr=False)
    server_cpu_ms: float | None = None  # HTTP: the server process's CPU time per request, on average
    target: str = ""
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    ok: bool | None = None  # whether the target was met (None: no target)
    intact: bool = True  # False when the data came out wrong (supports lost, errors): always a failure

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else math.nan

    def p(self, fraction: float) -> float:
        return percentile(sorted(self.latencies_ms), fraction)

    def check(self, *, p95_ms: float | None = None, per_second: float | None = None) -> None:
        """Record whether the result meets its target."""
        checks = []
        if p95_ms is not None:
            self.target = f"p95 <= {p95_ms:g} ms"
            checks.append(self.p(0.95) <= p95_ms)
        if per_second is not None:
            self.target = f">= {per_second:g}/s"
            checks.append(self.per_second >= per_second)
        self.ok = all(checks)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        del data["latencies_ms"], data["cpu_ms"]
        data.update(per_second=round(self.per_second, 1), p50_ms=round(self.p(0.5), 2),
                    p95_ms=round(self.p(0.95), 2), p99_ms=round(self.p(0.99), 2),
                    max_ms=round(max(self.latencies_ms, default=math.nan), 2),
                    cpu_p50_ms=round(percentile(sorted(self.cpu_ms), 0.5), 2),
                    cpu_p95_ms=round(percentile(sorted(self.cpu_ms), 0.95), 2))
        return data

    def line(self) -> str:
        if self.skipped:
            return f"{self.backend:<10} {self.name:<22} skipped: {self.skipped}"
        verdict = "" if self.ok is None else ("  ok" if self.ok else "  MISSED")
        cpu = f"  (cpu p50 {percentile(sorted(self.cpu_ms), 0.5):.2f} ms)" if self.cpu_ms else ""
        if self.server_cpu_ms is not None:
            cpu = f"  (server cpu {self.server_cpu_ms:.2f} ms/request)"
        return (f"{self.backend:<10} {self.name:<22} {self.count:>6} in {self.seconds:6.2f} s  "
                f"{self.per_second:8.1f}/s  p50 {self.p(0.5):7.2f} ms  p95 {self.p(0.95):7.2f} ms  "
                f"p99 {self.p(0.99):7.2f} ms  {self.target}{verdict}{cpu}")


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """Run call() and return how long it took and the CPU time this thread spent on it, in milliseconds."""
    started, cpu = time.perf_counter(), time.thread_time()
    call()
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def run_sequentially(result: Result, calls: list[Callable[[], Any]], *, warmup: int = 10,
                     max_seconds: float = 60) -> Result:
    """Time the calls one after another (after a few untimed ones), stopping early after max_seconds."""
    for call in calls[:warmup]:
        call()
    started = time.perf_counter()
    for call in calls:
        wall, cpu = timed(call)
        result.latencies_ms.append(wall)
        result.cpu_ms.append(cpu)
        if time.perf_counter() - started > max_seconds:
            result.notes.append(f"stopped after {max_seconds:g} s")
            break
    result.seconds = time.perf_counter() - started
    result.count = len(result.latencies_ms)
    return result
