"""Matplotlib figures in the chapter's style, with Hangul that renders (no empty boxes).

Every function returns a `matplotlib.figure.Figure` built without pyplot, so figures
can be drawn from several threads (one per student) at once.
"""

from __future__ import annotations

import functools
import glob
import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure

from cnn import config

# Fonts with Hangul, in order of preference: Debian's fonts-nanum, Noto CJK, then
# the ones macOS and Windows ship.
KOREAN_FONTS = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
)
FONT_FILE_PATTERNS = (
    "/usr/share/fonts/truetype/nanum/NanumGothic*.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK*.tt[cf]",
    "/usr/local/share/fonts/**/Nanum*.ttf",
    "/Library/Fonts/AppleGothic.ttf",
    "/System/Library/Fonts/Supplemental/AppleGothic.ttf",
    "C:/Windows/Fonts/malgun.ttf",
)

LABELS = {
    "en": {
        "epoch": "epoch",
        "loss": "loss",
        "accuracy": "accuracy",
        "train": "train",
        "val": "val",
        "class": "class",
        "prob": "prob.",
        "best": "best epoch {epoch}",
        "stopped": "early stop",
        "true": "true class",
        "predicted": "predicted class",
        "running": "current epoch (running)",
        "loss_title": "loss per epoch",
        "accuracy_title": "accuracy per epoch",
        "probability_title": "probability of each class",
        "confusion_title": "confusion matrix",
    },
    "ko": {
        "epoch": "에포크",
        "loss": "손실",
        "accuracy": "정확도",
        "train": "훈련",
        "val": "검증",
        "class": "클래스",
        "prob": "확률",
        "best": "최적 에포크 {epoch}",
        "stopped": "조기 종료",
        "true": "정답 클래스",
        "predicted": "예측 클래스",
        "running": "현재 에포크 (진행 중)",
        "loss_title": "에포크마다 손실",
        "accuracy_title": "에포크마다 정확도",
        "probability_title": "클래스별 확률",
        "confusion_title": "오차 행렬",
    },
}
# Okabe and Ito's colour-blind-safe colours, as in ui/charts.py; validation is also dashed.
TRAIN_COLOR, VAL_COLOR, BEST_COLOR, STOPPED_COLOR = "#0072B2", "#E69F00", "#009E73", "#D55E00"
# Point sizes of the app's figures. The app shows a figure drawn at `dpi` no smaller than about
# FIGURE_SCALE of its pixel width, so text of FONT_SIZE points stands at least 14 CSS pixels tall
# (FONT_SIZE * dpi / 72 * FIGURE_SCALE); tests/test_plots.py checks the sizes set in the figures.
FONT_SIZE, TITLE_SIZE = 12, 13


@functools.cache
def korean_font() -> str | None:
    """Return the name of an installed font with Hangul, registering font files matplotlib missed."""
    known = {font.name for font in font_manager.fontManager.ttflist}
    for name in KOREAN_FONTS:
        if name in known:
            return name
    # matplotlib caches its font list; fonts installed after that cache was built
    # are invisible until added by file.
    for pattern in FONT_FILE_PATTERNS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def usable_language(language: str) -> str:
    """Return `language`, or "en" when Korean was asked for but no Hangul font exists."""
    return language if language != "ko" or korean_font() else "en"


def _configure_fonts() -> None:
    # Set once at import and never changed: rc_context would change global state
    # while other students' threads draw. The Korean fonts hold Latin letters too,
    # so English figures use the same font; DejaVu Sans fills in any missing glyph.
    font = korean_font()
    matplotlib.rcParams["font.family"] = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    matplotlib.rcParams.update(
        {
            "font.size": FONT_SIZE,
            "axes.titlesize": TITLE_SIZE,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE,
            "ytick.labelsize": FONT_SIZE,
            "legend.fontsize": FONT_SIZE,
        }
    )


_configure_fonts()


def new_figure(width: float, height: float) -> Figure:
    """Return an empty figure of the given size in inches."""
    return Figure(figsize=(width, height), layout="constrained")


def to_png(figure: Figure, dpi: int = 110) -> bytes:
    """Render `figure` as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _labels(language: str) -> dict[str, str]:
    return LABELS[usable_language(language)]


def history_figure(
    history: dict[str, list[float]],
    metric: str = "loss",
    language: str = "en",
    best_epoch: int | None = None,
    stopped_early: bool = False,
    running: tuple[float, float] | None = None,
    epochs: int | None = None,
) -> Figure:
    """Return the chapter's plot of `metric` and `val_<metric>` per epoch (epochs counted from 1).

    `running` is (fractional epoch, running value) for the epoch in progress;
    `epochs` fixes the x axis to the planned run so the chart does not jump.
    """
    text = _labels(language)

    figure = new_figure(6.4, 3.6)
    axes = figure.add_subplot()
    train_values = history.get(metric, [])
    val_values = history.get("val_" + metric, [])
    epochs_axis = np.arange(1, len(train_values) + 1)
    axes.plot(epochs_axis, train_values, marker="o", color=TRAIN_COLOR, label=text["train"])
    axes.plot(
        epochs_axis[: len(val_values)],
        val_values,
        marker="s",
        linestyle="--",
        color=VAL_COLOR,
        label=text["val"],
    )
    if running is not None:
        axes.plot(
            [running[0]],
            [running[1]],
            marker="o",
            fillstyle="none",
            color=TRAIN_COLOR,
            label=text["running"],
        )
    if best_epoch:
        axes.axvline(
            best_epoch,
            color=BEST_COLOR,
            linestyle="--",
            label=text["best"].format(epoch=best_epoch),
        )
    if stopped_early and train_values:
        axes.axvline(len(train_values), color=STOPPED_COLOR, linestyle=":", label=text["stopped"])
    axes.set_xlabel(text["epoch"])
    axes.set_ylabel(text[metric])
    last = max(epochs or 0, len(train_values), int(np.ceil(running[0])) if running else 0, 1)
    axes.set_xlim(0.5, last + 0.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if metric == "accuracy":
        axes.set_ylim(top=1.0)
    else:
        axes.set_ylim(bottom=0.0)
    axes.grid(alpha=0.3)
    axes.legend()
    axes.set_title(text[f"{metric}_title"])
    return figure


def image_grid(
    images: np.ndarray,
    titles: list[str] | None = None,
    columns: int = 10,
    title_colors: list[str] | None = None,
    language: str = "en",
    cell: float = 1.1,
) -> Figure:
    """Return a grid of (n, 28, 28[, 1]) images drawn like the chapter (cmap='gray_r')."""

    count = len(images)
    columns = max(1, min(columns, count))
    rows = max(1, int(np.ceil(count / columns)))
    figure = new_figure(cell * columns, (cell + (0.25 if titles else 0)) * rows)
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.ravel()):
        axes.axis("off")
        if index >= count:
            continue
        axes.imshow(np.asarray(images[index]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        if titles:
            color = title_colors[index] if title_colors else "black"
            axes.set_title(titles[index], fontsize=FONT_SIZE - 3, color=color)
    return figure


def single_image(image: np.ndarray, title: str | None = None, language: str = "en", size: float = 3.0) -> Figure:
    """Return one 28x28 image drawn large, like the chapter's plt.imshow(val_scaled[0], cmap='gray_r')."""

    figure = new_figure(size, size)
    axes = figure.add_subplot()
    axes.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    axes.set_xticks([])
    axes.set_yticks([])
    if title:
        axes.set_title(title)
    return figure


def probability_bars(probabilities: np.ndarray, language: str = "en", highlight: int | None = None) -> Figure:
    """Return the chapter's bar chart of the 10 class probabilities, labelled with class names."""
    text = _labels(language)

    names = config.class_names(language)
    probabilities = np.asarray(probabilities, dtype=float)
    top = int(np.argmax(probabilities)) if highlight is None else highlight
    figure = new_figure(6.4, 3.2)
    axes = figure.add_subplot()
    # The top class darkest, the rest light: "highest", not "right", so no green.
    colors = ["#08306b" if i == top else "#9ecae1" for i in range(config.NUM_CLASSES)]
    bars = axes.bar(range(config.NUM_CLASSES), probabilities, color=colors)
    for bar, value in zip(bars, probabilities, strict=True):
        if value >= 0.005:
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                value + 0.02,
                f"{value:.2f}",
                ha="center",
                fontsize=FONT_SIZE - 2,
            )
    axes.set_xticks(range(config.NUM_CLASSES), names, rotation=45, ha="right", rotation_mode="anchor")
    axes.set_ylim(0, 1.1)
    axes.set_xlabel(text["class"])
    axes.set_ylabel(text["prob"], rotation=0, ha="left", va="bottom")
    axes.yaxis.set_label_coords(-0.08, 1.02)
    axes.set_title(text["probability_title"])
    return figure


def confusion_figure(matrix: np.ndarray, language: str = "en") -> Figure:
    """Return a confusion matrix heat map, rows = true class, columns = predicted class."""
    text = _labels(language)

    names = config.class_names(language)
    matrix = np.asarray(matrix)
    figure = new_figure(6.4, 5.6)
    axes = figure.add_subplot()
    shown = axes.imshow(np.log1p(matrix), cmap="Blues")
    del shown
    threshold = np.log1p(matrix).max() * 0.6
    for row in range(matrix.shape[0]):
        for column in range(matrix.shape[1]):
            value = matrix[row, column]
            color = "white" if np.log1p(value) > threshold else "black"
            axes.text(
                column,
                row,
                str(value),
                ha="center",
                va="center",
                fontsize=FONT_SIZE - 3,
                color=color,
            )
    axes.set_xticks(range(len(names)), [name.replace(" ", "\n") for name in names])
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel(text["predicted"])
    axes.set_ylabel(text["true"])
    axes.set_title(text["confusion_title"])
    return figure


# --- Inside the CNN (issue #5): filters, feature maps and Grad-CAM -----------------------
# Feature-map grids are one imshow of a tiled mosaic rather than one subplot per map:
# 64 subplots took about 550 ms to lay out and render here, one mosaic image about 55 ms.

INSIDE_LABELS = {
    "en": {
        "trained": "trained model",
        "untrained": "untrained model",
        "filters": "{count} first-layer filters ({height}×{width})",
        "weight": "weight",
        "count": "count",
        "feature_maps": "conv layer {number}: {count} feature maps ({height}×{width})",
        "each_scaled": "each map scaled to its own maximum; dark purple = no activation",
        "input": "input",
        "looks": "where the model looks: {name}",
        "looks_probability": "where the model looks: {name} ({probability:.0%})",
        "looks_title": "where the model looks (Grad-CAM)",
        "nothing": "no region raises this class's score",
        "importance": "importance",
    },
    "ko": {
        "trained": "훈련된 모델",
        "untrained": "훈련 전 모델",
        "filters": "첫 번째 합성곱 층의 필터 {count}개 ({height}×{width})",
        "weight": "가중치",
        "count": "개수",
        "feature_maps": "{number} 합성곱 층: 특성 맵 {count}개 ({height}×{width})",
        "each_scaled": "특성 맵마다 자기 최댓값으로 나눔 · 짙은 보라색 = 활성화 없음",
        "input": "입력",
        "looks": "모델이 본 곳: {name}",
        "looks_probability": "모델이 본 곳: {name} ({probability:.0%})",
        "looks_title": "모델이 본 곳 (Grad-CAM)",
        "nothing": "이 클래스의 점수를 높이는 영역이 없음",
        "importance": "중요도",
    },
}
# "첫 번째 합성곱 층", as the filters' figure and the chapter say, not "1번째".
KOREAN_ORDINALS = {1: "첫 번째", 2: "두 번째", 3: "세 번째"}
# Blue for negative weights, red for positive, white for zero.
FILTER_CMAP = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
# The feature-map colours of the book's next section (matplotlib's default), white between tiles.
FEATURE_MAP_CMAP = matplotlib.colormaps["viridis"].with_extremes(bad="white")
FILTER_SCALE_PERCENTILE = 98
HEATMAP_CMAP = "jet"
HEATMAP_ALPHA = 0.5


def _inside_labels(language: str) -> dict[str, str]:
    return INSIDE_LABELS[usable_language(language)]


def mosaic(maps: np.ndarray, columns: int = 8, gap: int = 1) -> np.ndarray:
    """Tile (height, width, n) maps row by row into one 2-D array, with NaN gaps that draw as white."""
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"Expected maps of shape (height, width, n), got {maps.shape}.")
    height, width, count = maps.shape
    columns = max(1, min(columns, count))
    rows = max(1, int(np.ceil(count / columns)))
    tiled = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan, dtype=np.float32)
    for index in range(count):
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        tiled[top : top + height, left : left + width] = maps[:, :, index]
    return tiled


def _filter_maps(filters: np.ndarray) -> np.ndarray:
    # A first-layer kernel is (3, 3, 1, n) for grayscale input; one map per filter is (3, 3, n).
    filters = np.asarray(filters, dtype=np.float32)
    if filters.ndim == 4 and filters.shape[2] == 1:
        return filters[:, :, 0, :]
    if filters.ndim == 3:
        return filters
    raise ValueError(f"Expected first-layer filters of shape (3, 3, 1, n), got {filters.shape}.")


def filters_figure(filters: np.ndarray, untrained: np.ndarray | None = None, language: str = "en") -> Figure:
    """Return the first-layer filters as a grid (blue < 0 < red) over a histogram of their weights.

    With `untrained`, the untrained model's filters stand beside them; the histograms share
    their bins and x axis so the class sees how far training spread the weights. Each grid
    has its own colour scale, so the untrained filters' pattern stays visible too.
    """
    text = _inside_labels(language)
    panels = [(text["trained"], _filter_maps(filters))]
    if untrained is not None:
        panels.append((text["untrained"], _filter_maps(untrained)))
    limit = max(float(np.abs(maps).max()) for _, maps in panels) or 1.0
    bins = np.linspace(-limit, limit, 41)
    figure = new_figure(3.7 * len(panels), 4.6)
    grid = figure.subplots(2, len(panels), squeeze=False, height_ratios=(2, 1))
    for column, (name, maps) in enumerate(panels):
        height, width, count = maps.shape
        # A few trained weights are far larger than the rest; scaling to them would wash
        # out every other filter, so the colours saturate beyond the 98th percentile.
        scale = float(np.percentile(np.abs(maps), FILTER_SCALE_PERCENTILE)) or 1.0
        axes = grid[0, column]
        shown = axes.imshow(mosaic(maps, columns=8), cmap=FILTER_CMAP, vmin=-scale, vmax=scale, interpolation="nearest")
        axes.set_xticks([])
        axes.set_yticks([])
        # The shared line ("32 first-layer filters (3x3)") is the figure's title: twice, it did not fit.
        figure.suptitle(text["filters"].format(count=count, height=height, width=width), fontsize=TITLE_SIZE)
        axes.set_title(name, fontsize=TITLE_SIZE)
        figure.colorbar(shown, ax=axes, shrink=0.8, extend="both")
        histogram = grid[1, column]
        histogram.hist(maps.ravel(), bins=bins, color=TRAIN_COLOR)
        histogram.set_xlim(-limit, limit)
        histogram.axvline(0.0, color="black", linewidth=0.6)
        histogram.set_xlabel(text["weight"])
        # Level above the axis: Hangul turned sideways is hard to read.
        histogram.set_ylabel(text["count"], rotation=0, ha="left", va="bottom")
        histogram.yaxis.set_label_coords(0.0, 1.04)
    return figure


def feature_maps_figure(maps: np.ndarray, layer_number: int = 1, language: str = "en", columns: int = 8) -> Figure:
    """Return one convolution layer's (height, width, n) feature maps as a grid, like the book's next section."""
    text = _inside_labels(language)
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"Expected feature maps of shape (height, width, n), got {maps.shape}.")
    height, width, count = maps.shape
    # Each map is divided by its own largest value, as plt.imshow does for one map in the book;
    # a map that stays at zero (its filter found nothing) stays viridis' darkest purple.
    peaks = maps.max(axis=(0, 1), keepdims=True)
    scaled = np.divide(maps, peaks, out=np.zeros_like(maps), where=peaks > 0)
    columns = max(1, min(columns, count))
    rows = int(np.ceil(count / columns))
    cell = 0.55
    figure = new_figure(cell * columns + 0.2, cell * rows * height / width + 0.75)
    axes = figure.add_subplot()
    axes.imshow(mosaic(scaled, columns), cmap=FEATURE_MAP_CMAP, vmin=0.0, vmax=1.0, interpolation="nearest")
    axes.set_xticks([])
    axes.set_yticks([])
    number = (
        KOREAN_ORDINALS.get(layer_number, f"{layer_number}번째") if usable_language(language) == "ko" else layer_number
    )
    axes.set_title(text["feature_maps"].format(number=number, count=count, height=height, width=width))
    axes.set_xlabel(text["each_scaled"])
    return figure


def grad_cam_figure(
    image: np.ndarray,
    heatmap: np.ndarray,
    class_index: int,
    probability: float | None = None,
    language: str = "en",
) -> Figure:
    """Return the 28x28 input beside it with the Grad-CAM heatmap (0 = blue, 1 = red) laid over it."""
    text = _inside_labels(language)
    name = config.class_names(usable_language(language))[class_index]
    image = np.asarray(image, dtype=np.float32).reshape(config.IMAGE_SIZE, config.IMAGE_SIZE)
    heatmap = np.asarray(heatmap, dtype=np.float32).reshape(config.IMAGE_SIZE, config.IMAGE_SIZE)
    # Narrow enough that a column of the page shows it near its own size; the title spans both panels.
    figure = new_figure(4.6, 3.0)
    left, right = figure.subplots(1, 2)
    for axes in (left, right):
        axes.imshow(image, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        axes.set_xticks([])
        axes.set_yticks([])
    left.set_title(text["input"])
    shown = right.imshow(heatmap, cmap=HEATMAP_CMAP, vmin=0, vmax=1, alpha=HEATMAP_ALPHA, interpolation="bilinear")
    figure.suptitle(text["looks_title"], fontsize=TITLE_SIZE)
    right.set_title(name if probability is None else f"{name} ({probability:.0%})")
    if not heatmap.any():
        right.set_xlabel(text["nothing"], fontsize=FONT_SIZE - 1)
    colorbar = figure.colorbar(shown, ax=right, shrink=0.8)
    # Above the bar rather than beside it: Hangul turned sideways is hard to read.
    colorbar.ax.set_title(text["importance"], fontsize=FONT_SIZE - 1)
    return figure
