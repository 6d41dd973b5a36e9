"""The classroom through AppTest: every teacher action refused to a student on the server, allowed to the teacher."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from cnn import roles
from tests.test_app import open_app, text_of
from ui.text import STRINGS


def run_as(role: str, script) -> AppTest:
    """Run `script` (a function, whose body becomes the app) in a session with `role`, and return the app."""
    app = AppTest.from_function(script, default_timeout=60)
    app.session_state["role"] = role
    app.session_state["language"] = "en"
    app.session_state["class_code"] = f"test-{role}-{script.__name__}"
    return app.run()


def _start_training():
    import streamlit as st

    from cnn.config import TrainConfig
    from ui import state, train_view

    before = len(state.training_board().active())
    train_view._start(TrainConfig.fast(epochs=1, train_limit=64, val_limit=32))
    st.session_state.queued = len(state.training_board().active()) - before
    st.write(st.session_state.get("train_message", ""))


def _upload_model():
    import streamlit as st

    from ui import model_panel

    kind, message = model_panel.offer_model(b"not a model", "x.keras")
    st.write(f"{kind} {message}")


def _change_settings():
    import streamlit as st

    from cnn import roles
    from ui import classroom

    try:
        classroom.set_students_may_train(True)
        st.write(f"changed {classroom.students_may_train()}")
    except roles.NotAllowed as error:
        st.write(f"refused {classroom.refusal(error)}")


def _moderate_and_export():
    import numpy as np
    import streamlit as st

    from cnn import gallery, roles
    from ui import classroom, gallery_view

    store = classroom.store()
    picture = gallery.png_bytes(np.zeros((8, 8, 4), np.uint8))
    item = store.add(classroom.class_code(), "someone", 1, np.eye(10)[1], picture, np.zeros((28, 28, 1), np.float32))
    gallery_view._hide(item, True)
    st.write(f"hidden {[i.hidden for i in store.items(classroom.class_code(), include_hidden=True)]}")
    st.write(f"refusal {st.session_state.get('gallery_refused', '')}")
    try:
        classroom.require_teacher("classroom.action_export")
        st.write(f"export {len(store.export_zip(classroom.class_code())) > 0}")
    except roles.NotAllowed:
        st.write("export refused")


def written(app: AppTest) -> str:
    return "\n".join(str(element.value) for element in app.markdown)


def test_a_student_calling_start_training_directly_is_refused_and_nothing_is_queued():
    app = run_as(roles.STUDENT, _start_training)
    assert not app.exception, [e.value for e in app.exception]
    assert "Only the teacher can start or stop training" in written(app)
    assert app.session_state["queued"] == 0


def test_a_student_cannot_upload_a_model_and_a_teacher_is_told_why_a_file_is_bad():
    student = written(run_as(roles.STUDENT, _upload_model))
    assert "Only the teacher can change or upload the class's model" in student
    teacher = written(run_as(roles.TEACHER, _upload_model))
    assert "error" in teacher and "Only the teacher" not in teacher


def test_only_the_teacher_changes_the_class_settings():
    assert "refused" in written(run_as(roles.STUDENT, _change_settings))
    assert "changed True" in written(run_as(roles.TEACHER, _change_settings))


def test_only_the_teacher_hides_drawings_and_exports_the_gallery():
    student = written(run_as(roles.STUDENT, _moderate_and_export))
    assert "[False]" in student and "Only the teacher can hide or clear drawings" in student
    assert "export refused" in student
    teacher = written(run_as(roles.TEACHER, _moderate_and_export))
    assert "[True]" in teacher and "export True" in teacher


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_student_sees_train_locked_no_model_upload_and_the_gallery_on_the_projector(language):
    app = open_app(language, teacher=False)
    assert not app.exception
    assert app.button(key="train_button").disabled
    assert not [u for u in app.get("file_uploader") if u.key == "model_upload"]
    assert app.radio(key="model_choice").disabled
    app.switch_page("ui/pages/gallery.py").run()
    assert not app.exception
    assert ("projector" if language == "en" else "프로젝터") in text_of(app)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_teacher_link_unlocks_and_shows_the_join_panel_and_class_settings(language):
    app = open_app(language, "gallery", teacher=True)
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["role"] == roles.TEACHER
    assert "teacher" not in app.query_params
    assert app.toggle(key="students_may_train").value is False
    assert ("Students join here" if language == "en" else "학생은 여기로") in text_of(app) + "".join(
        s.value for s in app.subheader
    )


def test_a_wrong_passcode_in_the_sidebar_is_refused_and_the_right_one_unlocks():
    app = open_app("en", teacher=False)
    app.text_input(key="teacher_passcode").set_value("wrong guess")
    app.button(key="FormSubmitter:teacher_unlock-Unlock teacher mode").click().run()
    assert app.session_state["role"] == roles.STUDENT
    assert any("not right" in e.value for e in app.error)
    app.text_input(key="teacher_passcode").set_value(os.environ[roles.PASSCODE_ENV])
    app.button(key="FormSubmitter:teacher_unlock-Unlock teacher mode").click().run()
    assert app.session_state["role"] == roles.TEACHER
    assert not app.button(key="train_button").disabled


def _teacher_shares_an_uploaded_model():
    import streamlit as st

    from cnn import config
    from ui import state

    entry = state.uploaded_entry(config.SHIPPED_MODEL_PATH.read_bytes(), "our-model.keras")
    state.share_with_class(entry)
    st.write("shared")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_model_the_teacher_makes_active_becomes_the_students_in_that_class_only(language):
    class_code = f"shared-model-{language}"
    teacher = AppTest.from_function(_teacher_shares_an_uploaded_model, default_timeout=60)
    teacher.session_state["role"] = roles.TEACHER
    teacher.session_state["class_code"] = class_code
    assert not teacher.run().exception

    student = open_app(language, "draw", teacher=False, class_code=class_code)
    assert not student.exception
    expected = STRINGS["model.teachers"][language].format(name="our-model.keras")
    (choice,) = [radio for radio in student.sidebar.radio if radio.key == "model_choice"]
    assert choice.value.startswith("upload:") and choice.disabled
    assert expected in choice.options
    other = open_app(language, "draw", teacher=False, class_code=f"other-{language}")
    (choice,) = [radio for radio in other.sidebar.radio if radio.key == "model_choice"]
    assert choice.value == "shipped"


def test_a_teacher_choosing_the_drawing_model_shares_it_with_the_class():
    teacher = open_app("en", class_code="shared-drawing")
    teacher.sidebar.radio(key="model_choice").set_value("drawing").run()
    assert not teacher.exception
    student = open_app("en", "samples", teacher=False, class_code="shared-drawing")
    assert student.sidebar.radio(key="model_choice").value == "drawing"
