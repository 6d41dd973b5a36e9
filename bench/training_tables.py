"""The training benchmark's rows: what one run reached, its tables side by side, saving them and bench/speed.png.

Imported by bench/training.py; `python -m bench.training --plot` redraws from saved rows.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from pathlib import Path

PICTURE = Path(__file__).resolve().parent / "speed.png"
# A training step costs about three forward passes (forward, gradient of the activations, gradient of the
# weights); validation is a forward pass only. FLOPs count a multiply-add as two.
TRAINING_PASSES = 3


@dataclasses.dataclass
class Row:
    """One timed run and what it reached."""

    name: str
    seed: int
    spec: dict
    result: dict
    other_load: float  # cores other processes used while it ran
    load_before: float

    def flop(self) -> float:
        """Return the floating-point operations the run did, training and validation."""
        r = self.result
        epochs = r.get("epochs_run", 0)
        return r["forward_flop"] * epochs * (TRAINING_PASSES * r["train_images"] + r["val_images"])


def mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.fmean(values) if values else None


def formatted(value, pattern: str, empty: str = "-") -> str:
    return empty if value is None else format(value, pattern)


def comparison_table(rows: list[Row]) -> list[list[str]]:
    """Return the comparison as table cells, each row's ratios against the chapter's run of the same seed."""
    chapter = {row.seed: row for row in rows if row.name == "chapter"}
    reference_seconds = mean(row.result["seconds"] for row in chapter.values())
    reference_epoch = mean(row.result["seconds"] / row.result["epochs_run"] for row in chapter.values())
    reference_fit = mean(row.result["fit_seconds"] / row.result["epochs_run"] for row in chapter.values())
    cells = [
        [
            "path",
            "seed",
            "epochs (best)",
            "seconds",
            "× chapter",
            "s / epoch",
            "× chapter",
            "training s / epoch",
            "× chapter",
            "images / s",
            "GFLOP/s",
            "test accuracy",
            "other load",
        ]
    ]
    for row in rows:
        r = row.result
        per_epoch = r["seconds"] / r["epochs_run"]
        same_seed = chapter.get(row.seed)
        ref_seconds = same_seed.result["seconds"] if same_seed else reference_seconds
        ref_epoch = same_seed.result["seconds"] / same_seed.result["epochs_run"] if same_seed else reference_epoch
        fit_epoch = r["fit_seconds"] / r["epochs_run"] if "fit_seconds" in r else None
        ref_fit = same_seed.result["fit_seconds"] / same_seed.result["epochs_run"] if same_seed else reference_fit
        cells.append(
            [
                row.name,
                str(row.seed),
                f"{r['epochs_run']} ({r['best_epoch']})",
                f"{r['seconds']:.1f}",
                formatted(r["seconds"] / ref_seconds if ref_seconds else None, ".2f"),
                f"{per_epoch:.2f}",
                formatted(per_epoch / ref_epoch if ref_epoch else None, ".3f"),
                formatted(fit_epoch, ".2f"),
                formatted(fit_epoch / ref_fit if fit_epoch and ref_fit else None, ".3f"),
                f"{r['epochs_run'] * r['train_images'] / r['seconds']:.0f}",
                f"{row.flop() / r['seconds'] / 1e9:.0f}" if "forward_flop" in r else "-",
                formatted(r.get("test_accuracy"), ".4f"),
                f"{row.other_load:.2f}",
            ]
        )
    return cells


def ab_table(rows: list[Row]) -> list[list[str]]:
    """Return the open-against-closed windows of each browser-ab row: batches per second and Chromium's CPU."""
    cells = [["seed", "window", "Train page", "batches / s", "Chromium cores", "time per batch, open ÷ closed"]]
    for row in rows:
        rates, cores = row.result["rates"], row.result["browser_cores"]
        for index, (opened, closed) in enumerate(zip(rates["open"], rates["closed"], strict=True)):
            for offset, side, rate in ((1, "open", opened), (2, "closed", closed)):
                cells.append(
                    [str(row.seed), str(2 * index + offset), side, f"{rate:.1f}", f"{cores[side][index]:.3f}", ""]
                )
        ratio = statistics.fmean(rates["closed"]) / statistics.fmean(rates["open"])
        cells.append([str(row.seed), "all", "", "", "", f"{ratio:.3f}"])
    return cells


def summary_table(rows: list[Row]) -> list[list[str]]:
    """Return one line per path over its seeds: mean time and ratio, mean and lowest test accuracy."""
    chapter_seconds = {row.seed: row.result["seconds"] for row in rows if row.name == "chapter"}
    reference = mean(chapter_seconds.values())
    cells = [["path", "runs", "mean seconds", "× chapter (mean)", "test accuracy mean", "lowest", "highest"]]
    for name in dict.fromkeys(row.name for row in rows):
        mine = [row for row in rows if row.name == name]
        ratios = [row.result["seconds"] / chapter_seconds.get(row.seed, reference or 1) for row in mine]
        accuracies = [row.result.get("test_accuracy") for row in mine if row.result.get("test_accuracy") is not None]
        cells.append(
            [
                name,
                str(len(mine)),
                f"{mean(row.result['seconds'] for row in mine):.1f}",
                formatted(mean(ratios) if reference else None, ".3f"),
                formatted(mean(accuracies), ".4f"),
                formatted(min(accuracies) if accuracies else None, ".4f"),
                formatted(max(accuracies) if accuracies else None, ".4f"),
            ]
        )
    return cells


def explore_table(rows: list[Row]) -> list[list[str]]:
    """Return the per-epoch timings of each candidate setting against batch 32 as cnn.train runs it."""
    peak = next((row.result["gflops"] for row in rows if row.name == "matmul"), None)
    timed = [row for row in rows if row.name != "matmul"]
    reference = next((row.result["epoch_seconds"] for row in timed if row.spec.get("batch") == 32), None)
    cells = [["setting", "first epoch s", "epoch s", "× batch 32", "images / s", "GFLOP/s", "% of matmul", "val s"]]
    for row in timed:
        r = row.result
        gflops = TRAINING_PASSES * r["forward_flop"] * r["train_images"] / r["epoch_seconds"] / 1e9
        cells.append(
            [
                row.name,
                f"{r['first_epoch_seconds']:.2f}",
                f"{r['epoch_seconds']:.2f}",
                formatted(r["epoch_seconds"] / reference if reference else None, ".2f"),
                f"{r['train_images'] / r['epoch_seconds']:.0f}",
                f"{gflops:.0f}",
                formatted(100 * gflops / peak if peak else None, ".0f"),
                f"{r['validation_seconds']:.2f}",
            ]
        )
    if peak:
        cells.append(["reference: tf.matmul 2048x2048 float32", "", "", "", "", f"{peak:.0f}", "100", ""])
    return cells


def split_rows(rows: list[Row]) -> tuple[list[Row], list[Row], list[Row]]:
    """Return the rows of whole runs to compare, of open/closed windows (browser-ab), and of candidate settings."""
    windows = [row for row in rows if row.spec.get("kind") == "browser_ab"]
    explored = [row for row in rows if row.spec.get("kind") in ("explore", "matmul")]
    compared = [row for row in rows if row not in windows and row not in explored]
    return compared, windows, explored


def print_tables(rows: list[Row], markdown: bool) -> None:
    """Print every table the rows make: the comparison, its summary, the open/closed windows, the candidates."""
    compared, windows, explored = split_rows(rows)
    tables = (comparison_table(compared), summary_table(compared), ab_table(windows), explore_table(explored))
    for cells in tables:
        if len(cells) > 1:
            print(render(cells, markdown), end="\n\n")


def render(cells: list[list[str]], markdown: bool) -> str:
    """Return table cells as aligned text or as a Markdown table."""
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in cells[0]) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells[1:]])
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in cells)


def save(rows: list[Row], path: Path, header: dict) -> None:
    """Write the rows and the machine's description as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**header, "rows": [dataclasses.asdict(row) for row in rows]}
    path.write_text(json.dumps(payload, indent=1))


def load(paths: list[Path]) -> tuple[dict, list[Row]]:
    """Read rows saved by `save` from one or more files."""
    header, rows = {}, []
    for path in paths:
        payload = json.loads(path.read_text())
        rows += [Row(**row) for row in payload.pop("rows")]
        header = header or payload
    return header, rows


def plot(rows: list[Row], header: dict, path: Path = PICTURE) -> None:
    """Draw bench/speed.png: time to finish per path, accuracy against time, and the candidate settings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compared, _, candidates = split_rows(rows)
    explored = [row for row in candidates if row.spec.get("kind") == "explore"]
    panels = 2 + bool(explored)
    figure, axes = plt.subplots(1, panels, figsize=(6.2 * panels, 4.8), layout="constrained")
    names = list(dict.fromkeys(row.name for row in compared))
    chapter = mean(row.result["seconds"] for row in compared if row.name == "chapter")

    left = axes[0]
    for index, name in enumerate(names):
        seconds = [row.result["seconds"] for row in compared if row.name == name]
        left.bar(index, statistics.fmean(seconds), color="#9db4d8" if name != "chapter" else "#888888")
        left.scatter([index] * len(seconds), seconds, color="#1f3f7f", s=12, zorder=3)
    if chapter:
        left.axhline(chapter / 3, color="#c0392b", linestyle="--", linewidth=1)
        left.text(len(names) - 0.5, chapter / 3, " a third of the chapter", color="#c0392b", va="bottom", ha="right")
    left.set_xticks(range(len(names)), names, rotation=20)
    left.set_ylabel("seconds to the end of training (dots: seeds)")
    left.set_title("Time to train, side by side")

    middle = axes[1]
    for name in names:
        points = [(row.result["seconds"], row.result["test_accuracy"]) for row in compared if row.name == name]
        points = [point for point in points if point[1] is not None]
        if points:
            middle.scatter(*zip(*points, strict=True), label=name, s=24)
    middle.axhline(0.912, color="#c0392b", linestyle="--", linewidth=1)
    if chapter:
        middle.axvline(chapter / 3, color="#c0392b", linestyle=":", linewidth=1)
    middle.set_xlabel("seconds")
    middle.set_ylabel("test accuracy")
    middle.set_title("Accuracy against time (target: up and left of the red lines)")
    middle.legend(fontsize=8)

    if explored:
        right = axes[2]
        labels = [row.name for row in explored]
        right.barh(range(len(labels)), [row.result["epoch_seconds"] for row in explored], color="#9db4d8")
        right.set_yticks(range(len(labels)), labels, fontsize=7)
        right.invert_yaxis()
        right.set_xlabel("seconds per epoch of 48,000 images (training only)")
        right.set_title("What might make an epoch faster")
    figure.suptitle(f"{header.get('cpu', '')}, {header.get('cores', '')} cores, {header.get('date', '')}", fontsize=9)
    figure.savefig(path, dpi=110)
    plt.close(figure)
