"""Time the feature map of a real-sized image; say whether it meets its target.

    python benchmarks/images.py [--runs 21] [--rounds 3]

The case of the target: a 512 x 512 RGB picture (float64, as ``convviz.images`` makes it), one
3 x 3 kernel for every channel pair, padding 1: ``convviz.featuremap.feature_map`` must take
under 50 ms. Beside it, in the same process and for scale: the engine's ``conv2d`` called once
on the whole picture (what ``feature_map`` does in cache-sized bands), PyTorch's ``conv2d`` on
the same float64 arrays where PyTorch is installed, and the other steps the app's image panel
takes (reading the file, drawing the map with its colour bar, encoding the PNG, the zoom).

A timing is a block: warm-up calls, then the median of ``--runs`` calls. NumPy and torch
blocks never interleave; rounds repeat and each line reports its best round (the machine is
shared and noisy); the load average is printed before and after.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timing import block  # noqa: E402

from convviz import ConvSpec, export  # noqa: E402
from convviz.featuremap import feature_map  # noqa: E402
from convviz.figures.heatmap import heatmap  # noqa: E402
from convviz.images import Picture, read_image  # noqa: E402
from convviz.ops import engine  # noqa: E402
from convviz.zoom import zoom  # noqa: E402

TARGET_S = 0.050
SOBEL = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def numpy_calls() -> dict[str, callable]:
    """The timed steps, each a zero-argument call."""
    rng = np.random.default_rng(0)
    rgb = Picture(rng.integers(0, 256, (3, 512, 512)).astype(np.float64), "rgb", "PNG",
                  (512, 512))
    gray = Picture(rgb.pixels[:1].copy(), "gray", "PNG", (512, 512))
    conv, depthwise = ConvSpec(padding=1), ConvSpec(mode="depthwise", in_channels=3, padding=1)
    fmap = feature_map(gray, conv, "sobel_x")
    still = heatmap(fmap.values, min_px=400)
    weight = np.broadcast_to(SOBEL, (1, 3, 3, 3)).copy()
    return {
        "feature_map, RGB 512 x 512, 3 x 3 (target)": lambda: feature_map(rgb, conv, "sobel_x"),
        "engine conv2d in one call, same layer": lambda: engine.conv2d(rgb.pixels[None], weight,
                                                                       padding=1),
        "feature_map, RGB, depthwise 3 x 3": lambda: feature_map(rgb, depthwise, "sobel_x"),
        "feature_map, grayscale 512 x 512, 3 x 3": lambda: feature_map(gray, conv, "sobel_x"),
        "read_image camera.png (decode, L)": lambda: read_image(ROOT / "assets/camera.png"),
        "heatmap of a 512 x 512 map": lambda: heatmap(fmap.values, mark=(0, 9, 9), min_px=400),
        "PNG of that heatmap": lambda: export.encode([still.frame], "png",
                                                     palette=still.palette),
        "zoom (the crop and its spec)": lambda: zoom(fmap, gray, (220, 302)),
    }


def torch_calls() -> dict[str, callable]:
    """PyTorch's conv2d on the target case, float64 (empty where PyTorch is missing)."""
    try:
        import torch
    except ImportError:
        return {}
    torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(0, 256, (1, 3, 512, 512)).astype(np.float64))
    w = torch.from_numpy(np.broadcast_to(SOBEL, (1, 3, 3, 3)).copy())
    return {"torch conv2d, same layer (float64)":
            lambda: torch.nn.functional.conv2d(x, w, padding=1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for group in (numpy_calls(), torch_calls()):           # never interleaved
            for name, call in group.items():
                best[name] = min(best.get(name, float("inf")), block(call, args.runs))
            time.sleep(0.2)
    load_after = os.getloadavg()
    print(f"load average {load_before[0]:.2f} -> {load_after[0]:.2f} (1 min) on "
          f"{os.cpu_count()} cores; best of {args.rounds} rounds, median of {args.runs} runs")
    target = next(iter(best))
    for name, seconds in best.items():
        ratio = seconds / best[target]
        print(f"  {name:44s} {seconds * 1000:8.2f} ms   {ratio:5.2f}x the target case")
    verdict = best[target] < TARGET_S
    print(f"target: feature map of a 512 x 512 RGB image with a 3 x 3 kernel in under "
          f"{TARGET_S * 1000:.0f} ms: {'met' if verdict else 'MISSED'} "
          f"({best[target] * 1000:.1f} ms)")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
