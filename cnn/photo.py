"""Phone photos of garments: cut the garment out of the floor, bed or wall, then make the dataset's 28x28 input.

A picture on a plain, even background (a product photo, a drawing on white) goes the dataset's
way, `preprocess.prepare_image`: it thresholds against the background. A real photo has no such
background, so OpenCV's GrabCut separates the garment first, seeded with the picture's edge band
as background and all inside it as probable garment; the cut-out's brightness, negated like the
dataset, is put on black, a garment spread wider than the dataset's is narrowed, and it goes
through the same fit to 28x28.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from cnn import preprocess

# GrabCut runs on the picture shrunk to this longest edge: the result is 28 pixels wide, and GrabCut's
# time grows with the pixel count (bench/README.md#real-phone-photos).
CUT_SIZE = 256
GRABCUT_ITERATIONS = 5
# The edge band, this share of the shorter side, is seeded as sure background and all inside it as
# probable garment (GrabCut's rectangle): a smaller middle seed lost sleeves and legs, a thinner
# band or an unsure one let the floor in (bench/README.md#real-phone-photos).
BORDER_SHARE = 0.04
# A background counts as plain (a product photo or drawing: the threshold path is already right)
# when this share of its edge lies within PLAIN_TOLERANCE of the edge's usual brightness.
PLAIN_SHARE = 0.9
PLAIN_TOLERANCE = 0.06
# The cut-out's brightness is stretched into [GARMENT_FLOOR, 1] so that a white shirt, which
# negates to nearly black, still stands out from the black background as a silhouette.
GARMENT_FLOOR = 0.35
# Percentiles of the garment's brightness that map to GARMENT_FLOOR and 1: a few specks do not set the range.
LEVEL_PERCENTILES = (2, 98)
# A cut-out wider than this times its height is narrowed to it before the fit to 28x28: garments laid
# flat spread their sleeves far wider than the dataset's, and the models read those as Bag; this cap
# read best on the tuning half (bench/README.md#real-phone-photos).
MAX_ASPECT = 0.9
# A second part at least this share of the largest one's area is kept too: a pair of shoes is one item.
PAIR_SHARE = 0.5


def is_plain_background(rgb: np.ndarray) -> bool:
    """Return whether the picture's edge is one even shade, as on a product photo or a drawing."""
    gray = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32) / 255.0
    height, width = gray.shape
    band = max(1, round(BORDER_SHARE * min(height, width)))
    edge = np.concatenate([gray[:band].ravel(), gray[-band:].ravel(), gray[:, :band].ravel(), gray[:, -band:].ravel()])
    level = float(np.median(edge))
    return float(np.mean(np.abs(edge - level) < PLAIN_TOLERANCE)) >= PLAIN_SHARE


def seed_labels(height: int, width: int) -> np.ndarray:
    """Return GrabCut's starting labels: the edge band sure background, everything inside it probable garment."""
    mask = np.full((height, width), cv2.GC_PR_FGD, dtype=np.uint8)
    band = max(1, round(BORDER_SHARE * min(height, width)))
    mask[:band], mask[-band:], mask[:, :band], mask[:, -band:] = cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD
    return mask


def keep_item(mask: np.ndarray) -> np.ndarray:
    """Keep the largest connected part of a boolean mask, and a second one of similar size (a pair of shoes)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    order = np.argsort(-areas)
    keep = [order[0] + 1]
    if len(order) > 1 and areas[order[1]] >= PAIR_SHARE * areas[order[0]]:
        keep.append(order[1] + 1)
    return np.isin(labels, keep)


def grabcut(rgb: np.ndarray, labels: np.ndarray | None = None, seed: int = 0) -> np.ndarray:
    """Return GrabCut's boolean (h, w) garment mask for an (h, w, 3) uint8 RGB photo, all parts.

    `labels` are the starting cv2.GC_* labels, by default the edge band as background.
    """
    height, width = rgb.shape[:2]
    if min(height, width) < 8:
        return np.ones((height, width), dtype=bool)
    cv2.setRNGSeed(seed)  # GrabCut's colour models start from k-means, which is random.
    labels = seed_labels(height, width) if labels is None else labels.copy()
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    try:
        bgr = np.ascontiguousarray(rgb[..., ::-1])
        cv2.grabCut(bgr, labels, None, background, foreground, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    except cv2.error:
        # GrabCut refuses pictures whose seeds hold a single colour; nothing can be separated then.
        return np.ones((height, width), dtype=bool)
    return (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)


def garment_mask(rgb: np.ndarray, seed: int = 0) -> np.ndarray:
    """Return a boolean (h, w) mask of the garment in an (h, w, 3) uint8 RGB photo."""
    mask = grabcut(rgb, seed=seed)
    return keep_item(mask) if mask.any() else np.ones(mask.shape, dtype=bool)


def cut_out(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Return the masked garment as (h, w) float32 on black: negated like the dataset, in [GARMENT_FLOOR, 1]."""
    gray = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32) / 255.0
    negated = 1.0 - gray
    if not mask.any():
        raise preprocess.NothingDrawnError()
    low, high = np.percentile(negated[mask], LEVEL_PERCENTILES)
    scaled = np.clip((negated - low) / max(float(high - low), 1e-3), 0.0, 1.0)
    return np.where(mask, GARMENT_FLOOR + (1.0 - GARMENT_FLOOR) * scaled, 0.0).astype(np.float32)


def narrowed(garment: np.ndarray, max_aspect: float = MAX_ASPECT) -> np.ndarray:
    """Trim a light-on-black garment to its box and squeeze it to at most `max_aspect` times as wide as tall."""
    top, bottom, left, right = preprocess.garment_box(garment)
    crop = garment[top:bottom, left:right]
    height, width = crop.shape
    if width <= max_aspect * height:
        return crop
    return cv2.resize(crop, (max(1, round(max_aspect * height)), height), interpolation=cv2.INTER_AREA)


def working_rgb(image: Image.Image, size: int = CUT_SIZE) -> np.ndarray:
    """Return a picture as (h, w, 3) uint8 RGB with its longest edge at most `size`, transparency on white."""
    image = image.copy()
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        image = Image.fromarray((preprocess.to_luminance(image) * 255).astype(np.uint8))
    image = image.convert("RGBA")
    image.thumbnail((size, size), Image.Resampling.BOX)
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, image).convert("RGB"))


def prepare_photo(image: Image.Image) -> np.ndarray:
    """Return a decoded picture as the model's (28, 28, 1) float32 input: GrabCut unless the background is plain."""
    rgb = working_rgb(image, CUT_SIZE)
    if is_plain_background(rgb):
        return preprocess.prepare_image(image)
    garment = narrowed(cut_out(rgb, garment_mask(rgb)))
    return preprocess.fit_to_square(garment)[..., np.newaxis]


def prepare_bytes(data: bytes) -> np.ndarray:
    """Return the model input for the bytes of an uploaded picture."""
    return prepare_photo(preprocess.open_image(data))


def prepare_file(path: str | Path) -> np.ndarray:
    """Return the model input for a picture on disk, as the Upload page reads it."""
    return prepare_bytes(preprocess.read_file(path))
