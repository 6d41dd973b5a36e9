"""Model files: a loaded model must fit the app, saves are atomic, unsafe or broken files are refused."""

import keras
import numpy as np
import pytest
from keras import layers

from cnn import config, model_files
from cnn import model as cnn_model


def test_a_model_with_the_wrong_input_is_refused():
    wrong = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    with pytest.raises(model_files.ModelError, match="28x28x1"):
        model_files.check_model(wrong)


def test_a_model_with_the_wrong_output_is_refused():
    wrong = keras.Sequential([keras.Input(config.INPUT_SHAPE), layers.Flatten(), layers.Dense(5)])
    with pytest.raises(model_files.ModelError, match="10 class probabilities"):
        model_files.check_model(wrong)


def test_save_and_load_round_trip_gives_the_same_predictions(tmp_path):
    model = cnn_model.build_model()
    path = tmp_path / "model.keras"
    model_files.save_model_atomically(model, path)
    loaded = model_files.load_model(path)
    images = np.random.default_rng(1).random((3, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(model.predict_on_batch(images), loaded.predict_on_batch(images), rtol=1e-5)
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]  # no temporary file left behind


def test_a_lambda_layer_is_refused_by_safe_mode(tmp_path):
    unsafe = keras.Sequential(
        [keras.Input(config.INPUT_SHAPE), layers.Lambda(lambda x: x * 2), layers.Flatten(), layers.Dense(10)]
    )
    path = tmp_path / "unsafe.keras"
    unsafe.save(path)
    with pytest.raises(model_files.ModelError, match="safe"):
        model_files.load_model(path)


def test_a_corrupt_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(model_files.ModelError, match=r"not a \.keras file"):
        model_files.load_model(path)


def test_uploaded_bytes_of_a_good_model_load():
    data = model_files.model_bytes(cnn_model.build_model())
    assert model_files.load_model_bytes(data, "mine.keras").count_params() == 333_526


def test_uploads_that_are_not_keras_files_are_refused():
    with pytest.raises(model_files.ModelError, match=r"\.keras"):
        model_files.load_model_bytes(b"abc", "weights.h5")
    with pytest.raises(model_files.ModelError, match="larger than"):
        model_files.load_model_bytes(b"0" * (model_files.MAX_MODEL_BYTES + 1), "huge.keras")
