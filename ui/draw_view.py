"""Draw: a canvas; on every stroke, the 28x28 image the model sees, the top class and the bars."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import preprocess
from cnn.config import BRUSH_WIDTH_RANGE, CANVAS_SIZE, DEFAULT_BRUSH_WIDTH
from ui import prediction, registry, send_panel, state
from ui.text import t


def canvas_input(image_data: np.ndarray | None, drawing_model: bool = False) -> np.ndarray | None:
    """Return the model input for the canvas's RGBA data, or None when nothing is drawn."""
    if image_data is None:
        return None
    try:
        # The chapter's model needs closed outlines filled in (the dataset shows silhouettes); the drawing model not.
        return preprocess.prepare_drawing(image_data, drawing_model)
    except preprocess.NothingDrawnError:
        return None


def canvas(key: str, brush_width: int, initial: dict | None = None):
    """Draw a white canvas with a black brush and return its result (image_data is RGBA)."""
    # Imported here: streamlit-drawable-canvas raises when imported outside a Streamlit run.
    from streamlit_drawable_canvas import st_canvas

    return st_canvas(
        stroke_width=brush_width,
        stroke_color="#000000",
        background_color="#FFFFFF",
        height=CANVAS_SIZE,
        width=CANVAS_SIZE,
        drawing_mode="freedraw",
        initial_drawing=initial,
        return_image_data=True,
        key=key,
    )


def drawing_model() -> state.ModelEntry | None:
    """Return the model the Draw page uses: the drawing model unless the student picked the active one."""
    active = state.active_model()
    drawing = state.shipped_entry(state.DRAWING)
    if drawing is None or active is None or active.kind == state.DRAWING:
        return active
    choices = {state.DRAWING: t("draw.model_drawing"), "active": t("draw.model_active", name=active.label())}
    choice = st.segmented_control(
        t("draw.model"),
        list(choices),
        default=state.DRAWING,
        required=True,
        format_func=choices.get,
        key="draw_model",
        help=t("draw.model_help"),
        persist_state="session",
    )
    return drawing if choice == state.DRAWING else active


@st.fragment
def _draw_panel() -> None:
    # A fragment: a stroke reruns only this panel, not the whole app.
    entry = drawing_model()
    left, right = st.columns([1, 1], gap="large")
    with left:
        low, high = BRUSH_WIDTH_RANGE
        brush = st.slider(t("draw.brush"), low, high, DEFAULT_BRUSH_WIDTH, key="brush_width", persist_state="session")
        result = canvas("draw_canvas", brush)
        st.session_state.draw_json = result.json_data if result is not None else None
        # Undo and clear are the canvas's own toolbar buttons. They work inside the browser; buttons
        # of the page that reload the canvas with a new initial drawing made it drop the next stroke
        # (streamlit-drawable-canvas 0.13.0, seen in Chromium: always after an undo to an empty canvas).
        st.caption(t("draw.toolbar"))
    with right, st.container(key="draw_prediction"):
        if entry is None:
            st.info(t("model.none"))
            return
        image = canvas_input(result.image_data if result is not None else None, entry.kind == state.DRAWING)
        st.session_state.draw_image = image  # The Inside page can look at it too.
        if image is None:
            st.info(t("draw.empty"))
            return
        probabilities = state.predict(entry, image)
        prediction.show(probabilities, image)
        send_panel.render(result.image_data, image, probabilities, "drawing", key="draw")


def render() -> None:
    """Draw the Draw page."""
    registry.header("draw")
    st.info(t("draw.hint"))
    _draw_panel()
