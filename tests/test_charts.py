"""The browser-drawn charts (ui/charts.py): titled, readable on a projector, told apart without colour."""

from __future__ import annotations

import numpy as np
import pytest

from ui import charts

TITLES = {
    "epoch": "epoch",
    "metric": "loss",
    "train": "train",
    "val": "val",
    "running": "running",
    "best": "best epoch {epoch}",
    "stopped": "early stop",
}
HISTORY = {"loss": [0.5, 0.35, 0.3], "val_loss": [0.33, 0.28, 0.29]}


def font_sizes(node) -> list[float]:
    """Every fontSize / labelFontSize / titleFontSize anywhere in a spec."""
    found = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name.lower().endswith("fontsize") and isinstance(value, int | float):
                found.append(value)
            found += font_sizes(value)
    elif isinstance(node, list):
        for value in node:
            found += font_sizes(value)
    return found


def every_chart() -> dict[str, dict]:
    probabilities = np.full(10, 0.02)
    probabilities[3] = 0.82
    matrix = np.arange(100).reshape(10, 10)
    return {
        "bars": charts.probability_bars(probabilities, "ko", "클래스", "확률", "클래스별 확률"),
        "confusion": charts.confusion_heatmap(matrix, "ko", "정답", "예측", "이미지 수", "오차 행렬"),
        "history": charts.history_chart(HISTORY, "loss", TITLES, 20, (3.5, 0.31), 2, 3),
    }


@pytest.mark.parametrize("name", ["bars", "confusion", "history"])
def test_every_chart_has_a_title_and_no_text_under_14_px(name):
    spec = every_chart()[name]
    assert spec["title"]
    sizes = font_sizes(spec)
    assert sizes and min(sizes) >= 14, sizes
    # Axis text is set once in the config, so no axis falls back to Vega's 10 or 11 px.
    assert spec["config"]["axis"]["labelFontSize"] >= 14 and spec["config"]["axis"]["titleFontSize"] >= 14


def test_the_live_chart_is_titled_even_when_the_caller_gives_no_title():
    assert charts.history_chart(HISTORY, "loss", TITLES, 20)["title"] == "loss · train / val"


def test_no_y_title_is_turned_sideways():
    for spec in every_chart().values():
        assert spec["config"]["axisY"]["titleAngle"] == 0


def test_validation_is_dashed_and_square_so_it_differs_from_training_without_colour():
    layers = charts.history_chart(HISTORY, "loss", TITLES, 20)["layer"]
    line = next(layer for layer in layers if layer["mark"]["type"] == "line")
    dashes = line["encoding"]["strokeDash"]["scale"]
    assert dashes["domain"] == ["train", "val"] and dashes["range"][0] != dashes["range"][1]
    points = next(layer for layer in layers if "shape" in layer["encoding"])
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]


def lightness(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_paired_colours_differ_in_lightness_not_only_hue():
    assert abs(lightness(charts.TOP_COLOR) - lightness(charts.OTHER_COLOR)) > 0.4
    assert abs(lightness(charts.TRAIN_COLOR) - lightness(charts.VAL_COLOR)) > 0.25


def test_the_top_bar_is_not_green_since_the_top_class_may_be_wrong():
    red, green, blue = (int(charts.TOP_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert not (green > red and green > blue)


def test_confusion_labels_are_level_and_its_tooltip_translated():
    spec = every_chart()["confusion"]
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert [item["title"] for item in tooltip] == ["정답", "예측", "이미지 수"]
