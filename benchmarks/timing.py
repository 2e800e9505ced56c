"""What every benchmark here times with: the median of repeated calls after warm-up ones
(the machine is shared and noisy; a fresh process pays page faults on its first calls).

Run as scripts, the benchmarks find this module beside them: ``from timing import block``.
"""
from __future__ import annotations

import statistics
import time


def block(call, runs: int, warmup: int = 3) -> float:
    """Median seconds of ``runs`` calls of ``call`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
