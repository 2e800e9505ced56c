"""The conv_arithmetic look, as measured from the reference GIFs: colours, sizes, projection.

Every figure module takes its colours and sizes from here, so all figures share one look.

>>> blend(INPUT, KERNEL, KERNEL_ALPHA)
(26, 105, 152)
"""
from __future__ import annotations

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
