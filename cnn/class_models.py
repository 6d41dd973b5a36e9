"""The model a class shares: the one the teacher made active, kept beside the classroom database.

The teacher's trained or uploaded model lives in the teacher's session, and every student is a
session of their own, so the teacher's choice is stored per class code: the model's .keras file in
the data folder (named by its content, written once, so a cache keyed by its name stays right) and,
in the class's settings, which model it is with the figures the sidebar shows. A shipped model is
shared by its kind alone. Nothing here knows about Streamlit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path

SETTING = "class_model"
FOLDER = "models"


@dataclasses.dataclass(frozen=True)
class Shared:
    """What the teacher shares: a model's token and kind, its name and figures, and its file (None: shipped)."""

    token: str
    kind: str
    name: str = ""
    file: str | None = None  # a file name in the store's FOLDER
    summary: dict = dataclasses.field(default_factory=dict)  # cnn.training_run.RunSummary.to_json()
    history: dict | None = None


def folder(store) -> Path:
    """Return the folder of a classroom store (cnn.gallery.Gallery) that holds its classes' model files."""
    return Path(store.folder) / FOLDER


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that readers never see half a file."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


def write_model(store, model_file: bytes, prefix: str) -> str:
    """Write a .keras file's bytes under a name made of `prefix` and its content's hash; return the name."""
    target = folder(store)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{hashlib.sha256(model_file).hexdigest()[:16]}.keras"
    if not (target / name).is_file():
        write_atomically(target / name, model_file)
    return name


def share(store, class_code: str, shared: Shared, model_file: bytes | None = None) -> Shared:
    """Make `shared` the class's model; `model_file` (its .keras bytes) is stored unless it is a shipped one."""
    if model_file is not None:
        shared = dataclasses.replace(shared, file=write_model(store, model_file, "class"))
    store.set_setting(class_code, SETTING, json.dumps(dataclasses.asdict(shared)))
    return shared


def shared(store, class_code: str) -> Shared | None:
    """Return the class's shared model, or None when the teacher has shared none (or its file is gone)."""
    raw = store.setting(class_code, SETTING)
    if not raw:
        return None
    try:
        found = Shared(**json.loads(raw))
    except (TypeError, ValueError):
        return None  # Written by another version: as if nothing were shared.
    if found.file is not None and not (folder(store) / found.file).is_file():
        return None
    return found


def model_path(store, found: Shared) -> Path | None:
    """Return the file of a shared model, None for a shipped one."""
    return None if found.file is None else folder(store) / found.file
