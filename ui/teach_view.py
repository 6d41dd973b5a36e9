"""Teach the model (the teacher's, on the gallery page): fine-tune the class's drawing model on its drawings.

The split (shown with its seed and counts), the run on the training board like any run, then
the before/after table on the held-out drawings and the real test set, the drawings whose
answer changed, and the teacher's choice. The fine-tune itself is cnn.drawing.teach; every
action is checked on the server when it runs.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import streamlit as st

from cnn import config, gallery, jobs, roles
from cnn.drawing import teach
from ui import classroom, prediction, state
from ui.text import duration, language, t

REFRESH_SECONDS = 1.0
CHANGED_COLUMNS = 6


def _drawings() -> list[gallery.Item]:
    """Return the class's drawings that may teach: sent from Draw, not hidden."""
    return [item for item in classroom.store().items(classroom.class_code()) if item.source == "drawing"]


def _own_job() -> jobs.JobView | None:
    job = state.training_board().get(st.session_state.get("teach_job_id"))
    return job.view() if job else None


def _refuse(error: roles.NotAllowed) -> None:
    st.session_state.teach_message = ("error", classroom.refusal(error))


def few_message(counts: dict[int, tuple[int, int]], few: list[int]) -> str:
    """Return the "too little data" warning naming each thin class with its count."""
    names = config.class_names(language())
    classes = ", ".join(f"{names[label]} {sum(counts[label])}" for label in few)
    return t("teach.few", least=teach.FEW_DRAWINGS, classes=classes)


def start(items: list[gallery.Item], chosen: teach.Split) -> None:
    """Queue the fine-tune of the class's drawing model on the taught drawings (teacher only)."""
    try:
        classroom.require_teacher("teach.action")
    except roles.NotAllowed as error:
        _refuse(error)
        return
    store = classroom.store()
    base = teach.class_model(store, classroom.class_code()) or teach.base_model_path()
    if not base.is_file():
        st.session_state.teach_message = ("error", t("teach.no_model"))
        return
    dataset = state.dataset_or_explain()
    if dataset is None:
        return
    try:
        inputs = np.stack([store.model_input(item.id) for item in items])
    except KeyError:
        st.session_state.teach_message = ("error", t("teach.gone"))  # Cleared while the page was open.
        return
    labels = np.array([item.label for item in items])
    taught, held = list(chosen.taught), list(chosen.held_out)
    teach_config = teach.TeachConfig.make(
        base,
        inputs[taught],
        labels[taught],
        inputs[held],
        labels[held],
        seed=chosen.seed,
        held_out_ids=tuple(items[position].id for position in held),
    )
    try:
        job = state.training_board().submit(
            teach_config, dataset.source, owner=state.session_id(), priority=jobs.TEACHER_PRIORITY
        )
    except (jobs.BoardBusy, jobs.QueueFull):
        st.session_state.teach_message = ("error", t("teach.busy"))
        return
    st.session_state.teach_job_id = job.id
    st.session_state.teach_decision = None


def _stop() -> None:
    try:
        classroom.require_teacher("teach.action")
    except roles.NotAllowed as error:
        _refuse(error)
        return
    job = state.training_board().get(st.session_state.get("teach_job_id"))
    if job is not None:
        job.stop()


def _again() -> None:
    st.session_state.teach_job_id = None


def decide(adopt: bool) -> None:
    """Make the finished run's model the class's drawing model, or keep the old one (teacher only)."""
    try:
        classroom.require_teacher("classroom.action_model")
    except roles.NotAllowed as error:
        _refuse(error)
        return
    job = _own_job()
    if job is None or job.result is None:
        return
    if adopt:
        teach.adopt(classroom.store(), classroom.class_code(), job.result.model_file, job.result.summary().to_json())
    st.session_state.teach_decision = "adopted" if adopt else "kept"


def _back_to_shipped() -> None:
    try:
        classroom.require_teacher("classroom.action_model")
    except roles.NotAllowed as error:
        _refuse(error)
        return
    teach.keep_shipped(classroom.store(), classroom.class_code())


def _setup(items: list[gallery.Item]) -> None:
    if not items:
        st.info(t("teach.none"))
        return
    names = config.class_names(language())
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    seed = left.number_input(
        t("teach.seed"), 0, 9999, teach.DEFAULT_SEED, step=1, key="teach_seed", help=t("teach.seed_help")
    )
    chosen = teach.split([item.label for item in items], seed=int(seed))
    right.markdown(t("teach.split", seed=int(seed), taught=len(chosen.taught), held=len(chosen.held_out)))
    st.table(
        {
            t("teach.class"): [names[label] for label in chosen.counts],
            t("teach.drawings"): [sum(counts) for counts in chosen.counts.values()],
            t("teach.taught"): [taught for taught, _ in chosen.counts.values()],
            t("teach.held_out"): [held for _, held in chosen.counts.values()],
        },
        border="horizontal",
    )
    few = chosen.few()
    if few:
        with st.container(key="teach_few"):
            st.warning(few_message(chosen.counts, few), icon=":material/warning:")
    st.button(
        t("teach.start"),
        key="teach_start",
        type="primary",
        icon=":material/school:",
        help=t("teach.start_help"),
        on_click=start,
        args=(items, chosen),
    )


def _running() -> None:
    job = _own_job()
    if job is None or not job.active:
        st.rerun()  # The run just ended: draw the before/after table.
        return
    state.training_board().get(job.id).touch()
    progress = job.progress
    if job.state == jobs.QUEUED:
        st.caption(t("train.queued", position=max(1, job.queue_position)))
    elif progress is None:
        st.caption(t("teach.preparing"))
    else:
        text = t(
            "teach.progress",
            epoch=progress.epoch,
            epochs=progress.epochs,
            elapsed=duration(progress.elapsed),
            eta=duration(progress.eta),
        )
        st.progress(progress.fraction, text=text)
    st.button(t("train.stop"), key="teach_stop", icon=":material/stop:", help=t("train.stop_help"), on_click=_stop)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def comparison_table(comparison: teach.Comparison) -> dict[str, list]:
    """Return the before/after table's columns in the session's language, classes that have drawings and "all"."""
    names = config.class_names(language())
    rows = [row for row in comparison.rows() if row["class"] is None or row["taught"] or row["held_out"]]
    return {
        t("teach.class"): [t("teach.all") if row["class"] is None else names[row["class"]] for row in rows],
        t("teach.taught"): [row["taught"] for row in rows],
        t("teach.held_out"): [row["held_out"] for row in rows],
        t("teach.held_before"): [_percent(row["held_out_before"]) for row in rows],
        t("teach.held_after"): [_percent(row["held_out_after"]) for row in rows],
        t("teach.test_before"): [_percent(row["test_before"]) for row in rows],
        t("teach.test_after"): [_percent(row["test_after"]) for row in rows],
    }


def _changed(comparison: teach.Comparison, ids: tuple[int, ...]) -> None:
    names = config.class_names(language())
    changed = comparison.changed()
    st.markdown(f"**{t('teach.changed')}**")
    if not changed:
        st.caption(t("teach.no_changed"))
        return
    store = classroom.store()
    for start_at in range(0, len(changed), CHANGED_COLUMNS):
        row = changed[start_at : start_at + CHANGED_COLUMNS]
        for column, (position, meant, before, after) in zip(st.columns(CHANGED_COLUMNS), row, strict=False):
            with column.container(key=f"teach_changed_{ids[position]}", border=True):
                with contextlib.suppress(KeyError):  # A drawing deleted since still counts in the table.
                    st.image(prediction.input_picture(store.model_input(ids[position]), 3))
                mark = ":green[:material/check_circle:]" if after == meant else ":red[:material/cancel:]"
                st.caption(f"{mark} " + t("teach.change", meant=names[meant], before=names[before], after=names[after]))


def _result(job: jobs.JobView) -> None:
    if job.result is None:
        st.error(t("teach.failed", error=job.error or "?"))
        st.button(t("teach.again"), key="teach_again", on_click=_again)
        return
    result = job.result
    comparison = teach.Comparison.from_json(result.extra["comparison"])
    st.markdown(f"#### {t('teach.result')}")
    if result.stopped_by_user:
        st.caption(t("teach.stopped"))
    st.caption(t("teach.result_intro"))
    with st.container(key="teach_result"):
        st.table(comparison_table(comparison), border="horizontal")
    total = comparison.rows()[-1]
    if comparison.test_fell():
        st.warning(t("teach.test_cost", before=total["test_before"], after=total["test_after"]))
    counts = {
        label: (comparison.taught_counts[label], comparison.held_out_labels.count(label))
        for label in range(config.NUM_CLASSES)
        if comparison.taught_counts[label] or label in comparison.held_out_labels
    }
    few = [label for label, pair in counts.items() if sum(pair) < teach.FEW_DRAWINGS]
    if few:
        st.warning(few_message(counts, few), icon=":material/warning:")
    _changed(comparison, job.config.held_out_ids)
    decision = st.session_state.get("teach_decision")
    if decision == "adopted":
        st.success(t("teach.adopted"))
    elif decision == "kept":
        st.info(t("teach.kept"))
    else:
        adopt, keep = st.columns(2)
        adopt.button(t("teach.adopt"), key="teach_adopt", type="primary", on_click=decide, args=(True,))
        keep.button(t("teach.keep"), key="teach_keep", on_click=decide, args=(False,))
    new, old, again = st.columns(3)
    new.download_button(
        t("teach.download_new"),
        result.model_file,
        file_name=f"drawing-taught-{classroom.class_code()}.keras",
        mime="application/octet-stream",
        key="teach_download_new",
        icon=":material/download:",
        on_click="ignore",
    )
    old.download_button(
        t("teach.download_old"),
        lambda: Path(job.config.base_model).read_bytes(),
        file_name="drawing-before.keras",
        mime="application/octet-stream",
        key="teach_download_old",
        icon=":material/download:",
        on_click="ignore",
    )
    again.button(t("teach.again"), key="teach_again", icon=":material/refresh:", on_click=_again)


def render() -> None:
    """Draw the teaching section of the gallery page (the page shows it to the teacher only)."""
    job = _own_job()
    with st.expander(t("teach.header"), icon=":material/school:", expanded=job is not None), st.container(key="teach"):
        st.caption(t("teach.intro"))
        message = st.session_state.pop("teach_message", None)
        if message:
            st.error(message[1])
        if teach.class_model(classroom.store(), classroom.class_code()) is not None:
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.caption(t("teach.current_class"))
            right.button(t("teach.back_to_shipped"), key="teach_back", on_click=_back_to_shipped)
        if job is not None and job.active:
            st.fragment(_running, run_every=REFRESH_SECONDS)()
        elif job is not None:
            _result(job)
        else:
            _setup(_drawings())
