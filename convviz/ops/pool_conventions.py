"""Pooling under the framework conventions: what each framework's pooling takes, and how the
engine computes it with the convention's pads.

A pooling spec under TensorFlow/Keras, JAX or ONNX resolves ``"same"`` as a convolution does
(:func:`~convviz.ops.conventions.resolve`: ``⌈n/s⌉`` outputs, the odd cell bottom/right, or
top/left under ONNX's SAME_LOWER). What the switches mean there, as the framework has them:

============  =========  ==================  ================  ========  ===================
convention    ceil_mode  count_include_pad   divisor_override  dilation  padding
============  =========  ==================  ================  ========  ===================
pytorch       yes        yes (default on)    yes               max       numbers only
tensorflow    no         off (with 'same')   no                no        'same', 'valid', 0
jax           no         yes (default off)   no                max       all three
onnx-*        yes        yes (default off)   no                max       all three
============  =========  ==================  ================  ========  ===================

Max pooling pads with −∞ everywhere. ``"same"``'s pads are always applied first (``F.pad``
with −∞ for max, zeros for average), then the engine pools with padding 0
(:func:`pool`); an average that leaves the padding out then divides the window sums by the
same pooling of ones: the real cells in each window (TensorFlow's and ONNX's
``count_include_pad=0``). Numbers are PyTorch's own ``padding`` (symmetric, at most half the
window). ``"same"`` never lets a window hang past its pads, so ``ceil_mode`` changes nothing
there (as in ONNX Runtime, whose ``auto_pad`` output is ``⌈n/s⌉`` with or without it).
ONNX Runtime 1.32's ``MaxPool`` refuses ``"same"`` that needs negative padding and pads a
dilated window's SAME_* as if undilated: both are refused here. Its ``AveragePool`` starts past
cell 0 there (:func:`~convviz.ops.conventions.runtime_crops`, noted in the differences table).

>>> from convviz.ops.spec import ConvSpec
>>> spec = ConvSpec(mode="avgpool", input_size=5, kernel_size=3, stride=2, padding="same",
...                 convention="tensorflow")
>>> spec.pads, spec.pre_pad, real_cells(spec)
((1, 1, 1, 1), (1, 1, 1, 1), True)
>>> pool(spec, np.arange(25.0).reshape(1, 1, 5, 5))[0, 0, 0].tolist()
[3.0, 4.5, 6.0]
"""
from __future__ import annotations

import numpy as np

from ..errors import ConvVizError
from ..text import show
from .conventions import DEFAULT, convention, same_need
from .engine import pad
from .pooling import lowest

_KERAS = "Keras's MaxPooling2D and AveragePooling2D"
_NO_CEIL = {"tensorflow": f"{_KERAS} have no ceil_mode",
            "jax": "jax.lax.reduce_window has no ceil_mode"}
"""Conventions whose pooling has no ceil_mode (``"same"`` gives ``⌈n/s⌉`` outputs there)."""


def include_pad_default(name: str) -> bool:
    """``count_include_pad``'s default for average pooling under convention ``name``: PyTorch
    counts the padding, TensorFlow, JAX (``"SAME"`` pooling) and ONNX (``count_include_pad=0``)
    do not.

    >>> include_pad_default("pytorch"), include_pad_default("onnx-lower")
    (True, False)
    """
    return convention(name).name == DEFAULT


def default(op, name: str, resolved: dict) -> object:
    """The default of field ``name`` of row ``op`` given the fields resolved so far: the row's
    (:meth:`~convviz.ops.table.Operation.default`), but a convention's for an average
    pooling's ``count_include_pad``."""
    if name == "count_include_pad" and op.takes(name) and op.takes("convention"):
        return include_pad_default(resolved["convention"])
    return op.default(name, resolved)


def check(spec) -> None:
    """Refuse a pooling :class:`~convviz.ops.spec.ConvSpec` (fields resolved) with what its
    convention's framework does not have; one line each, naming the framework and why."""
    op = spec.operation
    if op.weights:
        return
    rules = convention(spec.convention)
    where = f"under the {rules.name} convention in {op.name} mode"
    if rules.name == DEFAULT:
        if isinstance(spec.padding, str):
            other = (" (the tensorflow, jax and onnx conventions take 'same' and 'valid')"
                     if op.takes("convention") else "")
            numbers = "an int or a pair" if op.dims == 2 else "an int"
            raise ConvVizError(f"padding must be {numbers} {where}, got "
                               f"{spec.padding!r}: PyTorch's pooling takes padding as numbers "
                               f"only, at any stride{other}")
        return
    if spec.divisor_override is not None:
        raise ConvVizError(f"divisor_override must be None {where}, got "
                           f"{spec.divisor_override}: only PyTorch's AvgPool2d has it")
    if spec.ceil_mode and rules.name in _NO_CEIL:
        raise ConvVizError(f"ceil_mode must be False {where}, got True: "
                           f"{_NO_CEIL[rules.name]} ('same' gives ⌈n/s⌉ outputs)")
    half = tuple(k // 2 for k in spec.kernel_size)
    if not isinstance(spec.padding, str) and any(p > h for p, h in zip(spec.padding, half)):
        raise ConvVizError(f"padding must be <= kernel_size // 2 = {show(half)} {where}, got "
                           f"{show(spec.padding)}: convviz pools numbers with PyTorch's rules, "
                           f"at most half the window ({rules.framework} takes more)")
    if rules.framework == "ONNX" and spec.padding == "same" and max(spec.dilation) > 1:
        raise ConvVizError(f"dilation must be 1 with padding='same' {where}, got "
                           f"{show(spec.dilation)}: ONNX Runtime 1.32's MaxPool pads auto_pad "
                           f"SAME_* as if the window were not dilated (give the pads as "
                           f"numbers: explicit pads work)")
    if rules.framework == "ONNX" and op.reduce == "max" and spec.padding == "same" and any(
            same_need(*axis) < 0 for axis in zip(spec.input_size, spec.kernel_size, spec.stride,
                                                 spec.dilation)):
        raise ConvVizError(f"padding='same' needs a window that reaches the input's last cell "
                           f"{where} (kernel_size {show(spec.kernel_size)} < stride "
                           f"{show(spec.stride)} misses it): ONNX Runtime 1.32's MaxPool refuses "
                           f"auto_pad's negative padding (give the padding as numbers)")
    if rules.name != "tensorflow":
        return
    if not isinstance(spec.padding, str) and any(spec.padding):
        raise ConvVizError(f"padding must be 'same', 'valid' or 0 {where}, got "
                           f"{show(spec.padding)}: {_KERAS} take padding='same' or 'valid' "
                           f"only (the jax and onnx conventions take numbers)")
    if op.takes("dilation") and max(spec.dilation) > 1:
        raise ConvVizError(f"dilation must be 1 {where}, got {show(spec.dilation)}: "
                           f"MaxPooling2D has no dilation (the jax and onnx conventions take it)")
    if op.takes("count_include_pad") and spec.count_include_pad and spec.padding == "same":
        raise ConvVizError(f"count_include_pad must be False with padding='same' {where}, got "
                           f"True: TensorFlow's average pooling divides by the input cells "
                           f"in each window only (the jax and onnx conventions can count "
                           f"the padding)")


def pads_first(spec) -> bool:
    """Whether the engine pads a pooling spec's input first (``"same"`` under a convention
    other than PyTorch's, with cells to pad) rather than through its ``padding``."""
    return (not spec.operation.weights and spec.convention != DEFAULT
            and spec.padding == "same" and any(spec.pads))


def real_cells(spec) -> bool:
    """Whether a pooling spec averages over the input cells of each window only while its
    pads come first, so the engine's sums are divided by the same pooling of ones."""
    return (spec.operation.reduce == "mean" and not spec.count_include_pad
            and pads_first(spec))


def pool(spec, x: np.ndarray, *, return_indices: bool = False):
    """The engine's pooling of ``spec`` on ``x``: pad with ``spec.pre_pad`` first (−∞ for
    max, zeros for average), then the row's engine function with ``spec.arguments()``.

    Parameters
    ----------
    spec : ConvSpec, a pooling mode
    x : ndarray, shape (N, C, H, W) (1-D: (N, C, L))
    return_indices : bool, keyword only
        Max pooling: also each maximum's flat index ``h*W + w`` in the unpadded plane.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out); with ``return_indices`` also the int64 indices
    """
    op, before = spec.operation, spec.pre_pad
    fill = lowest(x.dtype) if op.reduce == "max" else 0
    xp = pad(x, before, value=fill) if before else x            # (N, C, H_pad, W_pad)
    extra = {"return_indices": True} if return_indices else {}
    out = op.function(xp, **spec.arguments(), **extra)
    if return_indices:
        out, index = out
        if before:                  # (h + top)*W_pad + (w + left) -> h*W + w
            left, right, top, _ = before
            width = x.shape[-1]
            row, col = np.divmod(index, width + left + right)
            index = (row - top) * width + (col - left)
        return out, index
    if real_cells(spec):            # sums (divisor 1) over the count of input cells
        out = out / op.function(pad(np.ones_like(x, dtype=out.dtype), before),
                                **spec.arguments())
    return out


def arguments(spec) -> dict[str, object]:
    """What a 2-D pooling spec's convention changes in its engine arguments: ``padding`` as
    numbers (0 where the pads come first or for ``"valid"``), ``divisor_override=1`` where the
    sums are divided by the real cells afterwards (:func:`pool`)."""
    found: dict[str, object] = {"padding": (0, 0) if isinstance(spec.padding, str) or
                                pads_first(spec) else spec.padding}
    if real_cells(spec):
        found["divisor_override"] = 1
    return found
