"""Turn any garment picture (canvas drawing, photo, upload) into the model's 28x28 input.

The steps mirror how Fashion-MNIST itself was made from product photos (Xiao et al.
2017, arXiv:1708.07747, section 2): find the background from the picture's edge, make the
garment light on black (the dataset's negation), trim to the garment, resize the longest
edge to 28 with the aspect kept, and centre it on a 28x28 black square. Drawings can also
have their closed outlines filled and their strokes brought to one width, which makes a
student's outline look more like the dataset's filled silhouettes.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from cnn import config

# Refuse images larger than this before decoding them: a 20000x20000 "decompression
# bomb" would take gigabytes; a phone photo is about 12 million pixels.
MAX_PIXELS = 50_000_000
# Larger pictures are shrunk to this longest edge before any pixel work: the result is
# 28 pixels wide anyway, and a 12-megapixel photo would otherwise take 200 MB as floats.
WORK_LIMIT = 1024
# A pixel belongs to the garment when it differs from the background by this share of the
# garment's brightest pixel. The dataset trimmed at 5% of full intensity; higher cuts the
# faint edges of test images, which then come back a pixel too large.
FOREGROUND_THRESHOLD = 0.05
# The edge's brightness histogram has this many bins; the fullest one is the background.
BACKGROUND_BINS = 32
# Below this contrast (0-1 scale) the picture is treated as empty: nothing drawn.
MIN_CONTRAST = 0.08
# The bounding box ignores this share of the garment's pixels at each edge, so a speck of
# noise in a corner does not shrink the garment into a corner of the 28x28 square.
TRIM_SHARE = 0.001
# Drawing options work on the garment at twice the model's resolution: fine enough for
# half-pixel stroke changes, small enough to stay quick on every stroke (bench/README.md#drawings).
DRAWING_WORK_SIZE = 2 * config.IMAGE_SIZE
# A region enclosed by strokes is filled when it covers at least this share of the
# garment's box: a bag's body or a shirt's front, not the small gaps between sandal straps.
MIN_HOLE_SHARE = 0.04
# Filled regions get this brightness, a little below the strokes, so that inner lines (a
# coat's opening, a shirt's placket) stay visible in the filled silhouette.
FILL_LEVEL = 0.8
# Stroke width (in 28x28 pixels) that the `stroke` option aims for, a little more than the
# default brush gives on the canvas; measured at this one value only (bench/README.md#evaluation-sets).
TARGET_STROKE_WIDTH = 2.5
# Strokes thinner than this share of the drawing's longest side, thinner than the thinnest brush the drawing
# model's doodles were drawn with, are widened to WIDENED_STROKE_SHARE before the fit to 28x28: a doodle
# saved from another app with a 1-3 px pen otherwise fades to a faint trace (bench/README.md#thin-strokes-2026-12-06).
THIN_STROKE_SHARE = 0.035
WIDENED_STROKE_SHARE = 0.05
# What the Draw view does to a drawing, per model. The chapter's model needs closed outlines filled
# to read drawings at all; the drawing model, which saw outlines while training, reads strangers'
# doodles (tuning half) and our hand drawings better as drawn (bench/README.md#real-doodles).
# Bringing every stroke to one width helped neither and is left off (bench/README.md#what-the-figures-say);
# widening only strokes too thin to survive helped the drawing model, not the chapter's
# (bench/README.md#thin-strokes-2026-12-06).
DRAWING_OPTIONS = {"fill": True, "stroke": None, "widen_thin": False}
DRAWING_MODEL_OPTIONS = {"fill": False, "stroke": None, "widen_thin": True}
# The canvas counts as transparent when most of its edge has alpha below this (0-255).
TRANSPARENT_ALPHA = 128

# Pillow opens HEIC and HEIF files (an iPhone's photos) from here on.
pillow_heif.register_heif_opener()


class ImageError(ValueError):
    """The picture cannot be turned into a model input; the message says why.

    `reason` names the kind of problem ("empty", "too_large", "not_image", "damaged",
    "unsupported", "nothing_drawn", "bad_canvas", "unreadable") so a UI can say it
    in the student's language.
    """

    def __init__(self, message: str, reason: str = "unreadable"):
        super().__init__(message)
        self.reason = reason


class NothingDrawnError(ImageError):
    """The picture is blank: no garment stands out from the background."""

    def __init__(self, message: str = "", reason: str = "nothing_drawn"):
        super().__init__(message or NOTHING_DRAWN, reason)


TOO_LARGE = (
    "The image is too large to open safely ({size} pixels; the limit is "
    f"{MAX_PIXELS // 1_000_000} million). Make it smaller and upload it again."
)
NOTHING_DRAWN = "Nothing stands out from the background: draw a garment, or upload a picture of one."


def open_image(source: bytes | str | Path | io.IOBase) -> Image.Image:
    """Decode an image file safely: size checked before decoding, EXIF rotation applied, first frame only."""
    if isinstance(source, bytes):
        if not source:
            raise ImageError("The file is empty.", "empty")
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError(TOO_LARGE.format(size=f"{width}x{height}"), "too_large")
            image.seek(0)
            # JPEGs can be decoded straight at 1/2, 1/4 or 1/8 size, which makes phone photos fast.
            if image.format == "JPEG" and max(width, height) > 2 * WORK_LIMIT:
                image.draft(image.mode, (WORK_LIMIT, WORK_LIMIT))
            image.load()
            image = ImageOps.exif_transpose(image)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError(TOO_LARGE.format(size="far too many"), "too_large") from error
    except UnidentifiedImageError as error:
        raise ImageError(
            "This file is not an image that can be read (use PNG, JPEG, WebP or HEIC).", "not_image"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError, TypeError) as error:
        raise ImageError(f"The image is damaged or truncated ({type(error).__name__}).", "damaged") from error
    if min(image.size) < 1:
        raise ImageError("The image has no pixels.", "empty")
    return image


def _shrink(image: Image.Image) -> Image.Image:
    """Return `image` with its longest edge at most WORK_LIMIT pixels."""
    if max(image.size) <= WORK_LIMIT:
        return image
    scale = WORK_LIMIT / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if image.mode not in ("L", "LA", "RGB", "RGBA", "I", "F", "I;16"):
        image = image.convert("RGBA")
    return image.resize(size, Image.Resampling.BOX)


def to_luminance(image: Image.Image) -> np.ndarray:
    """Return the garment as a (h, w) float32 array in [0, 1], light garment on a dark background."""
    image = _shrink(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16- and 32-bit grayscale, and float images: scale by the format's range.
        raw = np.nan_to_num(np.asarray(image, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        low, high = float(raw.min()), float(raw.max())
        if image.mode == "F" and low >= 0.0 and high <= 1.0:
            top = 1.0
        elif image.mode.startswith("I;16") or 255 < high <= 65535:
            top = 65535.0 if high > 255 else 255.0
        else:
            top = max(high, 255.0)
        gray = np.clip(raw / top, 0.0, 1.0).astype(np.float32)
        alpha = None
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
            image.mode == "P" and "transparency" in image.info
        )
        try:
            rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
        except ValueError as error:  # Modes such as LAB have no conversion to RGBA.
            raise ImageError(
                f"Images in colour mode {image.mode} are not supported; save it as PNG or JPEG.", "unsupported"
            ) from error
        gray = rgba[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        alpha = rgba[..., 3] if has_alpha else None
    if alpha is not None and alpha.min() < 0.98:
        # Transparent parts are background. Put the garment on whichever of black or
        # white it contrasts with, so a white stroke and a black stroke both survive.
        weight = alpha.sum()
        mean = float((gray * alpha).sum() / weight) if weight > 0 else 0.0
        backdrop = 0.0 if mean > 0.5 else 1.0
        gray = gray * alpha + backdrop * (1.0 - alpha)
    return garment_light_on_dark(gray)


def background_level(gray: np.ndarray) -> float:
    """Return the background's brightness: the most common brightness round the picture's edge.

    The dataset took the corner colour; the edge's most common shade also works when the
    garment covers corners (trousers' waistband) or much of the edge (a wide pullover),
    since the background is one flat shade and the garment many.
    """
    height, width = gray.shape
    border = max(1, min(height, width) // 20)
    frame = np.concatenate(
        [gray[:border].ravel(), gray[-border:].ravel(), gray[:, :border].ravel(), gray[:, -border:].ravel()]
    )
    counts, edges = np.histogram(frame, bins=BACKGROUND_BINS, range=(0.0, 1.0))
    peak = int(np.argmax(counts))
    in_peak = frame[(frame >= edges[peak]) & (frame <= edges[peak + 1])]
    return float(np.median(in_peak))


def garment_light_on_dark(gray: np.ndarray) -> np.ndarray:
    """Make the background black and the garment light, whatever the original polarity (the dataset's negation)."""
    background = background_level(gray)
    if background > 0.5:
        gray, background = 1.0 - gray, 1.0 - background
    # Stretch so the background is exactly 0; paper tint and shadows fall away.
    return np.clip((gray - background) / max(1e-6, 1.0 - background), 0.0, 1.0).astype(np.float32)


def canvas_garment(rgba: np.ndarray) -> np.ndarray:
    """Return a canvas's strokes as a (h, w) float32 array in [0, 1], light on dark.

    On a transparent canvas the strokes are exactly where alpha is, whatever the brush
    colour; a canvas with an opaque background is read like any picture.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4) or 0 in rgba.shape:
        raise ImageError(f"Canvas data has shape {rgba.shape}; expected (height, width, 4) RGBA.", "bad_canvas")
    if rgba.dtype != np.uint8:
        if not np.issubdtype(rgba.dtype, np.number):
            raise ImageError(f"Canvas data has type {rgba.dtype}; expected uint8 pixel values.", "bad_canvas")
        values = np.nan_to_num(rgba.astype(np.float64))
        # Float canvases in [0, 1] are scaled up; anything else is clipped to 0-255.
        rgba = np.clip(values * 255 if values.max() <= 1.0 else values, 0, 255).astype(np.uint8)
    if rgba.shape[2] == 4:
        alpha = rgba[..., 3]
        edge = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
        if np.median(edge) < TRANSPARENT_ALPHA:
            return alpha.astype(np.float32) / np.float32(255.0)
    return to_luminance(Image.fromarray(np.ascontiguousarray(rgba)))


def garment_box(garment: np.ndarray) -> tuple[int, int, int, int]:
    """Return (top, bottom, left, right), bottom and right exclusive, of the garment in a light-on-dark array."""
    peak = float(garment.max()) if garment.size else 0.0
    if peak < MIN_CONTRAST:
        raise NothingDrawnError(NOTHING_DRAWN)
    mask = garment > max(FOREGROUND_THRESHOLD * peak, MIN_CONTRAST / 2)
    return (*_trimmed_span(mask.sum(axis=1)), *_trimmed_span(mask.sum(axis=0)))


def _trimmed_span(counts: np.ndarray) -> tuple[int, int]:
    cumulative = np.cumsum(counts)
    total = cumulative[-1]
    cut = TRIM_SHARE * total
    start = int(np.searchsorted(cumulative, cut, side="right"))
    end = int(np.searchsorted(cumulative, total - cut, side="left")) + 1
    return start, max(start + 1, end)


def _resize(array: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resize a float array; area averaging keeps thin strokes when shrinking, bilinear when enlarging."""
    shrinking = width <= array.shape[1] and height <= array.shape[0]
    resample = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    image = Image.fromarray(np.ascontiguousarray(array, dtype=np.float32))
    return np.asarray(image.resize((width, height), resample), dtype=np.float32)


def _fitted_size(height: int, width: int, size: int) -> tuple[int, int]:
    scale = size / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def _grow(array: np.ndarray, steps: int, shrink: bool = False) -> np.ndarray:
    """Dilate (or erode, when `shrink`) a grayscale array by `steps` pixels with a 3x3 neighbourhood."""
    pick = np.minimum if shrink else np.maximum
    fill = 1.0 if shrink else 0.0
    for _ in range(steps):
        padded = np.pad(array, 1, constant_values=fill)
        out = array.copy()
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                out = pick(out, padded[dy : dy + array.shape[0], dx : dx + array.shape[1]])
        array = out
    return array


def stroke_width(garment: np.ndarray) -> float:
    """Estimate the typical stroke width of a light-on-dark drawing, in its own pixels (2 x area / outline)."""
    mask = garment > 0.5 * float(garment.max())
    area = int(mask.sum())
    if area == 0:
        return 0.0
    padded = np.pad(mask, 1)
    inner = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:] & mask
    edge = area - int(inner.sum())
    # A stroke of length L and width w has area L*w and an outline of about 2L.
    return 2.0 * area / max(edge, 1)


def set_stroke_width(garment: np.ndarray, width: float) -> np.ndarray:
    """Thicken or thin the strokes of a light-on-dark drawing towards `width` of its own pixels."""
    current = stroke_width(garment)
    # Each 3x3 dilation adds a pixel on both sides; a filled shape reads as very wide and is left alone.
    if current <= 0 or current > 3 * width:
        return garment
    steps = round((width - current) / 2)
    if steps > 0:
        return _grow(garment, steps)
    if steps < 0:
        return _grow(garment, -steps, shrink=True)
    return garment


def widen_thin_strokes(
    crop: np.ndarray, thin: float = THIN_STROKE_SHARE, widened: float = WIDENED_STROKE_SHARE
) -> np.ndarray:
    """Widen the strokes of a drawing trimmed to its box when they are thinner than `thin` of its longest side.

    `crop` is light on dark; the strokes grow to about `widened` of that side, the array by as much on every side.
    """
    side = max(crop.shape)
    width = stroke_width(crop)
    if width <= 0 or width >= thin * side:
        return crop
    steps = max(1, round((widened * side - width) / 2))
    return _grow(np.pad(crop, steps), steps)


def label_regions(mask: np.ndarray) -> np.ndarray:
    """Label the 4-connected regions of a boolean mask: 1 + the flat index of each region's first pixel, 0 off it."""
    height, width = mask.shape
    count = mask.size
    flat = mask.ravel()
    index = np.arange(count)
    # Each pixel's four neighbours as flat indices; `count` stands for "none" (edge or off the mask).
    neighbours = np.stack(
        [
            np.where(index >= width, index - width, count),
            np.where(index < count - width, index + width, count),
            np.where(index % width > 0, index - 1, count),
            np.where(index % width < width - 1, index + 1, count),
        ]
    )
    neighbours = np.where(np.append(flat, False)[neighbours], neighbours, count)
    parent = np.where(flat, index, count)
    # Take the smallest label among neighbours, then jump to the label's own label a few
    # times (pointer jumping): a handful of rounds instead of one per pixel of the region.
    while True:
        smallest = np.minimum(parent, np.append(parent, count)[neighbours].min(axis=0))
        for _ in range(3):
            smallest = np.append(smallest, count)[smallest]
        if np.array_equal(smallest, parent):
            break
        parent = smallest
    return np.where(flat, parent + 1, 0).reshape(height, width)


def enclosed_regions(mask: np.ndarray) -> np.ndarray:
    """Return labels (0 = none) of the regions a stroke mask encloses, unreachable from its edge without a crossing."""
    free = np.pad(~mask, 1, constant_values=True)
    # The padded frame is free and starts at flat index 0, so everything joined to it has label 1.
    labels = label_regions(free)
    labels[labels == 1] = 0
    return labels[1:-1, 1:-1]


def fill_outlines(garment: np.ndarray, level: float = FILL_LEVEL, min_share: float = MIN_HOLE_SHARE) -> np.ndarray:
    """Fill the regions that strokes enclose (larger than `min_share` of the box) with brightness `level`."""
    mask = garment > 0.3 * float(garment.max())
    labels = enclosed_regions(mask)
    counts = np.bincount(labels.ravel())
    counts[0] = 0
    big = np.flatnonzero(counts >= max(1, min_share * garment.size))
    if big.size == 0:
        return garment
    return np.where(np.isin(labels, big), np.maximum(garment, level), garment).astype(np.float32)


def fit_to_square(
    garment: np.ndarray,
    size: int = config.IMAGE_SIZE,
    *,
    fill: bool = False,
    stroke: float | None = None,
    widen_thin: bool = False,
) -> np.ndarray:
    """Trim to the garment, resize its longest edge to `size` with the aspect kept, centre it, and scale to [0, 1].

    `fill` fills closed outlines, `stroke` sets the stroke width (in pixels of the result) and
    `widen_thin` widens strokes too thin to survive the shrink (widen_thin_strokes); all are for drawings.
    """
    top, bottom, left, right = garment_box(garment)
    crop = garment[top:bottom, left:right]
    if widen_thin:
        crop = widen_thin_strokes(crop)
    if fill or stroke is not None:
        work = _resize(crop, *_fitted_size(*crop.shape, DRAWING_WORK_SIZE)[::-1])
        work = work / max(float(work.max()), 1e-6)
        if stroke is not None:
            work = set_stroke_width(work, stroke * DRAWING_WORK_SIZE / size)
        if fill:
            work = fill_outlines(work)
        crop = work
    new_height, new_width = _fitted_size(*crop.shape, size)
    resized = _resize(crop, new_width, new_height)
    square = np.zeros((size, size), dtype=np.float32)
    # An odd margin puts its extra pixel above and to the left, as the dataset does (its test
    # images come back unshifted); a one-pixel shift costs the chapter's model accuracy.
    top, left = (size - new_height + 1) // 2, (size - new_width + 1) // 2
    square[top : top + new_height, left : left + new_width] = resized
    peak = float(square.max())
    if peak <= 0:
        raise NothingDrawnError(NOTHING_DRAWN)
    return np.clip(square / peak, 0.0, 1.0)


def prepare_image(image: Image.Image) -> np.ndarray:
    """Return a PIL image as the model's input: (28, 28, 1) float32 in [0, 1]."""
    return fit_to_square(to_luminance(image))[..., np.newaxis]


def prepare_bytes(data: bytes) -> np.ndarray:
    """Return the model input for the bytes of an uploaded image file."""
    return prepare_image(open_image(data))


def read_file(path: str | Path) -> bytes:
    """Return a picture file's bytes; a file that cannot be read raises ImageError with the reason."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ImageError(f"{path} cannot be read ({error.strerror or error}).") from error


def prepare_file(path: str | Path) -> np.ndarray:
    """Return the model input for an image file on disk."""
    return prepare_bytes(read_file(path))


def prepare_canvas(
    rgba: np.ndarray, *, fill: bool = False, stroke: float | None = None, widen_thin: bool = False
) -> np.ndarray:
    """Return the model input for a canvas's (h, w, 4) RGBA uint8 image data.

    `fill=True` fills closed outlines; `stroke` sets the stroke width in 28x28 pixels; `widen_thin`
    widens strokes too thin to survive the shrink to 28x28.
    """
    return fit_to_square(canvas_garment(rgba), fill=fill, stroke=stroke, widen_thin=widen_thin)[..., np.newaxis]


def canvas_from_image(image: Image.Image, size: int = config.CANVAS_SIZE) -> np.ndarray:
    """Return a picture of a drawing as the Draw page's canvas data: (size, size, 4) uint8 RGBA.

    The picture is padded to a square with its own background (transparent, or opaque white) and
    resized to the canvas, so a drawing saved at any size is read like one drawn on the page.
    """
    rgba = image.convert("RGBA")
    alpha = np.asarray(rgba)[..., 3]
    edge = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
    background = (0, 0, 0, 0) if np.median(edge) < TRANSPARENT_ALPHA else (255, 255, 255, 255)
    side = max(rgba.size)
    square = Image.new("RGBA", (side, side), background)
    square.paste(rgba, ((side - rgba.width) // 2, (side - rgba.height) // 2))
    resample = Image.Resampling.BOX if side >= size else Image.Resampling.BILINEAR
    return np.asarray(square.resize((size, size), resample), dtype=np.uint8)


def prepare_drawing(rgba: np.ndarray, drawing_model: bool = False) -> np.ndarray:
    """Return the model input for a Draw-view canvas, prepared as the model that reads it needs."""
    return prepare_canvas(rgba, **(DRAWING_MODEL_OPTIONS if drawing_model else DRAWING_OPTIONS))


def prepare_drawing_bytes(data: bytes, drawing_model: bool = False) -> np.ndarray:
    """Return the model input for a drawing saved as a picture file, read as the Draw page reads its canvas."""
    return prepare_drawing(canvas_from_image(open_image(data)), drawing_model)
