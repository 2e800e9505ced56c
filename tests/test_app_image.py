"""The app's image panel, run headless with AppTest: links open it, the map's size is the
formula's, kernels and channels change it, uploads are read or refused in one line, and the
link never holds an upload.

What only a browser shows (an upload through the page, the server's memory) is in
tests/test_browser_image.py.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from convviz import ConvSpec, sample
from convviz.featuremap import feature_map
from convviz.images import read_image
from convviz.text import format_number
from ui.pictures import BUNDLED, Choice, choice_from_link

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CAMERA = "mode=conv&n=5&k=3&s=1&p=1&image=camera"


def run(query: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dict(parse_qsl(query)))
    return at.run()


def clean(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def link(at: AppTest) -> dict[str, str]:
    return {key: str(value) for key, value in at.query_params.items()}


def texts(elements) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


def map_size(at: AppTest) -> str:
    """The size the panel states for the feature map ("512 × 512")."""
    found = [m for m in texts(at.markdown) if m.startswith("**Feature map**: ")]
    assert len(found) == 1, texts(at.markdown)
    return found[0].removeprefix("**Feature map**: ").split(",")[0]


def zoom_captions(at: AppTest) -> list[str]:
    pages = [frame.proto.srcdoc for frame in at.get("iframe")
             if "data-key=\"" in frame.proto.srcdoc and ":mode=" in frame.proto.srcdoc]
    assert len(pages) == 1
    return json.loads(re.search(r"const D = (\{.*\});\n", pages[0]).group(1))["captions"]


def upload(at: AppTest, name: str, data: bytes, mime: str = "image/png") -> AppTest:
    at.selectbox(key="image_source").set_value("upload").run()
    at.file_uploader(key="image_upload").set_value((name, data, mime))
    return at.run()


def png(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def test_the_panel_is_closed_until_asked_for_and_the_link_says_nothing_of_it():
    at = clean(run("mode=conv&n=5&k=3&s=1&p=1"))
    assert not at.toggle(key="image_on").value
    assert not {"image", "ikernel", "at"} & link(at).keys()
    at.toggle(key="image_on").set_value(True).run()
    clean(at)
    assert map_size(at) == "512 × 512"
    assert link(at)["image"] == "camera" and link(at)["ikernel"] == "sobel_x"


@pytest.mark.parametrize("query", ["s=1&p=1", "s=2&p=1", "s=1&p=1&d=2", "s=3&p=0&k=5"])
def test_a_link_opens_the_panel_and_the_map_size_is_the_formulas(query):
    at = clean(run(f"mode=conv&n=7&k=3&{query}&image=camera&ikernel=box_blur"))
    fields = dict(parse_qsl(f"k=3&{query}"))
    spec = ConvSpec(input_size=(512, 512), kernel_size=int(fields["k"]), stride=int(fields["s"]),
                    padding=int(fields["p"]), dilation=int(fields.get("d", 1)))
    size = "{} × {}".format(*spec.output_size)
    assert map_size(at) == size
    assert any(line.value.endswith(f"={spec.output_size[0]}\n$$") for line in at.latex)
    assert any(spec.torch_line() in code.value for code in at.code)
    if fields["k"] == "5":
        assert at.selectbox(key="image_kernel").value == "custom"     # presets are 3 x 3
        assert any("custom weights start from ones" in info for info in texts(at.info))


def test_the_zoom_computes_the_maps_values_at_the_linked_point():
    at = clean(run(f"{CAMERA}&ikernel=sobel_y&at=100,200"))
    assert (at.slider(key="image_y").value, at.slider(key="image_x").value) == (100, 200)
    fmap = feature_map(read_image(ROOT / "assets/camera.png"), ConvSpec(input_size=512,
                                                                        padding=1), "sobel_y")
    captions = zoom_captions(at)
    assert len(captions) == 9
    assert captions[4].startswith("y[1,1] = ")
    assert captions[4].endswith(f"= {format_number(fmap.values[0, 100, 200])}")
    assert link(at)["at"] == "100,200"


def test_kernel_channels_and_point_reach_the_link():
    at = clean(run(CAMERA))
    at.selectbox(key="image_kernel").set_value("laplacian").run()
    assert link(clean(at))["ikernel"] == "laplacian"
    at.slider(key="image_x").set_value(10).run()
    assert link(clean(at))["at"].endswith(",10")
    at.toggle(key="image_rgb").set_value(True).run()
    assert link(clean(at))["rgb"] == "1"
    assert any("sums 3" in info for info in texts(at.info))          # the zoom says why not
    at.selectbox(key="image_kernel").set_value("custom").run()
    assert link(clean(at))["ikernel"] == "0,1,0;1,-4,1;0,1,0"        # from the shown weights


def test_a_depthwise_layer_on_rgb_zooms_into_the_chosen_channel():
    at = clean(run("mode=depthwise&n=5&k=3&s=1&p=1&cin=3&image=chelsea&rgb=1&ch=2"))
    assert map_size(at) == "300 × 451"
    assert at.selectbox(key="image_channel").value == 2
    assert link(at)["ch"] == "2"
    assert any("of channel 2" in caption for caption in texts(at.caption))


def test_pooling_an_image_shows_the_pooled_map_and_zooms_into_its_maxima():
    at = clean(run("mode=maxpool&n=4&k=2&image=camera&ikernel=laplacian&at=100,200"))
    assert map_size(at) == "256 × 256"
    assert "image_kernel" not in [box.key for box in at.selectbox]  # no kernel to pick
    assert any(text.startswith("**No kernel:** each value is the largest of its 2 × 2")
               for text in texts(at.markdown))
    assert "ikernel" not in link(at) and link(at)["at"] == "100,200"
    assert any("nn.MaxPool2d(2)" in code.value for code in at.code)
    fmap = feature_map(read_image(ROOT / "assets/camera.png"),
                       ConvSpec(input_size=512, mode="maxpool", kernel_size=2))
    captions = zoom_captions(at)
    assert len(captions) == 9 and captions[4].startswith("y[1,1] = max(")
    assert captions[4].endswith(f"= {format_number(fmap.values[0, 50, 100])}")
    assert any("under the window" in caption for caption in texts(at.caption))


def test_a_pooling_in_between_keeps_the_convolutions_kernel():
    at = clean(run(f"{CAMERA}&ikernel=laplacian"))
    at.radio(key="mode").set_value("maxpool").run()
    assert "ikernel" not in link(clean(at)) and map_size(at) == "171 × 171"    # k3, s3, p1
    at.radio(key="mode").set_value("conv").run()
    assert link(clean(at))["ikernel"] == "laplacian" and map_size(at) == "512 × 512"


def test_an_average_pooling_of_rgb_keeps_its_channels():
    at = clean(run("mode=avgpool&n=4&k=3&s=2&p=1&ceil=1&image=chelsea&rgb=1&ch=1"))
    spec = ConvSpec(input_size=(300, 451), in_channels=3, mode="avgpool", kernel_size=3,
                    stride=2, padding=1, ceil_mode=True)
    assert map_size(at) == "{} × {}".format(*spec.output_size)
    assert at.selectbox(key="image_channel").value == 1 and link(at)["ch"] == "1"
    assert any(line.value.endswith(f"={spec.output_size[0]}\n$$") for line in at.latex)


@pytest.mark.parametrize("mode, words", [
    ("transposed&s=2", "the zoom shows a direct convolution's sums"),
    ("separable&cin=3", "mode 'separable' runs 2 convolutions"),
    ("conv1d", "mode 'conv1d' works on sequences"),
])
def test_layers_the_panel_cannot_fully_show_say_why(mode, words):
    at = clean(run(f"mode={mode}&n=5&k=3&p=1&image=shapes"))
    assert any(words in message for message in texts(at.info) + texts(at.error))


def test_a_broken_image_link_says_so_and_shows_the_default():
    at = clean(run("mode=conv&n=5&k=3&s=1&p=1&image=moon"))
    assert any("image must be one of camera, chelsea, shapes, got moon" in error
               for error in texts(at.error))
    assert map_size(at) == "512 × 512"


def test_choice_links_round_trip():
    choice = Choice("chelsea", True, ((1.0, -0.5), (0.25, 2.0)), (3, 4), 1)
    assert choice_from_link(choice.query()) == (choice, None)
    assert Choice("upload").query() == {}
    assert choice_from_link({"image": "camera", "at": "5"})[1] == \
        "at must be a pair 'y,x' of ints, got '5'"
    assert set(BUNDLED) == {"camera", "chelsea", "shapes"}


# ---- uploads ------------------------------------------------------------------------------
def test_an_upload_is_applied_and_the_link_cannot_hold_it():
    rng = np.random.default_rng(0)
    image = Image.fromarray(rng.integers(0, 256, (40, 60), dtype=np.uint8), "L")
    at = clean(upload(run(CAMERA), "mine.png", png(image)))
    assert map_size(at) == "40 × 60"
    assert not {"image", "ikernel", "at"} & link(at).keys()
    assert any("the page's link cannot hold it" in caption for caption in texts(at.caption))
    assert sample.compute.cache_info().currsize == 0      # its pixels are in no shared cache


def bomb() -> bytes:
    return png(Image.new("1", (12_000, 12_000)), optimize=True)


@pytest.mark.parametrize("name, data, words", [
    ("bomb.png", bomb(), "bomb.png must have at most 40,000,000 pixels (40 megapixels), got "
                         "12000 x 12000 = 144,000,000"),
    ("cut.jpg", png(Image.new("RGB", (300, 200), "red"), "JPEG")[:600],
     "cut.jpg is truncated or damaged"),
    ("notes.png", b"these are my lecture notes, not a picture", "notes.png is not a PNG, JPEG"),
    ("huge.png", b"\x89PNG" + b"\0" * (10 * 2**20), "huge.png must be at most 10.0 MB"),
])
def test_what_cannot_be_read_is_refused_in_one_line(name, data, words):
    at = clean(upload(run(CAMERA), name, data))
    errors = texts(at.error)
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith(f"**This image cannot be used:** {words}")
    assert not [m for m in texts(at.markdown) if m.startswith("**Feature map**")]


@pytest.mark.parametrize("padding, size, words", [(0, (1, 40), "kernel_size must be <="),
                                                  (1, (1, 1), None), (1, (3, 1), None)])
def test_a_picture_one_pixel_thin_is_shown_or_refused_in_one_line(padding, size, words):
    at = clean(run(f"mode=conv&n=5&k=3&s=1&p={padding}&image=camera"))
    at = clean(upload(at, "thin.png", png(Image.new("L", size[::-1], 7))))
    if words is None:
        assert map_size(at) == f"{size[0]} × {size[1]}"
    else:
        assert any(words in error for error in texts(at.error))


def test_an_animated_upload_uses_its_first_frame_and_says_so():
    frames = [Image.new("L", (30, 20), v) for v in (0, 255)]
    data = png(frames[0], "GIF", save_all=True, append_images=frames[1:])
    at = clean(upload(run(CAMERA), "blink.gif", data, "image/gif"))
    assert map_size(at) == "20 × 30"
    assert any("the first frame of an animated image" in c for c in texts(at.caption))
