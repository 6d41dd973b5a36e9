"""Training with the chapter's callbacks, a progress hook for any UI, a clean stop, and the `cnn.train` command.

python -m cnn.train --out runs/chapter                  # the chapter's recipe
python -m cnn.train --out runs/quick --preset quick     # the quick preset for class
python -m cnn.train --out runs/mine --epochs 5 --batch-size 128
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import functools
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import keras
import numpy as np

from cnn.config import INPUT_SHAPE, SCHEDULES, VALIDATION_BATCH_SIZE, TrainConfig
from cnn.training_run import HISTORY_KEYS, Progress, ProgressHook, RunSummary, TrainResult

# The command line's --preset: the chapter's recipe, or the quick one for a lesson.
PRESETS = {"chapter": TrainConfig, "quick": TrainConfig.quick}
# A warm-up starts from this share of the learning rate: small enough that the first
# large-batch steps cannot throw the fresh weights far, large enough to learn at once.
WARMUP_START = 0.1
# "auto" precision trains in bfloat16 only when the probe finds its steps at most this share of
# float32's time: a small gain is not worth the rounding.
BFLOAT16_WORTH_IT = 0.85


class ProgressCallback(keras.callbacks.Callback):
    """Turns Keras' callback calls into Progress events and honours a stop request."""

    def __init__(self, epochs: int, batches: int, hook: ProgressHook | None, stop_event: threading.Event | None):
        super().__init__()
        self.epochs, self.batches = epochs, batches
        self.hook, self.stop_event = hook, stop_event
        self.history: dict[str, list[float]] = {key: [] for key in HISTORY_KEYS}
        self.stopped_by_user = False
        self._epoch = 0
        self._logs: dict = {}
        self._started = time.perf_counter()

    def _check_stop(self) -> None:
        if self.stop_event is not None and self.stop_event.is_set() and not self.stopped_by_user:
            self.stopped_by_user = True
            self.model.stop_training = True

    def _emit(self, phase: str, batch: int, val_loss=None, val_accuracy=None) -> None:
        elapsed = time.perf_counter() - self._started
        done = (self._epoch - 1) * self.batches + batch
        remaining = self.epochs * self.batches - done
        eta = elapsed / done * remaining if done else float("nan")
        if self.hook is not None:
            self.hook(
                Progress(
                    phase=phase,
                    epoch=self._epoch,
                    epochs=self.epochs,
                    batch=batch,
                    batches=self.batches,
                    loss=float(self._logs.get("loss", np.nan)),
                    accuracy=float(self._logs.get("accuracy", np.nan)),
                    val_loss=val_loss,
                    val_accuracy=val_accuracy,
                    elapsed=elapsed,
                    eta=eta,
                    history={key: list(values) for key, values in self.history.items()},
                )
            )

    def on_train_begin(self, logs=None):
        self._started = time.perf_counter()
        self._check_stop()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch + 1
        self._batch = 0
        self._check_stop()

    def on_train_batch_end(self, batch, logs=None):
        self._batch = batch + 1
        self._logs = logs or {}
        self._emit("batch", self._batch)
        self._check_stop()

    def on_test_begin(self, logs=None):
        self._emit("validating", self._batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._logs = logs
        for key in HISTORY_KEYS:
            self.history[key].append(float(logs[key]))
        self._emit("epoch", self._batch, float(logs["val_loss"]), float(logs["val_accuracy"]))
        self._check_stop()


class AtomicCheckpoint(keras.callbacks.Callback):
    """Saves the best model so far (lowest val_loss) without ever leaving a half-written file."""

    def __init__(self, path: Path | str):
        super().__init__()
        self.path = Path(path)
        self.best = float("inf")

    def on_epoch_end(self, epoch, logs=None):
        from cnn.model_files import save_model_atomically

        val_loss = (logs or {}).get("val_loss")
        if val_loss is not None and val_loss < self.best:
            self.best = float(val_loss)
            save_model_atomically(self.model, self.path)


def learning_rate(train_config: TrainConfig, steps_per_epoch: int) -> float | keras.optimizers.schedules.CosineDecay:
    """Return Adam's learning rate: the number itself when constant, else a schedule over the run's steps."""
    if train_config.schedule == "constant":
        return train_config.learning_rate
    warmup_steps = round(train_config.warmup_epochs * steps_per_epoch)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=train_config.learning_rate * (WARMUP_START if warmup_steps else 1.0),
        decay_steps=train_config.epochs * steps_per_epoch - warmup_steps,
        warmup_target=train_config.learning_rate if warmup_steps else None,
        warmup_steps=warmup_steps,
    )


@functools.cache  # The CPU does not change while a process lives; a ready training process asks in advance.
def bfloat16_speed_ratio(reps: int = 20) -> float:
    """Return how long a bfloat16 training step of the chapter's main convolution takes against float32.

    A probe of about half a second: the second convolution's forward and backward pass on a batch
    of 128, in each format, best of three. Whether bfloat16 pays depends on the CPU (native
    AVX512-BF16 or AMX, or emulated with casts), not on a flag one can read reliably.
    """
    import tensorflow as tf

    images = tf.random.stateless_uniform((128, 14, 14, 32), seed=(1, 2))
    kernel = tf.Variable(tf.random.stateless_uniform((3, 3, 32, 64), seed=(3, 4)) * 0.1)

    def seconds(dtype) -> float:
        @tf.function
        def step():
            with tf.GradientTape() as tape:
                out = tf.nn.conv2d(tf.cast(images, dtype), tf.cast(kernel, dtype), 1, "SAME")
                loss = tf.reduce_sum(tf.cast(out, tf.float32))
            return tape.gradient(loss, kernel)

        step()  # Traces the function once, outside the timing.
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(reps):
                step()
            best = min(best, time.perf_counter() - started)
        return best

    return seconds(tf.bfloat16) / seconds(tf.float32)


def resolve_precision(train_config: TrainConfig) -> str:
    """Return "float32" or "mixed_bfloat16" for this run on this machine."""
    if train_config.precision != "auto":
        return train_config.precision
    return "mixed_bfloat16" if bfloat16_speed_ratio() <= BFLOAT16_WORTH_IT else "float32"


def batched(part, batch_size: int, shuffle_seed: int | None = None):
    """Return `part` (a cnn.data.Split) as a tf.data pipeline of batches scaled to [0, 1] as they are drawn.

    The chapter scales the whole set up front (`train_input / 255.0`); scaling each
    batch instead keeps only the 38 MB of uint8 images in memory, not a 150 MB float32
    copy plus TensorFlow's own copy of it: 380 MB less at the training process's peak.
    The pipeline gets one thread of its own and no autotuning, so it never takes a core
    from the training steps; measured here, epochs are then as fast as with in-memory
    arrays or faster (bench/README.md). With `shuffle_seed` the order is a fresh
    permutation every epoch, as model.fit(shuffle=True) gives.
    """
    import tensorflow as tf

    images = tf.constant(part.images)
    labels = tf.constant(part.labels)
    order = tf.data.Dataset.range(len(part.labels))
    if shuffle_seed is not None:
        order = order.shuffle(len(part.labels), seed=shuffle_seed, reshuffle_each_iteration=True)

    def gather(indices):
        scaled = tf.cast(tf.gather(images, indices), tf.float32) / 255.0
        return tf.reshape(scaled, (-1, *INPUT_SHAPE)), tf.gather(labels, indices)

    options = tf.data.Options()
    options.threading.private_threadpool_size = 1
    options.autotune.enabled = False
    return order.batch(batch_size).map(gather).prefetch(2).with_options(options)


# The one model made ready in advance in this process (`prepare`), by what its training step depends on.
_PREPARED: dict = {}


def _steps_per_epoch(train_config: TrainConfig, dataset) -> int:
    return int(np.ceil(len(dataset.train.head(train_config.train_limit).labels) / train_config.batch_size))


def _trace_key(train_config: TrainConfig, batches: int) -> tuple:
    """Return what a run's built model and traced steps depend on: runs with the same key can share them."""
    rate = learning_rate(train_config, batches)
    schedule = rate if isinstance(rate, float) else tuple(sorted(rate.get_config().items()))
    return (train_config.seed, train_config.dropout_rate, resolve_precision(train_config), schedule)


def _build(train_config: TrainConfig, batches: int, precision: str):
    from cnn.model import build_model

    keras.utils.set_random_seed(train_config.seed)
    keras.mixed_precision.set_global_policy(precision)
    try:
        return build_model(train_config.dropout_rate, learning_rate(train_config, batches))
    finally:
        keras.mixed_precision.set_global_policy("float32")  # Only this model computes in bfloat16.


def prepare(train_config: TrainConfig, dataset) -> None:
    """Build the model of a run expected next and trace its training and validation steps, so it starts at once.

    Tracing a fresh model's steps takes seconds, the longest wait between pressing Train and
    the first batch once TensorFlow is loaded. Here the model is built as `train` would build
    it, one throwaway batch is trained and validated (which traces both steps), and every
    variable, the optimizer's and the dropout's random state included, is set back to its
    value before that batch: the run then goes exactly as it would on a freshly built model.
    Only the latest prepared model is kept.
    """
    batches = _steps_per_epoch(train_config, dataset)
    key = _trace_key(train_config, batches)
    if key in _PREPARED:
        return
    _PREPARED.clear()
    model = _build(train_config, batches, resolve_precision(train_config))
    model.optimizer.build(model.trainable_variables)
    variables = list(model.variables) + list(model.optimizer.variables)
    fresh = [variable.numpy() for variable in variables]
    sample = dataset.train.head(train_config.batch_size)
    model.fit(
        batched(sample, train_config.batch_size, shuffle_seed=train_config.seed),
        validation_data=batched(sample, max(train_config.batch_size, VALIDATION_BATCH_SIZE)),
        shuffle=False,
        verbose=0,
    )
    for variable, value in zip(variables, fresh, strict=True):
        variable.assign(value)
    _PREPARED[key] = model


def train(
    train_config: TrainConfig,
    dataset,
    *,
    on_progress: ProgressHook | None = None,
    stop_event: threading.Event | None = None,
    checkpoint_path: Path | str | None = None,
) -> TrainResult:
    """Train the chapter's CNN on `dataset` (a cnn.data.Dataset) and return the best model.

    Early stopping watches val_loss with the configured patience and restores the
    best weights, as in the chapter. Setting `stop_event` ends the run after the
    current batch; the best epoch so far (a cut-short epoch counts, scored on the
    validation set) is kept.
    """
    from cnn.model import build_model

    train_part = dataset.train.head(train_config.train_limit)
    val_part = dataset.val.head(train_config.val_limit)

    batches = _steps_per_epoch(train_config, dataset)
    precision = resolve_precision(train_config)
    model = _PREPARED.pop(_trace_key(train_config, batches), None)
    _PREPARED.clear()  # A prepared model serves one run.
    if model is None:
        model = _build(train_config, batches, precision)
    keras.utils.set_random_seed(train_config.seed)  # The input pipeline's order, as in a run on a fresh model.
    progress = ProgressCallback(train_config.epochs, batches, on_progress, stop_event)
    early_stopping = keras.callbacks.EarlyStopping(patience=train_config.patience, restore_best_weights=True)
    callbacks = [progress, early_stopping]
    if checkpoint_path is not None:
        callbacks.append(AtomicCheckpoint(checkpoint_path))

    started = time.perf_counter()
    model.fit(
        batched(train_part, train_config.batch_size, shuffle_seed=train_config.seed),
        epochs=train_config.epochs,
        validation_data=batched(val_part, max(train_config.batch_size, VALIDATION_BATCH_SIZE)),
        shuffle=False,  # batched() shuffles; model.fit cannot shuffle a tf.data pipeline.
        callbacks=callbacks,
        verbose=0,
    )
    seconds = time.perf_counter() - started
    if precision != "float32":
        # The same weights (kept in float32 throughout) in the chapter's float32 model, so every
        # saved model and every later prediction, Grad-CAM included, computes in float32.
        trained, model = model, build_model(train_config.dropout_rate, learning_rate(train_config, batches))
        model.set_weights(trained.get_weights())
    history = progress.history
    epochs_run = len(history["val_loss"])
    best_epoch = int(np.argmin(history["val_loss"])) + 1 if epochs_run else 0
    return TrainResult(
        model=model,
        history=history,
        best_epoch=best_epoch,
        epochs_run=epochs_run,
        stopped_early=early_stopping.stopped_epoch > 0 and not progress.stopped_by_user,
        stopped_by_user=progress.stopped_by_user,
        seconds=seconds,
        config=train_config,
        precision=precision,
    )


def versions() -> dict[str, str]:
    """Return the versions that produced a model, for metrics.json."""
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
    }


def write_json_atomically(path: Path, payload: dict) -> None:
    """Write `payload` as pretty JSON so readers never see a half-written file."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(payload, file, indent=2, ensure_ascii=False)
        file.write("\n")
    os.chmod(temporary, 0o644)  # mkstemp makes owner-only files; these are meant to be shared.
    os.replace(temporary, path)


def run_metrics(result: TrainResult, dataset) -> RunSummary:
    """Return metrics.json's summary: validation and test figures of the best model, and how it was made."""
    from cnn.evaluate import evaluate

    val_part = dataset.val.head(result.config.val_limit)
    val = evaluate(result.model, val_part.scaled(), val_part.labels)
    test = evaluate(result.model, dataset.test.scaled(), dataset.test.labels)
    return dataclasses.replace(
        result.summary(),
        val_accuracy=round(val.accuracy, 6),
        val_loss=round(val.loss, 6),
        test_accuracy=round(test.accuracy, 6),
        test_loss=round(test.loss, 6),
        seconds=round(result.seconds, 1),
        parameters=int(result.model.count_params()),
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        versions=versions(),
    )


def save_run(result: TrainResult, out_dir: Path | str, dataset) -> dict:
    """Write model.keras, history.json and metrics.json into `out_dir` and return metrics.json's content."""
    from cnn.model_files import save_model_atomically

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_model_atomically(result.model, out_dir / "model.keras")
    write_json_atomically(out_dir / "history.json", result.history)
    metrics = run_metrics(result, dataset).to_json()
    write_json_atomically(out_dir / "metrics.json", metrics)
    return metrics


class TerminalProgress:
    """A one-line progress bar for the terminal, redrawn a few times a second."""

    def __init__(self, stream=None, width: int = 30):
        # sys.stderr is looked up now, not at import: a test runner or a notebook may have replaced it since.
        self.stream, self.width = stream or sys.stderr, width
        self.interactive = self.stream.isatty()
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        if progress.phase == "epoch":
            line = (
                f"epoch {progress.epoch}/{progress.epochs}  loss {progress.loss:.4f}  "
                f"val_loss {progress.val_loss:.4f}  val_accuracy {progress.val_accuracy:.4f}  "
                f"elapsed {progress.elapsed:.0f}s"
            )
            self.stream.write(("\r\033[K" if self.interactive else "") + line + "\n")
            self.stream.flush()
            return
        now = time.monotonic()
        if not self.interactive or now - self._last < 0.2:
            return
        self._last = now
        filled = int(self.width * progress.batch / progress.batches)
        bar = "#" * filled + "-" * (self.width - filled)
        eta = "?" if np.isnan(progress.eta) else f"{progress.eta:.0f}s"
        self.stream.write(
            f"\r\033[Kepoch {progress.epoch}/{progress.epochs} [{bar}] {progress.batch}/{progress.batches}  "
            f"loss {progress.loss:.4f}  accuracy {progress.accuracy:.4f}  left ~{eta}"
        )
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    """Train from the command line and write model.keras, history.json and metrics.json."""
    from cnn import data

    parser = argparse.ArgumentParser(prog="python -m cnn.train", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for model.keras, history.json, metrics.json")
    parser.add_argument(
        "--preset",
        choices=PRESETS,
        default="chapter",
        help="chapter: the chapter's recipe (default); quick: the same model in about a third of the time",
    )
    # Unset options take the preset's value.
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--patience", type=int)
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--dropout-rate", type=float)
    parser.add_argument("--schedule", choices=SCHEDULES, help="the learning rate's course: constant or cosine")
    parser.add_argument("--warmup-epochs", type=float, help="with --schedule cosine, epochs to warm up over")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    parser.add_argument("--val-limit", type=int, default=None, help="use only the first N validation images")
    args = parser.parse_args(argv)
    names = ("epochs", "batch_size", "patience", "learning_rate", "dropout_rate", "schedule", "warmup_epochs", "seed")
    names += ("train_limit", "val_limit")
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    try:
        train_config = PRESETS[args.preset](**overrides)
        dataset = data.load_dataset()
    except (ValueError, data.DatasetError) as error:
        parser.exit(2, f"error: {error}\n")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    try:
        result = train(
            train_config,
            dataset,
            on_progress=TerminalProgress(),
            stop_event=stop,
            checkpoint_path=out_dir / "model.keras",
        )
    except KeyboardInterrupt:
        print("\ninterrupted: model.keras holds the best epoch so far", file=sys.stderr)
        return 130
    metrics = save_run(result, out_dir, dataset)
    print(json.dumps({k: metrics[k] for k in ("val_accuracy", "test_accuracy", "epochs_run", "best_epoch", "seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
