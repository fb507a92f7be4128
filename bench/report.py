"""`python -m bench.report bench/results/<a>.json [<b>.json …]`: the saved results as a Markdown table, as in
docs/benchmarks.md."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _cpu(result: dict) -> str:
    if result.get("server_cpu_ms") is not None:
        return f"{result['server_cpu_ms']:.1f} (server)"
    cpu = result.get("cpu_p50_ms")
    return "" if cpu is None or cpu != cpu else f"{cpu:.1f}"


def table(paths: list[str]) -> str:
    """Return one Markdown table of the results in the given files."""
    lines = ["| database | benchmark | requests | per second | p50 | p95 | p99 | cpu p50 | target | load |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for path in paths:
        data = json.loads(Path(path).read_text())
        load = f"{data['machine']['load'][0]:.1f}"
        for r in data["results"]:
            if r.get("skipped"):
                lines.append(f"| {r['backend']} | {r['name']} | skipped: {r['skipped']} | | | | | | | |")
                continue
            verdict = "" if r.get("ok") is None else (" ✓" if r["ok"] else " ✗")
            lines.append(f"| {r['backend']} | {r['name']} | {r['count']} | {r['per_second']:.0f} | "
                         f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {_cpu(r)} | "
                         f"{r['target']}{verdict} | {load} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1:]))
