"""Accuracy, loss, per-class accuracy and the confusion matrix, and the `cnn.evaluate` command.

python -m cnn.evaluate --split val        # the chapter's model.evaluate(val_scaled, val_target)
python -m cnn.evaluate --split test       # only once, just before release
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

import numpy as np

from cnn import config
from cnn.predict import predict_probabilities

# Keras clips probabilities to this before taking the log in its cross-entropy.
EPSILON = 1e-7


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """How a model does on one set of labelled images."""

    accuracy: float
    loss: float  # sparse categorical cross-entropy, as model.evaluate reports it
    per_class_accuracy: np.ndarray  # (10,) accuracy among the images of each true class
    confusion: np.ndarray  # (10, 10) counts, rows = true class, columns = predicted class
    probabilities: np.ndarray  # (n, 10)

    @property
    def predictions(self) -> np.ndarray:
        """Return the predicted class of every image, (n,)."""
        return self.probabilities.argmax(axis=1)

    def to_dict(self, language: str = "en") -> dict:
        """Return the figures as a JSON-friendly dict (without the per-image probabilities)."""
        names = config.class_names(language)
        return {
            "accuracy": round(self.accuracy, 6),
            "loss": round(self.loss, 6),
            "count": int(self.confusion.sum()),
            "per_class_accuracy": {
                name: round(float(a), 6) for name, a in zip(names, self.per_class_accuracy, strict=True)
            },
            "confusion_matrix": self.confusion.tolist(),
        }


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """Return the (10, 10) count matrix, rows = true class, columns = predicted class."""
    matrix = np.zeros((config.NUM_CLASSES, config.NUM_CLASSES), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels, dtype=np.int64), np.asarray(predictions, dtype=np.int64)), 1)
    return matrix


def summarize(probabilities: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Compute every figure from probabilities the model already gave."""
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        raise ValueError("There are no images to evaluate.")
    picked = probabilities[np.arange(len(labels)), labels]
    loss = float(np.mean(-np.log(np.clip(picked, EPSILON, 1.0 - EPSILON))))
    matrix = confusion_matrix(labels, probabilities.argmax(axis=1))
    totals = matrix.sum(axis=1)
    per_class = np.divide(np.diag(matrix), totals, out=np.full(config.NUM_CLASSES, np.nan), where=totals > 0)
    return Evaluation(
        accuracy=float(np.trace(matrix) / len(labels)),
        loss=loss,
        per_class_accuracy=per_class,
        confusion=matrix,
        probabilities=probabilities,
    )


def evaluate(model, images: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Evaluate `model` on (n, 28, 28, 1) float32 images with their labels."""
    return summarize(predict_probabilities(model, images), labels)


def main(argv: list[str] | None = None) -> int:
    """Print one JSON object with the model's figures on the chosen split."""
    from cnn import data, model_files

    parser = argparse.ArgumentParser(prog="python -m cnn.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(config.SHIPPED_MODEL_PATH), help="a .keras model file")
    parser.add_argument("--split", choices=("val", "test"), default="val", help="validation (default) or test set")
    parser.add_argument("--language", choices=config.LANGUAGES, default="en", help="class names in the output")
    args = parser.parse_args(argv)
    try:
        model = model_files.load_model(args.model)
        part = data.load_dataset().split(args.split)
    except (model_files.ModelError, data.DatasetError) as error:
        print(json.dumps({"error": str(error)}, ensure_ascii=False))
        return 2
    result = evaluate(model, part.scaled(), part.labels)
    print(json.dumps({"model": args.model, "split": args.split, **result.to_dict(args.language)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
