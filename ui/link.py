"""Links: the view a page's query string describes, and what the app's controls can hold.

Pure functions (no streamlit): :func:`view_from_link` turns the query parameters into a
:class:`~convviz.views.View` (which checks itself) and refuses, with the reason, a valid view
that the page cannot show.

>>> view_from_link({"mode": "conv", "n": "4"})[0].spec.input_size
(4, 4)
>>> view_from_link({"n": "40"})[1]
'n must be in 1..16 in the app, got 40'
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from convviz import ConvSpec, ConvVizError, views
from convviz.figures import layout_of
from convviz.gallery import PRESETS

from .fields import CHANNELS, CONTROLS, DEFAULT, DIVISOR, FIGURES, MAX_SEED
from .pictures import IMAGE_KEYS

VIEW_KEYS = {"style", "view", "seed", "kernel", "values", "palette"} | IMAGE_KEYS
"""Link keys that describe how to show a spec, not the spec (the image panel's too)."""
MAX_LINK_CHARS = 12_000
"""Longest query string a link may hold: more than the app ever writes (16 x 16 values, a
7 x 7 kernel and the image panel's 7 x 7 kernel, each number in full: about 9,000), and less
than Streamlit's server refuses (about 16 KiB for the whole request; docs/deploy.md)."""


def default_view() -> views.View:
    """The view of a page opened without a configuration: the default gallery figure."""
    return views.View(PRESETS[DEFAULT].spec)


def view_from_link(params: dict[str, str]) -> tuple[views.View, str | None]:
    """The view a link describes and None, or the default view and why the link cannot work."""
    length = len("&".join(f"{key}={value}" for key, value in params.items()))
    if length > MAX_LINK_CHARS:
        return default_view(), (f"the link holds {length:,} characters; convviz links hold at "
                                f"most {MAX_LINK_CHARS:,} (the app never writes longer ones)")
    if not params.keys() - VIEW_KEYS:               # no spec in the link: the default figure's
        params = dict(parse_qsl(PRESETS[DEFAULT].spec.to_query())) | params
    try:
        view = views.View.from_query(params)
        check_style(view)
        check_showable(view.spec)
        check_values(view)
        return view, None
    except ConvVizError as error:
        return default_view(), str(error)


def check_style(view: views.View) -> None:
    """Refuse a style the explorer does not draw (the exercises' figures: ``?quiz=`` links)."""
    if view.style not in FIGURES:
        raise ConvVizError(f"style must be one of {', '.join(FIGURES)} in the explorer, got "
                           f"{view.style}: exercise figures come with ?quiz= links")


def check_showable(spec: ConvSpec) -> None:
    """Refuse a valid spec that the app's controls cannot hold (padding, ranges)."""
    if spec.padding_mode != "zeros":
        raise ConvVizError(f"the app shows zero padding only, got pm={spec.padding_mode}")
    if spec.divisor_override is not None and not 1 <= spec.divisor_override <= DIVISOR.highest:
        raise ConvVizError(f"div must be in 1..{DIVISOR.highest} in the app, got "
                           f"{spec.divisor_override}")
    for field, control in (CONTROLS | CHANNELS).items():
        value = getattr(spec, field)
        if field == "padding" and isinstance(value, str):      # 'same' / 'valid'
            continue
        for number in value if isinstance(value, tuple) else (value,):
            if not control.lowest <= number <= control.highest:
                raise ConvVizError(f"{control.symbol} must be in {control.lowest}.."
                                   f"{control.highest} in the app, got {number}")


def check_values(view: views.View) -> None:
    """Refuse a seed, kernel or input the values panel cannot hold (the view has checked that
    they fit its spec): they are for one channel, and the seed has the panel's range."""
    if (view.seed, view.kernel, view.values) == (0, None, None):
        return
    if layout_of(view.spec) == "channels":
        raise ConvVizError(f"the app takes seed, kernel and values for one channel, got "
                           f"mode={view.spec.mode}, cin={view.spec.in_channels}, "
                           f"cout={view.spec.out_channels}")
    if view.seed > MAX_SEED:
        raise ConvVizError(f"seed must be in 0..{MAX_SEED} in the app, got {view.seed}")


def showable_presets() -> list[str]:
    """Names of the gallery figures the app's controls can hold, in the gallery's order."""
    names = []
    for name, preset in PRESETS.items():
        try:
            check_showable(preset.spec)
        except ConvVizError:
            continue
        names.append(name)
    return names
