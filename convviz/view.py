"""A :class:`View`: a spec and the way to show it, checked when made, and its link.

:mod:`convviz.views` gives everything a front end shows of a view (figure, frames, files,
captions); this module only says what a view is.

>>> View.from_query("mode=conv&n=5&k=3&s=2&p=1&style=numbers&seed=2").to_query()
'mode=conv&n=5&k=3&s=2&p=1&style=numbers&seed=2'
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .errors import ConvVizError
from .figures import SWEEPS, figure_class
from .figures.style import SCHEMES, scheme
from .ops.args import check_choice, parse_int
from .ops.spec import ConvSpec
from .sample import Numbers, Table
from .text import exact_number

STYLES = ("classic", "numbers", "setup", "cells")
"""The figure styles: conv_arithmetic's, values in the cells, and the exercises' two."""
PALETTES = tuple(SCHEMES)
"""The colour schemes a view can be drawn in: ``"default"`` (conv_arithmetic), ``"cb"``."""


@dataclass(frozen=True)
class View:
    """A spec and the way to show it (hashable, so front ends can cache on it); checked when
    made, its values included.

    Attributes
    ----------
    spec : ConvSpec
    style : {"classic", "numbers", "setup", "cells"}
        The conv_arithmetic figure, the values in the cells, or an exercise's figure: the
        output left out (``setup``), or each output cell marked without the kernel
        (``cells``; :mod:`convviz.figures.question`).
    scatter : bool
        Numbers style, transposed spec: one frame per input cell stamping its scaled kernel
        (PyTorch's view) instead of the sliding window over the stretched input.
    seed : int
        The seed of the random small integers.
    kernel, values : str, rows of numbers, or None
        A kernel preset name (``"sobel_x"``) or rows (``"1,0,-1;2,0,-2;..."``), and the
        input's rows; None for the seeded random ones. The numbers style draws these values;
        every style's :func:`convviz.views.captions` compute with them.
    palette : {"default", "cb"}
        The colours: conv_arithmetic's, or the colour-blind-safe scheme.
    """

    spec: ConvSpec
    style: str = "classic"
    scatter: bool = False
    seed: int = 0
    kernel: str | Table | None = None
    values: str | Table | None = None
    palette: str = "default"

    def __post_init__(self) -> None:
        check_choice(self.style, "style", STYLES)
        scheme(self.palette)
        figure_class(self.spec, self.style, self.sweep)
        if self.scatter and not self.spec.transposed:
            raise ConvVizError(f"the scatter view shows a transposed convolution: mode must be "
                               f"'transposed', got {self.spec.mode!r}")
        self.numbers.check(self.spec)

    @property
    def sweep(self) -> str:
        """``"scatter"`` or ``"slide"``."""
        return "scatter" if self.scatter else "slide"

    @property
    def numbers(self) -> Numbers:
        """Where the figure's numbers come from."""
        return Numbers(self.seed, self.kernel, self.values)

    def to_query(self) -> str:
        """The URL query string: the spec's (:meth:`ConvSpec.to_query`), then ``style``,
        ``view``, ``seed``, ``kernel``, ``values`` and ``palette`` where they are not the
        defaults.

        >>> View(ConvSpec(mode="transposed", input_size=3, kernel_size=2, stride=2),
        ...      style="numbers", scatter=True, kernel="1,2;3,4", seed=2).to_query()
        'mode=transposed&n=3&k=2&s=2&p=0&style=numbers&view=scatter&seed=2&kernel=1,2;3,4'
        """
        extra = {"style": None if self.style == "classic" else self.style,
                 "view": "scatter" if self.scatter else None,
                 "seed": self.seed or None, "kernel": _rows(self.kernel),
                 "values": _rows(self.values),
                 "palette": None if self.palette == "default" else self.palette}
        return "&".join([self.spec.to_query()] + [f"{key}={value}" for key, value in
                                                  extra.items() if value is not None])

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> View:
        """The view a query string (or its mapping) describes; see :meth:`to_query`."""
        if isinstance(query, str):
            query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        query = dict(query)
        sweep = check_choice(query.pop("view", "slide"), "view", SWEEPS)
        seed = parse_int(query.pop("seed", "0"), "seed", 0)
        return cls(ConvSpec.from_query(query), style=query.pop("style", "classic"),
                   scatter=sweep == "scatter", seed=seed, kernel=query.pop("kernel", None),
                   values=query.pop("values", None), palette=query.pop("palette", "default"))


def _rows(table: str | Table | None) -> str | None:
    """A kernel or input as query text: a preset name or ``'1,0;0,1'``."""
    if table is None or isinstance(table, str):
        return table
    return ";".join(",".join(exact_number(v) for v in row) for row in table)
