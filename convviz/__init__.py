"""convviz: convolution arithmetic, computed with NumPy and drawn like conv_arithmetic.

>>> import convviz
>>> convviz.ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1).output_size
(3, 3)

The figures live in submodules: :mod:`convviz.views` (one entry point: a :class:`View`'s
frames, stills and files), :mod:`convviz.render` (classic), :mod:`convviz.channels`
(multi-channel), :mod:`convviz.numbers` (numbers), :mod:`convviz.figures` (vector stills),
:mod:`convviz.export` (GIF/MP4/PNG writers), :mod:`convviz.counts` (sizes).
"""
from .engine import conv2d, conv_transpose2d
from .errors import ConvVizError
from .formula import Formula, output_formula
from .gallery import PRESETS, Preset
from .geometry import Grid, ScatterStep, Step, grid, layout, scatter
from .spec import MODES, ConvSpec
from .views import View

__all__ = [
    "MODES",
    "PRESETS",
    "ConvSpec",
    "ConvVizError",
    "Formula",
    "Grid",
    "Preset",
    "ScatterStep",
    "Step",
    "View",
    "conv2d",
    "conv_transpose2d",
    "grid",
    "layout",
    "output_formula",
    "scatter",
]
__version__ = "0.1.0"
