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

import re
from types import MappingProxyType

import numpy as np

from .errors import ConvVizError
from .ops.spec import ConvSpec
from .text import MINUS

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


def _numeric(values, name: str) -> np.ndarray:
    """``values`` as a finite float or (all whole numbers) int64 array, or a ConvVizError."""
    try:
        array = np.array(values, dtype=np.float64)              # a copy: figures keep theirs
    except (TypeError, ValueError):
        raise ConvVizError(f"{name} must hold numbers only, got {values!r}") from None
    if not np.isfinite(array).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ConvVizError(f"{name} must hold finite numbers, got an empty, nan or inf value "
                           f"at {list(where)}")
    return array.astype(np.int64) if (array == np.round(array)).all() else array


def _parse_rows(text: str, name: str) -> np.ndarray:
    """Rows split by ';' or newlines, columns by ',' or spaces, as a 2-D numeric array."""
    if not isinstance(text, str):
        raise ConvVizError(f"{name} must be text like '1,0,-1;2,0,-2', got {text!r}")
    lines = [line.strip() for line in re.split(r"[;\n]", text.replace(MINUS, "-"))]
    rows = [[cell for cell in re.split(r"[,\s]+", line) if cell] for line in lines if line]
    if not rows:
        raise ConvVizError(f"{name} must have at least one row like '1,0,-1', got {text!r}")
    for i, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ConvVizError(f"{name} rows must have equal lengths, but row 1 has "
                               f"{len(rows[0])} values and row {i + 1} has {len(row)}")
        for cell in row:
            try:
                float(cell)
            except ValueError:
                raise ConvVizError(f"{name} must hold numbers only, got {cell!r} in row "
                                   f"{i + 1}") from None
    return _numeric([[float(cell) for cell in row] for row in rows], name)


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
    array = _numeric(rows, "kernel").astype(np.float64)
    return ";".join(",".join(str(int(v)) if v == int(v) else repr(v) for v in row)
                    for row in array.tolist())


def parse_values(text: str) -> np.ndarray:
    """An input written as rows, like :func:`parse_kernel`: ``"1,2,3;4,5,6"``.

    Returns
    -------
    ndarray, shape (H, W), int64 when every value is a whole number, else float64
    """
    return _parse_rows(text, "input")


def _size(pair: tuple[int, ...]) -> str:
    return f"{pair[0]} x {pair[1]}"


def _shaped(array: np.ndarray, shape: tuple[int, ...], plane: tuple[int, int], dims: int,
            name: str, size: str) -> np.ndarray:
    """``array`` with ``shape``: one ``plane`` ``(H, W)`` (one row ``(1, L)`` in 1-D) is copied
    to every leading index."""
    if array.shape == plane:
        return np.broadcast_to(array.reshape(shape[-dims:]), shape).copy()
    if array.shape != shape:
        what, given = ((_size(plane), _size(plane)) if dims == 2 else
                       (f"one row of {plane[1]} values", str(plane[1])))
        raise ConvVizError(f"{name} must be {what} for {size} {given} (or have shape {shape}), "
                           f"got shape {array.shape}")
    return array


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
                               f"like '1,0,-1;2,0,-2;1,0,-1', got {kernel!r}")
        else:
            kernel = parse_kernel(kernel)
    return _shaped(_numeric(kernel, "kernel"), spec.weight_shape, spec.kernel_size, spec.dims,
                   "kernel", "kernel_size")


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
    array = parse_values(values) if isinstance(values, str) else _numeric(values, "input")
    return _shaped(array, spec.input_shape[1:], spec.input_size, spec.dims, "input",
                   "input_size")


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
