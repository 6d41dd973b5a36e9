"""Whatever picture arrives, preprocessing gives a (28, 28, 1) float32 array in [0, 1] or a clear ImageError."""

import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from cnn import preprocess
from cnn.drawing import drawings

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_model_input(prepared: np.ndarray) -> None:
    assert prepared.shape == (28, 28, 1)
    assert prepared.dtype == np.float32
    assert np.isfinite(prepared).all()
    assert prepared.min() >= 0.0 and prepared.max() <= 1.0
    # Something was found, so it is scaled to use the full range.
    assert prepared.max() == 1.0


def prepared_or_image_error(call, *args, **kwargs):
    try:
        prepared = call(*args, **kwargs)
    except preprocess.ImageError as error:
        assert str(error), "an ImageError always says why"
        return None
    assert_model_input(prepared)
    return prepared


sizes = st.integers(min_value=1, max_value=48)


@st.composite
def pixel_arrays(draw, channels: int):
    height, width = draw(sizes), draw(sizes)
    # Mostly flat pictures with a block of another colour, sometimes pure noise.
    if draw(st.booleans()):
        return draw(hnp.arrays(np.uint8, (height, width, channels)))
    array = np.full((height, width, channels), draw(st.integers(0, 255)), dtype=np.uint8)
    top, left = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
    bottom, right = draw(st.integers(top, height)), draw(st.integers(left, width))
    array[top:bottom, left:right] = draw(st.integers(0, 255))
    return array


@st.composite
def encoded_images(draw):
    mode = draw(st.sampled_from(["L", "RGB", "RGBA", "LA", "P", "1", "I;16", "CMYK"]))
    fmt = draw(st.sampled_from(["PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"]))
    array = draw(pixel_arrays(3))
    image = Image.fromarray(array, "RGB")
    if mode == "RGBA":
        alpha = draw(pixel_arrays(1))[..., 0]
        alpha = np.resize(alpha, array.shape[:2])
        image = Image.fromarray(np.dstack([array, alpha]), "RGBA")
    elif mode == "I;16":
        image = Image.fromarray(array[..., 0].astype("<u2") * 257)
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=fmt)
    except (OSError, ValueError, KeyError):
        # Not every format stores every mode (JPEG has no alpha, PNG no CMYK); TIFF stores them all.
        buffer = io.BytesIO()
        image.save(buffer, format="TIFF")
    return buffer.getvalue()


@FAST
@given(encoded_images())
def test_any_uploaded_image_gives_a_model_input_or_an_image_error(data):
    prepared_or_image_error(preprocess.prepare_bytes, data)


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_model_input_or_an_image_error(data):
    prepared_or_image_error(preprocess.prepare_bytes, data)


@FAST
@given(pixel_arrays(4), st.booleans(), st.sampled_from([None, 1.5, 2.5, 4.0]), st.booleans())
def test_any_canvas_gives_a_model_input_or_an_image_error(rgba, fill, stroke, widen_thin):
    prepared_or_image_error(preprocess.prepare_canvas, rgba, fill=fill, stroke=stroke, widen_thin=widen_thin)


@st.composite
def stroke_drawings(draw):
    count = draw(st.integers(1, 4))
    point = st.tuples(st.floats(0, 280), st.floats(0, 280))
    return [draw(st.lists(point, min_size=1, max_size=8)) for _ in range(count)]


@FAST
@given(stroke_drawings(), st.floats(1, 40), st.booleans(), st.sampled_from([None, 2.5]), st.booleans())
def test_any_stroke_drawing_gives_a_model_input(strokes, width, fill, stroke, widen_thin):
    canvas = drawings.render(strokes, stroke_width=width)
    prepared = preprocess.prepare_canvas(canvas, fill=fill, stroke=stroke, widen_thin=widen_thin)
    assert_model_input(prepared)
    # The same drawing always gives the same input.
    assert np.array_equal(prepared, preprocess.prepare_canvas(canvas, fill=fill, stroke=stroke, widen_thin=widen_thin))
