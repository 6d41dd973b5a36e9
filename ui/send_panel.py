"""Send to the class: a student's drawing or photo goes to the class gallery with what it was meant to be."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import config, gallery
from ui import classroom, state
from ui.text import STRINGS, language, t


def reason_text(error: gallery.GalleryError) -> str:
    """Return why the gallery refused a send, in the session's language."""
    key = f"send.{error.reason}"
    return t(key) if key in STRINGS else str(error)


def render(picture: np.ndarray, model_input: np.ndarray, probabilities: np.ndarray, source: str, key: str) -> None:
    """Draw the send form under a prediction: the meant class, an optional nickname, and the button.

    `picture` is the canvas or preview as a uint8 array; it is encoded only when the student sends it,
    not on every stroke.
    """
    names = config.class_names(language())
    with st.container(key=f"send_panel_{key}", border=True):
        st.markdown(f"**{t('send.header')}**")
        left, right = st.columns(2)
        label = left.selectbox(
            t("send.label"),
            range(config.NUM_CLASSES),
            index=None,
            placeholder=t("send.pick"),
            format_func=names.__getitem__,
            key="send_label",
        )
        nickname = right.text_input(
            t("send.nickname"), key="send_nickname", max_chars=gallery.MAX_NICKNAME, placeholder=t("send.optional")
        )
        pressed = st.button(
            t("send.button"), key="send_to_class", icon=":material/send:", type="primary", width="stretch"
        )
        if not pressed:
            return
        if label is None:
            st.warning(t("send.no_label"))
            return
        try:
            classroom.store().add(
                classroom.class_code(),
                state.session_id(),
                label,
                probabilities,
                gallery.png_bytes(picture),
                model_input,
                nickname=nickname,
                source=source,
            )
        except gallery.GalleryError as error:
            st.warning(reason_text(error))
            return
        st.success(t("send.sent", label=names[label]))
