"""What a front end shows of a stack of layers: a :class:`StackView` (a stack and the output
cell to start from) and its table, figure, files and pages.

A stack is not a single spec, so it does not go through the figure registry and
:mod:`convviz.views`: this module is its entry point, with the same verbs (:func:`figure`,
:func:`save`, :func:`still`, :func:`encode`, :func:`player_page`, :func:`page`,
:func:`file_stem`). The animation tours a few output cells from the chosen one
(:func:`tour`), so the field is seen to move by the jump.

>>> from convviz.ops.stack_text import parse_stack
>>> view = StackView(parse_stack("conv k7 s2 p3; maxpool k3 s2 p1", input_size=224), (27, 27))
>>> view.cells, view.query()["cell"]
(((27, 27), (27, 28), (28, 28), (28, 27)), '27,27')
>>> file_stem(view)
'stack_conv_k7_s2_p3_maxpool_k3_s2_p1_n224_cell27x27'
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import export, player, regions
from .errors import ConvVizError
from .figures import sizing
from .figures.layerstack import StackFigure, caption
from .figures.style import DURATION_MS
from .ops.args import parse_int, parse_ints
from .ops.stack import Stack
from .ops.stack_text import parse_stack
from .ops.summary import pair_text, rf_text, summary
from .pages import CREDIT
from .regions import Region, region
from .text import size_text

STILL_FORMATS, ANIMATION_FORMATS = ("png", "svg", "pdf"), ("gif", "mp4")
TOUR = 4
"""Output cells an animation visits: the chosen one, right, below-right, below."""
TABLE_CSS = ("table.stack { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; } "
             "table.stack th, table.stack td { border: 1px solid #d0d7de; padding: .15rem .45rem;"
             " text-align: left; }")
ALT = "A stack of layers, one chosen output cell and its receptive field per step"
"""The player's text alternative (the app's browser tests find the player by it)."""


def tour(size: tuple[int, int], first: tuple[int, int] | None = None
         ) -> tuple[tuple[int, int], ...]:
    """The output cells an animation of a map of ``size`` visits: ``first`` (default: the
    middle cell), then right, below-right and below where the map has them.

    >>> tour((56, 56)), tour((1, 3), (0, 2))
    (((27, 27), (27, 28), (28, 28), (28, 27)), ((0, 2),))
    """
    i, j = first if first is not None else ((size[0] - 1) // 2, (size[1] - 1) // 2)
    cells = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)]
    return tuple(c for c in dict.fromkeys(cells) if c[0] < size[0] and c[1] < size[1])[:TOUR]


@dataclass(frozen=True)
class StackView:
    """A stack, the output cell of its last map to start from (None: the middle one), and
    whether the figure zooms in on the fields (None: where the maps are too large for cell
    lines; :func:`convviz.figures.layerstack.figure_plan`); hashable, so front ends can
    cache on it; the cell is checked when made."""

    stack: Stack
    cell: tuple[int, int] | None = None
    zoom: bool | None = None

    def __post_init__(self) -> None:
        if self.cell is not None:
            region(self.stack, self.cell)                # refuses a cell outside the map

    @property
    def last_cell(self) -> tuple[int, int]:
        """The last output cell (bottom right): the cell pickers' upper ends."""
        height, width = self.stack.output_size
        return height - 1, width - 1

    @property
    def cells(self) -> tuple[tuple[int, int], ...]:
        """The output cells the animation shows, in order (:func:`tour`)."""
        return tour(self.stack.output_size, self.cell)

    def query(self) -> dict[str, str]:
        """The link's keys: the stack's (``stack``, ``n``, ``cin``), ``cell`` (``i,j``) and
        ``zoom`` (``1``/``0``) where they are set."""
        keys = self.stack.query()
        if self.cell is not None:
            keys["cell"] = f"{self.cell[0]},{self.cell[1]}"
        if self.zoom is not None:
            keys["zoom"] = str(int(self.zoom))
        return keys

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> StackView:
        """The view a link's keys describe (see :meth:`query`); ConvVizError for a bad one."""
        if "stack" not in query:
            raise ConvVizError("the link has no stack (its 'stack' key): write layers such as "
                               "'conv k3 s1 p1; maxpool k2'")
        size = parse_ints(query.get("n", "32"), "n")
        channels = parse_int(query["cin"], "cin", 1) if "cin" in query else None
        cell = parse_ints(query["cell"], "cell") if "cell" in query else None
        if isinstance(cell, int):
            raise ConvVizError(f"cell must be 'row,column', got {query['cell']!r}")
        zoom = bool(parse_int(query["zoom"], "zoom", 0, 1)) if "zoom" in query else None
        return cls(parse_stack(query["stack"], input_size=size, in_channels=channels), cell,
                   zoom)


def figure(view: StackView, *, max_frames: int = sizing.MAX_FRAMES) -> StackFigure:
    """The figure of ``view`` (ConvVizError, before anything is drawn, where it cannot be)."""
    StackFigure.check(view.stack, view.cells, max_frames=max_frames, zoom=view.zoom)
    return _built(view)


def clear_caches() -> None:
    """Forget every stack figure and link kept for reuse."""
    _built.cache_clear()
    regions.clear_caches()


@lru_cache(maxsize=8)
def _built(view: StackView) -> StackFigure:
    return StackFigure(view.stack, view.cells, max_frames=len(view.cells), zoom=view.zoom)


def chosen(view: StackView) -> Region:
    """The region of the chosen (first) cell."""
    return region(view.stack, view.cells[0])


def describe(view: StackView) -> str:
    """What the chosen cell depends on, in one line (as the figure's first caption says it,
    whether or not the figure can be drawn)."""
    return str(caption(chosen(view)))


def still(view: StackView, index: int, fmt: str) -> bytes:
    """Frame ``index`` as "png" (the frame itself), "svg" or "pdf" (vector shapes) bytes."""
    if fmt not in STILL_FORMATS:
        raise ConvVizError(f"still format must be one of {', '.join(STILL_FORMATS)}, got {fmt!r}")
    fig = figure(view)
    if fmt == "png":
        return export.encode([fig.frame(index)], "png", palette=fig.palette)
    from .figures import vector  # matplotlib, imported only for vector stills

    return vector.figure_bytes(fig.vector_figure(index), fmt)


def encode(view: StackView, fmt: str, *, duration_ms: int = DURATION_MS,
           max_frames: int = sizing.MAX_FRAMES) -> bytes:
    """The animation as "gif" or "mp4" bytes."""
    fig = figure(view, max_frames=max_frames)
    return export.encode(fig.frames(), fmt, duration_ms=duration_ms, palette=fig.palette)


def save(view: StackView, path: str | os.PathLike, *, frame: int = 0,
         duration_ms: int = DURATION_MS, max_frames: int = sizing.MAX_FRAMES) -> Path:
    """Write ``view`` to ``path``: .gif/.mp4 animate, .png/.svg/.pdf show ``frame``, .html is
    a page that plays on its own."""
    path = Path(path)
    fmt = export.format_of(path, ANIMATION_FORMATS + STILL_FORMATS + ("html",))
    if fmt == "html":
        return export.write_bytes(page(view, duration_ms=duration_ms,
                                       max_frames=max_frames).encode("utf-8"), path)
    if fmt in ANIMATION_FORMATS:
        fig = figure(view, max_frames=max_frames)
        return export.save(fig.frames(), path, duration_ms=duration_ms, palette=fig.palette)
    return export.write_bytes(still(view, figure(view).check_frame(frame), fmt), path)


def player_page(view: StackView, *, max_frames: int = sizing.MAX_FRAMES,
                duration_ms: int = DURATION_MS, page: player.Page | None = None,
                embedded: bool = False, level: int = 1) -> str:
    """The step player of ``view``'s figure (its cells to point at included), one HTML
    document; see :func:`convviz.player.html`."""
    fig = figure(view, max_frames=max_frames)
    return player.html(fig.frames(), [str(c) for c in fig.captions()], palette=fig.palette,
                       duration_ms=duration_ms, name=file_stem(view),
                       key="&".join(f"{k}={v}" for k, v in view.query().items()),
                       targets=fig.targets(), page=page or player.Page(alt=ALT),
                       embedded=embedded, level=level)


def title(view: StackView) -> str:
    """``A stack of 2 layers on a 224 × 224 input``."""
    count = len(view.stack.layers)
    return f"A stack of {count} layer{'s' if count > 1 else ''} on a " \
           f"{size_text(view.stack.input_size)} input"


def table_rows(view: StackView) -> list[dict[str, str | int]]:
    """The layers as a table's rows: layer, PyTorch, output, channels, rf, jump, start,
    parameters, multiply-adds (numbers as people read them)."""
    return [{"#": row.number, "layer": row.text, "PyTorch": row.torch,
             "output": size_text(row.output), "channels": row.channels, "rf": rf_text(row),
             "jump": pair_text(row.jump), "start": pair_text(row.start),
             "parameters": row.parameters, "multiply-adds": row.macs}
            for row in summary(view.stack)]


def totals(view: StackView) -> tuple[int, int]:
    """The stack's parameters and multiply-adds."""
    rows = summary(view.stack)
    return sum(row.parameters for row in rows), sum(row.macs for row in rows)


def captions(view: StackView) -> tuple[str, ...]:
    """What each frame shows: the cell and the input cells it depends on."""
    return tuple(str(caption) for caption in figure(view).captions())


def legend(view: StackView):
    """What the figure's colours mean (:class:`~convviz.figures.base.Swatch` entries)."""
    return figure(view).legend()


def table_html(view: StackView) -> str:
    """The layers as an HTML table (:func:`table_rows`)."""
    rows = table_rows(view)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_shown(value))}</td>"
                                    for value in row.values()) + "</tr>" for row in rows)
    return f"<table class='stack'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _shown(value: str | int) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def page(view: StackView, *, duration_ms: int = DURATION_MS,
         max_frames: int = sizing.MAX_FRAMES) -> str:
    """The figure as one HTML page that plays on its own: its title, the table, the player and
    the credit for the figure style."""
    head = (f"<header><style>{TABLE_CSS}</style><h1>{html.escape(title(view))}</h1>"
            f"<p><code>{html.escape(view.stack.to_text())}</code></p>{table_html(view)}"
            f"</header>")
    foot = f"<footer><p>{html.escape(ALT)}.</p><p>{CREDIT}</p></footer>"
    return player_page(view, max_frames=max_frames, duration_ms=duration_ms, level=9,
                       page=player.Page(title=f"{title(view)} · convviz", alt=ALT, head=head,
                                        foot=foot))


def file_stem(view: StackView) -> str:
    """A file name for the view's downloads: ``stack_`` and its layers, input and cell."""
    slug = re.sub(r"[^a-z0-9]+", "_", view.stack.to_text().lower()).strip("_")[:60]
    cell = f"_cell{view.cell[0]}x{view.cell[1]}" if view.cell is not None else ""
    zoom = {None: "", True: "_zoom", False: "_to_scale"}[view.zoom]
    size = "x".join(map(str, dict.fromkeys(view.stack.input_size)))
    return f"stack_{slug}_n{size}{cell}{zoom}"
