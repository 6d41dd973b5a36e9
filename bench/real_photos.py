"""How well each model reads real phone photos, per preprocessing variant, and what the photo path does to the test set.

python -m bench.real_photos [--root ../shared/real-dev] [--round-trip 1000] [--picture bench/real_photos.png]

Prints top-1 / top-3 per category and overall for the chapter's and the drawing model, for the
old threshold path, the first GrabCut (a centre seed), the rectangle seed without narrowing wide
garments and cnn.photo's final path, on the tuning
and the held-out half of ../shared/real-dev/photos (bench/real_dev.py); then the real test set's
photo round trip (cnn.drawing.augment.photo_like) through the old and the new path; and writes a
picture of some held-out photos, what the Upload page's default model sees and what it says.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from bench import real_dev
from bench.drawings import percent, row
from cnn import config, model_files, photo, predict, preprocess
from cnn.drawing import augment

PICTURE = Path(__file__).with_name("real_photos.png")
# The picture: this many held-out photos, evenly spread over the categories, each tile this wide.
PICTURE_COUNT = 14
TILE = 112
# The first GrabCut tried: the edge band sure background, a middle rectangle of this share of
# each side probable garment, the rest probable background, the largest part kept.
CENTRE_SHARE = 0.5


def centre_seeded(image: Image.Image) -> np.ndarray:
    """The first GrabCut tried (centre seed, largest part only), for comparison with cnn.photo's."""
    rgb = photo.working_rgb(image)
    if photo.is_plain_background(rgb):
        return preprocess.prepare_image(image)
    height, width = rgb.shape[:2]
    labels = photo.seed_labels(height, width)
    band = max(1, round(photo.BORDER_SHARE * min(height, width)))
    labels[band:-band, band:-band] = cv2.GC_PR_BGD
    top, left = round(height * (1 - CENTRE_SHARE) / 2), round(width * (1 - CENTRE_SHARE) / 2)
    labels[top : height - top, left : width - left] = cv2.GC_PR_FGD
    mask = photo.grabcut(rgb, labels)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    mask = parts == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA])) if count > 1 else np.ones_like(mask)
    return preprocess.fit_to_square(photo.cut_out(rgb, mask))[..., np.newaxis]


def not_narrowed(image: Image.Image) -> np.ndarray:
    """cnn.photo's path without narrowing wide garments, to show what that step does."""
    rgb = photo.working_rgb(image)
    if photo.is_plain_background(rgb):
        return preprocess.prepare_image(image)
    return preprocess.fit_to_square(photo.cut_out(rgb, photo.garment_mask(rgb)))[..., np.newaxis]


VARIANTS = {
    "threshold (before)": preprocess.prepare_image,
    "GrabCut, centre seed": centre_seeded,
    "GrabCut, rectangle seed, not narrowed": not_narrowed,
    "GrabCut, cnn.photo (final)": photo.prepare_photo,
}


def inputs(items: list[real_dev.Item], prepare) -> tuple[np.ndarray, float]:
    """Return the model inputs of `items` by `prepare`, and the seconds per photo."""
    started = time.perf_counter()
    prepared = np.stack([prepare(preprocess.open_image(item.path.read_bytes())) for item in items])
    return prepared, (time.perf_counter() - started) / max(1, len(items))


def score_table(models: dict, by_variant: dict, items: list[real_dev.Item]) -> None:
    """Print one row per model and variant: top-1 / top-3 per category and overall."""
    categories = list(real_dev.categories(items))
    print(row("model", "preprocessing", *(f"{name} ({len(where)})" for name, where in categories), "all"))
    print(row("---", "---", *["---:"] * (len(categories) + 1)))
    for model_name, model in models.items():
        for variant, prepared in by_variant.items():
            probabilities = predict.predict_probabilities(model, prepared)
            top1 = real_dev.top_k_right(probabilities, items, 1)
            top3 = real_dev.top_k_right(probabilities, items, 3)
            cells = [f"{percent(top1[where].mean())} / {percent(top3[where].mean())}" for _, where in categories]
            print(row(model_name, variant, *cells, f"**{percent(top1.mean())} / {percent(top3.mean())}**"))


def round_trip(models: dict, count: int, seed: int = 0) -> None:
    """Print the test set's accuracy as it is and as photo-like uploads through the old and the new path."""
    from cnn import data

    test = data.load_dataset().test
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(len(test), size=min(count, len(test)), replace=False))
    uploads = [augment.photo_like(image, rng) for image in test.images[sample]]
    labels = test.labels[sample]
    plain = sum(photo.is_plain_background(photo.working_rgb(preprocess.open_image(b))) for b in uploads)
    prepared = {
        "none (the test images)": test.scaled()[sample],
        "threshold, preprocess.prepare_bytes": np.stack([preprocess.prepare_bytes(b) for b in uploads]),
        "cnn.photo.prepare_bytes": np.stack([photo.prepare_bytes(b) for b in uploads]),
    }
    print(f"\n## Photo round trip, {len(sample)} test images as product-photo-like JPEGs (top-1, %)\n")
    print(f"{plain} of {len(sample)} count as a plain background and skip GrabCut.\n")
    print(row("model", *prepared))
    print(row("---", *["---:"] * len(prepared)))
    for model_name, model in models.items():
        accuracy = [
            percent(np.mean(np.argmax(predict.predict_probabilities(model, x), axis=1) == labels))
            for x in prepared.values()
        ]
        print(row(model_name, *accuracy))


def picture(items: list[real_dev.Item], prepared: np.ndarray, probabilities: np.ndarray, path: Path) -> None:
    """Save photo / model input / answer tiles for some held-out photos, small enough to commit."""
    chosen = np.linspace(0, len(items) - 1, min(PICTURE_COUNT, len(items))).round().astype(int)
    columns = 7
    rows = -(-len(chosen) // columns)
    sheet = Image.new("RGB", (columns * TILE, rows * (2 * TILE + 30)), "white")
    draw = ImageDraw.Draw(sheet)
    for place, index in enumerate(chosen):
        x, y = (place % columns) * TILE, (place // columns) * (2 * TILE + 30)
        shown = preprocess.open_image(items[index].path.read_bytes()).convert("RGB")
        shown.thumbnail((TILE - 4, TILE - 4))
        sheet.paste(shown, (x + (TILE - shown.width) // 2, y + (TILE - shown.height) // 2))
        seen = Image.fromarray(np.round(255 * (1 - prepared[index, ..., 0])).astype(np.uint8))  # cmap='gray_r'
        sheet.paste(seen.resize((TILE - 8, TILE - 8), Image.Resampling.NEAREST), (x + 4, y + TILE + 2))
        top = int(np.argmax(probabilities[index]))
        colour = (0, 110, 0) if items[index].is_right(top) else (190, 0, 0)
        draw.text((x + 4, y + 2 * TILE), items[index].category, fill=(0, 0, 0))
        answer = f"{config.CLASS_NAMES_EN[top]} {probabilities[index, top]:.0%}"
        draw.text((x + 4, y + 2 * TILE + 12), answer, fill=colour)
    sheet.quantize(colors=128).save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="the folder holding photos/ (../shared/real-dev)")
    parser.add_argument("--round-trip", type=int, default=1000, help="test images for the round trip (0: skip)")
    parser.add_argument("--picture", type=Path, default=PICTURE)
    args = parser.parse_args(argv)
    models = {"chapter": model_files.load_model(config.SHIPPED_MODEL_PATH)}
    if (config.DRAWING_MODEL_DIR / "model.keras").is_file():
        models["drawing"] = model_files.load_model(config.DRAWING_MODEL_DIR / "model.keras")
    for part in ("tuning", "held_out"):
        items = real_dev.photos(part, args.root)
        by_variant, seconds = {}, {}
        for variant, prepare in VARIANTS.items():
            by_variant[variant], seconds[variant] = inputs(items, prepare)
        label = (
            "tuning half (looked at, tuned on, and the drawing model trained on)"
            if part == "tuning"
            else "held-out half (not tuned or trained on)"
        )
        print(f"\n## Real phone photos, {label}: {len(items)} photos, top-1 / top-3 (%)\n")
        score_table(models, by_variant, items)
        print("\n" + ", ".join(f"{variant}: {1000 * s:.0f} ms a photo" for variant, s in seconds.items()))
        if part == "held_out" and args.picture:
            # The picture shows the Upload page's default model: the drawing model when it is there.
            shown = "drawing" if "drawing" in models else "chapter"
            final = by_variant["GrabCut, cnn.photo (final)"]
            picture(items, final, predict.predict_probabilities(models[shown], final), args.picture)
            print(f"\n(wrote {args.picture}, {args.picture.stat().st_size // 1000} KB, {shown} model)")
    if args.round_trip:
        round_trip(models, args.round_trip)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
