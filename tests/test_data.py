import gzip
import shutil

import numpy as np
import pytest

from cnn import config, data


def test_split_is_the_chapters_train_test_split(dataset):
    """The reference is scikit-learn itself, run exactly as the chapter runs it."""
    from sklearn.model_selection import train_test_split

    raw = data.load_raw()
    train_scaled = raw["train_images"].reshape(-1, 28, 28, 1) / 255.0
    train_scaled, val_scaled, train_target, val_target = train_test_split(
        train_scaled, raw["train_labels"], test_size=0.2, random_state=42
    )
    assert (len(dataset.train), len(dataset.val), len(dataset.test)) == (48000, 12000, 10000)
    np.testing.assert_array_equal(dataset.val.labels, val_target)
    np.testing.assert_array_equal(dataset.train.labels, train_target)
    np.testing.assert_allclose(dataset.val.scaled(), val_scaled, atol=1e-7)
    np.testing.assert_allclose(dataset.train.scaled()[:500], train_scaled[:500], atol=1e-7)
    np.testing.assert_allclose(dataset.val.scaled()[0], val_scaled[0], atol=1e-7)


def test_scaled_images_are_float32_in_unit_range(dataset):
    scaled = dataset.val.head(100).scaled()
    assert scaled.shape == (100, 28, 28, 1) and scaled.dtype == np.float32
    assert scaled.min() == 0.0 and scaled.max() == 1.0


def test_every_class_is_in_every_split(dataset):
    for part in (dataset.train, dataset.val, dataset.test):
        assert set(np.unique(part.labels)) == set(range(10))


def _copy_dataset(tmp_path):
    target = tmp_path / "fmnist"
    target.mkdir()
    for stem, _ in data.FILES.values():
        shutil.copy(config.DEBIAN_DATA_DIR / f"{stem}.gz", target)
    return target


def test_the_environment_variable_wins_over_the_debian_package(tmp_path, monkeypatch):
    folder = _copy_dataset(tmp_path)
    monkeypatch.setenv(config.DATA_DIR_ENV, str(folder))
    assert data.find_data_dir() == folder
    assert data.load_dataset().source == str(folder)


def test_uncompressed_files_are_accepted(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    for stem, _ in data.FILES.values():
        with gzip.open(config.DEBIAN_DATA_DIR / f"{stem}.gz") as packed:
            (folder / stem).write_bytes(packed.read())
    assert len(data.load_dataset(folder).test) == 10000


def test_keras_cache_is_searched_after_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    names = [name for name, _ in data.candidate_dirs()]
    assert names.index("Debian package") < names.index("Keras cache")
    assert data.candidate_dirs()[-1][1] == tmp_path / "datasets" / "fashion-mnist"


def test_missing_data_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DEBIAN_DATA_DIR", tmp_path / "nothing")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    with pytest.raises(data.DatasetError, match="apt-get install dataset-fashion-mnist"):
        data.find_data_dir(download=False)


def test_a_failed_download_is_a_clear_error(tmp_path, monkeypatch):
    from keras.datasets import fashion_mnist

    def offline():
        raise OSError("network unreachable")

    monkeypatch.setattr(config, "DEBIAN_DATA_DIR", tmp_path / "nothing")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(fashion_mnist, "load_data", offline)
    with pytest.raises(data.DatasetError, match="could not be downloaded"):
        data.find_data_dir()


def test_a_changed_byte_fails_the_checksum(tmp_path):
    folder = _copy_dataset(tmp_path)
    path = folder / "t10k-labels-idx1-ubyte.gz"
    with gzip.open(path) as packed:
        raw = bytearray(packed.read())
    raw[100] = (raw[100] + 1) % 10
    with gzip.open(path, "wb") as packed:
        packed.write(bytes(raw))
    with pytest.raises(data.DatasetError, match="checksum"):
        data.load_raw(folder)


def test_a_corrupt_gzip_is_a_clear_error(tmp_path):
    folder = _copy_dataset(tmp_path)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"this is not gzip")
    with pytest.raises(data.DatasetError, match="cannot be read"):
        data.load_raw(folder)


def test_a_truncated_idx_file_is_caught_without_the_checksum(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte"
    header = bytes([0, 0, 8, 1]) + (10000).to_bytes(4, "big")
    path.write_bytes(header + bytes(500))
    with pytest.raises(data.DatasetError, match="truncated"):
        data.read_idx(path)


def test_unknown_split_name_is_refused(dataset):
    with pytest.raises(ValueError, match="Unknown split"):
        dataset.split("validation")
