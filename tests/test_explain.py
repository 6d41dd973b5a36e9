"""Looking inside the CNN: filters, feature maps and Grad-CAM of the shipped model, checked on real images."""

import gc
import io
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers
from PIL import Image

from cnn import config, explain, model_files, plots
from cnn.predict import predict_probabilities

# A pixel belongs to the garment when it is brighter than this (images are in [0, 1]).
GARMENT_THRESHOLD = 0.1
TOPS = [config.CLASS_NAMES_EN.index(name) for name in ("T-shirt/top", "Pullover", "Coat", "Shirt")]
SHOES = [config.CLASS_NAMES_EN.index(name) for name in ("Sandal", "Sneaker")]


@pytest.fixture(scope="module")
def shipped():
    return model_files.load_model(config.SHIPPED_MODEL_PATH)


@pytest.fixture(scope="module")
def val_images(dataset):
    return dataset.val.head(16).scaled()


@pytest.fixture(scope="module")
def test_heatmaps(shipped, dataset):
    """Grad-CAM for the first 500 test images, with each image's share of heatmap mass on the garment."""
    images = dataset.test.head(500).scaled()
    heatmaps = explain.grad_cams(shipped, images)
    garment = images[..., 0] > GARMENT_THRESHOLD
    total = heatmaps.sum(axis=(1, 2))
    on_garment = (heatmaps * garment).sum(axis=(1, 2)) / np.maximum(total, 1e-12)
    return {
        "labels": dataset.test.labels[:500],
        "empty": total == 0,
        "mass_on_garment": on_garment,
        "garment_area": garment.mean(axis=(1, 2)),
    }


def keras_io_grad_cam(model, images, class_indices):
    """Grad-CAM as the keras.io example computes it: a functional copy of the model without its softmax."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.layers[-1].activation = None
    inputs = keras.Input(config.INPUT_SHAPE)
    x = inputs
    for layer in copy.layers:
        x = layer(x)
        if layer is copy.layers[2]:  # the second (last) Conv2D
            last_conv = x
    graph = keras.Model(inputs, [last_conv, x])
    with tf.GradientTape() as tape:
        maps, logits = graph(images)
        score = tf.reduce_sum(tf.gather(logits, class_indices, axis=1, batch_dims=1))
    gradients = tape.gradient(score, maps)
    weights = tf.reduce_mean(gradients, axis=(1, 2))
    cam = tf.nn.relu(tf.einsum("nhwk,nk->nhw", maps, weights))[..., None]
    cam = tf.image.resize(cam, (28, 28), method="bilinear").numpy()[..., 0]
    return cam / np.maximum(cam.max(axis=(1, 2), keepdims=True), 1e-8)


def test_the_first_layer_has_32_filters_of_3_by_3(shipped):
    filters = explain.first_layer_filters(shipped)
    assert filters.shape == (3, 3, 1, 32) and filters.dtype == np.float32


def test_the_untrained_model_is_the_same_every_time_and_depends_on_its_seed():
    first, again = explain.untrained_model(), explain.untrained_model(explain.UNTRAINED_SEED)
    other = explain.untrained_model(seed=7)
    for a, b in zip(first.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(explain.first_layer_filters(first), explain.first_layer_filters(other))
    np.testing.assert_array_equal(explain.untrained_filters(), explain.first_layer_filters(first))


def test_training_changed_the_filters_and_spread_their_weights(shipped):
    trained, untrained = explain.first_layer_filters(shipped), explain.untrained_filters()
    assert trained.shape == untrained.shape == (3, 3, 1, 32)
    assert not np.allclose(trained, untrained, atol=0.05)
    # Measured: standard deviation 0.22 after training, 0.08 before (Glorot uniform within ±0.14).
    assert trained.std() > 2 * untrained.std()
    assert np.abs(untrained).max() <= np.sqrt(6 / (9 + 9 * 32))


def test_the_cached_untrained_filters_cannot_be_changed_by_accident():
    with pytest.raises(ValueError):
        explain.untrained_filters()[0, 0, 0, 0] = 1.0


def test_feature_maps_are_the_conv_layers_outputs_for_one_image(shipped, val_images):
    conv1, conv2 = explain.feature_maps(shipped, val_images[3])
    assert conv1.shape == (28, 28, 32) and conv2.shape == (14, 14, 64)
    assert conv1.min() >= 0 and conv2.min() >= 0  # both layers end in ReLU
    expected1 = shipped.layers[0](val_images[3:4])
    expected2 = shipped.layers[2](shipped.layers[1](expected1))
    np.testing.assert_allclose(conv1, np.asarray(expected1)[0], atol=1e-5)
    np.testing.assert_allclose(conv2, np.asarray(expected2)[0], atol=1e-5)


def test_explain_gives_the_models_own_probabilities_and_explains_the_top_class(shipped, val_images):
    inside = explain.explain(shipped, val_images[0])
    np.testing.assert_allclose(inside.probabilities, predict_probabilities(shipped, val_images[:1])[0], atol=1e-6)
    assert inside.class_index == inside.predicted_index == int(np.argmax(inside.probabilities))
    assert inside.layer_names == ("conv2d", "conv2d_1")
    assert [maps.shape for maps in inside.feature_maps] == [(28, 28, 32), (14, 14, 64)]


def test_grad_cam_is_a_28_by_28_map_in_0_to_1(shipped, val_images):
    heatmap = explain.grad_cam(shipped, val_images[0])
    assert heatmap.shape == (28, 28) and heatmap.dtype == np.float32
    assert heatmap.min() >= 0.0 and heatmap.max() == pytest.approx(1.0)


def test_grad_cam_matches_the_keras_io_recipe(shipped, val_images):
    top = np.argmax(predict_probabilities(shipped, val_images), axis=1)
    np.testing.assert_allclose(
        explain.grad_cams(shipped, val_images), keras_io_grad_cam(shipped, val_images, top), atol=1e-5
    )
    chosen = np.full(len(val_images), 3)
    np.testing.assert_allclose(
        explain.grad_cams(shipped, val_images, chosen), keras_io_grad_cam(shipped, val_images, chosen), atol=1e-5
    )


def test_a_chosen_class_gets_its_own_heatmap_and_the_same_probabilities(shipped, val_images):
    top = explain.explain(shipped, val_images[0])
    other = (top.class_index + 1) % config.NUM_CLASSES
    chosen = explain.explain(shipped, val_images[0], class_index=other)
    assert chosen.class_index == other
    np.testing.assert_array_equal(chosen.probabilities, top.probabilities)
    assert not np.allclose(chosen.heatmap, top.heatmap)


def test_a_batch_gives_the_same_heatmaps_as_one_image_at_a_time(shipped, val_images):
    together = explain.grad_cams(shipped, val_images[:5])
    for index in range(5):
        np.testing.assert_allclose(together[index], explain.grad_cam(shipped, val_images[index]), atol=1e-5)


def test_for_shirts_pullovers_and_coats_most_of_the_heatmap_lies_on_the_garment(test_heatmaps):
    # Measured on twenty blocks of 500 test images, for the shipped model and an earlier
    # training of the same recipe: 77-84% of the mass on garment pixels, which cover
    # 57-58% of the image, and 86-95% of images with more than half their mass there.
    chosen = np.isin(test_heatmaps["labels"], TOPS) & ~test_heatmaps["empty"]
    on_garment = test_heatmaps["mass_on_garment"][chosen]
    assert chosen.sum() > 150
    assert on_garment.mean() > 0.65
    assert on_garment.mean() > test_heatmaps["garment_area"][chosen].mean() + 0.1
    assert (on_garment > 0.5).mean() > 0.75


def test_for_sandals_and_sneakers_the_model_looks_beside_the_shoe(test_heatmaps):
    # The model tells footwear by the empty space around it: measured 7-21% of the mass
    # on the shoe's pixels (same blocks and models), which cover 25-28% of the image,
    # so less than an even spread would put there.
    chosen = np.isin(test_heatmaps["labels"], SHOES) & ~test_heatmaps["empty"]
    on_shoe = test_heatmaps["mass_on_garment"][chosen]
    assert chosen.sum() > 50
    assert on_shoe.mean() < 0.3
    assert on_shoe.mean() < test_heatmaps["garment_area"][chosen].mean()


def test_few_heatmaps_are_empty(test_heatmaps):
    # Empty means no region raises the top class's score; measured 0-6% of test images.
    assert test_heatmaps["empty"].mean() < 0.12


def test_a_model_changed_in_place_shows_its_new_weights(val_images):
    model = explain.untrained_model()
    assert explain.feature_maps(model, val_images[0])[0].any()
    first = model.layers[0]
    first.kernel.assign(np.zeros(first.kernel.shape, dtype=np.float32))
    first.bias.assign(np.zeros(first.bias.shape, dtype=np.float32))
    assert not explain.feature_maps(model, val_images[0])[0].any()


def test_the_cache_lets_a_dropped_model_go(val_images):
    model = explain.untrained_model()
    explain.explain(model, val_images[0])
    reference = weakref.ref(model)
    del model
    gc.collect()
    assert reference() is None


def test_students_asking_at_once_get_the_same_answers_as_one_at_a_time(shipped, val_images):
    alone = [explain.explain(shipped, image).heatmap for image in val_images[:8]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda image: explain.explain(shipped, image).heatmap, val_images[:8]))
    np.testing.assert_allclose(np.stack(together), np.stack(alone), atol=1e-6)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.full((28, 28, 1), 255.0), r"\[0, 1\]"),
        (np.full((28, 28, 1), np.nan), r"\[0, 1\]"),
        (np.zeros((32, 32, 1)), r"\(28, 28, 1\)"),
        (np.zeros((2, 28, 28, 1)), r"one image"),
    ],
)
def test_a_wrong_image_is_refused_with_a_message(shipped, image, message):
    with pytest.raises(explain.ExplainError, match=message):
        explain.explain(shipped, image)


@pytest.mark.parametrize("class_index", [10, -1, 2.5])
def test_a_wrong_class_index_is_refused(shipped, val_images, class_index):
    with pytest.raises(explain.ExplainError, match=r"0 to 9|whole number"):
        explain.grad_cam(shipped, val_images[0], class_index)


def test_a_model_without_convolutions_is_refused(val_images):
    dense_only = keras.Sequential(
        [keras.Input(config.INPUT_SHAPE), layers.Flatten(), layers.Dense(config.NUM_CLASSES, activation="softmax")]
    )
    with pytest.raises(explain.ExplainError, match="no Conv2D"):
        explain.explain(dense_only, val_images[0])
    with pytest.raises(explain.ExplainError, match="no Conv2D"):
        explain.first_layer_filters(dense_only)
    assert issubclass(explain.ExplainError, ValueError)


def render(figure):
    """Render and fail on any glyph the font lacks (matplotlib warns and draws a box)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        data = plots.to_png(figure)
    return Image.open(io.BytesIO(data))


def test_a_mosaic_tiles_maps_row_by_row_with_blank_gaps():
    maps = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    tiled = plots.mosaic(maps, columns=2, gap=1)
    assert tiled.shape == (5, 5)
    np.testing.assert_array_equal(tiled[0:2, 0:2], maps[:, :, 0])
    np.testing.assert_array_equal(tiled[0:2, 3:5], maps[:, :, 1])
    np.testing.assert_array_equal(tiled[3:5, 0:2], maps[:, :, 2])
    assert np.isnan(tiled[2]).all() and np.isnan(tiled[:, 2]).all() and np.isnan(tiled[3:5, 3:5]).all()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_filters_figure_sets_trained_beside_untrained_filters(shipped, language):
    text = plots.INSIDE_LABELS[language]
    figure = plots.filters_figure(explain.first_layer_filters(shipped), explain.untrained_filters(), language)
    grids = [axes for axes in figure.axes if axes.images and axes.get_title()]
    assert [axes.get_title().splitlines()[0] for axes in grids] == [text["trained"], text["untrained"]]
    assert all(axes.images[0].get_array().shape == (15, 31) for axes in grids)  # 4 x 8 filters of 3 x 3
    histograms = [axes for axes in figure.axes if axes.get_xlabel() == text["weight"]]
    assert len(histograms) == 2 and histograms[0].get_xlim() == histograms[1].get_xlim()
    assert sum(patch.get_height() for patch in histograms[0].patches) == 3 * 3 * 32
    assert render(figure).size[0] > 600


@pytest.mark.parametrize("language", ["en", "ko"])
def test_feature_map_figures_show_every_map_of_both_layers_in_one_image(shipped, val_images, language):
    inside = explain.explain(shipped, val_images[0])
    for number, maps, shape in (
        (1, inside.feature_maps[0], (4 * 29 - 1, 8 * 29 - 1)),
        (2, inside.feature_maps[1], (119, 119)),
    ):
        figure = plots.feature_maps_figure(maps, number, language)
        (axes,) = figure.axes
        assert len(axes.images) == 1 and axes.images[0].get_array().shape == shape
        assert str(maps.shape[2]) in axes.get_title()
        render(figure)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_grad_cam_figure_names_the_class_it_explains(shipped, val_images, language):
    inside = explain.explain(shipped, val_images[0])
    probability = float(inside.probabilities[inside.class_index])
    figure = plots.grad_cam_figure(val_images[0], inside.heatmap, inside.class_index, probability, language)
    overlay = figure.axes[1]
    assert config.class_names(language)[inside.class_index] in overlay.get_title()
    np.testing.assert_array_equal(overlay.images[1].get_array(), inside.heatmap)
    assert render(figure).size[0] > 500


def test_an_empty_heatmap_is_said_in_words_not_left_blank():
    figure = plots.grad_cam_figure(np.zeros((28, 28, 1)), np.zeros((28, 28)), 4, language="ko")
    assert figure.axes[1].get_xlabel() == plots.INSIDE_LABELS["ko"]["nothing"]
    render(figure)
