"""Every page of the app through Streamlit's AppTest, in both languages: no exception, controls present."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnn import config, roles
from ui import registry
from ui.text import STRINGS


def open_app(language: str = "en", page: str | None = None, teacher: bool = True, class_code: str = "") -> AppTest:
    """Open the app as the teacher (through the teacher link) or, with teacher=False, as a student; maybe of a class."""
    app = AppTest.from_file(str(config.PROJECT_DIR / "streamlit_app.py"), default_timeout=120)
    app.query_params["lang"] = language
    if class_code:
        app.query_params["class"] = class_code
    if teacher:
        app.query_params["teacher"] = os.environ[roles.PASSCODE_ENV]
    app.run()
    if page:
        app.switch_page(registry.BY_NAME[page].script).run()
    return app


def text_of(app: AppTest) -> str:
    kinds = ("markdown", "caption", "header", "subheader", "info", "success")
    parts = [element.value for kind in kinds for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("page", [page.name for page in registry.PAGES])
def test_every_page_runs_without_exception_in_both_languages(page, language):
    app = open_app(language, page)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert app.header[0].value == STRINGS[registry.BY_NAME[page].header][language]


def test_the_registry_lists_every_page_script_once_with_its_texts():
    scripts = sorted(f"ui/pages/{path.name}" for path in (config.PROJECT_DIR / "ui/pages").glob("*.py"))
    assert sorted(page.script for page in registry.PAGES) == scripts
    assert all(page.nav in STRINGS and page.header in STRINGS for page in registry.PAGES)


def test_the_language_follows_the_query_parameter_and_the_control():
    app = open_app("en")
    assert app.segmented_control(key="language").value == "en"
    assert app.button(key="train_button").label == "Train"
    app.segmented_control(key="language").set_value("ko").run()
    assert app.button(key="train_button").label == "훈련 시작"
    assert app.query_params["lang"] == ["ko"] or app.query_params["lang"] == "ko"


def test_the_train_page_has_the_chapters_defaults_and_stable_keys():
    app = open_app("en")
    assert app.slider(key="train_epochs").value == 20
    assert app.slider(key="train_patience").value == 2
    assert app.select_slider(key="train_batch_size").value == 32
    assert app.select_slider(key="train_learning_rate").value == 0.001
    assert app.slider(key="train_dropout").value == pytest.approx(0.4)
    assert app.selectbox(key="train_images").value == 48_000
    assert not app.button(key="train_button").disabled
    assert app.button(key="stop_button").disabled


def test_the_shipped_model_is_active_at_start():
    app = open_app("en")
    assert app.radio(key="model_choice").value == "shipped"
    assert app.metric[0].value.endswith("%")


def test_a_tiny_training_run_finishes_and_becomes_the_active_model():
    app = open_app("en")
    app.slider(key="train_epochs").set_value(2)
    app.selectbox(key="train_images").set_value(1_000)
    assert not _motion_switched_off(app)
    app.button(key="train_button").click().run()
    assert app.button(key="stop_button").disabled is False
    assert _motion_switched_off(app)  # The browser spends less CPU redrawing the live panel.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not app.success:
        time.sleep(1)
        app.run()
    assert app.success, "the run did not finish"
    assert "Done" in app.success[0].value
    app.run()
    assert app.radio(key="model_choice").value.startswith("run:")
    assert not _motion_switched_off(app)
    assert not app.exception


def _motion_switched_off(app: AppTest) -> bool:
    return any("transition: none" in str(element.proto.body) for element in app.get("html"))


def test_selecting_a_validation_sample_shows_its_bars():
    app = open_app("en", "samples")
    assert app.subheader[0].value == "Selected sample #0"
    assert "True: Bag" in text_of(app)
    app.number_input(key="samples_index").set_value(6).run()
    assert app.subheader[0].value == "Selected sample #6"
    assert "True: Trouser" in text_of(app)
    assert len(app.get("vega_lite_chart")) >= 2  # the sample's bars and the confusion matrix


def test_a_sample_picked_on_samples_is_the_one_inside_looks_at():
    app = open_app("en", "samples")
    app.button(key="pick_7").click().run()
    assert app.subheader[0].value == "Selected sample #7"
    app.switch_page(registry.BY_NAME["inside"].script).run()
    assert app.number_input(key="inside_sample").value == 7
    assert not app.exception


def test_filters_select_wrong_predictions_of_one_class():
    app = open_app("en", "samples")
    app.selectbox(key="samples_class").set_value(6).run()
    app.segmented_control(key="samples_correct").set_value("wrong").run()
    picks = [b for b in app.button if b.key and b.key.startswith("pick_")]
    assert picks and all("Shirt" in b.label and "→ Shirt" not in b.label for b in picks)


def test_choosing_a_confusion_cell_lists_those_images():
    app = open_app("en", "samples")
    app.selectbox(key="confusion_true").set_value(0)
    app.selectbox(key="confusion_pred").set_value(6).run()
    cells = [b for b in app.button if b.key and b.key.startswith("cell_pick_")]
    assert cells and all(b.label.startswith("#") and "T-shirt/top" in b.label and "Shirt]" in b.label for b in cells)


def test_the_test_page_reports_an_accuracy_only_when_asked():
    app = open_app("ko", "test")
    assert "출시하기 직전 딱 한 번만" in app.warning[0].value
    assert not [m for m in app.metric if m.label == "테스트 정확도"]
    app.button(key="test_button").click().run()
    accuracy = next(m for m in app.metric if m.label == "테스트 정확도").value
    assert 0.9 <= float(accuracy.rstrip("%")) / 100 <= 1.0
    assert len(app.dataframe) == 1


def test_the_draw_page_shows_a_hint_before_anything_is_drawn():
    app = open_app("en", "draw")
    assert app.slider(key="brush_width").value > 0
    assert any("Draw a garment on the canvas" in i.value for i in app.info)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_draw_pages_hint_says_what_the_chosen_model_needs(language):
    app = open_app(language, "draw")
    hints = [i.value for i in app.info]
    # The drawing model reads outlines; the chapter's model learned from filled silhouettes.
    assert STRINGS["draw.hint_drawing"][language] in hints and STRINGS["draw.hint"][language] not in hints
    app.button_group(key="draw_model").set_value("active").run()
    hints = [i.value for i in app.info]
    assert STRINGS["draw.hint"][language] in hints and STRINGS["draw.hint_drawing"][language] not in hints
    assert not app.exception


def test_the_upload_page_shows_a_hint_and_can_use_an_example():
    app = open_app("en", "upload")
    assert any("Upload an image" in i.value for i in app.info)
    example = app.selectbox(key="upload_example")
    assert len(example.options) > 1  # "(none)" and the shipped examples
    example.set_value(example.options[1]).run()
    assert app.subheader[0].value.startswith("Prediction:")


def shown_probabilities(app: AppTest) -> np.ndarray:
    """Return the probabilities of the page's (last) bar chart, which Streamlit sends as an Arrow table."""
    import pyarrow

    table = pyarrow.ipc.open_stream(app.get("vega_lite_chart")[-1].proto.data.data).read_all()
    return np.asarray(table.column("probability").to_pylist())


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_upload_page_answers_with_the_drawing_model_unless_the_active_one_is_picked(language):
    from cnn import model_files, photo

    example = "photo-shirt.jpg"
    image = photo.prepare_file(config.EXAMPLES_DIR / example)
    expected = {
        kind: model_files.load_model(directory / "model.keras").predict_on_batch(image[None])[0]
        for kind, directory in (("drawing", config.UPLOAD_VIEW_MODEL_DIR), ("active", config.SHIPPED_MODEL_DIR))
    }
    app = open_app(language, "upload")
    choice = app.button_group(key="upload_model")
    assert choice.value == "drawing" and choice.label == STRINGS["upload.model"][language]
    assert choice.options[0] == STRINGS["upload.model_default"][language]
    app.selectbox(key="upload_example").set_value(example).run()
    assert np.allclose(shown_probabilities(app), expected["drawing"], atol=1e-3)
    app.button_group(key="upload_model").set_value("active").run()
    assert np.allclose(shown_probabilities(app), expected["active"], atol=1e-3)
    assert not app.exception


def test_the_pages_default_models_are_the_command_lines():
    from ui import model_choice, state

    for page, folder in (("draw", config.DRAW_VIEW_MODEL_DIR), ("upload", config.UPLOAD_VIEW_MODEL_DIR)):
        assert state.SHIPPED_DIRS[model_choice.default_kind(page)] == folder
    with pytest.raises(ValueError, match="page must be one of"):
        model_choice.default_kind("train")


def test_the_upload_page_follows_its_default_models_folder(monkeypatch):
    from cnn import model_files, photo
    from ui import model_choice

    # Were the Upload page's default the chapter model, which is also the active one, there is nothing to choose.
    monkeypatch.setitem(model_choice.PAGE_DEFAULTS, "upload", config.SHIPPED_MODEL_DIR)
    image = photo.prepare_file(config.EXAMPLES_DIR / "photo-shirt.jpg")
    expected = model_files.load_model(config.SHIPPED_MODEL_PATH).predict_on_batch(image[None])[0]
    app = open_app("en", "upload")
    assert not [group for group in app.button_group if group.key == "upload_model"]
    app.selectbox(key="upload_example").set_value("photo-shirt.jpg").run()
    assert np.allclose(shown_probabilities(app), expected, atol=1e-3)
    assert not app.exception


def test_without_graphviz_the_architecture_page_still_draws_a_graph(monkeypatch):
    from cnn import architecture

    monkeypatch.setattr(architecture, "graphviz_available", lambda: False)
    app = open_app("en", "architecture")
    assert not app.exception and not app.error
    charts = app.get("graphviz_chart")
    assert len(charts) == 1 and "conv2d" in charts[0].proto.spec
    assert any("graphviz is not installed" in c.value for c in app.caption)


def test_two_students_pressing_train_get_one_run_and_a_queue():
    first = open_app("en")
    first.slider(key="train_epochs").set_value(20)
    first.selectbox(key="train_images").set_value(3_000)
    first.button(key="train_button").click().run()
    second = open_app("en")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any("Another student is training" in i.value for i in second.info):
        time.sleep(0.5)
        second.run()
    assert any("Another student is training (3,000 images, batch 32)" in i.value for i in second.info)
    assert not second.error
    second.selectbox(key="train_images").set_value(1_000)
    second.button(key="train_button").click().run()
    assert any("position 1 in the queue" in i.value for i in second.info)
    assert second.button(key="stop_button").disabled is False  # A queued run can be withdrawn.
    second.button(key="stop_button").click().run()
    first.button(key="stop_button").click().run()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not first.success:
        time.sleep(1)
        first.run()
    assert "Stopped" in " ".join(i.value for i in first.info)
    assert not first.exception and not second.exception


def test_the_quick_recipe_trains_the_quick_preset():
    from cnn.config import TrainConfig
    from ui import state

    app = open_app("en")
    app.segmented_control(key="train_recipe").set_value("quick").run()
    preset = TrainConfig.quick()
    # Folded under a one-line expander, so that the live chart stays above a projector's fold.
    assert any(f"{preset.epochs} epochs, batch {preset.batch_size}" in m.value for m in app.expander[0].markdown)
    assert "train_epochs" not in [s.key for s in app.slider]  # The preset's values are fixed.
    app.selectbox(key="train_images").set_value(1_000)
    app.button(key="train_button").click().run()
    job = state.training_board().get(app.session_state["job_id"])
    assert job.config == TrainConfig.quick(train_limit=1_000)
    job.stop()
    job.join(120)
    assert not app.exception


def test_the_train_table_names_its_columns_in_the_pages_language():
    def table():
        import streamlit as st

        from ui import train_view

        st.session_state.language = "ko"
        train_view._history_table({"loss": [0.5], "val_loss": [0.4], "accuracy": [0.81], "val_accuracy": [0.86]})

    app = AppTest.from_function(table, default_timeout=60).run()
    frame = app.dataframe[0].value
    assert list(frame.columns) == ["에포크", "훈련 손실", "검증 손실", "훈련 정확도", "검증 정확도"]
    assert frame["검증 정확도"][0] == pytest.approx(86.0)  # shown as a percentage, not 0.86
