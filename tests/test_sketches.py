"""The synthetic sketches that teach the drawing model how people draw each class."""

import numpy as np
import pytest

from cnn import config
from cnn.drawing import drawings, sketches


def _box(strokes) -> tuple[float, float]:
    """Return the width and height of a sketch's strokes."""
    points = np.concatenate(strokes)
    return tuple(points.max(axis=0) - points.min(axis=0))


def test_sketches_are_prepared_drawings_of_every_class_in_turn():
    images, labels = sketches.sketches(40, seed=3)
    assert images.shape == (40, 28, 28) and images.dtype == np.uint8
    assert np.array_equal(labels, np.arange(40) % config.NUM_CLASSES)
    # Prepared like a canvas drawing: the garment fills the square's longest edge and is never blank.
    for image in images:
        rows, columns = np.flatnonzero(image.max(axis=1)), np.flatnonzero(image.max(axis=0))
        assert image.max() == 255 and max(rows[-1] - rows[0], columns[-1] - columns[0]) >= 26


def test_the_same_seed_gives_the_same_sketches_and_another_seed_others():
    first, _ = sketches.sketches(20, seed=5)
    again, _ = sketches.sketches(20, seed=5)
    other, _ = sketches.sketches(20, seed=6)
    assert np.array_equal(first, again) and not np.array_equal(first, other)


@pytest.mark.parametrize("label", range(config.NUM_CLASSES))
def test_every_template_stays_on_the_canvas_and_varies(label):
    rng = np.random.default_rng(label)
    drawn = [sketches.sketch(label, rng) for _ in range(30)]
    for strokes in drawn:
        points = np.concatenate(strokes)
        assert np.isfinite(points).all() and points.min() > -15 and points.max() < 115
    boxes = np.array([_box(strokes) for strokes in drawn])
    # Proportions are drawn at random, not fixed.
    assert np.ptp(boxes[:, 0] / boxes[:, 1]) > 0.05


def test_templates_keep_each_class_in_its_proportions():
    rng = np.random.default_rng(0)

    def aspect(label: int) -> float:
        return float(np.median([np.divide(*_box(sketches.sketch(label, rng))) for _ in range(40)]))

    names = config.CLASS_NAMES_EN
    shoes = [names.index(name) for name in ("Sandal", "Sneaker")]
    assert all(aspect(label) > 1.4 for label in shoes), "shoes are wider than tall"
    assert aspect(names.index("Trouser")) < 0.8 and aspect(names.index("Dress")) < 1.0
    # What tells a coat from a pullover in a drawing: coats are open down the middle, pullovers never.
    coat_openings = [_has_middle_line(sketches.TEMPLATES[names.index("Coat")](rng)) for _ in range(60)]
    pullover_openings = [_has_middle_line(sketches.TEMPLATES[names.index("Pullover")](rng)) for _ in range(60)]
    assert np.mean(coat_openings) > 0.7 and not any(pullover_openings)


def _has_middle_line(strokes) -> bool:
    """Return whether a stroke runs straight down the middle (x = 50) for most of the garment's height."""
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float)
        if len(points) == 2 and np.allclose(points[:, 0], 50) and abs(points[1, 1] - points[0, 1]) > 40:
            return True
    return False


def test_sketches_render_like_the_canvas_at_any_brush():
    rng = np.random.default_rng(1)
    strokes = drawings.scale_strokes(sketches.sketch(config.CLASS_NAMES_EN.index("Bag"), rng), sketches.SKETCH_CANVAS)
    thin = drawings.render(strokes, sketches.SKETCH_CANVAS, sketches.BRUSH_RANGE[0])[..., 3]
    thick = drawings.render(strokes, sketches.SKETCH_CANVAS, sketches.BRUSH_RANGE[1])[..., 3]
    assert 0 < (thin > 127).sum() < (thick > 127).sum()
