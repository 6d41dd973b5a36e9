import keras
import numpy as np
import pytest
from keras import layers

from cnn import config
from cnn import model as cnn_model


def test_the_model_is_the_chapters_layer_for_layer():
    model = cnn_model.build_model()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dropout", "Dense"]
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    assert [c.filters for c in convs] == [32, 64]
    assert all(c.kernel_size == (3, 3) and c.padding == "same" and c.activation.__name__ == "relu" for c in convs)
    assert model.layers[6].rate == pytest.approx(0.4)
    assert model.count_params() == cnn_model.CHAPTER_PARAMETERS == 333_526
    assert model.loss == "sparse_categorical_crossentropy"
    assert isinstance(model.optimizer, keras.optimizers.Adam)


def test_outputs_are_probabilities():
    model = cnn_model.build_model()
    images = np.random.default_rng(0).random((5, 28, 28, 1), dtype=np.float32)
    probabilities = np.asarray(model.predict_on_batch(images))
    assert probabilities.shape == (5, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_a_model_with_the_wrong_input_is_refused():
    wrong = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    with pytest.raises(cnn_model.ModelError, match="28x28x1"):
        cnn_model.check_model(wrong)


def test_a_model_with_the_wrong_output_is_refused():
    wrong = keras.Sequential([keras.Input(config.INPUT_SHAPE), layers.Flatten(), layers.Dense(5)])
    with pytest.raises(cnn_model.ModelError, match="10 class probabilities"):
        cnn_model.check_model(wrong)


def test_save_and_load_round_trip_gives_the_same_predictions(tmp_path):
    model = cnn_model.build_model()
    path = tmp_path / "model.keras"
    cnn_model.save_model_atomically(model, path)
    loaded = cnn_model.load_model(path)
    images = np.random.default_rng(1).random((3, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(model.predict_on_batch(images), loaded.predict_on_batch(images), rtol=1e-5)
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]  # no temporary file left behind


def test_a_lambda_layer_is_refused_by_safe_mode(tmp_path):
    unsafe = keras.Sequential(
        [keras.Input(config.INPUT_SHAPE), layers.Lambda(lambda x: x * 2), layers.Flatten(), layers.Dense(10)]
    )
    path = tmp_path / "unsafe.keras"
    unsafe.save(path)
    with pytest.raises(cnn_model.ModelError, match="safe"):
        cnn_model.load_model(path)


def test_a_corrupt_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(cnn_model.ModelError, match=r"not a \.keras file"):
        cnn_model.load_model(path)


def test_uploaded_bytes_of_a_good_model_load():
    data = cnn_model.model_bytes(cnn_model.build_model())
    assert cnn_model.load_model_bytes(data, "mine.keras").count_params() == 333_526


def test_uploads_that_are_not_keras_files_are_refused():
    with pytest.raises(cnn_model.ModelError, match=r"\.keras"):
        cnn_model.load_model_bytes(b"abc", "weights.h5")
    with pytest.raises(cnn_model.ModelError, match="larger than"):
        cnn_model.load_model_bytes(b"0" * (cnn_model.MAX_MODEL_BYTES + 1), "huge.keras")
