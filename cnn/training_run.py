"""What a training run reports while it goes (Progress) and when it ends (TrainResult).

Plain data that crosses from the training process to the app, kept apart from
cnn.train so that the app can read it without importing Keras and TensorFlow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from cnn.config import TrainConfig

if TYPE_CHECKING:
    import keras

    from cnn.numpy_model import NumpyModel

HISTORY_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy")


@dataclasses.dataclass(frozen=True)
class Progress:
    """What a UI hears during training; plain numbers, no Keras objects."""

    phase: str  # "batch" during an epoch, "validating" after it, "epoch" once it is scored
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based batches done in this epoch
    batches: int
    loss: float  # running mean over this epoch's batches so far
    accuracy: float
    val_loss: float | None  # set on "epoch" events
    val_accuracy: float | None
    elapsed: float  # seconds since training started
    eta: float  # estimated seconds left if every epoch runs
    history: dict[str, list[float]]  # finished epochs so far

    @property
    def fraction(self) -> float:
        """Return the share of all planned batches done, in [0, 1]."""
        return min(1.0, ((self.epoch - 1) * self.batches + self.batch) / max(1, self.epochs * self.batches))


ProgressHook = Callable[[Progress], None]


@dataclasses.dataclass
class TrainResult:
    """A finished (or stopped) run: the best model and what happened.

    In the training process `model` is the Keras model; the app gets a NumpyModel of
    the saved file instead, and the file itself in `model_file`.
    """

    model: keras.Model | NumpyModel
    history: dict[str, list[float]]
    best_epoch: int  # 1-based epoch whose weights the model holds
    epochs_run: int
    stopped_early: bool  # early stopping ended the run
    stopped_by_user: bool  # a stop request ended the run
    seconds: float
    config: TrainConfig
    model_file: bytes | None = None  # the .keras file, where the model crossed a process boundary
    precision: str = "float32"  # what the layers computed in while training ("auto" resolved)

    @property
    def best_val_loss(self) -> float:
        return self.history["val_loss"][self.best_epoch - 1]

    @property
    def best_val_accuracy(self) -> float:
        return self.history["val_accuracy"][self.best_epoch - 1]
