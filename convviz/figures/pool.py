"""Pooling figures, one channel: the classic conv_arithmetic picture and the numbers one.

The window is drawn as a kernel is (the translucent overlay over its taps, a solid grid over
its footprint, connectors to the output cell), without weights: pooling has none. In max
pooling the input cell whose value wins (the engine's ``return_indices``) takes the colour of
the output cell it becomes. Padding is drawn as padding, white and dashed; so are the cells a
ceil-mode window reaches past the padding, which nothing reads (the numbers figure leaves
them blank, and shows max pooling's padding as −∞). The captions are
:func:`~convviz.figures.arithmetic.pool_equation`'s: ``y[1,0] = max(3, 8, 2, 5) = 8``.

>>> fig = PoolFigure(ConvSpec(mode="maxpool", input_size=4, kernel_size=2))
>>> fig.frame_count, str(fig.captions()[0])
(4, 'y[0,0] = max(8, 6, 3, 0) = 8')
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..errors import ConvVizError
from ..ops.spec import ConvSpec
from .arithmetic import max_cells, pool_equation, slide
from .base import Caption, Swatch
from .classic import ClassicFigure
from .classic import legend as classic_legend
from .numeric import SlideFigure, slide_frames
from .style import SCHEMES, Scheme


def _check_pooling(spec: ConvSpec) -> None:
    if spec.operation.reduce == "sum":
        raise ConvVizError(f"the pooling figure draws max or average pooling, got mode "
                           f"{spec.mode!r}")
    if spec.in_channels != 1:
        raise ConvVizError(f"the pooling figure shows one channel (pooling treats each alike): "
                           f"in_channels must be 1, got {spec.in_channels}")


def _marks(spec: ConvSpec, numbers) -> tuple:
    """Each step's winning cell (max pooling), else Nones."""
    data = slide(spec, numbers)
    return max_cells(data) if data.indices is not None else (None,) * len(data.steps)


def legend(spec: ConvSpec, scheme: Scheme = SCHEMES["default"]) -> tuple[Swatch, ...]:
    """The classic legend, the window for the kernel; max pooling adds its winning cell."""
    base = classic_legend(scheme)
    padding = "padding (−∞)" if spec.operation.reduce == "max" else "padding (zeros)"
    swatches = [base[0], Swatch(base[1].rgb, padding, base[1].mark),
                Swatch(base[2].rgb, "window", base[2].mark), *base[3:]]
    if spec.operation.reduce == "max":
        swatches.append(Swatch(base[4].rgb, "the window's max", "bold"))
    return tuple(swatches)


class PoolFigure(ClassicFigure):
    """The conv_arithmetic figure of 2-D pooling: one frame per output cell."""

    kind = "pool"

    def __init__(self, spec: ConvSpec, numbers=None, **options) -> None:
        super().__init__(spec, numbers, **options)
        self._marked = _marks(spec, self.numbers)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        _check_pooling(spec)
        super()._check(spec)

    def frame(self, index: int) -> np.ndarray:
        index = self.check_frame(index)
        return self._drawing.compose(self._steps[index], self._marked[index])

    def legend(self) -> tuple[Swatch, ...]:
        return legend(self.spec, self.scheme)

    def draw_vector(self, ax, index: int) -> None:
        from .vector import draw_classic  # matplotlib, imported only for vector stills

        index = self.check_frame(index)
        draw_classic(ax, self.spec, index, self.scheme, self._drawing.canvas.unit_px,
                     self._marked[index])


class PoolNumbersFigure(SlideFigure):
    """2-D pooling with the values in the cells: one frame per output cell."""

    kind = "pool-numbers"

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        _check_pooling(spec)
        super()._check(spec)

    def _columns(self) -> list:
        what = "input x (padding −∞)" if self.spec.operation.reduce == "max" else "input x"
        return [[("input", self.data.grid.shape, what)],
                [("output", self.data.output.shape, "output y")]]

    def _frames(self, start: int, surface) -> Iterator:
        return slide_frames(self.data, surface, start, self.scheme,
                            _marks(self.spec, self.numbers))

    def captions(self) -> tuple[Caption, ...]:
        return tuple(pool_equation(self.data, i) for i in range(self.frame_count))

    def legend(self) -> tuple[Swatch, ...]:
        return legend(self.spec, self.scheme) if self.spec.operation.reduce == "max" else ()
