"""Looking inside the CNN: first-layer filters, the feature maps of every convolution layer, and Grad-CAM.

One call gives everything for an image the class is looking at:

    inside = explain(model, image)            # image: (28, 28, 1) float32 in [0, 1]
    inside.feature_maps[0].shape              # (28, 28, 32) after the first Conv2D
    inside.feature_maps[1].shape              # (14, 14, 64) after the second
    inside.heatmap.shape                      # (28, 28) in [0, 1], for inside.class_index

Grad-CAM (Selvaraju et al. 2017) weighs each map of the last convolution layer by how
much it raises the class score (the logit before softmax), keeps the positive sum and
scales it up to the input's size.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import weakref

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from cnn import config, model_files
from cnn import model as cnn_model

# The untrained model the trained filters are compared with; fixed so every
# class, and every rerun of the app, sees the same "before" picture.
UNTRAINED_SEED = 42
# Grad-CAM over many images runs in chunks of this size to bound memory
# (the maps of 256 images take about 40 MB).
BATCH_SIZE = 256
# A class-activation map whose largest value is below this is treated as empty
# (no part of the image raises the score) rather than scaled up from noise.
EMPTY_HEATMAP = 1e-8


class ExplainError(ValueError):
    """The model or image cannot be looked inside; the message says what to change."""


@dataclasses.dataclass(frozen=True)
class Inside:
    """What the model computes for one image, as plain numpy arrays."""

    probabilities: np.ndarray  # (10,) float32, summing to 1
    class_index: int  # the class the heatmap explains (the top class unless another was asked for)
    feature_maps: tuple[np.ndarray, ...]  # one (height, width, filters) float32 per Conv2D layer, >= 0 after ReLU
    layer_names: tuple[str, ...]  # the Conv2D layers' names, in the same order
    heatmap: np.ndarray  # (28, 28) float32 in [0, 1]: where the evidence for class_index lies

    @property
    def predicted_index(self) -> int:
        """Return the most likely class."""
        return int(np.argmax(self.probabilities))

    @property
    def heatmap_is_empty(self) -> bool:
        """Return True when no region raises the class score, so the heatmap is all zeros."""
        return not self.heatmap.any()


def conv_layers(model: keras.Model) -> list[layers.Conv2D]:
    """Return the model's Conv2D layers in order."""
    return [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]


def first_layer_filters(model: keras.Model) -> np.ndarray:
    """Return a copy of the first Conv2D layer's kernel: (3, 3, 1, 32) float32 for the chapter's model."""
    convolutions = conv_layers(model)
    if not convolutions:
        raise ExplainError("The model has no Conv2D layer, so it has no filters to show.")
    return np.array(convolutions[0].kernel.numpy(), dtype=np.float32)


def untrained_model(seed: int = UNTRAINED_SEED) -> keras.Sequential:
    """Return the chapter's model before training, with weights that depend only on `seed`.

    Each layer's own initializer is re-run with a fixed seed instead of calling
    keras.utils.set_random_seed, which would reset the global random state that
    other students' sessions (a training run, a random sample) are using.
    """
    model = cnn_model.build_model()
    for index, layer in enumerate(model.layers):
        if getattr(layer, "kernel_initializer", None) is not None and hasattr(layer, "kernel"):
            initializer = _seeded(layer.kernel_initializer, seed + index)
            layer.kernel.assign(initializer(layer.kernel.shape, dtype=layer.kernel.dtype))
        if getattr(layer, "bias_initializer", None) is not None and getattr(layer, "bias", None) is not None:
            initializer = _seeded(layer.bias_initializer, seed + index)
            layer.bias.assign(initializer(layer.bias.shape, dtype=layer.bias.dtype))
    return model


@functools.cache
def untrained_filters(seed: int = UNTRAINED_SEED) -> np.ndarray:
    """Return the untrained model's first-layer kernel (3, 3, 1, 32), built once per seed and read-only."""
    filters = first_layer_filters(untrained_model(seed))
    filters.flags.writeable = False
    return filters


def _seeded(initializer: keras.initializers.Initializer, seed: int) -> keras.initializers.Initializer:
    settings = initializer.get_config()
    if "seed" in settings:
        settings["seed"] = seed
    return type(initializer).from_config(settings)


def feature_maps(model: keras.Model, image: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the output of every Conv2D layer for one image: (28, 28, 32) and (14, 14, 64) for the chapter."""
    return explain(model, image).feature_maps


def grad_cam(model: keras.Model, image: np.ndarray, class_index: int | None = None) -> np.ndarray:
    """Return the (28, 28) Grad-CAM heatmap in [0, 1] for `class_index` (default: the top class)."""
    return explain(model, image, class_index).heatmap


def grad_cams(model: keras.Model, images: np.ndarray, class_indices=None) -> np.ndarray:
    """Return (n, 28, 28) Grad-CAM heatmaps in [0, 1] for many images (default: each image's top class)."""
    images = _as_images(images)
    classes = _as_classes(class_indices, len(images))
    inspector = _inspector(model)
    heatmaps = [
        inspector.run(images[start : start + BATCH_SIZE], classes[start : start + BATCH_SIZE])[2]
        for start in range(0, len(images), BATCH_SIZE)
    ]
    if not heatmaps:
        return np.zeros((0, config.IMAGE_SIZE, config.IMAGE_SIZE), dtype=np.float32)
    return np.concatenate([np.asarray(chunk) for chunk in heatmaps])


def explain(model: keras.Model, image: np.ndarray, class_index: int | None = None) -> Inside:
    """Return probabilities, every Conv2D layer's feature maps and the Grad-CAM heatmap for one image, in one pass."""
    images = _as_images(image, single=True)
    inspector = _inspector(model)
    maps, probabilities, heatmaps, classes = inspector.run(images, _as_classes(class_index, 1))
    return Inside(
        probabilities=np.asarray(probabilities)[0],
        class_index=int(np.asarray(classes)[0]),
        feature_maps=tuple(np.asarray(layer_maps)[0] for layer_maps in maps),
        layer_names=inspector.layer_names,
        heatmap=np.asarray(heatmaps)[0],
    )


def _as_images(images, single: bool = False) -> np.ndarray:
    # Returns (n, 28, 28, 1) float32 in [0, 1], the dataset's white garment on black.
    array = np.asarray(images, dtype=np.float32)
    size = config.IMAGE_SIZE
    if single:
        if array.shape not in ((size, size), config.INPUT_SHAPE):
            raise ExplainError(f"Expected one image of shape (28, 28, 1) or (28, 28), got {array.shape}.")
    elif array.ndim not in (3, 4) or array.shape[1:3] != (size, size) or (array.ndim == 4 and array.shape[3] != 1):
        raise ExplainError(f"Expected images of shape (n, 28, 28, 1) or (n, 28, 28), got {array.shape}.")
    array = array.reshape(-1, *config.INPUT_SHAPE)
    if array.size and (not np.isfinite(array).all() or array.min() < 0.0 or array.max() > 1.0):
        raise ExplainError(
            "Image values must lie in [0, 1] like the dataset's; scale 0-255 pixels with cnn.data.scale "
            "or prepare pictures with cnn.preprocess."
        )
    return array


def _as_classes(class_indices, count: int) -> np.ndarray:
    # -1 asks for each image's top class; the graph picks it after computing the probabilities.
    if class_indices is None:
        return np.full(count, -1, dtype=np.int32)
    classes = np.atleast_1d(np.asarray(class_indices))
    if classes.dtype.kind not in "iu" or classes.ndim != 1:
        raise ExplainError(f"A class index must be a whole number from 0 to 9, got {class_indices!r}.")
    if len(classes) == 1 and count != 1:
        classes = np.repeat(classes, count)
    if len(classes) != count:
        raise ExplainError(f"Got {len(classes)} class indices for {count} images; give one per image or one for all.")
    if classes.size and (classes.min() < 0 or classes.max() >= config.NUM_CLASSES):
        raise ExplainError(f"Class indices must be from 0 to {config.NUM_CLASSES - 1}, got {class_indices!r}.")
    return classes.astype(np.int32)


class _Inspector:
    """One compiled forward-and-backward pass for one model, reused for every image.

    It holds the model's layers but never the model itself, so that the weak cache
    below lets a model go once the app drops it. The graph reads the layers'
    variables when it runs, so a model that trains on shows its current weights.
    """

    def __init__(self, model: keras.Model) -> None:
        if keras.backend.backend() != "tensorflow":
            raise ExplainError(
                f"Grad-CAM here needs the TensorFlow backend; KERAS_BACKEND is {keras.backend.backend()}."
            )
        model_files.check_model(model)
        if not isinstance(model, keras.Sequential):
            raise ExplainError(
                "Only a plain stack of layers (a keras.Sequential model like the chapter's) can be shown."
            )
        self.layers = list(model.layers)
        self.conv_positions = [i for i, layer in enumerate(self.layers) if isinstance(layer, layers.Conv2D)]
        if not self.conv_positions:
            raise ExplainError("The model has no Conv2D layer, so it has no feature maps or Grad-CAM to show.")
        if self.conv_positions[-1] == len(self.layers) - 1:
            raise ExplainError("The last layer is a Conv2D; Grad-CAM needs layers after it that give class scores.")
        self.layer_names = tuple(self.layers[i].name for i in self.conv_positions)
        last = self.layers[-1]
        # Grad-CAM follows the class score before softmax: the softmax output saturates
        # near 1 for a confident prediction and its gradient then says little.
        self.splits_softmax = isinstance(last, layers.Dense) and last.activation is keras.activations.softmax
        size = config.IMAGE_SIZE
        # autograph=False: the loop runs over Python layers at trace time, so there is
        # nothing to convert, and autograph's rewriting of Keras internals is slow and fragile.
        self.run = tf.function(
            self._run,
            autograph=False,
            input_signature=(
                tf.TensorSpec((None, size, size, 1), tf.float32),
                tf.TensorSpec((None,), tf.int32),
            ),
        )

    def _run(self, images, classes):
        last_conv = self.conv_positions[-1]
        maps = []
        with tf.GradientTape() as tape:
            x = images
            for position, layer in enumerate(self.layers[:-1]):
                x = layer(x, training=False)
                if position in self.conv_positions:
                    maps.append(x)
                if position == last_conv:
                    tape.watch(x)
                    target_maps = x
            final = self.layers[-1]
            if self.splits_softmax:
                scores = keras.ops.matmul(x, final.kernel)
                if final.use_bias:
                    scores = scores + final.bias
                probabilities = tf.nn.softmax(scores)
            else:
                probabilities = final(x, training=False)
                scores = probabilities
            chosen = tf.where(classes < 0, tf.argmax(probabilities, axis=1, output_type=tf.int32), classes)
            # Images in a batch do not interact, so the gradient of the sum is each image's own gradient.
            score = tf.reduce_sum(tf.gather(scores, chosen, axis=1, batch_dims=1))
        gradients = tape.gradient(score, target_maps)
        # (n, h, w, k) maps times (n, 1, 1, k) channel weights, summed over k and kept where positive.
        weights = tf.reduce_mean(gradients, axis=(1, 2), keepdims=True)
        cam = tf.nn.relu(tf.reduce_sum(weights * target_maps, axis=-1, keepdims=True))
        cam = tf.image.resize(cam, (config.IMAGE_SIZE, config.IMAGE_SIZE), method="bilinear")[..., 0]
        peak = tf.reduce_max(cam, axis=(1, 2), keepdims=True)
        heatmaps = tf.where(peak > EMPTY_HEATMAP, cam / tf.maximum(peak, EMPTY_HEATMAP), tf.zeros_like(cam))
        return maps, probabilities, tf.clip_by_value(heatmaps, 0.0, 1.0), chosen


# One inspector per live model: building and tracing it costs about a second, a
# call after that a few milliseconds. Keys are weak, so dropped models are freed.
_INSPECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_INSPECTORS_LOCK = threading.Lock()


def _inspector(model: keras.Model) -> _Inspector:
    with _INSPECTORS_LOCK:
        inspector = _INSPECTORS.get(model)
        if inspector is None:
            inspector = _Inspector(model)
            _INSPECTORS[model] = inspector
        return inspector
