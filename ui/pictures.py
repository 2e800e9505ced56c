"""The image panel's pictures and its part of the link: the bundled images, an upload, and
the keys ``image rgb ikernel at ch``.

A bundled image is read once per process (``st.cache_data``); an uploaded one lives in its
session only (``st.session_state``), never in a cache shared across sessions and never on
disk, and the link cannot hold it. :func:`choice_from_link` is pure (no streamlit).

>>> choice_from_link({"image": "camera", "ikernel": "sobel_y", "at": "10,20"})[0].at
(10, 20)
>>> choice_from_link({"image": "moon"})[1]
'image must be one of camera, chelsea, shapes, got moon'
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from convviz import ConvVizError
from convviz.featuremap import FeatureMap, feature_map, is_pooling
from convviz.images import Picture, read_image
from convviz.ops.args import Pair, parse_int, parse_ints
from convviz.ops.spec import ConvSpec
from convviz.sample import Table
from convviz.values import parse_kernel, preset_name, rows_text

from .fields import CUSTOM

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class Bundled:
    """An image shipped in ``assets/``: its file, its name on the page, its credit, and the
    point the zoom starts at (an edge worth looking at)."""

    file: str
    label: str
    credit: str
    start: Pair


BUNDLED = {
    "camera": Bundled("camera.png", "Camera (photograph, grayscale)",
                      "Photograph by Lav Varshney, CC0, as shipped in scikit-image", (220, 302)),
    "chelsea": Bundled("chelsea.png", "Chelsea the cat (photograph, colour)",
                       "Photograph by Stéfan van der Walt, CC0, as shipped in scikit-image",
                       (146, 294)),
    "shapes": Bundled("shapes.png", "Test card (edges, stripes, shapes)",
                      "Drawn by convviz (assets/make_shapes.py)", (120, 80)),
}
UPLOAD = "upload"
IMAGE_KEYS = {"image", "rgb", "ikernel", "at", "ch"}
"""The link keys of the image panel."""
DEFAULT_KERNEL = "sobel_x"
WIDGETS = {"image_on": False, "image_source": "camera", "image_rgb": False,
           "image_kernel": DEFAULT_KERNEL, "image_rows": None, "image_y": None, "image_x": None,
           "image_channel": 0, "image_link_error": None}
"""The panel's session keys and their defaults (kept while the panel is closed)."""


@dataclass(frozen=True)
class Choice:
    """What the image panel shows, as a link holds it: a bundled image's ``name`` (or
    :data:`UPLOAD`), ``rgb``, the ``kernel`` (a preset name or rows), the zoom's point
    ``at`` (y, x; None: the image's own start) and output ``channel``."""

    name: str = "camera"
    rgb: bool = False
    kernel: str | Table = DEFAULT_KERNEL
    at: Pair | None = None
    channel: int = 0

    def query(self) -> dict[str, str]:
        """The link's keys for this choice; none for an upload, which a link cannot hold."""
        if self.name == UPLOAD:
            return {}
        try:
            kernel = self.kernel if isinstance(self.kernel, str) else rows_text(self.kernel)
        except ConvVizError:                             # a grid being edited: not yet
            kernel = None
        keys = {"image": self.name, "rgb": "1" if self.rgb else None, "ikernel": kernel,
                "at": None if self.at is None else f"{self.at[0]},{self.at[1]}",
                "ch": str(self.channel) if self.channel else None}
        return {key: value for key, value in keys.items() if value is not None}


def choice_from_link(params: dict[str, str]) -> tuple[Choice | None, str | None]:
    """The image panel a link opens (None: closed) and why it cannot be shown, if so."""
    if "image" not in params:
        return None, None
    try:
        name = params["image"]
        if name not in BUNDLED:
            raise ConvVizError(f"image must be one of {', '.join(BUNDLED)}, got {name}")
        kernel = params.get("ikernel", DEFAULT_KERNEL)
        kernel = preset_name(kernel) or tuple(map(tuple, parse_kernel(kernel).tolist()))
        at = parse_ints(params["at"], "at", 2) if "at" in params else None
        if isinstance(at, int):
            raise ConvVizError(f"at must be a pair 'y,x' of ints, got {params['at']!r}")
        return Choice(name, params.get("rgb") == "1", kernel, at,
                      parse_int(params.get("ch", "0"), "ch", 0)), None
    except ConvVizError as error:
        return Choice(), str(error)


@st.cache_data(max_entries=8, show_spinner=False)
def bundled_picture(name: str, rgb: bool) -> Picture:
    """A bundled image, read as :func:`convviz.images.read_image` reads any."""
    return read_image(ASSETS / BUNDLED[name].file, rgb=rgb)


@st.cache_data(max_entries=16, show_spinner=False)
def bundled_map(name: str, rgb: bool, spec: ConvSpec, kernel: str | Table | None) -> FeatureMap:
    """The feature map of a bundled image (see :func:`map_of`)."""
    return feature_map(bundled_picture(name, rgb), spec, kernel)


def uploaded_picture(upload, rgb: bool) -> Picture:
    """The picture of an ``st.file_uploader`` file, kept for this session only."""
    memo = st.session_state.setdefault("image_memo", {})
    key = ("picture", upload.file_id, rgb)
    if key not in memo:
        memo.clear()                                     # one upload at a time
        memo[key] = read_image(upload.getvalue(), rgb=rgb, name=upload.name)
    return memo[key]


def map_of(choice: Choice, picture: Picture, spec: ConvSpec) -> FeatureMap:
    """The feature map of ``picture`` under ``spec``'s layer with the choice's kernel: cached
    for a bundled image; for an upload, the session keeps the last few."""
    kernel = None if is_pooling(spec) else choice.kernel
    if choice.name != UPLOAD:
        return bundled_map(choice.name, choice.rgb, spec, kernel)
    memo = st.session_state.setdefault("image_memo", {})
    key = ("map", id(picture), spec, kernel)
    if key not in memo:
        for old in [k for k in memo if k[0] == "map"][:-3]:
            del memo[old]
        memo[key] = feature_map(picture, spec, kernel)
    return memo[key]


def usable_kernel(choice: Choice, spec: ConvSpec) -> Choice:
    """``choice`` with a kernel that fits ``spec``'s kernel size: a preset needs 3 x 3; other
    sizes start from a box of ones."""
    kernel = choice.kernel
    size = (3, 3) if isinstance(kernel, str) else (len(kernel), len(kernel[0]))
    if size == tuple(spec.kernel_size):
        return choice
    height, width = spec.kernel_size
    fitted = DEFAULT_KERNEL if (height, width) == (3, 3) else ((1.0,) * width,) * height
    return replace(choice, kernel=fitted)


def init_image(params: dict[str, str] | None = None) -> None:
    """The panel's session defaults; with ``params`` (a session's first run, the link's query
    parameters), the panel that link opens."""
    state = st.session_state
    for key, default in WIDGETS.items():
        state[key] = state.setdefault(key, default)
    if params is None:
        return
    choice, state.image_link_error = choice_from_link(params)
    if choice is not None:
        state.image_on, state.image_source, state.image_rgb = True, choice.name, choice.rgb
        custom = not isinstance(choice.kernel, str)
        state.image_kernel = CUSTOM if custom else choice.kernel
        state.image_rows = choice.kernel if custom else None
        state.image_y, state.image_x = choice.at or (None, None)
        state.image_channel = choice.channel
