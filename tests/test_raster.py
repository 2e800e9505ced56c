"""Raster primitives: grid cells invert the projection, lines have the right width, the
palette blends as the references do."""
import numpy as np

from convviz.figures import style
from convviz.figures.palettes import Palette
from convviz.figures.raster import LEVELS, grid_pixels, segment_pixels


def test_palette_blends_and_black_over_line():
    pal = Palette([style.WHITE, style.INPUT])
    assert tuple(pal.colours[pal.index(1, 0)]) == style.INPUT
    assert tuple(pal.colours[pal.index(0, LEVELS - 1)]) == style.LINE
    idx = pal.index(np.array([0, 0]), np.array([3, 12]))
    mixed = pal.with_black(idx, np.array([9, 9], np.uint8))
    assert tuple(pal.colours[mixed[0]]) == style.blend(style.WHITE, style.BLACK, 9 / 15)
    assert mixed[1] == idx[1]                                    # the line was darker


def test_grid_cells_follow_the_oblique_projection():
    gp = grid_pixels(3, 4, origin=(60.0, 110.0), unit_px=20.0, canvas=(120, 140))
    y0, _, x0, _ = gp.box
    for i, j in [(0, 0), (3, 2), (1, 1)]:
        sx, sy = i + 0.5 - 0.7 * (j + 0.5), 0.5 * (i + 0.5) + 0.65 * (j + 0.5)
        px, py = int(60 + 20 * sx), int(110 - 20 * sy)
        assert gp.cell[py - y0, px - x0] == j * 4 + i
    assert gp.cell[0, 0] == -1                                    # corner of the box: outside


def test_grid_line_ink_is_about_the_line_width():
    gp = grid_pixels(2, 2, origin=(40.0, 80.0), unit_px=30.0, canvas=(100, 100))
    total = gp.solid_h.astype(float).sum() / (LEVELS - 1)     # ink area of horizontal lines
    length = 3 * 2 * 30 * np.hypot(1, 0.5)                   # 3 lines of 2 units
    assert abs(total / length - style.THICK_PX) < 0.25
    assert gp.dashed_h.sum() < 0.6 * gp.solid_h.sum()         # dashes: about half the ink


def test_segment_pixels_cover_a_thin_line():
    rows, cols, levels = segment_pixels(np.array([[10.0, 10.0]]), np.array([[50.0, 30.0]]),
                                        0.8, (60, 60))
    ink = levels.astype(float).sum() / (LEVELS - 1)
    assert abs(ink / np.hypot(40, 20) - 0.8) < 0.15
    assert rows.min() >= 9 and rows.max() <= 30 and cols.min() >= 9 and cols.max() <= 50
    none = segment_pixels(np.array([[5.0, 5.0]]), np.array([[5.0, 5.0]]), 0.8, (10, 10))
    assert len(none[0]) == 0
