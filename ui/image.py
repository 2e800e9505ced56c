"""The image panel: the configured layer applied to a real picture.

The picture (bundled, or uploaded for this session only), its channels, the kernel (a preset
or custom, as the values panel offers), the feature map beside it with its size, formula and
stated colours, a zoom into its sums (:mod:`ui.zoom`) and the map's downloads. Everything
shown comes from convviz (:mod:`convviz.images`, :mod:`convviz.featuremap`,
:mod:`convviz.figures.heatmap`); the link keys are :mod:`ui.pictures`'.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from convviz import ConvSpec, ConvVizError, export, output_formula, views
from convviz.featuremap import FeatureMap, check_mode, is_pooling
from convviz.figures.heatmap import heatmap, outlined
from convviz.images import MAX_MB, MAX_MEGAPIXELS, MAX_SIDE, Picture
from convviz.text import format_number, size_text
from convviz.values import KERNEL_PRESETS
from convviz.zoom import Zoom

from .fields import CUSTOM, kernel_label
from .messages import plain
from .pictures import (
    BUNDLED,
    UPLOAD,
    Choice,
    bundled_picture,
    map_of,
    uploaded_picture,
    usable_kernel,
)
from .values import grid_editor
from .zoom import zoom_section

UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif"]
MAP_PX, TILE_PX = 400, 200
"""A one-channel map smaller than MAP_PX is shown enlarged by a whole factor; the channels of
a larger one stand two a row, each enlarged up to TILE_PX."""
PRIVATE = ("Your image stays in this browser session: it is not saved anywhere, and the page's "
           "link cannot hold it. To share a link, pick a bundled image.")


def image_panel(view: views.View) -> dict[str, str]:
    """The panel, full width under the figure; returns its keys for the page's link."""
    state = st.session_state
    st.toggle("**Apply this layer to an image**", key="image_on",
              help="The layer configured in the sidebar (kernel size, stride, padding, "
                   "dilation, groups; a pooling's too) on a photograph: its feature map, and "
                   "the sums (maxima, averages) behind it.")
    if state.image_link_error:
        st.error(f"**The link's image cannot be shown:** {plain(state.image_link_error)}.",
                 icon=":material/link_off:")
        state.image_link_error = None                      # shown once
    if not state.image_on:
        return {}
    try:
        check_mode(view.spec.mode)
    except ConvVizError as error:
        st.info(f"**No feature map here:** {plain(str(error))}.", icon=":material/image:")
        return {}
    choice = controls(view.spec)
    keys = link_keys(choice, view.spec)
    picture = picture_of(choice)
    if picture is None:
        return keys
    try:
        fmap = map_of(choice, picture, view.spec)
    except ConvVizError as error:
        st.error(f"**This layer cannot be applied to the image:** {plain(str(error))}.",
                 icon=":material/error:")
        return keys
    if fmap.kernel is not None:
        state.image_shown = fmap.kernel
    left, right = st.columns(2, gap="large")
    with left:
        picture_slot = st.container()                   # drawn once the zoom's crop is known
        zoomed = zoom_section(choice, picture, fmap)
        with picture_slot:
            show_picture(choice, picture, zoomed)
    with right:
        show_map(choice, fmap, zoomed)
    return link_keys(replace(choice, at=(state.image_y, state.image_x),
                             channel=state.image_channel), view.spec)


def link_keys(choice: Choice, spec: ConvSpec) -> dict[str, str]:
    """The choice's keys for the page's link; a pooling has no kernel to keep."""
    keys = choice.query()
    if is_pooling(spec):
        keys.pop("ikernel", None)
    return keys


def controls(spec: ConvSpec) -> Choice:
    """The picture, its channels and the kernel (an upload box, a custom grid; a pooling has
    no kernel); the choice."""
    state = st.session_state
    pooling = is_pooling(spec)
    refitted = not pooling and fit_kernel(spec)            # before the kernel widget is drawn
    source, kernel, colour = st.columns([5, 4, 2], vertical_alignment="bottom")
    source.selectbox("Image", [*BUNDLED, UPLOAD], key="image_source", on_change=picture_changed,
                     format_func=lambda name: BUNDLED[name].label if name in BUNDLED
                     else "Your own image (upload)")
    if pooling:
        kernel.markdown(f"**No kernel:** each value is the "
                        f"{'largest' if spec.mode == 'maxpool' else 'average'} of its "
                        f"{size_text(spec.kernel_size)} window, channel by channel.")
    else:
        kernel.selectbox("Kernel", [*KERNEL_PRESETS, CUSTOM], key="image_kernel",
                         format_func=kernel_label, on_change=kernel_changed,
                         help="The presets are 3 × 3, as PyTorch applies them (no flip); "
                              "custom weights take the layer's kernel size.")
    colour.toggle("RGB", key="image_rgb", on_change=picture_changed,
                  help="Three channels (Pillow's RGB) instead of grayscale (its L).")
    if refitted:
        st.info(f"The kernel does not fit this layer's {size_text(spec.kernel_size)} kernel: "
                f"custom weights start from ones.", icon=":material/grid_on:")
    if state.image_source == UPLOAD:
        st.file_uploader(f"PNG, JPEG, WebP or GIF, at most {MAX_MB} MB and {MAX_MEGAPIXELS} "
                         f"megapixels (larger images are scaled down to {MAX_SIDE} pixels a "
                         f"side)", type=UPLOAD_TYPES, max_upload_size=MAX_MB, key="image_upload")
        st.caption(PRIVATE)
    if state.image_kernel == CUSTOM and not pooling:
        state.image_rows = grid_editor(st.container(width="content"), "w", "image_grid",
                                       state.image_rows)
    return current_choice()


def current_choice() -> Choice:
    """The panel's choice as its widgets hold it (the zoom's point as last set)."""
    state = st.session_state
    kernel = state.image_rows if state.image_kernel == CUSTOM else state.image_kernel
    return Choice(state.image_source, state.image_rgb, kernel,
                  None if state.image_y is None else (state.image_y, state.image_x),
                  state.image_channel)


def fit_kernel(spec: ConvSpec) -> bool:
    """Give the panel a kernel of ``spec``'s size (:func:`ui.pictures.usable_kernel`); True
    when it had to change."""
    state = st.session_state
    if state.image_kernel == CUSTOM and not state.image_rows:
        state.image_rows = state.get("image_shown")
    choice = current_choice()
    fitted = usable_kernel(choice, spec)
    if fitted.kernel == choice.kernel:
        return False
    custom = not isinstance(fitted.kernel, str)
    state.image_kernel = CUSTOM if custom else fitted.kernel
    state.image_rows = fitted.kernel if custom else state.image_rows
    state.pop("image_grid", None)
    return True


def picture_of(choice: Choice) -> Picture | None:
    """The chosen picture, or None with the reason on the page."""
    try:
        if choice.name != UPLOAD:
            return bundled_picture(choice.name, choice.rgb)
        upload = st.session_state.get("image_upload")
        if upload is None:
            st.info("Choose an image file to see what this layer makes of it.",
                    icon=":material/upload:")
            return None
        return uploaded_picture(upload, choice.rgb)
    except ConvVizError as error:
        st.error(f"**This image cannot be used:** {plain(str(error))}.", icon=":material/error:")
        return None


def show_picture(choice: Choice, picture: Picture, zoomed: Zoom | None) -> None:
    """The picture as the layer sees it, the zoom's crop outlined."""
    name = BUNDLED[choice.name].label if choice.name in BUNDLED else picture.name
    kind = "grayscale (Pillow's L)" if picture.mode == "L" else "RGB, 3 channels"
    with st.container(key="image_input"):
        st.markdown(f"**Input**: {size_text(picture.size)}, {kind}, values 0..255")
        st.image(outlined(picture.pixels, zoomed.box if zoomed else None))
    notes = [*picture.notes, BUNDLED[choice.name].credit if choice.name in BUNDLED else ""]
    st.caption(" · ".join([name, *[note for note in notes if note]]))


def show_map(choice: Choice, fmap: FeatureMap, zoomed: Zoom | None) -> None:
    """The feature map in its stated colours, its size and formula, the layer, downloads."""
    mark = (zoomed.channel, *zoomed.cell) if zoomed else None
    many = fmap.spec.out_channels > 1
    still = heatmap(fmap.values, mark=mark, min_px=TILE_PX if many else MAP_PX, per_row=2)
    png = export.encode([still.frame], "png", palette=still.palette)
    low, high = map(format_number, fmap.span)
    with st.container(key="image_map"):
        st.markdown(f"**Feature map**: {size_text(fmap.size)}"
                    + (f", {fmap.spec.out_channels} channels" if fmap.spec.out_channels > 1
                       else ""))
        st.image(png)
    st.caption(f"Colours: {still.scale.text}"
               + (f"; each value drawn as {still.factor} × {still.factor} pixels"
                  if still.factor > 1 else "") + f". The values run from {low} to {high}.")
    for line in output_formula(fmap.spec).latex:
        st.latex(line)
    st.code(f"{fmap.spec.torch_line()}  # input {list(fmap.spec.input_shape)} -> "
            f"{list(fmap.spec.output_shape)}", language="python", wrap_lines=True)
    stem = f"{choice.name if choice.name in BUNDLED else 'image'}_{fmap.spec.mode}"
    png_col, npy_col = st.columns(2)
    png_col.download_button("Map as shown (PNG)", png, file_name=f"{stem}_map.png",
                            mime="image/png", key="dl_image_png", on_click="ignore",
                            icon=":material/download:", width="stretch")
    npy_col.download_button("Raw values (.npy)", lambda: fmap.npy(grayscale=not choice.rgb),
                            file_name=f"{stem}_map.npy", mime="application/octet-stream",
                            key="dl_image_npy", on_click="ignore", icon=":material/download:",
                            width="stretch")


# ---- callbacks ---------------------------------------------------------------------------
def picture_changed() -> None:
    """Another picture (or its channels): the zoom starts at its own point again."""
    st.session_state.image_y = st.session_state.image_x = None


def kernel_changed() -> None:
    """A custom kernel starts from the weights the map was made with."""
    state = st.session_state
    if state.image_kernel == CUSTOM and state.get("image_shown"):
        state.image_rows = state.image_shown
        state.pop("image_grid", None)                     # the editor's edits were on the old
