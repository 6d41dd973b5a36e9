"""The test page: a thin script that Streamlit's navigation runs (see ui/test_view.py)."""

from ui import test_view
from ui.guard import guarded

guarded(test_view.render)()
