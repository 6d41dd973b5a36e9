"""Train: the chapter's hyperparameters, Train and Stop, and a live progress bar and loss chart."""

from __future__ import annotations

import time

import streamlit as st

from cnn import jobs, plots, roles
from cnn.config import TrainConfig
from ui import charts, classroom, registry, runs, state
from ui.text import duration, language, t

BATCH_SIZES = (16, 32, 64, 128, 256)
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01)
TRAIN_IMAGE_COUNTS = (48_000, 12_000, 3_000, 1_000)
# The table's columns in the order the chapter prints them, and their decimals.
TABLE_COLUMNS = ("loss", "val_loss", "accuracy", "val_accuracy")
# Time left is shown once this many batches have been timed after the first one (which pays for tracing).
ETA_AFTER_BATCHES = 5
# How often the live panel redraws while a run is going, in seconds.
REFRESH_SECONDS = 1.0
# While a run trains the panel redraws every second, and each redraw starts CSS transitions
# (progress bars sliding, elements fading while stale) that a browser without a GPU paints in
# software on the cores the training needs: headless Chromium here spent 0.128 cores with them
# and 0.067 without (bench/README.md, "Speed"). Motion is switched off only during a run.
STILL_WHILE_TRAINING = (
    "<style>*, *::before, *::after { transition: none !important; animation: none !important; }</style>"
)


def _titles(metric: str) -> dict[str, str]:
    labels = plots.LABELS[language()]
    return {
        "epoch": labels["epoch"],
        "metric": labels[metric],
        "train": labels["train"],
        "val": labels["val"],
        "running": labels["running"],
        "best": labels["best"],
        "stopped": labels["stopped"],
    }


def _recipe(disabled: bool) -> str:
    names = {"chapter": t("train.recipe_chapter"), "quick": t("train.recipe_quick")}
    recipe = st.segmented_control(
        t("train.recipe"),
        list(names),
        default="chapter",
        required=True,
        format_func=names.get,
        key="train_recipe",
        disabled=disabled,
        persist_state="session",
    )
    return recipe or "chapter"


def _controls(disabled: bool) -> TrainConfig | str:
    """Draw the hyperparameter controls; return the run's configuration, or why it is not valid."""
    recipe = _recipe(disabled)
    # Values survive a visit to another page; they cannot change while a run is going.
    common = {"disabled": disabled, "persist_state": "session"}
    image_labels = {
        n: t("train.images_all" if n == 48_000 else "train.images_some", count=n) for n in TRAIN_IMAGE_COUNTS
    }
    if recipe == "quick":
        preset = TrainConfig.quick()
        # Folded: four lines about schedules and bfloat16 pushed the live chart below a projector's fold.
        with st.expander(t("train.quick_about")):
            st.markdown(
                t(
                    "train.quick_help",
                    epochs=preset.epochs,
                    batch=preset.batch_size,
                    rate=preset.learning_rate,
                    warmup=preset.warmup_epochs,
                    dropout=preset.dropout_rate,
                )
            )
        limit = st.selectbox(
            t("train.images"), TRAIN_IMAGE_COUNTS, format_func=image_labels.get, key="train_images", **common
        )
        return _config(TrainConfig.quick, {"train_limit": limit})
    defaults = TrainConfig()
    left, right = st.columns(2)
    values = {}
    with left:
        values["epochs"] = st.slider(t("train.epochs"), 1, 50, defaults.epochs, key="train_epochs", **common)
        st.caption(t("train.epochs_help"))
        values["patience"] = st.slider(t("train.patience"), 0, 10, defaults.patience, key="train_patience", **common)
        st.caption(t("train.patience_help"))
        values["train_limit"] = st.selectbox(
            t("train.images"), TRAIN_IMAGE_COUNTS, format_func=image_labels.get, key="train_images", **common
        )
        st.caption(t("train.images_help"))
    with right:
        values["batch_size"] = st.select_slider(
            t("train.batch_size"), BATCH_SIZES, defaults.batch_size, key="train_batch_size", **common
        )
        st.caption(t("train.batch_size_help"))
        values["learning_rate"] = st.select_slider(
            t("train.learning_rate"), LEARNING_RATES, defaults.learning_rate, key="train_learning_rate", **common
        )
        st.caption(t("train.learning_rate_help"))
        values["dropout_rate"] = st.slider(
            t("train.dropout"), 0.0, 0.8, defaults.dropout_rate, 0.05, key="train_dropout", **common
        )
        st.caption(t("train.dropout_help"))
    return _config(TrainConfig, values)


def _config(make, values: dict) -> TrainConfig | str:
    # All 48,000 images is the chapter's setting, written as "no limit".
    if values.get("train_limit") == TRAIN_IMAGE_COUNTS[0]:
        values["train_limit"] = None
    try:
        return make(**values)
    except ValueError as error:
        return t("train.invalid", error=error)


def _start(train_config: TrainConfig | str) -> None:
    if isinstance(train_config, str):
        st.session_state.train_message = train_config
        return
    if not classroom.may_train():
        st.session_state.train_message = classroom.refusal(roles.NotAllowed("classroom.action_train"))
        return
    try:
        job = state.training_board().submit(
            train_config, state.dataset().source, owner=state.session_id(), priority=classroom.training_priority()
        )
    except jobs.BoardBusy:
        st.session_state.train_message = t("train.busy")
        return
    except jobs.QueueFull:
        st.session_state.train_message = t("classroom.queue_full")
        return
    runs.follow(job)


def _others() -> None:
    mine = st.session_state.get("job_id")
    for other in state.training_board().active():
        if other.id == mine:
            continue
        if other.progress is None:
            st.info(t("train.other_waiting"))
        else:
            progress = other.progress
            images = other.config.train_limit or len(state.dataset().train)
            message = t(
                "train.other_running",
                images=images,
                batch=other.config.batch_size,
                epoch=progress.epoch,
                epochs=progress.epochs,
                eta=duration(progress.eta),
            )
            st.info(message)
        break


def _live_panel() -> None:
    job = runs.own_job()
    if job is None:
        return
    if not job.active and st.session_state.get("train_drawn_busy"):
        st.rerun()  # The run ended (or left the queue) since the page was drawn: enable Train again.
    if job.active:
        state.training_board().get(job.id).touch()
    if job.state == jobs.QUEUED:
        st.info(t("train.queued", position=job.queue_position))
        _others()
        return
    progress = job.progress
    history = job.result.history if job.result else (progress.history if progress else {})
    running = None
    if job.active:
        # Counted from the press, waiting included: that is what the class has waited.
        elapsed = time.time() - job.created
        if progress is None:
            st.info(t("train.starting", elapsed=duration(elapsed)), icon=":material/hourglass_top:")
            return
        st.progress(progress.batch / progress.batches, text=t("train.epoch_progress", **_counts(progress)))
        left = _time_left(job.id, progress)
        if left is None:
            overall = t("train.overall_estimating", elapsed=duration(elapsed))
        else:
            overall = t("train.overall_progress", elapsed=duration(elapsed), eta=duration(left))
        st.progress(progress.fraction, text=overall)
        if progress.phase == "validating":
            st.caption(t("train.validating", epoch=progress.epoch))
        else:
            st.caption(t("train.running_loss", loss=progress.loss, accuracy=progress.accuracy))
            running = (progress.epoch - 1 + progress.batch / progress.batches, progress.loss)
    result = job.result
    if job.state == jobs.FAILED:
        st.error(t("train.failed", error=job.error))
    if result is not None:
        st.success(t("train.done", epochs=result.epochs_run, best=result.best_epoch, accuracy=result.best_val_accuracy))
        if result.stopped_early:
            st.info(t("train.early", patience=result.config.patience))
        if result.stopped_by_user:
            st.info(t("train.stopped", best=result.best_epoch))
        if runs.collected(job):
            st.caption(t("train.activated"))
        else:
            st.rerun()  # Makes the new model active everywhere, including the sidebar.
    best = result.best_epoch if result else None
    stopped = result.epochs_run if result and result.stopped_early else None
    spec = charts.history_chart(history, "loss", _titles("loss"), job.config.epochs, running, best, stopped)
    with st.container(key="train_chart_area"):  # A stable handle for tests and benchmarks.
        st.vega_lite_chart(spec, width="stretch", key="train_chart")
    if history.get("loss"):
        _history_table(history)


def _history_table(history: dict) -> None:
    # Column names in the page's language; losses with four decimals, accuracies as percentages.
    rows = {t("train.table_epoch"): list(range(1, len(history["loss"]) + 1))}
    formats = {}
    for name in TABLE_COLUMNS:
        title, percent = t(f"train.table_{name}"), "accuracy" in name
        rows[title] = [100 * value if percent else value for value in history[name]]
        formats[title] = st.column_config.NumberColumn(format="%.2f%%" if percent else "%.4f")
    st.dataframe(rows, hide_index=True, width="stretch", column_config=formats)


def _time_left(job_id: str, progress) -> float | None:
    """Return the seconds left, timed from the first batch this page saw, or None until a few batches are timed.

    The training's own estimate counts the first batch, which traces the model and took several
    times longer than the others: it said "about 1:47 left" for a run of 6 s.
    """
    done = (progress.epoch - 1) * progress.batches + progress.batch
    first = st.session_state.setdefault(f"train_first_batch_{job_id}", (time.monotonic(), done))
    timed = done - first[1]
    if timed < ETA_AFTER_BATCHES:
        return None
    remaining = progress.epochs * progress.batches - done
    return (time.monotonic() - first[0]) / timed * remaining


def _counts(progress) -> dict:
    return {"epoch": progress.epoch, "epochs": progress.epochs, "batch": progress.batch, "batches": progress.batches}


def render() -> None:
    """Draw the Train page."""
    registry.header("train")
    st.caption(t("train.intro"))
    if state.dataset_or_explain() is None:
        return
    job = runs.own_job()
    busy = job is not None and job.active
    st.session_state.train_drawn_busy = busy
    allowed = classroom.may_train()
    if not allowed:
        st.info(classroom.refusal(roles.NotAllowed("classroom.action_train")), icon=":material/lock:")
    # With a run to show, the buttons and the live panel come first, so the loss chart is above a
    # projector's fold; the settings, fixed during a run, are folded below.
    if job is not None:
        buttons, panel = st.container(), st.container()
        settings = st.expander(t("train.settings"), expanded=not busy)
    else:
        settings, buttons, panel = st.container(), st.container(), st.container()
    with settings:
        train_config = _controls(disabled=busy or not allowed)
    if allowed and not busy:  # The next run then starts at once, its model built and traced already.
        expected = train_config if isinstance(train_config, TrainConfig) else None
        state.training_board().warm_up(state.dataset().source, expected)
    with buttons:
        left, right = st.columns([1, 1])
        pressed = left.button(
            t("train.button"), key="train_button", type="primary", disabled=busy or not allowed, width="stretch"
        )
        if pressed:
            _start(train_config)
            st.rerun()
        if right.button(t("train.stop"), key="stop_button", disabled=not busy, width="stretch"):
            state.training_board().get(job.id).stop()
        message = st.session_state.pop("train_message", None)
        if message:
            st.error(message)
        if not busy:
            _others()
    with panel:
        if busy:
            st.html(STILL_WHILE_TRAINING)
        st.fragment(_live_panel, run_every=REFRESH_SECONDS if busy else None)()
