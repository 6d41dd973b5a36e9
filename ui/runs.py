"""This session's training run: following it, finding it again after a reload, and making its model active once."""

from __future__ import annotations

import streamlit as st

from cnn import jobs
from ui import state


def follow(job: jobs.TrainingJob) -> None:
    """Make `job` this session's run and name it in the URL (?run=) so a reload finds it."""
    st.session_state.job_id = job.id
    st.query_params["run"] = job.id


def own_job() -> jobs.JobView | None:
    """Return this session's latest training run, if the board still has it."""
    job = state.training_board().get(st.session_state.get("job_id"))
    return job.view() if job else None


def restore_run_from_url() -> None:
    """After a page reload, find the run named by ?run= so a finished model is not lost."""
    run_id = st.query_params.get("run")
    if run_id and "job_id" not in st.session_state and state.training_board().get(run_id):
        st.session_state.job_id = run_id


def collected(job: jobs.JobView) -> bool:
    """Return whether the finished run's model has been made active already."""
    return job.id in st.session_state.get("activated_runs", set())


def collect_finished_run() -> None:
    """Make a finished run's model active, once, wherever the student is in the app."""
    job = own_job()
    if job is None or job.result is None:
        return
    activated = st.session_state.setdefault("activated_runs", set())
    if job.id not in activated:
        activated.add(job.id)
        state.add_session_model(state.trained_entry(job))
