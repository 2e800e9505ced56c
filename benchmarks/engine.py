"""Time convviz's NumPy engine against PyTorch on one layer; say whether each case meets its target.

    python benchmarks/engine.py [--runs 11] [--rounds 5]

The layer: x is 1 x 3 x 224 x 224 float32; conv2d takes w 16 x 3 x 3 x 3 and
conv_transpose2d the same layer transposed (w 3 x 16 x 3 x 3); padding 1; stride and dilation
1 or 2. Pooling takes the conv layer's output size, x 1 x 16 x 224 x 224 float32, with a 2 x 2
window (stride 2) and a 3 x 3 one with stride 2. Targets: conv2d within 2.5x torch's time,
conv_transpose2d within 1.5x, max_pool2d and avg_pool2d within 3x.

A timing is a *block*: warm-up calls, then the median of ``--runs`` timed calls of one
implementation on one case. NumPy and torch never interleave: a round times every NumPy block,
pauses, then every torch block (OpenBLAS threads left spinning after NumPy's matmuls slow
torch 3-30x). The machine may be shared and noisy, so rounds repeat and each case reports its
best round's times (the least disturbed) and, as a check, the median of the rounds' ratios.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from timing import block  # noqa: E402

from convviz.ops import engine, pooling  # noqa: E402

TARGETS = {"conv2d": 2.5, "conv_transpose2d": 1.5, "max_pool2d": 3.0, "avg_pool2d": 3.0}
CONVS = ("conv2d", "conv_transpose2d")
CASES = [(op, s, d) for op in CONVS for s in (1, 2) for d in (1, 2)]
CASES += [(op, k, s) for op in TARGETS if op not in CONVS for k, s in ((2, 2), (3, 2))]
"""(op, stride, dilation) of a convolution; (op, kernel_size, stride) of a pooling."""


def arrays() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The benchmark layer's input and weight per op, float32."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 3, 224, 224), dtype=np.float32)
    x16 = rng.standard_normal((1, 16, 224, 224), dtype=np.float32)
    return {"conv2d": (x, rng.standard_normal((16, 3, 3, 3), dtype=np.float32)),
            "conv_transpose2d": (x, rng.standard_normal((3, 16, 3, 3), dtype=np.float32)),
            "max_pool2d": (x16,), "avg_pool2d": (x16,)}


def calls(library, data) -> dict[tuple, callable]:
    """One zero-argument call per case, on NumPy arrays or torch tensors (``library`` is a
    module of convviz's engine, or torch.nn.functional)."""
    result = {}
    for op, s, d in CASES:
        if op not in CONVS:                 # pooling: (op, kernel_size, stride)
            function = getattr(pooling if library is engine else library, op)
            result[op, s, d] = lambda f=function, x=data[op][0], k=s, st=d: f(x, k, st)
            continue
        ops = {"conv2d": library.conv2d, "conv_transpose2d": library.conv_transpose2d}
        x, w = data[op]
        if op == "conv2d":
            result[op, s, d] = lambda f=ops[op], x=x, w=w, s=s, d=d: f(x, w, None, s, 1, d)
        else:
            result[op, s, d] = lambda f=ops[op], x=x, w=w, s=s, d=d: f(x, w, None, s, 1, 0, 1, d)
    return result


def check(torch, data) -> None:
    """Stop if the engine and torch disagree on a benchmark case (run after the timing)."""
    ours, theirs = calls(engine, data), calls(torch.nn.functional, {
        op: tuple(torch.from_numpy(a) for a in pair) for op, pair in data.items()})
    for case in CASES:
        np.testing.assert_allclose(ours[case](), theirs[case]().numpy(), rtol=1e-4, atol=1e-4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed calls per block (>= 11)")
    parser.add_argument("--rounds", type=int, default=5, help="repeats of all blocks")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        torch = None
    data = arrays()
    sides = {"numpy": calls(engine, data)}
    if torch is not None:
        torch.set_num_threads(2)
        sides["torch"] = calls(torch.nn.functional, {
            op: tuple(torch.from_numpy(a) for a in pair) for op, pair in data.items()})
    times = {side: {case: [] for case in CASES} for side in sides}
    load = os.getloadavg()[0]
    for _ in range(args.rounds):
        for side, by_case in sides.items():
            for case, call in by_case.items():
                times[side][case].append(block(call, args.runs))
            time.sleep(0.5)                     # let the other side's threads go idle
    report(times, args)
    load = max(load, os.getloadavg()[0])
    if load > 0.5:
        print(f"note: load average {load:.1f} while timing; other work on this machine "
              f"inflates both sides unevenly, so run again when it is idle")
    if torch is not None:
        check(torch, data)
    return 0


def report(times: dict, args) -> None:
    """Print one line per case: best-round times, their ratio, the target, the verdict."""
    print(f"median of {args.runs} runs per block, best of {args.rounds} rounds; "
          f"ratio = NumPy time / torch time (2 threads)")
    print(f"{'op':<17}{'case':>8}{'numpy ms':>10}{'torch ms':>10}{'ratio':>7}"
          f"{'median':>8}{'target':>8}  verdict")
    for op, s, d in CASES:
        ours = times["numpy"][op, s, d]
        case = f"s{s} d{d}" if op in CONVS else f"k{s} s{d}"
        line = f"{op:<17}{case:>8}{min(ours) * 1e3:>10.3f}"
        if "torch" in times:
            theirs = times["torch"][op, s, d]
            ratio = min(ours) / min(theirs)
            median = statistics.median(a / b for a, b in zip(ours, theirs))
            verdict = "meets" if ratio <= TARGETS[op] else "MISSES"
            line += (f"{min(theirs) * 1e3:>10.3f}{ratio:>7.2f}{median:>8.2f}"
                     f"{TARGETS[op]:>7.1f}x  {verdict}")
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
