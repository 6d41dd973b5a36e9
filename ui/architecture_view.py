"""Architecture: model.summary() as a table and the layer graph like plot_model(show_shapes=True)."""

from __future__ import annotations

import streamlit as st

from cnn import architecture
from ui import registry, state
from ui.text import t

# The graph's width on the page in CSS pixels; plot_model's 14-point labels drawn at GRAPH_DPI then
# stand at 14 * GRAPH_DPI / 72 * GRAPH_WIDTH / (image width) px, about 15 px (tests/browser/test_projector.py).
GRAPH_WIDTH, GRAPH_DPI = 600, 110


@st.cache_data(show_spinner=False, max_entries=16)
def _png(token: str, _model) -> bytes:
    return architecture.architecture_png(_model, dpi=GRAPH_DPI)


def render() -> None:
    """Draw the Architecture page."""
    entry = registry.open_page("architecture")
    if entry is None:
        return
    with st.spinner(t("model.loading_keras")):
        model = state.keras_model(entry)
    # One above the other: side by side, the graph was shrunk to a third of the page and its 14-point
    # labels to about 6 px on a projector; at GRAPH_WIDTH they read at 15 px or more.
    with st.container():
        st.subheader(t("arch.summary"))
        rows = architecture.summary_rows(model)
        table = {
            t("arch.layer"): [row["layer"] for row in rows],
            t("arch.type"): [row["type"] for row in rows],
            t("arch.output_shape"): [row["output_shape"] for row in rows],
            t("arch.parameters"): [f"{row['parameters']:,}" for row in rows],
        }
        st.dataframe(table, hide_index=True, width="stretch")
        st.markdown(f"**{t('arch.total', total=architecture.total_parameters(model))}**")
    with st.container(key="architecture_graph"):
        st.subheader(t("arch.graph"))
        png = _png(entry.token, model)
        if architecture.graphviz_available():
            st.image(png, width=GRAPH_WIDTH)
        else:
            st.graphviz_chart(architecture.to_dot(model))
            st.caption(t("arch.browser_graph"))
        st.download_button(
            t("arch.download"),
            data=png,
            file_name=architecture.ARCHITECTURE_FILE_NAME,
            mime="image/png",
            key="architecture_download",
            on_click="ignore",
        )
