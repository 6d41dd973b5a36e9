"""Strangers' phone photos for the drawing model to learn from, as the Upload page reads them.

The photos are the tuning half of a folder laid out like ../shared/real-dev/photos (one folder
per category, CC0 photos of SOURCE): in each folder, the files at
even positions in name order. The odd positions are the held-out half that bench/real_dev.py
reports on, so they are never read here. Each photo is cut out once, as cnn.photo does for an
upload (GrabCut), and drawn anew for every copy: turned, stretched and cut at an edge as a
student's photo or crop box would, then fitted to 28x28 the Upload page's way. Nothing of the
photos is committed; the model only learns from them.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from cnn import config, photo, preprocess

# Which Fashion-MNIST class each folder teaches. Long sleeves count as Pullover or Shirt, and shoes as
# any footwear (../shared/real-dev/README.md); they are taught as the nearest single class.
CATEGORY_CLASSES = {
    "t-shirt": "T-shirt/top",
    "pants": "Trouser",
    "longsleeve": "Pullover",
    "dress": "Dress",
    "outwear": "Coat",
    "shirt": "Shirt",
    "shoes": "Sneaker",
}
SOURCE = "alexeygrigorev/clothing-dataset-small"
SUFFIXES = {".jpg", ".jpeg", ".png"}
# Each photo becomes this many training pictures (bench/README.md#real-phone-photos).
COPIES = 32
MAX_ROTATION_DEGREES = 10.0
MAX_STRETCH = 0.15
# Up to this share of the garment's height or width is cut off one edge, as a tight crop box does.
MAX_EDGE_CUT = 0.1


class PhotoError(RuntimeError):
    """The photo folder is missing or holds no usable photo; the message says what to do."""


def is_tuning(position: int) -> bool:
    """Return whether the file at `position` (name order, within its folder) is in the tuning half."""
    return position % 2 == 0


def category_files(folder: Path, category: str) -> list[Path]:
    """Return a category's photo files in name order, both halves."""
    return sorted(path for path in (folder / category).iterdir() if path.suffix.lower() in SUFFIXES)


def tuning_files(folder: Path) -> list[tuple[Path, int]]:
    """Return (file, class index) for the tuning half of every category folder in `folder`."""
    if not folder.is_dir():
        raise PhotoError(
            f"{folder} is not a folder of photos (one folder per category, as ../shared/real-dev/photos); "
            "pass --photos PATH, or --no-photos to train without them."
        )
    found = []
    for category, class_name in CATEGORY_CLASSES.items():
        if not (folder / category).is_dir():
            continue
        files = category_files(folder, category)
        label = config.CLASS_NAMES_EN.index(class_name)
        found += [(path, label) for position, path in enumerate(files) if is_tuning(position)]
    if not found:
        raise PhotoError(f"{folder} holds none of the folders {', '.join(CATEGORY_CLASSES)} with photos in them.")
    return found


def cut_out_file(path: Path) -> np.ndarray:
    """Return the garment of a photo file as cnn.photo cuts it out: (h, w) float32, light on black."""
    rgb = photo.working_rgb(preprocess.open_image(preprocess.read_file(path)), photo.CUT_SIZE)
    return photo.cut_out(rgb, photo.garment_mask(rgb))


def variant(garment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return one new 28x28 picture of a cut-out garment: turned, stretched and cut at an edge, then fitted."""
    top, bottom, left, right = preprocess.garment_box(garment)
    crop = garment[top:bottom, left:right]
    height, width = crop.shape
    side = int(np.ceil(np.hypot(height, width))) + 2
    frame = np.zeros((side, side), dtype=np.float32)
    y, x = (side - height) // 2, (side - width) // 2
    frame[y : y + height, x : x + width] = crop
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), rng.uniform(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES), 1)
    turn[0, :2] *= 1 + rng.uniform(-MAX_STRETCH, MAX_STRETCH)
    turned = cv2.warpAffine(frame, turn, (side, side), flags=cv2.INTER_LINEAR)
    top, bottom, left, right = preprocess.garment_box(turned)
    turned = turned[top:bottom, left:right]
    edge = int(rng.integers(0, 4))
    share = rng.uniform(0, MAX_EDGE_CUT)
    rows, columns = turned.shape
    cut_rows, cut_columns = int(share * rows), int(share * columns)
    turned = [
        turned[cut_rows:],
        turned[: rows - cut_rows],
        turned[:, cut_columns:],
        turned[:, : columns - cut_columns],
    ][edge]
    return preprocess.fit_to_square(photo.narrowed(turned))


def training_pictures(folder: Path, copies: int = COPIES, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return `copies` pictures of each tuning-half photo in `folder`: (n, 28, 28) uint8 and labels."""
    rng = np.random.default_rng(seed)
    pictures, labels = [], []
    for path, label in tuning_files(folder):
        try:
            garment = cut_out_file(path)
        except preprocess.ImageError:
            continue  # a photo that cannot be read or holds nothing teaches nothing
        pictures += [variant(garment, rng) for _ in range(copies)]
        labels += [label] * copies
    if not pictures:
        raise PhotoError(f"None of the photos in {folder} could be read.")
    images = np.round(np.stack(pictures) * 255).astype(np.uint8)
    return images, np.asarray(labels, dtype=np.uint8)
