"""Which input cells feed which output cells: the same relation as the steps' taps, the
scatter view's stamps, and the engine's (and PyTorch's) own dependence of y on x."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvVizError, conv2d, conv_transpose2d
from convviz.geometry import INPUT, layout, scatter
from convviz.links import links


def _random_spec(mode: str, rng: np.random.Generator) -> ConvSpec:
    fields = dict(mode=mode, input_size=tuple(rng.integers(1, 7, 2)),
                  kernel_size=tuple(rng.integers(1, 4, 2)), stride=tuple(rng.integers(1, 4, 2)),
                  padding=tuple(rng.integers(0, 4, 2)), dilation=tuple(rng.integers(1, 3, 2)))
    if mode == "transposed":
        fields["output_padding"] = tuple(rng.integers(0, 3, 2))
    else:
        fields["padding_mode"] = str(rng.choice(["zeros", "reflect", "replicate", "circular"]))
    return ConvSpec(**fields)


def _pairs(spec: ConvSpec) -> set:
    """Every (input cell, output cell) the links name."""
    found = links(spec)
    return {((r, c), out) for r in range(spec.input_size[0]) for c in range(spec.input_size[1])
            for out in found.feeds(r, c)}


def _engine_pairs(spec: ConvSpec, conv=None) -> set:
    """Every (input cell, output cell) whose output changes with that input: a one-hot input
    under an all-ones kernel (positive, so nothing cancels), through the engine or ``conv``."""
    pairs = set()
    for r in range(spec.input_size[0]):
        for c in range(spec.input_size[1]):
            x = np.zeros((1, 1, *spec.input_size))
            x[0, 0, r, c] = 1.0
            w = np.ones((1, 1, *spec.kernel_size))
            if conv is not None:
                y = conv(spec, x, w)
            elif spec.transposed:
                y = conv_transpose2d(x, w, None, spec.stride, spec.padding, spec.output_padding,
                                     1, spec.dilation)
            else:
                y = conv2d(x, w, None, spec.stride, spec.padding, spec.dilation,
                           padding_mode=spec.padding_mode)
            pairs |= {((r, c), (o, q)) for o, q in zip(*np.nonzero(y[0, 0] > 0.5))}
    return pairs


@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["conv", "transposed"]))
def test_links_are_what_the_engine_computes(seed, mode):
    """Padding modes (a padding copy of a cell feeds too), dilation, negative actual padding."""
    try:
        spec = _random_spec(mode, np.random.default_rng(seed))
    except ConvVizError:
        return
    assert _pairs(spec) == _engine_pairs(spec)


@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["conv", "transposed"]))
def test_links_are_the_steps_taps_and_count_the_padding(seed, mode):
    try:
        spec = _random_spec(mode, np.random.default_rng(seed))
    except ConvVizError:
        return
    found = links(spec)
    for step in layout(spec):
        real = step.kind == INPUT
        assert found.taps[step.out] == real.sum()
        if spec.padding_mode == "zeros":
            assert set(found.reads(*step.out)) == {tuple(s) for s in step.source[real].tolist()}


@given(seed=st.integers(0, 2**32 - 1))
def test_transposed_links_are_the_scatter_stamps(seed):
    try:
        spec = _random_spec("transposed", np.random.default_rng(seed))
    except ConvVizError:
        return
    stamps = {(step.source, tuple(out)) for step in scatter(spec) for out in step.out.tolist()}
    assert _pairs(spec) == stamps


def test_the_issue_cell_and_an_unread_one():
    spec = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
    assert links(spec).feeds(1, 1) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert links(spec).reads(1, 1) == [(r, c) for r in (1, 2, 3) for c in (1, 2, 3)]
    skipped = ConvSpec(input_size=6, kernel_size=3, stride=2)
    assert links(skipped).feeds(5, 0) == [] and skipped.unread() == ((5,), (5,))


def test_two_stages_compose():
    spec = ConvSpec(mode="separable", in_channels=2, out_channels=3, input_size=5)
    first, second = (links(s) for s in spec.stages())
    both = first.then(second)
    assert both.feeds(2, 2) == first.feeds(2, 2)          # pointwise: position to position
    assert both.taps.shape == spec.output_size


CASES = [  # one line per case: what PyTorch says y depends on
    ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1),
    ConvSpec(input_size=(5, 6), kernel_size=3, padding=2, padding_mode="reflect"),
    ConvSpec(input_size=6, kernel_size=2, padding=1, padding_mode="circular"),
    ConvSpec(mode="dilated", input_size=7, kernel_size=3, dilation=2, stride=2),
    ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1),
    ConvSpec(mode="transposed", input_size=3, kernel_size=2, stride=3, output_padding=1),
    ConvSpec(mode="transposed", input_size=4, kernel_size=3, stride=2, padding=3, dilation=2),
]


@pytest.mark.parametrize("spec", CASES, ids=lambda s: s.to_query())
def test_links_match_pytorch(torch, spec):
    functional = torch.nn.functional

    def conv(spec, x, w):
        x, w = torch.from_numpy(x), torch.from_numpy(w)
        if spec.transposed:
            return functional.conv_transpose2d(x, w, None, spec.stride, spec.padding,
                                               spec.output_padding, 1, spec.dilation).numpy()
        layer = torch.nn.Conv2d(1, 1, spec.kernel_size, spec.stride, spec.padding,
                                spec.dilation, bias=False, padding_mode=spec.padding_mode,
                                dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(w)
            return layer(x).numpy()
    assert _pairs(spec) == _engine_pairs(spec, conv)
