"""How fast stacks of layers are read, summed up, followed and drawn.

    python benchmarks/stacks.py

Prints medians over repeated runs in this process (the machine is shared and noisy: each is
warmed up first, PyTorch is timed in its own block, and the load average is printed):
- VGG-16's 31 feature layers pasted as PyTorch, read and tabled on 224 × 224 (target <= 50 ms);
- the region of one output cell through them (target <= 20 ms), and its ratio to PyTorch's
  autograd doing the same (all-ones weights, one backward pass) where PyTorch is installed;
- the ResNet stem's figure: four frames and a GIF (target <= 0.5 s), and the app's player page
  with its cells to point at (target <= 0.5 s), from cold caches.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import block  # noqa: E402

from convviz import stack_views  # noqa: E402
from convviz.ops.stack_text import PRESETS, parse_stack  # noqa: E402
from convviz.ops.summary import summary  # noqa: E402
from convviz.regions import region  # noqa: E402

VGG16 = ("nn.Sequential(" + ", ".join(
    [f"nn.Conv2d({a}, {b}, 3, padding=1), nn.ReLU(inplace=True)" +
     (", nn.MaxPool2d(2, 2)" if last else "")
     for a, b, last in [(3, 64, 0), (64, 64, 1), (64, 128, 0), (128, 128, 1), (128, 256, 0),
                        (256, 256, 0), (256, 256, 1), (256, 512, 0), (512, 512, 0),
                        (512, 512, 1), (512, 512, 0), (512, 512, 0), (512, 512, 1)]]) + ")")


def median_s(run, repeats: int, warm: bool = True) -> float:
    """Median seconds of ``repeats`` runs, after one untimed run when ``warm``."""
    return block(run, repeats, warmup=1 if warm else 0)


def cold(run):
    """``run`` with every cache emptied first (the first drawing counts)."""
    def again():
        stack_views.clear_caches()
        run()
    return again


def torch_region(torch, stack):
    """The same region by autograd: all-ones weights, one backward pass."""
    nn = torch.nn
    model = nn.Sequential(*(eval(line, {"nn": nn}) for line in stack.torch_lines()))
    for layer in model:
        if isinstance(layer, nn.Conv2d):
            nn.init.ones_(layer.weight)
            nn.init.zeros_(layer.bias)
        if isinstance(layer, nn.MaxPool2d):
            model[list(model).index(layer)] = nn.AvgPool2d(layer.kernel_size, layer.stride)
    x = torch.ones((1, 3, 224, 224), requires_grad=True)
    model(x)[0, 0, 3, 3].backward()
    return x.grad


def main() -> None:
    stack = parse_stack(VGG16, input_size=224)
    rows = [("VGG-16 features pasted, read + table (31 layers, 224 × 224)",
             median_s(lambda: summary(parse_stack(VGG16, input_size=224)), 15), 0.05)]
    ours = median_s(cold(lambda: region(stack, (3, 3))), 15)
    rows.append(("  region of y[3,3] through all of them", ours, 0.02))
    stem = PRESETS["resnet_stem"].stack()
    view = stack_views.StackView(stem, (27, 27))
    rows.append(("ResNet stem figure: 4 frames + GIF, cold",
                 median_s(cold(lambda: stack_views.encode(view, "gif")), 5), 0.5))
    rows.append(("ResNet stem player page with its cells, cold",
                 median_s(cold(lambda: stack_views.player_page(view, embedded=True)), 5), 0.5))
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:                      # timed in its own block, after ours
        torch.set_num_threads(2)
        theirs = median_s(lambda: torch_region(torch, stack), 5)
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for label, value, target in rows:
        verdict = "  ok" if value <= target else "  OVER TARGET"
        print(f"{label:62s} {value * 1e3:8.1f} ms  (target <= {target * 1e3:.0f} ms){verdict}")
    if torch is not None:
        print(f"{'  PyTorch autograd, the same region (one backward pass)':62s} "
              f"{theirs * 1e3:8.1f} ms  (ours is {theirs / ours:.1f} times faster)")


if __name__ == "__main__":
    main()
