"""The draw page: a thin script that Streamlit's navigation runs (see ui/draw_view.py)."""

from ui import draw_view
from ui.guard import guarded

guarded(draw_view.render)()
