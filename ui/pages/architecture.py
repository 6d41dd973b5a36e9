"""The architecture page: a thin script that Streamlit's navigation runs (see ui/architecture_view.py)."""

from ui import architecture_view
from ui.guard import guarded

guarded(architecture_view.render)()
