"""The chapter's CNN, layer for layer, compiled as the chapter compiles it (loading and saving: cnn.model_files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnn import config

if TYPE_CHECKING:
    import keras

# Keras (and with it TensorFlow, about 3 s and 480 MB) is imported inside the functions:
# the app's predictions run without it (cnn.numpy_model).

# The parameter count of the chapter's model.summary().
CHAPTER_PARAMETERS = 333_526


def build_model(dropout_rate: float = 0.4, learning_rate: float = 1e-3) -> keras.Sequential:
    """Return the chapter's compiled CNN (333,526 parameters)."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=config.INPUT_SHAPE),
            layers.Conv2D(32, kernel_size=3, activation="relu", padding="same"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, kernel_size=3, activation="relu", padding="same"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(100, activation="relu"),
            layers.Dropout(dropout_rate),
            layers.Dense(config.NUM_CLASSES, activation="softmax"),
        ],
        name="cnn_08_2",
    )
    compile_model(model, learning_rate)
    return model


def compile_model(model: keras.Model, learning_rate: float = 1e-3) -> None:
    """Compile with the chapter's optimizer, loss and metric."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
