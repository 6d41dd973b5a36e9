"""Strangers' phone photos as training pictures (cnn.drawing.photos) on a tiny folder of synthetic photos."""

import numpy as np
import pytest
from PIL import Image
from test_photo import on_floor, t_shirt_mask

from cnn import config, data, photo
from cnn.drawing import photos


def photo_folder(root, counts: dict[str, int]):
    """Write `counts[category]` synthetic photos (a light T-shirt on a wooden floor) per category folder."""
    for category, count in counts.items():
        (root / category).mkdir(parents=True)
        for position in range(count):
            Image.fromarray(on_floor(t_shirt_mask(), seed=position)).save(root / category / f"{position:02d}.jpg")
    return root


def test_only_the_tuning_half_is_read_in_name_order_with_each_folders_class(tmp_path):
    folder = photo_folder(tmp_path / "photos", {"t-shirt": 3, "pants": 2})
    (folder / "pants" / "notes.txt").write_text("not a photo")
    (folder / "hats").mkdir()  # a folder the model has no class for
    found = photos.tuning_files(folder)
    assert [(path.parent.name, path.name) for path, _ in found] == [
        ("t-shirt", "00.jpg"),
        ("t-shirt", "02.jpg"),
        ("pants", "00.jpg"),
    ]
    names = [config.CLASS_NAMES_EN[label] for _, label in found]
    assert names == ["T-shirt/top", "T-shirt/top", "Trouser"]
    # The odd positions are what bench/real_dev.py reports on as held out.
    assert [photos.is_tuning(position) for position in range(4)] == [True, False, True, False]


def test_a_missing_or_empty_folder_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(photos.PhotoError, match="--no-photos"):
        photos.tuning_files(tmp_path / "nowhere")
    (tmp_path / "empty" / "hats").mkdir(parents=True)
    with pytest.raises(photos.PhotoError, match="holds none of the folders"):
        photos.tuning_files(tmp_path / "empty")


def test_the_cut_out_is_the_garment_light_on_black(tmp_path):
    folder = photo_folder(tmp_path, {"t-shirt": 1})
    garment = photos.cut_out_file(folder / "t-shirt" / "00.jpg")
    assert garment.dtype == np.float32 and garment.min() >= 0 and garment.max() <= 1
    # The floor is gone: the border is black, all of the T-shirt is lit, at least GARMENT_FLOOR bright.
    truth = t_shirt_mask()
    assert garment.shape == truth.shape
    assert garment[~truth].mean() < 0.01 and garment[truth].min() >= photo.GARMENT_FLOOR


def test_every_copy_is_a_different_28x28_picture_of_the_same_garment():
    garment = np.zeros((120, 90), dtype=np.float32)
    garment[10:110, 15:75] = 1.0  # a tall rectangle
    rng = np.random.default_rng(0)
    copies = [photos.variant(garment, rng) for _ in range(8)]
    for copy in copies:
        assert copy.shape == (28, 28) and copy.dtype == np.float32
        assert copy.min() >= 0 and copy.max() <= 1
        rows, columns = np.nonzero(copy > 0.5)
        # Still one tall garment in the middle, filling the height as the dataset's pictures do.
        assert rows.max() - rows.min() > columns.max() - columns.min()
        assert abs(columns.mean() - 13.5) < 3
    assert len({copy.tobytes() for copy in copies}) == 8


def test_the_training_pictures_are_seeded_uint8_with_their_labels(tmp_path):
    folder = photo_folder(tmp_path, {"t-shirt": 2, "shoes": 1})
    images, labels = photos.training_pictures(folder, copies=3, seed=5)
    assert images.shape == (6, 28, 28) and images.dtype == np.uint8 and images.max() > 200
    assert labels.tolist() == [0, 0, 0, 7, 7, 7]  # T-shirt/top, then shoes taught as Sneaker
    again, _ = photos.training_pictures(folder, copies=3, seed=5)
    assert np.array_equal(images, again)


def test_photo_pictures_join_the_training_images_only(dataset, tmp_path):
    from cnn.drawing import train as train_drawing

    folder = photo_folder(tmp_path, {"dress": 1})
    pictures = data.Split(*photos.training_pictures(folder, copies=4))
    doodles = data.Split(np.full((5, 28, 28), 7, dtype=np.uint8), np.full(5, 8, dtype=np.uint8))
    both = train_drawing.drawing_dataset(dataset, 100, 50, doodles=doodles, photo_pictures=pictures)
    plain = train_drawing.drawing_dataset(dataset, 100, 50)
    assert len(both.train) == len(plain.train) + 9 and len(both.val) == len(plain.val)
    assert (both.doodle_count, both.photo_count) == (5, 4)
    dresses = np.bincount(both.train.labels, minlength=10)[3] - np.bincount(plain.train.labels, minlength=10)[3]
    assert dresses == 4


def test_the_training_command_explains_a_missing_photo_folder(tmp_path, capsys):
    from cnn.drawing import train as train_drawing

    with pytest.raises(SystemExit) as stop:
        train_drawing.main(["--out", str(tmp_path), "--no-quickdraw", "--photos", str(tmp_path / "nowhere")])
    assert stop.value.code == 2 and "--no-photos" in capsys.readouterr().err
    assert not (tmp_path / "model.keras").exists()
