"""A small training status in the sidebar, on every page, so a run can be followed from anywhere."""

from __future__ import annotations

import streamlit as st

from ui import runs, state
from ui.text import duration, t


def _status() -> None:
    job = runs.own_job()
    if job is None or not job.active:
        if job is not None and job.result is not None and not runs.collected(job):
            st.rerun()  # The run just ended: redraw everything with the new model active.
        return
    state.training_board().get(job.id).touch()
    progress = job.progress
    if progress is None:
        st.caption(t("train.queued", position=max(1, job.queue_position)))
        return
    st.progress(
        progress.fraction,
        text=t("train.overall_progress", elapsed=duration(progress.elapsed), eta=duration(progress.eta)),
    )


def render() -> None:
    """Draw the status; it refreshes itself every two seconds while this session's run is going."""
    job = runs.own_job()
    active = job is not None and job.active
    with st.sidebar:
        st.fragment(_status, run_every=2.0 if active else None)()
