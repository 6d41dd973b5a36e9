"""A run's summary is one type: what metrics.json holds, what a finished run reports, read back unchanged."""

import json

import pytest

from cnn import config
from cnn.config import TrainConfig
from cnn.training_run import RunSummary, TrainResult

HISTORY = {
    "loss": [0.6, 0.4, 0.45],
    "val_loss": [0.5, 0.3, 0.35],
    "accuracy": [0.8, 0.85, 0.86],
    "val_accuracy": [0.82, 0.88, 0.87],
}


def a_result(**changes) -> TrainResult:
    values = dict(
        model=object(),
        history=HISTORY,
        best_epoch=2,
        epochs_run=3,
        stopped_early=True,
        stopped_by_user=False,
        seconds=12.34,
        config=TrainConfig.quick(epochs=3),
        precision="mixed_bfloat16",
    )
    return TrainResult(**{**values, **changes})


def test_a_summary_goes_to_json_and_back_unchanged():
    summary = RunSummary(
        val_accuracy=0.9,
        val_loss=0.3,
        test_accuracy=0.89,
        test_loss=0.31,
        epochs_run=10,
        best_epoch=8,
        stopped_early=True,
        seconds=150.3,
        parameters=333_526,
        config=TrainConfig.quick(),
        precision="mixed_bfloat16",
        created="2026-11-27T23:01:02+00:00",
        versions={"keras": "3.15.1"},
        extra={"val_real_accuracy": 0.91},
    )
    assert RunSummary.from_json(json.loads(json.dumps(summary.to_json()))) == summary


def test_unknown_figures_are_left_out_of_the_json():
    assert RunSummary(val_accuracy=0.9).to_json() == {
        "val_accuracy": 0.9,
        "stopped_early": False,
        "stopped_by_user": False,
        "precision": "float32",
    }


def test_the_shipped_chapter_models_old_metrics_json_still_reads():
    # Written before `precision`, `schedule` and `warmup_epochs` existed.
    payload = json.loads((config.SHIPPED_MODEL_DIR / "metrics.json").read_text())
    summary = RunSummary.from_json(payload)
    assert (summary.val_accuracy, summary.test_accuracy) == (payload["val_accuracy"], payload["test_accuracy"])
    assert (summary.epochs_run, summary.best_epoch, summary.stopped_early) == (10, 8, True)
    assert summary.config == TrainConfig(seed=3) and summary.precision == "float32"
    assert summary.created == payload["created"] and summary.extra == {}
    written = summary.to_json()
    assert {key: written[key] for key in payload if key != "config"} == {
        k: v for k, v in payload.items() if k != "config"
    }


def test_the_drawing_models_metrics_json_reads_and_writes_back_as_it_is():
    payload = json.loads((config.DRAWING_MODEL_DIR / "metrics.json").read_text())
    summary = RunSummary.from_json(payload)
    assert set(summary.extra) == {"val_real_accuracy", "training_data"}
    assert summary.to_json() == payload


def test_a_partial_file_reads_and_a_broken_one_says_so():
    assert RunSummary.from_json({"val_accuracy": 0.9}) == RunSummary(val_accuracy=0.9)
    with pytest.raises(ValueError, match="config"):
        RunSummary.from_json({"config": ["not", "a", "dict"]})
    with pytest.raises(ValueError):
        RunSummary.from_json(["not", "an", "object"])


def test_a_result_gives_its_summary_and_comes_back_from_it():
    result = a_result()
    summary = result.summary()
    assert (summary.val_accuracy, summary.val_loss) == (0.88, 0.3)
    assert (summary.epochs_run, summary.best_epoch, summary.seconds) == (3, 2, 12.34)
    assert summary.precision == "mixed_bfloat16" and summary.config == TrainConfig.quick(epochs=3)
    assert TrainResult.from_summary(summary, result.history, result.model) == result


def test_a_run_stopped_before_its_first_epoch_has_no_figures():
    empty = {key: [] for key in HISTORY}
    summary = a_result(history=empty, best_epoch=0, epochs_run=0, stopped_by_user=True).summary()
    assert summary.val_accuracy is None and summary.val_loss is None and summary.epochs_run == 0
