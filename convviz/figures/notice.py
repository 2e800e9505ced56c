"""A figure that says, in the figure's place, why the figure asked for cannot be drawn.

Front ends show a :class:`NoticeFigure` where a refused figure would stand (the app's
player), so the figure area never stays empty: its one frame writes the reason and, where
the refusal names one, what to change.

>>> fig = NoticeFigure(ConvSpec(), "the figure has 2000 frames: use a smaller input")
>>> fig.frame_count, fig.lines[-1]
(1, 'Try this: use a smaller input.')
"""
from __future__ import annotations

import math
import re
import textwrap

import numpy as np
from PIL import Image, ImageDraw

from ..ops.spec import ConvSpec
from . import sizing
from .base import Caption, Figure
from .cells import font
from .palettes import TextPalette
from .style import WHITE, Scheme

WIDTH_PX, MARGIN_PX, TEXT_PX, TITLE_PX = 560, 28, 18, 22
TITLE = "This figure cannot be drawn here"
_ADVICE = re.compile(r": ((?:use|raise|lower|give|write|change|pick|draw|try) .*)$")


def split_advice(message: str) -> tuple[str, str]:
    """``(reason, suggestion)`` of a refusal: its last ``: use …`` clause is the suggestion.

    >>> split_advice("input_size 20 leaves 3 px cells: use a smaller input")
    ('input_size 20 leaves 3 px cells', 'use a smaller input')
    """
    found = _ADVICE.search(message)
    return (message[:found.start()], found.group(1)) if found else (message, "")


class NoticeFigure(Figure):
    """One frame that writes why a figure of ``spec`` cannot be drawn (``message``)."""

    kind = "notice"
    per = "notice"

    def __init__(self, spec: ConvSpec, message: str, *, scheme: str | Scheme = "default",
                 title: str = TITLE) -> None:
        super().__init__(spec, None, max_frames=sizing.MAX_FRAMES, scheme=scheme)
        self.message = message
        reason, advice = split_advice(message)
        width = (WIDTH_PX - 2 * MARGIN_PX) // math.ceil(0.55 * TEXT_PX)      # characters
        self.lines = [title, ""] + textwrap.wrap(reason[:1].upper() + reason[1:] + ".", width)
        if advice:
            self.lines += [""] + textwrap.wrap(f"Try this: {advice}.", width)
        self._palette = TextPalette([WHITE])
        self._size = (2 * MARGIN_PX + len(self.lines) * round(1.45 * TEXT_PX), WIDTH_PX)

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return 1

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        """A notice can always be drawn."""

    @property
    def palette(self) -> np.ndarray:
        return self._palette.colours

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def frame(self, index: int) -> np.ndarray:
        self.check_frame(index)
        height, width = self._size
        image = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(image)
        draw.rectangle((1, 1, width - 2, height - 2), outline=255, width=2)
        y = MARGIN_PX
        for i, line in enumerate(self.lines):
            draw.text((MARGIN_PX, y), line, fill=255,
                      font=font(TITLE_PX if i == 0 else TEXT_PX, bold=i == 0))
            y += round(1.45 * TEXT_PX)
        return self._palette.index(WHITE, np.asarray(image))

    def captions(self) -> tuple[Caption, ...]:
        return (Caption("this figure", f"not drawn: {self.message}"),)
