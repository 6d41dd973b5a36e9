"""Killed processes never leave a broken model: saves are atomic and leftovers are cleaned up."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from cnn import config, model_files
from cnn import model as cnn_model

SAVE_FOREVER = """
import sys
from cnn import model, model_files
net = model.build_model()
while True:
    model_files.save_model_atomically(net, sys.argv[1])
    print("saved", flush=True)
"""


def test_killing_a_process_in_the_middle_of_saving_never_leaves_a_broken_model(tmp_path):
    target = tmp_path / "model.keras"
    rng = random.Random(7)
    for _ in range(4):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVE_FOREVER, str(target)],
            cwd=config.PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        process.stdout.readline()  # At least one save finished.
        time.sleep(rng.uniform(0.05, 0.6))  # Then kill it wherever it is, most likely mid-save.
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert model_files.load_model(target).count_params() == 333_526
    leftovers = list(tmp_path.glob(".tmp-*"))
    for leftover in leftovers:
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    model_files.save_model_atomically(cnn_model.build_model(), target)
    assert list(tmp_path.glob(".tmp-*")) == []


def test_a_training_run_killed_after_its_first_epoch_leaves_a_loadable_best_model(tmp_path):
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn.train", "--out", str(out), "--epochs", "30", "--patience", "20",
         "--train-limit", "2000", "--val-limit", "500"],
        cwd=config.PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    for line in process.stderr:
        if line.startswith("epoch 2/30"):
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    model = model_files.load_model(out / "model.keras")
    assert model.count_params() == 333_526
    assert not (out / "metrics.json").exists()  # The run did not finish, and says so by its absence.
    for path in out.glob("*.json"):
        json.loads(path.read_text())  # Whatever JSON is there is whole.
