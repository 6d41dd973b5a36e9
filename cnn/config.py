"""Constants and the training configuration, defined once and imported everywhere."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

# Images are 28x28 grayscale; the model sees (28, 28, 1) float32 in [0, 1],
# a light garment on a black background, exactly like the dataset.
IMAGE_SIZE = 28
INPUT_SHAPE = (IMAGE_SIZE, IMAGE_SIZE, 1)
NUM_CLASSES = 10

# The dataset's own English names, in label order.
CLASS_NAMES_EN = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
# The chapter's Korean names, in the same order.
CLASS_NAMES_KO = ("티셔츠", "바지", "스웨터", "드레스", "코트", "샌달", "셔츠", "스니커즈", "가방", "앵클 부츠")
LANGUAGES = ("ko", "en")


def class_names(language: str = "en") -> tuple[str, ...]:
    """Return the ten class names in `language` ("en" or "ko")."""
    if language == "en":
        return CLASS_NAMES_EN
    if language == "ko":
        return CLASS_NAMES_KO
    raise ValueError(f"Unknown language {language!r}; use one of {LANGUAGES}.")


# The chapter splits the 60,000 training images with
# train_test_split(test_size=0.2, random_state=42).
VALIDATION_FRACTION = 0.2
SPLIT_SEED = 42

PROJECT_DIR = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_DIR / "assets"
MODELS_DIR = ASSETS_DIR / "models"
# The model trained with the chapter's recipe; the app starts on it.
SHIPPED_MODEL_DIR = MODELS_DIR / "chapter"
SHIPPED_MODEL_PATH = SHIPPED_MODEL_DIR / "model.keras"
# A second model trained to read drawings (cnn.drawing.train); optional in the app.
DRAWING_MODEL_DIR = MODELS_DIR / "drawing"
EXAMPLES_DIR = ASSETS_DIR / "examples"

# The Draw page. It starts on the drawing model when that is shipped, since it reads outlines the
# chapter's model does not (bench/README.md#drawings); the lesson's model stays the chapter's.
DRAW_VIEW_MODEL_DIR = DRAWING_MODEL_DIR
# The Upload page starts on it too: it also learned from strangers' phone photos, which it reads better
# than the chapter's model (bench/README.md#real-phone-photos).
UPLOAD_VIEW_MODEL_DIR = DRAWING_MODEL_DIR
# The canvas is square, 10x the model's 28 pixels a side.
CANVAS_SIZE = 280
# How much of the canvas a student's doodle leaves free on each side: the development set's doodles
# are drawn with it (bench/real_dev.py) and so are the Quick, Draw! training pictures (cnn.drawing.quickdraw).
DOODLE_MARGIN = 0.08
# The brush width in canvas pixels: it reads as well as any other width and is thick enough to
# close the small gaps of a real hand, which filling needs (bench/README.md#what-the-figures-say).
DEFAULT_BRUSH_WIDTH = 16
# Sensible bounds for the brush-width slider.
BRUSH_WIDTH_RANGE = (4, 40)

# Strangers' doodles and phone photos to develop on, outside the repository with their licences
# (bench/real_dev.py); the drawing model learns from the photos' tuning half (cnn.drawing.photos).
REAL_DEV_ENV = "CNN_REAL_DEV"
REAL_DEV_DIR = PROJECT_DIR.parent / "shared" / "real-dev"


def real_dev_dir() -> Path:
    """Return where the real-world development sets are looked for: $CNN_REAL_DEV or ../shared/real-dev."""
    return Path(os.environ.get(REAL_DEV_ENV, REAL_DEV_DIR))


# Where the dataset may live, searched in this order (see cnn.data).
DATA_DIR_ENV = "FASHION_MNIST_DIR"
DEBIAN_DATA_DIR = Path("/usr/share/datasets/fashion-mnist")


def keras_cache_data_dir() -> Path:
    """Return the directory where Keras caches its Fashion-MNIST download."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(keras_home) / "datasets" / "fashion-mnist"


# Bounds that the training UI and command line accept; outside them a run is
# either pointless or would keep the machine busy for hours.
LIMITS = {
    "epochs": (1, 100),
    "batch_size": (1, 4096),
    "patience": (0, 20),
    "learning_rate": (1e-5, 1.0),
    "dropout_rate": (0.0, 0.9),
    "warmup_epochs": (0.0, 10.0),
}

# How the learning rate moves during a run. "constant" is the chapter's: Adam keeps its
# rate throughout. "cosine" warms up linearly from a tenth of the rate over `warmup_epochs`,
# then falls along a half cosine to zero at the last planned epoch; a large batch needs
# the warm-up to start safely at a high rate, and the fall to zero settles the weights.
SCHEDULES = ("constant", "cosine")
# The number format of training. "float32" is the chapter's. "mixed_bfloat16" computes the
# layers in bfloat16 with float32 weights; "auto" picks it only where a short probe finds it
# clearly faster, which depends on the CPU (bench/README.md#speed). Every saved model is float32.
PRECISIONS = ("float32", "mixed_bfloat16", "auto")
# Validation is a forward pass only, so it runs in batches this large whatever the training
# batch size: the loss and accuracy are the same averages, computed in fewer, fuller steps.
VALIDATION_BATCH_SIZE = 1000


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """One training run; the defaults are the chapter's recipe."""

    # The chapter asks for 20 epochs and lets early stopping end sooner.
    epochs: int = 20
    # Keras' default batch size, which the chapter uses without naming it.
    batch_size: int = 32
    # Early stopping waits this many epochs without a better val_loss.
    patience: int = 2
    # Adam's default learning rate, which the chapter uses without naming it.
    learning_rate: float = 1e-3
    # The chapter's Dropout(0.4) between the dense layers.
    dropout_rate: float = 0.4
    # Fixes weight initialisation, shuffling and dropout so a run can be repeated.
    seed: int = 42
    # Use only the first N training / validation images (None: all of them);
    # tests and quick demos use a slice, the chapter uses everything.
    train_limit: int | None = None
    val_limit: int | None = None
    # The learning rate's course over the run (see SCHEDULES); the chapter keeps it constant.
    schedule: str = "constant"
    # With the cosine schedule, epochs spent rising to `learning_rate` at the start.
    warmup_epochs: float = 0.0
    # The number format of the layers' computations while training (see PRECISIONS).
    precision: str = "float32"

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number, got {value!r}.")
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}, got {value}.")
        for name in ("epochs", "batch_size", "patience", "seed"):
            if int(getattr(self, name)) != getattr(self, name):
                raise ValueError(f"{name} must be a whole number, got {getattr(self, name)}.")
        for name in ("train_limit", "val_limit"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1 or None, got {value}.")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {SCHEDULES}, got {self.schedule!r}.")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}.")
        if self.warmup_epochs >= self.epochs and self.schedule != "constant":
            raise ValueError(
                f"warmup_epochs ({self.warmup_epochs}) must be fewer than epochs ({self.epochs}), "
                "or the learning rate never falls."
            )

    @classmethod
    def fast(cls, **overrides) -> TrainConfig:
        """Return a tiny configuration that trains in seconds, for tests and smoke runs."""
        values = dict(epochs=3, batch_size=64, patience=2, train_limit=1200, val_limit=600)
        values.update(overrides)
        return cls(**values)

    @classmethod
    def quick(cls, **overrides) -> TrainConfig:
        """Return the quick preset for class: the chapter's network and data, trained in a fraction of the time."""
        # Chosen with bench/training.py (figures: bench/README.md#speed): a bigger batch uses both cores
        # better, the warmed-up cosine at a higher rate learns in 4 epochs what the chapter's recipe does in
        # more, so short a run needs less dropout, patience as long as the run lets the schedule end it, and
        # "auto" uses bfloat16 only where a probe of this CPU finds it faster.
        values = dict(
            precision="auto",
            epochs=4,
            batch_size=128,
            learning_rate=6e-3,
            schedule="cosine",
            warmup_epochs=0.5,
            dropout_rate=0.1,
            patience=4,
        )
        values.update(overrides)
        return cls(**values)

    def to_dict(self) -> dict:
        """Return the configuration as a JSON-friendly dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Return the configuration of a to_dict() dict; settings an older file lacks take their defaults."""
        names = {field.name for field in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in values.items() if name in names})
