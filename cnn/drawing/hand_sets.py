"""The hand-made drawing sets, read from the JSON files in cnn/drawing/sets/: one tuned on, two held out.

Each file holds drawings of every class as strokes in a 0-100 box (see cnn.drawing.drawings),
written by hand before any model was measured on them and not changed since: tests pin each
set's content hash.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cnn.drawing.drawings import Drawing

SETS_DIR = Path(__file__).resolve().parent / "sets"
# In the order they were written: the first has helped tune the drawing model, the other two
# were each measured first as they are (bench/README.md#evaluation-sets).
SET_NAMES = ("tuning", "held_out_1", "held_out_2")


def load(name: str) -> tuple[Drawing, ...]:
    """Return the drawings of one set, by name (see SET_NAMES)."""
    if name not in SET_NAMES:
        raise ValueError(f"No hand-drawing set {name!r}; the sets are {', '.join(SET_NAMES)}.")
    records = json.loads((SETS_DIR / f"{name}.json").read_text(encoding="utf-8"))["drawings"]
    return tuple(
        Drawing(
            record["label"],
            record["name"],
            tuple(tuple(tuple(point) for point in stroke) for stroke in record["strokes"]),
        )
        for record in records
    )


def content_hash(drawings: tuple[Drawing, ...]) -> str:
    """Return a SHA-256 of a set's labels, names and strokes, blind to how its file is laid out."""
    content = [[drawing.label, drawing.name, drawing.strokes] for drawing in drawings]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


TUNING = load("tuning")
HELD_OUT_1 = load("held_out_1")
HELD_OUT_2 = load("held_out_2")


def drawings_of(label: int) -> list[Drawing]:
    """Return the tuning set's drawings of one class."""
    return [drawing for drawing in TUNING if drawing.label == label]
