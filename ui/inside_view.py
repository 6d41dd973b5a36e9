"""Inside the CNN: first-layer filters (trained vs untrained), feature maps and Grad-CAM for one image."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import config, plots
from ui import canvas, prediction, registry, state
from ui.text import language, t

SOURCES = ("sample", "drawing", "upload")
TOP = -1


@st.cache_data(show_spinner=False, max_entries=16)
def _filters_png(token: str, lang: str, _model) -> bytes:
    from cnn import explain  # TensorFlow: imported once the page has shown its spinner (see render).

    figure = plots.filters_figure(explain.first_layer_filters(_model), explain.untrained_filters(), lang)
    return plots.to_png(figure, dpi=100)


def _focus_image(source: str, drawing_model: bool) -> np.ndarray | None:
    """Return the (28, 28, 1) image the student picked, or None with a hint shown."""
    if source == "sample":
        dataset = state.dataset_or_explain()
        if dataset is None:
            return None
        index = st.number_input(
            t("samples.index"), 0, len(dataset.val) - 1, st.session_state.get("sample_index", 0), key="inside_sample"
        )
        return dataset.val.head(index + 1).scaled()[index]
    if source == "drawing":
        st.caption(t("inside.draw_hint"))
        # The same drawing as the Draw page's: analysed at once, and strokes here show there too.
        brush = st.session_state.get("brush_width", config.DEFAULT_BRUSH_WIDTH)
        image = canvas.canvas_input(canvas.draw("inside_canvas", brush), drawing_model)
        canvas.buttons("inside")
        if image is None:
            st.info(t("draw.empty"))
        return image
    image = st.session_state.get("upload_input")
    if image is None:
        st.info(t("inside.no_upload"))
    return image


@st.fragment
def _image_panel(entry: state.ModelEntry, model) -> None:
    # A fragment: a stroke on this page's canvas redraws only the image-dependent figures.
    lang = plots.usable_language(language())
    names = config.class_names(language())
    source = st.segmented_control(
        t("inside.source"),
        SOURCES,
        default="sample",
        required=True,
        format_func={name: t(f"inside.source_{name}") for name in SOURCES}.get,
        key="inside_source",
    )
    left, right = st.columns([2, 3], gap="large")
    with left:
        image = _focus_image(source, entry.kind == state.DRAWING)
    if image is None:
        return
    with right:
        chosen = st.selectbox(
            t("inside.class"),
            [TOP, *range(config.NUM_CLASSES)],
            format_func={TOP: t("inside.top_class"), **dict(enumerate(names))}.get,
            key="inside_class",
        )
        from cnn import explain

        inside = explain.explain(model, image, None if chosen == TOP else chosen)
        probability = float(inside.probabilities[inside.class_index])
        figure = plots.grad_cam_figure(image, inside.heatmap, inside.class_index, probability, lang)
        st.image(plots.to_png(figure, dpi=100), width="stretch")
        if inside.heatmap_is_empty:
            st.info(t("inside.empty_heatmap", label=names[inside.class_index]))
        with st.container(key="inside_prediction"):
            st.markdown(f"**{prediction.top_class_text(inside.probabilities)}**")
            prediction.bars(inside.probabilities)
    st.subheader(t("inside.maps"))
    st.caption(t("inside.maps_help"))
    first, second = st.columns(2)
    for column, number in ((first, 1), (second, 2)):
        figure = plots.feature_maps_figure(inside.feature_maps[number - 1], number, lang)
        column.image(plots.to_png(figure, dpi=100), width="stretch")


def render() -> None:
    """Draw the Inside the CNN page."""
    entry = registry.open_page("inside", intro=t("inside.intro"))
    if entry is None:
        return
    st.subheader(t("inside.filters"))
    st.caption(t("inside.filters_help"))
    # Gradients and layer outputs need TensorFlow, which no other student page waits for.
    with st.spinner(t("model.loading_keras")):
        model = state.keras_model(entry)
    st.image(_filters_png(entry.token, plots.usable_language(language()), model), width=760)
    st.subheader(t("inside.focus"))
    _image_panel(entry, model)
    canvas.touch_support()
