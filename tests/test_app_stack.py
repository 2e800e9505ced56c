"""The app's stack page (``/stack``), run headless with AppTest: presets, links, the text box
(short form and pasted PyTorch), the table, the cell picker, the zoom, and refusals without a
traceback. What only a browser shows is in tests/test_browser_stack.py."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "ui/stack_page.py"


def open_stack(query: dict[str, str] | None = None) -> AppTest:
    """The app opened at ``/stack?query`` (AppTest starts on the default page first)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key in list(at.query_params):
        del at.query_params[key]
    at.query_params.update(query or {})
    return at.switch_page(PAGE).run()


def link(at: AppTest) -> dict[str, str]:
    return {key: str(value) for key, value in at.query_params.items()}


def plain(text: str) -> str:
    """A message as a reader sees it: Markdown's bold and escapes removed."""
    return re.sub(r"\\(.)", r"\1", text.replace("**", ""))


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.stack_trace or e.value for e in at.exception]


def region_line(at: AppTest) -> str:
    return next(plain(m.value) for m in at.markdown if "depends on" in m.value
                or "reads only padding" in m.value)


def test_the_page_opens_on_the_resnet_stem():
    at = open_stack()
    assert_clean(at)
    assert at.selectbox(key="stack_preset").value == "resnet_stem"
    table = at.dataframe[0].value
    assert list(table["layer"]) == ["conv k7 s2 p3 c64 nobias", "batchnorm", "relu",
                                    "maxpool k3 s2 p1"]
    assert list(table["rf"])[-1] == "11" and list(table["jump"])[-1] == "4"
    assert list(table["output"])[-1] == "56 × 56"
    assert region_line(at) == "y[27,27] depends on x[103:114, 103:114]: 121 cells (field 11 × 11)"
    assert link(at) == {"stack": "conv k7 s2 p3 c64 nobias; batchnorm; relu; maxpool k3 s2 p1",
                        "n": "224", "cin": "3", "cell": "27,27"}
    assert 'data-frames="4"' in at.get("iframe")[0].proto.srcdoc


def test_a_link_holds_the_stack_the_cell_and_the_zoom():
    at = open_stack({"stack": "conv k3 p2 d2; conv k3 p2 d2", "n": "16", "cell": "8,8",
                     "zoom": "0"})
    assert_clean(at)
    assert at.text_area(key="stack_text").value == "conv k3 p2 d2; conv k3 p2 d2"
    assert (at.number_input(key="stack_row").value, at.number_input(key="stack_col").value) \
        == (8, 8)
    assert at.segmented_control(key="stack_zoom").value == "scale"
    assert region_line(at) == "y[8,8] depends on x[4:13, 4:13]: 25 cells, with holes " \
                              "(field 9 × 9)"
    assert link(at)["zoom"] == "0" and link(at)["cell"] == "8,8"


def test_a_broken_link_says_why_and_keeps_the_text_to_mend():
    at = open_stack({"stack": "conv k3; maxpool k9", "n": "8"})
    assert_clean(at)
    (error,) = [plain(e.value) for e in at.error]                 # said once
    assert error.startswith("This link cannot be shown: layer 2 (maxpool k9): kernel_size")
    assert at.text_area(key="stack_text").value == "conv k3; maxpool k9"


def test_presets_load_their_stack_input_and_channels():
    at = open_stack()
    at.selectbox(key="stack_preset").set_value("vgg_block").run()
    assert_clean(at)
    assert at.text_area(key="stack_text").value.startswith("conv k3 p1 c64; relu")
    assert (at.text_input(key="stack_n").value, at.number_input(key="stack_cin").value) == \
        ("32", 3)
    assert list(at.dataframe[0].value["output"])[-1] == "16 × 16"
    assert link(at)["n"] == "32" and link(at)["cell"] == "7,7"      # the middle of 16 × 16


def test_pasted_pytorch_takes_its_channels_from_its_first_layer():
    at = open_stack()
    at.text_area(key="stack_text").input("nn.Sequential(nn.Conv2d(1, 8, 3, padding=1),\n"
                                         "              nn.ReLU(), nn.MaxPool2d(2))").run()
    assert_clean(at)
    assert not at.error and at.number_input(key="stack_cin").value == 0
    assert at.selectbox(key="stack_preset").value == "custom"
    assert list(at.dataframe[0].value["PyTorch"]) == [
        "nn.Conv2d(1, 8, kernel_size=3, padding=1)", "nn.ReLU()", "nn.MaxPool2d(2)"]
    assert link(at)["stack"] == "conv k3 p1 c8; relu; maxpool k2" and "cin" not in link(at)


def test_code_is_refused_in_one_line_and_nothing_is_drawn(tmp_path):
    mark = tmp_path / "ran"
    at = open_stack()
    at.text_area(key="stack_text").input(f"__import__('os').system('touch {mark}')").run()
    assert_clean(at)
    (error,) = [plain(e.value) for e in at.error]
    assert error.startswith("This stack cannot work: not understood: __import__('os').system(")
    assert error.endswith("is not a torch.nn layer (a stack takes nn.Conv2d, nn.ConvTranspose2d, "
                          "nn.MaxPool2d, nn.AvgPool2d and shape-preserving layers such as "
                          "nn.ReLU).")
    assert not at.get("iframe") and not at.dataframe and not mark.exists()


def test_the_cell_picker_moves_the_field_and_the_link():
    at = open_stack({"stack": "conv k3 s2 p1; conv k3 s2 p1", "n": "32"})
    at.number_input(key="stack_row").set_value(0).run()
    at.number_input(key="stack_col").set_value(0).run()
    assert_clean(at)
    assert region_line(at) == "y[0,0] depends on x[0:4, 0:4]: 16 cells (field 7 × 7, " \
                              "clipped by the padding)"
    assert link(at)["cell"] == "0,0"
    at.text_area(key="stack_text").input("conv k3 s2 p1; conv k3 s2 p1; maxpool k2").run()
    assert_clean(at)
    assert link(at)["cell"] == "0,0"                           # still inside the 4 × 4 map
    at.number_input(key="stack_row").set_value(3).run()
    at.text_area(key="stack_text").input("conv k3 s2 p1; conv k3 s2 p1; maxpool k4").run()
    assert link(at)["cell"] == "0,0"                           # the 2 × 2 map's middle


def test_a_stack_too_deep_to_draw_keeps_its_table():
    at = open_stack({"stack": "; ".join(["conv k1"] * 11), "n": "4"})
    assert_clean(at)
    assert len(at.dataframe[0].value) == 11
    assert any("The figure cannot be drawn here" in plain(i.value) and "at most 10" in
               plain(i.value) for i in at.info)


def test_the_other_page_still_opens_first():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_clean(at)
    assert at.metric[0].value == "3 × 3"                       # the default figure's output
