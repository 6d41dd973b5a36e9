"""Training speed side by side: the chapter's script as written next to our training paths and the quick preset.

python -m bench.training                                   # the comparison in bench/README.md (about 15 minutes)
python -m bench.training --paths chapter quick --seeds 42 1 2 3 4   # the quick preset over five seeds
python -m bench.training --paths chapter default app browser        # overhead of our paths, in the app too
python -m bench.training --paths browser-ab                         # what the open Train page costs a run
python -m bench.training --paths app browser-closed --epochs 5      # a run started from the app, page closed
python -m bench.training --explore                         # per-epoch timings of what might make training faster
python -m bench.training --quick                           # a smoke run: 2 epochs on 6,000 images
python -m bench.training --plot a.json b.json --markdown   # tables of saved rows; redraws bench/speed.png

Every row runs in a fresh Python process, one after another on this machine, so each starts from the same
empty TensorFlow. Before each row the bench waits until other processes leave the CPU alone, and each row
reports the CPU that other processes took while it ran (`other load`, in cores). Ratios are against the
chapter's script of the same seed. Benchmarks print figures; no test ever times anything.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PICTURE = Path(__file__).resolve().parent / "speed.png"
RESULTS = PROJECT_DIR / "artifacts" / "bench-training.json"

# A training step costs about three forward passes (forward, gradient of the activations, gradient of the
# weights); validation is a forward pass only. FLOPs count a multiply-add as two.
TRAINING_PASSES = 3

# What each path runs: "kind" selects the worker, the rest configures it.
PATHS = {
    "chapter": {"kind": "chapter", "what": "the chapter's script as written (model.fit, batch 32)"},
    "default": {"kind": "train", "preset": "default", "what": "cnn.train: the chapter's recipe, hook + checkpoint"},
    "app": {"kind": "board", "preset": "default", "what": "cnn.jobs.TrainingBoard + the Train view's 1 s polling"},
    "browser": {"kind": "browser", "what": "streamlit run, Train clicked in Chromium, live chart"},
    "browser-ab": {"kind": "browser_ab", "what": "one run in Chromium: windows with the Train page open and closed"},
    "browser-closed": {"kind": "browser_closed", "what": "Train clicked in Chromium, then the page left blank"},
    "quick": {"kind": "train", "preset": "quick", "what": "TrainConfig.quick(), hook + checkpoint"},
    "quick-app": {"kind": "board", "preset": "quick", "what": "the quick preset through the TrainingBoard"},
}
DEFAULT_PATHS = ("chapter", "default", "app", "quick")

# Candidates for a faster epoch, each timed for a few epochs at the chapter's learning rate. "batch" is the
# batch size; the other keys change one thing against the row it is compared with.
EXPLORE = {
    "batch 32 (cnn.train)": {"batch": 32},
    "batch 32, float64 input (as the chapter)": {"batch": 32, "float64": True},
    "batch 32, no per-batch callback": {"batch": 32, "hook": False},
    "batch 32, validation batch 32 (Keras default)": {"batch": 32, "validation_batch": 32},
    "batch 32, tf.data pipeline + prefetch": {"batch": 32, "pipeline": "tf.data"},
    "batch 32, steps_per_execution 16": {"batch": 32, "steps_per_execution": 16},
    "batch 32, XLA (jit_compile)": {"batch": 32, "jit": True},
    "batch 32, bfloat16 mixed precision": {"batch": 32, "precision": "mixed_bfloat16"},
    "batch 32, oneDNN off": {"batch": 32, "env": {"TF_ENABLE_ONEDNN_OPTS": "0"}},
    "batch 32, inter-op threads 1": {"batch": 32, "threads": [2, 1]},
    "batch 64": {"batch": 64},
    "batch 128": {"batch": 128},
    "batch 256": {"batch": 256},
    "batch 512": {"batch": 512},
    "batch 128, tf.data pipeline + prefetch": {"batch": 128, "pipeline": "tf.data"},
    "batch 128, steps_per_execution 16": {"batch": 128, "steps_per_execution": 16},
    "batch 128, XLA (jit_compile)": {"batch": 128, "jit": True},
    "batch 128, bfloat16 mixed precision": {"batch": 128, "precision": "mixed_bfloat16"},
    "batch 128, oneDNN fpmath bf16": {"batch": 128, "env": {"TF_SET_ONEDNN_FPMATH_MODE": "BF16"}},
    "batch 128, oneDNN system allocator": {"batch": 128, "env": {"TF_ONEDNN_USE_SYSTEM_ALLOCATOR": "1"}},
    "batch 128, oneDNN off": {"batch": 128, "env": {"TF_ENABLE_ONEDNN_OPTS": "0"}},
    "batch 128, oneDNN limited to AVX2": {"batch": 128, "env": {"ONEDNN_MAX_CPU_ISA": "AVX2"}},
    "batch 128, inter-op threads 1": {"batch": 128, "threads": [2, 1]},
    "batch 128, one core": {"batch": 128, "threads": [1, 1]},
}
# The other processes may take this much CPU (in cores) before a timed row waits for them.
QUIET_CORES = 0.15


# The machine ------------------------------------------------------------------------------------------


def cpu_jiffies() -> tuple[int, int]:
    """Return (busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return total - idle, total


def busy_cores(seconds: float = 3.0) -> float:
    """Return how many cores were busy, on average, over the next `seconds`."""
    busy0, total0 = cpu_jiffies()
    time.sleep(seconds)
    busy1, total1 = cpu_jiffies()
    return (os.cpu_count() or 1) * (busy1 - busy0) / max(1, total1 - total0)


def heavy_processes() -> list[str]:
    """Return the command lines of other training, test or app processes on this machine."""
    found = subprocess.run(
        ["pgrep", "-af", "cnn.train|cnn.drawing.train|pytest|streamlit|bench"], capture_output=True, text=True
    ).stdout.splitlines()
    mine = {str(os.getpid()), str(os.getppid())}
    return [line for line in found if line.split()[0] not in mine and "pgrep" not in line]


def wait_for_quiet(max_wait: float, log=print) -> float:
    """Wait (up to `max_wait` seconds) until other processes use less than QUIET_CORES; return the last load."""
    deadline = time.monotonic() + max_wait
    while True:
        load = busy_cores()
        if load < QUIET_CORES or time.monotonic() > deadline:
            return load
        others = "; ".join(heavy_processes()) or "no named process"
        log(f"  waiting for a quiet machine: {load:.2f} cores busy ({others}) [{os.getloadavg()[0]:.2f} load avg]")
        time.sleep(20)


def cpu_model() -> str:
    """Return the CPU's model name as lscpu reports it."""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def cpu_flags() -> set[str]:
    """Return the CPU's feature flags."""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


# The workers: one row each, in a fresh process ------------------------------------------------------------


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


def _apply_runtime(spec: dict) -> None:
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


def _run_chapter(spec: dict) -> dict:
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


def _run_train(spec: dict) -> dict:
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
    return {
        "seconds": seconds,
        "fit_seconds": result.seconds,
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "train_images": len(dataset.train.head(train_config.train_limit)),
        "val_images": len(dataset.val.head(train_config.val_limit)),
        **_scored(result.model, dataset),
    }


def _run_board(spec: dict) -> dict:
    """Train through the app's TrainingBoard, polling it every second the way the Train view does."""
    from cnn import data, jobs
    from cnn.model import load_model_bytes
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
    return {
        "seconds": wall,
        "fit_seconds": result.seconds,
        "polls": polls,
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "train_images": len(dataset.train.head(train_config.train_limit)),
        "val_images": len(dataset.val.head(train_config.val_limit)),
        # The board hands the app a NumPy model; the FLOP count reads the Keras one's layer shapes.
        **_scored(load_model_bytes(result.model_file), dataset),
    }


# What the Train page says when a run has ended: the epochs run and the best one.
DONE_TEXT = r"Done: stopped after epoch (\d+); the best epoch was (\d+)"


def _done_epochs(text: str) -> tuple[int, int]:
    """Return (epochs run, best epoch) from the Train page's text once it says Done."""
    found = re.search(DONE_TEXT, text)
    return int(found.group(1)), int(found.group(2))


def _press_slider(page, name: str, *keys: str) -> None:
    """Press keys on the slider with widget key `name` (Home, End, ArrowRight...) and let the page settle."""
    from bench import latency

    thumb = page.locator(f".st-key-{name} input[type='range']")
    thumb.focus()
    for key in keys:
        thumb.press(key)
    latency.wait_idle(page)


def _run_id(page) -> str:
    """Return the run's id from the page's address (?run=), which brings the run back after a reload."""
    return re.search(r"run=([\w-]+)", page.url).group(1)


def _run_browser(spec: dict) -> dict:
    """Click Train in a real `streamlit run` session and time it until the page says Done."""
    from bench import latency
    from bench.memory import Peak

    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        if spec.get("train_limit") or spec.get("epochs"):
            raise ValueError("The browser row trains the app's defaults; run it without --quick or --epochs.")
        peak = Peak(app.pid)
        clicked = time.perf_counter()
        page.locator(".st-key-train_button button").click()
        with peak:
            # The first batch on the page: the training process has started, imported TensorFlow and begun.
            page.wait_for_selector("text=· batch", timeout=600_000)
            first_batch = time.perf_counter() - clicked
            page.wait_for_selector("text=Done: stopped after epoch", timeout=1800_000)
        wall = time.perf_counter() - clicked
        epochs_run, best_epoch = _done_epochs(page.locator("body").inner_text())
    return {
        "seconds": wall,
        # From the first batch on the page to Done: the training itself, as fit_seconds is for the other rows.
        "fit_seconds": wall - first_batch,
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "train_images": 48_000,
        "val_images": 12_000,
        "peak_rss_mb": peak.megabytes,
        "test_accuracy": None,
    }


# What the live page costs: batches per second with the Train page open against the same run with it closed.
AB_WINDOW_SECONDS = 25.0
AB_ROUNDS = 3
PROGRESS_TEXT = r"Epoch (\d+)/\d+ · batch (\d+)/(\d+)"


def _run_browser_closed(spec: dict) -> dict:
    """Train from the app with its page on about:blank for all but the start and the end.

    With `--epochs N` the page sets N epochs and patience 10, so the run is N whole epochs; set
    the same for the `app` row and the two are the same work, started from the app or from here.
    Leaving the page for at most 60 s keeps the run watched (the board stops runs unwatched for 90 s).
    """
    from bench import latency

    epochs = spec.get("epochs") or 5
    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        _press_slider(page, "train_epochs", "Home", *["ArrowRight"] * (epochs - 1))
        _press_slider(page, "train_patience", "End")
        clicked = time.perf_counter()
        page.locator(".st-key-train_button button").click()
        page.wait_for_selector("text=· batch", timeout=600_000)
        first_batch = time.perf_counter()
        run = _run_id(page)
        while True:
            # Stay away until about 10 s before the estimated end, then watch the page say Done.
            text = page.locator("body").inner_text()
            if "Done: stopped" in text:
                break
            found = re.search(PROGRESS_TEXT, text)
            if found is None:  # Scoring an epoch on the validation set: read again in a moment.
                time.sleep(0.5)
                continue
            epoch, batch, batches = (int(group) for group in found.groups())
            done = (epoch - 1) * batches + batch
            remaining = (time.perf_counter() - first_batch) / max(done, 1) * (epochs * batches - done)
            if remaining < 20:
                break
            page.goto("about:blank")
            time.sleep(min(60.0, remaining - 10))
            page.goto(f"{app.url}/?lang=en&run={run}")
            page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
            page.wait_for_function(
                "document.body.innerText.includes('batch') || document.body.innerText.includes('Done')"
            )
        page.wait_for_selector("text=Done: stopped after epoch", timeout=600_000)
        ended = time.perf_counter()
        epochs_run, best_epoch = _done_epochs(page.locator("body").inner_text())
    return {
        "seconds": ended - clicked,
        "fit_seconds": ended - first_batch,
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "train_images": 48_000,
        "val_images": 12_000,
        "test_accuracy": None,
    }


def _chromium_cpu() -> float:
    """Return the CPU seconds (user + system) all Chromium processes have used so far."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if b"chromium" not in Path(f"/proc/{entry}/cmdline").read_bytes()[:300]:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _run_browser_ab(spec: dict) -> dict:
    """Alternate windows with the Train page open and with the browser on a blank page, within one run.

    Both sides share the run, its epochs and the machine's state, so the ratio of batches trained
    per second is what the open page costs the training, free of the run-to-run noise (up to about
    17% here) that comparing two whole runs carries. A window's count includes the validation passes
    that fall in it; alternating three times spreads them over both sides.
    """
    from bench import latency

    def trained(page) -> tuple[int, float]:
        found = re.search(PROGRESS_TEXT, page.locator("body").inner_text())
        epoch, batch, batches = (int(group) for group in found.groups())
        return (epoch - 1) * batches + batch, time.perf_counter()

    rates = {"open": [], "closed": []}
    browser_cores = {"open": [], "closed": []}
    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        # The chapter's recipe with patience 10, so that early stopping does not end the run between windows.
        _press_slider(page, "train_patience", "End")
        page.locator(".st-key-train_button button").click()
        page.wait_for_selector("text=Epoch 2/", timeout=600_000)
        run = _run_id(page)
        for side in ("open", "closed") * AB_ROUNDS:
            batches_before, started = trained(page)
            cpu_before = _chromium_cpu()
            if side == "closed":
                page.goto("about:blank")
            time.sleep(AB_WINDOW_SECONDS)
            cpu_after = _chromium_cpu()
            if side == "closed":
                # ?run= brings the session's run back after the reload.
                page.goto(f"{app.url}/?lang=en&run={run}")
                page.wait_for_selector("text=· batch", timeout=60_000)
            batches_after, ended = trained(page)
            rates[side].append((batches_after - batches_before) / (ended - started))
            browser_cores[side].append((cpu_after - cpu_before) / (ended - started))
        page.locator(".st-key-stop_button button").click()
    return {"rates": rates, "browser_cores": browser_cores, "window_seconds": AB_WINDOW_SECONDS}


def _explore(spec: dict) -> dict:
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


def _matmul_peak(spec: dict) -> dict:
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


WORKERS = {
    "chapter": _run_chapter,
    "train": _run_train,
    "board": _run_board,
    "browser": _run_browser,
    "browser_ab": _run_browser_ab,
    "browser_closed": _run_browser_closed,
    "explore": _explore,
    "matmul": _matmul_peak,
}


def worker(spec: dict, out: Path) -> None:
    """Run one row in this process and write its result as JSON to `out`."""
    sys.path.insert(0, str(PROJECT_DIR))
    _apply_runtime(spec)
    result = WORKERS[spec["kind"]](spec)
    out.write_text(json.dumps(result))


# The parent: rows one after another, then the table ------------------------------------------------------


@dataclasses.dataclass
class Row:
    """One timed run and what it reached."""

    name: str
    seed: int
    spec: dict
    result: dict
    other_load: float  # cores other processes used while it ran
    load_before: float

    def flop(self) -> float:
        """Return the floating-point operations the run did, training and validation."""
        r = self.result
        epochs = r.get("epochs_run", 0)
        return r["forward_flop"] * epochs * (TRAINING_PASSES * r["train_images"] + r["val_images"])


def run_row(name: str, spec: dict, max_wait: float, log=print, retries: int = 2) -> Row:
    """Run one row on a quiet machine, again (up to `retries` times) if other processes took CPU meanwhile."""
    row = _run_once(name, spec, max_wait, log)
    for _ in range(retries):
        if row.other_load < QUIET_CORES:
            break
        log(f"  {name}: other processes took {row.other_load:.2f} cores during the run; running it again")
        row = _run_once(name, spec, max_wait, log)
    return row


def _run_once(name: str, spec: dict, max_wait: float, log=print) -> Row:
    """Run one row in a fresh process after the machine is quiet; measure the CPU others took meanwhile."""
    load_before = wait_for_quiet(max_wait, log)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, **spec.get("env", {}), "TF_CPP_MIN_LOG_LEVEL": "2"}
        command = [sys.executable, "-m", "bench.training", "--worker", json.dumps(spec), "--out", str(out)]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_before, total_before = cpu_jiffies()
        started = time.perf_counter()
        child = subprocess.run(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        busy_after, total_after = cpu_jiffies()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if child.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{child.stderr.decode(errors='replace')[-3000:]}")
        result = json.loads(out.read_text())
    # Everything the CPUs did during the row, minus what the row itself (and its children) used.
    busy_seconds = (busy_after - busy_before) / (total_after - total_before) * (os.cpu_count() or 1) * wall
    own_seconds = sum(
        getattr(children_after, field) - getattr(children_before, field) for field in ("ru_utime", "ru_stime")
    )
    other = max(0.0, (busy_seconds - own_seconds) / wall)
    return Row(name, spec.get("seed", 0), spec, result, other_load=other, load_before=load_before)


def _mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.fmean(values) if values else None


def _format(value, pattern: str, empty: str = "-") -> str:
    return empty if value is None else format(value, pattern)


def comparison_table(rows: list[Row]) -> list[list[str]]:
    """Return the comparison as table cells, each row's ratios against the chapter's run of the same seed."""
    chapter = {row.seed: row for row in rows if row.name == "chapter"}
    reference_seconds = _mean(row.result["seconds"] for row in chapter.values())
    reference_epoch = _mean(row.result["seconds"] / row.result["epochs_run"] for row in chapter.values())
    reference_fit = _mean(row.result["fit_seconds"] / row.result["epochs_run"] for row in chapter.values())
    cells = [
        [
            "path",
            "seed",
            "epochs (best)",
            "seconds",
            "× chapter",
            "s / epoch",
            "× chapter",
            "training s / epoch",
            "× chapter",
            "images / s",
            "GFLOP/s",
            "test accuracy",
            "other load",
        ]
    ]
    for row in rows:
        r = row.result
        per_epoch = r["seconds"] / r["epochs_run"]
        same_seed = chapter.get(row.seed)
        ref_seconds = same_seed.result["seconds"] if same_seed else reference_seconds
        ref_epoch = same_seed.result["seconds"] / same_seed.result["epochs_run"] if same_seed else reference_epoch
        fit_epoch = r["fit_seconds"] / r["epochs_run"] if "fit_seconds" in r else None
        ref_fit = same_seed.result["fit_seconds"] / same_seed.result["epochs_run"] if same_seed else reference_fit
        cells.append(
            [
                row.name,
                str(row.seed),
                f"{r['epochs_run']} ({r['best_epoch']})",
                f"{r['seconds']:.1f}",
                _format(r["seconds"] / ref_seconds if ref_seconds else None, ".2f"),
                f"{per_epoch:.2f}",
                _format(per_epoch / ref_epoch if ref_epoch else None, ".3f"),
                _format(fit_epoch, ".2f"),
                _format(fit_epoch / ref_fit if fit_epoch and ref_fit else None, ".3f"),
                f"{r['epochs_run'] * r['train_images'] / r['seconds']:.0f}",
                f"{row.flop() / r['seconds'] / 1e9:.0f}" if "forward_flop" in r else "-",
                _format(r.get("test_accuracy"), ".4f"),
                f"{row.other_load:.2f}",
            ]
        )
    return cells


def ab_table(rows: list[Row]) -> list[list[str]]:
    """Return the open-against-closed windows of each browser-ab row: batches per second and Chromium's CPU."""
    cells = [["seed", "window", "Train page", "batches / s", "Chromium cores", "time per batch, open ÷ closed"]]
    for row in rows:
        rates, cores = row.result["rates"], row.result["browser_cores"]
        for index, (opened, closed) in enumerate(zip(rates["open"], rates["closed"], strict=True)):
            for offset, side, rate in ((1, "open", opened), (2, "closed", closed)):
                cells.append(
                    [str(row.seed), str(2 * index + offset), side, f"{rate:.1f}", f"{cores[side][index]:.3f}", ""]
                )
        ratio = statistics.fmean(rates["closed"]) / statistics.fmean(rates["open"])
        cells.append([str(row.seed), "all", "", "", "", f"{ratio:.3f}"])
    return cells


def summary_table(rows: list[Row]) -> list[list[str]]:
    """Return one line per path over its seeds: mean time and ratio, mean and lowest test accuracy."""
    chapter_seconds = {row.seed: row.result["seconds"] for row in rows if row.name == "chapter"}
    reference = _mean(chapter_seconds.values())
    cells = [["path", "runs", "mean seconds", "× chapter (mean)", "test accuracy mean", "lowest", "highest"]]
    for name in dict.fromkeys(row.name for row in rows):
        mine = [row for row in rows if row.name == name]
        ratios = [row.result["seconds"] / chapter_seconds.get(row.seed, reference or 1) for row in mine]
        accuracies = [row.result.get("test_accuracy") for row in mine if row.result.get("test_accuracy") is not None]
        cells.append(
            [
                name,
                str(len(mine)),
                f"{_mean(row.result['seconds'] for row in mine):.1f}",
                _format(_mean(ratios) if reference else None, ".3f"),
                _format(_mean(accuracies), ".4f"),
                _format(min(accuracies) if accuracies else None, ".4f"),
                _format(max(accuracies) if accuracies else None, ".4f"),
            ]
        )
    return cells


def explore_table(rows: list[Row]) -> list[list[str]]:
    """Return the per-epoch timings of each candidate setting against batch 32 as cnn.train runs it."""
    peak = next((row.result["gflops"] for row in rows if row.name == "matmul"), None)
    timed = [row for row in rows if row.name != "matmul"]
    reference = next((row.result["epoch_seconds"] for row in timed if row.spec.get("batch") == 32), None)
    cells = [["setting", "first epoch s", "epoch s", "× batch 32", "images / s", "GFLOP/s", "% of matmul", "val s"]]
    for row in timed:
        r = row.result
        gflops = TRAINING_PASSES * r["forward_flop"] * r["train_images"] / r["epoch_seconds"] / 1e9
        cells.append(
            [
                row.name,
                f"{r['first_epoch_seconds']:.2f}",
                f"{r['epoch_seconds']:.2f}",
                _format(r["epoch_seconds"] / reference if reference else None, ".2f"),
                f"{r['train_images'] / r['epoch_seconds']:.0f}",
                f"{gflops:.0f}",
                _format(100 * gflops / peak if peak else None, ".0f"),
                f"{r['validation_seconds']:.2f}",
            ]
        )
    if peak:
        cells.append(["reference: tf.matmul 2048x2048 float32", "", "", "", "", f"{peak:.0f}", "100", ""])
    return cells


def split_rows(rows: list[Row]) -> tuple[list[Row], list[Row], list[Row]]:
    """Return the rows of whole runs to compare, of open/closed windows (browser-ab), and of candidate settings."""
    windows = [row for row in rows if row.spec.get("kind") == "browser_ab"]
    explored = [row for row in rows if row.spec.get("kind") in ("explore", "matmul")]
    compared = [row for row in rows if row not in windows and row not in explored]
    return compared, windows, explored


def print_tables(rows: list[Row], markdown: bool) -> None:
    """Print every table the rows make: the comparison, its summary, the open/closed windows, the candidates."""
    compared, windows, explored = split_rows(rows)
    tables = (comparison_table(compared), summary_table(compared), ab_table(windows), explore_table(explored))
    for cells in tables:
        if len(cells) > 1:
            print(render(cells, markdown), end="\n\n")


def render(cells: list[list[str]], markdown: bool) -> str:
    """Return table cells as aligned text or as a Markdown table."""
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in cells[0]) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells[1:]])
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in cells)


def save(rows: list[Row], path: Path, header: dict) -> None:
    """Write the rows and the machine's description as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**header, "rows": [dataclasses.asdict(row) for row in rows]}
    path.write_text(json.dumps(payload, indent=1))


def load(paths: list[Path]) -> tuple[dict, list[Row]]:
    """Read rows saved by `save` from one or more files."""
    header, rows = {}, []
    for path in paths:
        payload = json.loads(path.read_text())
        rows += [Row(**row) for row in payload.pop("rows")]
        header = header or payload
    return header, rows


def plot(rows: list[Row], header: dict, path: Path = PICTURE) -> None:
    """Draw bench/speed.png: time to finish per path, accuracy against time, and the candidate settings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compared, _, candidates = split_rows(rows)
    explored = [row for row in candidates if row.spec.get("kind") == "explore"]
    panels = 2 + bool(explored)
    figure, axes = plt.subplots(1, panels, figsize=(6.2 * panels, 4.8), layout="constrained")
    names = list(dict.fromkeys(row.name for row in compared))
    chapter = _mean(row.result["seconds"] for row in compared if row.name == "chapter")

    left = axes[0]
    for index, name in enumerate(names):
        seconds = [row.result["seconds"] for row in compared if row.name == name]
        left.bar(index, statistics.fmean(seconds), color="#9db4d8" if name != "chapter" else "#888888")
        left.scatter([index] * len(seconds), seconds, color="#1f3f7f", s=12, zorder=3)
    if chapter:
        left.axhline(chapter / 3, color="#c0392b", linestyle="--", linewidth=1)
        left.text(len(names) - 0.5, chapter / 3, " a third of the chapter", color="#c0392b", va="bottom", ha="right")
    left.set_xticks(range(len(names)), names, rotation=20)
    left.set_ylabel("seconds to the end of training (dots: seeds)")
    left.set_title("Time to train, side by side")

    middle = axes[1]
    for name in names:
        points = [(row.result["seconds"], row.result["test_accuracy"]) for row in compared if row.name == name]
        points = [point for point in points if point[1] is not None]
        if points:
            middle.scatter(*zip(*points, strict=True), label=name, s=24)
    middle.axhline(0.912, color="#c0392b", linestyle="--", linewidth=1)
    if chapter:
        middle.axvline(chapter / 3, color="#c0392b", linestyle=":", linewidth=1)
    middle.set_xlabel("seconds")
    middle.set_ylabel("test accuracy")
    middle.set_title("Accuracy against time (target: up and left of the red lines)")
    middle.legend(fontsize=8)

    if explored:
        right = axes[2]
        labels = [row.name for row in explored]
        right.barh(range(len(labels)), [row.result["epoch_seconds"] for row in explored], color="#9db4d8")
        right.set_yticks(range(len(labels)), labels, fontsize=7)
        right.invert_yaxis()
        right.set_xlabel("seconds per epoch of 48,000 images (training only)")
        right.set_title("What might make an epoch faster")
    figure.suptitle(f"{header.get('cpu', '')}, {header.get('cores', '')} cores, {header.get('date', '')}", fontsize=9)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _value(text: str):
    """Return a --set value as a number when it is one, else as the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def header() -> dict:
    """Describe the machine and software the figures come from."""
    import platform

    flags = cpu_flags()
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "bf16": "avx512_bf16" in flags,
        "amx": any(flag.startswith("amx") for flag in flags),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the rows asked for, print the tables, save the rows as JSON and draw the plot."""
    parser = argparse.ArgumentParser(prog="python -m bench.training", description=__doc__.splitlines()[0])
    parser.add_argument("--paths", nargs="+", choices=list(PATHS), default=list(DEFAULT_PATHS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[42])
    parser.add_argument("--explore", action="store_true", help="time candidate settings for a few epochs each")
    parser.add_argument("--only", nargs="+", help="with --explore: only settings whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 epochs on 6,000 images")
    parser.add_argument("--epochs", type=int, help="cap every row's epochs (the figures reported are full runs)")
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds to wait for a quiet machine per row")
    parser.add_argument(
        "--set", nargs="+", default=[], metavar="FIELD=VALUE", help="change TrainConfig fields of the trained paths"
    )
    parser.add_argument("--retries", type=int, default=2, help="runs again a row that other processes disturbed")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to save the rows")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--plot", nargs="*", type=Path, help="print the tables of saved JSON files, redraw the plot")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker), args.out)
        return 0
    if args.plot is not None:
        saved_header, rows = load(args.plot or [args.json])
        print_tables(rows, args.markdown)
        plot(rows, saved_header)
        print(f"wrote {PICTURE}")
        return 0

    machine = header()
    print(
        f"{machine['cpu']}, {machine['cores']} cores, bf16 {machine['bf16']}, AMX {machine['amx']}, {machine['date']}"
    )
    limit = 6000 if args.quick else None
    epochs = args.epochs or (2 if args.quick else None)
    rows: list[Row] = []

    def log(message: str) -> None:
        print(message, flush=True)

    if args.explore:
        rows.append(run_row("matmul", {"kind": "matmul"}, args.max_wait, log))
        for name, settings in EXPLORE.items():
            if args.only and not any(part in name for part in args.only):
                continue
            spec = {"kind": "explore", "seed": args.seeds[0], "epochs": epochs or 4, "train_limit": limit, **settings}
            row = run_row(name, spec, args.max_wait, log, args.retries)
            rows.append(row)
            r = row.result
            log(f"  {name}: {r['epoch_seconds']:.2f} s/epoch, other load {row.other_load:.2f}")
            save(rows, args.json, machine)
        print(render(explore_table(rows), args.markdown))
    else:
        overrides = {field: _value(text) for field, text in (item.split("=", 1) for item in args.set)}
        for seed in args.seeds:
            for name in args.paths:
                spec = {**PATHS[name], "seed": seed, "epochs": epochs, "train_limit": limit}
                label = name
                if overrides and spec["kind"] in ("train", "board"):
                    spec["overrides"] = overrides
                    label = f"{name} {' '.join(args.set)}"
                row = run_row(label, spec, args.max_wait, log, args.retries)
                rows.append(row)
                r = row.result
                if spec["kind"] == "browser_ab":
                    log(f"  {label} seed {seed}: batches / s open {r['rates']['open']}, closed {r['rates']['closed']}")
                else:
                    log(
                        f"  {label} seed {seed}: {r['seconds']:.1f} s, {r['epochs_run']} epochs, "
                        f"test {_format(r.get('test_accuracy'), '.4f')}, other load {row.other_load:.2f}"
                    )
                save(rows, args.json, machine)
        print_tables(rows, args.markdown)
    print(f"saved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
