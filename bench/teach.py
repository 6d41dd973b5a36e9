"""What teaching the drawing model with a class's drawings buys: strangers' doodles standing in for a class.

python bench/teach.py                     # the table in bench/README.md#the-class-teaches-the-model
python bench/teach.py --taught 2 5 --folds 2
python bench/teach.py --job               # one fine-tune as the page runs it: a job on the training board

The 90 development doodles (bench/real_dev.py, Quick, Draw!, 10 per category) play a class's
gallery: in each of --folds folds, 2 doodles of every category are held out (each doodle is held
out in exactly one fold) and k of the other 8 are taught (the first k in a seeded order), through
the app's own fine-tune (cnn.drawing.teach, its default recipe, from the shipped drawing model).
The table gives the held-out doodles' accuracy before and after, pooled over the folds, and the
real test set's accuracy before and after (mean over the folds), and the seconds of a fine-tune.
The recipe was not tuned on these doodles.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import real_dev
from cnn import config, data, preprocess
from cnn.drawing import teach

# The class a student would pick for each category when sending it; a shoe is sent as a sneaker.
TAUGHT_CLASS = {
    category: (config.CLASS_NAMES_EN.index("Sneaker") if category == "shoe" else min(accepted))
    for category, accepted in real_dev.DOODLE_CLASSES.items()
}
HELD_OUT_PER_CATEGORY = 2
SEED = 7


def folds(items: list[real_dev.Item], count: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """Return (teachable, held out) positions per fold: each category's doodles shuffled once, held out in turn."""
    rng = np.random.default_rng(seed)
    result = [([], []) for _ in range(count)]
    for _, positions in real_dev.categories(items):
        order = rng.permutation(positions).tolist()
        for fold in range(count):
            held = order[fold * HELD_OUT_PER_CATEGORY : (fold + 1) * HELD_OUT_PER_CATEGORY]
            result[fold][1].extend(held)
            result[fold][0].append([p for p in order if p not in held])
    return result


def time_job(inputs: np.ndarray, labels: np.ndarray, fold, source: str) -> int:
    """Print the seconds from submitting one fine-tune to the training board to its result (TensorFlow loading too)."""
    from bench import machine
    from cnn import jobs

    teachable, held = fold
    taught = [p for per_category in teachable for p in per_category[:5]]
    teach_config = teach.TeachConfig.make(
        teach.base_model_path(), inputs[taught], labels[taught], inputs[held], labels[held]
    )
    board = jobs.TrainingBoard(orphan_after=None)
    busy = machine.busy_cores(1.0)
    started = time.perf_counter()
    job = board.submit(teach_config, source, owner="bench")
    job.join()
    view = job.view()
    print(
        f"job {view.state}: {time.perf_counter() - started:.0f} s from submit to result, "
        f"{len(taught)} taught drawings; other processes busy on {busy:.1f} cores before it started"
    )
    return 0 if view.state == jobs.FINISHED else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taught", type=int, nargs="+", default=[2, 5, 8], help="taught doodles per category")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--root", type=Path, default=None, help="the development sets' folder")
    parser.add_argument("--job", action="store_true", help="time one fold at k=5 through cnn.jobs, as the page runs it")
    args = parser.parse_args(argv)
    root = args.root or real_dev.directory()
    if root is None:
        parser.exit(2, f"error: no development sets; set ${config.REAL_DEV_ENV} or pass --root.\n")
    items = real_dev.doodles("all", root)
    inputs = np.stack([preprocess.prepare_drawing(real_dev.doodle_canvas(item), drawing_model=True) for item in items])
    labels = np.array([TAUGHT_CLASS[item.category] for item in items])
    dataset = data.load_dataset()
    if args.job:
        return time_job(inputs, labels, folds(items, args.folds, SEED)[0], dataset.source)
    print(
        f"## Teaching the drawing model with doodles: {len(items)} doodles, {args.folds} folds, "
        f"{HELD_OUT_PER_CATEGORY} held out per category and fold\n"
    )
    print("| taught per category | held-out doodles before | after | real test set before | after | seconds |")
    print("|---:|---:|---:|---:|---:|---:|")
    for k in args.taught:
        right_before = right_after = held_count = 0
        tests_before, tests_after, seconds = [], [], []
        for teachable, held in folds(items, args.folds, SEED):
            taught = [p for per_category in teachable for p in per_category[:k]]
            teach_config = teach.TeachConfig.make(
                teach.base_model_path(), inputs[taught], labels[taught], inputs[held], labels[held]
            )
            started = time.perf_counter()
            result = teach.fine_tune(teach_config, dataset)
            seconds.append(time.perf_counter() - started)
            comparison = teach.Comparison.from_json(result.extra["comparison"])
            right_before += sum(map(lambda p, said: items[p].is_right(said), held, comparison.held_out_before))
            right_after += sum(map(lambda p, said: items[p].is_right(said), held, comparison.held_out_after))
            held_count += len(held)
            total = comparison.rows()[-1]
            tests_before.append(total["test_before"])
            tests_after.append(total["test_after"])
            print(f"  k={k}: fold done in {seconds[-1]:.0f} s", file=sys.stderr)
        print(
            f"| {k} | {right_before / held_count:.0%} | {right_after / held_count:.0%} | "
            f"{np.mean(tests_before):.3f} | {np.mean(tests_after):.3f} | {np.median(seconds):.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
