"""The NumPy forward pass gives Keras' probabilities, refuses what it cannot run, and spares the app TensorFlow."""

from __future__ import annotations

import subprocess
import sys

import keras
import numpy as np
import pytest
from keras import layers
from keras_archives import rewrite_config

from cnn import config, numpy_model
from cnn.model import build_model
from cnn.model_files import ModelError, load_model, model_bytes
from cnn.predict import predict_probabilities


def _random_images(count: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((count, *config.INPUT_SHAPE), dtype=np.float32)


def _sequential(*stack) -> keras.Sequential:
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input(shape=config.INPUT_SHAPE), *stack])
    # Random, not freshly initialised, statistics: batch normalisation must really be applied.
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            rng = np.random.default_rng(3)
            layer.set_weights([rng.uniform(0.5, 2, w.shape).astype(np.float32) for w in layer.get_weights()])
    return model


STACKS = {
    "strided valid convolution, average pooling, tanh": lambda: [
        layers.Conv2D(8, 5, strides=2, padding="valid", activation="tanh"),
        layers.AveragePooling2D(2),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ],
    "same padding with odd sizes, max and average pooling": lambda: [
        layers.Conv2D(6, (3, 2), strides=(2, 3), padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.Conv2D(4, 3, padding="same", use_bias=False),
        layers.AveragePooling2D(3, strides=2, padding="same"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ],
    "batch normalisation, ReLU layer, global pooling": lambda: [
        layers.Rescaling(2.0, offset=-1.0),
        layers.Conv2D(8, 3, padding="same"),
        layers.BatchNormalization(),
        layers.ReLU(max_value=6.0, negative_slope=0.1),
        layers.SpatialDropout2D(0.2),
        layers.Conv2D(12, 3, activation="sigmoid"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
        layers.Activation("softmax"),
    ],
    "global max pooling, elu": lambda: [
        layers.Conv2D(8, 3, activation="elu"),
        layers.GlobalMaxPooling2D(),
        layers.Dense(16, activation="silu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ],
}


@pytest.mark.parametrize("name", list(STACKS))
def test_each_layer_kind_gives_keras_outputs(name):
    model = _sequential(*STACKS[name]())
    images = _random_images(40)
    expected = np.asarray(model.predict_on_batch(images))
    ours = numpy_model.load_bytes(model_bytes(model))
    np.testing.assert_allclose(ours.predict_on_batch(images), expected, atol=2e-5)
    assert ours.count_params() == model.count_params()


def test_the_trained_chapter_model_gives_the_same_probabilities_and_classes(tiny_run, dataset):
    images = dataset.test.head(500).scaled()
    expected = predict_probabilities(tiny_run.model, images)
    ours = numpy_model.load_bytes(model_bytes(tiny_run.model))
    got = predict_probabilities(ours, images)
    assert got.shape == (500, 10) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert (got.argmax(1) == expected.argmax(1)).all()
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-5)


def test_the_shipped_model_matches_keras_on_test_images(dataset):
    images = dataset.test.head(300).scaled()
    expected = np.asarray(load_model(config.SHIPPED_MODEL_PATH).predict_on_batch(images))
    ours = numpy_model.load(config.SHIPPED_MODEL_PATH)
    np.testing.assert_allclose(ours.predict_on_batch(images), expected, atol=1e-5)
    assert ours.count_params() == 333_526


def test_an_empty_batch_and_a_single_image_have_the_right_shapes():
    ours = numpy_model.load(config.SHIPPED_MODEL_PATH)
    assert ours.predict_on_batch(np.zeros((0, 28, 28, 1))).shape == (0, 10)
    assert ours.predict_on_batch(np.zeros((28, 28, 1))).shape == (1, 10)


def test_an_activation_it_cannot_run_is_a_clear_error():
    data = model_bytes(build_model())

    def exotic(description):
        description["config"]["layers"][-1]["config"]["activation"] = "hard_silu"
        return description

    with pytest.raises(ModelError, match="activation 'hard_silu'"):
        numpy_model.load_bytes(rewrite_config(data, exotic), "odd.keras")


def test_weights_that_do_not_fit_the_layers_are_refused():
    data = model_bytes(build_model())

    def narrower(description):
        description["config"]["layers"][-3]["config"]["units"] = 90  # the stored kernel has 100
        return description

    def coarser(description):
        description["config"]["layers"][4]["config"]["pool_size"] = [4, 4]  # 3x3x64 into a 3136-row kernel
        return description

    with pytest.raises(ModelError, match="Dense layer holds weights that do not fit"):
        numpy_model.load_bytes(rewrite_config(data, narrower), "odd.keras")
    with pytest.raises(ModelError, match="do not fit its layers"):
        numpy_model.load_bytes(rewrite_config(data, coarser), "odd.keras")


def test_a_lambda_layer_and_a_damaged_file_are_refused():
    def with_lambda(description):
        description["config"]["layers"].insert(1, {"class_name": "Lambda", "config": {"name": "code"}})
        return description

    with pytest.raises(ModelError, match="Lambda"):
        numpy_model.load_bytes(rewrite_config(model_bytes(build_model()), with_lambda), "evil.keras")
    with pytest.raises(ModelError, match=r"not a \.keras file"):
        numpy_model.load_bytes(b"%PDF-1.4 not a model", "paper.keras")
    with pytest.raises(ModelError, match="no model file"):
        numpy_model.load(config.PROJECT_DIR / "missing.keras")


def test_the_app_predicts_on_the_draw_upload_and_samples_pages_without_importing_tensorflow():
    # A fresh interpreter: this test process imported TensorFlow long ago.
    script = f"""
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({str(config.PROJECT_DIR / "streamlit_app.py")!r}, default_timeout=120)
app.query_params["lang"] = "en"
app.run()
for page in ("draw", "upload", "samples"):
    app.switch_page(f"ui/pages/{{page}}.py").run()
    assert not app.exception, [e.value for e in app.exception]
print("samples bars:", len(app.get("vega_lite_chart")))
print("tensorflow imported:", "tensorflow" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "tensorflow imported: False" in result.stdout
