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


def _is_closed(stroke) -> bool:
    points = np.asarray(stroke, dtype=float).reshape(-1, 2)
    return len(points) > 2 and np.allclose(points[0], points[-1])


def test_flip_flops_from_above_are_long_soles_each_with_a_v_strap():
    rng = np.random.default_rng(4)
    for _ in range(20):
        strokes = sketches.flip_flops(rng)
        soles, straps = strokes[0::2], strokes[1::2]
        assert len(soles) in (1, 2) and len(straps) == len(soles)
        for sole, strap in zip(soles, straps, strict=True):
            width, height = _box([np.asarray(sole)])
            assert _is_closed(sole) and height > 1.5 * width
            (left, post, right) = strap
            # The V: both ends lower on the sole (larger y) than the toe post.
            assert post[1] < left[1] and post[1] < right[1] and left[0] < post[0] < right[0]


def test_doodled_trousers_are_two_legs_often_left_open_and_wider_than_the_classic_ones():
    rng = np.random.default_rng(5)
    doodled = [sketches.doodled_trouser(rng) for _ in range(60)]
    open_ones = [not any(_is_closed(stroke) for stroke in strokes) for strokes in doodled]
    assert 0.4 < np.mean(open_ones) < 0.9
    aspects = [np.divide(*_box([np.asarray(s, dtype=float) for s in strokes])) for strokes in doodled]
    assert np.median(aspects) > 0.7


def test_doodled_tops_have_long_slanting_sleeves_unlike_a_t_shirt():
    rng = np.random.default_rng(6)
    names = config.CLASS_NAMES_EN

    def sleeve_ends(label: int) -> list[float]:
        # The first stroke is the outline; its fourth point is the left sleeve's outer end.
        return [sketches.TEMPLATES[label](rng)[0][3][1] for _ in range(60)]

    assert max(sleeve_ends(names.index("T-shirt/top"))) <= 42
    assert min(sleeve_ends(names.index("Pullover"))) >= 55 and min(sleeve_ends(names.index("Coat"))) >= 55


def test_backpacks_are_tall_with_a_handle_above_the_body():
    rng = np.random.default_rng(7)
    for _ in range(20):
        body, handle, *_ = sketches.backpack(rng)
        body, handle = np.asarray(body), np.asarray(handle)
        width, height = _box([body])
        assert _is_closed(body) and height > 0.9 * width
        assert handle[:, 1].min() < body[:, 1].min()


def test_an_overshoot_runs_both_ends_on_past_the_line():
    line = np.array([[0.0, 0.0], [10.0, 0.0]])
    assert np.allclose(sketches._overshoot(line, 2.0), [[-2, 0], [0, 0], [10, 0], [12, 0]])
    assert np.array_equal(sketches._overshoot(line[:1], 2.0), line[:1])


def test_sloppy_strokes_keep_the_outline_and_sometimes_leave_it_open():
    rng = np.random.default_rng(8)
    outline = drawings.closed((0, 0), (60, 0), (60, 60), (0, 60))
    detail = [(10, 10), (20, 20)]
    results = [sketches._sloppy([outline, detail], rng) for _ in range(100)]
    assert all(len(lines) >= 1 and len(lines[0]) >= 4 for lines in results)  # the outline is never dropped
    opened = [not np.allclose(lines[0][0], lines[0][-1]) for lines in results]
    assert 0.3 < np.mean(opened) < 0.9
    assert any(len(lines) == 1 for lines in results) and any(len(lines) == 2 for lines in results)
