"""What the first visits to Architecture and Samples wait for, made in background threads once the app has started.

Samples needs the active model's predictions on the 12,000 validation images (NumPy, no
TensorFlow), filled on the first page run of any session. Architecture needs the model in
Keras, which brings TensorFlow's 500 to 600 MB into the server (bench/README.md): that is
filled only once a teacher has opened the app, since the teacher shows Architecture in a
lesson anyway and a server that students only draw on stays light. Both are cached once per
server (ui/state.py), so the first visit finds them ready instead of waiting.
"""

from __future__ import annotations

import contextlib
import threading

from ui import state

_started = {"predictions": threading.Lock(), "keras": threading.Lock()}
_done = {name: threading.Event() for name in _started}


def start(teacher: bool) -> None:
    """Start filling the caches, each once per server process; returns at once."""
    _once("predictions", _predictions)
    if teacher:
        _once("keras", _keras)


def _once(name: str, fill) -> None:
    if _started[name].acquire(blocking=False):
        threading.Thread(target=_fill, args=(name, fill), name=f"warm-{name}", daemon=True).start()


def _fill(name: str, fill) -> None:
    # A failure here only means the page computes it on its visit and explains what is missing.
    with contextlib.suppress(Exception):
        entry = state.shipped_entry(state.SHIPPED)
        if entry is not None:
            fill(entry)
    _done[name].set()


def _predictions(entry: state.ModelEntry) -> None:
    state.evaluation(entry, "val")  # Samples: the grid's predictions (raises without the dataset).


def _keras(entry: state.ModelEntry) -> None:
    state.keras_model(entry)  # Architecture and Inside: TensorFlow and the model in Keras.


def wait(timeout: float | None = None) -> bool:
    """Wait until every started fill has ended (for tests and benchmarks); return whether they have."""
    return all(_done[name].wait(timeout) for name, lock in _started.items() if lock.locked())
