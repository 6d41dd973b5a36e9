"""The Draw and Upload pages' model: the drawing model unless the student picks the active one."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.text import t

# The pages that offer the choice; each has its own widget `{page}_model` and texts `{page}.model*`.
PAGES = ("draw", "upload")


def chosen_model(page: str) -> state.ModelEntry | None:
    """Return the model `page` answers with: the drawing model unless the student picked the active one.

    The drawing model learned from strangers' doodles and phone photos as well as the dataset
    (bench/README.md), so it reads both better; the active model stays one click away.
    """
    if page not in PAGES:
        raise ValueError(f"page must be one of {PAGES}, got {page!r}.")
    active = state.active_model()
    drawing = state.shipped_entry(state.DRAWING)
    if drawing is None or active is None or active.kind == state.DRAWING:
        return active
    choices = {state.DRAWING: t("model_choice.drawing"), "active": t("model_choice.active", name=active.label())}
    choice = st.segmented_control(
        t(f"{page}.model"),
        list(choices),
        default=state.DRAWING,
        required=True,
        format_func=choices.get,
        key=f"{page}_model",
        help=t(f"{page}.model_help"),
        persist_state="session",
    )
    return drawing if choice == state.DRAWING else active
