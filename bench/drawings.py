"""How well each model reads drawings and photos, per preprocessing variant, and how fast the Draw view's call is.

python bench/drawings.py                      # prints the tables in bench/README.md, writes bench/drawings.png
python bench/drawings.py --count 500          # fewer test images for a quicker run
python bench/drawings.py --examples           # (re)writes the example uploads in assets/examples

Evaluation sets (all made from the real test set or by hand, never from training images):
- original: the test images as they are;
- photo round trip: test images as product-photo-like JPEG uploads (cnn.drawing.augment.photo_like),
  through prepare_bytes;
- outline drawings: test images traced into canvas strokes (cnn.drawing.drawings.outline_drawing),
  through prepare_canvas;
- hand drawings: the sets of cnn.drawing.hand_sets (tuning, held_out_1, held_out_2) rendered like the canvas,
  through prepare_canvas, each set on its own and all together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import median_ms
from cnn import config, model_files, plots, preprocess
from cnn.drawing import augment, drawings, hand_sets
from cnn.predict import predict_one, predict_probabilities

# Preprocessing variants of a canvas drawing: keyword arguments of preprocess.prepare_canvas.
CANVAS_VARIANTS = {
    "plain": {},
    "fill": {"fill": True},
    "stroke": {"stroke": preprocess.TARGET_STROKE_WIDTH},
    "fill+stroke": {"fill": True, "stroke": preprocess.TARGET_STROKE_WIDTH},
}
BRUSH_WIDTHS = (6, 10, 16, 24, 32)
# Hand drawings are also measured with every closed outline stopping this far (drawing units,
# 0-100 across the canvas) short of its start: about 12 and 25 pixels on a 280-pixel canvas.
GAPS = (5, 10)
# An unsteady hand: how far (in 0-100 drawing units) traced outlines wander.
WOBBLE = 0.8
PICTURE = Path(__file__).resolve().parent / "drawings.png"
# The sets of hand drawings, in the order they were written; each was measured first as it is.
# The printed names are the ones bench/README.md's tables use.
HAND_SETS = {
    "hand drawings": hand_sets.TUNING,
    "fresh hand drawings": hand_sets.HELD_OUT_1,
    "third hand drawings": hand_sets.HELD_OUT_2,
}
# How the picture marks the drawings of each set.
SET_MARKS = ("", "* ", "+ ")


def top_k(probabilities: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Return the share of images whose true class is among the k most probable."""
    ranks = np.argsort(-probabilities, axis=1)[:, :k]
    return float(np.mean([label in row for label, row in zip(labels, ranks, strict=True)]))


def scores(model, images: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    probabilities = predict_probabilities(model, images)
    return top_k(probabilities, labels, 1), top_k(probabilities, labels, 3)


def load_models(drawing_path: Path, also: list[str]) -> dict:
    """Load the chapter's model, the drawing model and any NAME=PATH given with --also."""
    models = {"chapter": model_files.load_model(config.SHIPPED_MODEL_PATH)}
    if drawing_path.is_file():
        models["drawing"] = model_files.load_model(drawing_path)
    else:
        print(f"(no drawing model at {drawing_path}; only the chapter's model is measured)")
    for item in also:
        name, _, path = item.partition("=")
        models[name] = model_files.load_model(Path(path))
    return models


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def main(argv: list[str] | None = None) -> int:
    from cnn import data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="test images per photo / outline set")
    parser.add_argument("--drawing-model", type=Path, default=config.DRAWING_MODEL_DIR / "model.keras")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--also", nargs="*", default=[], help="more models to measure, as NAME=PATH")
    parser.add_argument("--examples", action="store_true", help="write assets/examples and stop")
    args = parser.parse_args(argv)
    if args.examples:
        write_examples(data.load_dataset().test)
        return 0

    models = load_models(args.drawing_model, args.also)
    test = data.load_dataset().test
    rng = np.random.default_rng(args.seed)
    # A fixed random sample of the test set, the same for every model and variant.
    sample = np.sort(rng.choice(len(test), size=min(args.count, len(test)), replace=False))
    images, labels = test.images[sample], test.labels[sample].astype(np.int64)

    started = time.perf_counter()
    photos = np.stack([preprocess.prepare_bytes(augment.photo_like(image, rng)) for image in images])
    photo_seconds = time.perf_counter() - started
    started = time.perf_counter()
    outline_canvases = [drawings.outline_drawing(image, wobble_amount=WOBBLE, rng=rng) for image in images]
    outlines = {
        name: np.stack([preprocess.prepare_canvas(canvas, **options) for canvas in outline_canvases])
        for name, options in CANVAS_VARIANTS.items()
    }
    outline_seconds = time.perf_counter() - started

    by_set = {
        name: (hand_inputs(members), np.array([drawing.label for drawing in members]))
        for name, members in HAND_SETS.items()
    }
    hand, hand_labels = by_set["hand drawings"]
    # Every hand drawing together, at each width and variant: the figure the targets are judged on.
    every = {key: np.concatenate([inputs[key] for inputs, _ in by_set.values()]) for key in by_set["hand drawings"][0]}
    every_labels = np.concatenate([labels_of_set for _, labels_of_set in by_set.values()])
    by_set["all hand drawings"] = (every, every_labels)

    counts = ", ".join(f"{len(labels_of_set)} {name}" for name, (_, labels_of_set) in by_set.items())
    print(f"## Accuracy (top-1 / top-3, %), {len(sample)} test images, {counts}\n")
    print(
        f"Hand drawings at the default brush width, {config.DEFAULT_BRUSH_WIDTH} px on a "
        f"{config.CANVAS_SIZE} px canvas; outline drawings at the same width with a wobble of {WOBBLE}.\n"
    )
    print(row("model", "set", "preprocessing", "top-1", "top-3"))
    print(row("---", "---", "---", "---:", "---:"))
    for model_name, model in models.items():
        original = scores(model, test.scaled()[sample], labels)
        photo = scores(model, photos, labels)
        print(row(model_name, "original test images", "none", *map(percent, original)))
        print(row(model_name, "photo round trip", "prepare_bytes", *map(percent, photo)))
        for name in CANVAS_VARIANTS:
            print(row(model_name, "outline drawings", name, *map(percent, scores(model, outlines[name], labels))))
        for set_name, (inputs, labels_of_set) in by_set.items():
            for name in CANVAS_VARIANTS:
                result = scores(model, inputs[(config.DEFAULT_BRUSH_WIDTH, name)], labels_of_set)
                print(row(model_name, set_name, name, *map(percent, result)))
        print(row(model_name, "photo round trip minus original", "", f"{100 * (photo[0] - original[0]):+.1f}", ""))

    for set_name, (inputs, labels_of_set) in by_set.items():
        print(f"\n## {set_name.capitalize()} by brush width (top-1 / top-3, %)\n")
        header = [f"{width} px" for width in BRUSH_WIDTHS]
        print(row("model", "preprocessing", *header))
        print(row("---", "---", *["---:"] * len(header)))
        for model_name, model in models.items():
            for name in CANVAS_VARIANTS:
                cells = []
                for width in BRUSH_WIDTHS:
                    top1, top3 = scores(model, inputs[(width, name)], labels_of_set)
                    cells.append(f"{percent(top1)} / {percent(top3)}")
                print(row(model_name, name, *cells))

    print("\n## Hand drawings whose outlines do not quite close (top-1 / top-3, %)\n")
    header = [f"gap {gap} ({gap * config.CANVAS_SIZE * (1 - 2 * drawings.MARGIN) / 100:.0f} px)" for gap in GAPS]
    print(row("model", "preprocessing", "closed", *header))
    print(row("---", "---", "---:", *["---:"] * len(GAPS)))
    gapped = {
        (gap, name): np.stack(
            [
                preprocess.prepare_canvas(
                    drawings.render(drawings.scale_strokes(drawings.with_gap(drawing.strokes, gap))), **options
                )
                for drawing in hand_sets.TUNING
            ]
        )
        for gap in GAPS
        for name, options in CANVAS_VARIANTS.items()
        if name in ("plain", "fill")
    }
    for model_name, model in models.items():
        for name in ("plain", "fill"):
            sets = [hand[(config.DEFAULT_BRUSH_WIDTH, name)]] + [gapped[(gap, name)] for gap in GAPS]
            cells = [" / ".join(map(percent, scores(model, images, hand_labels))) for images in sets]
            print(row(model_name, name, *cells))

    print("\n## Per class, all hand drawings at the default brush width, fill (top-1 hits of drawings)\n")
    print(row("model", *config.CLASS_NAMES_EN))
    print(row("---", *["---:"] * config.NUM_CLASSES))
    every_filled = every[(config.DEFAULT_BRUSH_WIDTH, "fill")]
    for model_name, model in models.items():
        predictions = predict_probabilities(model, every_filled).argmax(axis=1)
        cells = [
            f"{int(np.sum((predictions == every_labels) & (every_labels == c)))}/{int(np.sum(every_labels == c))}"
            for c in range(config.NUM_CLASSES)
        ]
        print(row(model_name, *cells))

    print("\n## Speed (median of 200 calls, one 280x280 RGBA canvas)\n")
    canvas = drawings.render_drawing(hand_sets.TUNING[0])
    print(row("step", "ms"))
    print(row("---", "---:"))
    for name, options in CANVAS_VARIANTS.items():
        print(
            row(
                f"prepare_canvas ({name})", f"{median_ms(lambda o=options: preprocess.prepare_canvas(canvas, **o)):.2f}"
            )
        )
    for model_name, model in models.items():
        prepared = preprocess.prepare_canvas(canvas, fill=True)
        predict = median_ms(lambda m=model, p=prepared: predict_one(m, p))
        both = median_ms(lambda m=model: predict_one(m, preprocess.prepare_canvas(canvas, fill=True)))
        print(row(f"predict_one ({model_name})", f"{predict:.2f}"))
        print(row(f"prepare_canvas (fill) + predict_one ({model_name})", f"{both:.2f}"))
    print(
        f"\n(made {len(sample)} photo uploads in {photo_seconds:.1f} s and "
        f"{len(sample) * len(CANVAS_VARIANTS)} outline inputs in {outline_seconds:.1f} s)"
    )

    picture_model = "drawing" if "drawing" in models else "chapter"
    marks = np.concatenate([np.full(len(members), index) for index, members in enumerate(HAND_SETS.values())])
    draw_picture(models[picture_model], picture_model, every_filled, every_labels, marks)
    print(f"wrote {PICTURE.name}: the hand drawings as the model sees them, with the {picture_model} model's answers")
    return 0


def hand_inputs(hand_drawings) -> dict:
    """Return the model inputs of hand drawings for every brush width and preprocessing variant."""
    return {
        (width, name): np.stack(
            [
                preprocess.prepare_canvas(drawings.render_drawing(drawing, stroke_width=width), **options)
                for drawing in hand_drawings
            ]
        )
        for width in BRUSH_WIDTHS
        for name, options in CANVAS_VARIANTS.items()
    }


def draw_picture(model, model_name: str, prepared: np.ndarray, labels: np.ndarray, sets: np.ndarray) -> None:
    """Write every hand drawing (as the model sees it) with its prediction, green when right, red when wrong.

    `sets` numbers each drawing's set (0 first, 1 fresh, 2 third); titles mark them with SET_MARKS.
    """
    probabilities = predict_probabilities(model, prepared)
    predicted = probabilities.argmax(axis=1)
    titles = [
        f"{SET_MARKS[sets[i]]}{config.CLASS_NAMES_EN[p]} {probabilities[i, p]:.0%}" for i, p in enumerate(predicted)
    ]
    colors = ["#2ca02c" if p == label else "#d62728" for p, label in zip(predicted, labels, strict=True)]
    figure = plots.image_grid(prepared, titles, columns=10, title_colors=colors, cell=1.3)
    figure.suptitle(
        f"Hand drawings, fill, {model_name} model (green: right, red: wrong; *: the fresh set, +: the third)",
        fontsize=10,
    )
    PICTURE.write_bytes(plots.to_png(figure, dpi=90))


# Example uploads for students: (test-set index, class) of photo-like ones, and hand drawings by name.
EXAMPLE_PHOTOS = (19, 2, 1, 13, 6, 8, 4, 9, 18, 0)  # the first test image of each class
EXAMPLE_DRAWINGS = ("T-shirt outline", "trousers outline", "strappy A-line dress", "flip-flop", "bag with a handle")


def example_name(label: int, kind: str) -> str:
    slug = config.CLASS_NAMES_EN[label].lower().replace("/", "-").replace(" ", "-")
    return f"{kind}-{slug}"


def write_examples(test) -> None:
    """Write photo-like JPEGs of real test images and hand drawings (black on white PNG) to assets/examples."""
    from PIL import Image

    folder = config.EXAMPLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for index in EXAMPLE_PHOTOS:
        label = int(test.labels[index])
        path = folder / f"{example_name(label, 'photo')}.jpg"
        path.write_bytes(augment.photo_like(test.images[index], rng))
        print(f"wrote {path.relative_to(config.PROJECT_DIR)} (test image {index})")
    by_name = {drawing.name: drawing for drawing in hand_sets.TUNING}
    for name in EXAMPLE_DRAWINGS:
        drawing = by_name[name]
        canvas = drawings.render_drawing(drawing, background=(255, 255, 255))
        path = folder / f"{example_name(drawing.label, 'drawing')}.png"
        Image.fromarray(canvas[..., :3]).convert("L").save(path, optimize=True)
        print(f"wrote {path.relative_to(config.PROJECT_DIR)} ({name})")


if __name__ == "__main__":
    sys.exit(main())
