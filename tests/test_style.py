"""The colour schemes: the colour-blind-safe one keeps every pair of roles apart under
simulated colour-vision deficiency; the default stays the conv_arithmetic look.

The simulation is Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
simulation of color vision deficiency", severity 1.0 (dichromacy), applied to linear RGB; the
distance is CIELAB ΔE*ab (D65). The matrices are the paper's, written out here.
"""
import itertools

import numpy as np
import pytest

from convviz import ConvVizError
from convviz.figures import style

MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
WHITE_XYZ = np.array([0.95047, 1.0, 1.08883])
MIN_DELTA_E = 15.0
"""Least CIELAB distance between any two roles, seen with any of the three deficiencies."""


def linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ np.clip(lin, 0, 1) / WHITE_XYZ
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(rgb, deficiency: str | None) -> np.ndarray:
    """CIELAB of ``rgb`` as a viewer with ``deficiency`` (None: typical vision) sees it."""
    lin = linear(rgb)
    return lab(lin if deficiency is None else np.array(MACHADO[deficiency]) @ lin)


def closest_pair(scheme: style.Scheme) -> tuple[float, str, str, str]:
    """The smallest distance between two roles of ``scheme``, and where it is."""
    worst = (np.inf, "", "", "")
    for vision in (None, *MACHADO):
        for (a, ca), (b, cb) in itertools.combinations(scheme.roles().items(), 2):
            d = float(np.linalg.norm(seen(ca, vision) - seen(cb, vision)))
            worst = min(worst, (d, vision or "typical", a, b))
    return worst


def test_the_simulation_is_the_papers():
    """Sanity of the oracle: pure red and green collapse for a deuteranope, white stays."""
    red, green = seen((255, 0, 0), "deuteranopia"), seen((0, 255, 0), "deuteranopia")
    assert np.linalg.norm(red - green) < 0.5 * np.linalg.norm(
        seen((255, 0, 0), None) - seen((0, 255, 0), None))
    for deficiency in MACHADO:
        assert np.allclose(seen((255, 255, 255), deficiency), [100, 0, 0], atol=1.5)


def test_colour_blind_scheme_keeps_every_pair_of_roles_apart():
    distance, vision, a, b = closest_pair(style.scheme("cb"))
    assert distance >= MIN_DELTA_E, f"{a} and {b} are {distance:.1f} apart under {vision}"


def test_the_default_scheme_fails_the_check_which_is_why_cb_exists():
    distance, vision, a, b = closest_pair(style.scheme("default"))
    assert distance < MIN_DELTA_E
    assert vision in MACHADO


def test_every_role_is_checked():
    assert set(style.scheme("cb").roles()) == {
        "input", "channel", "output", "padding", "kernel", "current output",
        "kernel on input", "kernel on channel"}


def test_default_is_the_conv_arithmetic_look():
    default = style.scheme("default")
    assert (default.input, default.output, default.channel) == (
        style.INPUT, style.OUTPUT, style.VIOLET)
    assert default.shade(style.WHITE) == (0x9C, 0xAF, 0xB3)     # docs/style.md
    assert default.current == (0x1C, 0x76, 0x76)


def test_an_unknown_scheme_is_refused_in_one_line():
    with pytest.raises(ConvVizError, match="palette must be one of default, cb, got 'neon'"):
        style.scheme("neon")
