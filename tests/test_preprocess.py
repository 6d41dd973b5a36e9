"""Core preprocessing behaviour; the drawing issue adds the deeper tests."""

import io

import numpy as np
import pytest
from PIL import Image

from cnn import preprocess


def png_bytes(image: Image.Image, fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def test_a_dataset_image_comes_back_nearly_unchanged(dataset):
    original = dataset.test.images[0]
    prepared = preprocess.prepare_bytes(png_bytes(Image.fromarray(original)))
    assert prepared.shape == (28, 28, 1) and prepared.dtype == np.float32
    assert prepared.min() >= 0 and prepared.max() == pytest.approx(1.0)
    # Centring may move the garment by a pixel; otherwise it is the same picture.
    best = max(
        np.corrcoef(np.roll(prepared[..., 0], (dy, dx), axis=(0, 1)).ravel(), original.ravel())[0, 1]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )
    assert best > 0.97


def test_a_dark_garment_on_white_is_inverted(dataset):
    dark_on_white = Image.fromarray(255 - dataset.test.images[1]).resize((280, 280))
    prepared = preprocess.prepare_bytes(png_bytes(dark_on_white))
    assert prepared[0, 0, 0] == 0.0 and prepared.max() == pytest.approx(1.0)
    best = max(
        np.corrcoef(np.roll(prepared[..., 0], (dy, dx), axis=(0, 1)).ravel(), dataset.test.images[1].ravel())[0, 1]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )
    assert best > 0.9


def test_a_wide_object_keeps_its_aspect_and_is_centred():
    canvas = np.full((200, 300), 255, dtype=np.uint8)
    canvas[80:120, 50:250] = 0  # a 200x40 dark bar
    prepared = preprocess.prepare_bytes(png_bytes(Image.fromarray(canvas)))[..., 0]
    rows = np.flatnonzero(prepared.max(axis=1) > 0.5)
    cols = np.flatnonzero(prepared.max(axis=0) > 0.5)
    assert cols[0] == 0 and cols[-1] == 27  # the long edge fills 28 pixels
    assert 4 <= len(rows) <= 7  # 40/200 of 28 is about 6
    assert abs((rows[0] + rows[-1]) / 2 - 13.5) <= 1


def test_a_blank_image_is_nothing_drawn():
    with pytest.raises(preprocess.NothingDrawnError):
        preprocess.prepare_bytes(png_bytes(Image.new("L", (100, 100), 255)))


def test_text_is_not_an_image():
    with pytest.raises(preprocess.ImageError, match="not an image"):
        preprocess.prepare_bytes(b"%PDF-1.4 not an image")


def test_canvas_strokes_on_a_transparent_background():
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[40:240, 100:120] = (0, 0, 0, 255)  # a black vertical stroke
    prepared = preprocess.prepare_canvas(rgba)
    assert prepared.shape == (28, 28, 1) and prepared[..., 0].max(axis=1).min() > 0.5
