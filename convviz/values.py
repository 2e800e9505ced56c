"""The numbers a figure shows: seeded random values, kernel presets, and custom values.

Every function returns arrays shaped for a :class:`~convviz.spec.ConvSpec`: the input as
``(C_in, H, W)`` (``(C_in, L)`` in 1-D) and the weight as ``spec.weight_shape`` (None for
pooling, which has no weights). A 2-D kernel or input (one row in 1-D) is copied to every
channel. Values whose entries are all whole numbers come back as ``int64`` (so figures
and sums show ``17``, not ``17.0``); anything else as ``float64``.

The presets are the usual 3 x 3 image kernels, written for PyTorch's cross-correlation.
``box_blur`` and ``gaussian`` are left as integers (``gaussian`` is the 1-2-1 outer product,
sum 16; ``box_blur`` is all ones, sum 9) so that every step of a figure is exact integer
arithmetic: divide the output by 16 (or 9) for the weighted average.

:class:`convviz.sample.Numbers` says which of these a figure uses.

>>> parse_kernel("1,0,-1;2,0,-2;1,0,-1")
array([[ 1,  0, -1],
       [ 2,  0, -2],
       [ 1,  0, -1]])
>>> x, w = values_for(ConvSpec(input_size=4), kernel="sobel_x")
>>> x.shape, w.shape, w[0, 0, 1].tolist()
((1, 4, 4), (1, 1, 3, 3), [-2, 0, 2])
"""
from __future__ import annotations

import math
import re
from types import MappingProxyType

import numpy as np

from .errors import ConvVizError
from .ops.memory import check_bytes
from .ops.spec import ConvSpec
from .text import MINUS, exact_number

INPUT_RANGE = (0, 9)
"""Random input values are integers in this closed range."""
KERNEL_RANGE = (0, 2)
"""Random kernel weights are integers in this closed range (as in conv_arithmetic's
numerical figures)."""


def _preset(rows: list[list[int]]) -> np.ndarray:
    array = np.array(rows, dtype=np.int64)
    array.setflags(write=False)
    return array


KERNEL_PRESETS = MappingProxyType({
    "identity": _preset([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box_blur": _preset([[1, 1, 1], [1, 1, 1], [1, 1, 1]]),
    "gaussian": _preset([[1, 2, 1], [2, 4, 2], [1, 2, 1]]),
    "sharpen": _preset([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "sobel_x": _preset([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _preset([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "laplacian": _preset([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
})
"""Name -> read-only ``(3, 3)`` int64 kernel. ``sobel_x`` responds positively where values
grow to the right, ``sobel_y`` where they grow downwards."""
KERNEL_LABELS = MappingProxyType({
    "identity": "Identity", "box_blur": "Box blur (sum 9)", "gaussian": "Gaussian 3 × 3 (sum 16)",
    "sharpen": "Sharpen", "sobel_x": "Sobel x", "sobel_y": "Sobel y", "laplacian": "Laplacian"})
"""Each preset's name for people."""
INT64_LIMIT = 2 ** 63
"""Whole numbers below this in size are held as int64, exactly; larger ones as float64."""


def _numeric(values, name: str) -> np.ndarray:
    """``values`` as a finite int64 array (all whole numbers below :data:`INT64_LIMIT`) or a
    float64 one, or a ConvVizError. Python ints are kept exact or refused, never rounded."""
    try:
        raw = values if isinstance(values, np.ndarray) else np.array(values, dtype=object)
        array = raw.astype(np.float64)                      # a copy: figures keep theirs
    except (TypeError, ValueError, OverflowError):
        raise ConvVizError(f"{name} must hold numbers only, got {_short(values)}") from None
    if not np.isfinite(array).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ConvVizError(f"{name} must hold finite numbers, got an empty, nan or inf value "
                           f"at {list(where)}")
    exact = raw.ravel().tolist()                            # Python ints stay exact here
    if (array == np.round(array)).all():
        whole = [int(v) for v in exact]
        if max(map(abs, whole), default=0) < INT64_LIMIT:
            return np.array(whole, dtype=np.int64).reshape(array.shape)
    lossy = next((v for v in exact if isinstance(v, int) and float(v) != v), None)
    if lossy is not None:
        raise ConvVizError(f"{name} values must be exact as 64-bit numbers: whole numbers up to "
                           f"2**63 - 1, or up to 2**53 beside fractions or larger ones, got "
                           f"{lossy}")
    return array


def _short(values) -> str:
    """``repr(values)``, cut to fit a one-line message."""
    return repr(values) if len(repr(values)) <= 60 else repr(values)[:57] + "..."


def _number(cell: str, name: str, row: int) -> int | float:
    """One cell's text as a number: an int when written as one (kept exact), else a float."""
    try:
        return int(cell) if re.fullmatch(r"[+-]?\d+", cell) else float(cell)
    except ValueError:
        raise ConvVizError(f"{name} must hold numbers only, got {_short(cell)} in row "
                           f"{row}") from None


def _parse_rows(text: str, name: str) -> np.ndarray:
    """Rows split by ';' or newlines, columns by ',' or spaces, as a 2-D numeric array."""
    if not isinstance(text, str):
        raise ConvVizError(f"{name} must be text like '1,0,-1;2,0,-2', got {_short(text)}")
    lines = [line.strip() for line in re.split(r"[;\n]", text.replace(MINUS, "-"))]
    rows = [[cell for cell in re.split(r"[,\s]+", line) if cell] for line in lines if line]
    if not rows:
        raise ConvVizError(f"{name} must have at least one row like '1,0,-1', got "
                           f"{_short(text)}")
    for i, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ConvVizError(f"{name} rows must have equal lengths, but row 1 has "
                               f"{len(rows[0])} values and row {i + 1} has {len(row)}")
    return _numeric([[_number(cell, name, i + 1) for cell in row]
                     for i, row in enumerate(rows)], name)


def parse_kernel(text: str) -> np.ndarray:
    """A kernel written as rows: ``"1,0,-1;2,0,-2;1,0,-1"`` (``;`` or newline between rows,
    ``,`` or spaces between columns; ints or floats).

    Returns
    -------
    ndarray, shape (kH, kW), int64 when every value is a whole number, else float64

    >>> parse_kernel("0.5 0.5").tolist()
    [[0.5, 0.5]]
    """
    return _parse_rows(text, "kernel")


def rows_text(rows) -> str:
    """A kernel or an input (rows of numbers) as :func:`parse_kernel` reads it back exactly,
    with ASCII minus signs (for links and command lines).

    >>> rows_text([[1, 0, -1], [0.5, 2.0, 1 / 9]])
    '1,0,-1;0.5,2,0.1111111111111111'
    """
    return ";".join(",".join(exact_number(v) for v in row)
                    for row in _numeric(rows, "kernel").tolist())


def parse_values(text: str) -> np.ndarray:
    """An input written as rows, like :func:`parse_kernel`: ``"1,2,3;4,5,6"``.

    Returns
    -------
    ndarray, shape (H, W), int64 when every value is a whole number, else float64
    """
    return _parse_rows(text, "input")


def _size(pair: tuple[int, ...]) -> str:
    return f"{pair[0]} x {pair[1]}"


def _fitting(array: np.ndarray, shape: tuple[int, ...], plane: tuple[int, int], dims: int,
             name: str, size: str) -> np.ndarray:
    """``array`` when it is one ``plane`` (one row ``(1, L)`` in 1-D) or ``shape``, else why."""
    if array.shape not in (plane, shape):
        what, given = ((_size(plane), _size(plane)) if dims == 2 else
                       (f"one row of {plane[1]} values", str(plane[1])))
        raise ConvVizError(f"{name} must be {what} for {size} {given} (or have shape {shape}), "
                           f"got shape {array.shape}")
    return array


def _shaped(array: np.ndarray, shape: tuple[int, ...], dims: int, name: str) -> np.ndarray:
    """``array`` (checked by :func:`_fitting`) with ``shape``: one plane is copied to every
    leading index, once the copy is known to fit in memory."""
    if array.shape == shape:
        return array
    check_bytes(math.prod(shape) * array.itemsize, f"the {name}, {_size(shape[:2])} copies")
    return np.broadcast_to(array.reshape(shape[-dims:]), shape).copy()


def preset_name(text: str) -> str | None:
    """The :data:`KERNEL_PRESETS` name ``text`` stands for (case, spaces and '-' aside), else
    None.

    >>> preset_name("Sobel-X"), preset_name("1,0;0,1")
    ('sobel_x', None)
    """
    name = re.sub(r"[\s-]+", "_", text.strip().lower())
    return name if name in KERNEL_PRESETS else None


def kernel_weight(spec: ConvSpec, kernel) -> np.ndarray:
    """The weight of ``spec`` from a preset name, kernel text, or an array.

    Parameters
    ----------
    kernel : str or array_like, shape (kH, kW) or spec.weight_shape
        A name in :data:`KERNEL_PRESETS` (spaces and '-' read as '_'), text for
        :func:`parse_kernel`, or values; a 2-D kernel is used for every channel pair.

    Returns
    -------
    ndarray, shape spec.weight_shape, i.e. (C_out, C_in/groups, kH, kW), or
    (C_in, C_out/groups, kH, kW) for a transposed spec.

    >>> kernel_weight(ConvSpec(input_size=6, kernel_size=5), "laplacian")
    Traceback (most recent call last):
    convviz.errors.ConvVizError: kernel_size must be 3 for the 3 x 3 preset 'laplacian', got 5 x 5
    """
    array = _fitting(_kernel_array(spec, kernel), spec.weight_shape, spec.kernel_size,
                     spec.dims, "kernel", "kernel_size")
    return _shaped(array, spec.weight_shape, spec.dims, "kernel")


def _kernel_array(spec: ConvSpec, kernel) -> np.ndarray:
    """A kernel as given (preset name, text or values), as an array of its own shape."""
    if spec.weight_shape is None:
        raise ConvVizError(f"mode {spec.mode} has no weights: give no kernel, got {kernel!r}")
    if isinstance(kernel, str):
        name = preset_name(kernel)
        if name is not None:
            if spec.dims != 2:
                raise ConvVizError(f"the 3 x 3 preset {name!r} is for 2-D modes: give the "
                                   f"kernel's values, e.g. '1,0,-1', got mode {spec.mode}")
            if spec.kernel_size != (3, 3):
                raise ConvVizError(f"kernel_size must be 3 for the 3 x 3 preset {name!r}, "
                                   f"got {_size(spec.kernel_size)}")
            kernel = KERNEL_PRESETS[name]
        elif re.search(r"[a-zA-Z_]{2,}", kernel):
            raise ConvVizError(f"kernel must be one of {', '.join(KERNEL_PRESETS)} or rows "
                               f"like '1,0,-1;2,0,-2;1,0,-1', got {_short(kernel)}")
        else:
            kernel = parse_kernel(kernel)
    return _numeric(kernel, "kernel")


def check_kernel(spec: ConvSpec, kernel) -> None:
    """Refuse what :func:`kernel_weight` refuses, without copying the kernel per channel."""
    _fitting(_kernel_array(spec, kernel), spec.weight_shape, spec.kernel_size, spec.dims,
             "kernel", "kernel_size")


def check_input(spec: ConvSpec, values) -> None:
    """Refuse what :func:`input_values` refuses, without copying the input per channel."""
    _fitting(_input_array(values), spec.input_shape[1:], spec.input_size, spec.dims, "input",
             "input_size")


def _input_array(values) -> np.ndarray:
    return parse_values(values) if isinstance(values, str) else _numeric(values, "input")


def input_values(spec: ConvSpec, values) -> np.ndarray:
    """The input of ``spec`` from text (see :func:`parse_values`) or an array.

    Parameters
    ----------
    values : str or array_like, shape (H, W) or (C_in, H, W)
        A 2-D input is used for every channel.

    Returns
    -------
    ndarray, shape (C_in, H, W)
    """
    array = _fitting(_input_array(values), spec.input_shape[1:], spec.input_size, spec.dims,
                     "input", "input_size")
    return _shaped(array, spec.input_shape[1:], spec.dims, "input")


def random_values(spec: ConvSpec, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Seeded small integers: input in :data:`INPUT_RANGE`, weights in :data:`KERNEL_RANGE`.

    The input is drawn first, so it does not change when only the kernel shape changes.

    Returns
    -------
    x : ndarray, shape (C_in, H, W) or (C_in, L), int64
    weight : ndarray, shape spec.weight_shape, int64; None for pooling

    >>> x, w = random_values(ConvSpec(input_size=3, kernel_size=2), seed=1)
    >>> x.shape, w.shape, int(x.min()) >= 0, int(w.max()) <= 2
    ((1, 3, 3), (1, 1, 2, 2), True, True)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConvVizError(f"seed must be an int >= 0, got {seed!r}")
    check_bytes(8 * (math.prod(spec.input_shape) + math.prod(spec.weight_shape or ())),
                "random values for this spec")
    rng = np.random.default_rng(int(seed))
    x = rng.integers(INPUT_RANGE[0], INPUT_RANGE[1] + 1, size=spec.input_shape[1:])
    if spec.weight_shape is None:
        return x.astype(np.int64), None
    weight = rng.integers(KERNEL_RANGE[0], KERNEL_RANGE[1] + 1, size=spec.weight_shape)
    return x.astype(np.int64), weight.astype(np.int64)


def values_for(spec: ConvSpec, *, seed: int = 0, kernel=None,
               input=None) -> tuple[np.ndarray, np.ndarray]:
    """Input and weight of ``spec``: seeded random values where ``kernel``/``input`` is None.

    Parameters
    ----------
    seed : int, the seed of :func:`random_values`
    kernel : see :func:`kernel_weight`, optional
    input : see :func:`input_values`, optional

    Returns
    -------
    x : ndarray, shape (C_in, H, W)
    weight : ndarray, shape spec.weight_shape
    """
    x, weight = random_values(spec, seed)
    if kernel is not None:
        weight = kernel_weight(spec, kernel)
    if input is not None:
        x = input_values(spec, input)
    return x, weight
