"""The real Fashion-MNIST, found offline, verified, scaled and split exactly like the chapter."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

from cnn import config

# The four IDX files, with the SHA-256 of their *uncompressed* bytes: the gzip
# wrappers differ between mirrors (Debian recompresses them), the content does not.
FILES = {
    "train_images": ("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    "train_labels": ("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    "test_images": ("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    "test_labels": ("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
}
TRAIN_COUNT = 60_000
TEST_COUNT = 10_000

HOW_TO_GET = (
    "Install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or put the four "
    "files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
    f"t10k-labels-idx1-ubyte.gz in a folder and set {config.DATA_DIR_ENV} to it, or run once with "
    "internet access so Keras can download them to its cache."
)


class DatasetError(RuntimeError):
    """The dataset is missing or not the real Fashion-MNIST; the message says how to fix it."""


@dataclasses.dataclass(frozen=True)
class Split:
    """Images and labels of one part of the dataset."""

    images: np.ndarray  # (n, 28, 28) uint8, white garment on black
    labels: np.ndarray  # (n,) uint8 class indices

    def __len__(self) -> int:
        return len(self.labels)

    def scaled(self) -> np.ndarray:
        """Return the images as the model sees them: (n, 28, 28, 1) float32 in [0, 1]."""
        return scale(self.images)

    def head(self, limit: int | None) -> Split:
        """Return the first `limit` samples (all of them when `limit` is None)."""
        if limit is None:
            return self
        return Split(self.images[:limit], self.labels[:limit])


@dataclasses.dataclass(frozen=True)
class Dataset:
    """The chapter's three parts: 48,000 train, 12,000 validation, 10,000 test."""

    train: Split
    val: Split
    test: Split
    source: str  # the folder the files were read from

    def split(self, name: str) -> Split:
        """Return the part called `name` ("train", "val" or "test")."""
        if name not in ("train", "val", "test"):
            raise ValueError(f"Unknown split {name!r}; use train, val or test.")
        return getattr(self, name)


def scale(images: np.ndarray) -> np.ndarray:
    """Turn (n, 28, 28) uint8 images into (n, 28, 28, 1) float32 in [0, 1]."""
    return (np.asarray(images, dtype=np.float32) / np.float32(255.0)).reshape(-1, *config.INPUT_SHAPE)


def split_indices(count: int = TRAIN_COUNT) -> tuple[np.ndarray, np.ndarray]:
    """Return (train, val) indices identical to train_test_split(test_size=0.2, random_state=42).

    scikit-learn's ShuffleSplit draws one permutation from RandomState(42); the first
    ceil(0.2 * n) indices are the held-out part and the rest, in order, the train part.
    tests/test_data.py checks this against scikit-learn itself.
    """
    n_val = int(np.ceil(config.VALIDATION_FRACTION * count))
    permutation = np.random.RandomState(config.SPLIT_SEED).permutation(count)
    return permutation[n_val:], permutation[:n_val]


def candidate_dirs() -> list[tuple[str, Path]]:
    """Return the places searched for the IDX files, in order, with a short name for each."""
    places = []
    if os.environ.get(config.DATA_DIR_ENV):
        places.append((f"${config.DATA_DIR_ENV}", Path(os.environ[config.DATA_DIR_ENV])))
    places.append(("Debian package", config.DEBIAN_DATA_DIR))
    places.append(("Keras cache", config.keras_cache_data_dir()))
    return places


def _file_in(directory: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        if (directory / name).is_file():
            return directory / name
    return None


def find_data_dir(download: bool = True) -> Path:
    """Return the first folder holding all four IDX files, downloading through Keras as a last resort."""
    for _, directory in candidate_dirs():
        if all(_file_in(directory, stem) for stem, _ in FILES.values()):
            return directory
    if download:
        try:
            from keras.datasets import fashion_mnist

            fashion_mnist.load_data()
        except Exception as error:  # Keras raises many kinds of network errors.
            raise DatasetError(
                "Fashion-MNIST was not found on this machine and could not be downloaded "
                f"({type(error).__name__}). {HOW_TO_GET}"
            ) from error
        return find_data_dir(download=False)
    searched = ", ".join(f"{name} ({path})" for name, path in candidate_dirs())
    raise DatasetError(f"Fashion-MNIST was not found. Searched: {searched}. {HOW_TO_GET}")


def read_idx(path: Path, expected_sha256: str | None = None) -> np.ndarray:
    """Read one IDX file (gzipped or not) into a uint8 array, checking its header and checksum."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise DatasetError(f"{path} cannot be read ({error}). {HOW_TO_GET}") from error
    if expected_sha256 is not None and hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise DatasetError(f"{path} is not the original Fashion-MNIST file (checksum mismatch). {HOW_TO_GET}")
    if len(raw) < 8 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DatasetError(f"{path} is not an IDX file of unsigned bytes. {HOW_TO_GET}")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) != header + int(np.prod(shape)):
        raise DatasetError(f"{path} is truncated or too long for its header {shape}. {HOW_TO_GET}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def load_raw(data_dir: Path | str | None = None, verify: bool = True) -> dict[str, np.ndarray]:
    """Return the four arrays (train/test images and labels) as uint8, verified."""
    directory = Path(data_dir) if data_dir is not None else find_data_dir()
    arrays = {}
    for key, (stem, sha256) in FILES.items():
        path = _file_in(directory, stem)
        if path is None:
            raise DatasetError(f"{directory} has no {stem}(.gz). {HOW_TO_GET}")
        arrays[key] = read_idx(path, sha256 if verify else None)
    expected = {
        "train_images": (TRAIN_COUNT, 28, 28),
        "train_labels": (TRAIN_COUNT,),
        "test_images": (TEST_COUNT, 28, 28),
        "test_labels": (TEST_COUNT,),
    }
    for key, shape in expected.items():
        if arrays[key].shape != shape:
            raise DatasetError(f"{key} has shape {arrays[key].shape}, expected {shape}. {HOW_TO_GET}")
    for key in ("train_labels", "test_labels"):
        if arrays[key].max() >= config.NUM_CLASSES:
            raise DatasetError(f"{key} holds labels outside 0-9. {HOW_TO_GET}")
    return arrays


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Load the verified dataset and split it into the chapter's train / validation / test parts."""
    directory = Path(data_dir) if data_dir is not None else find_data_dir()
    arrays = load_raw(directory)
    train_index, val_index = split_indices(len(arrays["train_labels"]))
    images, labels = arrays["train_images"], arrays["train_labels"]
    return Dataset(
        train=Split(images[train_index], labels[train_index]),
        val=Split(images[val_index], labels[val_index]),
        test=Split(arrays["test_images"], arrays["test_labels"]),
        source=str(directory),
    )
