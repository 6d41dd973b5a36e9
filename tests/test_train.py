import dataclasses
import json
import threading

import numpy as np
import pytest

from cnn import model as cnn_model
from cnn import model_files
from cnn import train as cnn_train
from cnn.config import TrainConfig
from cnn.evaluate import evaluate
from cnn.numpy_model import load_bytes
from cnn.train import HISTORY_KEYS, learning_rate, resolve_precision, save_run, train
from cnn.train import main as train_main


def test_loss_falls_on_a_few_hundred_real_images(tiny_run):
    history = tiny_run.history
    assert set(history) == set(HISTORY_KEYS)
    assert len(history["loss"]) == tiny_run.epochs_run == 3
    assert history["loss"][-1] < history["loss"][0] * 0.8
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert tiny_run.best_val_accuracy > 0.6  # chance is 0.1


def test_the_progress_hook_hears_batches_and_epochs_in_order(dataset):
    events = []
    config = TrainConfig.fast(epochs=2, train_limit=640, val_limit=200)
    train(config, dataset, on_progress=events.append)
    batches = [e for e in events if e.phase == "batch"]
    epochs = [e for e in events if e.phase == "epoch"]
    assert len(batches) == 2 * 10 and len(epochs) == 2
    assert [e.epoch for e in epochs] == [1, 2]
    assert all(e.val_loss is not None and e.val_accuracy is not None for e in epochs)
    assert [e.batch for e in batches[:10]] == list(range(1, 11))
    elapsed = [e.elapsed for e in events]
    assert elapsed == sorted(elapsed)
    assert batches[-1].fraction == 1.0 and 0 < batches[0].fraction < 0.1
    assert batches[-1].eta < batches[1].eta
    assert epochs[-1].history["val_loss"] == [e.val_loss for e in epochs]
    assert any(e.phase == "validating" for e in events)


def test_a_stop_request_ends_the_run_and_keeps_the_best_model(dataset):
    stop = threading.Event()
    seen = []

    def hook(progress):
        seen.append(progress)
        if progress.phase == "epoch" and progress.epoch == 2:
            stop.set()

    config = TrainConfig.fast(epochs=10, train_limit=640, val_limit=200)
    result = train(config, dataset, on_progress=hook, stop_event=stop)
    assert result.stopped_by_user and not result.stopped_early
    assert result.epochs_run == 2
    assert result.best_epoch == int(np.argmin(result.history["val_loss"])) + 1


def test_a_stop_in_the_middle_of_an_epoch_ends_after_that_batch(dataset):
    stop = threading.Event()

    def hook(progress):
        if progress.phase == "batch" and progress.batch == 3:
            stop.set()

    result = train(
        TrainConfig.fast(epochs=5, train_limit=640, val_limit=200), dataset, on_progress=hook, stop_event=stop
    )
    assert result.stopped_by_user and result.epochs_run == 1


def test_early_stopping_cuts_in_when_val_loss_stops_improving(dataset):
    # On 640 images a learning rate 20 times the chapter's overfits within a few epochs,
    # so patience 0 stops at the first epoch whose val_loss does not improve.
    config = TrainConfig.fast(epochs=8, patience=0, learning_rate=0.02, train_limit=640, val_limit=200)
    result = train(config, dataset)
    assert result.stopped_early and result.epochs_run < 8
    assert result.best_epoch == int(np.argmin(result.history["val_loss"])) + 1


def test_a_run_writes_model_history_and_metrics(tmp_path, tiny_run, dataset):
    metrics = save_run(tiny_run, tmp_path, dataset)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json", "metrics.json", "model.keras"]
    assert json.loads((tmp_path / "history.json").read_text())["val_loss"] == tiny_run.history["val_loss"]
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved == metrics
    assert 0.5 < saved["test_accuracy"] < 1 and 0.5 < saved["val_accuracy"] < 1
    assert saved["epochs_run"] == 3 and saved["parameters"] == 333_526 and saved["precision"] == "float32"
    assert set(saved["versions"]) >= {"tensorflow", "keras", "python"}
    assert model_files.load_model(tmp_path / "model.keras").count_params() == 333_526


def test_the_checkpoint_holds_the_best_epoch(tmp_path, dataset):
    path = tmp_path / "best.keras"
    result = train(TrainConfig.fast(epochs=2, train_limit=640, val_limit=200), dataset, checkpoint_path=path)
    saved = model_files.load_model(path)
    images = dataset.val.head(50).scaled()
    np.testing.assert_allclose(saved.predict_on_batch(images), result.model.predict_on_batch(images), atol=1e-5)


def test_the_chapters_recipe_keeps_adams_constant_learning_rate():
    assert TrainConfig().schedule == "constant"
    assert learning_rate(TrainConfig(), steps_per_epoch=1500) == 1e-3


def test_the_quick_preset_is_a_valid_config_of_the_chapters_network():
    quick = TrainConfig.quick()
    chapter = TrainConfig()
    assert quick.schedule == "cosine" and 0 < quick.warmup_epochs < quick.epochs
    assert quick.batch_size > chapter.batch_size and quick.epochs < chapter.epochs
    assert quick.patience >= quick.epochs  # early stopping never cuts the schedule short
    assert quick.train_limit is None and quick.val_limit is None  # all 48,000 images, like the chapter
    # The same layers and weights as the chapter's; only the dropout rate and the training differ.
    assert cnn_model.build_model(quick.dropout_rate).count_params() == cnn_model.CHAPTER_PARAMETERS
    assert TrainConfig.quick(seed=3).seed == 3
    assert TrainConfig(**quick.to_dict()) == quick


def test_the_cosine_schedule_warms_up_then_falls_to_zero_at_the_last_epoch():
    config = TrainConfig(epochs=4, learning_rate=0.004, schedule="cosine", warmup_epochs=1)
    schedule = learning_rate(config, steps_per_epoch=10)
    rates = [float(schedule(step)) for step in range(41)]
    np.testing.assert_allclose(rates[0], 0.0004, rtol=1e-5)  # a tenth of the rate at the start
    np.testing.assert_allclose(rates[10], 0.004, rtol=1e-5)  # the full rate after one epoch
    assert rates[:11] == sorted(rates[:11]) and rates[10:] == sorted(rates[10:], reverse=True)
    np.testing.assert_allclose(rates[25], 0.002, rtol=1e-5)  # half way down the cosine
    assert rates[40] < 1e-9


def test_a_cosine_run_ends_with_the_learning_rate_near_zero(dataset):
    config = TrainConfig.fast(epochs=2, schedule="cosine", warmup_epochs=0.5, train_limit=640, val_limit=200)
    result = train(config, dataset)
    assert result.epochs_run == 2
    assert float(np.asarray(result.model.optimizer.learning_rate)) < 1e-6


def test_an_unknown_schedule_or_too_long_a_warmup_is_refused_with_a_message():
    with pytest.raises(ValueError, match="schedule must be one of"):
        TrainConfig(schedule="linear")
    with pytest.raises(ValueError, match="warmup_epochs"):
        TrainConfig(epochs=2, schedule="cosine", warmup_epochs=2)


def test_the_recorded_validation_loss_is_the_average_over_the_validation_images(tiny_run, dataset):
    # Validation runs in batches of 1,000 whatever the training batch; the average must not change.
    val = dataset.val.head(tiny_run.config.val_limit)
    scored = evaluate(tiny_run.model, val.scaled(), val.labels)
    np.testing.assert_allclose(tiny_run.best_val_loss, scored.loss, rtol=1e-4)
    np.testing.assert_allclose(tiny_run.best_val_accuracy, scored.accuracy, atol=1e-6)


def test_the_command_line_trains_the_quick_preset(tmp_path):
    out = tmp_path / "quick"
    argv = ["--out", str(out), "--preset", "quick", "--epochs", "2", "--train-limit", "512", "--val-limit", "200"]
    assert train_main(argv) == 0
    saved = json.loads((out / "metrics.json").read_text())["config"]
    assert saved == {**TrainConfig.quick().to_dict(), "epochs": 2, "train_limit": 512, "val_limit": 200}


def test_auto_precision_picks_bfloat16_only_where_the_probe_finds_it_clearly_faster(monkeypatch):
    monkeypatch.setattr(cnn_train, "bfloat16_speed_ratio", lambda: 0.7)
    assert resolve_precision(TrainConfig(precision="auto")) == "mixed_bfloat16"
    monkeypatch.setattr(cnn_train, "bfloat16_speed_ratio", lambda: 0.95)
    assert resolve_precision(TrainConfig(precision="auto")) == "float32"
    assert resolve_precision(TrainConfig()) == "float32"


def test_the_probe_times_both_formats():
    ratio = cnn_train.bfloat16_speed_ratio(reps=2)
    assert np.isfinite(ratio) and ratio > 0


def test_a_bfloat16_run_learns_and_hands_back_a_float32_model(dataset):
    import keras

    result = train(TrainConfig.fast(precision="mixed_bfloat16"), dataset)
    assert result.precision == "mixed_bfloat16"
    assert keras.mixed_precision.global_policy().name == "float32"  # Later models are unaffected.
    assert {layer.compute_dtype for layer in result.model.layers} == {"float32"}
    assert result.best_val_accuracy > 0.6  # chance is 0.1
    val = dataset.val.head(200)
    keras_probabilities = np.asarray(result.model.predict_on_batch(val.scaled()))
    numpy_probabilities = load_bytes(model_files.model_bytes(result.model)).predict_on_batch(val.scaled())
    np.testing.assert_allclose(numpy_probabilities, keras_probabilities, atol=1e-5)


def _same_history(one: dict, other: dict) -> bool:
    return all(np.allclose(one[key], other[key], rtol=1e-5, atol=1e-6) for key in HISTORY_KEYS)


def test_a_model_prepared_in_advance_trains_exactly_as_a_fresh_one(dataset):
    run = TrainConfig.fast(epochs=2, train_limit=256, val_limit=128, dropout_rate=0.3)
    fresh = train(run, dataset)
    cnn_train.prepare(run, dataset)
    assert len(cnn_train._PREPARED) == 1
    prepared = train(run, dataset)
    assert not cnn_train._PREPARED  # It served this run and is gone.
    assert _same_history(prepared.history, fresh.history), (prepared.history, fresh.history)
    for ours, theirs in zip(prepared.model.get_weights(), fresh.model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_a_model_prepared_for_other_settings_is_not_used(dataset):
    run = TrainConfig.fast(epochs=1, train_limit=128, val_limit=64)
    cnn_train.prepare(dataclasses.replace(run, dropout_rate=0.1), dataset)
    with_other_ready = train(run, dataset)
    assert not cnn_train._PREPARED
    assert _same_history(with_other_ready.history, train(run, dataset).history)
    assert with_other_ready.model.layers[-2].rate == run.dropout_rate


def test_the_prepared_model_follows_what_the_schedule_depends_on():
    cosine = TrainConfig.quick(train_limit=3000, precision="float32")
    key = cnn_train._trace_key
    assert key(cosine, 24) != key(cosine, 23)  # The decay runs over the run's steps.
    assert key(dataclasses.replace(cosine, epochs=5), 24) != key(cosine, 24)
    constant = TrainConfig.fast()
    assert key(dataclasses.replace(constant, epochs=9), 24) == key(constant, 99)  # A constant rate does not.
    assert key(dataclasses.replace(constant, seed=1), 24) != key(constant, 24)
