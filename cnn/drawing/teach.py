"""The class teaches the drawing model: split a class's drawings, fine-tune a copy on the taught part, compare.

The taught drawings are mixed with a sample of the drawing model's usual training data (real
images, drawing-style copies, sketches: cnn.drawing.train.with_drawings) so that the model
learns the class's hands without forgetting the dataset; the held-out drawings and the real
test set then show, class by class, what changed. A run is a `TeachConfig` on the training
board (cnn.jobs), so it queues, reports progress and stops like any other run.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cnn import class_models, config
from cnn.config import TrainConfig
from cnn.training_run import ProgressHook, TrainResult

# Share of each class's drawings held out for checking, and the least number held out where a
# class has enough drawings to teach some too.
HELD_OUT_SHARE = 0.3
MIN_HELD_OUT = 2
# Below this many drawings of a class, its figures mean little (the page and the CLI say so).
FEW_DRAWINGS = 5
DEFAULT_SEED = 17
# Real training and validation images sampled into the mix; with their drawing-style copies and
# sketches they make the run's "usual data" (bench/README.md#the-class-teaches-the-model).
MIX_REAL_TRAIN = 1500
MIX_REAL_VAL = 400
# Share of the mixed training set that is the class's taught drawings (repeated, each copy
# shifted and turned a little); at most MAX_REPEATS copies of each.
TAUGHT_SHARE = 0.2
MAX_REPEATS = 40
# Small moves of a repeated drawing: pixels of shift and degrees of rotation.
MAX_SHIFT = 2
MAX_ROTATION = 10.0
# A fall of the real test set's accuracy beyond this share is worth a warning: the taught labels may be wrong.
TEST_FALL_WARNING = 0.01
# The gallery setting that names a class's own drawing model, a file in the gallery's models/ folder.
CLASS_MODEL_SETTING = "drawing_model"
# Seeds of the mix, apart from the drawing model's own (cnn.drawing.train uses 1 and 2).
MIX_TRAIN_SEED, MIX_VAL_SEED = 11, 12


@dataclasses.dataclass(frozen=True)
class Split:
    """Which drawings are taught and which held out (positions in the given labels), per class."""

    taught: tuple[int, ...]
    held_out: tuple[int, ...]
    seed: int
    counts: dict[int, tuple[int, int]]  # class -> (taught, held out), classes that have drawings

    def few(self, least: int = FEW_DRAWINGS) -> list[int]:
        """Return the classes with drawings but fewer than `least` of them."""
        return [label for label, (taught, held) in self.counts.items() if taught + held < least]


def split(
    labels: Sequence[int], seed: int = DEFAULT_SEED, share: float = HELD_OUT_SHARE, least: int = MIN_HELD_OUT
) -> Split:
    """Hold out `share` of each class's drawings (at least `least`, always leaving one to teach), fixed by `seed`."""
    if not 0.0 <= share < 1.0:
        raise ValueError(f"The held-out share must be at least 0 and below 1, got {share}.")
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= config.NUM_CLASSES):
        raise ValueError(f"Labels must be class numbers 0 to {config.NUM_CLASSES - 1}.")
    rng = np.random.default_rng(seed)
    taught, held_out, counts = [], [], {}
    for label in range(config.NUM_CLASSES):
        positions = np.flatnonzero(labels == label)
        if not len(positions):
            continue
        positions = rng.permutation(positions)
        held = 0 if share == 0 else min(max(least, round(share * len(positions))), len(positions) - 1)
        held_out += positions[:held].tolist()
        taught += positions[held:].tolist()
        counts[label] = (len(positions) - held, held)
    return Split(tuple(sorted(taught)), tuple(sorted(held_out)), seed, counts)


@dataclasses.dataclass(frozen=True)
class TeachConfig(TrainConfig):
    """A fine-tune of the drawing model on a class's drawings; the TrainConfig fields are its recipe."""

    base_model: str = ""  # the .keras file fine-tuned (a copy: the file itself is never written)
    # (n, 28, 28, 1) float32 in [0, 1], as the model saw them; labels what the students meant.
    taught_images: np.ndarray | None = dataclasses.field(default=None, compare=False, repr=False)
    taught_labels: np.ndarray | None = dataclasses.field(default=None, compare=False, repr=False)
    held_out_images: np.ndarray | None = dataclasses.field(default=None, compare=False, repr=False)
    held_out_labels: np.ndarray | None = dataclasses.field(default=None, compare=False, repr=False)
    held_out_ids: tuple[int, ...] = ()  # the gallery's item ids of the held-out drawings, for the page
    # train_limit and val_limit are the real training and validation images sampled into the mix.

    @classmethod
    def make(cls, base_model, taught_images, taught_labels, held_out_images=None, held_out_labels=None, **values):
        """Return a fine-tune's configuration with the recipe's defaults (3 epochs, Adam at 0.001)."""
        empty = np.zeros((0, *config.INPUT_SHAPE), np.float32)
        recipe = dict(
            epochs=3,
            patience=3,
            batch_size=128,
            learning_rate=1e-3,
            dropout_rate=0.1,
            train_limit=MIX_REAL_TRAIN,
            val_limit=MIX_REAL_VAL,
        )
        recipe.update(values)
        return cls(
            base_model=str(base_model),
            taught_images=_inputs(taught_images),
            taught_labels=np.asarray(taught_labels, dtype=np.uint8).reshape(-1),
            held_out_images=_inputs(held_out_images if held_out_images is not None else empty),
            held_out_labels=np.asarray(held_out_labels if held_out_labels is not None else [], np.uint8).reshape(-1),
            **recipe,
        )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.taught_images is not None and len(self.taught_images) != len(self.taught_labels):
            raise ValueError("Every taught drawing needs one label.")
        if self.taught_images is not None and not len(self.taught_images):
            raise ValueError("There is no drawing to teach.")

    def to_dict(self) -> dict:
        """Return the recipe as metrics.json keeps it (the drawings themselves stay out)."""
        names = {field.name for field in dataclasses.fields(TrainConfig)}
        return {name: value for name, value in dataclasses.asdict(self).items() if name in names} | {
            "base_model": self.base_model,
            "taught": len(self.taught_labels),
            "held_out": len(self.held_out_labels),
        }

    def train(self, dataset, *, on_progress: ProgressHook | None = None, stop_event=None) -> TrainResult:
        """Run the fine-tune (what cnn.jobs calls instead of cnn.train.train)."""
        return fine_tune(self, dataset, on_progress=on_progress, stop_event=stop_event)


def _inputs(images) -> np.ndarray:
    return np.asarray(images, dtype=np.float32).reshape(-1, *config.INPUT_SHAPE)


def wiggled(images: np.ndarray, repeats: int, seed: int) -> np.ndarray:
    """Return (n * repeats, 28, 28) uint8: each image as it is once, then shifted and turned a little."""
    import cv2

    rng = np.random.default_rng(seed)
    size = config.IMAGE_SIZE
    pictures = np.round(255 * np.clip(images.reshape(-1, size, size), 0, 1)).astype(np.uint8)
    out = [pictures]
    for _ in range(repeats - 1):
        moved = np.empty_like(pictures)
        for index, picture in enumerate(pictures):
            centre = (size / 2 - 0.5, size / 2 - 0.5)
            turn = cv2.getRotationMatrix2D(centre, rng.uniform(-MAX_ROTATION, MAX_ROTATION), 1)
            turn[:, 2] += rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=2)
            moved[index] = cv2.warpAffine(picture, turn, (size, size), flags=cv2.INTER_LINEAR, borderValue=0)
        out.append(moved)
    return np.concatenate(out)


def _with_taught(usual, teach_config: TeachConfig, seed: int):
    from cnn import data

    count = len(teach_config.taught_labels)
    repeats = int(np.clip(round(TAUGHT_SHARE / (1 - TAUGHT_SHARE) * len(usual) / count), 1, MAX_REPEATS))
    images = np.concatenate([usual.images, wiggled(teach_config.taught_images, repeats, seed)])
    labels = np.concatenate([usual.labels, np.tile(teach_config.taught_labels, repeats)])
    order = np.random.default_rng(seed).permutation(len(labels))
    return data.Split(images[order], labels[order].astype(np.uint8))


def mixed(teach_config: TeachConfig, dataset, seed: int):
    """Return (train, val) cnn.data.Splits: the usual data sampled, the taught drawings repeated into both.

    The validation part holds the taught drawings too (other small moves of them), so that the
    best epoch is the one that reads the class's drawings and still reads the dataset; the
    honest figures are the held-out drawings' and the test set's, never trained or chosen on.
    """
    from cnn import data
    from cnn.drawing.train import with_drawings

    rng = np.random.default_rng(seed)
    count = min(teach_config.train_limit or MIX_REAL_TRAIN, len(dataset.train))
    picked = np.sort(rng.choice(len(dataset.train), size=count, replace=False))
    usual = with_drawings(data.Split(dataset.train.images[picked], dataset.train.labels[picked]), MIX_TRAIN_SEED)
    usual_val = with_drawings(dataset.val.head(teach_config.val_limit or MIX_REAL_VAL), MIX_VAL_SEED)
    return _with_taught(usual, teach_config, seed), _with_taught(usual_val, teach_config, seed + 1)


def fine_tune(
    teach_config: TeachConfig,
    dataset,
    *,
    on_progress: ProgressHook | None = None,
    stop_event: threading.Event | None = None,
) -> TrainResult:
    """Fine-tune a copy of the base model on the taught drawings and the usual data; return it and the comparison.

    Early stopping watches the usual validation mix (the model must not forget the dataset) and
    keeps the best epoch, as does a stop request. The result's `extra["comparison"]` holds the
    before/after figures (Comparison.to_json).
    """
    import time

    import keras

    from cnn import model_files
    from cnn.train import ProgressCallback, batched

    keras.utils.set_random_seed(teach_config.seed)
    model = model_files.load_model(teach_config.base_model)
    before = Answers.of(model, teach_config, dataset)
    train_part, val_part = mixed(teach_config, dataset, teach_config.seed)
    model.compile(
        optimizer=keras.optimizers.Adam(teach_config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    batches = int(np.ceil(len(train_part) / teach_config.batch_size))
    progress = ProgressCallback(teach_config.epochs, batches, on_progress, stop_event)
    early_stopping = keras.callbacks.EarlyStopping(patience=teach_config.patience, restore_best_weights=True)
    started = time.perf_counter()
    model.fit(
        batched(train_part, teach_config.batch_size, shuffle_seed=teach_config.seed),
        epochs=teach_config.epochs,
        validation_data=batched(val_part, config.VALIDATION_BATCH_SIZE),
        shuffle=False,  # batched() shuffles; model.fit cannot shuffle a tf.data pipeline.
        callbacks=[progress, early_stopping],
        verbose=0,
    )
    seconds = time.perf_counter() - started
    after = Answers.of(model, teach_config, dataset)
    history = progress.history
    epochs_run = len(history["val_loss"])
    comparison = Comparison(
        held_out_labels=teach_config.held_out_labels.tolist(),
        held_out_before=before.held_out,
        held_out_after=after.held_out,
        test_labels_count=np.bincount(dataset.test.labels, minlength=config.NUM_CLASSES).tolist(),
        test_right_before=before.test_right,
        test_right_after=after.test_right,
        taught_counts=np.bincount(teach_config.taught_labels, minlength=config.NUM_CLASSES).tolist(),
        taught_right_before=before.taught_right,
        taught_right_after=after.taught_right,
    )
    return TrainResult(
        model=model,
        history=history,
        best_epoch=int(np.argmin(history["val_loss"])) + 1 if epochs_run else 0,
        epochs_run=epochs_run,
        stopped_early=early_stopping.stopped_epoch > 0 and not progress.stopped_by_user,
        stopped_by_user=progress.stopped_by_user,
        seconds=seconds,
        config=teach_config,
        extra={"comparison": comparison.to_json()},
    )


@dataclasses.dataclass(frozen=True)
class Answers:
    """One model's answers on the held-out drawings, and its right answers per class on the test set and taught ones."""

    held_out: list[int]
    test_right: list[int]
    taught_right: list[int]

    @classmethod
    def of(cls, model, teach_config: TeachConfig, dataset) -> Answers:
        from cnn.predict import predict_probabilities

        def right_per_class(images, labels) -> list[int]:
            said = predict_probabilities(model, images).argmax(axis=1)
            return np.bincount(labels[said == labels], minlength=config.NUM_CLASSES).tolist()

        held_out = predict_probabilities(model, teach_config.held_out_images).argmax(axis=1)
        return cls(
            held_out=held_out.tolist(),
            test_right=right_per_class(dataset.test.scaled(), dataset.test.labels),
            taught_right=right_per_class(teach_config.taught_images, teach_config.taught_labels),
        )


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Before and after a fine-tune: the held-out drawings' answers, and right counts per class (lists of 10)."""

    held_out_labels: list[int]
    held_out_before: list[int]
    held_out_after: list[int]
    test_labels_count: list[int]
    test_right_before: list[int]
    test_right_after: list[int]
    taught_counts: list[int]
    taught_right_before: list[int]
    taught_right_after: list[int]

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, payload: dict) -> Comparison:
        return cls(**{field.name: list(payload[field.name]) for field in dataclasses.fields(cls)})

    def rows(self) -> list[dict]:
        """Return one row per class and "all" last: counts, and accuracies before and after (None: nothing to score)."""
        labels = np.asarray(self.held_out_labels, dtype=np.int64)
        before = np.asarray(self.held_out_before) == labels
        after = np.asarray(self.held_out_after) == labels
        held_count = np.bincount(labels, minlength=config.NUM_CLASSES)

        def share(right, count):
            return float(right) / count if count else None

        rows = []
        for label in range(config.NUM_CLASSES):
            mine = labels == label
            rows.append(
                {
                    "class": label,
                    "taught": self.taught_counts[label],
                    "held_out": int(held_count[label]),
                    "held_out_before": share(before[mine].sum(), held_count[label]),
                    "held_out_after": share(after[mine].sum(), held_count[label]),
                    "test_before": share(self.test_right_before[label], self.test_labels_count[label]),
                    "test_after": share(self.test_right_after[label], self.test_labels_count[label]),
                }
            )
        tests = sum(self.test_labels_count)
        rows.append(
            {
                "class": None,
                "taught": sum(self.taught_counts),
                "held_out": len(labels),
                "held_out_before": share(before.sum(), len(labels)),
                "held_out_after": share(after.sum(), len(labels)),
                "test_before": share(sum(self.test_right_before), tests),
                "test_after": share(sum(self.test_right_after), tests),
            }
        )
        return rows

    def test_fell(self, by: float = TEST_FALL_WARNING) -> bool:
        """Return whether the real test set's accuracy fell by more than `by` (wrong labels show here)."""
        return sum(self.test_right_after) < sum(self.test_right_before) - by * sum(self.test_labels_count)

    def changed(self) -> list[tuple[int, int, int, int]]:
        """Return (position in the held-out drawings, meant, before, after) for each answer that changed."""
        return [
            (position, meant, was, now)
            for position, (meant, was, now) in enumerate(
                zip(self.held_out_labels, self.held_out_before, self.held_out_after, strict=True)
            )
            if was != now
        ]


def table(comparison: Comparison, language: str = "en") -> str:
    """Return the before/after table as plain text, for the command line."""
    names = config.class_names(language)

    def cell(value) -> str:
        return "   -" if value is None else f"{value:4.0%}"

    lines = [f"{'class':<12} taught held  held before/after   test before/after"]
    for row in comparison.rows():
        name = "all" if row["class"] is None else names[row["class"]]
        lines.append(
            f"{name:<12} {row['taught']:>6} {row['held_out']:>4}   {cell(row['held_out_before'])} -> "
            f"{cell(row['held_out_after'])}        {cell(row['test_before'])} -> {cell(row['test_after'])}"
        )
    return "\n".join(lines)


def base_model_path(path: str | Path | None = None) -> Path:
    """Return the model a fine-tune starts from: `path`, else the shipped drawing model."""
    return Path(path) if path else config.DRAWING_MODEL_DIR / "model.keras"


def class_model(store, class_code: str) -> Path | None:
    """Return the file of the drawing model a class chose (cnn.gallery.Gallery `store`), or None for the shipped one."""
    name = store.setting(class_code, CLASS_MODEL_SETTING, "")
    path = class_models.folder(store) / name
    return path if name and path.is_file() else None


def adopt(store, class_code: str, model_file: bytes, metrics: dict | None = None) -> Path:
    """Make `model_file` (a .keras file's bytes) the class's drawing model; the shipped file is never touched.

    `metrics` (a RunSummary's JSON) is kept beside it, as metrics.json is beside a shipped model.
    """
    path = class_models.folder(store) / class_models.write_model(store, model_file, "drawing")
    if metrics is not None:
        class_models.write_atomically(
            path.with_suffix(".json"), json.dumps(metrics, indent=2, ensure_ascii=False).encode()
        )
    store.set_setting(class_code, CLASS_MODEL_SETTING, path.name)
    return path


def keep_shipped(store, class_code: str) -> None:
    """Make the shipped drawing model the class's again."""
    store.set_setting(class_code, CLASS_MODEL_SETTING, "")
