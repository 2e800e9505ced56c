"""The PyTorch line that computes the configuration, its shapes and what the layer counts.

The page's ``y`` is computed without a bias, so the line says ``bias=False`` and the counts
are the weights; a note says what PyTorch's default bias would add. The layer is compared
with the one it is best compared with (:func:`convviz.ops.counts.counterpart`), named."""
from __future__ import annotations

import streamlit as st

from convviz import ConvSpec
from convviz.ops import counts


def _plural(count: int, word: str) -> str:
    """``"1 bias"``, ``"4 biases"``, ``"1 weight"``, ``"27 weights"``."""
    return f"{count:,} {word}" + ("" if count == 1 else "es" if word.endswith("s") else "s")


def pytorch(spec: ConvSpec) -> None:
    """The PyTorch line of ``spec`` with its input and output shapes, and its counts."""
    with st.container(key="torch"):
        _pytorch(spec)


def _pytorch(spec: ConvSpec) -> None:
    st.markdown("#### In PyTorch")
    shape = ", ".join(map(str, spec.input_shape))
    st.code(f"import torch\nfrom torch import nn\n\nlayer = {spec.torch_line(bias=False)}\n"
            f"y = layer(torch.randn({shape}))\n"
            f"y.shape  # torch.Size({list(spec.output_shape)})", language="python",
            wrap_lines=True)
    if not spec.operation.weights:
        sizes = counts.count(spec)
        st.caption(f"0 parameters: pooling has no weights to learn · {sizes.outputs:,} output "
                   f"values, each the {'largest' if spec.operation.reduce == 'max' else 'mean'} "
                   f"of its window")
        return
    own, biased = counts.count(spec, bias=False), counts.count(spec)
    st.caption(f"{_plural(own.weights, 'weight')} · {own.macs:,} multiply-adds, "
               f"{own.macs_per_output:.3g} per output value. PyTorch's default bias=True "
               f"adds {_plural(biased.biases, 'bias')} ({biased.parameters:,} parameters).")
    other = counts.counterpart(spec, bias=False)
    if other is not None:
        st.caption(f"Compared with {other.label}: {_plural(other.other.weights, 'weight')} "
                   f"and {other.other.macs:,} multiply-adds; this layer needs "
                   f"{other.weight_ratio:.0%} of its weights and {other.mac_ratio:.0%} of its "
                   f"multiply-adds.")
