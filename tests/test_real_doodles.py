"""The shipped drawing model on strangers' doodles, the Draw page's way (held-out half of ../shared/real-dev)."""

import numpy as np
import pytest

from bench import real_dev
from cnn import confidence, config, model_files, preprocess
from cnn.predict import predict_probabilities

pytestmark = pytest.mark.skipif(real_dev.directory() is None, reason="no real-world development sets on this machine")

# The issue's targets for the Draw page on strangers' doodles nothing was tuned or trained on (the
# shipped model reached 86.7 / 93.3, bench/README.md#real-doodles; one doodle of 45 is 2.2 points).
HELD_OUT_TOP1 = 0.75
HELD_OUT_TOP3 = 0.92
# Doodles saved with a 1-pixel pen by another app read 91.1% measured (41 of 45); this allows one doodle fewer.
THIN_PEN_TOP3 = 0.88
# With "not sure", the share of held-out doodles shown with a confident wrong answer stays at most this.
HELD_OUT_CONFIDENTLY_WRONG = 0.2


@pytest.fixture(scope="module")
def held_out():
    items = real_dev.doodles("held_out")
    images = np.stack([preprocess.prepare_drawing(real_dev.doodle_canvas(item), drawing_model=True) for item in items])
    drawing_model = model_files.load_model(config.DRAW_VIEW_MODEL_DIR / "model.keras")
    return items, predict_probabilities(drawing_model, images)


def test_the_held_out_half_is_45_doodles_of_nine_categories():
    items = real_dev.doodles("held_out")
    assert len(items) == 45 and len({item.category for item in items}) == 9
    assert not {item.name for item in items} & {item.name for item in real_dev.doodles("tuning")}


def test_the_draw_page_reads_held_out_doodles_as_well_as_measured(held_out):
    items, probabilities = held_out
    assert real_dev.top_k_right(probabilities, items, 1).mean() >= HELD_OUT_TOP1
    assert real_dev.top_k_right(probabilities, items, 3).mean() >= HELD_OUT_TOP3


def test_not_sure_keeps_confident_wrong_answers_down_on_held_out_doodles(held_out):
    items, probabilities = held_out
    right = real_dev.top_k_right(probabilities, items, 1)
    hedged = confidence.shown_wrong_share(probabilities, right)
    assert hedged <= HELD_OUT_CONFIDENTLY_WRONG
    assert hedged < confidence.shown_wrong_share(probabilities, right, threshold=0.0)


def test_held_out_doodles_saved_with_a_thin_pen_read_as_well_through_the_command():
    # A 1-pixel pen on a 256-pixel PNG, as another drawing app saves it, read as `cnn.predict --as-drawing` does:
    # shrunk as drawn, such strokes fade; widened, they read like the canvas's
    # (bench/README.md#thin-strokes-2026-12-06).
    items = real_dev.doodles("held_out")
    files = [real_dev.doodle_png(item, size=256, pen=1, margin=0.0) for item in items]
    drawing_model = model_files.load_model(config.DRAW_VIEW_MODEL_DIR / "model.keras")
    widened = predict_probabilities(
        drawing_model, np.stack([preprocess.prepare_drawing_bytes(data, drawing_model=True) for data in files])
    )
    as_drawn = predict_probabilities(
        drawing_model,
        np.stack(
            [preprocess.prepare_canvas(preprocess.canvas_from_image(preprocess.open_image(data))) for data in files]
        ),
    )
    assert real_dev.top_k_right(widened, items, 1).mean() >= HELD_OUT_TOP1
    assert real_dev.top_k_right(widened, items, 3).mean() >= THIN_PEN_TOP3
    assert real_dev.top_k_right(widened, items, 1).mean() > real_dev.top_k_right(as_drawn, items, 1).mean()
