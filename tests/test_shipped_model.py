"""The model in assets/ is the chapter's, trained on the real data, and does what metrics.json says."""

import json

import pytest

from cnn import config, model_files
from cnn.evaluate import evaluate


@pytest.fixture(scope="module")
def shipped():
    return model_files.load_model(config.SHIPPED_MODEL_PATH)


def test_shipped_files_are_all_there():
    for name in ("model.keras", "history.json", "metrics.json"):
        assert (config.SHIPPED_MODEL_DIR / name).is_file()


def test_shipped_model_scores_its_recorded_validation_accuracy(shipped, dataset):
    recorded = json.loads((config.SHIPPED_MODEL_DIR / "metrics.json").read_text())
    result = evaluate(shipped, dataset.val.scaled(), dataset.val.labels)
    assert result.accuracy == pytest.approx(recorded["val_accuracy"], abs=0.002)
    assert result.loss == pytest.approx(recorded["val_loss"], abs=0.01)


def test_shipped_model_reaches_the_chapters_test_accuracy(shipped, dataset):
    result = evaluate(shipped, dataset.test.scaled(), dataset.test.labels)
    assert result.accuracy >= 0.912


def test_shipped_history_is_the_chapters_plot_data():
    history = json.loads((config.SHIPPED_MODEL_DIR / "history.json").read_text())
    metrics = json.loads((config.SHIPPED_MODEL_DIR / "metrics.json").read_text())
    assert set(history) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    assert len(history["loss"]) == metrics["epochs_run"]
    assert history["loss"][-1] < history["loss"][0]
    assert metrics["config"]["batch_size"] == 32 and metrics["config"]["patience"] == 2
    assert metrics["config"]["train_limit"] is None and metrics["config"]["val_limit"] is None


def test_validation_sample_zero_is_predicted_with_its_label(shipped, dataset):
    probabilities = shipped.predict_on_batch(dataset.val.scaled()[:1])[0]
    assert probabilities.argmax() == dataset.val.labels[0]
