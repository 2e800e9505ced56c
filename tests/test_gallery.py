"""The named figures, and the gallery against the conv_arithmetic references."""
import importlib.util

import pytest

from convviz.cli import main
from convviz.gallery import PRESETS

REFERENCE_NAMES = [
    "arbitrary_padding_no_strides", "arbitrary_padding_no_strides_transposed", "dilation",
    "full_padding_no_strides", "full_padding_no_strides_transposed", "no_padding_no_strides",
    "no_padding_no_strides_transposed", "no_padding_strides", "no_padding_strides_transposed",
    "padding_strides", "padding_strides_odd", "padding_strides_odd_transposed",
    "padding_strides_transposed", "same_padding_no_strides",
    "same_padding_no_strides_transposed"]


def test_the_15_classic_presets_carry_the_reference_names():
    assert sorted(p.name for p in PRESETS.values() if p.classic) == REFERENCE_NAMES
    assert all(p.caption for p in PRESETS.values())


def test_gallery_passes_the_fidelity_tool(tmp_path, shared, capsys):
    tool = shared / "tools" / "fidelity.py"
    spec = importlib.util.spec_from_file_location("fidelity", tool)
    fidelity = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fidelity)
    assert main(["gallery", str(tmp_path)]) == 0
    capsys.readouterr()
    for name in REFERENCE_NAMES:
        ok, line = fidelity.compare(f"{name}.gif", tmp_path / f"{name}.gif", None)
        assert ok, line


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_a_valid_spec(name):
    assert min(PRESETS[name].spec.output_size) >= 1
