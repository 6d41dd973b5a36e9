"""The app's pages, listed once in the order a lesson uses them, and how each page opens."""

from __future__ import annotations

import dataclasses

import streamlit as st

from ui import state
from ui.text import t


@dataclasses.dataclass(frozen=True)
class Page:
    """One page: its url path, its icon in the sidebar, and the text keys of its name there and its header."""

    name: str
    icon: str
    nav: str
    header: str

    @property
    def script(self) -> str:
        """Return the thin script Streamlit's navigation runs for this page, relative to streamlit_app.py."""
        return f"ui/pages/{self.name}.py"


# Material icons ship with Streamlit, so they render offline on any laptop (emoji may not).
PAGES = (
    Page("train", ":material/model_training:", "nav.train", "train.header"),
    Page("curves", ":material/show_chart:", "nav.curves", "curves.header"),
    Page("architecture", ":material/account_tree:", "nav.architecture", "arch.header"),
    Page("samples", ":material/grid_view:", "nav.samples", "samples.header"),
    Page("draw", ":material/draw:", "nav.draw", "draw.header"),
    Page("upload", ":material/add_photo_alternate:", "nav.upload", "upload.header"),
    Page("test", ":material/fact_check:", "nav.test", "test.header"),
    Page("inside", ":material/visibility:", "nav.inside", "inside.header"),
)
# The page a visitor lands on, served at the app's root URL.
DEFAULT = PAGES[0]
BY_NAME = {page.name: page for page in PAGES}


def header(name: str) -> None:
    """Draw the header of the page `name`."""
    st.header(t(BY_NAME[name].header))


def open_page(name: str, intro: str | None = None, warning: str | None = None) -> state.ModelEntry | None:
    """Draw the page's header and intro; return the active model, or say there is none yet and return None."""
    header(name)
    if intro is not None:
        st.caption(intro)
    if warning is not None:
        st.warning(warning)
    entry = state.active_model()
    if entry is None:
        st.info(t("model.none"))
    return entry
