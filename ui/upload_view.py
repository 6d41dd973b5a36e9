"""Upload: a garment photo or drawing; the original, the 28x28 model input and the bars."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_cropper import st_cropper

from cnn import config, photo, preprocess
from ui import model_choice, prediction, registry, send_panel, state
from ui.text import STRINGS, t

# The shipped examples' file types; uploads are decoded by content, whatever their name.
IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "heic", "heif", "gif", "bmp", "tif", "tiff"]


def examples() -> list[str]:
    """Return the example images shipped in assets/examples, by file name."""
    if not config.EXAMPLES_DIR.is_dir():
        return []
    return sorted(p.name for p in config.EXAMPLES_DIR.iterdir() if p.suffix.lower().lstrip(".") in IMAGE_TYPES)


PREVIEW_SIZE = 320
# Room the crop box's frame takes round the preview, in pixels.
CROP_FRAME = 8
# The crop box is drawn at the preview's own size and clipped by anything narrower, so it gets a column
# of that width; the answer beside it never gets narrower than this, and goes below where there is no room
# (a laptop with the sidebar open), so that its bars stay readable.
_ANSWER_CSS = (
    '<style>[data-testid="stLayoutWrapper"]:has(> .st-key-upload_answer) { min-width: min(100%, 22rem); }</style>'
)
# The crop box's colour, visible on light and dark photos alike.
CROP_COLOUR = "#ff2b2b"
# The box starts this many preview pixels inside the picture, so all four sides and handles show;
# an edge of the box this close to the picture's edge counts as the edge, so the untouched box is
# the whole picture and the Upload page answers what `python -m cnn.predict` answers.
CROP_INSET = 3
CROP_SNAP = 5


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


def crop_to_box(original: Image.Image, shown: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """Return the part of `original` inside a crop box (left, top, width, height) in the pixels of its preview."""
    left, top, right, bottom = box[0], box[1], box[0] + box[2], box[1] + box[3]
    left, top = (0 if left <= CROP_SNAP else left), (0 if top <= CROP_SNAP else top)
    right = shown.width if right >= shown.width - CROP_SNAP else right
    bottom = shown.height if bottom >= shown.height - CROP_SNAP else bottom
    scale_x, scale_y = original.width / shown.width, original.height / shown.height
    left = min(max(0, round(left * scale_x)), original.width - 1)
    top = min(max(0, round(top * scale_y)), original.height - 1)
    right = min(original.width, max(left + 1, round(right * scale_x)))
    bottom = min(original.height, max(top + 1, round(bottom * scale_y)))
    if (left, top, right, bottom) == (0, 0, original.width, original.height):
        return original
    return original.crop((left, top, right, bottom))


@st.cache_data(max_entries=64, show_spinner=False)
def model_input(data: bytes, box: tuple[int, int, int, int] | None) -> np.ndarray:
    """Return the model input for an upload cut to `box` (left, top, width, height in preview pixels)."""
    original = preprocess.open_image(data)
    if box is not None:
        original = crop_to_box(original, preview(original), box)
    return photo.prepare_photo(original)


def crop_box(shown: Image.Image, data: bytes) -> tuple[int, int, int, int]:
    """Draw the crop box over the preview, starting on (nearly) the whole picture; return it in preview pixels."""
    # A new picture gets a new box: the key carries a digest of the file.
    digest = hashlib.sha1(data).hexdigest()[:12]
    with st.container(key="upload_crop"):
        box = st_cropper(
            shown.convert("RGB"),
            realtime_update=True,
            default_coords=(CROP_INSET, shown.width - CROP_INSET, CROP_INSET, shown.height - CROP_INSET),
            box_color=CROP_COLOUR,
            return_type="box",
            should_resize_image=False,
            key=f"upload_crop_{digest}",
        )
        st.caption(t("upload.crop"))
    return int(box["left"]), int(box["top"]), int(box["width"]), int(box["height"])


def _chosen_file() -> tuple[str, bytes] | None:
    # No type filter: the browser's own refusal (an English chip, the old prediction left standing)
    # is replaced by reading the file's content and refusing in the session's language.
    uploaded = st.file_uploader(t("upload.label"), key="upload_image", help=t("upload.hint"))
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
            shown = preview(preprocess.open_image(data))
        except preprocess.ImageError as error:
            st.session_state.pop("upload_input", None)  # Inside must not go on showing the last picture.
            st.error(t("upload.error", reason=reason_text(error)))
            return
        # The picture's column is as wide as the crop box; the answer takes the rest (_ANSWER_CSS).
        row = st.container(horizontal=True, gap="large", key="upload_row")
        left = row.container(width=PREVIEW_SIZE + CROP_FRAME, key="upload_picture")
        right = row.container(key="upload_answer")
        with left:
            box = crop_box(shown, data)
            st.caption(name)
        try:
            image = model_input(data, box)
        except preprocess.ImageError as error:
            st.session_state.pop("upload_input", None)
            with right:
                st.error(t("upload.error", reason=reason_text(error)))
            return
        st.session_state.upload_input = image  # The Inside page can look at it too.
        with right:
            probabilities = state.predict(entry, image)
            prediction.show(probabilities, image, key="upload")
        # The preview, not the upload: a phone photo of several MB would only fill the database.
        send_panel.render(np.asarray(shown.convert("RGBA")), image, probabilities, "photo", key="upload")


def render() -> None:
    """Draw the Upload page."""
    registry.header("upload")
    st.caption(t("upload.hint"))
    st.html(_ANSWER_CSS)
    show_result(model_choice.chosen_model("upload"), _chosen_file())
