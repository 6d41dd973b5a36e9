"""Teaching the model through AppTest: teacher only on the server, honest about too little data in both languages."""

from __future__ import annotations

import os

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnn import config, gallery, roles
from tests.test_classroom_app import run_as, written


def send_drawings(class_code: str, labels: list[int]) -> None:
    """Put drawings into a class's gallery as students would send them (each from another student)."""
    store = gallery.Gallery()
    picture = gallery.png_bytes(np.zeros((8, 8, 4), np.uint8))
    for number, label in enumerate(labels):
        image = np.zeros(config.INPUT_SHAPE, np.float32)
        image[4 + number % 10 : 20, 6:22] = 1.0
        store.add(class_code, f"student-{number}", label, np.eye(10)[label], picture, image)


def _start_teaching():
    import streamlit as st

    from cnn.drawing import teach
    from tests.test_teach_app import send_drawings
    from ui import classroom, state, teach_view

    send_drawings(classroom.class_code(), [1, 1, 1, 8, 8, 8])
    items = teach_view._drawings()
    before = len(state.training_board().active())
    teach_view.start(items, teach.split([item.label for item in items]))
    st.session_state.queued = len(state.training_board().active()) - before
    st.write(st.session_state.get("teach_message", ("", ""))[1])


def _adopt_without_a_run():
    import streamlit as st

    from ui import teach_view

    teach_view.decide(True)
    st.write(st.session_state.get("teach_message", ("", ""))[1])


def test_a_student_calling_teach_directly_is_refused_and_nothing_is_queued():
    app = run_as(roles.STUDENT, _start_teaching)
    assert not app.exception, [e.value for e in app.exception]
    assert "Only the teacher can teach the model with the class's drawings" in written(app)
    assert app.session_state["queued"] == 0
    assert "Only the teacher can change or upload the class's model" in written(
        run_as(roles.STUDENT, _adopt_without_a_run)
    )


def open_gallery(language: str, class_code: str) -> AppTest:
    app = AppTest.from_file(str(config.PROJECT_DIR / "streamlit_app.py"), default_timeout=120)
    app.query_params.update(lang=language, teacher=os.environ[roles.PASSCODE_ENV], **{"class": class_code})
    app.run()
    return app.switch_page("ui/pages/gallery.py").run()


@pytest.mark.parametrize(("language", "words"), [("en", "fewer than 5 drawings of a class"), ("ko", "5개보다 적으면")])
def test_with_a_few_drawings_per_class_the_teacher_is_told_the_figures_mean_little(language, words):
    code = f"few-{language}"
    send_drawings(code, [1] * 7 + [8] * 3)
    app = open_gallery(language, code)
    assert not app.exception, [e.value for e in app.exception]
    warnings = [w.value for w in app.warning]
    assert any(words in w for w in warnings), warnings
    bag = config.class_names(language)[8]
    assert any(f"{bag} 3" in w for w in warnings) and not any(
        config.class_names(language)[1] + " 7" in w for w in warnings
    )
    counts = app.table[0].value
    assert list(counts.iloc[:, 1]) == [7, 3]  # drawings per class, Trouser then Bag
    assert app.button(key="teach_start")


def test_with_enough_drawings_there_is_no_warning_and_the_seed_is_shown():
    code = "enough"
    send_drawings(code, [1] * 6 + [8] * 6)
    app = open_gallery("en", code)
    assert not app.exception, [e.value for e in app.exception]
    assert not [w.value for w in app.warning if "mean little" in w.value]
    assert app.number_input(key="teach_seed").value == 17
    assert any("Seed 17: 8 drawings teach, 4 are kept aside" in m.value for m in app.markdown)


def _draw_page_model():
    import streamlit as st

    from cnn import config
    from cnn.drawing import teach
    from ui import classroom, state

    before = state.shipped_entry(state.DRAWING)
    file = (config.DRAWING_MODEL_DIR / "model.keras").read_bytes()
    teach.adopt(classroom.store(), classroom.class_code(), file, {"val_accuracy": 0.5})
    after = state.shipped_entry(state.DRAWING)
    st.write(f"before {before.label()} {before.file is None}")
    st.write(f"after {after.label()} {after.token.startswith('drawing:')} {after.summary.val_accuracy}")


def test_the_model_the_teacher_chose_is_the_drawing_model_of_every_session_of_the_class():
    app = run_as(roles.STUDENT, _draw_page_model)
    assert not app.exception, [e.value for e in app.exception]
    assert "before Drawing model (augmented) True" in written(app)
    assert "after Drawing model (taught by the class) True 0.5" in written(app)


def _result_of_a_nonsense_lesson():
    import numpy as np

    from cnn import jobs
    from cnn.drawing import teach
    from cnn.training_run import TrainResult
    from ui import teach_view

    tests = [1000] * 10
    comparison = teach.Comparison(
        held_out_labels=[1, 1, 8],
        held_out_before=[1, 1, 8],
        held_out_after=[8, 1, 8],
        test_labels_count=tests,
        test_right_before=[900] * 10,
        test_right_after=[700] * 9 + [990],
        taught_counts=[0, 4, 0, 0, 0, 0, 0, 0, 4, 0],
        taught_right_before=[0, 4, 0, 0, 0, 0, 0, 0, 1, 0],
        taught_right_after=[0, 0, 0, 0, 0, 0, 0, 0, 4, 0],
    )
    images = np.zeros((8, 28, 28, 1), np.float32)
    teach_config = teach.TeachConfig.make(
        teach.base_model_path(), images, [8] * 8, images[:3], [1, 1, 8], held_out_ids=(101, 102, 103)
    )
    result = TrainResult(
        None, {}, 1, 1, False, False, 1.0, teach_config, b"model", extra={"comparison": comparison.to_json()}
    )
    job = jobs.JobView("x", jobs.FINISHED, teach_config, None, result, None, 0.0, 0.0, 1.0, 0)
    teach_view._result(job)


@pytest.mark.parametrize(("language", "words"), [("en", "fell from 90.0% to 72.9%"), ("ko", "90.0%에서 72.9%로")])
def test_a_lesson_with_nonsense_labels_warns_that_the_test_set_fell(language, words):
    app = AppTest.from_function(_result_of_a_nonsense_lesson, default_timeout=60)
    app.session_state["role"] = roles.TEACHER
    app.session_state["language"] = language
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(words in w.value for w in app.warning), [w.value for w in app.warning]
    table = app.table[0].value
    assert list(table.iloc[:, 0]) == [
        *(config.class_names(language)[i] for i in (1, 8)),
        "All" if language == "en" else "전체",
    ]
    assert list(table.iloc[-1, 3:5]) == ["100%", "67%"]  # kept-aside drawings before, after
    assert app.button(key="teach_adopt") and app.button(key="teach_keep")
