"""Training speed side by side: the chapter's script as written next to our training paths and the quick preset.

python -m bench.training                                   # the comparison in bench/README.md (about 15 minutes)
python -m bench.training --paths chapter quick --seeds 42 1 2 3 4   # the quick preset over five seeds
python -m bench.training --paths chapter default app browser        # overhead of our paths, in the app too
python -m bench.training --paths browser-ab                         # what the open Train page costs a run
python -m bench.training --paths app browser-closed --epochs 5      # a run started from the app, page closed
python -m bench.training --explore                         # per-epoch timings of what might make training faster
python -m bench.training --quick                           # a smoke run: 2 epochs on 6,000 images
python -m bench.training --plot a.json b.json --markdown   # tables of saved rows; redraws bench/speed.png

Every row runs in a fresh Python process, one after another on this machine, so each starts from the same
empty TensorFlow. Before each row the bench waits until other processes leave the CPU alone, and each row
reports the CPU that other processes took while it ran (`other load`, in cores). Ratios are against the
chapter's script of the same seed. Benchmarks print figures; no test ever times anything.

The rows themselves are in bench/training_workers.py and bench/training_browser.py, their tables and
plot in bench/training_tables.py, the machine's load in bench/machine.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import training_browser, training_workers
from bench.machine import QUIET_CORES, cpu_jiffies, header, wait_for_quiet
from bench.training_tables import PICTURE, Row, explore_table, formatted, load, plot, print_tables, render, save

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_DIR / "artifacts" / "bench-training.json"

# What each path runs: "kind" selects the worker, the rest configures it.
PATHS = {
    "chapter": {"kind": "chapter", "what": "the chapter's script as written (model.fit, batch 32)"},
    "default": {"kind": "train", "preset": "default", "what": "cnn.train: the chapter's recipe, hook + checkpoint"},
    "app": {"kind": "board", "preset": "default", "what": "cnn.jobs.TrainingBoard + the Train view's 1 s polling"},
    "browser": {"kind": "browser", "what": "streamlit run, Train clicked in Chromium, live chart"},
    "browser-ab": {"kind": "browser_ab", "what": "one run in Chromium: windows with the Train page open and closed"},
    "browser-closed": {"kind": "browser_closed", "what": "Train clicked in Chromium, then the page left blank"},
    "quick": {"kind": "train", "preset": "quick", "what": "TrainConfig.quick(), hook + checkpoint"},
    "quick-app": {"kind": "board", "preset": "quick", "what": "the quick preset through the TrainingBoard"},
}
DEFAULT_PATHS = ("chapter", "default", "app", "quick")

# Candidates for a faster epoch, each timed for a few epochs at the chapter's learning rate. "batch" is the
# batch size; the other keys change one thing against the row it is compared with.
EXPLORE = {
    "batch 32 (cnn.train)": {"batch": 32},
    "batch 32, float64 input (as the chapter)": {"batch": 32, "float64": True},
    "batch 32, no per-batch callback": {"batch": 32, "hook": False},
    "batch 32, validation batch 32 (Keras default)": {"batch": 32, "validation_batch": 32},
    "batch 32, tf.data pipeline + prefetch": {"batch": 32, "pipeline": "tf.data"},
    "batch 32, steps_per_execution 16": {"batch": 32, "steps_per_execution": 16},
    "batch 32, XLA (jit_compile)": {"batch": 32, "jit": True},
    "batch 32, bfloat16 mixed precision": {"batch": 32, "precision": "mixed_bfloat16"},
    "batch 32, oneDNN off": {"batch": 32, "env": {"TF_ENABLE_ONEDNN_OPTS": "0"}},
    "batch 32, inter-op threads 1": {"batch": 32, "threads": [2, 1]},
    "batch 64": {"batch": 64},
    "batch 128": {"batch": 128},
    "batch 256": {"batch": 256},
    "batch 512": {"batch": 512},
    "batch 128, tf.data pipeline + prefetch": {"batch": 128, "pipeline": "tf.data"},
    "batch 128, steps_per_execution 16": {"batch": 128, "steps_per_execution": 16},
    "batch 128, XLA (jit_compile)": {"batch": 128, "jit": True},
    "batch 128, bfloat16 mixed precision": {"batch": 128, "precision": "mixed_bfloat16"},
    "batch 128, oneDNN fpmath bf16": {"batch": 128, "env": {"TF_SET_ONEDNN_FPMATH_MODE": "BF16"}},
    "batch 128, oneDNN system allocator": {"batch": 128, "env": {"TF_ONEDNN_USE_SYSTEM_ALLOCATOR": "1"}},
    "batch 128, oneDNN off": {"batch": 128, "env": {"TF_ENABLE_ONEDNN_OPTS": "0"}},
    "batch 128, oneDNN limited to AVX2": {"batch": 128, "env": {"ONEDNN_MAX_CPU_ISA": "AVX2"}},
    "batch 128, inter-op threads 1": {"batch": 128, "threads": [2, 1]},
    "batch 128, one core": {"batch": 128, "threads": [1, 1]},
}
# The function that runs each kind of row, in the worker process.
WORKERS = {
    "chapter": training_workers.run_chapter,
    "train": training_workers.run_train,
    "board": training_workers.run_board,
    "browser": training_browser.run_browser,
    "browser_ab": training_browser.run_browser_ab,
    "browser_closed": training_browser.run_browser_closed,
    "explore": training_workers.explore,
    "matmul": training_workers.matmul_peak,
}


def worker(spec: dict, out: Path) -> None:
    """Run one row in this process and write its result as JSON to `out`."""
    sys.path.insert(0, str(PROJECT_DIR))
    training_workers.apply_runtime(spec)
    result = WORKERS[spec["kind"]](spec)
    out.write_text(json.dumps(result))


# The parent: rows one after another, then the table ------------------------------------------------------


def run_row(name: str, spec: dict, max_wait: float, log=print, retries: int = 2) -> Row:
    """Run one row on a quiet machine, again (up to `retries` times) if other processes took CPU meanwhile."""
    row = _run_once(name, spec, max_wait, log)
    for _ in range(retries):
        if row.other_load < QUIET_CORES:
            break
        log(f"  {name}: other processes took {row.other_load:.2f} cores during the run; running it again")
        row = _run_once(name, spec, max_wait, log)
    return row


def _run_once(name: str, spec: dict, max_wait: float, log=print) -> Row:
    """Run one row in a fresh process after the machine is quiet; measure the CPU others took meanwhile."""
    load_before = wait_for_quiet(max_wait, log)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, **spec.get("env", {}), "TF_CPP_MIN_LOG_LEVEL": "2"}
        command = [sys.executable, "-m", "bench.training", "--worker", json.dumps(spec), "--out", str(out)]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_before, total_before = cpu_jiffies()
        started = time.perf_counter()
        child = subprocess.run(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        busy_after, total_after = cpu_jiffies()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if child.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{child.stderr.decode(errors='replace')[-3000:]}")
        result = json.loads(out.read_text())
    # Everything the CPUs did during the row, minus what the row itself (and its children) used.
    busy_seconds = (busy_after - busy_before) / (total_after - total_before) * (os.cpu_count() or 1) * wall
    own_seconds = sum(
        getattr(children_after, field) - getattr(children_before, field) for field in ("ru_utime", "ru_stime")
    )
    other = max(0.0, (busy_seconds - own_seconds) / wall)
    return Row(name, spec.get("seed", 0), spec, result, other_load=other, load_before=load_before)


def _value(text: str):
    """Return a --set value as a number when it is one, else as the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> int:
    """Run the rows asked for, print the tables, save the rows as JSON and draw the plot."""
    parser = argparse.ArgumentParser(prog="python -m bench.training", description=__doc__.splitlines()[0])
    parser.add_argument("--paths", nargs="+", choices=list(PATHS), default=list(DEFAULT_PATHS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[42])
    parser.add_argument("--explore", action="store_true", help="time candidate settings for a few epochs each")
    parser.add_argument("--only", nargs="+", help="with --explore: only settings whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 epochs on 6,000 images")
    parser.add_argument("--epochs", type=int, help="cap every row's epochs (the figures reported are full runs)")
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds to wait for a quiet machine per row")
    parser.add_argument(
        "--set", nargs="+", default=[], metavar="FIELD=VALUE", help="change TrainConfig fields of the trained paths"
    )
    parser.add_argument("--retries", type=int, default=2, help="runs again a row that other processes disturbed")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to save the rows")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--plot", nargs="*", type=Path, help="print the tables of saved JSON files, redraw the plot")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker), args.out)
        return 0
    if args.plot is not None:
        saved_header, rows = load(args.plot or [args.json])
        print_tables(rows, args.markdown)
        plot(rows, saved_header)
        print(f"wrote {PICTURE}")
        return 0

    machine = header()
    print(
        f"{machine['cpu']}, {machine['cores']} cores, bf16 {machine['bf16']}, AMX {machine['amx']}, {machine['date']}"
    )
    limit = 6000 if args.quick else None
    epochs = args.epochs or (2 if args.quick else None)
    rows: list[Row] = []

    def log(message: str) -> None:
        print(message, flush=True)

    if args.explore:
        rows.append(run_row("matmul", {"kind": "matmul"}, args.max_wait, log))
        for name, settings in EXPLORE.items():
            if args.only and not any(part in name for part in args.only):
                continue
            spec = {"kind": "explore", "seed": args.seeds[0], "epochs": epochs or 4, "train_limit": limit, **settings}
            row = run_row(name, spec, args.max_wait, log, args.retries)
            rows.append(row)
            r = row.result
            log(f"  {name}: {r['epoch_seconds']:.2f} s/epoch, other load {row.other_load:.2f}")
            save(rows, args.json, machine)
        print(render(explore_table(rows), args.markdown))
    else:
        overrides = {field: _value(text) for field, text in (item.split("=", 1) for item in args.set)}
        for seed in args.seeds:
            for name in args.paths:
                spec = {**PATHS[name], "seed": seed, "epochs": epochs, "train_limit": limit}
                label = name
                if overrides and spec["kind"] in ("train", "board"):
                    spec["overrides"] = overrides
                    label = f"{name} {' '.join(args.set)}"
                row = run_row(label, spec, args.max_wait, log, args.retries)
                rows.append(row)
                r = row.result
                if spec["kind"] == "browser_ab":
                    log(f"  {label} seed {seed}: batches / s open {r['rates']['open']}, closed {r['rates']['closed']}")
                else:
                    log(
                        f"  {label} seed {seed}: {r['seconds']:.1f} s, {r['epochs_run']} epochs, "
                        f"test {formatted(r.get('test_accuracy'), '.4f')}, other load {row.other_load:.2f}"
                    )
                save(rows, args.json, machine)
        print_tables(rows, args.markdown)
    print(f"saved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
