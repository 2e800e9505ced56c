"""What the classroom features cost: annotations, colour schemes, labels, vector numbers,
multi-channel numbers and handouts, each against a baseline timed in this process.

    python benchmarks/classroom.py

The machine is shared and noisy: everything is warmed up first, each number is a median of
repeated runs, baselines and their variants are timed in separate blocks, and the load
average is printed with the results.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convviz import ConvSpec, views  # noqa: E402
from convviz.figures import ChannelNumbersFigure, ChannelsFigure, figure_class  # noqa: E402
from convviz.figures.vector import figure_bytes, image_still  # noqa: E402
from convviz.gallery import PRESETS  # noqa: E402
from convviz.handout import handout  # noqa: E402

CLASSIC = views.View(PRESETS["padding_strides_transposed"].spec)           # 25 frames
NUMBERS = views.View(PRESETS["padding_strides"].spec, style="numbers", kernel="sobel_x")
BIG = views.View(ConvSpec(input_size=16, kernel_size=3, padding=1))        # 256 frames


def median_s(run, repeats: int = 7, clear: bool = True) -> float:
    run()                                                                  # warm up
    times = []
    for _ in range(repeats):
        if clear:
            views.clear_caches()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rows() -> list[tuple[str, float, float | None]]:
    """(what, seconds, baseline seconds or None)."""
    plain_gif = median_s(lambda: views.encode(CLASSIC, "gif"))
    notes_gif = median_s(lambda: views.encode(CLASSIC, "gif", annotate=True))
    cb_gif = median_s(lambda: views.encode(views.View(CLASSIC.spec, palette="cb"), "gif"))
    bitmap_svg = median_s(lambda: image_still(views.frame(NUMBERS, 4), "svg"))
    vector_svg = median_s(lambda: views.still(NUMBERS, 4, "svg"))
    plain_svg = median_s(lambda: views.still(CLASSIC, 6, "svg"))
    notes_svg = median_s(lambda: views.still(CLASSIC, 6, "svg", annotate=True))
    big_gif = median_s(lambda: views.encode(BIG, "gif"), 3)
    big_notes = median_s(lambda: views.encode(BIG, "gif", annotate=True), 3)
    separable = PRESETS["separable"].spec
    labelled = median_s(lambda: ChannelsFigure(separable).frame(0))
    channel_numbers = median_s(lambda: list(ChannelNumbersFigure(separable).frames()), 3)
    classic_kind = figure_class(PRESETS["padding_strides"].spec, "classic", "slide")
    one_pdf = median_s(lambda: figure_bytes(
        classic_kind(PRESETS["padding_strides"].spec).vector_figure(0), "pdf"), 5)
    sheet = median_s(lambda: handout(classic_kind(PRESETS["padding_strides"].spec)), 3)
    big_sheet = median_s(lambda: handout(views.figure(BIG)), 3)
    return [
        ("transposed 3x3 s2 (25 frames) GIF, annotated", notes_gif, plain_gif),
        ("  the same in the colour-blind scheme", cb_gif, plain_gif),
        ("256-frame GIF (n=16), annotated", big_notes, big_gif),
        ("numbers-style SVG still: vector with text", vector_svg, bitmap_svg),
        ("classic SVG still, annotated (title, formula, legend, step)", notes_svg, plain_svg),
        ("separable figure with labels: first frame, drawing included", labelled, None),
        ("separable in numbers: all 63 frames, drawing included", channel_numbers, None),
        ("handout (padding_strides, 4 steps, 1 page)", sheet, one_pdf),
        ("handout (n=16, 4 steps)", big_sheet, None),
    ]


def main() -> None:
    load = os.getloadavg()
    for label, seconds, baseline in rows():
        ratio = "" if baseline is None else f"   {seconds / baseline:5.2f} x the baseline " \
                                             f"({baseline * 1000:7.1f} ms)"
        print(f"{label:62s} {seconds * 1000:8.1f} ms{ratio}")
    print(f"load average before / after: {load[0]:.2f} / {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
