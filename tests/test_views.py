"""Views: one entry point that picks the renderer and the output format."""
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.views import (
    View,
    animation,
    captions,
    encode,
    figure,
    file_stem,
    frame_count,
    is_vector,
    legend,
    save,
    still,
)


def test_animation_streams_indexed_frames():
    view = View(ConvSpec(input_size=4, kernel_size=3))
    anim = animation(view)
    assert anim.count == frame_count(view) == 4
    frames = list(anim.frames)
    assert len(frames) == 4 and frames[0].ndim == 2 and anim.palette.shape[1] == 3


def test_encode_and_save_pick_the_format(tmp_path):
    view = View(ConvSpec(input_size=4, kernel_size=3))
    assert encode(view, "gif")[:6] == b"GIF89a"
    assert save(view, tmp_path / "a.svg", frame=1).read_bytes()[:5] == b"<?xml"
    assert still(view, 3, "png")[:4] == b"\x89PNG"
    with pytest.raises(ConvVizError, match="file suffix must be one of"):
        save(view, tmp_path / "a.jpg")
    with pytest.raises(ConvVizError, match="still format must be one of png, svg, pdf"):
        still(view, 0, "gif")


def test_numbers_style_views():
    spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1)
    scatter = View(spec, style="numbers", scatter=True)
    assert frame_count(scatter) == 9                       # one frame per input cell
    anim = animation(scatter)
    assert anim.palette.shape[1] == 3 and len(list(anim.frames)) == 9
    slide = View(spec, style="numbers", kernel="sobel_x", seed=3)
    assert frame_count(slide) == 25
    assert still(slide, 24, "pdf")[:4] == b"%PDF" and still(slide, 0, "svg")[:5] == b"<?xml"


@pytest.mark.parametrize("fields, words", [
    (dict(style="sketch"), "style must be one of classic, numbers, setup, cells, got 'sketch'"),
    (dict(scatter=True), "the scatter view is drawn in the numbers style"),
    (dict(style="numbers", scatter=True), "mode must be 'transposed', got 'conv'"),
])
def test_view_refusals(fields, words):
    with pytest.raises(ConvVizError, match=words):
        View(ConvSpec(input_size=4), **fields)


def test_numbers_gif_is_its_frames(tmp_path):
    import numpy as np
    from PIL import Image, ImageSequence

    from convviz.views import frame

    view = View(ConvSpec(mode="transposed", input_size=4, stride=2), style="numbers",
                scatter=True)
    with Image.open(save(view, tmp_path / "s.gif")) as im:
        decoded = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]
    assert len(decoded) == 16
    for index in (0, 7, 15):
        assert (decoded[index] == frame(view, index)).all()      # exact: the figure's palette


@pytest.mark.parametrize("fields, frames", [
    (dict(mode="depthwise", in_channels=3), 9),
    (dict(in_channels=3, out_channels=2), 9),
    (dict(mode="separable", in_channels=3, out_channels=4), 18),     # depthwise, pointwise
])
def test_multichannel_specs_use_the_channels_figure(fields, frames):
    from convviz.figures import ChannelsFigure

    spec = ConvSpec(input_size=5, kernel_size=3, **fields)
    view = View(spec)
    assert frame_count(view) == frames == ChannelsFigure.count(spec)
    assert isinstance(figure(view), ChannelsFigure) and not is_vector(view)
    assert len(list(animation(view).frames)) == frames
    assert still(view, 0, "pdf")[:4] == b"%PDF"


def test_query_round_trip_with_style_and_values():
    view = View(ConvSpec(mode="transposed", input_size=3, kernel_size=2, stride=2),
                style="numbers", scatter=True, seed=4, kernel=((1, -2), (0, 3)))
    again = View.from_query(view.to_query())
    assert again.to_query() == view.to_query() and again.kernel == "1,-2;0,3"
    assert captions(again) == captions(view)
    with pytest.raises(ConvVizError, match="^seed must be an int >= 0, got '²'$"):
        View.from_query("seed=²")
    assert View.from_query("n=5&k=3&kernel=sobel_x").kernel == "sobel_x"
    with pytest.raises(ConvVizError, match="^view must be one of slide, scatter, got 'sideways'$"):
        View.from_query("view=sideways")
    with pytest.raises(ConvVizError, match="seed must be an int >= 0, got 'x'"):
        View.from_query("seed=x")


def test_captions_equal_the_engine_and_fall_back_for_large_inputs():
    view = View(ConvSpec(input_size=4, kernel_size=3), kernel="sobel_x", seed=1)
    lines = [str(caption) for caption in captions(view)]
    output = figure(view).numbers.sample(view.spec).output[0]
    assert len(lines) == 4
    for line, value in zip(lines, output.ravel()):
        assert line.endswith(f"= {int(value)}".replace("-", "\u2212"))
    big = captions(View(ConvSpec(input_size=20, kernel_size=3)))
    assert len(big) == 18 * 18 and str(big[0]) == "y[0,0]" and not big[0].equation
    last = captions(View(ConvSpec(mode="separable", in_channels=2, out_channels=3)))[-1]
    assert str(last).startswith("pointwise 1×1 stage: y[o=0, 2, 2] = Σc x[c]·w[0,c] = ")
    assert last.short == "pointwise 1×1 y[:, 2, 2]" and len(str(last).splitlines()) == 3


@pytest.mark.parametrize("view", [
    View(ConvSpec(input_size=4, kernel_size=3), style="numbers", kernel="sobel_x"),
    View(ConvSpec(mode="depthwise", in_channels=3, input_size=5, kernel_size=3)),
    View(ConvSpec(mode="separable", in_channels=2, out_channels=3, input_size=4)),
    View(ConvSpec(mode="transposed", input_size=3, stride=2), style="numbers", scatter=True),
], ids=["numbers", "depthwise", "separable", "scatter"])
def test_stills_show_the_view_not_the_classic_figure(view):
    import io

    import numpy as np
    from PIL import Image

    from convviz.views import frame

    last = frame_count(view) - 1
    png = np.asarray(Image.open(io.BytesIO(still(view, last, "png"))).convert("RGB"))
    assert np.array_equal(png, frame(view, last))
    svg = still(view, last, "svg")
    if view.style == "numbers":                           # vector: its numbers are text
        assert b"<image" not in svg and b"<text" in svg and is_vector(view)
    else:                                                 # the frame's pixels on the page
        assert b"<image" in svg and not is_vector(view)
    assert still(view, last, "pdf")[:4] == b"%PDF"
    if view.style == "classic":
        classic = View(view.spec.__class__(input_size=view.spec.input_size))
        assert still(view, 0, "svg") != still(classic, 0, "svg")


def test_the_package_decides_what_a_page_shows_beside_the_figure():
    classic = View(ConvSpec(input_size=5, stride=2, padding=1))
    assert file_stem(classic) == "padding_strides" and is_vector(classic)
    assert [s.label for s in legend(classic)][:2] == ["input", "padding / inserted zeros"]
    numbers = View(classic.spec, style="numbers", kernel="sobel_x")
    assert file_stem(numbers) == "padding_strides_numbers_sobel_x" and is_vector(numbers)
    assert legend(View(ConvSpec(in_channels=2)))[1].label == "next input channel (c1, c3, …)"
    assert file_stem(View(classic.spec, palette="cb")) == "padding_strides_cb"
    assert [s.mark for s in legend(classic)] == ["solid", "dashed", "bold", "solid", "bold"]


def test_views_check_their_values_when_made():
    with pytest.raises(ConvVizError, match="kernel must be 3 x 3"):
        View(ConvSpec(input_size=4), style="numbers", kernel="1,2;3,4")


@pytest.mark.parametrize("name, kwargs, words", [
    ("x.gif", dict(frame=3), "frame (--frame) is for stills (.png, .svg, .pdf), not x.gif"),
    ("x.png", dict(max_frames=1), "max_frames (--max-frames) is for animations"),
    ("x.svg", dict(duration_ms=500), "duration_ms (--duration-ms) is for animations"),
])
def test_options_a_format_has_no_use_for_are_refused(tmp_path, name, kwargs, words):
    """Issue #17 row 14: ``--frame 99`` on a GIF, ``--max-frames`` and ``--duration-ms`` on a
    still were ignored with exit 0; the library's save refuses them, so every caller does."""
    from convviz.views import save

    with pytest.raises(ConvVizError) as caught:
        save(View(ConvSpec(input_size=4)), tmp_path / name, **kwargs)
    assert words in str(caught.value) and list(tmp_path.iterdir()) == []


def test_a_still_of_a_long_animation_is_not_refused_for_its_length():
    """A still draws one frame: an 80 x 80 convolution has 6400 frames, and its still is fine."""
    from convviz.views import still

    assert still(View(ConvSpec(input_size=80, kernel_size=1)), 6399, "png")[:4] == b"\x89PNG"


def test_links_keep_values_exact():
    """Issue #17 row 7: the rewritten link held -9223372036854775808 for 1e19; and custom
    grids lost digits (the link was written with 3 significant digits)."""
    spec = ConvSpec(input_size=2, kernel_size=1)
    table = ((1e19, -1234567.891), (0.1, 3.0))
    query = View(spec, style="numbers", values=table).to_query()
    assert query.endswith("values=1e19,-1234567.891;0.1,3") and "+" not in query
    again = View.from_query(query)
    assert str(captions(again)[0]).startswith("y[0,0] = 10000000000000000000·")
    from convviz.values import parse_values

    assert parse_values(again.values).tolist() == [[1e19, -1234567.891], [0.1, 3.0]]
