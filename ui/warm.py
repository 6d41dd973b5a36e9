"""What the first visits to Architecture and Samples wait for, made in a background thread once the app has started.

Architecture needs the model in Keras (TensorFlow imported), Samples the active model's
predictions on the 12,000 validation images; both are cached once per server (ui/state.py), so
the first student or teacher who opens either page finds them ready instead of waiting.
"""

from __future__ import annotations

import contextlib
import threading

from ui import state

_started = threading.Lock()
_done = threading.Event()


def start() -> None:
    """Start filling the caches, once per server process; returns at once."""
    if not _started.acquire(blocking=False):
        return
    threading.Thread(target=_fill, name="warm-first-visits", daemon=True).start()


def _fill() -> None:
    # A failure here only means the page computes it on its visit and explains what is missing.
    with contextlib.suppress(Exception):
        entry = state.shipped_entry(state.SHIPPED)
        if entry is not None:
            state.keras_model(entry)  # Architecture and Inside: TensorFlow and the model in Keras.
            state.evaluation(entry, "val")  # Samples: the grid's predictions (raises without the dataset).
    _done.set()


def wait(timeout: float | None = None) -> bool:
    """Wait until the caches are filled (for tests and benchmarks); return whether they are."""
    return _done.wait(timeout)
