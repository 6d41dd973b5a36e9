import io

import pytest
from PIL import Image

from cnn import architecture
from cnn.model import build_model


@pytest.fixture(scope="module")
def model():
    return build_model()


def test_summary_rows_are_model_summary(model):
    rows = architecture.summary_rows(model)
    assert [row["type"] for row in rows][:2] == ["Conv2D", "MaxPooling2D"]
    assert rows[0]["output_shape"] == "(None, 28, 28, 32)" and rows[0]["parameters"] == 320
    assert rows[5]["output_shape"] == "(None, 100)" and rows[5]["parameters"] == 313_700
    assert sum(row["parameters"] for row in rows) == architecture.total_parameters(model) == 333_526


def test_dot_graph_has_every_layer_with_shapes(model):
    dot = architecture.to_dot(model)
    assert dot.startswith("digraph")
    for layer in model.layers:
        assert layer.name in dot
    assert "(None, 7, 7, 64)" in dot and "(None, 3136)" in dot
    assert dot.count("->") == len(model.layers) - 1


def test_png_comes_from_plot_model_when_graphviz_is_installed(model):
    assert architecture.graphviz_available()
    image = Image.open(io.BytesIO(architecture.architecture_png(model, dpi=72)))
    assert image.format == "PNG" and image.size[1] > image.size[0]  # a tall stack of layers


def test_png_still_works_without_graphviz(model, monkeypatch):
    monkeypatch.setattr(architecture, "graphviz_available", lambda: False)
    image = Image.open(io.BytesIO(architecture.architecture_png(model, dpi=72)))
    assert image.format == "PNG" and image.size[1] > image.size[0]
