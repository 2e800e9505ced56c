"""A printable handout of a figure: its formula and a few key steps per page, as a PDF.

Every page is A4 or Letter and carries the title, the general and the filled-in formula and
the legend; below them, a 2 x 2 grid of steps (two steps the page's width for a wide
figure), each the figure at that step (vector shapes
where the figure has them) with the step's arithmetic under it. The steps are the first and
the last, and evenly spread ones between (each stage of a separable convolution gets its
own), unless given. Text is text (embedded TrueType), so the PDF can be searched.

>>> from convviz.figures import ClassicFigure
>>> from convviz.ops.spec import ConvSpec
>>> pdf = handout(ClassicFigure(ConvSpec(input_size=5, stride=2, padding=1)))
>>> pdf[:5], key_steps(9, ())
(b'%PDF-', (1, 4, 6, 9))
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .errors import ConvVizError
from .figures import style
from .figures.annotated import notes_of, wrap
from .figures.base import Figure as ConvFigure
from .figures.cells import font
from .figures.vector import TEXT_RC, pixel_axes
from .ops.args import check_choice, check_int

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
"""Page sizes in inches (width, height)."""
MARGIN_IN, KEY_STEPS = 0.6, 4
INK = style.hex_colour(style.LINE)


def key_steps(count: int, stage_starts: Sequence[int], wanted: int = KEY_STEPS) -> tuple:
    """Up to ``wanted`` steps (from 1) of a figure of ``count``: the first, the last, evenly
    spread ones between, and the first step of every later stage (``stage_starts``, 0-based).

    >>> key_steps(18, (9,)), key_steps(2, ()), key_steps(25, (), 6)
    ((1, 7, 10, 18), (1, 2), (1, 6, 11, 15, 20, 25))
    """
    spread = {round(1 + i * (count - 1) / (wanted - 1)) for i in range(wanted)} if count > 1 \
        else {1}
    spread |= {start + 1 for start in stage_starts}
    while len(spread) > max(wanted, len(stage_starts) + 2):
        middle = sorted(spread - {1, count, *(s + 1 for s in stage_starts)})
        spread.discard(middle[len(middle) // 2])
    return tuple(sorted(spread))


def _stage_starts(fig: ConvFigure) -> tuple[int, ...]:
    stages, starts = [c.stage for c in fig.captions()], []
    for i in range(1, len(stages)):
        if stages[i] != stages[i - 1]:
            starts.append(i)
    return tuple(starts)


def _header(page: Figure, notes, width_in: float, top: float, first: bool) -> float:
    """Title, formula and legend from ``top`` (inches from the page's top); returns where
    they end."""
    height_in = page.get_figheight()
    y = top
    def text(line: str, size_pt: float, **kw) -> None:
        page.text(MARGIN_IN / page.get_figwidth(), 1 - y / height_in, line, fontsize=size_pt,
                  va="top", color=INK, **kw)
    title = notes.title + ("" if first else " (continued)")
    for line in wrap(title, 26, int((width_in - 2 * MARGIN_IN) * 150 * 0.92)):  # 12.5 pt
        text(line, 12.5, fontweight="bold")
        y += 0.27
    y += 0.05
    for line in notes.formula:
        text(line, 10)
        y += 0.21
    x = MARGIN_IN
    for swatch in notes.legend:
        page.patches.append(Rectangle(
            (x / page.get_figwidth(), 1 - (y + 0.16) / height_in), 0.13 / page.get_figwidth(),
            0.13 / height_in, transform=page.transFigure, facecolor=style.hex_colour(swatch.rgb),
            edgecolor=INK, linewidth=2 if swatch.mark == "bold" else 0.6,
            linestyle="--" if swatch.mark == "dashed" else "-"))
        page.text((x + 0.18) / page.get_figwidth(), 1 - (y + 0.02) / height_in, swatch.label,
                  fontsize=8, va="top", color=INK)
        x += 0.4 + font(17).getlength(swatch.label) / 150     # 8 pt is 17 px at 150 dpi
        if x > width_in - MARGIN_IN - 1.2:
            x, y = MARGIN_IN, y + 0.22
    return y + 0.35


def _step(page: Figure, fig: ConvFigure, notes, index: int, box: tuple) -> None:
    """Step ``index`` of ``fig`` in ``box`` (left, top, width, height in inches)."""
    left, top, width, height = box
    w_in, h_in = page.get_figwidth(), page.get_figheight()
    lines = [part for line in notes.steps[index] for part in
             wrap(line, 16, int(width * 150))]              # 7.5 pt is 16 px at 150 dpi
    text_h = 0.17 * min(len(lines), 6) + 0.1
    fh, fw = fig.size
    scale = min(width / fw, (height - text_h) / fh)
    ax = page.add_axes(((left + (width - fw * scale) / 2) / w_in,
                        1 - (top + fh * scale) / h_in, fw * scale / w_in, fh * scale / h_in))
    pixel_axes(ax, fig.size)
    if fig.vector:
        fig.draw_vector(ax, index)
    else:
        ax.imshow(fig.rgb(index), interpolation="nearest", extent=(0, fw, fh, 0))
    y = top + fh * scale + 0.08
    for i, line in enumerate(lines[:6]):
        page.text(left / w_in, 1 - y / h_in, line, fontsize=7.5, va="top", color=INK,
                  fontweight="bold" if i == 0 else "normal")
        y += 0.17


def handout(fig: ConvFigure, *, paper: str = "a4", steps: Sequence[int] = (),
            given: str = "p") -> bytes:
    """The handout of figure ``fig`` as PDF bytes on ``paper`` ("a4" or "letter"): ``steps``
    (counted from 1; default :func:`key_steps`), four to a page under the formula
    (``given``: the padding a transposed convolution was given by, as
    :func:`~convviz.ops.formula.output_formula` takes it)."""
    width_in, height_in = PAPERS[check_choice(paper, "paper", tuple(PAPERS))]
    notes = notes_of(fig, given=given)
    chosen = tuple(check_int(s, "step", 1, fig.frame_count) for s in steps) or \
        key_steps(fig.frame_count, _stage_starts(fig))
    if len(chosen) > 24:
        raise ConvVizError(f"steps must name at most 24 steps for a handout, got {len(chosen)}")
    across = 1 if fig.size[1] > 600 else 2                # wide figures get the whole width
    per_page = 2 * across
    buffer = io.BytesIO()
    with rc_context(TEXT_RC), PdfPages(buffer, metadata={"CreationDate": None}) as pdf:
        for first in range(0, len(chosen), per_page):
            page = Figure(figsize=(width_in, height_in))
            top = _header(page, notes, width_in, MARGIN_IN, first == 0)
            cell_w = (width_in - 2 * MARGIN_IN - 0.3 * (across - 1)) / across
            cell_h = (height_in - top - MARGIN_IN - 0.3) / 2
            for k, step in enumerate(chosen[first:first + per_page]):
                box = (MARGIN_IN + (k % across) * (cell_w + 0.3),
                       top + (k // across) * (cell_h + 0.3), cell_w, cell_h)
                _step(page, fig, notes, step - 1, box)
            pdf.savefig(page)
    return buffer.getvalue()

