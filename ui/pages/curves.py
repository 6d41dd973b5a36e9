"""The curves page: a thin script that Streamlit's navigation runs (see ui/curves_view.py)."""

from ui import curves_view
from ui.guard import guarded

guarded(curves_view.render)()
