"""Stroke drawings rendered the way the browser canvas renders them, and outlines traced from dataset images.

A drawing is a list of strokes, each a polyline in a 0-100 box (x to the right, y down);
`render` paints it like streamlit-drawable-canvas does (round caps and joins, anti-aliased,
black on a transparent background), so the result goes through cnn.preprocess exactly as a
student's drawing would. The hand-made drawings are data: cnn.drawing.hand_sets reads them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PIL import Image, ImageDraw

from cnn import config

# Hand-made drawings are laid out in the middle 90% of the canvas.
MARGIN = 0.05
# Rendering at this many times the canvas resolution, then averaging, gives the browser's soft edges.
SUPERSAMPLE = 4

Point = tuple[float, float]
Stroke = tuple[Point, ...]


@dataclasses.dataclass(frozen=True)
class Drawing:
    """One hand-made drawing: its class, a short description and its strokes in a 0-100 box."""

    label: int
    name: str
    strokes: tuple[Stroke, ...]


def closed(*points: Point) -> Stroke:
    """Return a stroke that ends where it began."""
    return (*points, points[0])


def _mirror(points: list[Point]) -> list[Point]:
    """Return the right half of a symmetric outline drawn from its left half (reversed, so it continues the line)."""
    return [(100 - x, y) for x, y in reversed(points)]


def symmetric(left: list[Point]) -> Stroke:
    """Return a closed outline from its left half, drawn from the top centre down and round to the bottom centre."""
    return closed(*left, *_mirror(left))


def with_gap(strokes, gap: float) -> list[np.ndarray]:
    """Return strokes whose closed outlines stop `gap` drawing units short of where they began, as hands often do."""
    opened = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) < 3 or not np.allclose(points[0], points[-1]):
            opened.append(points)
            continue
        left = gap
        while len(points) > 2:
            step = points[-1] - points[-2]
            length = float(np.hypot(*step))
            if length > left:
                points = np.concatenate([points[:-1], [points[-1] - step / length * left]])
                break
            left -= length
            points = points[:-1]
        opened.append(points)
    return opened


def scale_strokes(strokes, canvas_size: int = config.CANVAS_SIZE, margin: float = MARGIN) -> list[np.ndarray]:
    """Return the strokes of a 0-100 drawing in canvas pixels, as (k, 2) float arrays."""
    span = canvas_size * (1 - 2 * margin)
    return [
        canvas_size * margin + np.asarray(stroke, dtype=np.float64).reshape(-1, 2) * span / 100 for stroke in strokes
    ]


def render(
    strokes,
    canvas_size: int = config.CANVAS_SIZE,
    stroke_width: float = config.DEFAULT_BRUSH_WIDTH,
    color: tuple[int, int, int] = (0, 0, 0),
    background: tuple[int, int, int] | None = None,
) -> np.ndarray:
    """Paint strokes given in canvas pixels like the browser canvas: (size, size, 4) uint8 RGBA.

    Round caps and joins, anti-aliased edges, `color` strokes on a transparent background
    (or on an opaque `background` colour), which is what streamlit-drawable-canvas returns.
    """
    if stroke_width <= 0:
        raise ValueError(f"stroke_width must be positive, got {stroke_width}.")
    if canvas_size < 1:
        raise ValueError(f"canvas_size must be at least 1 pixel, got {canvas_size}.")
    big = canvas_size * SUPERSAMPLE
    radius = stroke_width * SUPERSAMPLE / 2
    coverage = Image.new("L", (big, big), 0)
    pen = ImageDraw.Draw(coverage)
    for stroke in strokes:
        points = [(float(x) * SUPERSAMPLE, float(y) * SUPERSAMPLE) for x, y in np.asarray(stroke).reshape(-1, 2)]
        if len(points) > 1:
            # No joint="curve": the discs below round the joins already, and PIL's curved joints took
            # half the time of rendering a sketch for the same pixels.
            pen.line(points, fill=255, width=max(1, round(2 * radius)))
        # PIL draws flat line ends; a disc at every point gives round caps and joins.
        for x, y in points:
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    alpha = np.asarray(coverage.resize((canvas_size, canvas_size), Image.Resampling.BOX), dtype=np.uint8)
    rgba = np.zeros((canvas_size, canvas_size, 4), dtype=np.uint8)
    if background is None:
        # The canvas' getImageData: stroke colour with partial alpha at the edges, (0, 0, 0, 0) elsewhere.
        rgba[alpha > 0, :3] = color
        rgba[..., 3] = alpha
        return rgba
    share = alpha[..., np.newaxis].astype(np.float32) / 255.0
    mixed = np.asarray(color, np.float32) * share + np.asarray(background, np.float32) * (1.0 - share)
    rgba[..., :3] = np.round(mixed).astype(np.uint8)
    rgba[..., 3] = 255
    return rgba


def render_drawing(
    drawing: Drawing, canvas_size: int = config.CANVAS_SIZE, stroke_width: float = config.DEFAULT_BRUSH_WIDTH, **kwargs
):
    """Render a hand-made drawing on a canvas of `canvas_size` pixels (see render)."""
    return render(scale_strokes(drawing.strokes, canvas_size), canvas_size, stroke_width, **kwargs)


def trace_outline(image: np.ndarray, level: float = 0.15, min_points: int = 8) -> list[np.ndarray]:
    """Return the outlines of a (28, 28) garment as polylines in 0-100 drawing units, longest first.

    The contours of the silhouette at `level` (the outer edge and any holes), traced with
    matplotlib's contour finder, are what a student would draw round the garment.
    """
    import contourpy

    garment = np.asarray(image, dtype=np.float64).reshape(28, 28)
    if garment.max() > 1.0:
        garment = garment / 255.0
    # A black frame closes outlines that touch the edge of the picture.
    padded = np.pad(garment, 1)
    lines = contourpy.contour_generator(z=padded).lines(level)
    polylines = [(np.asarray(line) - 1) * 100 / 27 for line in lines if len(line) >= min_points]
    return sorted(polylines, key=len, reverse=True)


def wobble(lines: list[np.ndarray], amount: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Return polylines shaken like an unsteady hand: smooth drifts of about `amount` units along each line."""
    kernel = np.ones(5) / 5
    shaken = []
    for line in lines:
        noise = rng.normal(0.0, amount, size=line.shape)
        # A running mean along the line turns point noise into a gentle drift; sqrt(5) restores its size.
        if len(line) >= len(kernel):
            noise = np.stack([np.convolve(noise[:, axis], kernel, mode="same") for axis in (0, 1)], axis=1)
            noise *= np.sqrt(len(kernel))
        shaken.append(line + noise)
    return shaken


def outline_drawing(
    image: np.ndarray,
    canvas_size: int = config.CANVAS_SIZE,
    stroke_width: float = config.DEFAULT_BRUSH_WIDTH,
    wobble_amount: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Return a dataset image redrawn as a canvas outline drawing, (size, size, 4) RGBA.

    `wobble_amount` (in drawing units) shakes the outline like an unsteady hand.
    """
    strokes = trace_outline(image)
    if wobble_amount > 0:
        strokes = wobble(strokes, wobble_amount, rng if rng is not None else np.random.default_rng(0))
    return render(scale_strokes(strokes, canvas_size), canvas_size, stroke_width)
