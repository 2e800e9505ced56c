"""Vector stills: valid SVG/PDF, deterministic, and the same picture as the raster frame."""
import io

import numpy as np
import pytest
from PIL import Image

from convviz import ConvVizError
from convviz.figures import ClassicFigure
from convviz.figures.vector import draw, figure_bytes, image_still
from convviz.gallery import PRESETS


def still(spec, index, fmt):
    return figure_bytes(ClassicFigure(spec).vector_figure(index), fmt)


def frame(spec, index):
    return ClassicFigure(spec).rgb(index)


@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("pdf", b"%PDF"),
                                        ("png", b"\x89PNG")])
def test_formats_and_determinism(fmt, magic):
    spec = PRESETS["dilation"].spec
    data = still(spec, 4, fmt)
    assert data.startswith(magic) and data == still(spec, 4, fmt)


@pytest.mark.parametrize("name", ["padding_strides", "padding_strides_odd_transposed"])
def test_vector_still_looks_like_the_raster_frame(name):
    spec = PRESETS[name].spec
    vector = np.asarray(Image.open(io.BytesIO(still(spec, 2, "png"))).convert("RGB"))
    raster = frame(spec, 2)
    assert vector.shape == raster.shape
    same = (np.abs(vector.astype(int) - raster).sum(axis=2) < 60).mean()
    assert same > 0.97


def test_figure_is_a_matplotlib_figure_without_pyplot():
    """In a fresh interpreter: other tests' oracles (Keras) import pyplot themselves."""
    import subprocess
    import sys

    fig = draw(PRESETS["no_padding_no_strides"].spec, 0)
    assert type(fig).__name__ == "Figure"
    check = ("import sys; from convviz import views, View, PRESETS; "
             "views.still(View(PRESETS['no_padding_no_strides'].spec), 0, 'svg'); "
             "print('matplotlib.pyplot' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_bad_frame_and_format():
    with pytest.raises(ConvVizError, match=r"^frame must be an int in 0\.\.3, got 4$"):
        still(PRESETS["no_padding_no_strides"].spec, 4, "svg")
    with pytest.raises(ConvVizError, match="format must be one of svg, pdf, png"):
        still(PRESETS["no_padding_no_strides"].spec, 0, "eps")


def test_a_raster_frame_on_a_vector_page():
    image = np.zeros((30, 40, 3), np.uint8)
    assert b"<image" in image_still(image, "svg") and image_still(image, "pdf")[:4] == b"%PDF"
