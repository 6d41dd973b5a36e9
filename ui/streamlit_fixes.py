"""Work-arounds: two things Streamlit does after every script run that hurt a server sharing Keras
models, and the drawing canvas's hidden toolbar that swallowed strokes.

1. It calls keras.backend.clear_session() whenever Keras is imported, meant for
   scripts that rebuild a model on each run. Here the models are loaded once and
   shared by every student; clearing empties TensorFlow's kernel cache and runs a full
   garbage collection, which made each stroke on the canvas wait about 300 ms.
2. It runs gc.collect(2) after every run; that is turned off in .streamlit/config.toml
   (runner.postScriptGC = false) for the same reason.
3. streamlit-drawable-canvas's hidden toolbar lay over the canvas's top edge (see below).
4. A click that changes content further down the page showed nothing where the user looked;
   scroll_into_view brings that content into sight.
5. Streamlit's own words on the file uploaders ("Upload", "20MB per file") are English only, and
   Korean wrapped inside words; page_style fixes both with CSS.
6. On a phone a segmented control's buttons wrap and lost their left border; the hover toolbar of
   the model's 28x28 input covered the answer above it. page_style fixes both with CSS.
"""

from __future__ import annotations

import json
import sys

import streamlit as st
from streamlit.runtime.scriptrunner import script_runner

from ui.prediction import MODEL_INPUT
from ui.text import STRINGS


def _close_pyplot_only() -> None:
    # Keep the part of Streamlit's clean-up that is harmless here: closing pyplot figures.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def keep_keras_state_between_runs() -> None:
    """Stop Streamlit from clearing the Keras session after each run (idempotent)."""
    if hasattr(script_runner, "_clean_problem_modules"):
        script_runner._clean_problem_modules = _close_pyplot_only


# The uploader's button and size line are drawn by Streamlit's front end in English; on Korean
# pages CSS hides its words and writes Korean ones in their place. Korean breaks between words
# (keep-all), as Korean print does, not inside them ("있습니/다").
# !important: Streamlit's markdown sets word-break: break-word on every paragraph.
_KEEP_ALL_CSS = ".stApp, .stApp * { word-break: keep-all !important; overflow-wrap: break-word; }"
# A segmented control joins its buttons, each without a left border; on a phone the buttons wrap
# onto lines of their own, so each gets its full border (the theme text colour at 20%, as Streamlit
# draws the others), round corners and a gap.
_SEGMENTED_CSS = """
@media (max-width: 640px) {
  [role="radiogroup"]:has(> button[data-variant="segmented_control"]) { column-gap: 0.4rem; }
  button[data-variant="segmented_control"] { border-radius: 0.5rem !important; }
  button[data-variant="segmented_control"][aria-checked="false"] {
    border-left-color: rgba(26, 26, 26, 0.2) !important;
  }
}
"""
# The 28x28 input's fullscreen button floated over the answer heading above it; at 168 px the
# picture is readable as it is.
_MODEL_INPUT_CSS = f'[class*="_{MODEL_INPUT}"] [data-testid="stElementToolbar"] {{ display: none; }}'
_UPLOADER_CSS = """
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "BUTTON"; font-size: 1rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "LIMIT"; font-size: 0.875rem; }
"""


def page_style(language: str) -> None:
    """Add the page-wide CSS: Korean wraps between words, the file uploaders speak the session's language."""
    css = _KEEP_ALL_CSS + _SEGMENTED_CSS + _MODEL_INPUT_CSS
    if language != "en":
        css += _UPLOADER_CSS.replace("BUTTON", STRINGS["upload.button"][language]).replace(
            "LIMIT", STRINGS["upload.limit"][language]
        )
    st.html(f"<style>{css}</style>")


# Streamlit's main area scrolls inside its own container; scrollIntoView scrolls whichever holds the
# element. The element may be drawn, or the page above it still change height, a moment after the
# script runs, so it scrolls again a few times over two seconds.
_SCROLL_SCRIPT = """<script>
(() => {
  const go = () => document.querySelector(SELECTOR)?.scrollIntoView({ block: "start", behavior: "instant" });
  for (const delay of [100, 300, 600, 1000, 1500, 2000]) setTimeout(go, delay);
})(); // NONCE
</script>"""


def scroll_into_view(key: str) -> None:
    """Scroll the container with key `key` to the top of the screen once, after this run draws it."""
    nonce = st.session_state.get("_scroll_nonce", 0) + 1
    st.session_state._scroll_nonce = nonce
    script = _SCROLL_SCRIPT.replace("SELECTOR", json.dumps(f".st-key-{key}")).replace("NONCE", str(nonce))
    st.html(script, unsafe_allow_javascript=True)
