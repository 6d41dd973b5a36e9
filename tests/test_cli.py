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
        assert set(line) == {"file", "label", "label_ko", "probabilities", "model", "sure"}
        assert line["model"] == "assets/models/drawing/model.keras"  # the Upload page's default
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


def test_predict_as_drawing_answers_like_the_draw_page_for_any_background_and_size(tmp_path):
    from cnn import confidence, model_files, preprocess
    from cnn.drawing import drawings, hand_sets
    from cnn.predict import predict_one

    (drawing,) = [drawing for drawing in hand_sets.TUNING if drawing.name == "trousers outline"]
    canvas = drawings.render_drawing(drawing)
    # What the Draw page shows for this drawing: its model, prepare_drawing.
    expected = predict_one(
        model_files.load_model(config.DRAW_VIEW_MODEL_DIR / "model.keras"),
        preprocess.prepare_drawing(canvas, drawing_model=True),
    )
    Image.fromarray(canvas).save(tmp_path / "transparent.png")
    # The same drawing saved from a paint program: dark strokes on white, larger and not square.
    white = drawings.render_drawing(drawing, canvas_size=560, background=(255, 255, 255))
    Image.fromarray(np.pad(white, ((0, 0), (80, 80), (0, 0)), constant_values=255)).save(tmp_path / "white.png")
    (tmp_path / "notes.png").write_text("not a drawing")
    files = [tmp_path / name for name in ("transparent.png", "white.png", "notes.png")]
    result = run("cnn.predict", "--as-drawing", *map(str, files))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and result.returncode == 1
    for line in lines[:2]:
        assert set(line) == {"file", "label", "label_ko", "probabilities", "model", "sure"}
        assert line["model"] == "assets/models/drawing/model.keras"
        assert line["label"] == config.CLASS_NAMES_EN[int(np.argmax(expected))] == "Trouser"
        assert np.allclose(line["probabilities"], expected, atol=0.02)
        assert line["sure"] == confidence.is_sure(np.array(line["probabilities"]))
    assert "error" in lines[2] and lines[2]["model"] == "assets/models/drawing/model.keras"


def test_predict_as_drawing_takes_another_model(tmp_path):
    from cnn.drawing import drawings, hand_sets

    Image.fromarray(drawings.render_drawing(hand_sets.TUNING[0])).save(tmp_path / "drawing.png")
    chosen = run(
        "cnn.predict", "--as-drawing", "--model", str(config.SHIPPED_MODEL_PATH), str(tmp_path / "drawing.png")
    )
    assert json.loads(chosen.stdout)["model"] == "assets/models/chapter/model.keras"


def test_predict_answers_a_photo_as_the_upload_page_does_by_default_or_with_the_model_given():
    from cnn import confidence, model_files, photo
    from cnn.predict import predict_one

    path = config.EXAMPLES_DIR / "photo-coat.jpg"
    image = photo.prepare_file(path)
    for model_path, args in (
        (config.UPLOAD_VIEW_MODEL_DIR / "model.keras", []),
        (config.SHIPPED_MODEL_PATH, ["--model", str(config.SHIPPED_MODEL_PATH)]),
    ):
        expected = predict_one(model_files.load_model(model_path), image)
        result = run("cnn.predict", *args, str(path))
        line = json.loads(result.stdout)
        assert result.returncode == 0 and line["model"] == str(model_path.relative_to(config.PROJECT_DIR))
        assert np.allclose(line["probabilities"], expected, atol=1e-4)
        assert line["sure"] == confidence.is_sure(expected)
