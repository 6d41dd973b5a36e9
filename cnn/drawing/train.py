"""Train the drawing-friendly model: the chapter's CNN, on the real images plus drawing-style copies of them.

python -m cnn.drawing.train --out assets/models/drawing --preset quick   # the shipped model
python -m cnn.drawing.train --out runs/drawing-chapter                   # the chapter's recipe, about 4x as long
python -m cnn.drawing.train --out runs/drawing-tiny --train-limit 6000 --epochs 3 --no-quickdraw

The network is the chapter's (cnn.model.build_model, trained by cnn.train.train with the preset's
recipe); only the training and validation images differ: each real image is joined by one
drawing-style copy (cnn.drawing.augment.drawing_like), and SKETCH_SHARE as many synthetic sketches
(cnn.drawing.sketches, garments drawn from templates the way people draw them) join those; the
training images also get strangers' Quick, Draw! doodles (cnn.drawing.quickdraw, fetched with npm
once; --quickdraw PATH offline) and strangers' phone photos, cut out the Upload page's way
(cnn.drawing.photos, the tuning half of ../shared/real-dev/photos; --photos PATH). Half of the
copies, sketches, doodles and photos are mirrored. The test set stays the real one.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cnn import config, data
from cnn.drawing import augment, photos, quickdraw, sketches

# Seeds of the drawing-style copies; the validation copies differ from the training ones.
TRAIN_AUGMENT_SEED = 1
VAL_AUGMENT_SEED = 2
# Synthetic sketches (cnn.drawing.sketches) join each split at this share of its real images: 12,000
# for the chapter's 48,000 training images, 1,200 per class.
SKETCH_SHARE = 0.4
# Share of the drawing-style copies and sketches flipped left to right, so that shoes drawn
# pointing right read as shoes (bench/README.md#real-doodles); the real images stay as they are.
MIRROR_SHARE = 0.5


@dataclasses.dataclass(frozen=True)
class DrawingDataset:
    """Real images plus drawing-style copies and sketches for train and val, the real test set; fits cnn.train.train."""

    train: data.Split
    val: data.Split
    test: data.Split
    source: str
    real_val: data.Split  # the chapter's validation images alone, to report on
    real_train_count: int  # how many of the training images are the chapter's own
    doodle_count: int = 0  # how many are pictures of Quick, Draw! doodles
    photo_count: int = 0  # how many are pictures of phone photos


def with_drawings(split: data.Split, seed: int, extra: Sequence[data.Split] = ()) -> data.Split:
    """Return `split` joined by a drawing-style copy of each image, sketches and `extra` real pictures, shuffled."""
    drawn, _ = augment.drawing_like(split.images, seed=seed)
    sketched, sketch_labels = sketches.sketches(round(SKETCH_SHARE * len(split.labels)), seed=seed)
    drawn = np.concatenate([drawn, sketched, *(part.images for part in extra)])
    images = np.concatenate([split.images, augment.mirrored(drawn, MIRROR_SHARE, seed)])
    added = [sketch_labels, *(part.labels for part in extra)]
    labels = np.concatenate([split.labels, split.labels, *(part.astype(split.labels.dtype) for part in added)])
    # Shuffled so that TrainConfig's train_limit / val_limit keep a mix of all kinds.
    order = np.random.default_rng(seed).permutation(len(labels))
    return data.Split(images[order], labels[order])


def doodle_split(folder: Path, seed: int = TRAIN_AUGMENT_SEED) -> data.Split:
    """Return the training pictures of the Quick, Draw! doodles in `folder` (cnn.drawing.quickdraw)."""
    bitmaps, labels = quickdraw.load(folder)
    return data.Split(*quickdraw.training_pictures(bitmaps, labels, seed=seed))


def photo_split(folder: Path, seed: int = TRAIN_AUGMENT_SEED) -> data.Split:
    """Return the training pictures of the tuning half of the phone photos in `folder` (cnn.drawing.photos)."""
    return data.Split(*photos.training_pictures(folder, seed=seed))


def drawing_dataset(
    dataset: data.Dataset,
    train_limit: int | None = None,
    val_limit: int | None = None,
    doodles: data.Split | None = None,
    photo_pictures: data.Split | None = None,
) -> DrawingDataset:
    """Return the drawing model's training data: the chapter's split of `dataset`, `doodles` and `photo_pictures`."""
    return DrawingDataset(
        train=with_drawings(
            dataset.train.head(train_limit),
            TRAIN_AUGMENT_SEED,
            [part for part in (doodles, photo_pictures) if part is not None],
        ),
        val=with_drawings(dataset.val.head(val_limit), VAL_AUGMENT_SEED),
        test=dataset.test,
        source=dataset.source,
        real_val=dataset.val.head(val_limit),
        real_train_count=len(dataset.train.head(train_limit)),
        doodle_count=0 if doodles is None else len(doodles),
        photo_count=0 if photo_pictures is None else len(photo_pictures),
    )


def main(argv: list[str] | None = None) -> int:
    """Train the drawing model and write model.keras, history.json and metrics.json to --out."""
    from cnn.evaluate import evaluate
    from cnn.train import PRESETS, TerminalProgress, save_run, train, write_json_atomically

    parser = argparse.ArgumentParser(prog="python -m cnn.drawing.train", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for model.keras, history.json, metrics.json")
    parser.add_argument("--preset", choices=PRESETS, default="chapter", help="the recipe, as in python -m cnn.train")
    # Unset options take the preset's value.
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--patience", type=int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--train-limit", type=int, default=None, help="use only the first N real training images")
    parser.add_argument("--val-limit", type=int, default=None, help="use only the first N real validation images")
    parser.add_argument(
        "--quickdraw", type=Path, default=None, help=f"{quickdraw.PACKAGE}'s .tgz or its drawings' folder (offline)"
    )
    parser.add_argument("--no-quickdraw", action="store_true", help="train without strangers' doodles")
    parser.add_argument(
        "--photos",
        type=Path,
        default=None,
        help=f"a folder of phone photos laid out as ../shared/real-dev/photos (default: ${config.REAL_DEV_ENV}/photos "
        "or ../shared/real-dev/photos); only its tuning half is read",
    )
    parser.add_argument("--no-photos", action="store_true", help="train without strangers' phone photos")
    args = parser.parse_args(argv)
    try:
        names = ("epochs", "batch_size", "patience", "seed")
        train_config = PRESETS[args.preset](
            **{name: getattr(args, name) for name in names if getattr(args, name) is not None}
        )
        for name in ("train_limit", "val_limit"):
            if getattr(args, name) is not None and getattr(args, name) < 1:
                raise ValueError(f"--{name.replace('_', '-')} must be at least 1.")
        dataset = data.load_dataset()
        doodles = None if args.no_quickdraw else doodle_split(quickdraw.locate(args.quickdraw))
        if not args.no_photos:
            print("cutting out the phone photos (about a second each)...", file=sys.stderr)
        photo_pictures = None if args.no_photos else photo_split(args.photos or config.real_dev_dir() / "photos")
    except (ValueError, data.DatasetError, quickdraw.QuickDrawError, photos.PhotoError) as error:
        parser.exit(2, f"error: {error}\n")
    print("making drawing-style copies of the training and validation images...", file=sys.stderr)
    drawing_data = drawing_dataset(dataset, args.train_limit, args.val_limit, doodles, photo_pictures)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        result = train(
            train_config,
            drawing_data,
            on_progress=TerminalProgress(),
            stop_event=threading.Event(),
            checkpoint_path=out_dir / "model.keras",
        )
    except KeyboardInterrupt:
        print("\ninterrupted: model.keras holds the best epoch so far", file=sys.stderr)
        return 130
    metrics = save_run(result, out_dir, drawing_data)
    # save_run scored the mixed validation set; add the chapter's real validation images alone.
    real_val = evaluate(result.model, drawing_data.real_val.scaled(), drawing_data.real_val.labels)
    metrics["val_real_accuracy"] = round(real_val.accuracy, 6)
    added = drawing_data.doodle_count + drawing_data.photo_count
    sketch_count = len(drawing_data.train) - 2 * drawing_data.real_train_count - added
    metrics["training_data"] = (
        f"{len(drawing_data.train)} images: the chapter's {drawing_data.real_train_count} training images, one "
        "drawing-style copy of each (cnn.drawing.augment.drawing_like), "
        f"{sketch_count} sketches (cnn.drawing.sketches), {drawing_data.doodle_count} pictures of Quick, Draw! "
        f"doodles (cnn.drawing.quickdraw, {quickdraw.PACKAGE}, Quick, Draw! data by Google, CC BY 4.0) and "
        f"{drawing_data.photo_count} pictures of phone photos (cnn.drawing.photos, the tuning half of "
        f"{photos.SOURCE}, CC0); "
        "val_accuracy is on the chapter's validation images with copies and sketches made the same way, "
        "test_accuracy on the real test set."
    )
    write_json_atomically(out_dir / "metrics.json", metrics)
    keys = ("val_accuracy", "val_real_accuracy", "test_accuracy", "epochs_run", "best_epoch", "seconds")
    print(json.dumps({key: metrics[key] for key in keys}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
