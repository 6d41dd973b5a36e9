"""The Draw and Upload pages' model: the page's default, as `python -m cnn.predict` answers, or the active one."""

from __future__ import annotations

import streamlit as st

from cnn import config
from ui import state
from ui.text import t

# Each page that offers the choice, with its default model's folder: the same constants cnn.predict
# reads, so the command line and the page cannot drift. Each page has its own widget `{page}_model`
# and texts `{page}.model*`.
PAGE_DEFAULTS = {"draw": config.DRAW_VIEW_MODEL_DIR, "upload": config.UPLOAD_VIEW_MODEL_DIR}
PAGES = tuple(PAGE_DEFAULTS)


def default_kind(page: str) -> str:
    """Return the kind of shipped model ("shipped" or "drawing") that `page` answers with by default."""
    if page not in PAGE_DEFAULTS:
        raise ValueError(f"page must be one of {PAGES}, got {page!r}.")
    kinds = [kind for kind, folder in state.SHIPPED_DIRS.items() if folder == PAGE_DEFAULTS[page]]
    if not kinds:
        raise ValueError(
            f"{PAGE_DEFAULTS[page]} is not a shipped model's folder ({list(state.SHIPPED_DIRS.values())})."
        )
    return kinds[0]


def chosen_model(page: str) -> state.ModelEntry | None:
    """Return the model `page` answers with: its default unless the student picked the active one.

    The drawing model learned from strangers' doodles and phone photos as well as the dataset
    (bench/README.md), so it reads both better; the active model stays one click away.
    """
    kind = default_kind(page)
    active = state.active_model()
    default = state.shipped_entry(kind)
    if default is None or active is None or active.kind == kind:
        return active
    choices = {kind: t(f"{page}.model_default"), "active": t("model_choice.active", name=active.label())}
    choice = st.segmented_control(
        t(f"{page}.model"),
        list(choices),
        default=kind,
        required=True,
        format_func=choices.get,
        key=f"{page}_model",
        help=t(f"{page}.model_help"),
        persist_state="session",
    )
    return default if choice == kind else active
