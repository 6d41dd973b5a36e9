"""Curves: the chapter's loss plot (and accuracy) for the active model's training history."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn import plots
from ui import charts, registry
from ui.text import language, t


def _titles(metric: str) -> dict[str, str]:
    labels = plots.LABELS[language()]
    names = ("epoch", "train", "val", "running", "best", "stopped")
    return {**{name: labels[name] for name in names}, "metric": labels[metric], "title": t(f"curves.{metric}_title")}


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
    # The early-stopping line sits on the last epoch run, as on the Train page.
    stopped = len(history["loss"]) if entry.summary.stopped_early else None
    st.markdown(
        t("curves.best", best=best, loss=history["val_loss"][best - 1], accuracy=history["val_accuracy"][best - 1])
    )
    real = entry.summary.extra.get("val_real_accuracy")
    if real is not None:
        st.caption(t("curves.val_mixed", accuracy=float(real)))
    # Drawn by the browser at fixed pixel sizes, so the text stays readable in a half-width column.
    left, right = st.columns(2, gap="medium")
    for column, metric in ((left, "loss"), (right, "accuracy")):
        spec = charts.history_chart(history, metric, _titles(metric), len(history["loss"]), None, best, stopped)
        column.vega_lite_chart(spec, width="stretch", key=f"curves_{metric}")
