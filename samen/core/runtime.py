"""The server process: how Python's garbage collector runs in a process that serves many WebSockets."""
from __future__ import annotations

import gc

DEFAULT_GC_THRESHOLD = "10000,20,20"


def tune_garbage_collector(setting: str | None = None) -> tuple[int, int, int]:
    """Freeze what start-up made and collect young garbage in larger, rarer batches; return the thresholds.

    The cyclic collector holds the GIL while it runs, so every thread waits. A full collection walks every tracked
    object: in a process serving 300 WebSockets it took 150–500 ms (docs/benchmarks.md) — a broadcast that late
    for every client at once. What start-up made (modules, the app, its templates) lives as long as the process:
    gc.freeze() takes it out of the collector's passes. Larger thresholds make full collections rare, while the
    cycles a request leaves behind (its session and objects) die young, in the first generation.
    `setting`: GC_THRESHOLD — three numbers ("10000,20,20", the default), or "default" for Python's own (700,10,10).
    """
    gc.collect()
    gc.freeze()
    value = (setting or DEFAULT_GC_THRESHOLD).strip()
    if value != "default":
        try:
            numbers = tuple(int(part) for part in value.split(","))
        except ValueError:
            numbers = ()
        if len(numbers) != 3 or numbers[0] < 1 or min(numbers) < 0:
            raise ValueError(f"GC_THRESHOLD must be three whole numbers like 10000,20,20 or 'default', not {setting!r}")
        gc.set_threshold(*numbers)
    return gc.get_threshold()
