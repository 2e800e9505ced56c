"""The conv_arithmetic look, as measured from the reference GIFs: colours, sizes, projection;
and the colour schemes a figure can be drawn in.

Every figure module takes its sizes from here and its colours from a :class:`Scheme`, so all
figures share one look. :data:`SCHEMES` holds the conv_arithmetic colours (``"default"``) and
a colour-blind-safe set (``"cb"``) whose roles stay apart under simulated deuteranopia,
protanopia and tritanopia (``tests/test_style.py`` checks it with Machado et al.'s
simulation).

>>> blend(INPUT, KERNEL, KERNEL_ALPHA)
(26, 105, 152)
>>> scheme("cb").input, scheme("default").shade(WHITE)
((0, 114, 178), (156, 175, 179))
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConvVizError

RGB = tuple[int, int, int]

# Solarized roles
WHITE: RGB = (255, 255, 255)        # background, padding cells, inserted zeros
INPUT: RGB = (0x26, 0x8B, 0xD2)     # blue: input cells
OUTPUT: RGB = (0x2A, 0xA1, 0x98)    # cyan: output cells
LINE: RGB = (0x00, 0x2B, 0x36)      # base03: every grid line
KERNEL: RGB = (0x07, 0x36, 0x42)    # base02: the kernel overlay, at KERNEL_ALPHA
VIOLET: RGB = (0x6C, 0x71, 0xC4)    # alternate channel colour of multi-channel figures
BLACK: RGB = (0, 0, 0)              # connector lines
TEXT: RGB = LINE                    # numbers in the numerical figures
MUTED: RGB = (0x58, 0x6E, 0x75)     # base01: secondary text (captions, labels) beside figures
KERNEL_ALPHA = 0.4

# Sizes in pixels (the references: 0.5 cm grid units at 150 dpi, 0.8 pt lines)
UNIT_PX = 29.53                     # one grid unit
BORDER_PX = 20.76                   # white margin on every side
THICK_PX = 1.66                     # grid lines
CONNECTOR_PX = 0.8                  # kernel-to-output connector lines
DASH_PX = 6.2                       # dash and gap length of padding lines
OUTPUT_SHIFT_PX = 5.3               # the output layer sits this far left of straight above
DURATION_MS = 1000                  # per frame, as in the references

# Oblique projection of a grid point (x = column, y = row counted from the bottom), in units:
# screen x = x - 0.7 y, screen y (up) = 0.5 x + 0.65 y.
SHEAR_X, SHEAR_Y = -0.7, 0.65       # screen offset of one step up the grid
SLOPE = 0.5                         # screen rise of one step right along the grid


def blend(under: RGB, over: RGB, alpha: float) -> RGB:
    """``over`` at opacity ``alpha`` on ``under``, rounded to ints."""
    return tuple(round(u + (o - u) * alpha) for u, o in zip(under, over))


def hex_colour(rgb: RGB) -> str:
    """``'#rrggbb'`` of an RGB triple, for matplotlib and CSS.

    >>> hex_colour(INPUT)
    '#268bd2'
    """
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@dataclass(frozen=True)
class Scheme:
    """The colour of every role in a figure.

    Attributes
    ----------
    name, label : str
        How links and the CLI name it (``"cb"``), and how people do.
    input, channel, output : RGB
        Input cells; every other input channel of a stack (alternating with ``input``);
        output cells.
    kernel : RGB
        The kernel's overlay, laid over a cell at ``kernel_alpha``.
    count : RGB
        The darkest shade of the scatter figure's count map.
    """

    name: str
    label: str
    input: RGB
    channel: RGB
    output: RGB
    kernel: RGB = KERNEL
    kernel_alpha: float = KERNEL_ALPHA
    count: RGB = VIOLET
    background: RGB = WHITE
    line: RGB = LINE

    def shade(self, fill: RGB) -> RGB:
        """``fill`` under the kernel's translucent overlay."""
        return blend(fill, self.kernel, self.kernel_alpha)

    @property
    def current(self) -> RGB:
        """The output cell being computed: the output under the kernel's overlay."""
        return self.shade(self.output)

    def roles(self) -> dict[str, RGB]:
        """Every role a reader must tell apart, by name: what the colour-blind check tests.

        >>> sorted(scheme("default").roles())[:3]
        ['channel', 'current output', 'input']
        """
        return {"input": self.input, "channel": self.channel, "output": self.output,
                "padding": self.background, "kernel": self.shade(self.background),
                "current output": self.current, "kernel on input": self.shade(self.input),
                "kernel on channel": self.shade(self.channel)}


SCHEMES = {
    "default": Scheme("default", "conv_arithmetic", INPUT, VIOLET, OUTPUT),
    # Okabe & Ito's blue, IBM's amber and Tol's rose under a black overlay: every pair of
    # roles keeps a CIELAB distance of at least 15 under each simulated deficiency.
    "cb": Scheme("cb", "colour-blind safe", (0x00, 0x72, 0xB2), (0xFF, 0xB0, 0x00),
                 (0xBB, 0x55, 0x66), kernel=(0, 0, 0), count=(0x78, 0x5E, 0xF0)),
}
"""The colour schemes by name; ``"default"`` is the conv_arithmetic look."""


def scheme(name: str | Scheme) -> Scheme:
    """The scheme called ``name`` (a Scheme passes through), or the one-line refusal."""
    if isinstance(name, Scheme):
        return name
    if name not in SCHEMES:
        raise ConvVizError(f"palette must be one of {', '.join(SCHEMES)}, got {name!r}")
    return SCHEMES[name]
