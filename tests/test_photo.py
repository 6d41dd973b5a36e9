"""Foreground separation for phone photos (cnn.photo) on synthetic photos with known answers."""

import io

import numpy as np
import pytest
from hypothesis import given
from PIL import Image, ImageDraw
from test_preprocess_properties import FAST, encoded_images, prepared_or_image_error

from cnn import photo, preprocess

SIZE = 240


def floor(seed: int = 0) -> np.ndarray:
    """A wooden-looking floor: brown planks of varied shade with grain noise, (SIZE, SIZE, 3) uint8."""
    rng = np.random.default_rng(seed)
    picture = np.zeros((SIZE, SIZE, 3), dtype=np.float32)
    for top in range(0, SIZE, 30):
        picture[top : top + 30] = np.array([120, 80, 45]) * rng.uniform(0.7, 1.2)
    picture += rng.normal(0, 12, size=picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


def t_shirt_mask() -> np.ndarray:
    """A T-shirt outline, body and sleeves, in the middle of the picture: (SIZE, SIZE) bool."""
    shape = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(shape).polygon(
        [(80, 50), (160, 50), (200, 90), (180, 110), (165, 100), (165, 195), (75, 195), (75, 100), (60, 110), (40, 90)],
        fill=255,
    )
    return np.asarray(shape) > 0


def on_floor(mask: np.ndarray, colour=(235, 235, 230), seed: int = 0) -> np.ndarray:
    """A light garment with a little cloth texture where `mask` is, on the floor."""
    rng = np.random.default_rng(seed + 1)
    picture = floor(seed)
    cloth = np.clip(np.array(colour, dtype=np.float32) + rng.normal(0, 6, size=picture.shape), 0, 255)
    return np.where(mask[..., None], cloth, picture).astype(np.uint8)


def test_the_mask_covers_a_light_t_shirt_and_not_the_floor():
    truth = t_shirt_mask()
    found = photo.garment_mask(on_floor(truth))
    assert (found & truth).sum() / truth.sum() > 0.95  # the garment is in
    assert (found & ~truth).sum() / (~truth).sum() < 0.02  # the floor is out


def test_the_floor_does_not_reach_the_model_input():
    truth = t_shirt_mask()
    prepared = photo.prepare_photo(Image.fromarray(on_floor(truth)))
    # The same T-shirt cut out perfectly, through the same fit to 28x28.
    expected = preprocess.fit_to_square(photo.narrowed(truth.astype(np.float32)))
    assert np.abs((prepared[..., 0] > 0.1).astype(float) - (expected > 0.1)).mean() < 0.05


def test_a_garment_wider_than_tall_is_narrowed_and_a_tall_one_is_left_alone():
    wide = np.zeros((60, 200), dtype=np.float32)
    wide[10:50, 20:180] = 1.0  # 160 x 40 inside a black margin
    assert photo.narrowed(wide).shape == (40, round(photo.MAX_ASPECT * 40))
    tall = np.zeros((100, 50), dtype=np.float32)
    tall[10:90, 10:40] = 1.0
    assert photo.narrowed(tall).shape == (80, 30)


def test_a_pair_of_shoes_is_kept_as_one_item_and_a_far_smaller_speck_is_dropped():
    shoes = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(shoes)
    draw.ellipse((60, 60, 110, 180), fill=255)
    draw.ellipse((130, 60, 180, 180), fill=255)
    draw.ellipse((30, 200, 36, 206), fill=255)  # a crumb on the floor
    mask = np.asarray(shoes) > 0
    kept = photo.keep_item(mask)
    assert kept[120, 85] and kept[120, 155]
    assert not kept[203, 33]


def test_a_product_photo_on_a_plain_background_goes_the_dataset_way(dataset):
    rng = np.random.default_rng(0)
    from cnn.drawing import augment

    data = augment.photo_like(dataset.test.images[0], rng)
    image = preprocess.open_image(data)
    assert photo.is_plain_background(photo.working_rgb(image))
    np.testing.assert_array_equal(photo.prepare_photo(image), preprocess.prepare_image(image))


def test_a_photo_on_a_textured_floor_is_not_plain():
    assert not photo.is_plain_background(on_floor(t_shirt_mask()))


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "I;16", "1", "CMYK"])
def test_every_colour_mode_gives_a_model_input(mode):
    picture = Image.fromarray(on_floor(t_shirt_mask()))
    if mode == "I;16":
        picture = Image.fromarray(np.asarray(picture.convert("L")).astype("<u2") * 257)
    else:
        picture = picture.convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, format="TIFF")
    prepared = photo.prepare_bytes(buffer.getvalue())
    assert prepared.shape == (28, 28, 1) and prepared.dtype == np.float32
    assert prepared.min() >= 0 and prepared.max() == 1.0


def test_a_missing_file_is_an_image_error(tmp_path):
    with pytest.raises(preprocess.ImageError, match="cannot be read"):
        photo.prepare_file(tmp_path / "missing.jpg")


@FAST
@given(encoded_images())
def test_any_uploaded_image_gives_a_photo_input_or_an_image_error(data):
    prepared_or_image_error(photo.prepare_bytes, data)


@pytest.mark.parametrize(
    "picture",
    [
        Image.new("RGB", (1, 1), (90, 60, 30)),
        Image.new("L", (3000, 40), 128),  # flat and very wide
        Image.fromarray(np.random.default_rng(0).integers(0, 256, (2400, 3200, 3), dtype=np.uint8)),  # big noise
        Image.fromarray(np.dstack([on_floor(t_shirt_mask()), np.full((SIZE, SIZE), 120, np.uint8)]), "RGBA"),
    ],
    ids=["tiny", "flat-wide", "huge-noise", "half-transparent"],
)
def test_odd_pictures_give_a_model_input_or_an_image_error(picture):
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    prepared_or_image_error(photo.prepare_bytes, buffer.getvalue())
