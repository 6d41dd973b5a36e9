"""The training benchmark's rows that run without a browser, each in its own fresh process (see bench/training.py).

The chapter's script, cnn.train, the app's TrainingBoard, and per-epoch timings of candidate settings.
Not a command: `python -m bench.training --worker SPEC` runs one of them.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path


def forward_flop(model) -> int:
    """Return the floating-point operations of one image's forward pass through convolutions and dense layers."""
    total = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Conv2D":
            kernel = layer.kernel.shape  # (kh, kw, in, out)
            _, height, width, _ = layer.output.shape
            total += 2 * kernel[0] * kernel[1] * kernel[2] * kernel[3] * height * width
        elif kind == "Dense":
            total += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
    return int(total)


def apply_runtime(spec: dict) -> None:
    """Set threads and precision before TensorFlow builds anything."""
    import keras
    import tensorflow as tf

    if spec.get("threads"):
        intra, inter = spec["threads"]
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    if spec.get("precision"):
        keras.mixed_precision.set_global_policy(spec["precision"])


def _train_config(spec: dict):
    from cnn.config import TrainConfig

    overrides = {"seed": spec["seed"]}
    if spec.get("epochs"):
        overrides["epochs"] = spec["epochs"]
    if spec.get("train_limit"):
        overrides["train_limit"] = spec["train_limit"]
        overrides["val_limit"] = spec["train_limit"] // 4
    overrides.update(spec.get("overrides") or {})
    return TrainConfig.quick(**overrides) if spec.get("preset") == "quick" else TrainConfig(**overrides)


def _scored(model, dataset) -> dict:
    from cnn.evaluate import evaluate

    return {
        "test_accuracy": evaluate(model, dataset.test.scaled(), dataset.test.labels).accuracy,
        "forward_flop": forward_flop(model),
        "parameters": int(model.count_params()),
    }


def _finished(seconds: float, result, dataset, train_config, model) -> dict:
    """Return a finished cnn.train run's row: its time, epochs, images and what the model scores."""
    return {
        "seconds": seconds,
        "fit_seconds": result.seconds,
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "train_images": len(dataset.train.head(train_config.train_limit)),
        "val_images": len(dataset.val.head(train_config.val_limit)),
        **_scored(model, dataset),
    }


def run_chapter(spec: dict) -> dict:
    import keras

    from bench import chapter_script
    from cnn import data

    raw = data.load_raw()
    images, labels = raw["train_images"], raw["train_labels"]
    if spec.get("train_limit"):
        # The chapter's split keeps 80% for training; slice the raw set so that part is train_limit images.
        count = spec["train_limit"] * 5 // 4
        images, labels = images[:count], labels[:count]
    keras.utils.set_random_seed(spec["seed"])
    with open(os.devnull, "w") as quiet:  # The chapter's progress bars, as in a notebook, but not on screen.
        stdout, sys.stdout = sys.stdout, quiet
        try:
            result = chapter_script.run(
                images, labels, raw["test_images"], raw["test_labels"], epochs=spec.get("epochs") or 20
            )
        finally:
            sys.stdout = stdout
    from cnn.model import build_model

    val_count = math.ceil(0.2 * len(labels))  # train_test_split's test_size=0.2 rounds up
    return {
        "seconds": result["seconds"],
        "fit_seconds": result["fit_seconds"],
        "epochs_run": result["epochs_run"],
        "best_epoch": result["best_epoch"],
        "test_accuracy": result["test_accuracy"],
        "train_images": len(labels) - val_count,
        "val_images": val_count,
        "forward_flop": forward_flop(build_model()),
        "parameters": result["parameters"],
    }


def run_train(spec: dict) -> dict:
    from cnn import data
    from cnn.train import TerminalProgress, train

    dataset = data.load_dataset()
    train_config = _train_config(spec)
    with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w") as quiet:
        started = time.perf_counter()
        result = train(
            train_config,
            dataset,
            on_progress=TerminalProgress(stream=quiet),
            stop_event=threading.Event(),
            checkpoint_path=Path(folder) / "model.keras",
        )
        seconds = time.perf_counter() - started
    return _finished(seconds, result, dataset, train_config, result.model)


def run_board(spec: dict) -> dict:
    """Train through the app's TrainingBoard, polling it every second the way the Train view does."""
    from cnn import data, jobs
    from cnn.model_files import load_model_bytes
    from ui import charts

    dataset = data.load_dataset()
    train_config = _train_config(spec)
    board = jobs.TrainingBoard(max_running=1)
    submitted = time.perf_counter()
    job = board.submit(train_config, dataset.source, owner="bench")
    titles = dict.fromkeys(("epoch", "metric", "train", "val", "running", "best", "stopped"), "label")
    polls = 0
    while True:
        # The Train view's fragment: a snapshot, progress figures, the loss chart's spec, sent as JSON.
        view = board.get(job.id).view()
        board.get(job.id).touch()
        progress = view.progress
        history = view.result.history if view.result else (progress.history if progress else {})
        running = None
        if progress is not None and progress.phase == "batch":
            running = (progress.epoch - 1 + progress.batch / progress.batches, progress.loss)
        spec_json = charts.history_chart(history, "loss", titles, view.config.epochs, running, None, None)
        json.dumps(spec_json)
        polls += 1
        if not view.active:
            break
        time.sleep(1.0)
    wall = time.perf_counter() - submitted
    if view.result is None:
        raise RuntimeError(f"the training run failed: {view.error}")
    result = view.result
    # The board hands the app a NumPy model; the FLOP count reads the Keras one's layer shapes.
    return {**_finished(wall, result, dataset, train_config, load_model_bytes(result.model_file)), "polls": polls}


def explore(spec: dict) -> dict:
    """Time a few epochs of one candidate setting; no accuracy, only seconds."""
    import keras
    import numpy as np
    import tensorflow as tf

    from cnn import data
    from cnn.model import build_model
    from cnn.train import ProgressCallback

    dataset = data.load_dataset()
    keras.utils.set_random_seed(spec["seed"])
    train_part = dataset.train.head(spec.get("train_limit"))
    val_part = dataset.val.head(spec["train_limit"] // 4 if spec.get("train_limit") else None)
    if spec.get("float64"):
        x_train = train_part.images.reshape(-1, 28, 28, 1) / 255.0
        x_val = val_part.images.reshape(-1, 28, 28, 1) / 255.0
    else:
        x_train, x_val = train_part.scaled(), val_part.scaled()
    batch = spec["batch"]
    model = build_model()
    if spec.get("jit") or spec.get("steps_per_execution"):
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
            jit_compile=bool(spec.get("jit")),
            steps_per_execution=spec.get("steps_per_execution") or 1,
        )
    timer = EpochTimer()
    callbacks = [timer]
    if spec.get("hook", True):
        batches = int(np.ceil(len(x_train) / batch))
        callbacks.append(ProgressCallback(spec["epochs"], batches, lambda progress: None, threading.Event()))
    validation_batch = spec.get("validation_batch") or max(batch, 1000)
    if spec.get("pipeline") == "tf.data":
        train_data = (
            tf.data.Dataset.from_tensor_slices((x_train, train_part.labels))
            .shuffle(len(x_train), seed=spec["seed"])
            .batch(batch)
            .prefetch(tf.data.AUTOTUNE)
        )
        val_data = tf.data.Dataset.from_tensor_slices((x_val, val_part.labels)).batch(validation_batch).cache()
        model.fit(train_data, epochs=spec["epochs"], validation_data=val_data, callbacks=callbacks, verbose=0)
    else:
        model.fit(
            x_train,
            train_part.labels,
            batch_size=batch,
            epochs=spec["epochs"],
            validation_data=(x_val, val_part.labels),
            validation_batch_size=validation_batch,
            callbacks=callbacks,
            verbose=0,
        )
    return {
        "first_epoch_seconds": timer.train[0],
        "epoch_seconds": statistics.median(timer.train[1:]) if len(timer.train) > 1 else timer.train[0],
        "validation_seconds": statistics.median(timer.validation[1:] or timer.validation),
        "train_images": len(x_train),
        "val_images": len(x_val),
        "forward_flop": forward_flop(model),
    }


def matmul_peak(spec: dict) -> dict:
    """Measure what TensorFlow's float32 matrix product reaches here: a practical peak for the CPU."""
    import tensorflow as tf

    size = 2048
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    tf.matmul(a, b).numpy()
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        product = tf.matmul(a, b)
    product.numpy()
    seconds = time.perf_counter() - started
    return {"gflops": 2 * size**3 * rounds / seconds / 1e9}


class EpochTimer:
    """Records each epoch's training and validation wall time."""

    def __new__(cls, *args, **kwargs):
        import keras

        class _Timer(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.train, self.validation = [], []

            def on_epoch_begin(self, epoch, logs=None):
                self._started = time.perf_counter()

            def on_test_begin(self, logs=None):
                self.train.append(time.perf_counter() - self._started)
                self._validating = time.perf_counter()

            def on_test_end(self, logs=None):
                self.validation.append(time.perf_counter() - self._validating)

        return _Timer()
