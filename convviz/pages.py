"""Pages that stand alone: one figure as a self-contained HTML file, and a static site of
every gallery figure. Neither needs a convviz server nor loads anything from the network.

:func:`page` is one HTML document: the figure's title, its output-size formula with the
numbers filled in, the step player (frames, captions, cells to point at, presenter keys,
fullscreen; :mod:`convviz.player`) and a footer with the figure's description and the
credit for its style. :func:`build` writes ``index.html`` (every gallery figure in the seed
note's order, under the seed's headings, with its caption, formula and first frame) and one
such page per figure, linked both ways. Open them from disk or serve them from any static
host; ``README.md`` has the ``<iframe>`` snippet for a course page.

>>> view = View(ConvSpec(mode="transposed", input_size=3, stride=2, padding=1))
>>> title(view), "= 5</span>" in page(view)
('Padding, strides, transposed', True)
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from pathlib import Path

from . import export, views
from .errors import ConvVizError
from .figures import layout_of, sizing
from .figures.style import DURATION_MS
from .gallery import PRESETS, name_of
from .ops.formula import output_formula
from .ops.spec import ConvSpec
from .player import Page
from .text import show, size_text
from .views import View

CREDIT = ('Figure style after <a href="https://github.com/vdumoulin/conv_arithmetic">'
          'conv_arithmetic</a>: Vincent Dumoulin and Francesco Visin, “A guide to convolution '
          'arithmetic for deep learning” (arXiv:1603.07285), MIT licence. Drawn by convviz.')
"""The line every page carries: whose figure style this is, and its licence."""
INDEX_TITLE = "Convolution arithmetic, step by step"

Link = tuple[str, str]
"""``(href, text)`` of a link a page shows above its title."""


def title(view: View) -> str:
    """The figure's name: its gallery caption, else its operation and numbers.

    >>> title(View(ConvSpec(input_size=6, kernel_size=3, stride=3)))
    'Convolution, n=6, k=3, s=3, p=0'
    """
    name = name_of(view.spec)
    text = PRESETS[name].caption if name else ", ".join(
        [view.spec.operation.label] + view.spec.to_query().split("&")[1:])
    if view.scatter:
        return f"{text} (scatter view)"
    return f"{text} (numbers)" if view.style == "numbers" else text


def _padding(spec: ConvSpec) -> str:
    """How the figure pads its input, as its description says it."""
    if spec.transposed:
        zeros = tuple(s - 1 for s in spec.stride[-spec.dims:])
        inserted = f"{show(zeros)} zero{'' if set(zeros) == {1} else 's'} inserted between " \
            "its cells and " if max(zeros) else ""
        return f", with {inserted}an actual padding of " \
               f"{show(spec.actual_padding[-spec.dims:])} (white dashed cells)"
    if not max(spec.pads):
        return ""
    padding = show(spec.padding[-spec.dims:]) if not isinstance(spec.padding, str) else \
        f"{spec.padding!r} (top, bottom, left, right {show(spec.pads)})"
    if spec.causal:
        return f", padded by {padding} at its start only (causal; white dashed cells)"
    value = " with −∞" if spec.operation.reduce == "max" else ""
    return f", padded by {padding}{value} (white dashed cells)"


def _sized(spec: ConvSpec, size: tuple[int, ...], noun: str) -> str:
    """``'5 × 5 input'``, or in 1-D ``'8-cell input'``."""
    return f"{size[-1]}-cell {noun}" if spec.dims == 1 else f"{size_text(size)} {noun}"


def alt_text(view: View) -> str:
    """What the figure shows, in words: the text alternative of its frames.

    >>> alt_text(View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)))[:69]
    'Convolution: a 3 × 3 kernel (dark) slides with stride 2 over a 5 × 5 '
    """
    spec, count = view.spec, views.frame_count(view)
    window = "kernel" if spec.operation.weights else "window"
    kernel = _sized(spec, spec.kernel_size, window)
    if max(spec.dilation) > 1:
        kernel += f" dilated by {show(spec.dilation[-spec.dims:])}"
    channels = layout_of(spec) == "channels"
    inp = _sized(spec, spec.input_size, "input") + (
        f" of {spec.in_channels} channels (stacked blue and violet sheets)" if channels
        else " (blue)")
    out = _sized(spec, spec.output_size, "output") + (
        f" of {spec.out_channels} channels (cyan sheets)" if channels else " (cyan)")
    if view.scatter:
        return (f"{spec.operation.label} as PyTorch computes it: each cell of the {inp} "
                f"stamps its value times the {kernel} onto the {out}; one step per input "
                f"cell, {count} steps, each with its sum written out.")
    stride = "" if spec.transposed or max(spec.stride) == 1 else \
        f" with stride {show(spec.stride[-spec.dims:])}"
    kernel = f"the flipped {kernel}" if spec.transposed else f"a {kernel}"
    where = "beside it" if view.style == "numbers" else "above it"
    article = "an" if re.match(r"(8|11|18)\D", inp) else "a"
    text = (f"{spec.operation.label}: {kernel} (dark) slides{stride} over {article} {inp}"
            f"{_padding(spec)}, giving the {out} {where}; one step per {window} position, "
            f"{count} steps.")
    if spec.operation.stages or not spec.operation.weights:
        text += f" {spec.operation.summary}"
    result = {"sum": "sum", "max": "maximum", "mean": "mean"}[spec.operation.reduce]
    return text + (f" The cells show the numbers and each step's caption writes out its "
                   f"{result}." if view.style == "numbers" else "")


def _head(view: View, nav: Sequence[Link]) -> str:
    """The page's top: links, title, the formula with its numbers, the PyTorch line."""
    links = " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
                       for href, text in nav)
    formula = "".join(f"<span>{html.escape(line)}</span>"
                      for line in output_formula(view.spec).text)
    return (f"<header>{f'<nav>{links}</nav>' if links else ''}"
            f"<h1>{html.escape(title(view))}</h1>"
            f'<p class="formula" aria-label="Output size">{formula}</p>'
            f"<p><code>{html.escape(view.spec.torch_line())}</code></p></header>")


def _foot(view: View) -> str:
    return (f"<footer><p>{html.escape(alt_text(view))}</p><p>{CREDIT}</p></footer>")


def page(view: View, *, nav: Sequence[Link] = (), duration_ms: int = DURATION_MS,
         max_frames: int = sizing.MAX_FRAMES) -> str:
    """``view`` as one self-contained HTML document (see the module doc); ``nav`` are the
    links shown above its title."""
    text = Page(title=f"{title(view)} · convviz", alt=alt_text(view),
                head=_head(view, nav), foot=_foot(view))
    return views.player_page(view, max_frames=max_frames, duration_ms=duration_ms, page=text,
                             level=9)


def save_page(view: View, path: str | os.PathLike, *, duration_ms: int = DURATION_MS,
              max_frames: int = sizing.MAX_FRAMES) -> Path:
    """Write :func:`page` of ``view`` to ``path`` (an ``.html`` file), atomically."""
    export.format_of(path, ("html",))
    document = page(view, duration_ms=duration_ms, max_frames=max_frames)
    return export.write_bytes(document.encode("utf-8"), path)


def section(spec: ConvSpec) -> str:
    """The heading the index lists a figure under (the seed note's sections, then pooling
    and sequences)."""
    if spec.dims == 1:
        return "1-D operations (sequences)"
    if not spec.operation.weights:
        return "Pooling"
    return "Multi-channel convolutions" if layout_of(spec) == "channels" else \
        spec.operation.label


def _card(name: str) -> str:
    """One figure on the index: its first frame, caption and formula, linked to its page."""
    preset, view = PRESETS[name], View(PRESETS[name].spec)
    height, width = views.figure(view).size
    formula = "".join(f"<span>{html.escape(line)}</span>"
                      for line in output_formula(preset.spec).text)
    return (f'<li><a href="{name}.html"><img src="{name}.png" width="{width}" '
            f'height="{height}" alt="{html.escape(alt_text(view))}" loading="lazy"></a>'
            f'<h3><a href="{name}.html">{html.escape(preset.caption)}</a></h3>'
            f'<p class="formula">{formula}</p></li>')


def index() -> str:
    """The site's ``index.html``: every gallery figure under its section, in order."""
    sections: dict[str, list[str]] = {}
    for name, preset in PRESETS.items():
        sections.setdefault(section(preset.spec), []).append(_card(name))
    body = "".join(f"<h2>{html.escape(head)}</h2><ul>{''.join(cards)}</ul>"
                   for head, cards in sections.items())
    return _INDEX.format(title=html.escape(INDEX_TITLE), body=body, credit=CREDIT,
                         count=len(PRESETS))


def build(outdir: str | os.PathLike, *, duration_ms: int = DURATION_MS) -> list[Path]:
    """Write the site into ``outdir``: ``index.html``, and per gallery figure its page
    ``NAME.html`` and first frame ``NAME.png``, all of them or none. Returns the paths."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConvVizError(f"cannot create {outdir}: {error.strerror}") from None
    names = list(PRESETS)
    written = [outdir / f"{name}.{ext}" for name in names for ext in ("html", "png")]
    written.append(outdir / "index.html")
    with export.all_or_none(written) as temporary:               # all the files, or none
        files = iter(temporary)
        for i, name in enumerate(names):
            view = View(PRESETS[name].spec)
            nav = [("index.html", "All figures")]
            nav += [(f"{names[i - 1]}.html", "Previous")] if i else []
            nav += [(f"{names[i + 1]}.html", "Next")] if i + 1 < len(names) else []
            document = page(view, nav=nav, duration_ms=duration_ms)
            export.write_bytes(document.encode("utf-8"), next(files))
            export.write_bytes(views.still(view, 0, "png"), next(files))
        export.write_bytes(index().encode("utf-8"), next(files))
    return written


_INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · convviz</title>
<style>
  body {{ margin: 0 auto; max-width: 1180px; padding: 16px 20px 32px; color: #002b36;
         font: 15px/1.45 "Source Sans Pro", "Source Sans 3", system-ui, sans-serif; }}
  h1 {{ margin: 0 0 4px; font-size: 1.9rem; }}
  h2 {{ margin: 28px 0 10px; font-size: 1.35rem; border-bottom: 1px solid #e6dfc8; }}
  ul {{ list-style: none; margin: 0; padding: 0; display: grid; gap: 18px;
        grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); }}
  li {{ border: 1px solid #e6dfc8; border-radius: 10px; padding: 10px; background: #fff; }}
  img {{ display: block; width: 100%; height: auto; }}
  h3 {{ margin: 8px 0 2px; font-size: 1.05rem; }}
  a {{ color: #268bd2; }}
  .formula {{ margin: 0; font: 13px/1.5 "Source Code Pro", ui-monospace, monospace; }}
  .formula span {{ display: block; }}
  .lead, footer {{ color: #586e75; }}
  footer {{ margin-top: 28px; font-size: 13px; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lead">{count} figures of convolution arithmetic, in the order of the note they
illustrate. Open one to step through it: point at an input cell to see every output cell it
feeds, choose an output cell to see the step that computes it; Page Down / Page Up, Space and
the arrow keys step, F is fullscreen.</p>
{body}
<footer><p>{credit}</p></footer>
</body>
</html>
"""
