"""The shared drawing's bookkeeping: undo and clear keep the other strokes' pictures, a lost one is painted."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from cnn.drawing import drawings
from ui import canvas


def png(value: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (value, value, value, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def stroke(x: float) -> dict:
    return {"type": "path", "strokeWidth": 16, "path": [["M", x, 40.0], ["Q", x, 100.0, x, 160.0], ["L", x, 250.0]]}


def test_undo_shows_the_picture_of_the_strokes_before_and_remounts_with_them():
    drawing = canvas.Drawing()
    for count in (1, 2, 3):
        drawing.record([stroke(60.0 * n) for n in range(1, count + 1)], png(count))
    drawing.undo()
    assert drawing.objects == [stroke(60.0), stroke(120.0)] and drawing.initial == drawing.objects
    assert drawing.generation == 1
    assert drawing.picture()[0, 0, 0] == 2  # the two-stroke picture, as the browser sent it
    drawing.undo()
    drawing.undo()
    assert drawing.picture() is None and drawing.generation == 3


def test_clear_forgets_every_stroke_and_a_new_canvas_starts_empty():
    drawing = canvas.Drawing()
    drawing.record([stroke(60.0), stroke(120.0)], png(2))
    drawing.clear()
    assert drawing.objects == [] and drawing.initial == [] and drawing.pictures == []
    assert drawing.picture() is None


def test_strokes_that_arrived_together_are_painted_like_the_browser_after_an_undo():
    drawing = canvas.Drawing()
    drawing.record([stroke(60.0), stroke(120.0), stroke(180.0)], png(3))  # one send for three strokes
    drawing.undo()
    picture = drawing.picture()
    expected = drawings.render([np.array([[60, 40], [60, 100], [60, 160], [60, 250]])], stroke_width=16)
    assert picture.shape == (280, 280, 4)
    assert picture[150, 60, 0] < 50 and picture[150, 120, 0] < 50  # both strokes that are left are black
    assert picture[150, 180, 0] == 255  # the undone one is gone
    assert abs(int(255 - picture[150, 66, 0]) - int(expected[150, 66, 3])) <= 2
