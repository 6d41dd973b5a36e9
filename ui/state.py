"""What the app keeps: shared things once per server (dataset, shipped models, the training board)
and per-student things in the session (language, models trained or uploaded, the active one)."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import streamlit as st

from cnn import class_models, config, data, jobs, model_files, numpy_model
from cnn.evaluate import Evaluation, evaluate
from cnn.predict import predict_probabilities
from cnn.training_run import RunSummary
from ui import classroom
from ui.text import DEFAULT_LANGUAGE, LANGUAGE_NAMES, t

# The server answers many students' single images at once: one BLAS thread each is faster.
numpy_model.single_threaded_blas()

SHIPPED, DRAWING = "shipped", "drawing"
# A student's session sees the model the teacher trained or uploaded as this kind (cnn.class_models).
TEACHERS = "teachers"
# Students' sessions see the teacher's change of the class's model within this many seconds.
SHARED_MODEL_TTL = 2.0
SHIPPED_DIRS = {SHIPPED: config.SHIPPED_MODEL_DIR, DRAWING: config.DRAWING_MODEL_DIR}
# A session keeps at most this many models of its own (trained or uploaded); older
# ones are dropped so 30 students cannot fill the server's memory.
MAX_SESSION_MODELS = 4
# How many trainings may run at once on this server; two cores train one model well.
MAX_RUNNING_TRAININGS = int(os.environ.get("CNN_MAX_TRAININGS", "1"))
# When the teacher lets students train, at most this many students' runs wait; the teacher's always goes first.
MAX_QUEUED_STUDENT_RUNS = 5
# The validation sample picked on the Samples page: a plain session key, not a widget's, so that it
# outlives the page (Streamlit drops a widget's state when its page is left) and Inside can read it.
PICKED_SAMPLE = "sample_index"
# How long a training process made ready in advance waits for a run (0 switches it off; see cnn/jobs.py).
WARM_TRAINING_SECONDS = float(os.environ.get("CNN_WARM_TRAINING_SECONDS", jobs.WARM_IDLE_SECONDS))
# Whether that process also builds and traces the model of the Train page's settings (0: no; bench.first_batch).
PREPARE_NEXT_RUN = os.environ.get("CNN_PREPARE_NEXT_RUN", "1") != "0"
# After the dataset failed to load (missing, corrupt, no network for the download),
# pages say so at once for this long instead of trying again on every click.
DATASET_RETRY_SECONDS = 60.0


@dataclasses.dataclass(frozen=True)
class ModelEntry:
    """A model the session can make active, with what the app shows about it."""

    token: str  # "shipped", "drawing", "run:<id>" or "upload:<sha256 prefix>"; keys the caches
    kind: str  # "shipped", "drawing", "trained" or "uploaded"
    # Predictions run on a NumpyModel; the .keras file gives the Keras model where one is needed.
    model: numpy_model.NumpyModel = dataclasses.field(repr=False, compare=False)
    file: bytes | None = dataclasses.field(default=None, repr=False, compare=False)  # None: shipped, on disk
    name: str = ""
    history: dict | None = None
    # How the model was trained and scored; an uploaded model's is all unknown.
    summary: RunSummary = dataclasses.field(default_factory=RunSummary)

    def made(self) -> str | None:
        """Return when the model was made as the app shows it: a trained one's time of day, else the date."""
        created = self.summary.created
        if not created:
            return None
        if self.kind == "trained":
            return datetime.datetime.fromisoformat(created).astimezone().strftime("%H:%M")
        return created[:10]

    def val_accuracy(self) -> float | None:
        """Return the accuracy on the chapter's 12,000 validation images, as the Samples page measures it.

        The drawing model's own val_accuracy is on those images with drawing-style copies and sketches
        added; its metrics.json also holds the figure on the real images alone, which is shown instead.
        """
        real = self.summary.extra.get("val_real_accuracy")
        return float(real) if real is not None else self.summary.val_accuracy

    def label(self) -> str:
        """Return the name shown in the model list, in the session's language."""
        if self.kind == SHIPPED:
            return t("model.shipped")
        if self.kind == DRAWING:
            return t("model.drawing_class") if self.file is not None else t("model.drawing")
        if self.kind == "trained":
            return t("model.trained", time=self.made() or "")
        if self.kind == TEACHERS:
            return t("model.teachers", name=self.name)
        return t("model.uploaded", name=self.name)


# Shared, once per server -------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _dataset() -> data.Dataset:
    return data.load_dataset()


@st.cache_resource(show_spinner=False)
def _dataset_failure() -> dict:
    return {}


def dataset() -> data.Dataset:
    """Return the verified dataset, loaded once per server (raises cnn.data.DatasetError when it is missing)."""
    failure = _dataset_failure()
    if failure and time.monotonic() - failure["at"] < DATASET_RETRY_SECONDS:
        raise data.DatasetError(failure["message"])
    try:
        return _dataset()
    except data.DatasetError as error:
        failure.update(at=time.monotonic(), message=str(error))
        raise


def dataset_or_explain() -> data.Dataset | None:
    """Return the dataset, or show how to install it and return None."""
    try:
        return dataset()
    except data.DatasetError as error:
        st.error(f"**{t('data.missing_title')}**\n\n{t('data.missing_body')}\n\n{error}")
        return None


@st.cache_resource(show_spinner=False)
def _shipped_entry(kind: str) -> ModelEntry | None:
    folder = SHIPPED_DIRS[kind]
    if not (folder / "model.keras").is_file():
        return None
    model = numpy_model.load(folder / "model.keras")
    history = _read_json(folder / "history.json")
    try:
        summary = RunSummary.from_json(_read_json(folder / "metrics.json") or {})
    except ValueError:
        summary = RunSummary()  # A broken metrics.json costs the figures, not the model.
    return ModelEntry(token=kind, kind=kind, model=model, history=history, summary=summary)


def shipped_entry(kind: str = SHIPPED) -> ModelEntry | None:
    """Return the shipped model `kind` ("shipped" or "drawing"), or None if its file is missing or broken.

    The drawing model is the class's own where the teacher chose one (ui/teach_view.py).
    """
    if kind == DRAWING:
        taught = class_drawing_entry()
        if taught is not None:
            return taught
    try:
        return _shipped_entry(kind)
    except model_files.ModelError:
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _class_drawing_entry(path: str) -> ModelEntry:
    # A class's model file is named by its content and never rewritten, so its path keys the cache.
    file = Path(path).read_bytes()
    try:
        summary = RunSummary.from_json(_read_json(Path(path).with_suffix(".json")) or {})
    except ValueError:
        summary = RunSummary()
    model = numpy_model.load_bytes(file, Path(path).name)
    return ModelEntry(token=f"drawing:{Path(path).stem}", kind=DRAWING, model=model, file=file, summary=summary)


def class_drawing_entry() -> ModelEntry | None:
    """Return the drawing model this session's class taught and chose, or None (the shipped one)."""
    from cnn.drawing import teach
    from ui import classroom

    path = teach.class_model(classroom.store(), classroom.class_code())
    if path is None:
        return None
    try:
        return _class_drawing_entry(str(path))
    except (OSError, model_files.ModelError):
        return None


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@st.cache_resource(show_spinner=False)
def training_board() -> jobs.TrainingBoard:
    """Return the server's one training board (see cnn.jobs)."""
    return jobs.TrainingBoard(
        max_running=MAX_RUNNING_TRAININGS,
        max_queued=MAX_QUEUED_STUDENT_RUNS,
        warm_idle_seconds=WARM_TRAINING_SECONDS,
        prepare_next_run=PREPARE_NEXT_RUN,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _evaluation(token: str, split: str, _model) -> Evaluation:
    part = dataset().split(split)
    return evaluate(_model, part.scaled(), part.labels)


def evaluation(entry: ModelEntry, split: str) -> Evaluation:
    """Return the model's figures on the "val" or "test" images, computed once per model and server."""
    return _evaluation(entry.token, split, entry.model)


def model_file(entry: ModelEntry) -> bytes:
    """Return the model as the bytes of a .keras file, for downloading."""
    if entry.file is None:
        return (SHIPPED_DIRS[entry.kind] / "model.keras").read_bytes()
    return entry.file


@st.cache_resource(show_spinner=False, max_entries=8)
def _keras_model(token: str, name: str, _read_file):
    # `_read_file` is called only on a cache miss: a shipped model's 4 MB file is read from
    # disk once, not on every rerun of the pages that need Keras.
    return model_files.load_model_bytes(_read_file(), name)


def keras_model(entry: ModelEntry):
    """Return the entry's model in Keras, once per model and server, for what needs TensorFlow.

    Only Grad-CAM, the filters and the architecture graph do; the first call imports
    TensorFlow (about 3 s), which the pages that merely predict never wait for.
    """
    return _keras_model(entry.token, entry.name or "model.keras", lambda: model_file(entry))


# Per student, in the session --------------------------------------------------------


def init_language() -> str:
    """Set the session's language from ?lang= on first run and keep the URL in step."""
    if "language" not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state.language = wanted if wanted in LANGUAGE_NAMES else DEFAULT_LANGUAGE
    return st.session_state.language


# Widgets whose options are shown in the session's language. Streamlit keeps a select box's choice
# as the text of its option, so after a language switch the old text matches no option: the
# widget showed the old language or nothing, and the next run fell back to the first option.
LANGUAGE_DEPENDENT_WIDGETS = (
    "model_choice",
    "samples_class",
    "samples_correct",
    "confusion_true",
    "confusion_pred",
    "upload_example",
    "train_recipe",
    "train_images",
    "draw_model",
    "upload_model",
    "send_label",
    "inside_source",
    "inside_class",
    "gallery_filter_label",
    "gallery_filter_right",
)


def keep_choices_across_language() -> None:
    """Re-set every language-dependent widget's value (a language-independent option) on a language switch.

    Called from the language control's on_change: the values are still read with the old labels,
    and set again they are shown with the new ones.
    """
    for name in LANGUAGE_DEPENDENT_WIDGETS:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def sync_language_to_url() -> None:
    """Write the chosen language into the URL so a reload or shared link keeps it."""
    if st.query_params.get("lang") != st.session_state.language:
        st.query_params["lang"] = st.session_state.language


def pick_sample(index: int) -> None:
    """Remember the validation sample the student picked, for the Samples and Inside pages."""
    st.session_state[PICKED_SAMPLE] = int(index)


def picked_sample() -> int:
    """Return the validation sample last picked on the Samples page (0, the chapter's val_scaled[0], at first)."""
    return int(st.session_state.get(PICKED_SAMPLE, 0))


def session_models() -> dict[str, ModelEntry]:
    """Return this session's own models by token, oldest first."""
    return st.session_state.setdefault("session_models", {})


def add_session_model(entry: ModelEntry, activate: bool = True) -> None:
    """Keep `entry` in the session (dropping the oldest beyond the limit) and maybe make it active."""
    models = session_models()
    models[entry.token] = entry
    while len(models) > MAX_SESSION_MODELS:
        oldest = next(iter(models))
        if oldest == st.session_state.get("model_choice"):
            break
        del models[oldest]
    if activate:
        st.session_state.model_choice = entry.token


@st.cache_resource(show_spinner=False, max_entries=8)
def _teachers_entry(path: str, token: str, name: str, summary: str, history: str) -> ModelEntry:
    # Keyed by the file's name, which names its content: each shared model is read once per server.
    file = Path(path).read_bytes()
    model = numpy_model.load_bytes(file, Path(path).name)
    return ModelEntry(
        token=token,
        kind=TEACHERS,
        model=model,
        file=file,
        name=name,
        history=json.loads(history),
        summary=RunSummary.from_json(json.loads(summary)),
    )


@st.cache_data(ttl=SHARED_MODEL_TTL, show_spinner=False, max_entries=64)
def _shared(class_code: str) -> class_models.Shared | None:
    # Every stroke of every student asks; the database is asked at most once per class per TTL.
    return class_models.shared(classroom.store(), class_code)


def class_model() -> ModelEntry | None:
    """Return the model the teacher shares with this student's class (None for the teacher, or when none is)."""
    if classroom.is_teacher():
        return None
    store = classroom.store()
    found = _shared(classroom.class_code())
    if found is None:
        return None
    path = class_models.model_path(store, found)
    if path is None:
        return shipped_entry(found.kind)
    try:
        return _teachers_entry(str(path), found.token, found.name, json.dumps(found.summary), json.dumps(found.history))
    except (OSError, ValueError, model_files.ModelError):
        return None  # A damaged shared file: the student keeps the shipped model rather than an error.


def share_with_class(entry: ModelEntry | None) -> None:
    """As the teacher, make `entry` (the active model) the class's, when it is not already."""
    if entry is None or not classroom.is_teacher():
        return
    store = classroom.store()
    code = classroom.class_code()
    found = _shared(code)
    if found is not None and found.token == entry.token:
        return
    name = entry.name or entry.made() or ""  # an upload's file name, or when the run finished
    shared = class_models.Shared(entry.token, entry.kind, name, None, entry.summary.to_json(), entry.history)
    class_models.share(store, code, shared, entry.file if entry.kind not in SHIPPED_DIRS else None)
    _shared.clear()


def available_models() -> dict[str, ModelEntry]:
    """Return every model this session may choose: a student's class model first, then the shipped ones."""
    choices = {}
    shared = class_model()
    if shared is not None:
        choices[shared.token] = shared
    for kind in (SHIPPED, DRAWING):
        entry = shipped_entry(kind)
        if entry is not None:
            choices[kind] = entry
    choices.update(session_models())
    return choices


def active_model() -> ModelEntry | None:
    """Return the session's active model (the shipped one unless the student chose another)."""
    choices = available_models()
    token = st.session_state.get("model_choice")
    if token in choices:
        return choices[token]
    return next(iter(choices.values()), None)


def trained_entry(job: jobs.JobView) -> ModelEntry:
    """Return the model entry for a finished training run."""
    result = job.result
    finished = datetime.datetime.fromtimestamp(job.finished or job.created, datetime.timezone.utc)
    summary = dataclasses.replace(result.summary(), created=finished.isoformat(timespec="seconds"))
    return ModelEntry(
        token=f"run:{job.id}",
        kind="trained",
        model=result.model,
        file=result.model_file,
        history=result.history,
        summary=summary,
    )


def uploaded_entry(data_bytes: bytes, name: str) -> ModelEntry:
    """Load an uploaded .keras file safely (raises cnn.model_files.ModelError) and return its entry.

    Keras' safe mode checks the file once, as a second guard after cnn.model_files.check_archive,
    and keeps the Keras model for the pages that need it; predictions then run in NumPy.
    """
    digest = hashlib.sha256(data_bytes).hexdigest()[:16]
    token = f"upload:{digest}"
    _keras_model(token, name, lambda: data_bytes)
    model = numpy_model.load_bytes(data_bytes, name)
    return ModelEntry(token=token, kind="uploaded", model=model, file=data_bytes, name=name)


def session_id() -> str:
    """Return an id for this browser session, stable across reruns."""
    if "session_id" not in st.session_state:
        st.session_state.session_id = os.urandom(8).hex()
    return st.session_state.session_id


def predict(entry: ModelEntry, image: np.ndarray) -> np.ndarray:
    """Return the 10 probabilities of one (28, 28, 1) image under `entry`'s model."""
    return predict_probabilities(entry.model, image[np.newaxis])[0]
