"""The app's controls: each ConvSpec field it offers, with its label, range and help.

The ranges are the app's, not convviz's (a ConvSpec takes any size): they keep every figure
legible on a page. A link outside them is refused with the range (:mod:`ui.link`).
"""
from __future__ import annotations

from dataclasses import dataclass

from convviz.ops.conventions import CONVENTIONS
from convviz.values import KERNEL_LABELS


@dataclass(frozen=True)
class Control:
    """One number control: ``symbol`` (the formula's, or the link's key), ``label``, the
    closed range ``lowest..highest`` and ``help``."""

    symbol: str
    label: str
    lowest: int
    highest: int
    help: str


CONTROLS = {
    "input_size": Control("n", "Input size n", 1, 16, "The input is n × n cells."),
    "kernel_size": Control("k", "Kernel size k", 1, 7, "The kernel is k × k weights."),
    "stride": Control("s", "Stride s", 1, 4, "How far the kernel moves per step. A transposed "
                      "convolution inserts s − 1 zeros between input cells instead."),
    "dilation": Control("d", "Dilation d", 1, 4, "Spacing of the kernel's taps (1: adjacent)."),
    "padding": Control("p", "Padding p", 0, 8, "PyTorch's padding: zeros around the input; "
                       "for a transposed convolution, what is cropped from the output."),
    "output_padding": Control("a", "Out. padding a", 0, 3, "Extra rows and columns at the "
                              "bottom/right of a transposed convolution's output (PyTorch's "
                              "output_padding)."),
}
"""The sizes: one control each, or one for H and one for W (keys ``<field>_h``, ``_w``)."""
LENGTHS = {
    "input_size": Control("n", "Input length n", 1, 16, "The sequence has n cells."),
    "kernel_size": Control("k", "Kernel length k", 1, 7, "The kernel has k weights (a pooling "
                           "window, k cells)."),
}
"""How a 1-D mode labels its sizes (same ranges and link keys)."""
CHANNELS = {
    "in_channels": Control("cin", "In channels", 1, 8, "Input channels C_in."),
    "out_channels": Control("cout", "Out channels", 1, 8, "Output channels C_out: one kernel "
                            "(of C_in/groups channels) each."),
    "groups": Control("groups", "Groups", 1, 8, "Channels split into this many groups, each "
                      "convolved on its own (C_in and C_out divisible by it)."),
}
"""The channel counts (ints)."""
SWITCHES = {
    "ceil_mode": Control("ceil", "Ceil mode", 0, 1, "Round the output size up: a last window "
                         "that hangs past the input counts, as long as it starts inside the "
                         "input or the left padding (PyTorch's ceil_mode)."),
    "count_include_pad": Control("cip", "Count padding", 0, 1, "Average pooling divides by "
                                 "every cell the window covers, padding included; off: by "
                                 "its input cells only (PyTorch's count_include_pad)."),
    "causal": Control("causal", "Causal padding", 0, 1, "All p padding cells go before the "
                      "sequence, none after: no output reads a later input (sequence models)."),
}
"""The on/off fields (bools), as toggles."""
DIVISOR = Control("div", "Divisor", 0, 16, "Divide every window's sum by this instead "
                  "(PyTorch's divisor_override); 0: the window's own count.")
"""Average pooling's divisor_override; 0 stands for None."""
ROWS = (("input_size", "kernel_size"), ("stride", "dilation"), ("padding", "pt"),
        ("output_padding", None))
"""The sidebar's sizes, two a row when square ("pt": the actual padding's slot)."""

FIGURES = {"classic": "Classic", "numbers": "Numbers"}
"""The figure styles (:data:`convviz.view.STYLES`) by their names on the page."""
SOURCE = ("conv_arithmetic (Dumoulin & Visin, A guide to convolution arithmetic for deep "
          "learning, arXiv:1603.07285)")
"""Where the classic figures and the formulas come from, as the page cites it."""
DEFAULT = "padding_strides"
"""The gallery figure a page without a configuration (or with a broken link) shows."""
CUSTOM = "custom"
RANDOM = "random"
KERNELS = {RANDOM: "Random (seeded)", **KERNEL_LABELS, CUSTOM: "Custom"}
"""Readable names of the kernel choices: random, convviz's presets, custom."""
MAX_SEED = 999_999


def kernel_label(name: str) -> str:
    """The readable name of a kernel choice (a preset without one: its name, spaced)."""
    return KERNELS.get(name, name.replace("_", " "))


PADDINGS = {"numbers": "Numbers", "same": "same", "valid": "valid"}
"""How a direct convolution's padding is given: cells, or a framework's "same" / "valid"."""
FRAMEWORKS = {name: rules.label for name, rules in CONVENTIONS.items()}
"""The conventions (:mod:`convviz.ops.conventions`) by their names on the page."""
