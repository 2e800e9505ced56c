"""The classic figure: sizes, frame counts, determinism, and the right cells highlighted."""
import hashlib
from functools import lru_cache

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.figures import ClassicFigure, style
from convviz.gallery import PRESETS
from convviz.geometry import INPUT, grid, layout


@lru_cache(maxsize=32)
def figure(spec: ConvSpec) -> ClassicFigure:
    return ClassicFigure(spec)


def frame(spec, index):
    return figure(spec).rgb(index)


def frames(spec):
    fig = figure(spec)
    return (fig.palette[f] for f in fig.frames())


def cell_pixel(spec, layer, row, col, **where):
    return figure(spec).cell_pixel(layer, row, col, **where)

# pixel sizes (W, H) of the 15 conv_arithmetic GIFs, from their README
REFERENCE_SIZES = {
    "no_padding_no_strides": (244, 259), "arbitrary_padding_no_strides": (495, 542),
    "same_padding_no_strides": (395, 449), "full_padding_no_strides": (495, 576),
    "no_padding_strides": (294, 288), "padding_strides": (395, 381),
    "padding_strides_odd": (445, 411), "dilation": (395, 381),
    "no_padding_no_strides_transposed": (344, 386),
    "arbitrary_padding_no_strides_transposed": (445, 479),
    "same_padding_no_strides_transposed": (395, 449),
    "full_padding_no_strides_transposed": (395, 449),
    "no_padding_strides_transposed": (395, 449), "padding_strides_transposed": (395, 449),
    "padding_strides_odd_transposed": (445, 513),
}
KERNEL_ON_INPUT = style.blend(style.INPUT, style.KERNEL, style.KERNEL_ALPHA)
KERNEL_ON_WHITE = style.blend(style.WHITE, style.KERNEL, style.KERNEL_ALPHA)
CURRENT_OUTPUT = style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)


@pytest.mark.parametrize("name", sorted(REFERENCE_SIZES))
def test_sizes_and_frame_counts_match_the_references(name):
    spec = PRESETS[name].spec
    first = frame(spec, 0)
    assert (first.shape[1], first.shape[0]) == REFERENCE_SIZES[name]
    assert first.dtype == np.uint8 and first.shape[2] == 3
    assert figure(spec).frame_count == spec.output_size[0] * spec.output_size[1]


def cell_colour(image, spec, layer, row, col):
    """The colour of a cell: the most common of nine samples on a 3 x 3 lattice inside it
    (a connector line crossing the cell covers at most three of them)."""
    samples = [tuple(image[cell_pixel(spec, layer, row, col, dx=dx, dy=dy)])
               for dx in (0.3, 0.5, 0.7) for dy in (0.3, 0.5, 0.7)]
    return max(set(samples), key=samples.count)


@pytest.mark.parametrize("name", ["padding_strides", "dilation", "padding_strides_transposed",
                                  "arbitrary_padding_no_strides_transposed"])
def test_frame_f_highlights_output_cell_f_and_its_taps(name):
    spec = PRESETS[name].spec
    g = grid(spec)
    oh, ow = spec.output_size
    for step, image in zip(layout(spec), frames(spec)):
        for r in range(oh):
            for c in range(ow):
                colour = cell_colour(image, spec, "output", r, c)
                expected = CURRENT_OUTPUT if (r, c) == step.out else style.OUTPUT
                assert colour == expected, (name, step.index, r, c)
        taps = {(int(r), int(c)) for r in step.rows for c in step.cols}
        for r in range(g.shape[0]):
            for c in range(g.shape[1]):
                colour = cell_colour(image, spec, "input", r, c)
                base = style.INPUT if g.kind[r, c] == INPUT else style.WHITE
                shaded = KERNEL_ON_INPUT if g.kind[r, c] == INPUT else KERNEL_ON_WHITE
                assert colour == (shaded if (r, c) in taps else base), (name, step.index, r, c)


def test_never_read_rows_stay_visible_at_the_bottom_right():
    spec = ConvSpec(input_size=6, kernel_size=3, stride=2)       # row/col 5 never read
    assert spec.unread() == ((5,), (5,))
    last = frame(spec, figure(spec).frame_count - 1)
    assert cell_colour(last, spec, "input", 5, 5) == style.INPUT


def test_frames_are_byte_identical_for_the_same_spec():
    spec = PRESETS["padding_strides_odd_transposed"].spec

    def digest():
        h = hashlib.sha256()
        for image in frames(spec):
            h.update(image.tobytes())
        return h.hexdigest()
    assert digest() == digest()


def test_frames_are_palette_indices():
    fig = figure(PRESETS["no_padding_no_strides"].spec)
    palette, first = fig.palette, next(fig.frames())
    assert palette.shape[1] == 3 and palette.dtype == np.uint8 and first.ndim == 2
    assert first.max() < len(palette)
    assert np.array_equal(palette[first], frame(PRESETS["no_padding_no_strides"].spec, 0))


def test_non_square_and_large_inputs_are_drawn():
    wide = ConvSpec(input_size=(3, 9), kernel_size=(2, 4), stride=(1, 2))
    assert figure(wide).frame_count == 2 * 3 and frame(wide, 5).shape[2] == 3
    big = ConvSpec(input_size=32, kernel_size=3, padding=1)
    image = frame(big, 0)
    assert max(image.shape[:2]) <= 1000                # cells shrink to keep it on screen
    assert cell_colour(image, big, "output", 0, 0) == CURRENT_OUTPUT


def test_frame_cap_and_bad_index_are_one_line_errors():
    spec = ConvSpec(input_size=40, kernel_size=3, padding=1)   # 1600 frames
    with pytest.raises(ConvVizError, match="1600 frames .* more than max_frames=1024"):
        ClassicFigure(spec)
    assert next(ClassicFigure(spec, max_frames=1600).frames()).ndim == 2
    with pytest.raises(ConvVizError, match=r"^frame must be an int in 0\.\.8, got 9$"):
        frame(PRESETS["padding_strides"].spec, 9)
    with pytest.raises(ConvVizError, match="at most 160 cells per side"):
        frame(ConvSpec(input_size=200, kernel_size=200), 0)


@pytest.mark.parametrize("name", sorted(REFERENCE_SIZES))
def test_the_kernel_never_paints_over_the_output_map(name):
    """Near every corner of every output cell, in every frame, the map shows its own colour:
    the kernel's window, redrawn each frame, lies partly under the output map's corner."""
    spec = PRESETS[name].spec
    oh, ow = spec.output_size
    corners = [(0.15, 0.15), (0.85, 0.15), (0.15, 0.85), (0.85, 0.85)]
    for f, image in enumerate(frames(spec)):
        for r in range(oh):
            for c in range(ow):
                expected = CURRENT_OUTPUT if divmod(f, ow) == (r, c) else style.OUTPUT
                for dx, dy in corners:
                    pixel = tuple(image[cell_pixel(spec, "output", r, c, dx=dx, dy=dy)])
                    assert pixel == expected, (name, f, r, c, dx, dy, pixel)
