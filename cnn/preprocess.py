"""Turn any garment picture (canvas drawing, photo, upload) into the model's 28x28 input.

The steps mirror how Fashion-MNIST itself was made from product photos (Xiao et al.
2017, section 2): find the background from the corners, make the garment light on
black, trim to the garment, resize the longest edge to 28 with the aspect kept, and
centre it on a 28x28 black square.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnn import config

# Refuse images larger than this before decoding them: a 20000x20000 "decompression
# bomb" would take gigabytes; a phone photo is about 12 million pixels.
MAX_PIXELS = 50_000_000
# A pixel belongs to the garment when it differs from the background by this much
# (on a 0-1 scale); lower picks up paper texture and JPEG noise.
FOREGROUND_THRESHOLD = 0.12
# Below this contrast the picture is treated as empty (nothing drawn).
MIN_CONTRAST = 0.08


class ImageError(ValueError):
    """The picture cannot be turned into a model input; the message says why."""


class NothingDrawnError(ImageError):
    """The picture is blank: no garment stands out from the background."""


def open_image(source: bytes | str | Path | io.IOBase) -> Image.Image:
    """Decode an image file safely: size checked before decoding, EXIF rotation applied, first frame only."""
    if isinstance(source, bytes):
        if not source:
            raise ImageError("The file is empty.")
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError(
                    f"The image is {width}x{height} pixels; the limit is {MAX_PIXELS // 1_000_000} million."
                )
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image)
    except ImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError("This file is not an image that can be read (use PNG, JPEG or WebP).") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(f"The image is damaged or truncated ({type(error).__name__}).") from error
    if min(image.size) < 1:
        raise ImageError("The image has no pixels.")
    return image


def to_luminance(image: Image.Image) -> np.ndarray:
    """Return the garment as a (h, w) float32 array in [0, 1], light garment on a dark background."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        raw = np.asarray(image, dtype=np.float64)
        top = raw.max() if raw.max() > 255 else 255.0
        gray = (raw / max(top, 1.0)).astype(np.float32)
        alpha = None
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
        gray = rgba[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        alpha = rgba[..., 3] if has_alpha else None
    if alpha is not None and alpha.min() < 0.98:
        # Transparent parts are background. Put the garment on whichever of black or
        # white it contrasts with, so a white stroke and a black stroke both survive.
        weight = alpha.sum()
        mean = float((gray * alpha).sum() / weight) if weight > 0 else 0.0
        backdrop = 0.0 if mean > 0.5 else 1.0
        gray = gray * alpha + backdrop * (1.0 - alpha)
    return _garment_light_on_dark(gray)


def _garment_light_on_dark(gray: np.ndarray) -> np.ndarray:
    """Make the background black and the garment light, whatever the original polarity."""
    height, width = gray.shape
    border = max(1, min(height, width) // 20)
    frame = np.concatenate(
        [gray[:border].ravel(), gray[-border:].ravel(), gray[:, :border].ravel(), gray[:, -border:].ravel()]
    )
    background = float(np.median(frame))
    if background > 0.5:
        # A light background (paper, a product photo): negate, as the dataset did.
        gray, background = 1.0 - gray, 1.0 - background
    # Stretch so the background is exactly 0; paper tint and shadows fall away.
    return np.clip((gray - background) / max(1e-6, 1.0 - background), 0.0, 1.0).astype(np.float32)


def fit_to_square(garment: np.ndarray, size: int = config.IMAGE_SIZE) -> np.ndarray:
    """Trim to the garment, resize its longest edge to `size` with the aspect kept, and centre it."""
    if garment.size == 0 or float(garment.max()) < MIN_CONTRAST:
        raise NothingDrawnError("Nothing stands out from the background: draw or upload a garment.")
    mask = garment > max(FOREGROUND_THRESHOLD * float(garment.max()), MIN_CONTRAST / 2)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    crop = garment[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = crop.shape
    scale = size / max(height, width)
    new_width, new_height = max(1, round(width * scale)), max(1, round(height * scale))
    # Area averaging keeps thin strokes visible when shrinking; bilinear when enlarging.
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    resized = np.asarray(
        Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32)).resize((new_width, new_height), resample),
        dtype=np.float32,
    )
    square = np.zeros((size, size), dtype=np.float32)
    top, left = (size - new_height) // 2, (size - new_width) // 2
    square[top : top + new_height, left : left + new_width] = resized
    peak = float(square.max())
    if peak <= 0:
        raise NothingDrawnError("Nothing stands out from the background: draw or upload a garment.")
    return np.clip(square / peak, 0.0, 1.0)


def prepare_image(image: Image.Image) -> np.ndarray:
    """Return a PIL image as the model's input: (28, 28, 1) float32 in [0, 1]."""
    return fit_to_square(to_luminance(image))[..., np.newaxis]


def prepare_bytes(data: bytes) -> np.ndarray:
    """Return the model input for the bytes of an uploaded image file."""
    return prepare_image(open_image(data))


def prepare_file(path: str | Path) -> np.ndarray:
    """Return the model input for an image file on disk."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImageError(f"{path} cannot be read ({error.strerror or error}).") from error
    return prepare_bytes(data)


def prepare_canvas(rgba: np.ndarray) -> np.ndarray:
    """Return the model input for a canvas's (h, w, 4) RGBA uint8 image data."""
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4) or 0 in rgba.shape:
        raise ImageError(f"Canvas data has shape {rgba.shape}; expected (height, width, 4).")
    return prepare_image(Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8)))
