"""PyTorch layers pasted as text, read with :mod:`ast`: parsed into a syntax tree and read, never
run (nothing in the text is called, imported or evaluated).

It takes ``nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)``, ``nn.ConvTranspose2d``,
``nn.MaxPool2d``, ``nn.AvgPool2d`` and shape-preserving layers (``nn.ReLU()``,
``nn.BatchNorm2d(16)``, ...), written ``nn.X``, ``torch.nn.X`` or ``X``: one per line or
separated by commas, inside ``nn.Sequential(...)`` (nested too), lists, ``nn.ModuleList``,
``OrderedDict([("conv", ...), ...])``, in assignments (``self.conv1 = nn.Conv2d(...)``), after
``import torch`` lines, and as ``print(model)`` writes a Sequential (``(0): Conv2d(3, 64,
kernel_size=(3, 3), ...)``). Arguments are bound to PyTorch's signatures and must be written
out: numbers, strings, True/False/None, tuples. Anything else is refused with one line that
quotes what was not understood.

>>> [layer.text() for layer in torch_layers("nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), "
...                                         "nn.ReLU(), nn.MaxPool2d(2))")]
['conv k3 p1 c8', 'relu', 'maxpool k2']
>>> torch_layers("__import__('os').system('x')")
Traceback (most recent call last):
convviz.errors.ConvVizError: not understood: __import__('os').system('x') is not a torch.nn \
layer (a stack takes nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d and \
shape-preserving layers such as nn.ReLU)
"""
from __future__ import annotations

import ast
import re

from ..errors import ConvVizError
from .stack import AFFINE, SHAPE_PRESERVING, Layer

MAX_TEXT_CHARS = 20_000
"""Longest text read as a stack."""
SIGNATURES = {
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode", "device", "dtype"),
    "ConvTranspose2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                        "output_padding", "groups", "bias", "dilation", "padding_mode",
                        "device", "dtype"),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "AvgPool2d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                  "divisor_override"),
}
"""PyTorch's arguments of each spatial module, in order (the first ``REQUIRED`` needed)."""
REQUIRED = {"Conv2d": 3, "ConvTranspose2d": 3, "MaxPool2d": 1, "AvgPool2d": 1}
MODES = {"Conv2d": "conv", "ConvTranspose2d": "transposed", "MaxPool2d": "maxpool",
         "AvgPool2d": "avgpool"}
_NORM = ("num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype",
         "bias")
SHAPE_SIGNATURES = {
    "BatchNorm2d": _NORM, "InstanceNorm2d": _NORM,
    "GroupNorm": ("num_groups", "num_channels", "eps", "affine", "device", "dtype", "bias"),
    "PReLU": ("num_parameters", "init", "device", "dtype"),
    "LeakyReLU": ("negative_slope", "inplace"), "ELU": ("alpha", "inplace"),
    "CELU": ("alpha", "inplace"), "GELU": ("approximate",), "Softplus": ("beta", "threshold"),
    "Hardtanh": ("min_val", "max_val", "inplace"), "LocalResponseNorm": ("size", "alpha", "beta",
                                                                          "k"),
    "Dropout": ("p", "inplace"), "Dropout2d": ("p", "inplace"), "AlphaDropout": ("p", "inplace"),
    "Sigmoid": (), "Tanh": (), "Softmax2d": (),
}
"""Arguments of the shape-preserving modules that take more than ``inplace``."""
REQUIRED_SHAPE = {"BatchNorm2d": 1, "InstanceNorm2d": 1, "GroupNorm": 2}
ELSEWHERE = {
    **dict.fromkeys(("Linear", "Flatten", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
                     "LazyLinear"), "it leaves the 2-D map: paste the layers before it"),
    **dict.fromkeys(("Conv1d", "Conv3d", "MaxPool1d", "MaxPool3d", "AvgPool1d", "AvgPool3d",
                     "ConvTranspose1d", "ConvTranspose3d", "BatchNorm1d", "BatchNorm3d"),
                    "a stack is 2-D layers"),
    **dict.fromkeys(("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle",
                     "PixelUnshuffle", "ZeroPad2d", "ReflectionPad2d", "ReplicationPad2d",
                     "ConstantPad2d", "Fold", "Unfold", "FractionalMaxPool2d", "LPPool2d",
                     "MaxUnpool2d"), "it is not an operation convviz computes (a transposed "
                                     "convolution upsamples; a convolution's padding pads)"),
}
"""Modules that are refused with a reason of their own."""
CONTAINERS = ("Sequential", "ModuleList")
TAKES = ("a stack takes nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d and "
         "shape-preserving layers such as nn.ReLU")
_PREFIXES = ("", "nn.", "torch.nn.", "collections.")
_PRINTED = re.compile(r"^\s*\([\w.]+\):\s*", re.MULTILINE)      # print(model)'s "(0): "


def torch_layers(text: str) -> tuple[Layer, ...]:
    """The layers that PyTorch text describes, in order (see the module doc)."""
    if len(text) > MAX_TEXT_CHARS:
        raise ConvVizError(f"the stack's text must be at most {MAX_TEXT_CHARS:,} characters, "
                           f"got {len(text):,}")
    if _PRINTED.search(text):
        text = _from_printed(text)
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as error:
        raise ConvVizError(f"not understood: the text is not Python (line {error.lineno}: "
                           f"{error.msg}); {TAKES}") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise ConvVizError(f"not understood: the text cannot be read ({_one_line(error)})") \
            from None
    found = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) and _imports_torch(statement):
            continue
        value = statement.value if isinstance(statement, (ast.Expr, ast.Assign,
                                                           ast.AnnAssign)) else None
        if value is None:
            raise _refusal(text, statement)
        found += _modules(text, value)
    return tuple(found)


def _from_printed(text: str) -> str:
    """``print(model)``'s text as Python: one module a line; only Sequential containers."""
    lines = []
    for raw in text.splitlines():
        line = _PRINTED.sub("", raw).strip()
        if line.endswith("("):                            # a container opens
            if line[:-1].split(".")[-1] not in CONTAINERS:
                raise ConvVizError(f"not understood: {line[:-1]}(...) is a module whose "
                                   f"forward convviz cannot see: paste its layers in the order "
                                   f"forward runs them")
        elif line and line != ")":
            lines.append(line + ",")
    return "\n".join(lines)


def _imports_torch(statement: ast.Import | ast.ImportFrom) -> bool:
    names = [statement.module or ""] if isinstance(statement, ast.ImportFrom) else \
        [alias.name for alias in statement.names]
    return all(name.split(".")[0] in ("torch", "collections") for name in names)


def _one_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _quote(text: str, node: ast.AST) -> str:
    """The text of ``node`` on one line, shortened to 60 characters."""
    segment = " ".join((ast.get_source_segment(text, node) or ast.dump(node)).split())
    return segment if len(segment) <= 60 else segment[:59] + "…"


def _refusal(text: str, node: ast.AST) -> ConvVizError:
    return ConvVizError(f"not understood: {_quote(text, node)} is not a torch.nn layer ({TAKES})")


def _callee(node: ast.AST) -> str | None:
    """``Conv2d`` for ``nn.Conv2d``, ``torch.nn.Conv2d`` or ``Conv2d``; None for anything
    else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    dotted = ".".join([node.id, *reversed(parts)])
    name = dotted.rsplit(".", 1)[-1]
    return name if dotted[:len(dotted) - len(name)] in _PREFIXES else None


def _modules(text: str, node: ast.AST) -> list[Layer]:
    """The layers an expression holds: a module, a container of them, a list."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return [layer for item in node.elts for layer in _modules(text, item)]
    name = _callee(node.func) if isinstance(node, ast.Call) else None
    if name is None:
        raise _refusal(text, node)
    if name in CONTAINERS + ("OrderedDict",):
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise _refusal(text, node)
        items = node.args
        if name == "OrderedDict":                          # OrderedDict([("name", module)])
            pairs = [pair for arg in node.args for pair in
                     (arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg])]
            if not all(isinstance(pair, ast.Tuple) and len(pair.elts) == 2 for pair in pairs):
                raise _refusal(text, node)
            items = [pair.elts[1] for pair in pairs]
        return [layer for item in items for layer in _modules(text, item)]
    if name in ELSEWHERE:
        raise ConvVizError(f"not understood: nn.{name} has no place in a stack: {ELSEWHERE[name]}")
    if name in SIGNATURES:
        return [_spatial(name, _bind(text, node, name, SIGNATURES[name], REQUIRED[name]),
                         _quote(text, node))]
    if name in SHAPE_PRESERVING:
        signature = SHAPE_SIGNATURES.get(name, ("inplace",))
        values = {} if name == "Identity" else _bind(text, node, name, signature,
                                                     REQUIRED_SHAPE.get(name, 0))
        return [_shape_preserving(name, values, _quote(text, node))]
    raise ConvVizError(f"not understood: {name} is not a layer convviz knows ({TAKES})")


def _bind(text: str, call: ast.Call, name: str, params: tuple[str, ...],
          required: int) -> dict[str, object]:
    """The arguments of ``call`` by name, as Python binds them to ``params``."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or \
            any(keyword.arg is None for keyword in call.keywords):
        raise ConvVizError(f"not understood: {_quote(text, call)}: write {name}'s arguments out "
                           f"(no * or **)")
    if len(call.args) > len(params):
        raise ConvVizError(f"nn.{name} takes at most {len(params)} positional arguments, got "
                           f"{len(call.args)}: {_quote(text, call)}")
    values = {param: _literal(text, arg, name, param) for param, arg in zip(params, call.args)}
    for keyword in call.keywords:
        if keyword.arg not in params:
            raise ConvVizError(f"nn.{name} has no argument {keyword.arg!r} (it takes "
                               f"{', '.join(params)})")
        if keyword.arg in values:
            raise ConvVizError(f"nn.{name} got {keyword.arg} twice: {_quote(text, call)}")
        values[keyword.arg] = _literal(text, keyword.value, name, keyword.arg)
    missing = [param for param in params[:required] if param not in values]
    if missing:
        raise ConvVizError(f"nn.{name} needs {missing[0]}: {_quote(text, call)}")
    return values


def _literal(text: str, node: ast.AST, name: str, param: str) -> object:
    """A written-out argument: a number, a string, True/False/None, or a tuple of them."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal(text, item, name, param) for item in node.elts)
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    value = node.operand if negative else node
    if isinstance(value, ast.Constant) and (isinstance(value.value, (int, float, str))
                                            or value.value is None):
        if not negative:
            return value.value
        if isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            return -value.value
    raise ConvVizError(f"not understood: {param}={_quote(text, node)} in nn.{name}: write the "
                       f"number itself")


def _switch(value: object, name: str, param: str) -> bool:
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    raise ConvVizError(f"{param} of nn.{name} must be True or False, got {value!r}")


def _collapsed(value: object) -> object:
    """``(3, 3)`` as PyTorch's printout writes a size, as ``3``; other values as they are."""
    if isinstance(value, tuple) and value and all(v == value[0] for v in value) and \
            isinstance(value[0], int) and len(value) <= 2:
        return value[0]
    return value


def _spatial(name: str, values: dict, source: str) -> Layer:
    """The layer of a Conv2d, ConvTranspose2d, MaxPool2d or AvgPool2d call."""
    defaults = {"stride": None if "Pool" in name else 1, "padding": 0, "dilation": 1,
                "output_padding": 0, "groups": 1, "padding_mode": "zeros", "ceil_mode": False,
                "count_include_pad": True, "divisor_override": None}
    values = {param: _collapsed(value) for param, value in values.items()}
    fields = [("kernel_size", values["kernel_size"])]
    fields += [(param, value) for param, value in values.items()
               if param in defaults and value != defaults[param]]
    fields = [(param, _switch(value, name, param) if param in ("ceil_mode", "count_include_pad")
               else value) for param, value in fields]
    if "out_channels" in values:
        fields.append(("out_channels", values["out_channels"]))
    return Layer(MODES[name], tuple(fields), values.get("in_channels"),
                 _switch(values.get("bias", True), name, "bias"), source=source)


def _shape_preserving(name: str, values: dict, source: str) -> Layer:
    """The layer of a shape-preserving module: its channels and parameters, where it has any."""
    channels = values.get("num_channels", values.get("num_features"))
    fields, bias = [], True
    if name in AFFINE:
        affine = _switch(values.get("affine", AFFINE[name]), name, "affine")
        if affine != AFFINE[name]:
            fields.append(("affine", affine))
        bias = not affine or _switch(values.get("bias", True), name, "bias")   # affine's part
    if name == "GroupNorm":
        fields.append(("groups", values["num_groups"]))
    if name == "PReLU" and "num_parameters" in values:
        fields.append(("num_parameters", values["num_parameters"]))
    for number in (channels, *(value for field, value in fields if field != "affine")):
        if not isinstance(number, int) or isinstance(number, bool):
            if number is not None:
                raise ConvVizError(f"the channels of nn.{name} must be an int, got {number!r}")
    return Layer(name, tuple(fields), channels, bias, source=source)
