"""What the framework conventions cost: building a spec, its pads, the differences table, the
code lines, and the engine's pre-pad, as ratios against a PyTorch-convention baseline timed in
the same process.

    python benchmarks/conventions.py [--runs 2001]

Budgets: a TensorFlow-convention spec with padding="same" within 1.5x of the same spec with
padding=1 under PyTorch; the app's differences table (five specs) and code line within 2 ms;
the engine with a pre-pad (``pad``, then ``conv2d`` with padding 0) within 1.5x of the engine
with padding 1 on the 1 x 3 x 224 x 224 layer of benchmarks/engine.py.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from timing import block  # noqa: E402

from convviz.ops import engine, frameworks  # noqa: E402
from convviz.ops.spec import ConvSpec  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2001)
    runs = parser.parse_args(argv).runs
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    base = {"input_size": 6, "kernel_size": 3, "stride": 2}
    spec = ConvSpec(**base, padding="same", convention="tensorflow")
    torch_spec = block(lambda: ConvSpec(**base, padding=1), runs)
    tf_spec = block(lambda: ConvSpec(**base, padding="same", convention="tensorflow"), runs)
    table = block(lambda: frameworks.differences(spec), runs // 4)
    line = block(lambda: frameworks.code(spec), runs // 4)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 3, 224, 224), dtype=np.float32)
    w = rng.standard_normal((16, 3, 3, 3), dtype=np.float32)
    layer = ConvSpec(input_size=224, in_channels=3, out_channels=16, stride=2, padding="same",
                     convention="tensorflow")
    padded = block(lambda: engine.conv2d(engine.pad(x, layer.pre_pad), w, **layer.arguments()),
                   21, warmup=3)
    plain = block(lambda: engine.conv2d(x, w, stride=2, padding=1), 21, warmup=3)
    rows = [("spec, tensorflow 'same' / pytorch p=1", tf_spec / torch_spec, 1.5,
             f"{tf_spec * 1e6:.0f} us vs {torch_spec * 1e6:.0f} us"),
            ("differences table (5 specs)", table * 1e3, 2.0, f"{table * 1e3:.2f} ms"),
            ("code line", line * 1e3, 2.0, f"{line * 1e3:.3f} ms"),
            ("engine, pre-pad + conv2d / conv2d p=1", padded / plain, 1.5,
             f"{padded * 1e3:.2f} ms vs {plain * 1e3:.2f} ms")]
    worst = 0
    for name, value, budget, detail in rows:
        ok = value <= budget
        worst |= not ok
        print(f"{name:42s} {value:6.2f} (budget {budget})  {'ok' if ok else 'OVER'}  {detail}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
