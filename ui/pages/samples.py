"""The samples page: a thin script that Streamlit's navigation runs (see ui/samples_view.py)."""

from ui import samples_view
from ui.guard import guarded

guarded(samples_view.render)()
