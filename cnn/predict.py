"""Fast prediction: class probabilities for one image or many, and the `cnn.predict` command.

python -m cnn.predict shirt.jpg trousers.jpg   # what the Upload page shows for these photos
python -m cnn.predict --as-drawing doodle.png   # what the Draw page shows for a drawing saved as a PNG
python -m cnn.predict --model assets/models/chapter/model.keras shirt.jpg   # the chapter's model instead
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from cnn import confidence, config

# Large enough to keep both cores busy, small enough to stay well under 100 MB.
BATCH_SIZE = 1000


def predict_probabilities(model, images: np.ndarray, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Return (n, 10) probabilities for (n, 28, 28, 1) float32 images.

    `predict_on_batch` skips the per-call setup of `model.predict`, which costs
    about 50 ms here even for a single image.
    """
    images = np.asarray(images, dtype=np.float32).reshape(-1, *config.INPUT_SHAPE)
    if len(images) == 0:
        return np.zeros((0, config.NUM_CLASSES), dtype=np.float32)
    chunks = [np.asarray(model.predict_on_batch(images[i : i + batch_size])) for i in range(0, len(images), batch_size)]
    return np.concatenate(chunks).astype(np.float32)


def predict_one(model, image: np.ndarray) -> np.ndarray:
    """Return the 10 class probabilities for one (28, 28, 1) image."""
    return predict_probabilities(model, image[np.newaxis])[0]


def ranked(probabilities: np.ndarray, language: str = "en") -> list[tuple[str, float]]:
    """Return (class name, probability) pairs, most likely first."""
    names = config.class_names(language)
    order = np.argsort(-np.asarray(probabilities), kind="stable")
    return [(names[i], float(probabilities[i])) for i in order]


def describe(probabilities: np.ndarray) -> dict:
    """Return the JSON-friendly result for one image: label, Korean label and probabilities."""
    top = int(np.argmax(probabilities))
    return {
        "label": config.CLASS_NAMES_EN[top],
        "label_ko": config.CLASS_NAMES_KO[top],
        "probabilities": [round(float(p), 6) for p in probabilities],
    }


def answer_files(paths: list[str], model_path, prepare) -> int:
    """Print one JSON line per file: `prepare(path)` read by the model, which model answered and if it is sure."""
    from cnn import model_files, preprocess

    model_name = _shown_path(model_path)
    try:
        model = model_files.load_model(model_path)
    except model_files.ModelError as error:
        print(json.dumps({"error": str(error), "model": model_name}, ensure_ascii=False))
        return 2
    failures = 0
    for path in paths:
        try:
            image = prepare(path)
        except preprocess.ImageError as error:
            failures += 1
            print(json.dumps({"file": path, "error": str(error), "model": model_name}, ensure_ascii=False), flush=True)
            continue
        probabilities = predict_one(model, image)
        sure = confidence.is_sure(probabilities)
        answer = {"file": path, **describe(probabilities), "model": model_name, "sure": sure}
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _shown_path(path) -> str:
    """Return a model path relative to the project when it lies inside it, as the command's output names it."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(config.PROJECT_DIR)) if resolved.is_relative_to(config.PROJECT_DIR) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line per image; a file that is not an image gets an error line."""
    from cnn import photo, preprocess

    parser = argparse.ArgumentParser(prog="python -m cnn.predict", description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="+", help="PNG, JPEG, WebP or HEIC files of garments")
    parser.add_argument(
        "--model",
        default=None,
        help="a .keras model file (default: the Upload page's; with --as-drawing, the Draw page's)",
    )
    parser.add_argument(
        "--as-drawing",
        action="store_true",
        help="read each PNG as the Draw page's canvas and answer with the Draw page's model and preprocessing",
    )
    args = parser.parse_args(argv)
    if args.as_drawing:
        # The Draw page's own model reads drawings as drawn; any other model gets its outlines filled.
        drawing_model = args.model is None

        def prepare(path: str) -> np.ndarray:
            return preprocess.prepare_drawing_bytes(preprocess.read_file(path), drawing_model)

        return answer_files(args.images, args.model or config.DRAW_VIEW_MODEL_DIR / "model.keras", prepare)
    # The Upload page's default: its model, and cnn.photo's cut-out for every picture.
    return answer_files(args.images, args.model or config.UPLOAD_VIEW_MODEL_DIR / "model.keras", photo.prepare_file)


if __name__ == "__main__":
    sys.exit(main())
