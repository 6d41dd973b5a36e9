"""Upload: a garment photo or drawing; the original, the 28x28 model input and the bars."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from cnn import config, preprocess
from ui import prediction, registry, state
from ui.text import STRINGS, t

# What the picker offers; other files are decoded by content and refused with a message.
IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]


def examples() -> list[str]:
    """Return the example images shipped in assets/examples, by file name."""
    if not config.EXAMPLES_DIR.is_dir():
        return []
    return sorted(p.name for p in config.EXAMPLES_DIR.iterdir() if p.suffix.lower().lstrip(".") in IMAGE_TYPES)


PREVIEW_SIZE = 320


def preview(original: Image.Image) -> Image.Image:
    """Return a small RGB(A) copy of any decoded picture (16-bit, CMYK, palette...) that a browser can show."""
    if original.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        pixels = np.asarray(original, dtype=np.float64)
        span = float(pixels.max() - pixels.min()) or 1.0
        shown = Image.fromarray(np.round(255 * (pixels - pixels.min()) / span).astype(np.uint8))
    else:
        shown = original.convert("RGBA")
    shown.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
    return shown


def analyse(data: bytes) -> tuple[Image.Image, np.ndarray]:
    """Return (preview, model input) for an uploaded file; raises preprocess.ImageError with the reason."""
    original = preprocess.open_image(data)
    return preview(original), preprocess.prepare_image(original)


def _chosen_file() -> tuple[str, bytes] | None:
    uploaded = st.file_uploader(t("upload.label"), type=IMAGE_TYPES, key="upload_image", help=t("upload.hint"))
    if uploaded is not None:
        return uploaded.name, uploaded.getvalue()
    names = examples()
    if names:
        example = st.selectbox(
            t("upload.examples"),
            [None, *names],
            format_func={None: t("upload.none"), **{n: n for n in names}}.get,
            key="upload_example",
        )
        if example:
            return example, (config.EXAMPLES_DIR / example).read_bytes()
    return None


def reason_text(error: preprocess.ImageError) -> str:
    """Return why a picture cannot be used, in the session's language."""
    key = f"image.{error.reason}"
    return t(key) if key in STRINGS else str(error)


def show_result(entry: state.ModelEntry | None, chosen: tuple[str, bytes] | None) -> None:
    """Draw the upload's result: a hint, a clear error, or the original, the model input and the bars."""
    with st.container(key="upload_prediction"):
        if entry is None:
            st.info(t("model.none"))
            return
        if chosen is None:
            st.info(t("upload.empty"))
            return
        name, data = chosen
        try:
            shown, image = analyse(data)
        except preprocess.ImageError as error:
            st.error(t("upload.error", reason=reason_text(error)))
            return
        st.session_state.upload_input = image  # The Inside page can look at it too.
        left, right = st.columns([1, 2], gap="large")
        with left:
            st.image(shown, caption=name)
        with right:
            prediction.show(state.predict(entry, image), image)


def render() -> None:
    """Draw the Upload page."""
    registry.header("upload")
    st.caption(t("upload.hint"))
    show_result(state.active_model(), _chosen_file())
