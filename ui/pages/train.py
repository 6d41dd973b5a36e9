"""The train page: a thin script that Streamlit's navigation runs (see ui/train_view.py)."""

from ui import train_view
from ui.guard import guarded

guarded(train_view.render)()
