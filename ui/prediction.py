"""The prediction panel shared by Draw, Upload and the validation browser: top class, 28x28 input, bars.

Draw and Upload show `answer_text`, which says "not sure" below cnn.confidence's threshold; the
validation browser and the Inside page name the top class as it is, to show what the model does.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import streamlit as st
from PIL import Image, ImageOps

from cnn import confidence, config
from ui import charts
from ui.text import language, t

# Each of the 28x28 pixels becomes a square this many screen pixels wide.
PIXEL_SCALE = 8
# Key suffix of the containers that hold the model's 28x28 input; ui/streamlit_fixes.py hides their hover toolbar.
MODEL_INPUT = "model_input"


def input_picture(image: np.ndarray, scale: int = PIXEL_SCALE) -> Image.Image:
    """Return a (28, 28[, 1]) image in [0, 1] enlarged with sharp pixels, drawn like cmap='gray_r'."""
    pixels = np.clip(np.asarray(image, dtype=np.float32).reshape(config.IMAGE_SIZE, config.IMAGE_SIZE), 0, 1)
    picture = Image.fromarray(np.round(255 * (1.0 - pixels)).astype(np.uint8))
    picture = picture.resize((config.IMAGE_SIZE * scale, config.IMAGE_SIZE * scale), Image.Resampling.NEAREST)
    # A thin frame shows where the 28x28 square ends on a white page.
    return ImageOps.expand(picture, border=1, fill=160)


def data_uri(picture: Image.Image) -> str:
    """Return a PNG data URI; the browser shows it without fetching a file, which saves a round trip per stroke."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def top_class_text(probabilities: np.ndarray) -> str:
    """Return "Prediction: Trouser (97%)" in the session's language."""
    top = int(np.argmax(probabilities))
    return t("predict.top", label=config.class_names(language())[top], probability=float(probabilities[top]))


def answer_text(probabilities: np.ndarray) -> str:
    """Return the top class, or "Not sure: Shirt, Pullover or Coat?" when the model is not sure enough."""
    if confidence.is_sure(probabilities):
        return top_class_text(probabilities)
    names = [config.class_names(language())[i] for i in confidence.likeliest(probabilities)]
    return t("predict.unsure", first=names[0], second=names[1], third=names[2])


def bars(probabilities: np.ndarray, key: str | None = None, title: str | None = None) -> None:
    """Draw the probability bar chart of the 10 classes, titled "Probability of each class" unless told."""
    spec = charts.probability_bars(
        probabilities, language(), t("predict.class"), t("predict.probability"), title or t("predict.bars")
    )
    st.vega_lite_chart(spec, width="stretch", key=key)


def model_input(image: np.ndarray, key: str, width: int = 168, where=st) -> None:
    """Draw the model's 28x28 input, captioned, in container `{key}_model_input` (its CSS: ui/streamlit_fixes.py)."""
    with where.container(key=f"{key}_{MODEL_INPUT}"):
        st.image(data_uri(input_picture(image)), caption=t("predict.input"), width=width)


def show(probabilities: np.ndarray, image: np.ndarray, key: str) -> None:
    """Draw the answer (the top class, or "not sure" with the top three), the model's 28x28 input and the bars."""
    st.subheader(answer_text(probabilities))
    model_input(image, key)
    bars(probabilities)
