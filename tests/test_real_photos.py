"""The shipped chapter model reads the held-out real phone photos through the Upload page's path as well as measured."""

import numpy as np
import pytest

from bench import real_dev
from cnn import config, model_files, photo, predict

# cnn.photo's figures on the held-out half, chapter model (bench/README.md#real-phone-photos), less
# two points of slack for a different CPU or library build.
HELD_OUT_TOP1 = 0.587
HELD_OUT_TOP3 = 0.867
SLACK = 0.02

pytestmark = pytest.mark.skipif(real_dev.directory() is None, reason="no ../shared/real-dev on this machine")


@pytest.fixture(scope="module")
def held_out():
    items = real_dev.photos("held_out")
    model = model_files.load_model(config.SHIPPED_MODEL_PATH)
    inputs = np.stack([photo.prepare_file(item.path) for item in items])
    return items, predict.predict_probabilities(model, inputs)


def test_the_chapter_model_reads_held_out_phone_photos_as_measured(held_out):
    items, probabilities = held_out
    assert real_dev.top_k_right(probabilities, items, 1).mean() >= HELD_OUT_TOP1 - SLACK
    assert real_dev.top_k_right(probabilities, items, 3).mean() >= HELD_OUT_TOP3 - SLACK
