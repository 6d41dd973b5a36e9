"""Validation samples: a filterable grid with true and predicted labels, one sample up close, the confusion matrix."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import config, plots
from ui import charts, prediction, registry, state, streamlit_fixes
from ui.text import language, t

PAGE_SIZE = 20
COLUMNS = 5
ALL = -1
CORRECTNESS = ("all", "correct", "wrong")
# Where a click's result is drawn, scrolled into sight after the click (key of its container).
SCROLL_TO = "_samples_scroll_to"
# Grid captions wrap between words instead of ending in "…".
GRID_CSS = (
    "<style>.st-key-samples_grid button p, .st-key-samples_cell_grid button p"
    " { white-space: normal; word-break: keep-all; }</style>"
)


def _pick(index: int) -> None:
    state.pick_sample(index)
    st.session_state.samples_index = int(index)
    st.session_state[SCROLL_TO] = "samples_selected"


def _typed_index() -> None:
    state.pick_sample(st.session_state.samples_index)


def _reset_page() -> None:
    st.session_state.samples_page = 1


def _from_heatmap() -> None:
    cell = charts.selected_cell(st.session_state.get("confusion_chart"))
    if cell is not None:
        st.session_state.confusion_true, st.session_state.confusion_pred = cell
        st.session_state[SCROLL_TO] = "samples_cell"


def mark(right: bool) -> str:
    """Return ✓ or ✗: right and wrong told by a mark, not by green and red alone."""
    return "✓" if right else "✗"


@st.cache_data(show_spinner=False, max_entries=256)
def _large_png(image_bytes: bytes, title: str, lang: str) -> bytes:
    image = np.frombuffer(image_bytes, dtype=np.uint8).reshape(28, 28) / 255.0
    return plots.to_png(plots.single_image(image, title, lang, size=3.2), dpi=100)


def _grid(indices: np.ndarray, images: np.ndarray, labels: np.ndarray, predictions: np.ndarray, key: str) -> None:
    names = config.class_names(language())
    for start in range(0, len(indices), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, index in zip(columns, indices[start : start + COLUMNS], strict=False):
            with column:
                st.image(prediction.input_picture(images[index] / 255.0, scale=3), width=84)
                truth, guess = names[labels[index]], names[predictions[index]]
                right = labels[index] == predictions[index]
                color = "green" if right else "red"
                # The caption is the button: click a sample to see it up close below.
                st.button(
                    f"#{index} {truth} :{color}[{mark(right)} {guess}]",
                    key=f"{key}_{index}",
                    on_click=_pick,
                    args=(index,),
                    type="tertiary",
                    help=t("samples.pick"),
                )


def render() -> None:
    """Draw the Validation samples page."""
    entry = registry.open_page("samples")
    if entry is None:
        return
    dataset = state.dataset_or_explain()
    if dataset is None:
        return
    with st.spinner(t("samples.loading")):
        evaluation = state.evaluation(entry, "val")
    images, labels, predictions = dataset.val.images, dataset.val.labels, evaluation.predictions
    names = config.class_names(language())
    st.caption(t("samples.accuracy", accuracy=evaluation.accuracy))

    left, middle, right = st.columns([2, 2, 1])
    chosen_class = left.selectbox(
        t("samples.class"),
        [ALL, *range(config.NUM_CLASSES)],
        format_func={ALL: t("samples.all"), **dict(enumerate(names))}.get,
        key="samples_class",
        on_change=_reset_page,
    )
    correctness = middle.segmented_control(
        t("samples.correctness"),
        CORRECTNESS,
        default="all",
        required=True,
        format_func={"all": t("samples.all"), "correct": t("samples.correct"), "wrong": t("samples.wrong")}.get,
        key="samples_correct",
        on_change=_reset_page,
    )
    mask = np.ones(len(labels), dtype=bool)
    if chosen_class != ALL:
        mask &= labels == chosen_class
    if correctness == "correct":
        mask &= labels == predictions
    elif correctness == "wrong":
        mask &= labels != predictions
    indices = np.flatnonzero(mask)
    if len(indices) == 0:
        st.info(t("samples.empty"))
    else:
        pages = int(np.ceil(len(indices) / PAGE_SIZE))
        if st.session_state.get("samples_page", 1) > pages:
            st.session_state.samples_page = 1
        page = right.number_input(t("samples.page"), 1, pages, 1, key="samples_page")
        start = (page - 1) * PAGE_SIZE
        shown = indices[start : start + PAGE_SIZE]
        st.caption(t("samples.count", count=len(indices), start=start + 1, end=start + len(shown)))
        with st.container(key="samples_grid"):
            _grid(shown, images, labels, predictions, key="pick")

    st.divider()
    if "samples_index" not in st.session_state:
        st.session_state.samples_index = state.picked_sample()
    with st.container(key="samples_selected"):
        index = st.number_input(t("samples.index"), 0, len(labels) - 1, key="samples_index", on_change=_typed_index)
        probabilities = evaluation.probabilities[index]
        st.subheader(t("samples.selected", index=index))
        left, right = st.columns([1, 2])
        with left:
            st.image(_large_png(images[index].tobytes(), f"val_scaled[{index}]", language()), width="stretch")
            st.markdown(t("samples.truth", label=names[labels[index]]))
            top = int(np.argmax(probabilities))
            verdict = mark(top == labels[index])
            st.markdown(
                f"{verdict} " + t("samples.prediction", label=names[top], probability=float(probabilities[top]))
            )
            st.page_link(registry.BY_NAME["inside"].script, label=t("samples.inside"), icon=":material/visibility:")
        with right, st.container(key="sample_prediction"):
            prediction.bars(probabilities, title=t("predict.bars"))

    st.divider()
    st.subheader(t("samples.confusion"))
    st.caption(t("samples.confusion_help"))
    spec = charts.confusion_heatmap(
        evaluation.confusion,
        language(),
        t("samples.confusion_true"),
        t("samples.confusion_pred"),
        t("samples.confusion_count"),
        t("samples.confusion_title"),
    )
    st.vega_lite_chart(spec, width="stretch", key="confusion_chart", on_select=_from_heatmap, selection_mode="cell")
    left, right = st.columns(2)
    true_class = left.selectbox(
        t("samples.confusion_true"), range(config.NUM_CLASSES), index=6, format_func=names.__getitem__,
        key="confusion_true",
    )  # fmt: skip
    pred_class = right.selectbox(
        t("samples.confusion_pred"), range(config.NUM_CLASSES), index=0, format_func=names.__getitem__,
        key="confusion_pred",
    )  # fmt: skip
    cell = np.flatnonzero((labels == true_class) & (predictions == pred_class))
    with st.container(key="samples_cell"):
        st.markdown(t("samples.confusion_cell", true=names[true_class], pred=names[pred_class], count=len(cell)))
    with st.container(key="samples_cell_grid"):
        _grid(cell[:PAGE_SIZE], images, labels, predictions, key="cell_pick")
    st.html(GRID_CSS)
    target = st.session_state.pop(SCROLL_TO, None)
    if target:
        streamlit_fixes.scroll_into_view(target)
