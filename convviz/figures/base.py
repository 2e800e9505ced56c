"""The figure interface: what every kind of figure gives, whatever it draws.

A figure is made from a spec and the numbers it computes with (:class:`convviz.sample.Numbers`)
and gives:

- ``frame_count`` frames, each a uint8 ``(H, W)`` array of indices into ``palette``
  (``(P, 3)`` uint8, P <= 256), one per step; :meth:`Figure.frames` streams them;
- one :class:`Caption` per frame: the cell it computes and the arithmetic, as data;
- a :meth:`Figure.legend` of what its colours mean;
- its :meth:`Figure.targets`: where each drawn input and output cell is on the frame, the
  step that computes it and the cells it feeds or reads, for a page to point at;
- for the kinds with ``vector = True``, :meth:`Figure.draw_vector`, which draws one frame
  as true vector shapes and text on a matplotlib Axes (:meth:`Figure.vector_figure` puts
  it on a page of the frame's size for SVG and PDF).

Every figure takes its colours from a :class:`~convviz.figures.style.Scheme` (``scheme=``,
the conv_arithmetic colours by default, or ``"cb"``) and may be drawn larger for print
(``scale=``).

Before anything is drawn, :meth:`Figure.check` refuses, from the spec's arithmetic alone, a
figure that would be too large (frames, cells, pixels). Frames are byte-identical for the same
spec and numbers.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import ConvVizError
from ..ops.spec import ConvSpec
from ..sample import Numbers
from . import sizing
from .style import RGB, Scheme
from .style import scheme as find_scheme


@dataclass(frozen=True)
class Caption:
    """What one frame computes: ``target`` (``"y[0,1]"``), the ``equation`` after its ``=``
    (``"2·1 + 0·3 = 2"``; empty when the figure names the cell only), the ``stage`` of a
    staged operation (``"depthwise 3×3"``), and for a frame that computes several values
    (one per output channel) their ``lines``, each a whole equation.

    >>> str(Caption("y[0,1]", "2·1 + 0·3 = 2")), str(Caption("y[:, 0, 0]", stage="pointwise"))
    ('y[0,1] = 2·1 + 0·3 = 2', 'pointwise stage: y[:, 0, 0]')
    >>> print(Caption("y[:, 0, 0]", lines=("y[o=0, 0, 0] = 4", "y[o=1, 0, 0] = 5")))
    y[o=0, 0, 0] = 4
    y[o=1, 0, 0] = 5
    """

    target: str
    equation: str = ""
    stage: str = ""
    lines: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"{self.stage} stage: " if self.stage else ""
        if self.lines:
            return head + "\n".join(self.lines)
        return f"{head}{self.target} = {self.equation}" if self.equation else head + self.target

    @property
    def short(self) -> str:
        """The target with its stage: ``"y[0,2]"`` or ``"pointwise y[:, 0, 0]"``."""
        return f"{self.stage} {self.target}" if self.stage else self.target


MARKS = ("solid", "dashed", "bold")
"""How a legend swatch is outlined, the cue besides its colour, as the figure draws that role:
thin solid lines (cells), dashed lines (padding and inserted zeros), a bold outline (the
kernel's footprint and the cell it computes)."""


Outline = tuple[tuple[float, float], ...]
"""A cell's corners on a frame, in pixels: ``(x, y)``, x to the right, y down, pixel edges."""


@dataclass(frozen=True)
class Target:
    """A drawn cell that a page can point at (:meth:`Figure.targets`).

    Attributes
    ----------
    name : str
        ``"y[1,1]"``, ``"x[2,0]"``: row, then column, from 0; input cells in the input's own
        coordinates (padding not counted); ``h`` names the middle map of a two-stage figure.
    outline : Outline
        Where the renderer draws the cell on every frame.
    step : int or None
        The frame to show when the cell is chosen: the step that computes an output cell (in
        the scatter view also the step that stamps an input cell); None where there is none.
    links : tuple of str
        The cells to highlight while it is pointed at: those an input cell feeds, those an
        output cell reads.
    line : str
        What pointing at it says: ``"x[1,1] feeds y[0,0], y[0,1], y[1,0], y[1,1]"``.
    """

    name: str
    outline: Outline
    step: int | None
    links: tuple[str, ...]
    line: str


@dataclass(frozen=True)
class Swatch:
    """One legend entry: a colour, what it means, and its outline (one of :data:`MARKS`)."""

    rgb: RGB
    label: str
    mark: str = "solid"


class Figure(ABC):
    """One kind of figure of a spec (see the module doc).

    Subclasses set ``kind`` (its registry name), ``per`` (what one frame shows, for
    messages) and ``vector``, and implement :meth:`count`, :meth:`_check`, ``palette``,
    ``size``, :meth:`frame` and :meth:`captions`.
    """

    kind: ClassVar[str]
    per: ClassVar[str] = "output cell"
    vector: ClassVar[bool] = False

    def __init__(self, spec: ConvSpec, numbers: Numbers | None = None, *,
                 max_frames: int = sizing.MAX_FRAMES, scheme: str | Scheme = "default",
                 scale: float = 1.0) -> None:
        self.check(spec, max_frames=max_frames)
        self.spec, self.numbers = spec, numbers if numbers is not None else Numbers()
        self.scheme, self.scale = find_scheme(scheme), sizing.check_scale(scale)
        self.frame_count = self.count(spec)

    @classmethod
    def check(cls, spec: ConvSpec, *, max_frames: int = sizing.MAX_FRAMES) -> None:
        """Refuse, before anything is drawn, a figure of ``spec`` this kind cannot draw or
        that would have more than ``max_frames`` frames."""
        cls._check(spec)
        sizing.check_count(cls.count(spec), max_frames, per=cls.per)

    @classmethod
    @abstractmethod
    def count(cls, spec: ConvSpec) -> int:
        """How many frames the figure of ``spec`` has (from its arithmetic)."""

    @classmethod
    @abstractmethod
    def _check(cls, spec: ConvSpec) -> None:
        """Refuse a spec this kind cannot draw (too many cells, wrong mode)."""

    @property
    @abstractmethod
    def palette(self) -> np.ndarray:
        """``(P, 3)`` uint8: the colours the frames index."""

    @property
    @abstractmethod
    def size(self) -> tuple[int, int]:
        """``(H, W)`` of every frame, in pixels."""

    @abstractmethod
    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` (0-based) as ``(H, W)`` uint8 palette indices."""

    def frames(self) -> Iterator[np.ndarray]:
        """Every frame in order, as :meth:`frame` gives them, one at a time."""
        return (self.frame(i) for i in range(self.frame_count))

    def rgb(self, index: int) -> np.ndarray:
        """Frame ``index`` as ``(H, W, 3)`` uint8 RGB."""
        return self.palette[self.frame(index)]

    @abstractmethod
    def captions(self) -> tuple[Caption, ...]:
        """What each frame computes, one :class:`Caption` per frame."""

    def legend(self) -> tuple[Swatch, ...]:
        """What the figure's colours mean (empty where the figure labels itself)."""
        return ()

    def targets(self) -> tuple[Target, ...]:
        """Every drawn input and output cell a page can point at (empty where the figure
        has too many to point at: :func:`convviz.figures.targets.fits`)."""
        return ()

    def draw_vector(self, ax, index: int) -> None:
        """Draw frame ``index`` as vector shapes on matplotlib Axes ``ax``, whose data
        coordinates are the frame's pixels (x right, y down, ``size`` wide and high)."""
        raise ConvVizError(f"the {self.kind} figure is drawn as pixels, not vector shapes")

    def vector_figure(self, index: int):
        """Frame ``index`` as a ``matplotlib.figure.Figure`` of true vector shapes, one pixel
        of the frame per 1/150 inch."""
        from .vector import page  # matplotlib, imported only for vector stills

        fig, ax = page(self.size)
        self.draw_vector(ax, self.check_frame(index))
        return fig

    def check_frame(self, index: int) -> int:
        """``index`` as an int, or the one-line refusal when this figure has no such frame."""
        return sizing.check_frame(index, self.frame_count)
