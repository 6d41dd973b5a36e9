"""The real-world development sets: strangers' doodles (Quick, Draw!) and phone photos of garments.

They live outside the repository, in ../shared/real-dev (or $CNN_REAL_DEV), with their licences;
nothing here copies them. Each file's items are split once and for all by position: even
positions are the tuning half (look at it, tune on it), odd positions the held-out half (report
on it). Figures for real input in README.md and bench/README.md come from the held-out half.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from cnn import config
from cnn.drawing import drawings
from cnn.drawing import photos as photos_module

PARTS = ("tuning", "held_out", "all")


def _classes(*names: str) -> frozenset[int]:
    return frozenset(config.CLASS_NAMES_EN.index(name) for name in names)


_FOOTWEAR = _classes("Sandal", "Sneaker", "Ankle boot")
_BAG = _classes("Bag")


# Which Fashion-MNIST classes count as right for each category (../shared/real-dev/README.md).
DOODLE_CLASSES = {
    "t-shirt": _classes("T-shirt/top"),
    "pants": _classes("Trouser"),
    "sweater": _classes("Pullover"),
    "jacket": _classes("Coat"),
    "flip flops": _classes("Sandal"),
    "shoe": _FOOTWEAR,
    "purse": _BAG,
    "backpack": _BAG,
    "suitcase": _BAG,
}
PHOTO_CLASSES = {
    "t-shirt": _classes("T-shirt/top"),
    "pants": _classes("Trouser"),
    "longsleeve": _classes("Pullover", "Shirt"),
    "dress": _classes("Dress"),
    "outwear": _classes("Coat"),
    "shirt": _classes("Shirt"),
    "shoes": _FOOTWEAR,
}
# Quick, Draw! strokes come in a 0-255 box aligned to the top left.
DOODLE_BOX = 255.0


@dataclasses.dataclass(frozen=True)
class Item:
    """One real doodle or photo: its category, the classes that count as right, and the data."""

    category: str
    accepted: frozenset[int]
    name: str  # where it comes from, for the picture and for error messages
    strokes: list[np.ndarray] | None = None  # doodles: (k, 2) points in the 0-255 box
    path: Path | None = None  # photos: the image file

    def is_right(self, predicted: int) -> bool:
        return predicted in self.accepted


def directory() -> Path | None:
    """Return the development sets' folder, or None when this machine has none."""
    path = config.real_dev_dir()
    return path if (path / "quickdraw").is_dir() and (path / "photos").is_dir() else None


def _in_part(position: int, part: str) -> bool:
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got {part!r}.")
    return part == "all" or photos_module.is_tuning(position) == (part == "tuning")


def _require(root: Path | None) -> Path:
    root = root or directory()
    if root is None:
        raise FileNotFoundError(
            f"No real-world development sets: set ${config.REAL_DEV_ENV} to a folder with quickdraw/ and photos/."
        )
    return root


def doodles(part: str = "held_out", root: Path | None = None) -> list[Item]:
    """Return the doodles of `part`, category by category in a fixed order."""
    root = _require(root)
    items = []
    for category, accepted in DOODLE_CLASSES.items():
        lines = (root / "quickdraw" / f"{category}.ndjson").read_text(encoding="utf-8").splitlines()
        for position, line in enumerate(line for line in lines if line.strip()):
            if _in_part(position, part):
                record = json.loads(line)
                strokes = [np.stack([stroke[0], stroke[1]], axis=1).astype(np.float64) for stroke in record["drawing"]]
                items.append(Item(category, accepted, f"{category} #{position}", strokes=strokes))
    return items


def photos(part: str = "held_out", root: Path | None = None) -> list[Item]:
    """Return the photos of `part`, folder by folder, files in name order."""
    root = _require(root)
    items = []
    for category, accepted in PHOTO_CLASSES.items():
        for position, path in enumerate(photos_module.category_files(root / "photos", category)):
            if _in_part(position, part):
                items.append(Item(category, accepted, f"{category}/{path.name}", path=path))
    return items


def doodle_canvas_strokes(
    strokes: list[np.ndarray], canvas_size: int = config.CANVAS_SIZE, margin: float = config.DOODLE_MARGIN
) -> list[np.ndarray]:
    """Return a doodle's strokes in canvas pixels, centred with `margin` (a share of the canvas) free on each side."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    span = float(max(high - low)) or 1.0
    scale = canvas_size * (1 - 2 * margin) / span
    offset = (canvas_size - (high - low) * scale) / 2
    return [(stroke - low) * scale + offset for stroke in strokes]


def doodle_canvas(
    item: Item, canvas_size: int = config.CANVAS_SIZE, brush_width: float = config.DEFAULT_BRUSH_WIDTH
) -> np.ndarray:
    """Render a doodle like the Draw page's canvas returns it: (size, size, 4) uint8 RGBA."""
    return drawings.render(doodle_canvas_strokes(item.strokes, canvas_size), canvas_size, brush_width)


def doodle_png(item: Item, size: int, pen: float, margin: float, transparent: bool = False) -> bytes:
    """Return a doodle saved as a PNG file by some other drawing app: black strokes `pen` pixels wide."""
    strokes = doodle_canvas_strokes(item.strokes, size, margin)
    rgba = drawings.render(strokes, size, pen, background=None if transparent else (255, 255, 255))
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG")
    return buffer.getvalue()


def categories(items: list[Item]) -> Iterator[tuple[str, list[int]]]:
    """Yield each category with the positions of its items in `items`, in first-seen order."""
    seen: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        seen.setdefault(item.category, []).append(index)
    yield from seen.items()


def top_k_right(probabilities: np.ndarray, items: list[Item], k: int) -> np.ndarray:
    """Return, per item, whether any accepted class is among the k most probable."""
    ranks = np.argsort(-probabilities, axis=1)[:, :k]
    return np.array([bool(item.accepted & set(row.tolist())) for item, row in zip(items, ranks, strict=True)])
