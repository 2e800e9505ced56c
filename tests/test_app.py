"""The Streamlit app, run headless with AppTest: presets, links, controls, values, errors,
downloads.

What only a browser shows (images load, downloads arrive, steps without a reload) is in
tests/test_browser.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from convviz import MODES, ConvSpec, View, views
from convviz.gallery import PRESETS
from convviz.text import format_number
from convviz.values import KERNEL_PRESETS

APP = str(Path(__file__).resolve().parent.parent / "app.py")

SEED_SIZES = {  # the output size the seed note states under each figure
    "no_padding_no_strides": 2, "arbitrary_padding_no_strides": 6,
    "same_padding_no_strides": 5, "full_padding_no_strides": 7, "no_padding_strides": 2,
    "padding_strides": 3, "padding_strides_odd": 3,
    "no_padding_no_strides_transposed": 4, "arbitrary_padding_no_strides_transposed": 5,
    "same_padding_no_strides_transposed": 5, "full_padding_no_strides_transposed": 5,
    "no_padding_strides_transposed": 5, "padding_strides_transposed": 5,
    "padding_strides_odd_transposed": 6, "dilation": 3,
    # the multi-channel figures
    "conv2d_3d": 3, "depthwise": 3, "grouped": 3, "pointwise": 5, "separable": 3,
}


def run(query: str = "") -> AppTest:
    """The app after its first run, opened with ``?query``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dict(parse_qsl(query)))
    return at.run()


def shown_size(at: AppTest) -> str:
    return at.metric[0].value


def link(at: AppTest) -> dict[str, str]:
    return {key: str(value) for key, value in at.query_params.items()}


def errors(at: AppTest) -> list[str]:
    """The st.error texts as a reader sees them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", error.value) for error in at.error]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def player_captions(at: AppTest) -> list[str]:
    """The step captions the page's player holds."""
    page = at.get("iframe")[0].proto.srcdoc
    return json.loads(re.search(r"const D = (\{.*\});\n", page).group(1))["captions"]


def captions(view: View) -> list[str]:
    """The step captions of ``view`` as the player writes them."""
    return [str(caption) for caption in views.captions(view)]


def grid(at: AppTest, name: str) -> list[list[str]]:
    """The numbers of the values panel's grid ``name`` (x, w or y), as written on the page."""
    table = next(m.value for m in at.markdown if f"<caption>{name}</caption>" in m.value)
    return [re.findall(r"<td>([^<]*)</td>", row) for row in table.split("<tr>")[1:]]


def edit(at: AppTest, key: str, cells: dict[tuple[int, int], float | None]) -> AppTest:
    """Type ``cells`` ((row, column): value) into the data editor ``key``, as a user does."""
    rows: dict[int, dict[str, float | None]] = {}
    for (row, col), value in cells.items():
        rows.setdefault(row, {})[str(col)] = value
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_default_page_shows_formula_size_torch_line_and_link():
    at = run()
    assert_clean(at)
    assert not at.error
    assert shown_size(at) == "3 × 3"
    assert any(latex.value.replace(" ", "").endswith("=3\n$$") for latex in at.latex)
    assert "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1, bias=False)" in at.code[0].value
    assert "torch.Size([1, 1, 3, 3])" in at.code[0].value
    assert link(at) == dict(parse_qsl(PRESETS["padding_strides"].spec.to_query()))


def test_the_picker_lists_every_seed_figure_by_its_caption():
    at = run()
    captions = at.selectbox(key="preset").options                 # as shown: the captions
    for name, preset in PRESETS.items():
        assert preset.caption in captions, name


@pytest.mark.parametrize("name", list(SEED_SIZES))
def test_every_preset_renders_and_shows_the_seed_output_size(name):
    at = run()
    at.selectbox(key="preset").set_value(name).run()
    assert_clean(at)
    assert not at.error
    size = SEED_SIZES[name]
    assert shown_size(at) == f"{size} × {size}"
    assert at.latex[-1].value.replace(" ", "").endswith(f"={size}\n$$")
    assert at.selectbox(key="preset").value == name
    spec = PRESETS[name].spec
    assert ConvSpec.from_query(link(at)) == spec                     # the link is the figure
    assert at.code[0].value.count(spec.torch_line(bias=False)) == 1
    assert at.radio(key="mode").value == spec.mode


@pytest.mark.parametrize("query", [
    "mode=transposed&n=3&k=3&s=2&p=1",
    "mode=transposed&n=3&k=3&s=2&p=1&op=1",
    "mode=dilated&n=7&k=3&s=1&p=0&d=2",
    "mode=conv&n=5,7&k=3&s=1,2&p=1,0",
    "mode=transposed&n=4,3&k=3,2&s=2&p=1,0&op=1,0",
])
def test_a_link_opens_its_configuration_and_round_trips(query):
    at = run(query)
    assert_clean(at)
    assert not at.error
    spec = ConvSpec.from_query(query)
    assert link(at) == dict(parse_qsl(spec.to_query()))
    assert shown_size(at) == f"{spec.output_size[0]} × {spec.output_size[1]}"
    assert at.toggle(key="nonsquare").value is (not spec.square)


def test_the_seed_actual_padding_shows_next_to_p():
    at = run("mode=transposed&n=5&k=3&s=1&p=1")
    assert at.number_input(key="pt").value == 1
    at.number_input(key="padding").set_value(2).run()
    assert_clean(at)
    assert at.number_input(key="pt").value == 0 and link(at)["p"] == "2"


def test_typing_p_t_sets_p_and_the_formula_and_the_link_follow_it():
    at = run("mode=transposed&n=3&k=3&s=2&p=1")
    assert any("p_t=1 \\cdot (3-1)-1=1" in latex.value for latex in at.latex)
    at.number_input(key="pt").set_value(2).run()                  # p = 1·(3−1) − 2 = 0
    assert_clean(at)
    assert at.number_input(key="padding").value == 0
    assert any("p=1 \\cdot (3-1)-2=0" in latex.value for latex in at.latex)
    assert link(at)["pt"] == "2" and "p" not in link(at)
    assert any("&pt=2" in code.value for code in at.code)           # the link to share
    assert shown_size(at) == "7 × 7"
    at.number_input(key="padding").set_value(1).run()             # typed p again
    assert_clean(at)
    assert at.number_input(key="pt").value == 1 and link(at)["p"] == "1"
    assert any("p_t=1 \\cdot (3-1)-1=1" in latex.value for latex in at.latex)


def test_a_non_square_p_t_is_typed_per_axis():
    at = run("mode=transposed&n=3,4&k=3&s=2&p=1,0")
    assert (at.number_input(key="pt_h").value, at.number_input(key="pt_w").value) == (1, 2)
    at.number_input(key="pt_w").set_value(1).run()
    assert_clean(at)
    assert at.number_input(key="padding_w").value == 1 and link(at)["pt"] == "1"


def test_changing_a_control_updates_formula_and_link():
    at = run("mode=transposed&n=3&k=3&s=2&p=1")
    at.number_input(key="stride").increment().run()
    assert_clean(at)
    assert shown_size(at) == "7 × 7"
    assert at.latex[-1].value.replace(" ", "").endswith("=7\n$$")
    assert link(at) == {"mode": "transposed", "n": "3", "k": "3", "s": "3", "p": "1"}
    assert at.selectbox(key="preset").value == "custom"


def test_non_square_toggle_keeps_the_values_then_splits_the_axes():
    at = run("mode=conv&n=5&k=3&s=2&p=1")
    at.toggle(key="nonsquare").set_value(True).run()
    assert_clean(at)
    assert at.number_input(key="input_size_h").value == at.number_input(key="input_size_w").value
    assert link(at)["n"] == "5"
    at.number_input(key="input_size_w").set_value(7).run()
    assert shown_size(at) == "3 × 4"
    assert link(at)["n"] == "5,7"
    assert len(at.latex) == 3                                     # symbolic, m_H, m_W
    at.toggle(key="nonsquare").set_value(False).run()
    assert link(at)["n"] == "5" and shown_size(at) == "3 × 3"


def test_multi_channel_modes_start_from_their_figure_and_count_the_layer():
    at = run()
    at.radio(key="mode").set_value("pointwise").run()
    assert_clean(at)
    keys = {widget.key for widget in at.sidebar.number_input}
    assert "kernel_size" not in keys and "padding" not in keys      # a 1 x 1 kernel: fixed
    assert (link(at)["cin"], link(at)["cout"], link(at)["k"]) == ("3", "2", "1")
    at.radio(key="mode").set_value("grouped").run()
    assert at.number_input(key="groups").value == 2
    assert (link(at)["cin"], link(at)["cout"], link(at)["groups"]) == ("4", "4", "2")
    captions = " ".join(caption.value for caption in at.caption)
    assert "Compared with a standard convolution (groups = 1) of these sizes" in captions
    at.number_input(key="in_channels").set_value(2).run()
    at.number_input(key="out_channels").set_value(2).run()
    at.radio(key="mode").set_value("conv").run()                    # the user's cin, cout stay
    assert (link(at)["cin"], link(at)["cout"]) == ("2", "2")
    captions = " ".join(caption.value for caption in at.caption)
    assert "Compared with a depthwise-separable convolution" in captions
    assert "1 bias" not in captions and "2 biases" in captions


def test_dilated_mode_starts_at_dilation_two_and_refuses_one():
    at = run()
    at.radio(key="mode").set_value("dilated").run()
    assert at.number_input(key="dilation").value == 2
    assert at.number_input(key="dilation").min == 2                 # the table's minimum
    assert link(at)["mode"] == "dilated" and link(at)["d"] == "2"
    bad = run("mode=dilated&n=7&k=3&s=1&p=0&d=1")
    assert "dilation must be >= 2 for dilated, got 1" in errors(bad)[0]


def test_clicking_through_the_modes_leaves_nothing_stale():
    """The issue's walk: from the default through every mode and back to convolution."""
    at = run()
    seen = {}
    for mode in ["transposed", "dilated", "depthwise", "grouped", "pointwise", "separable",
                 "conv"]:
        at.radio(key="mode").set_value(mode).run()
        assert_clean(at)
        assert not at.error, (mode, errors(at))
        seen[mode] = ConvSpec.from_query(link(at))
    assert seen["pointwise"].padding == (0, 0) and seen["pointwise"].dilation == (1, 1)
    assert seen["pointwise"].stride == (2, 2)                 # the page's stride: it uses it
    assert seen["separable"].kernel_size == (3, 3)
    assert seen["depthwise"].dilation == (1, 1)               # dilated's d = 2 went back
    assert seen["dilated"].dilation == (2, 2)
    assert (seen["conv"].in_channels, seen["conv"].out_channels) == (1, 1)
    assert seen["conv"].kernel_size == (3, 3) and seen["conv"].dilation == (1, 1)
    assert seen["conv"].padding == (0, 0)                     # pointwise had none to keep


def test_a_value_carries_over_where_the_new_mode_uses_it():
    at = run()
    at.number_input(key="input_size").set_value(7).run()
    at.radio(key="mode").set_value("transposed").run()
    assert link(at)["n"] == "7"                                     # kept
    at.radio(key="mode").set_value("pointwise").run()
    assert link(at)["n"] == "7" and link(at)["k"] == "1" and link(at)["p"] == "0"
    assert (link(at)["cin"], link(at)["cout"]) == ("3", "2")        # its figure's channels


def test_a_link_still_sets_what_a_mode_does_not_offer():
    at = run("mode=pointwise&n=5&k=1&s=1&p=1&cin=3&cout=2")
    assert_clean(at)
    assert at.number_input(key="padding").value == 1                 # shown: it is set
    assert link(at)["p"] == "1"


@pytest.mark.parametrize("query, changes, message", [
    ("mode=conv&n=3&k=3&s=1&p=0", {"kernel_size": 5}, "kernel_size must be <= 3"),
    ("mode=transposed&n=3&k=3&s=2&p=1", {"output_padding": 2}, "output_padding must be <"),
    ("mode=transposed&n=3&k=3&s=2&p=1", {"padding": 4}, "padding must be <="),
])
def test_a_combination_that_cannot_work_shows_why_and_a_way_back(query, changes, message):
    at = run(query)
    for key, value in changes.items():
        at.number_input(key=key).set_value(value).run()
    assert_clean(at)
    assert len(errors(at)) == 1 and message in errors(at)[0]
    assert not at.metric                                         # no figure for a broken spec
    assert link(at) == dict(parse_qsl(query))                    # the link keeps the last good one
    at.button(key="restore").click().run()
    assert not at.error and link(at) == dict(parse_qsl(query))


@pytest.mark.parametrize("query, message", [
    ("mode=conv&n=3&k=5", "kernel_size must be <= 3"),
    ("n=abc", "input_size must be an int"),
    ("mode=sideways", "mode must be one of"),
    ("mode=conv&cin=9&cout=2", "cin must be in 1..8"),
    ("mode=conv&pm=reflect", "zero padding only"),
    ("mode=conv&n=40&k=3", "n must be in 1..16"),
    ("mode=conv&n=5&s=2&p=same", "PyTorch refuses 'same' for strided convolutions"),
])
def test_a_link_that_cannot_work_shows_why_and_the_default(query, message):
    at = run(query)
    assert_clean(at)
    assert len(errors(at)) == 1 and message in errors(at)[0]
    assert shown_size(at) == "3 × 3"                              # the default figure instead
    assert link(at) == dict(parse_qsl(PRESETS["padding_strides"].spec.to_query()))
    at.number_input(key="stride").increment().run()               # gone once the user acts
    assert not at.error


def test_too_many_steps_for_the_player_still_shows_the_formula():
    at = run("mode=conv&n=16&k=1&p=8")                            # 32 x 32 = 1024 steps
    assert_clean(at)
    assert shown_size(at) == "32 × 32"
    notice = player_captions(at)                                  # said in the figure's place
    assert len(notice) == 1 and "1024 steps" in notice[0] and "smaller input" in notice[0]
    assert not at.get("download_button")


def test_a_multi_channel_numbers_figure_is_drawn_or_says_why_in_its_place():
    at = run("mode=separable&n=5&k=3&s=1&p=0&cin=3&cout=4&style=numbers")
    assert_clean(at)
    shown = player_captions(at)
    assert len(shown) == 3 * 9 + 4 * 9 and shown[0].startswith("depthwise 3×3 stage: y[o=0")
    wide = run("mode=conv&n=12&k=3&s=1&p=1&cin=8&cout=8&style=numbers")
    assert_clean(wide)
    notice = player_captions(wide)
    assert len(notice) == 1 and "one panel per channel" in notice[0]
    assert "use the classic style" in notice[0]


def test_downloads_are_offered_and_the_still_step_follows_the_figure():
    at = run()
    keys = {button.key for button in at.get("download_button")}
    assert {"dl_gif", "dl_mp4", "dl_html", "dl_png", "dl_svg", "dl_pdf"} <= keys
    options = at.selectbox(key="still_step").options
    assert options == [f"Step {i} of 9: y[{r},{c}]" for i, (r, c) in
                       enumerate([(r, c) for r in range(3) for c in range(3)], start=1)]
    at.selectbox(key="still_step").set_value(8).run()
    at.number_input(key="input_size").set_value(3).run()             # 2 x 2: 4 steps
    assert_clean(at)
    assert len(at.selectbox(key="still_step").options) == 4


def test_the_numbers_figure_and_the_scatter_view_are_in_the_link():
    at = run("mode=transposed&n=3&k=3&s=2&p=1")
    at.segmented_control(key="figure").set_value("numbers").run()
    assert_clean(at)
    assert link(at)["style"] == "numbers" and "view" not in link(at)
    at.toggle(key="scatter").set_value(True).run()
    assert_clean(at)
    assert link(at) == {"mode": "transposed", "n": "3", "k": "3", "s": "2", "p": "1",
                        "style": "numbers", "view": "scatter"}
    assert at.selectbox(key="still_step").options[0].startswith("Step 1 of 9: x[0,0]")
    again = run("mode=transposed&n=3&k=3&s=2&p=1&style=numbers&view=scatter")
    assert_clean(again)
    assert again.segmented_control(key="figure").value == "numbers"
    assert again.toggle(key="scatter").value is True
    assert link(again) == link(at)
    buttons = {button.key: button.proto for button in again.get("download_button")}
    assert not any(buttons[key].disabled for key in ("dl_png", "dl_svg", "dl_pdf"))
    assert "pixels" not in buttons["dl_svg"].help                    # numbers are vectors


def test_multi_channel_stills_are_pixels_on_a_page_classic_ones_vectors():
    at = run("mode=depthwise&n=5&k=3&s=1&p=0&cin=3")
    assert_clean(at)
    buttons = {button.key: button.proto for button in at.get("download_button")}
    assert not buttons["dl_png"].disabled and not buttons["dl_pdf"].disabled
    assert "pixels" in buttons["dl_pdf"].help
    classic = {b.key: b.proto for b in run().get("download_button")}
    assert "pixels" not in classic["dl_pdf"].help                       # classic: a vector PDF


@pytest.mark.parametrize("query, message", [
    ("style=sketch", "style must be one of"),
    ("mode=conv&n=5&style=numbers&view=scatter", "scatter view shows a transposed"),
    ("view=sideways", "view must be one of slide, scatter"),
])
def test_a_link_with_a_bad_figure_style_shows_why(query, message):
    at = run(query)
    assert_clean(at)
    assert len(errors(at)) == 1 and message in errors(at)[0]


def test_no_configuration_raises_on_the_page():
    """Links across every mode, size, style and channel count: an answer or a reason."""
    rng = np.random.default_rng(0)
    for _ in range(40):
        mode = str(rng.choice(list(MODES)))
        query = {"mode": mode, "n": rng.integers(1, 17), "k": 1 if mode == "pointwise"
                 else rng.integers(1, 8), "s": rng.integers(1, 5), "p": rng.integers(0, 9),
                 "d": rng.integers(1, 5), "style": rng.choice(["classic", "numbers"])}
        if mode != "transposed" and rng.random() < 0.6:
            query |= {"cin": rng.integers(1, 9), "cout": rng.integers(1, 9)}
        if rng.random() < 0.5:          # pooling's and 1-D's switches, wherever they land
            query |= {"ceil": rng.integers(0, 2), "cip": rng.integers(0, 2),
                      "div": rng.integers(0, 5), "causal": rng.integers(0, 2)}
        at = run("&".join(f"{key}={value}" for key, value in query.items()))
        assert_clean(at)
        assert at.error or at.info or at.get("iframe"), query


# ---- values: the kernel choice, the seed, custom grids --------------------------------------
SMALL = "mode=conv&n=4&k=3&s=1&p=0"


def test_a_kernel_preset_changes_the_captions_numbers_and_the_link():
    at = run(SMALL)
    assert at.selectbox(key="kernel_choice").value == "random"
    random_captions = player_captions(at)
    assert random_captions == captions(View(ConvSpec.from_query(SMALL)))
    at.selectbox(key="kernel_choice").set_value("sobel_x").run()
    assert_clean(at)
    assert not at.error
    assert player_captions(at) == captions(View(ConvSpec.from_query(SMALL),
                                                kernel="sobel_x"))
    assert player_captions(at) != random_captions
    assert "·(−2)" in player_captions(at)[0]                            # Sobel's middle row
    assert link(at)["kernel"] == "sobel_x"
    assert grid(at, "w") == [[format_number(v) for v in row] for row in KERNEL_PRESETS["sobel_x"]]


def test_every_kernel_preset_is_offered_by_a_readable_name():
    at = run(SMALL)
    shown = at.selectbox(key="kernel_choice").options
    assert shown[0] == "Random (seeded)" and shown[-1] == "Custom"
    assert len(shown) == len(KERNEL_PRESETS) + 2 and "Sobel x" in shown
    assert not any("_" in option for option in shown)


def test_the_seed_changes_the_random_values_and_is_in_the_link():
    at = run(SMALL)
    before = player_captions(at)
    at.number_input(key="seed").set_value(7).run()
    assert_clean(at)
    assert link(at)["seed"] == "7"
    assert player_captions(at) == captions(View(ConvSpec.from_query(SMALL), seed=7))
    assert player_captions(at) != before


def test_a_custom_kernel_edited_in_the_grid_round_trips_through_the_link():
    at = run(SMALL)
    at.selectbox(key="kernel_choice").set_value("sobel_x").run()
    at.selectbox(key="kernel_choice").set_value("custom").run()          # starts from Sobel x
    assert_clean(at)
    grid = at.data_editor(key="kernel_grid").value.to_numpy()
    assert (grid == KERNEL_PRESETS["sobel_x"]).all()
    edit(at, "kernel_grid", {(1, 1): 5, (0, 0): 0.5})
    assert_clean(at)
    assert not at.error
    assert link(at)["kernel"] == "0.5,0,1;-2,5,2;-1,0,1"
    expected = View(ConvSpec.from_query(SMALL), kernel="0.5,0,1;-2,5,2;-1,0,1")
    assert player_captions(at) == captions(expected)
    again = run("&".join(f"{key}={value}" for key, value in link(at).items()))
    assert_clean(again)
    assert again.selectbox(key="kernel_choice").value == "custom"
    assert again.data_editor(key="kernel_grid").value.to_numpy().tolist() == [
        [0.5, 0, 1], [-2, 5, 2], [-1, 0, 1]]
    assert link(again) == link(at)
    assert player_captions(again) == player_captions(at)


def test_a_custom_input_edited_in_the_grid_is_in_the_link():
    at = run("mode=conv&n=3&k=2&s=1&p=0")
    at.toggle(key="custom_input").set_value(True).run()
    grid = at.data_editor(key="input_grid").value
    assert grid.shape == (3, 3)                                          # prefilled: x
    edit(at, "input_grid", {(0, 0): 9, (2, 2): -3})
    assert_clean(at)
    x = View.from_query(link(at))
    assert x.values.split(";")[0].split(",")[0] == "9" and x.values.endswith(",-3")
    assert player_captions(at) == captions(x)


def test_a_preset_that_does_not_fit_the_kernel_shows_why_and_draws_random_weights():
    at = run("mode=conv&n=6&k=5&s=1&p=0")
    at.selectbox(key="kernel_choice").set_value("laplacian").run()
    assert_clean(at)
    assert len(errors(at)) == 1
    assert "kernel_size must be 3 for the 3 x 3 preset 'laplacian', got 5 x 5" in errors(at)[0]
    assert at.get("iframe") and "kernel" not in link(at)                 # random weights
    at.number_input(key="kernel_size").set_value(3).run()                # now it fits
    assert not at.error and link(at)["kernel"] == "laplacian"


def test_an_empty_cell_in_a_custom_grid_shows_why():
    at = run(SMALL)
    at.selectbox(key="kernel_choice").set_value("custom").run()
    edit(at, "kernel_grid", {(2, 0): None})
    assert_clean(at)
    assert len(errors(at)) == 1 and "kernel must hold finite numbers" in errors(at)[0]
    assert "kernel" not in link(at)


def test_custom_grids_that_no_longer_fit_go_back_to_random_values():
    at = run(SMALL)
    at.selectbox(key="kernel_choice").set_value("custom").run()
    at.toggle(key="custom_input").set_value(True).run()
    assert {"kernel", "values"} <= link(at).keys()
    at.number_input(key="kernel_size").set_value(2).run()
    assert_clean(at)
    assert any("custom kernel does not fit a 2 × 2 kernel" in info.value for info in at.info)
    assert at.selectbox(key="kernel_choice").value == "random" and "kernel" not in link(at)
    assert "values" in link(at)                                          # the input still fits
    at.number_input(key="input_size").set_value(5).run()
    assert any("custom input does not fit a 5 × 5 input" in info.value for info in at.info)
    assert at.toggle(key="custom_input").value is False and "values" not in link(at)
    at.number_input(key="stride").increment().run()
    assert not at.info                                                   # said once


def test_custom_values_survive_a_combination_that_cannot_work():
    query = "mode=transposed&n=3&k=3&s=2&p=1"
    at = run(query)
    at.selectbox(key="kernel_choice").set_value("custom").run()
    edit(at, "kernel_grid", {(0, 0): 7})
    kernel = link(at)["kernel"]
    at.number_input(key="output_padding").set_value(2).run()              # cannot work
    assert len(errors(at)) == 1
    at.button(key="restore").click().run()
    assert_clean(at)
    assert link(at) == dict(parse_qsl(query)) | {"kernel": kernel}


def test_a_link_with_seed_kernel_and_values_restores_them():
    query = (f"{SMALL}&style=numbers&seed=4&kernel=gaussian"
             f"&values=1,2,3,4;5,6,7,8;9,8,7,6;5,4,3,2")
    at = run(query)
    assert_clean(at)
    assert not at.error
    assert at.selectbox(key="kernel_choice").value == "gaussian"
    assert at.number_input(key="seed").value == 4
    assert at.toggle(key="custom_input").value is True
    assert at.data_editor(key="input_grid").value.to_numpy().tolist()[2] == [9, 8, 7, 6]
    assert link(at) == dict(parse_qsl(query))
    assert player_captions(at) == captions(View.from_query(query))
    assert at.selectbox(key="still_step").options[0] == "Step 1 of 4: y[0,0]"


@pytest.mark.parametrize("query, message", [
    ("mode=conv&n=6&k=5&s=1&p=0&kernel=sobel_x", "kernel_size must be 3 for the 3 x 3"),
    (f"{SMALL}&kernel=blurry", "kernel must be one of identity"),
    (f"{SMALL}&kernel=1,2;3", "kernel rows must have equal lengths"),
    (f"{SMALL}&values=1,2;3,4", "input must be 4 x 4"),
    (f"{SMALL}&seed=-1", "seed must be an int >= 0"),
    (f"{SMALL}&seed=1000000", "seed must be in 0..999999"),
    ("mode=depthwise&n=5&k=3&cin=3&kernel=sobel_x", "seed, kernel and values for one channel"),
])
def test_a_link_with_values_that_cannot_work_shows_why(query, message):
    at = run(query)
    assert_clean(at)
    assert len(errors(at)) == 1 and message in errors(at)[0]
    assert link(at) == dict(parse_qsl(PRESETS["padding_strides"].spec.to_query()))


def test_multi_channel_modes_hide_the_values_and_keep_them_for_later():
    at = run(SMALL)
    at.selectbox(key="kernel_choice").set_value("sharpen").run()
    at.radio(key="mode").set_value("depthwise").run()
    assert_clean(at)
    assert "kernel_choice" not in {box.key for box in at.selectbox}
    assert "kernel" not in link(at)
    at.radio(key="mode").set_value("conv").run()
    at.number_input(key="in_channels").set_value(1).run()
    at.number_input(key="out_channels").set_value(1).run()
    assert at.selectbox(key="kernel_choice").value == "sharpen"
    assert link(at)["kernel"] == "sharpen"


# ---- hostile links (issue #17, rows 9-13) ---------------------------------------------------
def test_a_seed_that_is_not_ascii_digits_is_the_links_one_line_refusal():
    """Row 10: ``seed=²`` passed ``str.isdigit`` and ended in an exception box."""
    at = run("n=4&style=numbers&seed=²")
    assert_clean(at)
    assert errors(at) == ["**This link cannot be shown:** seed must be an int >= 0, got '²'. "
                          "Showing *Padding, strides* instead."]


def test_a_is_read_as_output_padding_as_the_formula_names_it():
    """Row 13: ``a`` (the formula's name) was dropped; the link key is ``op``."""
    at = run("mode=transposed&n=3&k=3&s=2&p=1&a=1")
    assert_clean(at)
    assert not at.error and shown_size(at) == "6 × 6" and link(at)["op"] == "1"


def test_sums_that_overflow_show_inf_and_nan():
    """Row 9: a kernel of 1e308 raised OverflowError / 'cannot convert float NaN'."""
    at = run("n=3&k=2&style=numbers&kernel=1e308,1e308;1e308,-1e308&values=1,2,3;4,5,6;7,8,9")
    assert_clean(at)
    assert not at.error
    shown = " ".join(player_captions(at))
    assert "∞" in shown or "nan" in shown
    at = run("n=3&k=2&style=numbers")
    at.selectbox(key="kernel_choice").set_value("custom").run()
    at = edit(at, "kernel_grid", {(0, 0): 1e308, (0, 1): -1e308, (1, 0): 1e308})
    assert_clean(at)
    assert any("∞" in c or "nan" in c for c in player_captions(at))


def test_a_link_longer_than_convviz_writes_is_refused_with_the_limit():
    """Row 11: a 178 KB link got the server's bare 'HTTP ERROR 400'. Links up to what the
    server takes reach the page, which states the limit (a longer one never reaches the app:
    docs/deploy.md has the proxy's page for it)."""
    at = run("n=4&values=" + "1," * 6500)
    assert_clean(at)
    assert errors(at) == ["**This link cannot be shown:** the link holds 13,011 characters; "
                          "convviz links hold at most 12,000 (the app never writes longer ones). "
                          "Showing *Padding, strides* instead."]


def test_the_longest_link_the_app_can_write_is_within_the_limit():
    """16 x 16 values, a 7 x 7 kernel and the image panel's 7 x 7 kernel, every number with
    all its digits: still a link the app takes."""
    from ui.link import MAX_LINK_CHARS
    from ui.pictures import Choice

    longest = tuple((-1.2345678901234567e-300,) * 16 for _ in range(16))
    kernel = tuple((-1.2345678901234567e-300,) * 7 for _ in range(7))
    spec = ConvSpec(mode="transposed", input_size=(16, 16), kernel_size=7, stride=1,
                    padding=(3, 3), dilation=1, output_padding=0)
    view = View(spec, style="numbers", scatter=True, seed=999_999, kernel=kernel,
                values=longest)
    image = Choice(name="chelsea", rgb=True, kernel=kernel, at=(999, 999), channel=2).query()
    query = view.to_query() + "".join(f"&{key}={value}" for key, value in image.items())
    assert 8_900 < len(query) <= MAX_LINK_CHARS


def test_the_widest_numbers_page_draws_without_growing_past_its_pixel_cap():
    """Row 12: 16 x 16 cells of -1234567.891 made 1629 x 3200 px frames (20 s a page)."""
    values = ";".join([",".join(["-1234567.891"] * 16)] * 16)
    at = run(f"n=16&k=1&style=numbers&values={values}&kernel=-0.000123")
    assert_clean(at)
    page = at.get("iframe")[0].proto.srcdoc
    width, height = (int(re.search(r'<canvas id="view" width="(\d+)" height="(\d+)"',
                                   page).group(i)) for i in (1, 2))
    assert max(width, height) <= 2048


# ---- classroom: colours, words, notes --------------------------------------------------------
def test_the_colour_blind_palette_is_a_toggle_and_a_link_key():
    at = run()
    assert at.toggle(key="palette_cb").value is False and "palette" not in link(at)
    at.toggle(key="palette_cb").set_value(True).run()
    assert_clean(at)
    assert link(at)["palette"] == "cb"
    again = run("mode=conv&n=5&k=3&s=2&p=1&palette=cb")
    assert again.toggle(key="palette_cb").value is True
    chips = " ".join(md.value for md in again.markdown if "chip" in md.value)
    assert "#0072b2" in chips and "class='dashed'" in chips and "class='bold'" in chips


def test_the_padding_line_runs_the_way_the_link_gave_it():
    typed_p = run("mode=transposed&n=3&k=3&s=2&p=1")
    assert any("p_t=1 \\cdot (3-1)-1=1" in latex.value for latex in typed_p.latex)
    typed_pt = run("mode=transposed&n=3&k=3&s=2&pt=1")
    assert any("p=1 \\cdot (3-1)-1=1" in latex.value for latex in typed_pt.latex)
    assert any("p=d \\cdot (k-1)-p_t" in latex.value for latex in typed_pt.latex)


def test_the_page_names_its_source_and_never_the_seed_note():
    at = run("mode=transposed&n=3&k=3&s=2&p=1")
    texts = " ".join([md.value for md in at.markdown] + [c.value for c in at.caption] +
                     [w.help or "" for w in at.sidebar.selectbox])
    assert "arXiv:1603.07285" in texts and "Dumoulin & Visin" in texts
    assert "seed note" not in texts.lower() and "seed's" not in texts.lower()


def test_stills_are_annotated_by_default_and_a_handout_is_offered():
    at = run()
    assert at.toggle(key="annotate_still").value is True
    assert at.toggle(key="annotate_animation").value is False
    keys = {button.key for button in at.get("download_button")}
    assert {"dl_png", "dl_svg", "dl_pdf", "dl_handout", "dl_gif", "dl_mp4"} <= keys
    assert at.segmented_control(key="paper").value == "a4"


def test_a_long_animation_is_prepared_with_a_progress_bar():
    at = run("mode=conv&n=16&k=3&s=1&p=1")                       # 256 steps of 800 px
    assert_clean(at)
    keys = {button.key for button in at.get("download_button")}
    assert "dl_mp4" not in keys and at.button(key="prepare_mp4")
    at.button(key="prepare_mp4").click().run()
    assert_clean(at)
    assert "dl_mp4" in {button.key for button in at.get("download_button")}


def test_the_scatter_view_says_what_it_does():
    at = run("mode=transposed&n=3&k=3&s=2&p=1&style=numbers&view=scatter")
    words = " ".join(caption.value for caption in at.caption)
    assert "adds its value times the kernel" in words and "draws flipped" not in words


# ---- framework conventions ----------------------------------------------------------------
ISSUE_LINK = "mode=conv&n=6&k=3&s=2&p=same&conv=tensorflow"


def test_a_convention_link_shows_its_code_its_pads_and_the_differences():
    at = run(ISSUE_LINK)
    assert_clean(at)
    assert shown_size(at) == "3 × 3" and link(at) == dict(parse_qsl(ISSUE_LINK))
    assert at.selectbox(key="convention").value == "tensorflow"
    assert at.segmented_control(key="padding_kind").value == "same"
    codes = [code.value for code in at.code]
    assert any("nn.ZeroPad2d((0, 1, 0, 1))" in code for code in codes)
    assert 'tf.keras.layers.Conv2D(1, kernel_size=3, strides=2, padding="same")' in codes
    assert any("top 0, bottom 1" in latex.value for latex in at.latex)
    table = next(h.proto.body for h in at.get("html") if "class='conventions'" in h.proto.body)
    lower = table.split("ONNX (SAME_LOWER)")[1].split("</tr>")[0]
    assert lower.count("class='differs'") == 4                  # its four pads differ
    assert "refused: padding=&#x27;same&#x27; needs stride 1" in table    # PyTorch's row


def test_switching_the_convention_moves_the_odd_cell_and_the_link():
    at = run(ISSUE_LINK)
    at.selectbox(key="convention").set_value("onnx-lower").run()
    assert_clean(at)
    assert link(at)["conv"] == "onnx-lower"
    assert any("top 1, bottom 0" in latex.value for latex in at.latex)
    assert any('auto_pad="SAME_LOWER"' in code.value for code in at.code)
    at.selectbox(key="convention").set_value("pytorch").run()      # PyTorch refuses it
    assert any("PyTorch refuses 'same'" in error for error in errors(at))
    at.segmented_control(key="padding_kind").set_value("numbers").run()
    assert_clean(at)
    assert not errors(at)
    assert "conv" not in link(at) and link(at)["p"] == "0"


POOL_LINK = "mode=maxpool&n=6&k=3&s=2&p=same&conv=tensorflow"


def test_a_pooling_convention_link_shows_its_pads_code_and_the_differences():
    at = run(POOL_LINK)
    assert_clean(at)
    assert not errors(at)
    assert shown_size(at) == "3 × 3" and link(at) == dict(parse_qsl(POOL_LINK))
    assert at.selectbox(key="convention").value == "tensorflow"
    assert at.segmented_control(key="padding_kind").value == "same"
    codes = [code.value for code in at.code]
    assert 'tf.keras.layers.MaxPooling2D(pool_size=3, strides=2, padding="same")' in codes
    assert any('nn.ConstantPad2d((0, 1, 0, 1), float("-inf"))' in code for code in codes)
    assert any("top 0, bottom 1" in latex.value for latex in at.latex)
    table = next(h.proto.body for h in at.get("html") if "class='conventions'" in h.proto.body)
    lower = table.split("ONNX (SAME_LOWER)")[1].split("</tr>")[0]
    assert lower.count("class='differs'") == 4                  # its four pads differ
    assert "PyTorch&#x27;s pooling takes padding as numbers only" in table
    at.selectbox(key="convention").set_value("onnx-lower").run()
    assert_clean(at)
    assert any('auto_pad="SAME_LOWER"' in code.value for code in at.code)
    assert link(at)["conv"] == "onnx-lower"


def test_an_average_pooling_link_under_tensorflow_leaves_the_padding_out():
    at = run("mode=avgpool&n=5&k=3&s=2&p=same&conv=tensorflow")
    assert_clean(at)
    assert not errors(at) and at.toggle(key="count_include_pad").value is False
    assert any("AveragePooling2D" in code.value for code in at.code)
    at.toggle(key="count_include_pad").set_value(True).run()
    assert any("count_include_pad must be False with padding='same'" in error
               for error in errors(at))
    at.selectbox(key="convention").set_value("jax").run()           # JAX can count it
    assert_clean(at)
    assert not errors(at) and at.toggle(key="count_include_pad").value is False   # its default
    at.toggle(key="count_include_pad").set_value(True).run()
    assert not errors(at) and any("/ 9)" in code.value for code in at.code)
    at.selectbox(key="convention").set_value("pytorch").run()       # numbers only, at any s
    assert any("PyTorch's pooling takes padding as numbers only" in error
               for error in errors(at))
    assert at.toggle(key="count_include_pad").value is True


def test_a_transposed_convolution_shows_the_output_padding_explorer():
    at = run("mode=transposed&n=3&k=3&s=2&p=0&conv=tensorflow")
    assert_clean(at)
    text = "\n".join(m.value for m in at.markdown)
    assert "maps 7 and 8 both to 3" in text
    assert '| 0 (chosen) | 7 | 3 | `padding="valid"` |' in text
    assert '| 1 | 8 | 3 | `padding="valid", output_padding=1` |' in text


def test_a_link_with_only_the_palette_shows_the_default_figure_in_it():
    at = run("palette=cb")
    assert_clean(at)
    assert shown_size(at) == "3 × 3" and link(at)["palette"] == "cb"
    assert ConvSpec.from_query(link(at)) == PRESETS["padding_strides"].spec


# ---- pooling and 1-D modes ---------------------------------------------------------------------
NEW_FIGURES = {"max_pooling": "2 × 2", "avg_pooling": "3 × 3", "conv1d": "6",
               "causal_conv1d": "8"}


@pytest.mark.parametrize("name", list(NEW_FIGURES))
def test_the_pooling_and_1d_gallery_figures_are_presets(name):
    at = run()
    at.selectbox(key="preset").set_value(name).run()
    assert_clean(at)
    assert not at.error and at.get("iframe")
    assert shown_size(at) == NEW_FIGURES[name]
    spec = PRESETS[name].spec
    assert ConvSpec.from_query(link(at)) == spec and at.radio(key="mode").value == spec.mode
    assert at.code[0].value.count(spec.torch_line(bias=False)) == 1
    assert player_captions(at) == captions(View(spec))


@pytest.mark.parametrize("query, size, torch_line, shape", [
    ("mode=maxpool&n=4&k=2", "2 × 2", "nn.MaxPool2d(2)", "[1, 1, 2, 2]"),
    ("mode=avgpool&n=5&k=2&ceil=1", "3 × 3", "nn.AvgPool2d(2, ceil_mode=True)", "[1, 1, 3, 3]"),
    ("mode=conv1d&n=8&k=3", "6", "nn.Conv1d(1, 1, kernel_size=3, bias=False)", "[1, 1, 6]"),
    ("mode=transposed1d&n=3&k=3&s=2&p=1", "5",
     "nn.ConvTranspose1d(1, 1, kernel_size=3, stride=2, padding=1, bias=False)", "[1, 1, 5]"),
    ("mode=maxpool1d&n=8&k=3&s=2&p=1&ceil=1", "5",
     "nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True)", "[1, 1, 5]"),
    ("mode=avgpool1d&n=7&k=3&cip=0", "2", "nn.AvgPool1d(3, count_include_pad=False)",
     "[1, 1, 2]"),
    ("mode=avgpool&n=5&k=3&s=2&p=1&cip=0&div=4", "3 × 3",
     "nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False, divisor_override=4)",
     "[1, 1, 3, 3]"),
])
def test_a_pooling_or_1d_link_shows_its_size_torch_line_and_figure(query, size, torch_line,
                                                                   shape):
    at = run(query)
    assert_clean(at)
    assert not at.error and at.get("iframe")
    assert shown_size(at) == size
    assert torch_line in at.code[0].value and f"torch.Size({shape})" in at.code[0].value
    assert link(at) == dict(parse_qsl(ConvSpec.from_query(query).to_query()))
    assert player_captions(at) == captions(View(ConvSpec.from_query(query)))


def test_a_1d_mode_shows_lengths_and_no_height_and_width_toggle():
    at = run("mode=conv1d&n=8&k=3")
    assert at.metric[0].label == "Output length"
    assert not [t for t in at.sidebar.toggle if t.key == "nonsquare"]
    assert at.number_input(key="input_size").value == 8
    assert "torch.randn(1, 1, 8)" in at.code[0].value


def test_pooling_counts_no_parameters_and_offers_no_kernel():
    at = run("mode=maxpool&n=4&k=2")
    text = " ".join(caption.value for caption in at.caption)
    assert "0 parameters" in text
    assert not [box for box in at.selectbox if box.key == "kernel_choice"]
    assert player_captions(at)[0].startswith("y[0,0] = max(")


def test_switching_to_pooling_makes_the_stride_the_window():
    at = run("mode=conv&n=6&k=3&s=1&p=1")
    at.radio(key="mode").set_value("maxpool").run()
    assert_clean(at)
    assert at.number_input(key="stride").value == 3
    assert shown_size(at) == "2 × 2" and link(at)["s"] == "3"


def test_switching_to_a_1d_mode_takes_the_widths():
    at = run("mode=conv&n=5,9&k=3&s=1&p=0")
    at.radio(key="mode").set_value("conv1d").run()
    assert_clean(at)
    assert shown_size(at) == "7" and link(at)["n"] == "9"


@pytest.mark.parametrize("query, key, value, size, changed", [
    ("mode=avgpool&n=5&k=2", "ceil_mode", True, "3 × 3", ("ceil", "1")),
    ("mode=avgpool&n=5&k=3&s=2&p=1", "count_include_pad", False, "3 × 3", ("cip", "0")),
    ("mode=conv1d&n=8&k=3&p=2", "causal", True, "8", ("causal", "1")),
])
def test_the_switches_change_the_figure_and_the_link(query, key, value, size, changed):
    at = run(query)
    before = player_captions(at)
    at.toggle(key=key).set_value(value).run()
    assert_clean(at)
    assert shown_size(at) == size and link(at)[changed[0]] == changed[1]
    assert player_captions(at) != before
    assert player_captions(at) == captions(View.from_query(link(at)))


def test_the_divisor_override_is_a_number_and_zero_means_none():
    at = run("mode=avgpool&n=4&k=2")
    at.number_input(key="divisor_override").set_value(3).run()
    assert_clean(at)
    assert link(at)["div"] == "3" and "divisor_override=3" in at.code[0].value
    assert player_captions(at)[0].endswith(")/3 = " + player_captions(at)[0].rsplit(" = ")[-1])
    at.number_input(key="divisor_override").set_value(0).run()
    assert "div" not in link(at)


@pytest.mark.parametrize("query, message", [
    ("mode=maxpool&n=5&k=2&p=2", "padding must be <= kernel_size // 2 = 1, got 2"),
    ("mode=conv1d&n=5,7", "input_size must be an int (one length) in a 1-D mode"),
    ("mode=avgpool&n=5&k=2&div=0", "divisor_override must be a nonzero int"),
    ("mode=conv&ceil=1", "ceil_mode must be False in conv mode"),
])
def test_a_pooling_or_1d_link_that_cannot_work_says_why(query, message):
    at = run(query)
    assert_clean(at)
    assert any(message in error for error in errors(at)), errors(at)


def test_a_1d_kernel_typed_as_a_row_round_trips_through_the_link():
    at = run("mode=conv1d&n=6&k=3&kernel=1,0,-1&values=1,2,3,4,5,6")
    assert_clean(at)
    assert not at.error
    assert player_captions(at)[0] == "y[0] = 1·1 + 2·0 + 3·(−1) = −2"
    assert link(at)["kernel"] == "1,0,-1"


def test_a_1d_transposed_convolution_shows_its_actual_padding_as_one_length():
    at = run("mode=transposed1d&n=3&k=3&s=2&p=1")
    assert_clean(at)
    assert at.number_input(key="pt").value == 1
    assert shown_size(at) == "5"


@pytest.mark.parametrize("query", ["mode=maxpool1d&n=8&k=2", "mode=conv1d&n=8&k=3"])
def test_the_image_panel_says_why_1d_modes_make_no_feature_map(query):
    at = run(query + "&image=camera")
    assert_clean(at)
    assert not at.error
    assert any("No feature map here" in info.value and "works on sequences" in info.value
               for info in at.info)


def test_page_runs_take_turns_and_nest():
    """Sessions' page runs go one at a time (a class arriving together costs the server less
    CPU that way, benchmarks/load.py), a fragment inside a page run does not wait for itself,
    and an exception lets the next run in."""
    import threading
    import time

    from ui.cache import one_at_a_time

    inside, most, lock = [0], [0], threading.Lock()

    @one_at_a_time
    def fragment():
        return "nested"

    @one_at_a_time
    def page(fail=False):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        with lock:
            inside[0] -= 1
        if fail:
            raise RuntimeError("a run that stops")
        return fragment()

    def session(fail):
        try:
            page(fail)
        except RuntimeError:
            pass

    threads = [threading.Thread(target=session, args=(i % 3 == 0,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert most[0] == 1 and not any(thread.is_alive() for thread in threads)
    assert page() == "nested"


def test_the_still_takes_only_its_own_figures_settled_step():
    """A step the last figure's player settled on, heard after the page moved to a new figure,
    does not move the new figure's still (it raced a change of the configuration)."""
    def page():
        import streamlit as st

        from ui.follow import followed
        st.session_state.follow = {"step": {"key": "n=5&k=3&s=2", "step": 3}}
        st.write(repr((followed("n=5&k=3&s=2"), followed("n=5&k=3&s=1"))))
        st.session_state.follow = {"step": 3}                  # an older page's shape
        st.write(repr(followed("n=5&k=3&s=2")))

    at = AppTest.from_function(page).run()
    assert [m.value for m in at.markdown] == ["(3, None)", "None"]
