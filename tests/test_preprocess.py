"""Preprocessing: uploads and canvas drawings become the dataset's kind of 28x28 picture, or a clear error."""

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from cnn import config, preprocess
from cnn.drawing import augment, drawings, hand_sets


def encode(image: Image.Image, fmt="PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def best_correlation(prepared: np.ndarray, original: np.ndarray) -> float:
    """Return the highest correlation of two 28x28 pictures over shifts of up to one pixel."""
    return max(
        np.corrcoef(np.roll(prepared.reshape(28, 28), (dy, dx), axis=(0, 1)).ravel(), original.ravel())[0, 1]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


def dark_bar_on_white(width=300, height=200, box=(50, 80, 250, 120)) -> Image.Image:
    canvas = Image.new("L", (width, height), 255)
    canvas.paste(0, box)
    return canvas


def ink_box(prepared: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(prepared.reshape(28, 28).max(axis=1) > 0.5)
    cols = np.flatnonzero(prepared.reshape(28, 28).max(axis=0) > 0.5)
    return rows[0], rows[-1], cols[0], cols[-1]


# Polarity, centring, aspect


def test_a_dataset_image_comes_back_unchanged(dataset):
    errors = []
    for original in dataset.test.images[:40]:
        prepared = preprocess.prepare_bytes(encode(Image.fromarray(original)))
        assert prepared.shape == (28, 28, 1) and prepared.dtype == np.float32
        errors.append(np.abs(prepared[..., 0] - original / original.max()).mean())
    # Trim, fit and centre are the dataset's own steps, so its images are their own fixed point;
    # a few have a last row fainter than the 5% trim level and come back a pixel larger.
    assert np.median(errors) < 0.005 and np.mean(np.array(errors) < 0.02) >= 0.9


def test_a_dark_garment_on_white_is_inverted(dataset):
    dark_on_white = Image.fromarray(255 - dataset.test.images[1]).resize((280, 280))
    prepared = preprocess.prepare_bytes(encode(dark_on_white))
    assert prepared[0, 0, 0] == 0.0 and prepared.max() == pytest.approx(1.0)
    # Enlarging ten times and shrinking back blurs it a little.
    assert best_correlation(prepared, dataset.test.images[1]) > 0.9


def test_light_on_dark_and_dark_on_light_give_the_same_picture(dataset):
    garment = Image.fromarray(dataset.test.images[7]).resize((140, 140), Image.Resampling.BICUBIC)
    light = preprocess.prepare_bytes(encode(garment))
    dark = preprocess.prepare_bytes(encode(Image.fromarray(255 - np.asarray(garment))))
    assert np.abs(light - dark).max() < 0.02


def test_a_wide_object_keeps_its_aspect_and_is_centred():
    prepared = preprocess.prepare_bytes(encode(dark_bar_on_white()))
    top, bottom, left, right = ink_box(prepared)
    assert (left, right) == (0, 27)  # the long edge fills 28 pixels
    assert 5 <= bottom - top + 1 <= 6  # 40/200 of 28 is 5.6
    assert abs((top + bottom) / 2 - 13.5) <= 0.5


def test_a_tall_object_in_a_corner_is_moved_to_the_middle():
    prepared = preprocess.prepare_bytes(encode(dark_bar_on_white(400, 400, (10, 10, 70, 250))))
    top, bottom, left, right = ink_box(prepared)
    assert (top, bottom) == (0, 27)
    assert abs((left + right) / 2 - 13.5) <= 0.5 and 6 <= right - left + 1 <= 8  # 60/240 of 28 is 7


def test_a_speck_of_noise_does_not_move_the_garment():
    picture = dark_bar_on_white(400, 400, (150, 100, 250, 300))
    clean = preprocess.prepare_bytes(encode(picture))
    picture.putpixel((395, 395), 120)
    assert np.array_equal(preprocess.prepare_bytes(encode(picture)), clean)


# File formats


def test_exif_rotation_is_applied_before_anything_else():
    upright = dark_bar_on_white(300, 200, (20, 20, 280, 60))  # a wide bar near the top
    # Orientation 6: the camera was turned, viewers rotate the picture 90 degrees clockwise.
    exif = Image.Exif()
    exif[0x0112] = 6
    turned = preprocess.prepare_bytes(encode(upright.convert("RGB"), "JPEG", exif=exif.tobytes()))
    plain = preprocess.prepare_bytes(encode(upright.rotate(-90, expand=True)))
    assert best_correlation(turned, plain[..., 0]) > 0.97
    top, bottom, left, right = ink_box(turned)
    assert (top, bottom) == (0, 27) and right - left < 10  # now a tall bar


def test_palette_and_transparent_images_are_read(dataset):
    original = dataset.test.images[3]
    reference = preprocess.prepare_bytes(encode(Image.fromarray(original)))
    palette = Image.fromarray(original).convert("P")
    assert best_correlation(preprocess.prepare_bytes(encode(palette)), reference[..., 0]) > 0.97
    # A product cut-out: a dark garment on a fully transparent background.
    rgba = np.zeros((28, 28, 4), dtype=np.uint8)
    rgba[..., 3] = original
    cutout = preprocess.prepare_bytes(encode(Image.fromarray(rgba).resize((200, 200))))
    assert cutout[0, 0, 0] == 0 and best_correlation(cutout, original) > 0.9
    palette_transparent = Image.fromarray(rgba).convert("P", palette=Image.Palette.ADAPTIVE)
    palette_transparent.info["transparency"] = 0
    assert preprocess.prepare_bytes(encode(palette_transparent)).shape == (28, 28, 1)


def test_sixteen_bit_grayscale_is_scaled_by_its_range(dataset):
    original = dataset.test.images[4]
    sixteen = Image.fromarray(original.astype("<u2") * 257)
    assert sixteen.mode == "I;16"
    prepared = preprocess.prepare_bytes(encode(sixteen))
    assert best_correlation(prepared, original) > 0.97


def test_cmyk_jpeg_is_read_like_rgb():
    picture = dark_bar_on_white(300, 300, (100, 40, 200, 260)).convert("RGB")
    cmyk = preprocess.prepare_bytes(encode(picture.convert("CMYK"), "JPEG", quality=95))
    rgb = preprocess.prepare_bytes(encode(picture, "JPEG", quality=95))
    assert np.abs(cmyk - rgb).mean() < 0.03


def test_an_animated_gif_is_read_from_its_first_frame():
    first = dark_bar_on_white(100, 100, (45, 5, 55, 95)).convert("P")  # tall
    second = dark_bar_on_white(100, 100, (5, 45, 95, 55)).convert("P")  # wide
    gif = encode(first, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    top, bottom, left, right = ink_box(preprocess.prepare_bytes(gif))
    assert bottom - top > right - left


def test_a_float_image_in_zero_to_one_is_read():
    array = np.zeros((50, 50), dtype=np.float32)
    array[10:40, 20:30] = 0.9
    prepared = preprocess.prepare_image(Image.fromarray(array, mode="F"))
    assert prepared.max() == pytest.approx(1.0) and prepared[0, 0, 0] == 0


# Sizes and limits


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def test_a_decompression_bomb_is_refused_before_decoding():
    # A valid PNG header claiming 20000x20000 pixels; decoding it would need 400 MB or more.
    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
    started = time.perf_counter()
    with pytest.raises(preprocess.ImageError, match="too large"):
        preprocess.prepare_bytes(png + png_chunk(b"IEND", b""))
    assert time.perf_counter() - started < 1.0


def test_a_large_photo_is_shrunk_and_still_read():
    picture = dark_bar_on_white(4000, 3000, (1500, 300, 2500, 2700)).convert("RGB")
    prepared = preprocess.prepare_bytes(encode(picture, "JPEG", quality=90))
    top, bottom, left, right = ink_box(prepared)
    assert (top, bottom) == (0, 27) and 10 <= right - left + 1 <= 13  # 1000/2400 of 28 is 11.7


def test_a_one_pixel_image_is_nothing_drawn():
    for colour in (0, 128, 255):
        with pytest.raises(preprocess.NothingDrawnError):
            preprocess.prepare_bytes(encode(Image.new("L", (1, 1), colour)))


def test_a_tiny_image_with_a_dot_is_centred_and_enlarged():
    tiny = Image.new("L", (3, 3), 255)
    tiny.putpixel((0, 0), 0)
    prepared = preprocess.prepare_bytes(encode(tiny))
    assert prepared.shape == (28, 28, 1) and prepared.min() == 1.0  # the dot fills the square


@pytest.mark.parametrize("colour", [0, 255, 128])
def test_a_uniform_image_is_nothing_drawn(colour):
    with pytest.raises(preprocess.NothingDrawnError, match="Nothing stands out"):
        preprocess.prepare_bytes(encode(Image.new("RGB", (100, 80), (colour,) * 3)))


def test_text_is_not_an_image():
    with pytest.raises(preprocess.ImageError, match="not an image"):
        preprocess.prepare_bytes(b"%PDF-1.4 not an image")


def test_an_empty_or_truncated_file_is_a_clear_error():
    with pytest.raises(preprocess.ImageError, match="empty"):
        preprocess.prepare_bytes(b"")
    whole = encode(dark_bar_on_white().convert("RGB"), "JPEG")
    with pytest.raises(preprocess.ImageError):
        preprocess.prepare_bytes(whole[: len(whole) // 3])


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(preprocess.ImageError, match="cannot be read"):
        preprocess.prepare_file(tmp_path / "nothing.png")


# Canvas drawings


def test_canvas_strokes_on_a_transparent_background():
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[40:240, 100:120] = (0, 0, 0, 255)  # a black vertical stroke
    prepared = preprocess.prepare_canvas(rgba)
    assert prepared.shape == (28, 28, 1) and prepared[..., 0].max(axis=1).min() > 0.5


@pytest.mark.parametrize("color", [(0, 0, 0), (255, 255, 255), (255, 220, 0), (30, 90, 200)])
def test_any_brush_colour_gives_the_same_input(color):
    strokes = drawings.scale_strokes(hand_sets.TUNING[4].strokes)
    black = preprocess.prepare_canvas(drawings.render(strokes))
    coloured = preprocess.prepare_canvas(drawings.render(strokes, color=color))
    assert np.array_equal(black, coloured)


def test_a_canvas_with_a_white_background_reads_like_a_transparent_one():
    strokes = drawings.scale_strokes(hand_sets.TUNING[0].strokes)
    transparent = preprocess.prepare_canvas(drawings.render(strokes))
    white = preprocess.prepare_canvas(drawings.render(strokes, background=(255, 255, 255)))
    assert np.abs(transparent - white).max() < 0.02


def test_the_canvas_size_does_not_matter():
    drawing = hand_sets.TUNING[8]
    small = preprocess.prepare_canvas(drawings.render_drawing(drawing, 200, stroke_width=12))
    large = preprocess.prepare_canvas(drawings.render_drawing(drawing, 400, stroke_width=24))
    # Only the anti-aliased edges differ, rendered at different resolutions.
    assert np.abs(small - large).mean() < 0.03


def test_a_blank_canvas_is_nothing_drawn():
    with pytest.raises(preprocess.NothingDrawnError):
        preprocess.prepare_canvas(np.zeros((280, 280, 4), dtype=np.uint8))
    with pytest.raises(preprocess.NothingDrawnError):
        preprocess.prepare_canvas(np.full((280, 280, 4), 255, dtype=np.uint8))


def test_canvas_data_of_the_wrong_shape_is_refused():
    for shape in [(280, 280), (280, 280, 2), (0, 280, 4)]:
        with pytest.raises(preprocess.ImageError, match="expected"):
            preprocess.prepare_canvas(np.zeros(shape, dtype=np.uint8))


def test_float_canvas_data_is_read_like_bytes():
    rgba = drawings.render_drawing(hand_sets.TUNING[12])
    assert np.array_equal(preprocess.prepare_canvas(rgba.astype(np.float32) / 255), preprocess.prepare_canvas(rgba))


# Drawing options


def square_outline(width: int = 10) -> np.ndarray:
    return drawings.render([[(60, 60), (220, 60), (220, 220), (60, 220), (60, 60)]], stroke_width=width)


def test_a_closed_outline_is_filled():
    filled = preprocess.prepare_canvas(square_outline(), fill=True)[..., 0]
    assert filled[14, 14] == pytest.approx(preprocess.FILL_LEVEL, abs=0.01)
    assert preprocess.prepare_canvas(square_outline())[14, 14, 0] == 0


def test_an_open_outline_is_not_filled():
    cup = drawings.render([[(60, 60), (60, 220), (220, 220), (220, 60)]], stroke_width=10)
    assert preprocess.prepare_canvas(cup, fill=True)[14, 14, 0] == 0


def test_small_enclosed_gaps_stay_empty():
    mask = np.zeros((56, 56), dtype=bool)
    mask[10:20, 10:20] = True
    mask[12:14, 12:14] = False  # a 4-pixel hole, far below MIN_HOLE_SHARE
    garment = mask.astype(np.float32)
    assert np.array_equal(preprocess.fill_outlines(garment), garment)


def test_enclosed_regions_are_labelled_separately():
    mask = np.zeros((20, 30), dtype=bool)
    mask[[2, 17], 2:28] = True
    mask[2:18, [2, 14, 27]] = True  # two boxes side by side
    labels = preprocess.enclosed_regions(mask)
    assert len(np.unique(labels[labels > 0])) == 2
    assert labels[0, 0] == 0 and labels[10, 8] != labels[10, 20]


@pytest.mark.parametrize("width", [6, 12, 24])
def test_the_stroke_width_estimate_matches_the_brush(width):
    garment = preprocess.canvas_garment(square_outline(width))
    assert preprocess.stroke_width(garment) == pytest.approx(width, rel=0.15)


def test_thin_strokes_are_thickened_to_the_target_width():
    thin = preprocess.prepare_canvas(square_outline(4))[..., 0]
    normalised = preprocess.prepare_canvas(square_outline(4), stroke=3.0)[..., 0]
    assert (normalised > 0.5).sum() > 1.5 * (thin > 0.5).sum()
    width = preprocess.stroke_width(normalised)
    assert width == pytest.approx(3.0, abs=1.0)


def outline_on(side: int, width: float) -> np.ndarray:
    """A square outline spanning `side` pixels of a canvas of that size, drawn with a pen `width` wide."""
    margin = width / 2 + 1
    corners = [(margin, margin), (side - margin, margin), (side - margin, side - margin), (margin, side - margin)]
    return drawings.render([[*corners, corners[0]]], canvas_size=side, stroke_width=width)


@pytest.mark.parametrize("pen", [1, 2, 4])
def test_strokes_thinner_than_any_brush_are_widened_to_the_share_of_the_drawing(pen):
    crop = preprocess.canvas_garment(outline_on(240, pen))
    widened = preprocess.widen_thin_strokes(crop)
    side = max(widened.shape)
    assert preprocess.stroke_width(crop) < preprocess.THIN_STROKE_SHARE * max(crop.shape)
    assert preprocess.stroke_width(widened) == pytest.approx(preprocess.WIDENED_STROKE_SHARE * side, rel=0.25)
    # The strokes grow outwards as well as inwards, so the array grows by the same margin.
    assert widened.shape[0] > crop.shape[0] and widened.shape[0] - crop.shape[0] == widened.shape[1] - crop.shape[1]


@pytest.mark.parametrize("brush", [config.DEFAULT_BRUSH_WIDTH, 30])
def test_strokes_of_a_usual_brush_are_left_as_drawn(brush):
    crop = preprocess.canvas_garment(outline_on(240, brush))
    assert preprocess.widen_thin_strokes(crop) is crop
    canvas = outline_on(240, brush)
    assert np.array_equal(
        preprocess.prepare_canvas(canvas, widen_thin=True), preprocess.prepare_canvas(canvas, widen_thin=False)
    )


def test_a_thin_pen_drawing_reaches_the_model_as_strokes_not_a_faint_trace():
    canvas = outline_on(1000, 2)  # a 2-pixel pen on a large picture: a fifth of a pixel at 28x28
    faint = preprocess.prepare_canvas(canvas)[..., 0]
    widened = preprocess.prepare_canvas(canvas, widen_thin=True)[..., 0]
    # Shrunk as drawn, the line is a trace at half the brightness of the corners where its ends overlap.
    assert np.median(faint[0, 1:-1]) < 0.7 < 0.9 < np.median(widened[0, 1:-1])
    assert widened.sum() > 2 * faint.sum()


def test_the_draw_page_widens_thin_strokes_for_the_drawing_model_only():
    # Chosen on the tuning half of the real doodles: it helped the drawing model, not the chapter's (bench/README.md).
    assert preprocess.DRAWING_MODEL_OPTIONS["widen_thin"] and not preprocess.DRAWING_OPTIONS["widen_thin"]


def test_a_canvas_is_prepared_in_a_few_milliseconds():
    # A loose bound that only catches an accidental slow path; bench/drawings.py measures properly.
    rgba = drawings.render_drawing(hand_sets.TUNING[0])
    preprocess.prepare_canvas(rgba, fill=True)
    started = time.perf_counter()
    for _ in range(20):
        preprocess.prepare_canvas(rgba, fill=True)
    assert (time.perf_counter() - started) / 20 < 0.05


# The photo round trip


@pytest.mark.slow
def test_the_photo_round_trip_keeps_the_shipped_models_accuracy(dataset):
    from cnn import model_files
    from cnn.predict import predict_probabilities

    model = model_files.load_model(config.SHIPPED_MODEL_PATH)
    rng = np.random.default_rng(0)
    images, labels = dataset.test.images[:400], dataset.test.labels[:400]
    photos = np.stack([preprocess.prepare_bytes(augment.photo_like(image, rng)) for image in images])
    original = predict_probabilities(model, dataset.test.scaled()[:400]).argmax(axis=1)
    round_trip = predict_probabilities(model, photos).argmax(axis=1)
    assert (round_trip == labels).mean() >= (original == labels).mean() - 0.02
    assert (round_trip == original).mean() > 0.93


def test_a_photo_like_upload_is_a_dark_garment_on_an_off_white_jpeg(dataset):
    blob = augment.photo_like(dataset.test.images[0], np.random.default_rng(1))
    picture = Image.open(io.BytesIO(blob))
    assert picture.format == "JPEG" and picture.width >= 6 * 28
    pixels = np.asarray(picture.convert("L"))
    assert pixels[0, 0] > 220 and pixels.min() < 60
