"""The chapter's CNN, layer for layer, and safe loading of saved models."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import keras
from keras import layers

from cnn import config

# The parameter count of the chapter's model.summary().
CHAPTER_PARAMETERS = 333_526
# A saved model of this network is about 4 MB; refuse anything far larger
# before Keras tries to read it.
MAX_MODEL_BYTES = 50 * 1024 * 1024


class ModelError(ValueError):
    """A model file cannot be used here; the message says why in plain words."""


def build_model(dropout_rate: float = 0.4, learning_rate: float = 1e-3) -> keras.Sequential:
    """Return the chapter's compiled CNN (333,526 parameters)."""
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
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def check_model(model: keras.Model) -> None:
    """Raise ModelError unless `model` takes (28, 28, 1) images and gives 10 probabilities."""
    try:
        input_shape = tuple(model.input_shape[1:])
        output_shape = tuple(model.output_shape[1:])
    except (AttributeError, ValueError, TypeError) as error:
        raise ModelError("The model has no single image input and output.") from error
    if input_shape != config.INPUT_SHAPE:
        raise ModelError(f"The model expects input {input_shape}; it must take 28x28x1 images.")
    if output_shape != (config.NUM_CLASSES,):
        raise ModelError(f"The model gives output {output_shape}; it must give 10 class probabilities.")


def load_model(path: Path | str) -> keras.Model:
    """Load a `.keras` file safely (no code, no pickles) and check that it fits this app."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"There is no model file at {path}.")
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise ModelError(f"{path.name} is larger than {MAX_MODEL_BYTES // 2**20} MB; this app's models are about 4 MB.")
    if path.suffix != ".keras":
        raise ModelError(f"{path.name} is not a Keras 3 model; save it with model.save('name.keras').")
    try:
        # safe_mode refuses Lambda layers and anything else that would run stored code.
        # compile=False: evaluation computes its loss from the probabilities, so a file
        # saved with another optimizer or loss still works here.
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as error:  # Keras raises many types for corrupt or unsafe files.
        message = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise ModelError(f"{path.name} could not be loaded as a safe Keras model: {message}") from error
    check_model(model)
    return model


def load_model_bytes(data: bytes, name: str = "uploaded.keras") -> keras.Model:
    """Load a model from the bytes of an uploaded `.keras` file (see load_model)."""
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError(f"{name} is larger than {MAX_MODEL_BYTES // 2**20} MB; this app's models are about 4 MB.")
    if not name.lower().endswith(".keras"):
        raise ModelError(f"{name} is not a .keras file; save the model with model.save('name.keras').")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uploaded.keras"
        path.write_bytes(data)
        try:
            return load_model(path)
        except ModelError as error:
            raise ModelError(str(error).replace("uploaded.keras", name)) from error


def save_model_atomically(model: keras.Model, path: Path | str) -> None:
    """Save to `path` so that readers only ever see the old file or the complete new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".keras", dir=path.parent)
    os.close(handle)
    try:
        model.save(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes owner-only files; a model is meant to be shared.
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def model_bytes(model: keras.Model) -> bytes:
    """Return the `.keras` file of `model` as bytes, for a download button."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()
