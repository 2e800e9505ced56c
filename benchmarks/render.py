"""How fast the classic figures render and encode, and how much memory a long one takes.

    python benchmarks/render.py

Prints, each a median over repeated runs in this process (the machine is shared and noisy):
- the 15-figure gallery rendered and encoded to GIF files (target <= 0.5 s), and its ratio
  to the naive path: the same frames as RGB written with ``imageio.v3.imwrite`` defaults;
- one 256-frame spec (n = 16, k = 3, p = 1) rendered and encoded (target <= 0.3 s);
- peak memory (max RSS of a child process) of a 4096-frame spec (n = 64, k = 3, p = 1)
  streamed to a GIF (target <= 300 MB).
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import imageio.v3 as iio  # noqa: E402

from convviz import ConvSpec, views  # noqa: E402
from convviz.figures import ClassicFigure  # noqa: E402
from convviz.gallery import PRESETS  # noqa: E402

CLASSIC = [p for p in PRESETS.values() if p.classic]


def _median_s(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        views.clear_caches()                               # count the one-off drawing too
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gallery(folder: Path) -> None:
    for preset in CLASSIC:
        views.save(views.View(preset.spec), folder / f"{preset.name}.gif")


def naive_gallery(folder: Path) -> None:
    for preset in CLASSIC:
        figure = ClassicFigure(preset.spec)
        frames = [figure.rgb(i) for i in range(figure.frame_count)]
        iio.imwrite(folder / f"{preset.name}.gif", frames, duration=1000, loop=0)


def long_spec(folder: Path) -> None:
    views.save(views.View(ConvSpec(input_size=16, kernel_size=3, padding=1)), folder / "256.gif")


def child_4096() -> None:
    """Stream the 4096-frame figure to a GIF; print max RSS in MB and the time taken."""
    spec = ConvSpec(input_size=64, kernel_size=3, padding=1)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        views.save(views.View(spec), Path(folder) / "4096.gif", max_frames=4096)
        seconds = time.perf_counter() - start
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds)


def main() -> None:
    if sys.argv[1:] == ["--child-4096"]:
        child_4096()
        return
    frames = sum(ClassicFigure.count(p.spec) for p in CLASSIC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gallery(folder)                                    # warm up
        ours = _median_s(lambda: gallery(folder), 9)
        naive = _median_s(lambda: naive_gallery(folder), 3)
        long = _median_s(lambda: long_spec(folder), 9)
    child = subprocess.run([sys.executable, __file__, "--child-4096"], capture_output=True,
                           text=True, check=True)
    rss_mb, seconds_4096 = (float(x) for x in child.stdout.split())
    rows = [
        (f"gallery: 15 figures, {frames} frames, render + GIF", ours, 0.5, "s"),
        ("  naive: same frames as RGB, imageio.v3.imwrite", naive, None, "s"),
        ("256-frame spec (n=16, k=3, p=1), render + GIF", long, 0.3, "s"),
        ("4096-frame spec (n=64, k=3, p=1), peak RSS", rss_mb, 300, "MB"),
        ("4096-frame spec, render + GIF time", seconds_4096, None, "s"),
    ]
    for label, value, target, unit in rows:
        verdict = "" if target is None else ("  ok" if value <= target else "  OVER TARGET")
        limit = "" if target is None else f"  (target <= {target} {unit})"
        print(f"{label:52s} {value:8.3f} {unit}{limit}{verdict}")
    print(f"{'gallery ratio to the naive path':52s} {ours / naive:8.3f} x  "
          f"({naive / ours:.1f} times faster)")


if __name__ == "__main__":
    main()
