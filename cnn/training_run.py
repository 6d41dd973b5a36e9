"""What a training run reports while it goes (Progress), when it ends (TrainResult), and in metrics.json (RunSummary).

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


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """How a run ended, scored and was made: what metrics.json holds, a finished run reports and the app shows.

    Every field may be unknown (None) so that an older or partial metrics.json still reads;
    the field order is metrics.json's key order.
    """

    val_accuracy: float | None = None  # of the best epoch's model
    val_loss: float | None = None
    test_accuracy: float | None = None  # scored only by the cnn.train command (cnn.train.run_metrics)
    test_loss: float | None = None
    epochs_run: int | None = None
    best_epoch: int | None = None  # 1-based epoch whose weights the model holds
    stopped_early: bool = False
    stopped_by_user: bool = False
    seconds: float | None = None
    parameters: int | None = None
    config: TrainConfig | None = None
    precision: str = "float32"  # what the layers computed in while training ("auto" resolved)
    created: str | None = None  # when the run ended, ISO 8601 with its time zone
    versions: dict[str, str] | None = None
    extra: dict = dataclasses.field(default_factory=dict)  # keys only some files have (the drawing model's)

    def to_json(self) -> dict:
        """Return metrics.json's content: a JSON-friendly dict, unknown figures left out."""
        payload = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "config" and value is not None:
                value = value.to_dict()
            if field.name != "extra" and value is not None:
                payload[field.name] = value
        return {**payload, **self.extra}

    @classmethod
    def from_json(cls, payload: dict) -> RunSummary:
        """Return the summary in a metrics.json dict (raises ValueError when it is not one)."""
        if not isinstance(payload, dict):
            raise ValueError("metrics.json must hold one JSON object.")
        names = {field.name for field in dataclasses.fields(cls)} - {"extra"}
        values = {name: value for name, value in payload.items() if name in names}
        try:
            if values.get("config") is not None:
                values["config"] = TrainConfig.from_dict(values["config"])
        except (TypeError, AttributeError) as error:
            raise ValueError(f"metrics.json has a config this version cannot read: {error}") from error
        return cls(**values, extra={name: value for name, value in payload.items() if name not in names})


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
    extra: dict = dataclasses.field(default_factory=dict)  # what only some runs report (a fine-tune's comparison)

    @property
    def best_val_loss(self) -> float:
        return self.history["val_loss"][self.best_epoch - 1]

    @property
    def best_val_accuracy(self) -> float:
        return self.history["val_accuracy"][self.best_epoch - 1]

    def summary(self) -> RunSummary:
        """Return the run's summary, its validation figures the best epoch's from the history."""
        scored = self.best_epoch > 0  # A run stopped before its first epoch has no figures.
        return RunSummary(
            val_accuracy=self.best_val_accuracy if scored else None,
            val_loss=self.best_val_loss if scored else None,
            **{name: getattr(self, name) for name in _SHARED_FIELDS},
        )

    @classmethod
    def from_summary(
        cls,
        summary: RunSummary,
        history: dict[str, list[float]],
        model: keras.Model | NumpyModel,
        model_file: bytes | None = None,
    ) -> TrainResult:
        """Return the result that `summary` (from summary()) and `history` describe, holding `model`."""
        shared = {name: getattr(summary, name) for name in _SHARED_FIELDS}
        return cls(model=model, history=history, model_file=model_file, **shared)


# What a TrainResult and its RunSummary both hold, under the same names (epochs_run, config, ...).
_SHARED_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(TrainResult)
    if field.name in {summary_field.name for summary_field in dataclasses.fields(RunSummary)}
)
