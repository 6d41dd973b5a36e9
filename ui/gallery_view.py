"""The class gallery (teacher's screen): the class's drawings as they arrive, how often the model was right, and why.

The list refreshes itself every few seconds (a fragment), so the projector shows new
drawings without anyone pressing a key. Moderation (hide, clear) and the export are the
teacher's; each is checked on the server when it runs.
"""

from __future__ import annotations

import io

import numpy as np
import streamlit as st
from PIL import Image

from cnn import config, gallery, roles
from ui import charts, classroom, join_panel, prediction, registry, state, teach_view
from ui.text import language, t

REFRESH_SECONDS = 3
COLUMNS = 4
# The newest drawings first; older ones are in the export.
SHOWN = 60
RIGHT_FILTERS = ("all", "right", "wrong")


def thumbnail(picture: bytes, size: int = 160) -> Image.Image:
    """Return a sent picture on white (canvases are transparent where nothing is drawn), at most `size` pixels."""
    with Image.open(io.BytesIO(picture)) as image:
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        shown = Image.alpha_composite(white, image).convert("RGB")
    shown.thumbnail((size, size))
    return shown


@st.cache_data(show_spinner=False, max_entries=512)
def _sent_thumbnail(database: str, item_id: int, size: int = 160) -> Image.Image:
    # A sent picture never changes, so the projector's refresh every few seconds reads each one once.
    # `database` is part of the key: another data folder numbers its items from 1 again.
    picture, _ = classroom.store().pictures(item_id)
    return thumbnail(picture, size)


def confusion(items: list[gallery.Item]) -> np.ndarray:
    """Return the class's confusion matrix: rows what was meant, columns what the model said."""
    matrix = np.zeros((config.NUM_CLASSES, config.NUM_CLASSES), dtype=np.int64)
    for item in items:
        matrix[item.label, item.predicted] += 1
    return matrix


def _filters() -> tuple[int | None, bool | None, bool]:
    names = config.class_names(language())
    left, middle, right = st.columns([3, 3, 2], vertical_alignment="bottom")
    label = left.selectbox(
        t("gallery.filter_label"),
        [None, *range(config.NUM_CLASSES)],
        format_func=lambda index: t("gallery.all") if index is None else names[index],
        key="gallery_filter_label",
    )
    right_filter = middle.segmented_control(
        t("gallery.filter_right"),
        RIGHT_FILTERS,
        default="all",
        required=True,
        format_func=lambda name: t(f"gallery.{name}"),
        key="gallery_filter_right",
    )
    show_hidden = right.toggle(t("gallery.show_hidden"), key="gallery_show_hidden")
    return label, {"all": None, "right": True, "wrong": False}[right_filter], show_hidden


def _set_focus(item_id: int | None) -> None:
    st.session_state.gallery_focus = item_id


def _hide(item_id: int, hidden: bool) -> None:
    try:
        classroom.require_teacher("classroom.action_moderate")
    except roles.NotAllowed as error:
        st.session_state.gallery_refused = classroom.refusal(error)
        return
    classroom.store().set_hidden(item_id, hidden)


def _grid(items: list[gallery.Item]) -> None:
    names = config.class_names(language())
    shown = items[-SHOWN:][::-1]
    for start in range(0, len(shown), COLUMNS):
        for column, item in zip(st.columns(COLUMNS), shown[start : start + COLUMNS], strict=False):
            with column.container(key=f"gallery_item_{item.id}", border=True):
                st.image(_sent_thumbnail(str(classroom.store().path), item.id), width="stretch")
                # Material icons ship with Streamlit; emoji may be missing from a school laptop's fonts.
                mark = ":green[:material/check_circle:]" if item.right else ":red[:material/cancel:]"
                st.caption(
                    f"{mark} {t('gallery.meant')}: **{names[item.label]}**  \n"
                    f"{t('gallery.said')}: {names[item.predicted]} ({item.confidence:.0%})"
                    + (f"  \n{item.nickname}" if item.nickname else "")
                )
                view, hide = st.columns(2)
                view.button(
                    t("gallery.view"),
                    key=f"gallery_view_{item.id}",
                    icon=":material/zoom_in:",
                    on_click=_set_focus,
                    args=(item.id,),
                )
                hide.button(
                    t("gallery.unhide") if item.hidden else t("gallery.hide"),
                    key=f"gallery_hide_{item.id}",
                    icon=":material/visibility:" if item.hidden else ":material/visibility_off:",
                    on_click=_hide,
                    args=(item.id, not item.hidden),
                )


def _focus(items: list[gallery.Item]) -> None:
    """Show the clicked drawing larger: the sent picture, the 28x28 input, the bars and Grad-CAM."""
    focus = st.session_state.get("gallery_focus")
    item = next((item for item in items if item.id == focus), None)
    if item is None:
        return
    names = config.class_names(language())
    with st.container(key="gallery_focus", border=True):
        st.subheader(t("gallery.focus", meant=names[item.label], said=names[item.predicted]))
        picture, input_png = classroom.store().pictures(item.id)
        image = gallery.input_from_png(input_png)
        left, middle, right = st.columns([2, 2, 3])
        left.image(thumbnail(picture, 280), caption=t("gallery.sent"))
        prediction.model_input(image, key=f"gallery_{item.id}", width=196, where=middle)
        with right:
            prediction.bars(np.asarray(item.probabilities), key=f"gallery_bars_{item.id}")
        if st.toggle(t("gallery.gradcam"), key="gallery_gradcam"):
            _grad_cam(item, image)
        st.button(t("gallery.close"), key="gallery_close", on_click=_set_focus, args=(None,))


def _grad_cam(item: gallery.Item, image: np.ndarray) -> None:
    from cnn import explain, plots

    kind = state.DRAWING if item.source == "drawing" else None
    entry = (state.shipped_entry(kind) if kind else None) or state.active_model()
    if entry is None:
        st.info(t("model.none"))
        return
    with st.spinner(t("model.loading_keras")):
        model = state.keras_model(entry)
    inside = explain.explain(model, image, None)
    figure = plots.grad_cam_figure(
        image,
        inside.heatmap,
        inside.class_index,
        float(inside.probabilities[inside.class_index]),
        plots.usable_language(language()),
    )
    st.image(plots.to_png(figure, dpi=100), width=560)


def _summary(items: list[gallery.Item]) -> None:
    if not items:
        return
    right = sum(item.right for item in items)
    first, second = st.columns([1, 2], gap="large")
    with first:
        st.metric(t("gallery.count"), len(items))
        st.metric(t("gallery.accuracy"), f"{right / len(items):.0%}", help=t("gallery.accuracy_help"))
    with second:
        matrix = confusion(items)
        spec = charts.confusion_heatmap(
            matrix, language(), t("gallery.meant"), t("gallery.said"), t("gallery.drawings"), t("gallery.matrix_title")
        )
        # A class's few drawings: write only the counts there are, white on the darker half of the scale.
        counts = spec["layer"][1]
        counts["transform"] = [{"filter": "datum.count > 0"}]
        counts["encoding"]["color"]["condition"]["test"] = f"datum.count > {max(1, matrix.max()) / 2}"
        st.vega_lite_chart(spec, width="stretch", key="gallery_confusion")


@st.fragment(run_every=REFRESH_SECONDS)
def _live() -> None:
    label, right, show_hidden = _filters()
    store = classroom.store()
    everything = store.items(classroom.class_code())
    chosen = store.items(classroom.class_code(), include_hidden=show_hidden, label=label, right=right)
    refused = st.session_state.pop("gallery_refused", None)
    if refused:
        st.error(refused)
    with st.container(key="class_gallery"):
        if not everything:
            st.info(t("gallery.empty"))
        _summary(everything)
        _focus(chosen)
        if everything and not chosen:
            st.info(t("gallery.none_match"))
        _grid(chosen)


def _teacher_tools() -> None:
    left, right = st.columns(2)
    with left, st.popover(t("gallery.clear"), icon=":material/delete:"):
        st.warning(t("gallery.clear_confirm"))
        if st.button(t("gallery.clear_yes"), key="gallery_clear", type="primary"):
            try:
                classroom.require_teacher("classroom.action_moderate")
            except roles.NotAllowed as error:
                st.error(classroom.refusal(error))
            else:
                classroom.store().clear(classroom.class_code())
                st.session_state.gallery_focus = None
                st.rerun()
    with right:
        if st.button(t("gallery.export"), key="gallery_export", icon=":material/folder_zip:"):
            classroom.require_teacher("classroom.action_export")
            st.session_state.gallery_zip = classroom.store().export_zip(classroom.class_code())
        if st.session_state.get("gallery_zip"):
            st.download_button(
                t("gallery.download"),
                st.session_state.gallery_zip,
                file_name=f"gallery-{classroom.class_code()}.zip",
                mime="application/zip",
                key="gallery_download",
                icon=":material/download:",
            )


def render() -> None:
    """Draw the Gallery page."""
    registry.header("gallery")
    if not classroom.is_teacher():
        st.info(t("gallery.students"))
        return
    st.caption(t("gallery.intro", code=classroom.class_code()))
    # A big QR code while the class joins; folded away once drawings arrive.
    if classroom.store().items(classroom.class_code()):
        with st.expander(t("join.header")):
            join_panel.render(header=False)
    else:
        join_panel.render()
    _teacher_tools()
    teach_view.render()
    _live()
