"""What pointing at cells costs, and how big the pages that stand alone are.

    python benchmarks/pages.py

Prints the machine's load average (it is shared and noisy), then, each a median over repeated
runs in this process after a warm-up, with every cache cleared before each run:
- the app's player page of the 15 seed (classic) figures without cells to point at and with
  them (:func:`convviz.views.player_page`), and their ratio: what the cell map adds;
- the cell map alone (``Figure.targets()``) of those figures, already drawn;
- ``python -m convviz site``: the whole static site (20 pages, 20 stills, the index);
- the size of each seed figure's standalone page against its GIF (the aim: within 2x), their
  total and the largest.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convviz import pages, player, views  # noqa: E402
from convviz.gallery import PRESETS  # noqa: E402

SEED = [p for p in PRESETS.values() if p.classic]


def _median_s(run, repeats: int) -> float:
    run()                                                  # warm up
    times = []
    for _ in range(repeats):
        views.clear_caches()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _plain_players() -> None:
    for preset in SEED:
        fig = views.figure(views.View(preset.spec))
        player.html(fig.frames(), [str(c) for c in fig.captions()], palette=fig.palette)


def _players_with_cells() -> None:
    for preset in SEED:
        views.player_page(views.View(preset.spec), embedded=True)


def _cell_maps_s(repeats: int) -> float:
    """The cell maps of the seed figures, the figures already drawn (median seconds)."""
    figures = [views.figure(views.View(preset.spec)) for preset in SEED]
    times = []
    for _ in range(repeats + 1):                         # the first is the warm-up
        start = time.perf_counter()
        for figure in figures:
            figure.targets()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def _sizes(folder: Path) -> list[tuple[str, int, int]]:
    pages.build(folder / "site")
    rows = []
    for preset in SEED:
        gif = views.save(views.View(preset.spec), folder / f"{preset.name}.gif")
        html = folder / "site" / f"{preset.name}.html"
        rows.append((preset.name, html.stat().st_size, gif.stat().st_size))
    return rows


def main() -> None:
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    plain = _median_s(_plain_players, 5)
    cells = _median_s(_players_with_cells, 5)
    maps = _cell_maps_s(9)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = _median_s(lambda: pages.build(folder / "timed"), 3)
        rows = _sizes(folder)
    print(f"{'15 seed player pages, no cells':48s} {plain:7.3f} s")
    print(f"{'15 seed player pages, with their cells':48s} {cells:7.3f} s  "
          f"({cells / plain:.2f} x)")
    print(f"{'15 seed cell maps alone (Figure.targets)':48s} {maps:7.3f} s")
    print(f"{'the static site (20 pages, stills, index)':48s} {site:7.3f} s")
    print(f"\n{'seed figure':42s} {'page':>9s} {'GIF':>9s}  page/GIF")
    for name, html, gif in rows:
        print(f"{name:42s} {html:9,d} {gif:9,d}  {html / gif:5.2f}"
              f"{'' if html <= 2 * gif else '  over 2x'}")
    total = sum(html for _, html, _ in rows)
    name, largest, _ = max(rows, key=lambda row: row[1])
    within = sum(html <= 2 * gif for _, html, gif in rows)
    print(f"\n15 standalone pages: {total:,d} bytes in all (GIFs: "
          f"{sum(gif for _, _, gif in rows):,d}); largest {name}.html, {largest:,d} bytes; "
          f"{within} of 15 within 2x their GIF")


if __name__ == "__main__":
    main()
