"""Test set: evaluate the active model once, on demand, with the chapter's warning."""

from __future__ import annotations

import streamlit as st

from cnn import config
from ui import registry, state
from ui.text import language, t


def render() -> None:
    """Draw the Test set page."""
    entry = registry.open_page("test", warning=t("test.warning"))
    if entry is None:
        return
    if state.dataset_or_explain() is None:
        return
    evaluated = st.session_state.setdefault("tested_models", set())
    if st.button(t("test.button"), key="test_button", type="primary"):
        evaluated.add(entry.token)
    if entry.token not in evaluated:
        return
    with st.spinner(t("test.loading")):
        result = state.evaluation(entry, "test")
    # The image count is a line of its own: as a third metric its large type was cut off at 1280 px.
    left, right = st.columns(2)
    left.metric(t("test.accuracy"), f"{result.accuracy:.2%}")
    right.metric(t("test.loss"), f"{result.loss:.4f}")
    st.caption(t("test.count", count=int(result.confusion.sum())))
    st.subheader(t("test.per_class"))
    names = config.class_names(language())
    st.dataframe(
        {t("samples.class"): list(names), t("test.accuracy"): [float(a) for a in result.per_class_accuracy]},
        hide_index=True,
        width="stretch",
        column_config={
            t("test.accuracy"): st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
        },
    )
