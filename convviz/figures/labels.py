"""Labels of the multi-channel figures: channel indices beside the sheets, group brackets and
stage names, as line ink over palette-index frames (so they stay in the figure's palette).

Input channels are ``c0, c1, …`` and output channels ``o0, o1, …`` (0-based, as PyTorch
indexes them and the captions write ``y[o=1, …]``); each label stands left of its sheet's
left corner. Where sheets stand closer than a label is tall, the stack gets its first and
last index only. Groups get a bracket under their column (``group 0``); the figure gets its
name under it (``depthwise 3×3``), and a separable one the second stage's name on top.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import style
from .cells import font
from .columns import LABEL_PX, Margins
from .palettes import Palette
from .raster import LEVELS


@dataclass(frozen=True)
class Label:
    """Text at canvas pixel ``(x, y)``, placed by Pillow's ``anchor`` ("rm": right-middle)."""

    text: str
    x: float
    y: float
    anchor: str = "rm"


def stack_labels(stack, prefix: str, first: int) -> list[Label]:
    """Labels of one stack's sheets: ``prefix`` and the channel index, from ``first``."""
    rows, count = stack.sheet.rows, len(stack.fills)
    x, y = stack.point(0, rows)                          # the top sheet's left corner
    x -= 4
    if stack.depth_px >= LABEL_PX - 1 or count == 1:
        return [Label(f"{prefix}{first + j}", x, y + j * stack.depth_px) for j in range(count)]
    if (count - 1) * stack.depth_px >= LABEL_PX:
        return [Label(f"{prefix}{first}", x, y),
                Label(f"{prefix}{first + count - 1}", x, y + (count - 1) * stack.depth_px)]
    return [Label(f"{prefix}{first}–{first + count - 1}", x, y)]


def bracket(stack, x0: float, x1: float, name: str) -> tuple[list, Label]:
    """A bracket under a group's column from canvas x ``x0`` to ``x1`` (its line segments)
    and its label."""
    _, bottom = stack.point(0, 0)
    y = bottom + (len(stack.fills) - 1) * stack.depth_px + 6
    lines = [((x0, y), (x1, y)), ((x0, y - 5), (x0, y)), ((x1, y - 5), (x1, y))]
    return lines, Label(name, (x0 + x1) / 2, y + 3, "mt")


def place(parts, convs, room: Margins, size: tuple[int, int], unit: float,
          extents: list) -> tuple[list[Label], list]:
    """Every label and bracket line of a figure: its ``parts`` (stacks per stage), ``convs``
    (the stages), label ``room`` and canvas ``size``; ``extents`` gives each stage-0 group's
    column ``(x0, x1)`` in canvas pixels."""
    labels, lines = [], []
    for index, (part, conv) in enumerate(zip(parts, convs)):
        per_in = conv.in_channels // conv.groups
        per_out = conv.out_channels // conv.groups
        for g, (inputs, outputs) in enumerate(zip(part.inputs, part.outputs)):
            labels += stack_labels(inputs, "c", g * per_in)
            labels += stack_labels(outputs, "o", g * per_out)
            if index == 0 and conv.groups > 1:
                segs, label = bracket(inputs, *extents[g], f"group {g}")
                lines += segs
                labels.append(label)
    names = [_name(conv) for conv in convs]
    if len(convs) > 1:
        names[0] += " (one kernel per channel)"
        names[1] += " (its input: the depthwise outputs)"
        labels.append(Label(names[1], size[1] / 2, style.BORDER_PX - 6, "mt"))
    labels.append(Label(names[0], size[1] / 2, size[0] - style.BORDER_PX - room.bottom + 4,
                        "mt"))
    return labels, lines


def _name(conv) -> str:
    k = "×".join(map(str, conv.kernel_size))
    if conv.mode in ("depthwise", "pointwise"):
        return f"{conv.mode} {k}"
    if conv.groups > 1:
        return f"grouped {k}, {conv.groups} groups"
    return f"{k} convolution, {conv.in_channels} → {conv.out_channels} channels"


def stamp(base: np.ndarray, palette: Palette, labels: list[Label], lines: list) -> None:
    """Draw ``labels`` and ``lines`` into ``base`` (palette indices) as line ink."""
    image = Image.new("L", (base.shape[1], base.shape[0]), 0)
    draw = ImageDraw.Draw(image)
    for label in labels:
        draw.text((label.x, label.y), label.text, fill=255, font=font(LABEL_PX),
                  anchor=label.anchor)
    for a, b in lines:
        draw.line((a, b), fill=255, width=1)
    coverage = np.asarray(image)
    level = ((coverage.astype(np.uint16) * (LEVELS - 1) + 127) // 255).astype(np.uint8)
    ink = level > 0
    base[ink] = palette.index(palette.fill_of[base[ink]],
                              np.maximum(palette.level_of[base[ink]], level[ink]))
