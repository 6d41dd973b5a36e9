"""Draw: a canvas with undo and clear; on every stroke, the 28x28 image the model sees, the top class and the bars."""

from __future__ import annotations

import streamlit as st

from cnn.config import BRUSH_WIDTH_RANGE, DEFAULT_BRUSH_WIDTH
from ui import canvas, model_choice, prediction, registry, send_panel, state
from ui.text import t


@st.fragment
def _draw_panel() -> None:
    # A fragment: a stroke reruns only this panel, not the whole app.
    hint = st.empty()  # above the model choice, worded for the model chosen below it
    entry = model_choice.chosen_model("draw")
    reads_outlines = entry is not None and entry.kind == state.DRAWING
    hint.info(t("draw.hint_drawing" if reads_outlines else "draw.hint"))
    left, right = st.columns([1, 1], gap="large")
    with left:
        # The slider sits under the canvas but sets the brush of the next stroke.
        brush = st.session_state.get("brush_width", DEFAULT_BRUSH_WIDTH)
        picture = canvas.draw("draw_canvas", brush)
        image = canvas.canvas_input(picture, drawing_model=reads_outlines)
        st.session_state.draw_image = image  # The Inside page can look at it too.
        probabilities = state.predict(entry, image) if entry is not None and image is not None else None
        canvas.buttons("draw")
        # On a phone the full answer is stacked below: this line keeps the top class beside the canvas.
        with st.container(key="draw_answer"):
            if probabilities is not None:
                st.markdown(f"**{prediction.answer_text(probabilities)}**")
        canvas.narrow_only("draw_answer")
        low, high = BRUSH_WIDTH_RANGE
        st.slider(t("draw.brush"), low, high, DEFAULT_BRUSH_WIDTH, key="brush_width", persist_state="session")
    with right, st.container(key="draw_prediction"):
        if entry is None:
            st.info(t("model.none"))
            return
        if probabilities is None:
            st.info(t("draw.empty"))
            return
        prediction.show(probabilities, image, key="draw")
        send_panel.render(picture, image, probabilities, "drawing", key="draw")


def render() -> None:
    """Draw the Draw page."""
    registry.header("draw")
    _draw_panel()
    canvas.touch_support()
