"""A safety net so that an unexpected error shows a calm message, never a traceback, in front of a class."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

from ui.text import t

log = logging.getLogger("cnn_demo")


def guarded(view: Callable[[], None]) -> Callable[[], None]:
    """Wrap a page function: errors are logged with their traceback and shown as one friendly line."""

    @functools.wraps(view)
    def run() -> None:
        try:
            view()
        except Exception as error:  # Streamlit's rerun/stop signals are BaseExceptions and pass through.
            log.exception("The %s page failed", view.__name__)
            st.error(t("error.unexpected", error=type(error).__name__))

    return run
