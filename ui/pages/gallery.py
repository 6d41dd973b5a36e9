"""The class gallery page: a thin script that Streamlit's navigation runs (see ui/gallery_view.py)."""

from ui import gallery_view
from ui.guard import guarded

guarded(gallery_view.render)()
