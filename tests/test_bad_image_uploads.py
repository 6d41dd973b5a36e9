"""A student uploads something odd: each case gets a clear message or a sensible prediction,
never a traceback, and the active model stays as it was."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest


def upload_script(data: bytes, name: str) -> None:
    """A tiny app: show the upload's result with the Upload page's own function, then the active model."""
    import streamlit as st

    from ui import state, upload_view

    upload_view.show_result(state.active_model(), (name, data))
    st.text(state.active_model().token)


def upload(data: bytes, name: str = "picture.png", language: str = "en") -> AppTest:
    app = AppTest.from_function(upload_script, args=(data, name), default_timeout=60)
    app.session_state["language"] = language
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.text[-1].value == "shipped"  # The active model is untouched whatever was uploaded.
    return app


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def garment(size: int = 200) -> np.ndarray:
    """A dark T-shirt-like block on a white background, (size, size) uint8."""
    picture = np.full((size, size), 255, dtype=np.uint8)
    picture[size // 5 : size - size // 8, size // 4 : size - size // 4] = 40  # body
    picture[size // 5 : size // 2, size // 10 : size - size // 10] = 40  # sleeves
    return picture


def refused(app: AppTest, phrase: str) -> None:
    assert len(app.error) == 1 and "This file cannot be used" in app.error[0].value
    assert phrase in app.error[0].value
    assert not app.subheader  # No prediction was drawn.


def predicted(app: AppTest) -> None:
    assert not app.error
    # A sure answer or a "not sure" one naming three classes: either way the picture was read.
    assert app.subheader[0].value.startswith(("Prediction:", "Not sure:"))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels, with no real pixel data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_pdf_is_refused():
    refused(upload(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "worksheet.pdf"), "not an image file")


def test_a_text_file_is_refused():
    refused(upload(b"Lesson plan: draw a T-shirt.\n", "notes.txt"), "not an image file")


def test_an_empty_file_is_refused():
    refused(upload(b"", "empty.png"), "empty")


def test_a_truncated_png_is_refused():
    data = encoded(Image.fromarray(garment()))
    refused(upload(data[: len(data) // 2]), "damaged or cut short")


def test_a_decompression_bomb_is_refused_before_decoding():
    refused(upload(png_header_only(20_000, 20_000), "bomb.png"), "too large")


def test_a_16_bit_png_is_predicted():
    sixteen = Image.fromarray(garment().astype(np.uint16) * 257)
    assert sixteen.mode.startswith("I;16")
    predicted(upload(encoded(sixteen)))


def test_a_cmyk_jpeg_is_predicted():
    cmyk = Image.fromarray(garment()).convert("CMYK")
    predicted(upload(encoded(cmyk, "JPEG"), "photo.jpg"))


def test_an_iphone_heic_photo_is_predicted():
    predicted(upload(encoded(Image.fromarray(garment()).convert("RGB"), "HEIF", quality=80), "IMG_0001.HEIC"))


def test_an_iphone_heic_photo_reads_like_the_same_picture_as_png():
    from cnn import photo, preprocess

    picture = Image.fromarray(garment()).convert("RGB")
    as_png = photo.prepare_bytes(encoded(picture))
    as_heic = photo.prepare_bytes(encoded(picture, "HEIF", quality=80))
    assert np.abs(as_heic - as_png).mean() < 0.02
    # Turned by its EXIF orientation once, as a JPEG is (an iPhone held upright stores the picture sideways).
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to show"
    sideways = encoded(picture.rotate(90, expand=True), "HEIF", quality=80, exif=exif.tobytes())
    upright = preprocess.open_image(sideways)
    assert upright.size == picture.size
    assert np.abs(np.asarray(upright.convert("L"), dtype=float) - np.asarray(picture.convert("L"))).mean() < 8


def test_an_animated_gif_uses_its_first_frame():
    frames = [Image.fromarray(garment()), Image.fromarray(255 - garment())]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    predicted(upload(data, "spin.gif"))


def test_a_transparent_png_is_predicted():
    rgba = np.zeros((200, 200, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(garment() < 128, 255, 0)  # Only the garment is opaque (and black).
    predicted(upload(encoded(Image.fromarray(rgba))))


@pytest.mark.parametrize(
    ("name", "picture"),
    [
        ("one-pixel.png", np.zeros((1, 1), dtype=np.uint8)),
        ("black.png", np.zeros((64, 64), dtype=np.uint8)),
        ("white.png", np.full((64, 64), 255, dtype=np.uint8)),
    ],
)
def test_a_picture_with_nothing_in_it_says_so(name, picture):
    refused(upload(encoded(Image.fromarray(picture)), name), "nothing stands out")


def test_the_message_is_in_the_students_language():
    app = upload(b"%PDF-1.4", "worksheet.pdf", language="ko")
    assert "이미지 파일이 아닙니다" in app.error[0].value


def test_an_empty_canvas_gives_a_hint_not_an_error():
    from ui import canvas

    assert canvas.canvas_input(None) is None
    assert canvas.canvas_input(np.full((280, 280, 4), 255, dtype=np.uint8)) is None
    assert canvas.canvas_input(np.zeros((280, 280, 4), dtype=np.uint8)) is None  # fully transparent
