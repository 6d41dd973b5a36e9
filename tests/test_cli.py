"""The command-line entry points, run as a teacher would run them."""

import json
import subprocess
import sys

import numpy as np
from PIL import Image

from cnn import config

PYTHON = sys.executable


def run(*args, timeout=300):
    return subprocess.run(
        [PYTHON, "-m", *args], capture_output=True, text=True, timeout=timeout, cwd=config.PROJECT_DIR
    )


def test_predict_reads_real_images_and_reports_a_bad_file(tmp_path, dataset):
    files = []
    for index in range(3):
        image = dataset.test.images[index]
        path = tmp_path / f"test{index}.png"
        Image.fromarray(image).save(path)
        files.append(path)
    # The same garment as a dark drawing on white, as a JPEG.
    Image.fromarray(255 - dataset.test.images[3]).resize((200, 200)).save(tmp_path / "dark.jpg")
    files.append(tmp_path / "dark.jpg")
    (tmp_path / "notes.png").write_text("this is text, not an image")
    files.insert(1, tmp_path / "notes.png")
    result = run("cnn.predict", *map(str, files))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    assert "error" in lines[1] and "not an image" in lines[1]["error"] and lines[1]["file"].endswith("notes.png")
    good = [line for line in lines if "error" not in line]
    assert len(good) == 4
    for line, label in zip(good, dataset.test.labels[:4], strict=True):
        assert set(line) == {"file", "label", "label_ko", "probabilities"}
        assert abs(sum(line["probabilities"]) - 1) < 1e-4
        assert line["label"] == config.CLASS_NAMES_EN[label]
        assert line["label_ko"] == config.CLASS_NAMES_KO[label]
    assert result.returncode == 1  # one file failed


def test_evaluate_prints_one_json_object_for_the_validation_set():
    result = run("cnn.evaluate", "--split", "val")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    recorded = json.loads((config.SHIPPED_MODEL_DIR / "metrics.json").read_text())
    assert payload["split"] == "val" and payload["count"] == 12000
    assert abs(payload["accuracy"] - recorded["val_accuracy"]) < 0.002
    assert len(payload["per_class_accuracy"]) == 10 and np.array(payload["confusion_matrix"]).sum() == 12000


def test_evaluate_reports_a_missing_model_as_json(tmp_path):
    result = run("cnn.evaluate", "--model", str(tmp_path / "none.keras"))
    assert result.returncode == 2 and "no model file" in json.loads(result.stdout)["error"]


def test_train_writes_the_three_files(tmp_path):
    out = tmp_path / "run"
    result = run("cnn.train", "--out", str(out), "--epochs", "1", "--train-limit", "500", "--val-limit", "200")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["history.json", "metrics.json", "model.keras"]
    assert "epoch 1/1" in result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["epochs_run"] == 1


def test_train_refuses_bad_settings_without_a_traceback(tmp_path):
    result = run("cnn.train", "--out", str(tmp_path), "--epochs", "0")
    assert result.returncode == 2
    assert "epochs must be between" in result.stderr and "Traceback" not in result.stderr
