"""Work-arounds for two things Streamlit does after every script run that hurt a server sharing Keras models.

1. It calls keras.backend.clear_session() whenever Keras is imported, meant for
   scripts that rebuild a model on each run. Here the models are loaded once and
   shared by every student; clearing empties TensorFlow's kernel cache and runs a full
   garbage collection, which made each stroke on the canvas wait about 300 ms.
2. It runs gc.collect(2) after every run; that is turned off in .streamlit/config.toml
   (runner.postScriptGC = false) for the same reason.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner


def _close_pyplot_only() -> None:
    # Keep the part of Streamlit's clean-up that is harmless here: closing pyplot figures.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def keep_keras_state_between_runs() -> None:
    """Stop Streamlit from clearing the Keras session after each run (idempotent)."""
    if hasattr(script_runner, "_clean_problem_modules"):
        script_runner._clean_problem_modules = _close_pyplot_only
