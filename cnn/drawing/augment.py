"""Dataset images made to look like what students give the app: outline drawings, filled drawings, product photos.

`drawing_like` turns training images into canvas-style drawings (outlines of several
stroke widths, filled or not, slightly rotated and stretched) and passes them through the
same cnn.preprocess steps as a real drawing, so a model trained on them sees exactly what
the Draw view will show it. `photo_like` turns test images back into product-photo-like
uploads for the photo round-trip check.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from cnn import config, preprocess
from cnn.drawing import drawings

# Drawings are made at twice the dataset's resolution, so strokes can be half a pixel wide.
WORK_SCALE = 2
# Outline widths in working pixels: 1 to 3.5 pixels once back at 28x28, the range a
# 6-to-32-pixel brush gives on a 280-pixel canvas.
STROKE_STEPS = (2, 3, 4, 5, 6, 7)
# How a drawing is made from a training image, and how often: a bare outline, an outline
# with its closed parts filled (what the Draw view's fill gives), or a shaded-in silhouette.
# "traced" outlines follow the garment's contours as polylines drawn with a round brush,
# coarser and shakier than the pixel-exact "outline" ones, as a hand draws them.
KINDS = ("outline", "filled_outline", "traced", "filled_traced", "silhouette")
KIND_SHARES = (0.2, 0.2, 0.2, 0.25, 0.15)
# Share of outlines that also get the garment's strong inner edges (a collar, a sole line).
INNER_EDGE_SHARE = 0.3
# Traced outlines keep every 1st to 3rd contour point and wander by up to this many drawing units.
MAX_POINT_STEP = 3
MAX_WOBBLE = 1.2
# Traced drawings sometimes include inner contours at a brighter level (a collar, a placket).
INNER_LEVELS = (0.35, 0.7)
# Hand-made drawings are never quite upright or in proportion.
MAX_ROTATION_DEGREES = 10.0
MAX_STRETCH = 0.12
# Pixels brighter than this (0-1) belong to the garment's silhouette; varied per image
# because dim, light-coloured garments have faint edges in the dataset.
SILHOUETTE_LEVELS = (0.03, 0.2)
# Black pixels added round each 28x28 image before drawing its outline.
FRAME = 4
# Processing this many images at once keeps the boolean working arrays under ~50 MB.
CHUNK = 4000


def _upsample(images: np.ndarray) -> np.ndarray:
    """Return (n, 28, 28) floats at (n, 72, 72): doubled, softened so silhouettes are not blocky, with a black frame.

    The frame leaves room for strokes round garments that touch the picture's edge.
    """
    framed = np.pad(images, ((0, 0), (FRAME, FRAME), (FRAME, FRAME)))
    big = framed.repeat(WORK_SCALE, axis=1).repeat(WORK_SCALE, axis=2)
    padded = np.pad(big, ((0, 0), (1, 1), (1, 1)), mode="edge")
    height, width = big.shape[1:]
    return sum(padded[:, dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3)) / 9.0


def _morph(masks: np.ndarray, steps: np.ndarray, grow: bool) -> np.ndarray:
    """Dilate (grow) or erode boolean (n, h, w) masks by a per-image number of 3x3 steps."""
    result = masks.copy()
    height, width = masks.shape[1:]
    for step in range(int(steps.max(initial=0))):
        active = steps > step
        if not active.any():
            break
        current = result[active]
        padded = np.pad(current, ((0, 0), (1, 1), (1, 1)), constant_values=not grow)
        out = current.copy()
        for dy in range(3):
            for dx in range(3):
                window = padded[:, dy : dy + height, dx : dx + width]
                out = (out | window) if grow else (out & window)
        result[active] = out
    return result


def _inner_edges(big: np.ndarray, level: float = 0.25) -> np.ndarray:
    """Return where the garment's brightness changes sharply (seams, collars, soles), (n, h, w) bool."""
    dy = np.abs(np.diff(big, axis=1, append=big[:, -1:, :]))
    dx = np.abs(np.diff(big, axis=2, append=big[:, :, -1:]))
    return np.maximum(dx, dy) > level


def _jitter(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rotate and stretch a (h, w) float image a little, about its centre."""
    angle = np.deg2rad(rng.uniform(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES))
    stretch_x, stretch_y = 1.0 + rng.uniform(-MAX_STRETCH, MAX_STRETCH, size=2)
    cos, sin = np.cos(angle), np.sin(angle)
    # PIL wants the inverse map: output (x, y) -> input pixel.
    a, b = cos / stretch_x, sin / stretch_x
    d, e = -sin / stretch_y, cos / stretch_y
    height, width = image.shape
    cx, cy = width / 2, height / 2
    coefficients = (a, b, cx - a * cx - b * cy, d, e, cy - d * cx - e * cy)
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.float32))
    moved = picture.transform((width, height), Image.Transform.AFFINE, coefficients, Image.Resampling.BILINEAR)
    return np.asarray(moved, dtype=np.float32)


def _traced(image: np.ndarray, width: float, level: float, inner: bool, rng: np.random.Generator) -> np.ndarray:
    """Return a (28, 28) float image traced into polylines and drawn with a round brush, at the working size."""
    lines = drawings.trace_outline(image, level=level)
    if inner:
        lines += drawings.trace_outline(image, level=rng.uniform(*INNER_LEVELS), min_points=12)
    step = int(rng.integers(1, MAX_POINT_STEP + 1))
    # Keep the last point so closed outlines stay closed.
    lines = [np.concatenate([line[::step], line[-1:]]) for line in lines]
    lines = drawings.wobble(lines, rng.uniform(0.0, MAX_WOBBLE), rng)
    size = (config.IMAGE_SIZE + 2 * FRAME) * WORK_SCALE
    # Drawing units (0-100 over the 28-pixel picture) to working pixels inside the frame.
    pixels = [(line * (config.IMAGE_SIZE - 1) / 100 + FRAME + 0.5) * WORK_SCALE for line in lines]
    return drawings.render(pixels, canvas_size=size, stroke_width=width)[..., 3].astype(np.float32) / 255.0


def drawing_like(images: np.ndarray, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Return (n, 28, 28) uint8 drawing-style versions of dataset images and the kind of each.

    Every result has been through cnn.preprocess.fit_to_square, like a canvas drawing.
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (config.IMAGE_SIZE, config.IMAGE_SIZE):
        raise ValueError(f"Expected (n, 28, 28) images, got shape {images.shape}.")
    rng = np.random.default_rng(seed)
    count = len(images)
    kinds = rng.choice(len(KINDS), size=count, p=KIND_SHARES)
    widths = rng.choice(STROKE_STEPS, size=count)
    inner = rng.random(count) < INNER_EDGE_SHARE
    levels = rng.uniform(*SILHOUETTE_LEVELS, size=count)
    out = np.zeros((count, config.IMAGE_SIZE, config.IMAGE_SIZE), dtype=np.uint8)
    for start in range(0, count, CHUNK):
        part = slice(start, min(count, start + CHUNK))
        big = _upsample(images[part].astype(np.float32) / 255.0)
        silhouettes = big > levels[part, None, None]
        # A canvas stroke is centred on the line the student follows: half inside, half outside.
        outside = _morph(silhouettes, widths[part] // 2, grow=True)
        inside = _morph(silhouettes, widths[part] - widths[part] // 2, grow=False)
        strokes = outside & ~inside
        edges = _inner_edges(big) & silhouettes & inner[part, None, None]
        strokes |= _morph(edges, np.maximum(widths[part] // 2 - 1, 0), grow=True)
        for offset, index in enumerate(range(part.start, part.stop)):
            kind = KINDS[kinds[index]]
            if kind == "silhouette":
                drawn = silhouettes[offset].astype(np.float32)
            elif kind.endswith("traced"):
                image = images[index].astype(np.float32) / 255.0
                drawn = _traced(image, float(widths[index]), float(levels[index]), bool(inner[index]), rng)
            else:
                drawn = strokes[offset].astype(np.float32)
            picture = _jitter(drawn, rng)
            try:
                fitted = preprocess.fit_to_square(picture, fill=kind.startswith("filled"))
            except preprocess.NothingDrawnError:
                # A garment too faint to outline: keep the original picture instead.
                fitted = images[index].astype(np.float32) / 255.0
            out[index] = np.round(fitted * 255).astype(np.uint8)
    return out, [KINDS[k] for k in kinds]


def mirrored(images: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Return (n, 28, 28) images with a random `share` of them flipped left to right (the rest as they are).

    Every class may be mirrored: garments and bags are left/right symmetric, and shoes drawn by
    people point either way while the dataset's all point left.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"Expected (n, height, width) images, got shape {images.shape}.")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, got {share}.")
    flip = np.random.default_rng(seed).random(len(images)) < share
    out = images.copy()
    out[flip] = images[flip, :, ::-1]
    return out


def photo_like(image: np.ndarray, rng: np.random.Generator, quality: int = 85) -> bytes:
    """Return a (28, 28) dataset image as a product-photo-like JPEG: dark garment on white, enlarged, off-centre.

    This undoes the dataset's conversion: negate, enlarge 6-12 times, pad unevenly with a
    slightly off-white background, save as JPEG.
    """
    image = np.asarray(image)
    if image.shape != (config.IMAGE_SIZE, config.IMAGE_SIZE):
        raise ValueError(f"Expected a (28, 28) image, got shape {image.shape}.")
    scale = int(rng.integers(6, 13))
    size = config.IMAGE_SIZE * scale
    paper = int(rng.integers(235, 256))
    garment = Image.fromarray(255 - image.astype(np.uint8)).resize((size, size), Image.Resampling.BICUBIC)
    # The negated background is 255; lower it to the paper's shade.
    garment = Image.fromarray(np.minimum(np.asarray(garment), paper).astype(np.uint8))
    margins = rng.integers(0, size // 2, size=4)  # left, top, right, bottom: uneven on purpose
    canvas = Image.new("RGB", (size + margins[0] + margins[2], size + margins[1] + margins[3]), (paper,) * 3)
    canvas.paste(garment.convert("RGB"), (int(margins[0]), int(margins[1])))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
