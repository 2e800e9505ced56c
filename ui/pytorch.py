"""The PyTorch line that computes the configuration, its shapes and what the layer counts."""
from __future__ import annotations

import streamlit as st

from convviz import ConvSpec
from convviz.ops import counts


def pytorch(spec: ConvSpec) -> None:
    """The PyTorch line of ``spec`` with its input and output shapes, and its counts."""
    st.markdown("#### In PyTorch")
    shape = ", ".join(map(str, spec.input_shape))
    st.code(f"import torch\nfrom torch import nn\n\nlayer = {spec.torch_line()}\n"
            f"y = layer(torch.randn({shape}))\n"
            f"y.shape  # torch.Size({list(spec.output_shape)})", language="python",
            wrap_lines=True)
    sizes = counts.count(spec)
    if not spec.operation.weights:
        st.caption(f"0 parameters: pooling has no weights to learn · {sizes.outputs:,} output "
                   f"values, each the {'largest' if spec.operation.reduce == 'max' else 'mean'} "
                   f"of its window")
        return
    st.caption(f"{sizes.parameters:,} parameters ({sizes.weights:,} weights + {sizes.biases} "
               f"biases) · {sizes.macs:,} multiply-adds, {sizes.macs_per_output:.3g} per "
               f"output value")
    if spec.in_channels > 1 and not spec.transposed and not spec.operation.stages \
            and spec.dims == 2:
        comparison(spec)


def comparison(spec: ConvSpec) -> None:
    """What a depthwise-separable convolution of ``spec``'s sizes would need instead."""
    both = counts.compare(spec)
    st.caption(f"A depthwise-separable convolution of these sizes needs "
               f"{both.separable.weights:,} weights and {both.separable.macs:,} "
               f"multiply-adds: {both.weight_ratio:.0%} of the standard one's "
               f"{both.standard.weights:,} and {both.standard.macs:,}.")
