"""The operations: what each computes, what it accepts, its output size and its cost.

Layers, lowest first: :mod:`~convviz.ops.args` (int-or-pair arguments and range checks),
:mod:`~convviz.ops.shapes` (each op's checks and output-size formula),
:mod:`~convviz.ops.engine` (the fast NumPy ops) and :mod:`~convviz.ops.reference` (the same as
loops), :mod:`~convviz.ops.table` (one row per mode), :mod:`~convviz.ops.spec` (a validated
configuration), :mod:`~convviz.ops.formula` and :mod:`~convviz.ops.counts`. Nothing here
imports a figure.
"""
from .counts import Comparison, Counts, compare, count
from .engine import conv2d, conv_transpose2d
from .engine1d import conv1d, conv_transpose1d
from .formula import Formula, output_formula
from .pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .spec import ConvSpec
from .table import MODES, OPERATIONS, Operation

__all__ = ["MODES", "OPERATIONS", "Comparison", "ConvSpec", "Counts", "Formula", "Operation",
           "avg_pool1d", "avg_pool2d", "compare", "conv1d", "conv2d", "conv_transpose1d",
           "conv_transpose2d", "count", "max_pool1d", "max_pool2d", "output_formula"]
