import io
import warnings

import numpy as np
import pytest
from PIL import Image

from cnn import plots

HISTORY = {
    "loss": [0.5, 0.35, 0.3],
    "val_loss": [0.33, 0.28, 0.29],
    "accuracy": [0.8, 0.87, 0.9],
    "val_accuracy": [0.88, 0.9, 0.9],
}


def render(figure):
    """Render and fail on any glyph the font lacks (matplotlib warns and draws a box)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        data = plots.to_png(figure)
    return Image.open(io.BytesIO(data))


def test_a_korean_font_is_found():
    assert plots.korean_font() is not None
    assert plots.usable_language("ko") == "ko"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_history_figure_is_the_chapters_plot(language):
    figure = plots.history_figure(HISTORY, "loss", language, best_epoch=2, stopped_early=True, epochs=20)
    axes = figure.axes[0]
    assert axes.get_xlabel() == plots.LABELS[language]["epoch"]
    assert axes.get_ylabel() == plots.LABELS[language]["loss"]
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend[:2] == [plots.LABELS[language]["train"], plots.LABELS[language]["val"]]
    np.testing.assert_array_equal(axes.lines[0].get_xdata(), [1, 2, 3])  # epochs counted from 1
    assert axes.get_xlim()[1] == pytest.approx(20.5)
    assert render(figure).size[0] > 300


def test_accuracy_figure_has_accuracy_on_the_y_axis():
    figure = plots.history_figure(HISTORY, "accuracy", "ko", running=(3.5, 0.91))
    assert figure.axes[0].get_ylabel() == "정확도"
    render(figure)


def test_probability_bars_are_labelled_with_class_names_not_numbers():
    probabilities = np.full(10, 0.02)
    probabilities[1] = 0.82
    figure = plots.probability_bars(probabilities, "ko")
    labels = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    assert labels[1] == "바지" and len(labels) == 10
    heights = [bar.get_height() for bar in figure.axes[0].patches]
    np.testing.assert_allclose(heights, probabilities)
    render(figure)


def test_image_grid_and_single_image_use_gray_r():
    images = np.random.default_rng(0).random((12, 28, 28, 1))
    grid = plots.image_grid(images, [f"{i}" for i in range(12)], columns=5, language="ko")
    assert sum(1 for a in grid.axes if a.images) == 12
    assert grid.axes[0].images[0].get_cmap().name == "gray_r"
    render(grid)
    single = plots.single_image(images[0], "가방")
    assert single.axes[0].images[0].get_cmap().name == "gray_r"


def test_confusion_figure_writes_every_count():
    matrix = np.arange(100).reshape(10, 10)
    figure = plots.confusion_figure(matrix, "ko")
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert {"0", "55", "99"} <= texts
    render(figure)


def test_every_app_figure_has_a_title_and_text_of_at_least_the_projector_size():
    """The sizes the app's figures are drawn with; ui/*_view.py shows each near its pixel width."""
    maps = np.random.default_rng(0).random((28, 28, 32))
    figures = {
        "history": plots.history_figure(HISTORY, "loss", "ko", best_epoch=2),
        "bars": plots.probability_bars(np.full(10, 0.1), "ko"),
        "confusion": plots.confusion_figure(np.arange(100).reshape(10, 10), "ko"),
        "maps": plots.feature_maps_figure(maps, 1, "ko"),
        "gradcam": plots.grad_cam_figure(maps[:, :, 0], maps[:, :, 1], 3, 0.5, "ko"),
    }
    for name, figure in figures.items():
        titles = [axes.get_title() for axes in figure.axes] + [figure._suptitle.get_text() if figure._suptitle else ""]
        assert any(titles), name
        for axes in figure.axes:
            for text in [axes.title, axes.xaxis.label, axes.yaxis.label, *axes.get_xticklabels()]:
                if text.get_text():
                    assert text.get_fontsize() >= plots.FONT_SIZE - 1, (name, text.get_text(), text.get_fontsize())
        render(figure)


def test_korean_feature_maps_say_first_layer_in_words():
    maps = np.random.default_rng(0).random((28, 28, 32))
    assert plots.feature_maps_figure(maps, 1, "ko").axes[0].get_title().startswith("첫 번째 합성곱 층")
    assert plots.feature_maps_figure(maps, 2, "en").axes[0].get_title().startswith("conv layer 2")
