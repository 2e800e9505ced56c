"""The numbers a figure computes with: where they come from, and what the engine makes of them.

:class:`Numbers` (a seed, a kernel, an input; hashable) says where they come from;
:meth:`Numbers.sample` gives the :class:`Sample`: the input, each stage's weight and output,
computed by the engine with the spec's own arguments.

>>> Numbers(kernel="sobel_x").sample(ConvSpec(input_size=4)).output.shape
(1, 2, 2)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .errors import ConvVizError
from .ops import engine
from .ops.pool_conventions import pool
from .ops.spec import ConvSpec
from .values import INT64_LIMIT, KERNEL_RANGE, check_input, check_kernel, values_for

Table = tuple[tuple[float, ...], ...]
"""A kernel or an input as rows of numbers, hashable (what the app's grids hold)."""


@dataclass(frozen=True, eq=False)
class Sample:
    """The numbers of one configuration, computed by the engine (read-only arrays).

    Shapes are the engine's: a 1-D spec's input is ``(C_in, L)``.

    Attributes
    ----------
    spec : ConvSpec
    x : ndarray, shape (C_in, H, W), the input
    weights : tuple of ndarray, one per stage (:meth:`ConvSpec.stages`), each of shape
        that stage's ``weight_shape``; empty for pooling
    outputs : tuple of ndarray, one per stage, each ``(C_out, H_out, W_out)``
    indices : ndarray, shape (C_out, H_out, W_out), or None
        Max pooling: where each maximum is, as PyTorch's ``return_indices`` gives it (flat
        ``h*W + w`` in the input plane).
    """

    spec: ConvSpec
    x: np.ndarray
    weights: tuple[np.ndarray, ...]
    outputs: tuple[np.ndarray, ...]
    indices: np.ndarray | None = None

    @property
    def weight(self) -> np.ndarray | None:
        """The first stage's weight, ``spec.weight_shape``; None for pooling."""
        return self.weights[0] if self.weights else None

    @property
    def output(self) -> np.ndarray:
        """The last stage's output, ``(C_out, H_out, W_out)``."""
        return self.outputs[-1]


@dataclass(frozen=True)
class Numbers:
    """Where a figure's numbers come from: seeded random small integers, unless a kernel
    (preset name, rows, or a :data:`Table`) or an input is given. Hashable, so front ends
    cache on it; :meth:`sample` computes them for a spec."""

    seed: int = 0
    kernel: str | Table | None = None
    input: str | Table | None = None

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) \
                or self.seed < 0:
            raise ConvVizError(f"seed must be an int >= 0, got {self.seed!r}")

    def check(self, spec: ConvSpec) -> None:
        """Refuse a kernel or input that cannot be ``spec``'s (wrong size, not numbers)."""
        if self.kernel is not None:
            check_kernel(spec, self.kernel)
        if self.input is not None:
            check_input(spec, self.input)

    def sample(self, spec: ConvSpec) -> Sample:
        """The input, weights and outputs of ``spec`` with these numbers (cached)."""
        return compute(spec, self)


@lru_cache(maxsize=16)
def compute(spec: ConvSpec, numbers: Numbers) -> Sample:
    """The :class:`Sample` of ``spec`` with ``numbers`` (cached; :meth:`Numbers.sample`)."""
    x, weight = values_for(spec, seed=numbers.seed, kernel=numbers.kernel, input=numbers.input)
    if spec.operation.reduce != "sum":
        return _pooled(spec, x)
    x, weight = exact_dtype(x, weight)
    rng = np.random.default_rng([numbers.seed, 1])       # later stages' weights
    weights, outputs, inp = [weight], [], x
    for i, stage in enumerate(spec.stages()):
        if i:
            weights.append(rng.integers(KERNEL_RANGE[0], KERNEL_RANGE[1] + 1,
                                        size=stage.weight_shape).astype(np.int64))
        inp, weights[i] = exact_dtype(inp, weights[i])
        if stage.pre_pad:                     # pads PyTorch's padding cannot say: pad first
            inp = engine.pad(inp, stage.pre_pad)
        out = stage.operation.function(inp[None], weights[i], None, **stage.arguments())[0]
        outputs.append(out)                                       # (C_out, H_out, W_out)
        inp = out
    for array in (x, *weights, *outputs):
        array.setflags(write=False)
    return Sample(spec, x, tuple(weights), tuple(outputs))


def _pooled(spec: ConvSpec, x: np.ndarray) -> Sample:
    """The :class:`Sample` of a pooling spec: averages in float (PyTorch's integer average
    rounds toward zero), maxima with their indices; the convention's pads first, as
    :func:`~convviz.ops.pool_conventions.pool` applies them."""
    if spec.operation.reduce == "max":
        out, indices = pool(spec, x[None], return_indices=True)
        out, indices = out[0], indices[0]
        indices.setflags(write=False)
    else:
        x = x.astype(np.float64)
        out, indices = pool(spec, x[None])[0], None
    for array in (x, out):
        array.setflags(write=False)
    return Sample(spec, x, (), (out,), indices)


def exact_dtype(x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``weight`` in the one dtype the engine computes them in (it takes no mixed
    ones, as PyTorch): int64 while every sum of products stays inside int64's range, so the
    numbers come out exact, else float64 (which an int64 sum would wrap around).

    >>> [a.dtype.name for a in exact_dtype(np.array([3_000_000_000]), np.array([4_000_000_000]))]
    ['float64', 'float64']
    """
    if x.dtype == weight.dtype == np.int64:
        largest = max(abs(int(x.min(initial=0))), abs(int(x.max(initial=0))))
        heaviest = max(abs(int(weight.min(initial=0))), abs(int(weight.max(initial=0))))
        if largest * heaviest * weight.size < INT64_LIMIT:      # the most any sum can reach
            return x, weight
    return x.astype(np.float64, copy=False), weight.astype(np.float64, copy=False)
