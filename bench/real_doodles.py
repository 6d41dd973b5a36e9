"""How well each model reads strangers' doodles (Quick, Draw!), and how often the page shows a confident wrong answer.

python bench/real_doodles.py                                 # the tables in bench/README.md#real-doodles
python bench/real_doodles.py --also new=runs/drawing/model.keras --no-photos

Reads the development sets through bench/real_dev.py (../shared/real-dev or $CNN_REAL_DEV): the
doodles rendered like the Draw page's canvas (16 px brush), tuning half and held-out half apart.
Tune on the tuning half; the held-out half is the one to report. The "not sure" tables also read
the phone photos the way the Upload page does (cnn.photo.prepare_file) with the drawing model, its
default and what cnn.predict prints without a flag, and with the chapter's model, its other choice.
Writes bench/real_doodles.png: held-out doodles, what the drawing model sees and says.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import real_dev
from bench.drawings import load_models, percent, row
from cnn import confidence, config, photo, plots, preprocess
from cnn.predict import predict_probabilities

HALVES = ("tuning", "held_out")
PICTURE = Path(__file__).resolve().parent / "real_doodles.png"
# Thresholds of the "not sure" answer measured on the tuning halves, to choose cnn.confidence's from.
THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8)


def _prepare(options: dict):
    return lambda canvas: preprocess.prepare_canvas(canvas, **options)


# Preprocessing variants of a doodle's canvas; "mirror TTA" averages the answer for the picture and its mirror image.
# On the Draw page's canvas (16 px brush) no stroke is thin enough to widen, so "plain" and "plain, thin widened" agree.
VARIANTS = {
    "plain": (_prepare({}), False),
    "plain, thin widened": (_prepare({"widen_thin": True}), False),
    "fill": (_prepare({"fill": True}), False),
    "fill, thin widened": (_prepare({"fill": True, "widen_thin": True}), False),
    "fill + mirror TTA": (_prepare({"fill": True}), True),
}
# Doodles saved as PNG files by other drawing apps, read as `python -m cnn.predict --as-drawing` reads them:
# name -> (picture size, pen width in pixels, margin as a share of the picture, transparent background).
FILE_STYLES = {
    "256 px, 3 px pen, no margin": (256, 3, 0.0, False),
    "256 px, 1 px pen, no margin": (256, 1, 0.0, False),
    "256 px, 3 px pen, transparent": (256, 3, 0.0, True),
    "512 px, 6 px pen, 10% margin": (512, 6, 0.1, False),
    "1024 px, 12 px pen, 5% margin": (1024, 12, 0.05, False),
    "280 px, 30 px pen, 8% margin": (280, 30, 0.08, False),
    "64 px, 1 px pen, no margin": (64, 1, 0.0, False),
}


def draw_default(model_name: str) -> str:
    """Return the variant the Draw page uses with this model (preprocess.prepare_drawing)."""
    options = preprocess.DRAWING_MODEL_OPTIONS if model_name == "drawing" else preprocess.DRAWING_OPTIONS
    fill = "fill" if options["fill"] else "plain"
    return f"{fill}, thin widened" if options["widen_thin"] else fill


def answers(model, images: np.ndarray, mirror: bool = False) -> np.ndarray:
    """Return (n, 10) probabilities; with `mirror`, the mean of the picture's and its mirror image's."""
    probabilities = predict_probabilities(model, images)
    if mirror:
        probabilities = (probabilities + predict_probabilities(model, images[:, :, ::-1])) / 2
    return probabilities


def top_cells(probabilities: np.ndarray, items: list) -> tuple[str, str]:
    return tuple(percent(real_dev.top_k_right(probabilities, items, k).mean()) for k in (1, 3))


def hedging(probabilities: np.ndarray, items: list, threshold: float) -> tuple[float, float, float]:
    """Return (confidently wrong share, "not sure" share, right class among the three when not sure)."""
    right = real_dev.top_k_right(probabilities, items, 1)
    unsure = probabilities.max(axis=1) < threshold
    among = real_dev.top_k_right(probabilities, items, confidence.UNSURE_COUNT)
    named = float(among[unsure].mean()) if unsure.any() else float("nan")
    return confidence.shown_wrong_share(probabilities, right, threshold), float(unsure.mean()), named


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawing-model", type=Path, default=config.DRAW_VIEW_MODEL_DIR / "model.keras")
    parser.add_argument("--also", nargs="*", default=[], help="more models to measure, as NAME=PATH")
    parser.add_argument("--root", type=Path, default=None, help="the development sets' folder")
    parser.add_argument("--no-photos", action="store_true", help="skip the phone photos in the 'not sure' tables")
    args = parser.parse_args(argv)
    root = args.root or real_dev.directory()
    if root is None:
        parser.exit(2, f"error: no development sets; set ${config.REAL_DEV_ENV} or pass --root.\n")
    models = load_models(args.drawing_model, args.also)
    items = {half: real_dev.doodles(half, root) for half in HALVES}
    canvases = {half: [real_dev.doodle_canvas(item) for item in items[half]] for half in HALVES}
    inputs = {
        (half, name): np.stack([prepare(canvas) for canvas in canvases[half]])
        for half in HALVES
        for name, (prepare, _) in VARIANTS.items()
    }
    probabilities = {
        (model_name, half, name): answers(model, inputs[(half, name)], mirror)
        for model_name, model in models.items()
        for half in HALVES
        for name, (_, mirror) in VARIANTS.items()
    }
    counts = ", ".join(f"{len(items[half])} {half.replace('_', '-')}" for half in HALVES)
    print(f"## Real doodles, top-1 / top-3 (%), {counts}, {config.DEFAULT_BRUSH_WIDTH} px brush\n")
    print(row("model", "preprocessing", "tuning top-1", "tuning top-3", "held-out top-1", "held-out top-3"))
    print(row("---", "---", "---:", "---:", "---:", "---:"))
    for model_name in models:
        for name in VARIANTS:
            cells = [
                cell for half in HALVES for cell in top_cells(probabilities[(model_name, half, name)], items[half])
            ]
            print(row(model_name, name, *cells))

    print_file_styles(models, items)

    for half in HALVES:
        print(f"\n## Per category, {half.replace('_', '-')} half, the Draw page's way (top-1 / top-3 hits)\n")
        names = [category for category, _ in real_dev.categories(items[half])]
        print(row("model", *names))
        print(row("---", *["---:"] * len(names)))
        for model_name in models:
            found = probabilities[(model_name, half, draw_default(model_name))]
            top1, top3 = (real_dev.top_k_right(found, items[half], k) for k in (1, 3))
            cells = [
                f"{int(top1[index].sum())} / {int(top3[index].sum())} of {len(index)}"
                for _, index in real_dev.categories(items[half])
            ]
            print(row(model_name, *cells))

    # What the Draw page shows, per model, and below what the Upload page shows for the photos.
    sets = {
        (f"doodles, {name} model", half): (probabilities[(name, half, draw_default(name))], items[half])
        for name in models
        for half in HALVES
    }
    if not args.no_photos:
        # The Upload page's default is the drawing model (what cnn.predict prints); the chapter's is its other choice.
        for half in HALVES:
            photos = real_dev.photos(half, root)
            pictures = np.stack([photo.prepare_file(item.path) for item in photos])
            for name in ("drawing", "chapter"):
                if name in models:
                    found = predict_probabilities(models[name], pictures)
                    sets[(f"photos, {name} model", half)] = (found, photos)
    print(f'\n## Confidently wrong answers with and without "not sure" (threshold {confidence.SURE_THRESHOLD})\n')
    print(
        "Share of all inputs whose page shows one answer that is wrong; with the threshold, answers under it "
        'say "not sure" and name three classes instead.\n'
    )
    print(row("input", "half", "wrong, always answering", "wrong, with not sure", "not sure", "right among the three"))
    print(row("---", "---", "---:", "---:", "---:", "---:"))
    for (name, half), (found, members) in sets.items():
        always = hedging(found, members, 0.0)[0]
        wrong, unsure, named = hedging(found, members, confidence.SURE_THRESHOLD)
        print(row(name, half.replace("_", "-"), percent(always), percent(wrong), percent(unsure), percent(named)))

    print("\n## Choosing the threshold on the tuning halves (confidently wrong / not sure, %)\n")
    tuning = [(name, found, members) for (name, half), (found, members) in sets.items() if half == "tuning"]
    print(row("threshold", *[name for name, _, _ in tuning]))
    print(row("---:", *["---:"] * len(tuning)))
    for threshold in THRESHOLDS:
        cells = []
        for _, found, members in tuning:
            wrong, unsure, _ = hedging(found, members, threshold)
            cells.append(f"{percent(wrong)} / {percent(unsure)}")
        print(row(threshold, *cells))

    picture_model = "drawing" if "drawing" in models else "chapter"
    variant = draw_default(picture_model)
    draw_picture(inputs[("held_out", variant)], probabilities[(picture_model, "held_out", variant)], items["held_out"])
    print(f"\nwrote {PICTURE.name}: the held-out doodles as the {picture_model} model sees them, with its answers")
    return 0


def file_input(canvas: np.ndarray, model_name: str, draw_page: bool) -> np.ndarray:
    """Return a decoded doodle file's model input: the Draw page's way for this model, or nothing widened."""
    drawing_model = model_name == "drawing"
    if draw_page:
        return preprocess.prepare_drawing(canvas, drawing_model)
    options = {
        **(preprocess.DRAWING_MODEL_OPTIONS if drawing_model else preprocess.DRAWING_OPTIONS),
        "widen_thin": False,
    }
    return preprocess.prepare_canvas(canvas, **options)


def print_file_styles(models: dict, items: dict) -> None:
    """Print how each model reads the doodles saved as PNG files in FILE_STYLES, the Draw page's way and as drawn."""
    print("\n## Doodles saved as PNG files by other apps, read as `cnn.predict --as-drawing` does (top-1 / top-3, %)\n")
    print(row("style", "preprocessing", *[f"{name}, {half.replace('_', '-')}" for name in models for half in HALVES]))
    print(row("---", "---", *["---:"] * (len(models) * len(HALVES))))
    for style, (size, pen, margin, transparent) in FILE_STYLES.items():
        # Each file decoded once, as preprocess.prepare_drawing_bytes (the command's path) decodes it.
        canvases = {
            half: [
                preprocess.canvas_from_image(
                    preprocess.open_image(real_dev.doodle_png(item, size, pen, margin, transparent))
                )
                for item in items[half]
            ]
            for half in HALVES
        }
        for draw_page in (True, False):
            cells = []
            for name, model in models.items():
                for half in HALVES:
                    inputs = np.stack([file_input(canvas, name, draw_page) for canvas in canvases[half]])
                    cells.append(" / ".join(top_cells(predict_probabilities(model, inputs), items[half])))
            print(row(style, "the Draw page's" if draw_page else "nothing widened", *cells))


def draw_picture(prepared: np.ndarray, probabilities: np.ndarray, items: list) -> None:
    """Write the doodles (as the model sees them) with the page's answer: green right, red wrong, grey 'not sure'."""
    titles, colors = [], []
    for item, found in zip(items, probabilities, strict=True):
        top = int(found.argmax())
        if confidence.is_sure(found):
            titles.append(f"{config.CLASS_NAMES_EN[top][:9]} {found[top]:.0%}")
            colors.append("#2ca02c" if item.is_right(top) else "#d62728")
        else:
            titles.append("? " + "/".join(config.CLASS_NAMES_EN[i][:4] for i in confidence.likeliest(found)))
            colors.append("#7f7f7f")
    titles = [f"{item.category}\n{title}" for item, title in zip(items, titles, strict=True)]
    figure = plots.image_grid(prepared, titles, columns=15, title_colors=colors, cell=1.05)
    figure.suptitle(
        "Held-out Quick, Draw! doodles as the drawing model sees them; its answer "
        "(green right, red wrong, grey: not sure, its top three)",
        fontsize=9,
    )
    PICTURE.write_bytes(plots.to_png(figure, dpi=72))


if __name__ == "__main__":
    sys.exit(main())
