"""The classroom in a session: who is the teacher, which class this is, and what the class allows.

Every teacher action asks `require_teacher` (or `may_train`) here, on the server, when it
runs; the buttons students never see are only a courtesy. The role lives in the session,
unlocked with the passcode (cnn.roles) typed in the sidebar or carried once by the teacher
link's `?teacher=...`, which is then taken out of the address bar so the projector never shows it.
"""

from __future__ import annotations

import streamlit as st

from cnn import gallery, jobs, roles
from ui.text import t

STUDENTS_TRAIN = "students_train"
CLASS_PARAM = "class"
TEACHER_PARAM = "teacher"


@st.cache_resource(show_spinner=False)
def store() -> gallery.Gallery:
    """Return the server's classroom database (one per server process, in $CNN_DATA_DIR)."""
    return gallery.Gallery()


def _configured_passcode() -> str | None:
    try:
        return st.secrets.get("teacher_passcode")
    except Exception:  # No secrets file, or an unreadable one: fall back to the environment.
        return None


def passcode() -> str:
    """Return the teacher passcode of this server."""
    return roles.passcode(_configured_passcode())


def role() -> str:
    """Return this session's role: roles.TEACHER once unlocked, else roles.STUDENT."""
    return st.session_state.get("role", roles.STUDENT)


def is_teacher() -> bool:
    return role() == roles.TEACHER


def unlock(given: str | None) -> bool:
    """Make this session the teacher's if `given` is the passcode (a wrong one waits, see cnn.roles)."""
    if roles.check(given, passcode()):
        st.session_state.role = roles.TEACHER
        return True
    return False


def lock() -> None:
    """Make this session a student's again."""
    st.session_state.role = roles.STUDENT


def init_from_url() -> None:
    """Read the class code and a teacher link's passcode from the address, once per session."""
    st.session_state.setdefault("role", roles.STUDENT)
    params = st.query_params
    if CLASS_PARAM in params and "class_code" not in st.session_state:
        st.session_state.class_code = gallery.clean_class_code(params[CLASS_PARAM])
    if TEACHER_PARAM in params:
        given = params[TEACHER_PARAM]
        del params[TEACHER_PARAM]
        if not unlock(given):
            st.session_state.passcode_refused = True


def class_code() -> str:
    """Return this session's class code (the default class when none was given)."""
    return st.session_state.get("class_code", gallery.DEFAULT_CLASS)


def require_teacher(action: str) -> None:
    """Raise roles.NotAllowed unless this session is the teacher's; `action` is a text key naming it."""
    roles.require_teacher(role(), action)


def students_may_train() -> bool:
    """Return whether the teacher lets students of this class start their own training runs."""
    return store().setting(class_code(), STUDENTS_TRAIN, "0") == "1"


def set_students_may_train(allowed: bool) -> None:
    require_teacher("classroom.action_settings")
    store().set_setting(class_code(), STUDENTS_TRAIN, "1" if allowed else "0")


def may_train() -> bool:
    """Return whether this session may start (and stop its own) training run."""
    return is_teacher() or students_may_train()


def training_priority() -> int:
    """Return where this session's run goes in the queue: the teacher's first."""
    return jobs.TEACHER_PRIORITY if is_teacher() else jobs.STUDENT_PRIORITY


def refusal(error: roles.NotAllowed) -> str:
    """Return the refusal of a teacher action in the session's language."""
    return t("classroom.refused", action=t(error.action))


def sidebar() -> None:
    """Draw the sidebar's classroom part: unlock for the teacher, or the teacher's class settings."""
    if not is_teacher():
        with st.expander(t("classroom.teacher"), expanded=st.session_state.get("passcode_refused", False)):
            with st.form("teacher_unlock", border=False, enter_to_submit=True):
                given = st.text_input(t("classroom.passcode"), type="password", key="teacher_passcode")
                unlocked = st.form_submit_button(t("classroom.unlock"))
            if unlocked:
                if unlock(given):
                    st.session_state.passcode_refused = False
                    st.rerun()
                st.session_state.passcode_refused = True
            if st.session_state.get("passcode_refused"):
                st.error(t("classroom.wrong_passcode"))
        return
    st.badge(t("classroom.teacher_on"), icon=":material/school:", color="green")
    code = st.text_input(t("classroom.class_code"), value=class_code(), key="class_code_input", max_chars=24)
    if gallery.clean_class_code(code) != class_code():
        st.session_state.class_code = gallery.clean_class_code(code)
        st.rerun()
    stored = students_may_train()
    allowed = st.toggle(t("classroom.students_train"), value=stored, key="students_may_train")
    if allowed != stored:
        set_students_may_train(allowed)
    if st.button(t("classroom.lock"), key="teacher_lock", icon=":material/lock:"):
        lock()
        st.rerun()
