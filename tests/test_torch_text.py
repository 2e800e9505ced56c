"""convviz.ops.torch_text: pasted PyTorch read with ast, bound to PyTorch's signatures, and
never run; every line convviz writes back builds the same layer in PyTorch."""
from __future__ import annotations

import ast
import builtins
import os
import subprocess
from pathlib import Path

import pytest

from convviz import ConvVizError
from convviz.ops.stack_text import parse_stack
from convviz.ops.torch_text import MAX_TEXT_CHARS, torch_layers

SOURCE = Path(__file__).resolve().parent.parent / "convviz" / "ops" / "torch_text.py"


def texts(text: str) -> list[str]:
    return [layer.text() for layer in torch_layers(text)]


def test_the_issue_example_works():
    stack = parse_stack("nn.Conv2d(3, 8, 3, padding=1)", input_size=32)
    assert stack.in_channels == 3 and stack.output_size == (32, 32)
    assert stack.torch_lines() == ("nn.Conv2d(3, 8, kernel_size=3, padding=1)",)


@pytest.mark.parametrize("text, expected", [
    ("nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)", ["conv k3 s2 p1 c16"]),
    ("torch.nn.Conv2d(3, 16, (3, 5), bias=False)", ["conv k3,5 c16 nobias"]),
    ("Conv2d(3, 16, 3, padding='same', padding_mode='reflect')",
     ["conv k3 p=same c16 pm=reflect"]),
    ("nn.MaxPool2d(2)", ["maxpool k2"]),
    ("nn.MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)",
     ["maxpool k3 s2 p1 ceil"]),
    ("nn.AvgPool2d(3, 1, 1, count_include_pad=False, divisor_override=4)",
     ["avgpool k3 s1 p1 cip=0 div4"]),
    ("nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, output_padding=1)",
     ["transposed k4 s2 p1 a1 c8"]),
    ("nn.ReLU(inplace=True)", ["relu"]),
    ("nn.BatchNorm2d(16, eps=1e-5, momentum=0.1)", ["batchnorm"]),
    ("nn.GroupNorm(4, 16)", ["groupnorm g4"]),
    ("nn.InstanceNorm2d(8, affine=True)", ["instancenorm affine=1"]),
    ("nn.Dropout2d(p=0.25)", ["dropout2d"]),
    ("nn.LeakyReLU(-0.2)", ["leakyrelu"]),
    ("nn.Identity()", ["identity"]),
])
def test_each_module_reads_as_its_layer(text, expected):
    assert texts(text) == expected


def test_containers_lists_assignments_and_imports():
    text = """
import torch
from torch import nn
from collections import OrderedDict

features = nn.Sequential(
    nn.Conv2d(3, 64, kernel_size=3, padding=1),
    nn.ReLU(inplace=True),
    nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU()),
    nn.MaxPool2d(kernel_size=2, stride=2),
)
self.more = nn.ModuleList([nn.Conv2d(64, 128, 3), nn.ReLU()])
named: nn.Module = nn.Sequential(OrderedDict([("pool", nn.AvgPool2d(2)), ("act", nn.GELU())]))
nn.Conv2d(128, 128, 1),
"""
    assert texts(text) == ["conv k3 p1 c64", "relu", "conv k3 p1 c64", "relu",
                           "maxpool k2 s2", "conv k3 c128", "relu", "avgpool k2", "gelu",
                           "conv k1 c128"]


def test_what_print_model_writes_reads_back(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64),
                          nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1),
                          nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU()))
    stack = parse_stack(str(model), input_size=224)
    assert stack.to_text() == ("conv k7 s2 p3 c64 nobias; batchnorm; relu; maxpool k3 s2 p1; "
                               "conv k3 p1 c64; relu")
    assert stack.output_size == tuple(model(torch.zeros(1, 3, 224, 224)).shape[2:])


def test_a_printed_module_with_its_own_forward_is_refused():
    printed = "Net(\n  (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))\n)"
    with pytest.raises(ConvVizError, match=r"Net\(\.\.\.\) is a module whose forward"):
        torch_layers(printed)


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('x')", r"not understood: __import__\('os'\)\.system\('x'\) is not "
                                     r"a torch\.nn layer"),
    ("os.system('rm -rf /')", r"os\.system\('rm -rf /'\) is not a torch\.nn layer"),
    ("nn.Conv2d(3, 8, k)", r"kernel_size=k in nn\.Conv2d: write the number itself"),
    ("nn.Conv2d(3, 8, 1 + 2)", r"kernel_size=1 \+ 2 in nn\.Conv2d"),
    ("nn.Conv2d(3, 8, *sizes)", r"no \* or \*\*"),
    ("nn.Conv2d(3, 8, **options)", r"no \* or \*\*"),
    ("nn.Conv2d(3, 8)", r"nn\.Conv2d needs kernel_size"),
    ("nn.Conv2d(3, 8, 3, strides=2)", r"nn\.Conv2d has no argument 'strides'"),
    ("nn.Conv2d(3, 8, 3, 1, 0, 1, 1, True, 'zeros', None, None, 7)",
     r"at most 11 positional arguments, got 12"),
    ("nn.Conv2d(3, 8, 3, stride=1, stride=2)", r"nn\.Conv2d got stride twice"),
    ("nn.MaxPool2d(2, kernel_size=2)", r"got kernel_size twice"),
    ("nn.Linear(512, 10)", r"nn\.Linear has no place in a stack: it leaves the 2-D map"),
    ("nn.Conv1d(1, 1, 3)", r"a stack is 2-D layers"),
    ("nn.Upsample(scale_factor=2)", r"not an operation convviz computes"),
    ("nn.Foo(3)", r"Foo is not a layer convviz knows"),
    ("def f(): pass", r"def f\(\): pass is not a torch\.nn layer"),
    ("import os\nnn.ReLU()", r"import os is not a torch\.nn layer"),
    ("nn.Conv2d(3, 8, 3", r"not Python"),
    ("nn.Conv2d(3, 8, 3, bias=2)", r"bias of nn\.Conv2d must be True or False, got 2"),
    ("nn.Conv2d(3, 8, 1j)", r"write the number itself"),
    ("[x for x in nn.ReLU()]", r"is not a torch\.nn layer"),
    ("(" * 300 + ")" * 300, r"not understood"),
    ("nn.Conv2d(3, 8, 3)\x00", r"not understood"),
])
def test_anything_else_is_refused_in_one_line_that_quotes_it(text, message):
    with pytest.raises(ConvVizError, match=message) as error:
        parse_stack(text)
    assert "\n" not in str(error.value)


def test_huge_texts_are_refused_before_they_are_parsed():
    with pytest.raises(ConvVizError, match=f"at most {MAX_TEXT_CHARS:,} characters"):
        parse_stack("nn.ReLU(), " * 3000)


PAYLOADS = [
    "__import__('os').system('touch {mark}')",
    "open(r'{mark}', 'w').write('x')",
    "nn.Conv2d(3, 8, __import__('os').system('touch {mark}'))",
    "nn.Sequential(exec(\"open(r'{mark}', 'w')\"))",
    "eval(\"open(r'{mark}', 'w')\")",
    "nn.Conv2d(3, 8, 3, padding=(lambda: open(r'{mark}', 'w'))())",
    "x = __import__('subprocess').run(['touch', r'{mark}'])",
    "[nn.ReLU(), __import__('pathlib').Path(r'{mark}').touch()]",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pasted_code_is_refused_and_runs_nothing(payload, tmp_path, monkeypatch):
    mark = tmp_path / "ran"
    calls = []

    def record(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the pasted text ran")
    for module, name in ((os, "system"), (subprocess, "Popen"), (builtins, "eval"),
                         (builtins, "exec"), (builtins, "open")):
        monkeypatch.setattr(module, name, record)
    with pytest.raises(ConvVizError, match="not understood"):
        parse_stack(payload.format(mark=mark))
    monkeypatch.undo()
    assert not mark.exists() and calls == []


def test_the_reader_never_evaluates_compiles_or_imports_what_it_reads():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    names = {func.id for func in calls if isinstance(func, ast.Name)}
    methods = {func.attr for func in calls if isinstance(func, ast.Attribute)}
    assert not names & {"eval", "exec", "compile", "__import__", "getattr"}
    assert not methods & {"import_module", "literal_eval", "run_path", "system"}
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    assert imported == {"ast", "re"}
