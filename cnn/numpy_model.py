"""A saved model's forward pass in NumPy, so the app can predict without importing TensorFlow.

Importing TensorFlow costs the server about 3 s of start-up and 480 MB of shared
libraries, yet drawing, uploading a photo and browsing images only ever run the
network forwards. A `NumpyModel` reads a `.keras` file's config.json and
model.weights.h5 (with h5py; no Keras, nothing executed, nothing unpickled) and
computes the same probabilities as Keras to float32 round-off: about 0.2 ms for one
image, about 1 s for the 12,000 validation images on two cores.

It runs the layers that `cnn.model_files.check_archive` accepts. TensorFlow is still
imported where it is truly needed (training, Grad-CAM, the architecture graph, the
safe-mode check of an uploaded model), and only then.
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
import zipfile
from pathlib import Path

import numpy as np

from cnn import config
from cnn.model_files import ModelError, as_pair, check_archive, check_file, check_size


def single_threaded_blas() -> None:
    """Make NumPy's BLAS use one thread in this process, for a server predicting one image per request.

    Many requests at once each run tiny matrix products; BLAS threads of their own then only fight
    the requests' threads for the cores (bench/README.md#thirty-students-sending-to-the-gallery).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


# Images go through the network this many at a time: im2col copies of larger batches
# outgrow the CPU's caches and run slower, smaller ones pay Python's overhead per layer.
BATCH_SIZE = 32

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0, out=x),
    "relu6": lambda x: np.clip(x, 0, 6, out=x),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "softplus": lambda x: np.logaddexp(x, 0),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "silu": lambda x: x / (1 + np.exp(-x)),
    "swish": lambda x: x / (1 + np.exp(-x)),
    "softmax": lambda x: _softmax(x),
}


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _activation(name) -> callable:
    if name is None:
        return ACTIVATIONS["linear"]
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ModelError(f"The activation {name!r} cannot run here without TensorFlow.")
    return ACTIVATIONS[name]


def _same_padding(size: int, window: int, stride: int) -> tuple[int, int]:
    # TensorFlow's "same": the output has ceil(size / stride) positions and any odd
    # padding goes after the image, not before it.
    total = max((math.ceil(size / stride) - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def _windows(x: np.ndarray, window: tuple[int, int], strides: tuple[int, int]) -> list[np.ndarray]:
    """Return one strided view of `x` per position in the window (each the size of the output)."""
    (kh, kw), (sh, sw) = window, strides
    out_h, out_w = (x.shape[1] - kh) // sh + 1, (x.shape[2] - kw) // sw + 1
    return [
        x[:, i : i + sh * (out_h - 1) + 1 : sh, j : j + sw * (out_w - 1) + 1 : sw, :]
        for i in range(kh)
        for j in range(kw)
    ]


def _pad(x: np.ndarray, window, strides, value: float = 0.0) -> np.ndarray:
    top, bottom = _same_padding(x.shape[1], window[0], strides[0])
    left, right = _same_padding(x.shape[2], window[1], strides[1])
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


class Conv2D:
    def __init__(self, settings: dict, weights: list[np.ndarray]):
        if as_pair(settings.get("dilation_rate", 1)) != (1, 1) or int(settings.get("groups", 1)) != 1:
            raise ModelError("Dilated or grouped convolutions cannot run here without TensorFlow.")
        self.kernel = weights[0]
        self.bias = weights[1] if settings.get("use_bias", True) else None
        self.strides = as_pair(settings.get("strides", 1))
        self.padding = settings.get("padding", "valid")
        self.activation = settings.get("activation")
        self.apply_activation = _activation(self.activation)

    def linear(self, x: np.ndarray) -> np.ndarray:
        """Return the convolution before bias and activation (im2col, then one matrix product)."""
        kh, kw, channels, filters = self.kernel.shape
        if self.padding == "same":
            x = _pad(x, (kh, kw), self.strides)
        views = _windows(x, (kh, kw), self.strides)
        columns = np.concatenate(views, axis=-1) if len(views) > 1 else np.ascontiguousarray(views[0])
        n, height, width, _ = columns.shape
        product = columns.reshape(-1, kh * kw * channels) @ self.kernel.reshape(-1, filters)
        return product.reshape(n, height, width, filters)

    def finish(self, x: np.ndarray) -> np.ndarray:
        if self.bias is not None:
            x += self.bias
        return self.apply_activation(x)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.finish(self.linear(x))


class Pooling2D:
    def __init__(self, settings: dict, weights: list[np.ndarray], kind: str):
        self.window = as_pair(settings.get("pool_size", 2))
        self.strides = as_pair(settings.get("strides") or self.window)
        self.padding = settings.get("padding", "valid")
        self.kind = kind

    def _views(self, x: np.ndarray, fill: float = 0.0) -> list[np.ndarray]:
        if self.padding == "same":
            x = _pad(x, self.window, self.strides, value=fill)
        return _windows(x, self.window, self.strides)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.kind == "max":
            return functools.reduce(np.maximum, self._views(x, fill=-np.inf))
        # TensorFlow averages over the real pixels only, so "same" padding is counted out.
        counts = sum(self._views(np.ones_like(x[:1, ..., :1])))
        return sum(self._views(x)) / counts


class Dense:
    def __init__(self, settings: dict, weights: list[np.ndarray]):
        self.kernel = weights[0]
        self.bias = weights[1] if settings.get("use_bias", True) else None
        self.apply_activation = _activation(settings.get("activation"))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = x @ self.kernel
        if self.bias is not None:
            x += self.bias
        return self.apply_activation(x)


class BatchNormalization:
    def __init__(self, settings: dict, weights: list[np.ndarray]):
        if settings.get("axis", -1) not in (-1, 3, [-1], [3]):
            raise ModelError("Batch normalisation over an axis other than the channels cannot run here.")
        weights = list(weights)
        gamma = weights.pop(0) if settings.get("scale", True) else 1.0
        beta = weights.pop(0) if settings.get("center", True) else 0.0
        mean, variance = weights
        # Inference folds the four vectors into one scale and one shift.
        self.scale = (gamma / np.sqrt(variance + float(settings.get("epsilon", 1e-3)))).astype(np.float32)
        self.shift = (beta - mean * self.scale).astype(np.float32)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x * self.scale + self.shift


class ReLU:
    def __init__(self, settings: dict, weights: list[np.ndarray]):
        self.max_value = settings.get("max_value")
        self.slope = float(settings.get("negative_slope", 0.0))
        self.threshold = float(settings.get("threshold", 0.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.where(x >= self.threshold, x, self.slope * (x - self.threshold))
        return x if self.max_value is None else np.minimum(x, float(self.max_value))


class Rescaling:
    def __init__(self, settings: dict, weights: list[np.ndarray]):
        self.scale = np.float32(settings.get("scale", 1.0))
        self.offset = np.float32(settings.get("offset", 0.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x * self.scale + self.offset


def _global(settings: dict, reduce) -> callable:
    keep = bool(settings.get("keepdims", False))
    return lambda x: reduce(x, axis=(1, 2), keepdims=keep)


def _check_weights(kind: str, settings: dict, weights: list[np.ndarray]) -> None:
    """Raise ModelError unless the stored kernel and bias have the shapes the layer's settings describe."""
    size = settings.get("filters") if kind == "Conv2D" else settings.get("units")
    expected = 2 if settings.get("use_bias", True) else 1
    if len(weights) != expected or weights[0].shape[-1] != size or (expected == 2 and weights[1].shape != (size,)):
        raise ModelError(f"The model's {kind} layer holds weights that do not fit its settings.")


def _build(kind: str, settings: dict, weights: list[np.ndarray]):
    if kind in ("Conv2D", "Dense"):
        _check_weights(kind, settings, weights)
    if settings.get("data_format", "channels_last") != "channels_last":
        raise ModelError("The model expects channels first; it must take 28x28x1 images (channels last).")
    if kind == "Conv2D":
        return Conv2D(settings, weights)
    if kind == "MaxPooling2D":
        return Pooling2D(settings, weights, "max")
    if kind == "AveragePooling2D":
        return Pooling2D(settings, weights, "average")
    if kind == "Dense":
        return Dense(settings, weights)
    if kind == "BatchNormalization":
        return BatchNormalization(settings, weights)
    if kind == "ReLU":
        return ReLU(settings, weights)
    if kind == "Rescaling":
        return Rescaling(settings, weights)
    if kind == "Activation":
        return _activation(settings.get("activation"))
    if kind == "Flatten":
        return lambda x: x.reshape(len(x), -1)
    if kind == "GlobalAveragePooling2D":
        return _global(settings, np.mean)
    if kind == "GlobalMaxPooling2D":
        return _global(settings, np.max)
    if kind in ("Dropout", "SpatialDropout2D"):
        return None  # Dropout only acts while training.
    raise ModelError(f"The model has a {kind} layer, which cannot run here without TensorFlow.")


class NumpyModel:
    """A Sequential model's forward pass; `predict_on_batch` and `count_params` work as in Keras."""

    def __init__(self, layers: list, parameters: int):
        self.layers = layers
        self.parameters = parameters

    def count_params(self) -> int:
        return self.parameters

    def _forward(self, x: np.ndarray) -> np.ndarray:
        layers, index = self.layers, 0
        while index < len(layers):
            layer = layers[index]
            following = layers[index + 1] if index + 1 < len(layers) else None
            if (
                isinstance(layer, Conv2D)
                and isinstance(following, Pooling2D)
                and following.kind == "max"
                and following.padding == "valid"
                and layer.activation in (None, "linear", "relu")
            ):
                # Max-pooling commutes with adding a per-channel bias and with ReLU (both
                # never reorder values), so pooling first does that work on a quarter of
                # the numbers: the same result, a third faster for the chapter's model.
                x = layer.finish(following(layer.linear(x)))
                index += 2
                continue
            x = layer(x)
            index += 1
        return x

    def predict_on_batch(self, images: np.ndarray) -> np.ndarray:
        """Return (n, 10) float32 probabilities for (n, 28, 28, 1) images."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, *config.INPUT_SHAPE)
        if len(images) == 0:
            return np.zeros((0, config.NUM_CLASSES), dtype=np.float32)
        chunks = [self._forward(images[i : i + BATCH_SIZE]) for i in range(0, len(images), BATCH_SIZE)]
        return np.concatenate(chunks).astype(np.float32, copy=False)


def _weight_paths(class_names: list[str]) -> list[str]:
    """Return where Keras 3 stores each layer's weights in model.weights.h5.

    Not under the layer's name (names are generated and vary between runs) but under
    its class in snake case, numbered per class: layers/conv2d, layers/conv2d_1, ...
    (keras.src.saving.saving_lib._save_container_state).
    """
    used: dict[str, int] = {}
    paths = []
    for class_name in class_names:
        snake = re.sub(r"\W+", "", class_name)
        snake = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", snake)
        snake = re.sub("([a-z])([A-Z])", r"\1_\2", snake).lower()
        used[snake] = used.get(snake, -1) + 1
        paths.append(f"layers/{snake}" if used[snake] == 0 else f"layers/{snake}_{used[snake]}")
    return paths


def _read_weights(store, path: str) -> list[np.ndarray]:
    group = store.get(f"{path}/vars")
    if group is None:
        return []
    return [np.asarray(group[str(i)], dtype=np.float32) for i in range(len(group))]


def load_bytes(data: bytes, name: str = "model.keras") -> NumpyModel:
    """Return the NumpyModel of a `.keras` file's bytes (raises ModelError as cnn.model_files.load_model does)."""
    check_size(len(data), name)
    archive_file = io.BytesIO(data)
    parameters = check_archive(archive_file, name)
    try:
        with zipfile.ZipFile(archive_file) as archive:
            model_config = json.loads(archive.read("config.json"))
            weights_file = archive.read("model.weights.h5")
        import h5py

        described = [layer for layer in model_config["config"]["layers"] if layer["class_name"] != "InputLayer"]
        layers = []
        with h5py.File(io.BytesIO(weights_file), "r") as store:
            for layer, path in zip(described, _weight_paths([layer["class_name"] for layer in described]), strict=True):
                built = _build(layer["class_name"], layer.get("config", {}), _read_weights(store, path))
                if built is not None:
                    layers.append(built)
    except ModelError:
        raise
    except Exception as error:  # h5py and the config raise many types for damaged files.
        raise ModelError(f"{name} is damaged ({type(error).__name__}).", "damaged") from error
    model = NumpyModel(layers, parameters)
    try:
        probabilities = model.predict_on_batch(np.zeros((1, *config.INPUT_SHAPE), dtype=np.float32))
    except (ValueError, IndexError, TypeError) as error:  # Weights that do not fit the layers.
        raise ModelError(f"{name} holds weights that do not fit its layers.", "damaged") from error
    if probabilities.shape != (1, config.NUM_CLASSES):
        raise ModelError(
            f"{name} gives output {probabilities.shape[1:]}; it must give 10 class probabilities.", "bad_output"
        )
    return model


def load(path: Path | str) -> NumpyModel:
    """Return the NumpyModel of a `.keras` file (raises cnn.model_files.ModelError)."""
    path = Path(path)
    check_file(path)
    return load_bytes(path.read_bytes(), path.name)
