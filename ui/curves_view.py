"""Curves: the chapter's loss plot (and accuracy) for the active model's training history."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import plots
from ui import registry
from ui.text import language, t


@st.cache_data(show_spinner=False, max_entries=64)
def _figure_png(history: dict, metric: str, lang: str, best_epoch: int | None, stopped_early: bool) -> bytes:
    figure = plots.history_figure(history, metric, lang, best_epoch=best_epoch, stopped_early=stopped_early)
    return plots.to_png(figure, dpi=120)


def render() -> None:
    """Draw the Curves page."""
    entry = registry.open_page("curves", intro=t("curves.intro"))
    if entry is None:
        return
    history = entry.history
    if not history or not history.get("loss"):
        st.info(t("curves.none"))
        return
    best = entry.summary.best_epoch or int(np.argmin(history["val_loss"])) + 1
    stopped_early = entry.summary.stopped_early
    st.markdown(
        t("curves.best", best=best, loss=history["val_loss"][best - 1], accuracy=history["val_accuracy"][best - 1])
    )
    left, right = st.columns(2)
    left.image(_figure_png(history, "loss", language(), best, stopped_early), width="stretch")
    right.image(_figure_png(history, "accuracy", language(), best, stopped_early), width="stretch")
