"""The inside page: a thin script that Streamlit's navigation runs (see ui/inside_view.py)."""

from ui import inside_view
from ui.guard import guarded

guarded(inside_view.render)()
