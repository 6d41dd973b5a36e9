"""The sidebar's model panel: which model is active, what it scored, download it, or upload another."""

from __future__ import annotations

import streamlit as st

from cnn import config, model_files, roles
from ui import classroom, state
from ui.text import STRINGS, t


def refusal_reason(error: model_files.ModelError) -> str:
    """Return why a model file cannot be used, in the session's language."""
    key = f"model_error.{error.reason}"
    return t(key, **error.values) if key in STRINGS else t("model_error.unusable")


def offer_model(data: bytes, name: str) -> tuple[str, str]:
    """Make an uploaded .keras file the active model if it is safe and fits; return (kind, message).

    On any problem the active model stays as it was and the message says why.
    """
    try:
        classroom.require_teacher("classroom.action_model")
    except roles.NotAllowed as error:
        return "error", classroom.refusal(error)
    try:
        entry = state.uploaded_entry(data, name)
    except model_files.ModelError as error:
        return "error", t("model.upload_refused", name=name, reason=refusal_reason(error))
    state.add_session_model(entry)
    return "success", t("model.upload_ok", name=name)


def _upload_model() -> None:
    uploaded = st.session_state.get("model_upload")
    if uploaded is not None:
        st.session_state.model_upload_message = offer_model(uploaded.getvalue(), uploaded.name)


def render() -> state.ModelEntry | None:
    """Draw the panel in the sidebar and return the active model (None when there is none)."""
    with st.sidebar:
        st.subheader(t("model.header"))
        choices = state.available_models()
        if not choices:
            st.warning(t("model.missing", path=config.SHIPPED_MODEL_PATH))
        else:
            if st.session_state.get("model_choice") not in choices:
                st.session_state.model_choice = next(iter(choices))
            if not classroom.is_teacher():
                # The class's model is the teacher's choice; a student's session keeps the default.
                st.session_state.model_choice = next(iter(choices))
            st.radio(
                t("model.choice"),
                list(choices),
                disabled=not classroom.is_teacher(),
                # Labels are worked out now: format functions must not read the session later.
                format_func={token: entry.label() for token, entry in choices.items()}.get,
                key="model_choice",
            )
        active = state.active_model()
        if active is not None:
            summary = active.summary
            val_accuracy = active.val_accuracy()
            accuracy = f"{val_accuracy:.2%}" if val_accuracy is not None else t("model.unknown")
            st.metric(t("model.val_accuracy"), accuracy, help=t("model.val_on"))
            details = []
            if summary.epochs_run:
                details.append(
                    f"{t('model.epochs')}: {t('model.epochs_value', run=summary.epochs_run, best=summary.best_epoch)}"
                )
            if active.made():
                details.append(f"{t('model.created')}: {active.made()}")
            if details:
                st.caption("  \n".join(details))
            st.download_button(
                t("model.download"),
                data=lambda: state.model_file(active),
                file_name=f"{active.token.replace(':', '-')}.keras",
                mime="application/octet-stream",
                key="model_download",
                on_click="ignore",
            )
        if not classroom.is_teacher():
            return active
        st.file_uploader(
            t("model.upload"),
            # No type filter: the browser's own refusal of another file type is English and easy to
            # miss; the file's content is checked here and refused in the session's language.
            key="model_upload",
            help=t("model.upload_help"),
            on_change=_upload_model,
        )
        message = st.session_state.pop("model_upload_message", None)
        if message:
            (st.error if message[0] == "error" else st.success)(message[1])
    return active
