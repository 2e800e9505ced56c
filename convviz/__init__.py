"""convviz: convolution arithmetic, computed with NumPy and drawn like conv_arithmetic.

>>> import convviz
>>> convviz.ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1).output_size
(3, 3)
"""
from .engine import conv2d, conv_transpose2d
from .errors import ConvVizError
from .formula import Formula, output_formula
from .geometry import Grid, ScatterStep, Step, grid, layout, scatter
from .spec import MODES, ConvSpec

__all__ = [
    "MODES",
    "ConvSpec",
    "ConvVizError",
    "Formula",
    "Grid",
    "ScatterStep",
    "Step",
    "conv2d",
    "conv_transpose2d",
    "grid",
    "layout",
    "output_formula",
    "scatter",
]
__version__ = "0.1.0"
