"""The "students join here" panel: the laptop's address on the room's network and a large QR code of it."""

from __future__ import annotations

import base64

import streamlit as st

from cnn import config, lan
from ui import classroom
from ui.text import LANGUAGE_NAMES, language, t

# Wide enough to scan from the back of a room on a projector.
QR_WIDTH = 320


@st.cache_data(show_spinner=False, max_entries=8)
def _qr_data_uri(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(lan.qr_png(url, scale=10)).decode("ascii")


def join_address(host: str, join_language: str) -> str:
    """Return the address students open: this laptop's LAN address `host`, the app's port, the Draw page."""
    return lan.join_url(host, st.get_option("server.port"), join_language, class_code=classroom.class_code())


def render(header: bool = True) -> None:
    """Draw the panel (teacher only: it is the teacher's screen that the class reads it from)."""
    if not classroom.is_teacher():
        return
    with st.container(key="join_panel", border=True):
        if header:
            st.subheader(t("join.header"))
        join_language = st.segmented_control(
            t("join.language"),
            list(config.LANGUAGES),
            default=language(),
            format_func=LANGUAGE_NAMES.get,
            key="join_language",
            required=True,
        )
        host = lan.lan_address()
        url = join_address(host, join_language)
        left, right = st.columns([1, 1], gap="large", vertical_alignment="center")
        with left:
            st.image(_qr_data_uri(url), width=QR_WIDTH)
        with right:
            st.markdown(t("join.scan"))
            st.code(url, language=None, wrap_lines=True)
            if not lan.is_reachable_address(host):
                st.warning(t("join.no_network"))
