"""What the time zone lookup costs: importing it, building the city index on first use, the memory the index
keeps, and the time of one lookup for what parents type.

Run: ``.venv/bin/python bench/timezones.py [--rounds N]``. The last line is one JSON object with the figures.
The bot builds the index once per process, before it serves (bot/warm.py), so a parent never waits for it.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
import tracemalloc
from datetime import UTC, datetime

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
TYPED = [
    "São Paulo", "sao paulo", "Moscow time", "new york", "NYC", "London", "I'm in Paris", "Córdoba, Spain",
    "Portland, Maine", "Germany", "USA", "Texas", "GMT+2", "utc -5", "+0530", "Etc/GMT+2", "PST", "IST",
    "AEST", "Europe/Paris", "europe/paris", "new", "los ang", "Xyzzy", "Bangalore", "Kiev", "zurich",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    started = time.perf_counter()
    from bot.core import timezones  # imported here: the import is what is measured

    import_ms = (time.perf_counter() - started) * 1000

    wall, cpu = time.perf_counter(), time.process_time()
    timezones.find_zone("London", NOW)
    build_ms = (time.perf_counter() - wall) * 1000
    build_cpu_ms = (time.process_time() - cpu) * 1000

    timezones._gazetteer.cache_clear()
    gc.collect()
    tracemalloc.start()
    timezones.find_zone("London", NOW)
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    latencies: dict[str, list[float]] = {text: [] for text in TYPED}
    for _ in range(args.rounds):
        for text in TYPED:
            t0 = time.perf_counter()
            timezones.find_zone(text, NOW)
            latencies[text].append((time.perf_counter() - t0) * 1_000_000)
    every = sorted(us for values in latencies.values() for us in values)
    slowest = max(latencies, key=lambda text: statistics.median(latencies[text]))
    figures = {
        "import_ms": round(import_ms, 1),
        "first_use_ms": round(build_ms, 1),
        "first_use_cpu_ms": round(build_cpu_ms, 1),
        "index_kept_mb": round(kept / 1e6, 1),
        "build_peak_mb": round(peak / 1e6, 1),
        "lookups": len(every),
        "lookup_median_us": round(statistics.median(every), 1),
        "lookup_p95_us": round(every[int(len(every) * 0.95)], 1),
        "lookup_max_us": round(every[-1], 1),
        "slowest_input": slowest,
        "slowest_input_median_us": round(statistics.median(latencies[slowest]), 1),
    }
    print(
        f"import {import_ms:.1f} ms; first use (index build) {build_ms:.0f} ms wall, {build_cpu_ms:.0f} ms CPU"
    )
    print(f"index kept {kept / 1e6:.1f} MB (peak while building {peak / 1e6:.1f} MB)")
    print(
        f"{len(every)} lookups: median {figures['lookup_median_us']} µs, p95 {figures['lookup_p95_us']} µs, "
        f"max {figures['lookup_max_us']} µs; slowest input {slowest!r} "
        f"({figures['slowest_input_median_us']} µs median)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
