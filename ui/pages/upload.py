"""The upload page: a thin script that Streamlit's navigation runs (see ui/upload_view.py)."""

from ui import upload_view
from ui.guard import guarded

guarded(upload_view.render)()
