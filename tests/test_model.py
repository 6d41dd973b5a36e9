"""The chapter's network: its layers, parameter count, compilation and outputs."""

import keras
import numpy as np
import pytest
from keras import layers

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
