"""Model files: what an uploaded .keras file may hold, loading it safely, and saving without half-written files."""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cnn import config

if TYPE_CHECKING:
    import keras

# Keras (and with it TensorFlow, about 3 s and 480 MB) is imported inside the functions
# that load or save a Keras model: the app's predictions run without it
# (cnn.numpy_model), and checking an uploaded file must not wait for it.

# A saved model of this network is about 4 MB; refuse anything far larger
# before Keras tries to read it.
MAX_MODEL_BYTES = 50 * 1024 * 1024
# What an uploaded .keras file may unpack to and hold, checked before Keras builds
# anything: a small file can still describe a model too big for a laptop's memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARAMETERS = 10_000_000
MAX_ACTIVATIONS = 4_000_000  # floats per image in any one layer's output
MAX_LAYERS = 64
# A save takes about a second; a temporary file this old was left by a killed process.
STALE_TEMPORARY_SECONDS = 600
# Layers whose shapes this check can follow; anything else (Lambda above all, which
# runs stored code) is refused before loading.
KNOWN_LAYERS = {
    "InputLayer",
    "Conv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "Flatten",
    "Dense",
    "Dropout",
    "SpatialDropout2D",
    "BatchNormalization",
    "Activation",
    "ReLU",
    "Rescaling",
}


class ModelError(ValueError):
    """A model file cannot be used here; the message says why in plain words.

    `reason` names the kind of problem and `values` what fills its sentence, so a UI can say
    it in the user's language (ui/text.py, "model_error.<reason>").
    """

    def __init__(self, message: str, reason: str = "unusable", **values):
        super().__init__(message)
        self.reason = reason
        self.values = values


def check_model(model: keras.Model) -> None:
    """Raise ModelError unless `model` takes (28, 28, 1) images and gives 10 probabilities."""
    try:
        input_shape = tuple(model.input_shape[1:])
        output_shape = tuple(model.output_shape[1:])
    except (AttributeError, ValueError, TypeError) as error:
        raise ModelError("The model has no single image input and output.", "bad_input") from error
    if input_shape != config.INPUT_SHAPE:
        raise ModelError(f"The model expects input {input_shape}; it must take 28x28x1 images.", "bad_input")
    if output_shape != (config.NUM_CLASSES,):
        raise ModelError(f"The model gives output {output_shape}; it must give 10 class probabilities.", "bad_output")


def as_pair(value) -> tuple[int, int]:
    """Return a layer setting such as kernel_size=3 or strides=(2, 1) as a (height, width) pair."""
    return (int(value), int(value)) if isinstance(value, (int, float)) else (int(value[0]), int(value[1]))


def _spatial(size: int, window: int, stride: int, padding: str) -> int:
    return math.ceil(size / stride) if padding == "same" else (size - window) // stride + 1


def check_archive(source: Path | str | IO[bytes], name: str | None = None) -> int:
    """Check an uploaded .keras archive without building it; return its parameter count or raise ModelError.

    It must be a zip with config.json and model.weights.h5 that unpacks to a sane size,
    and describe a keras.Sequential of known layers whose shapes and parameters stay
    within what a classroom laptop can hold.
    """
    if name is None:
        name = Path(source).name
    if not zipfile.is_zipfile(source):
        raise ModelError(f"{name} is not a .keras file (those are zip archives saved by model.save).", "not_keras")
    try:
        with zipfile.ZipFile(source) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if "config.json" not in members or "model.weights.h5" not in members:
                raise ModelError(
                    f"{name} has no model inside (config.json and model.weights.h5 are missing).", "no_model"
                )
            if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
                raise ModelError(f"{name} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB.", "too_large")
            if members["config.json"].file_size > 1024 * 1024:
                raise ModelError(f"{name} has an oversized description (config.json).", "too_large")
            config_data = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, OSError, ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ModelError):
            raise
        raise ModelError(f"{name} is damaged ({type(error).__name__}).", "damaged") from error
    if not isinstance(config_data, dict) or config_data.get("class_name") != "Sequential":
        raise ModelError(
            "Only keras.Sequential models (a plain stack of layers, like the chapter's) can be used here.",
            "not_sequential",
        )
    layer_configs = (config_data.get("config") or {}).get("layers") or []
    if not layer_configs or len(layer_configs) > MAX_LAYERS:
        raise ModelError(f"The model must have between 1 and {MAX_LAYERS} layers.", "layer_count", most=MAX_LAYERS)
    return _count_parameters(layer_configs)


def _count_parameters(layer_configs: list) -> int:
    """Follow the shapes through a Sequential's layer configs; return the parameter count."""
    shape: tuple[int, ...] | None = None
    parameters = 0
    for layer in layer_configs:
        kind = layer.get("class_name") if isinstance(layer, dict) else None
        settings = layer.get("config", {}) if isinstance(layer, dict) else {}
        if kind == "Lambda":
            raise ModelError(
                "The model has a Lambda layer, which runs stored code; it is refused for safety.", "lambda"
            )
        if kind not in KNOWN_LAYERS:
            raise ModelError(f"The model has a {kind} layer, which this app does not accept.", "layer", kind=kind)
        if settings.get("data_format") == "channels_first":
            raise ModelError(
                "The model expects channels first; it must take 28x28x1 images (channels last).", "bad_input"
            )
        try:
            if kind == "InputLayer":
                shape = tuple(int(size) for size in settings["batch_shape"][1:])
                if shape != config.INPUT_SHAPE:
                    raise ModelError(f"The model expects input {shape}; it must take 28x28x1 images.", "bad_input")
                continue
            if shape is None:
                raise ModelError("The model does not declare its input; it must take 28x28x1 images.", "bad_input")
            if kind == "Conv2D":
                height, width, channels = shape
                (kh, kw), (sh, sw) = as_pair(settings["kernel_size"]), as_pair(settings.get("strides", 1))
                padding, filters = settings.get("padding", "valid"), int(settings["filters"])
                parameters += kh * kw * channels * filters + (filters if settings.get("use_bias", True) else 0)
                shape = (_spatial(height, kh, sh, padding), _spatial(width, kw, sw, padding), filters)
            elif kind in ("MaxPooling2D", "AveragePooling2D"):
                height, width, channels = shape
                pool = as_pair(settings.get("pool_size", 2))
                strides = as_pair(settings.get("strides") or pool)
                padding = settings.get("padding", "valid")
                shape = (
                    _spatial(height, pool[0], strides[0], padding),
                    _spatial(width, pool[1], strides[1], padding),
                    channels,
                )
            elif kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
                shape = (shape[-1],)
            elif kind == "Flatten":
                shape = (math.prod(shape),)
            elif kind == "Dense":
                units = int(settings["units"])
                parameters += shape[-1] * units + (units if settings.get("use_bias", True) else 0)
                shape = (*shape[:-1], units)
            elif kind == "BatchNormalization":
                parameters += 4 * shape[-1]
        except (KeyError, TypeError, ValueError, IndexError) as error:
            if isinstance(error, ModelError):
                raise
            raise ModelError(
                f"The model's {kind} layer has settings this app cannot read.", "settings", kind=kind
            ) from error
        if min(shape) < 1:
            raise ModelError(f"The model's {kind} layer shrinks the image to nothing.", "shrinks", kind=kind)
        if math.prod(shape) > MAX_ACTIVATIONS or parameters > MAX_PARAMETERS:
            raise ModelError(
                f"The model is far too large for a classroom laptop (over {MAX_PARAMETERS:,} parameters).",
                "too_many_parameters",
                most=MAX_PARAMETERS,
            )
    if shape != (config.NUM_CLASSES,):
        raise ModelError(f"The model gives output {shape}; it must give 10 class probabilities.", "bad_output")
    return parameters


def check_size(size: int, name: str) -> None:
    """Raise ModelError for a model file far larger than this app's, before anything reads it."""
    if size > MAX_MODEL_BYTES:
        raise ModelError(
            f"{name} is larger than {MAX_MODEL_BYTES // 2**20} MB; this app's models are about 4 MB.",
            "file_too_large",
            megabytes=MAX_MODEL_BYTES // 2**20,
        )


def check_file(path: Path) -> None:
    """Raise ModelError unless `path` is a model file of a sane size."""
    if not path.is_file():
        raise ModelError(f"There is no model file at {path}.")
    check_size(path.stat().st_size, path.name)


def load_model(path: Path | str) -> keras.Model:
    """Load a `.keras` file safely (no code, no pickles) and check that it fits this app."""
    path = Path(path)
    check_file(path)
    if path.suffix != ".keras":
        raise ModelError(f"{path.name} is not a Keras 3 model; save it with model.save('name.keras').", "not_keras")
    check_archive(path)
    import keras

    try:
        # safe_mode refuses Lambda layers and anything else that would run stored code.
        # compile=False: evaluation computes its loss from the probabilities, so a file
        # saved with another optimizer or loss still works here.
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as error:  # Keras raises many types for corrupt or unsafe files.
        message = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise ModelError(f"{path.name} could not be loaded as a safe Keras model: {message}", "not_loadable") from error
    check_model(model)
    return model


def load_model_bytes(data: bytes, name: str = "uploaded.keras") -> keras.Model:
    """Load a model from the bytes of an uploaded `.keras` file (see load_model)."""
    check_size(len(data), name)
    if not name.lower().endswith(".keras"):
        raise ModelError(f"{name} is not a .keras file; save the model with model.save('name.keras').", "not_keras")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uploaded.keras"
        path.write_bytes(data)
        try:
            return load_model(path)
        except ModelError as error:
            raise ModelError(str(error).replace("uploaded.keras", name), error.reason, **error.values) from error


def remove_stale_temporaries(folder: Path, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Delete half-written files that a killed save left in `folder`; return what was removed."""
    removed = []
    now = time.time()
    for leftover in folder.glob(".tmp-*"):
        try:
            if now - leftover.stat().st_mtime > older_than:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue  # Another process removed or replaced it first.
    return removed


def save_model_atomically(model: keras.Model, path: Path | str) -> None:
    """Save to `path` so that readers only ever see the old file or the complete new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
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
