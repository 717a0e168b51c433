#!/usr/bin/env python3
"""Where a flood run's slow requests fall in time: benchmarks/flood/stalls.py DIR [THRESHOLD_MS]

DIR is what `SERIES=DIR bash benchmarks/flood/run.sh` kept: ROUND.PHASE files ("due latency-from-due latency-from-sending",
Stopwatch ticks and nanoseconds, one line a request) and stats (the load target's /stats, with a "jwks-fetch-at TICKS"
line a key fetch and a "gc-pause-at TICKS GENERATION MICROSECONDS" line a collection's pause). For each phase: its p99,
the collections' pauses within it, the requests slower than the threshold (default 4 ms) from when they were due,
grouped when less than 50 ms apart, how many of them were due within 100 ms after one of the phase's key fetches, and
for each group its distance to the nearest key fetch and the pauses from 50 ms before the group to its end. Groups at
the same point of every second, beside the fetches or beside long pauses say which of the flood's effects held the
valid requests.
"""
import sys
from pathlib import Path

directory = Path(sys.argv[1])
threshold_ns = float(sys.argv[2] if len(sys.argv) > 2 else 4) * 1e6
stats = [line.split() for line in (directory / "stats").read_text().splitlines()]
fetches = [int(fields[1]) for fields in stats if fields[0] == "jwks-fetch-at"]
pauses = [tuple(map(int, fields[1:])) for fields in stats if fields[0] == "gc-pause-at"]


def describe(window):
    if not window:
        return "no collection"
    generations = "/".join(str(sum(1 for p in window if p[1] == g)) for g in (0, 1, 2))
    return f"{len(window)} collections (gen0/1/2 {generations}), {sum(p[2] for p in window) / 1e3:.1f} ms paused, " \
           f"longest {max(p[2] for p in window) / 1e3:.1f} ms"


for path in sorted(p for p in directory.iterdir() if p.name != "stats"):
    rows = sorted(tuple(map(int, line.split())) for line in path.read_text().splitlines())
    latencies = sorted(row[1] for row in rows)
    start, end = rows[0][0], rows[-1][0]
    groups = []
    for row in (r for r in rows if r[1] > threshold_ns):
        if groups and row[0] - groups[-1][-1][0] < 50e6:
            groups[-1].append(row)
        else:
            groups.append([row])
    inside = [f for f in fetches if start <= f <= end]
    after_fetch = sum(1 for g in groups for r in g if any(0 <= r[0] - f <= 100e6 for f in inside))
    print(f"{path.name}: {len(rows)} requests, p99 {latencies[int(len(latencies) * 0.99)] / 1e6:.2f} ms, "
          f"{sum(len(g) for g in groups)} over {threshold_ns / 1e6:g} ms in {len(groups)} groups "
          f"({after_fetch} due within 100 ms after one of the phase's {len(inside)} key fetches); "
          f"{describe([p for p in pauses if start <= p[0] <= end])}")
    for group in groups:
        nearest = min((abs(group[0][0] - f) / 1e6 for f in fetches), default=float("nan"))
        window = [p for p in pauses if group[0][0] - 50e6 <= p[0] <= group[-1][0]]
        print(f"  at {(group[0][0] - start) / 1e9:7.3f} s: {len(group):4d} requests over {(group[-1][0] - group[0][0]) / 1e6:6.1f} ms, "
              f"worst {max(r[1] for r in group) / 1e6:5.1f} ms; nearest key fetch {nearest:8.1f} ms away; {describe(window)}")
