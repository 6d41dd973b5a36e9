"""Fold a lesson's drawings into the drawing model: fine-tune a copy on a gallery export and show what changed.

python -m cnn.train_drawing --extra gallery-class.zip --out runs/drawing-taught
python -m cnn.train_drawing --extra monday.zip --extra tuesday.zip --out runs/taught --seed 3
python -m cnn.train_drawing --extra gallery-class.zip --out assets/models/drawing   # replace the shipped one

The export (the gallery page's zip, cnn.gallery.read_export) is split per class into taught and
held-out drawings by --seed (cnn.drawing.teach.split); a copy of --base is fine-tuned on the
taught ones mixed with the drawing model's usual data, and the before/after table (held-out
drawings and the real test set, per class) is printed and kept in metrics.json. Nothing is
written anywhere but --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np

from cnn import config, data, gallery
from cnn.drawing import teach


def main(argv: list[str] | None = None) -> int:
    """Fine-tune the drawing model on gallery exports and write model.keras, history.json and metrics.json to --out."""
    parser = argparse.ArgumentParser(prog="python -m cnn.train_drawing", description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", required=True, help="a gallery export (.zip); may repeat")
    parser.add_argument("--out", required=True, help="folder for model.keras, history.json, metrics.json")
    parser.add_argument("--base", default=None, help="the model to start from (default: the shipped drawing model)")
    parser.add_argument("--seed", type=int, default=teach.DEFAULT_SEED, help="fixes the split and the training")
    parser.add_argument(
        "--held-out-share", type=float, default=teach.HELD_OUT_SHARE, help="share of each class kept for checking"
    )
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--train-limit", type=int, default=None, help="real training images in the mix")
    parser.add_argument("--val-limit", type=int, default=None, help="real validation images in the mix")
    args = parser.parse_args(argv)
    try:
        items = [item for path in args.extra for item in gallery.read_export(path)]
        if not items:
            raise ValueError("The exports hold no drawings.")
        labels = np.array([item.label for item in items])
        images = np.stack([item.model_input for item in items])
        chosen = teach.split(labels, seed=args.seed, share=args.held_out_share)
        taught, held = list(chosen.taught), list(chosen.held_out)
        names = ("epochs", "learning_rate", "train_limit", "val_limit")
        values = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
        teach_config = teach.TeachConfig.make(
            teach.base_model_path(args.base),
            images[taught],
            labels[taught],
            images[held],
            labels[held],
            seed=args.seed,
            **values,
        )
        dataset = data.load_dataset()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, data.DatasetError) as error:
        parser.exit(2, f"error: {error}\n")
    few = chosen.few()
    if few:
        names = ", ".join(f"{config.CLASS_NAMES_EN[label]} ({sum(chosen.counts[label])})" for label in few)
        print(f"warning: under {teach.FEW_DRAWINGS} drawings of {names}: their figures mean little", file=sys.stderr)
    print(f"{len(taught)} drawings taught, {len(held)} held out (seed {args.seed})", file=sys.stderr)

    from cnn.train import TerminalProgress, save_run

    try:
        result = teach.fine_tune(teach_config, dataset, on_progress=TerminalProgress(), stop_event=threading.Event())
    except KeyboardInterrupt:
        print("\ninterrupted: nothing written", file=sys.stderr)
        return 130
    metrics = save_run(result, Path(args.out), dataset)
    comparison = teach.Comparison.from_json(result.extra["comparison"])
    print(teach.table(comparison), file=sys.stderr)
    total = comparison.rows()[-1]
    keys = ("test_before", "test_after", "held_out_before", "held_out_after")
    print(json.dumps({"out": args.out, "seconds": metrics["seconds"], **{key: total[key] for key in keys}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
