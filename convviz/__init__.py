"""convviz: convolution arithmetic, computed with NumPy and drawn like conv_arithmetic.

>>> import convviz
>>> convviz.ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1).output_size
(3, 3)

The layers, lowest first (``docs/architecture.md``): :mod:`convviz.ops` (the operation
table, engine, reference loops, specs, formulas, counts), :mod:`convviz.geometry`,
:mod:`convviz.links` and :mod:`convviz.values` (cells and numbers), :mod:`convviz.figures`
(the figure interface, its registry and each kind of figure), then the outputs and entry
points: :mod:`convviz.views`, :mod:`convviz.export`, :mod:`convviz.player`,
:mod:`convviz.pages`, :mod:`convviz.gallery`, :mod:`convviz.cli`. Exercises (questions that
check answers, seeded sets, their links) are in :mod:`convviz.quiz`; worksheets of them in
:mod:`convviz.worksheet`.
"""
from .errors import ConvVizError
from .figures import Caption, Figure, Swatch, Target
from .gallery import PRESETS, Preset
from .geometry import Grid, ScatterStep, Step, grid, layout, scatter
from .links import Links, links
from .ops import (
    MODES,
    OPERATIONS,
    ConvSpec,
    Formula,
    Operation,
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv_transpose1d,
    conv_transpose2d,
    max_pool1d,
    max_pool2d,
    output_formula,
)
from .sample import Numbers, Sample
from .views import View

__all__ = [
    "MODES",
    "OPERATIONS",
    "PRESETS",
    "Caption",
    "ConvSpec",
    "ConvVizError",
    "Figure",
    "Formula",
    "Grid",
    "Links",
    "Numbers",
    "Operation",
    "Preset",
    "Sample",
    "ScatterStep",
    "Step",
    "Swatch",
    "Target",
    "View",
    "avg_pool1d",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "grid",
    "layout",
    "links",
    "max_pool1d",
    "max_pool2d",
    "output_formula",
    "scatter",
]
__version__ = "0.2.0"
