"""The class gallery: drawings and photos students send to the class, kept in one SQLite file.

Many students send at once from their own sessions (threads of one server, or several
server processes sharing a folder), so every call opens its own short connection and the
database runs in WAL mode: readers never wait for the writer, writers wait a little for each
other (busy_timeout) instead of failing. Each class (a class code) has its own items and
settings. An export is a zip of PNGs and a `labels.csv` that `read_export` (and so
`python -m cnn.predict` and the benchmarks) can read back: a lesson's drawings become a test set.

Nothing here knows about Streamlit.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from cnn import config

DATA_DIR_ENV = "CNN_DATA_DIR"
DATABASE_NAME = "classroom.sqlite3"
# A sent canvas is a PNG of a few tens of kB; anything far larger is not a drawing.
MAX_PICTURE_BYTES = 2_000_000
MAX_PICTURE_SIDE = 2048
# Per student and class: a bounded number of items, and a pause between sends, so one
# student (or a stuck button) cannot fill the gallery.
MAX_ITEMS_PER_STUDENT = 30
MIN_SECONDS_BETWEEN_SENDS = 2.0
MAX_NICKNAME = 24
MAX_CLASS_CODE = 24
DEFAULT_CLASS = "class"
# How long a writer waits for another writer before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000
EXPORT_LABELS = "labels.csv"
EXPORT_FIELDS = (
    "id",
    "canvas",
    "input",
    "label",
    "label_name",
    "predicted",
    "predicted_name",
    "confidence",
    "nickname",
    "sent",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    class_code TEXT NOT NULL,
    student TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    label INTEGER NOT NULL,
    predicted INTEGER NOT NULL,
    probabilities TEXT NOT NULL,
    source TEXT NOT NULL,
    picture BLOB NOT NULL,
    input BLOB NOT NULL,
    sent REAL NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_by_class ON items (class_code, id);
CREATE INDEX IF NOT EXISTS items_by_student ON items (class_code, student, sent);
CREATE TABLE IF NOT EXISTS settings (
    class_code TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (class_code, name)
);
"""


class GalleryError(ValueError):
    """A send the gallery refuses; `reason` names a message the UI translates."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Item:
    """One sent drawing or photo as the gallery shows it."""

    id: int
    class_code: str
    nickname: str
    label: int  # what the student meant to draw
    predicted: int  # what the model said
    probabilities: tuple[float, ...]
    source: str  # "drawing" or "photo"
    sent: float  # Unix time
    hidden: bool

    @property
    def right(self) -> bool:
        return self.label == self.predicted

    @property
    def confidence(self) -> float:
        return self.probabilities[self.predicted]


def default_data_dir() -> Path:
    """Return $CNN_DATA_DIR, or ~/.local/share/cnn-classroom: outside the repository, kept between lessons."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    return Path.home() / ".local" / "share" / "cnn-classroom"


def clean_class_code(code: str | None) -> str:
    """Return a class code made safe and short (letters, digits, - and _), or the default class."""
    kept = "".join(ch for ch in (code or "").strip().lower() if ch.isalnum() or ch in "-_")[:MAX_CLASS_CODE]
    return kept or DEFAULT_CLASS


def png_bytes(pixels: np.ndarray) -> bytes:
    """Return a PNG of an RGBA/RGB/gray uint8 array, or of a (28, 28[, 1]) float image in [0, 1]."""
    array = np.asarray(pixels)
    if array.dtype != np.uint8:
        array = np.round(255 * np.clip(array.astype(np.float32), 0, 1)).astype(np.uint8)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def input_from_png(data: bytes) -> np.ndarray:
    """Return a stored 28x28 input PNG as the model reads it: (28, 28, 1) float32 in [0, 1]."""
    image = Image.open(io.BytesIO(data)).convert("L")
    if image.size != (config.IMAGE_SIZE, config.IMAGE_SIZE):
        raise ValueError(f"An input picture must be {config.IMAGE_SIZE}x{config.IMAGE_SIZE}, got {image.size}.")
    return (np.asarray(image, dtype=np.float32) / 255.0)[..., np.newaxis]


def _check_picture(data: bytes) -> None:
    if len(data) > MAX_PICTURE_BYTES:
        raise GalleryError("too_large", f"The picture is larger than {MAX_PICTURE_BYTES // 1_000_000} MB.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception as error:  # any decoding failure means "not a picture"
        raise GalleryError("not_picture", "The item is not a picture.") from error
    if max(width, height) > MAX_PICTURE_SIDE:
        raise GalleryError("too_large", f"The picture is larger than {MAX_PICTURE_SIDE} pixels on a side.")


class Gallery:
    """The classroom database in `folder` (created when missing); safe to share between threads and processes."""

    def __init__(self, folder: str | Path | None = None, clock=time.time):
        self.folder = Path(folder) if folder is not None else default_data_dir()
        self.path = self.folder / DATABASE_NAME
        self._clock = clock
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA synchronous=NORMAL")
            yield connection
        finally:
            connection.close()

    def add(
        self,
        class_code: str,
        student: str,
        label: int,
        probabilities: np.ndarray,
        picture: bytes,
        model_input: np.ndarray,
        nickname: str = "",
        source: str = "drawing",
    ) -> int:
        """Store one sent item and return its id; raises GalleryError when a limit refuses it."""
        if not 0 <= int(label) < config.NUM_CLASSES:
            raise GalleryError("bad_label", f"The label must be one of the {config.NUM_CLASSES} classes.")
        probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
        if probabilities.shape != (config.NUM_CLASSES,) or not np.all(np.isfinite(probabilities)):
            raise GalleryError("bad_prediction", "The prediction must hold one probability per class.")
        _check_picture(picture)
        model_input = np.asarray(model_input, dtype=np.float32).reshape(config.INPUT_SHAPE)
        nickname = " ".join(str(nickname).split())[:MAX_NICKNAME]
        class_code = clean_class_code(class_code)
        now = self._clock()
        with self._connect() as connection:
            # BEGIN IMMEDIATE takes the write lock first, so two sends by one student cannot both pass the limits.
            connection.execute("BEGIN IMMEDIATE")
            try:
                count, last = connection.execute(
                    "SELECT COUNT(*), MAX(sent) FROM items WHERE class_code = ? AND student = ?", (class_code, student)
                ).fetchone()
                if count >= MAX_ITEMS_PER_STUDENT:
                    raise GalleryError(
                        "too_many", f"You have sent {MAX_ITEMS_PER_STUDENT} items, the most one student can."
                    )
                if last is not None and now - last < MIN_SECONDS_BETWEEN_SENDS:
                    raise GalleryError("too_fast", "Wait a moment before sending again.")
                cursor = connection.execute(
                    "INSERT INTO items (class_code, student, nickname, label, predicted, probabilities, source,"
                    " picture, input, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        class_code,
                        student,
                        nickname,
                        int(label),
                        int(np.argmax(probabilities)),
                        json.dumps([round(float(p), 6) for p in probabilities]),
                        source,
                        picture,
                        png_bytes(model_input),
                        now,
                    ),
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return int(cursor.lastrowid)

    def items(
        self,
        class_code: str,
        include_hidden: bool = False,
        label: int | None = None,
        right: bool | None = None,
        after: int = 0,
    ) -> list[Item]:
        """Return a class's items, oldest first, filtered by meant class and by right/wrong."""
        query = (
            "SELECT id, class_code, nickname, label, predicted, probabilities, source, sent, hidden FROM items"
            " WHERE class_code = ? AND id > ?"
        )
        arguments: list = [clean_class_code(class_code), after]
        if not include_hidden:
            query += " AND hidden = 0"
        if label is not None:
            query += " AND label = ?"
            arguments.append(int(label))
        if right is not None:
            query += " AND (label = predicted) = ?"
            arguments.append(int(right))
        with self._connect() as connection:
            rows = connection.execute(query + " ORDER BY id", arguments).fetchall()
        return [
            Item(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), row[6], row[7], bool(row[8]))
            for row in rows
        ]

    def pictures(self, item_id: int) -> tuple[bytes, bytes]:
        """Return (sent picture PNG/JPEG, 28x28 input PNG) of one item; KeyError if it is gone."""
        with self._connect() as connection:
            row = connection.execute("SELECT picture, input FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
        return bytes(row[0]), bytes(row[1])

    def model_input(self, item_id: int) -> np.ndarray:
        """Return one item's 28x28 input as the model reads it."""
        return input_from_png(self.pictures(item_id)[1])

    def set_hidden(self, item_id: int, hidden: bool = True) -> None:
        """Hide an item from the class's gallery (moderation) or show it again."""
        with self._connect() as connection:
            connection.execute("UPDATE items SET hidden = ? WHERE id = ?", (int(hidden), item_id))

    def clear(self, class_code: str) -> int:
        """Delete a class's items and return how many went."""
        with self._connect() as connection:
            return connection.execute(
                "DELETE FROM items WHERE class_code = ?", (clean_class_code(class_code),)
            ).rowcount

    def sent_by(self, class_code: str, student: str) -> int:
        """Return how many items a student has sent to a class."""
        with self._connect() as connection:
            return connection.execute(
                "SELECT COUNT(*) FROM items WHERE class_code = ? AND student = ?",
                (clean_class_code(class_code), student),
            ).fetchone()[0]

    def setting(self, class_code: str, name: str, default: str | None = None) -> str | None:
        """Return a class setting's stored value, or `default`."""
        with self._connect() as connection:
            row = connection.execute(
                "SELECT value FROM settings WHERE class_code = ? AND name = ?", (clean_class_code(class_code), name)
            ).fetchone()
        return row[0] if row else default

    def set_setting(self, class_code: str, name: str, value: str) -> None:
        """Store a class setting."""
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO settings (class_code, name, value) VALUES (?, ?, ?)"
                " ON CONFLICT (class_code, name) DO UPDATE SET value = excluded.value",
                (clean_class_code(class_code), name, str(value)),
            )

    def export_zip(self, class_code: str, include_hidden: bool = False) -> bytes:
        """Return a zip of the class's items: canvas/<id>.png, input/<id>.png and labels.csv."""
        names = config.class_names("en")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            table = io.StringIO()
            writer = csv.DictWriter(table, fieldnames=EXPORT_FIELDS)
            writer.writeheader()
            for item in self.items(class_code, include_hidden=include_hidden):
                picture, model_input = self.pictures(item.id)
                canvas_name, input_name = f"canvas/{item.id:06d}.png", f"input/{item.id:06d}.png"
                archive.writestr(canvas_name, _as_png(picture))
                archive.writestr(input_name, model_input)
                writer.writerow(
                    {
                        "id": item.id,
                        "canvas": canvas_name,
                        "input": input_name,
                        "label": item.label,
                        "label_name": names[item.label],
                        "predicted": item.predicted,
                        "predicted_name": names[item.predicted],
                        "confidence": f"{item.confidence:.4f}",
                        "nickname": item.nickname,
                        "sent": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(item.sent)),
                    }
                )
            archive.writestr(EXPORT_LABELS, table.getvalue())
        return buffer.getvalue()


def _as_png(picture: bytes) -> bytes:
    """Return a sent picture as PNG (photos may come as JPEG), so an export holds one format."""
    if picture.startswith(b"\x89PNG"):
        return picture
    with Image.open(io.BytesIO(picture)) as image:
        return png_bytes(np.asarray(image.convert("RGBA")))


@dataclasses.dataclass(frozen=True)
class ExportedItem:
    """One row of a gallery export, read back."""

    label: int
    predicted: int
    canvas: bytes  # PNG as sent (a canvas is RGBA)
    model_input: np.ndarray  # (28, 28, 1) float32 in [0, 1]


def read_export(source: bytes | str | Path) -> list[ExportedItem]:
    """Read a gallery export zip back: its labels and pictures, in the order of labels.csv."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read(EXPORT_LABELS).decode("utf-8"))))
        return [
            ExportedItem(
                label=int(row["label"]),
                predicted=int(row["predicted"]),
                canvas=archive.read(row["canvas"]),
                model_input=input_from_png(archive.read(row["input"])),
            )
            for row in rows
        ]
