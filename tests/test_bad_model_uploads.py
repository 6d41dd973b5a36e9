"""A teacher uploads a .keras file: anything unsafe, broken or unfit is refused with a reason,
and the class keeps the model it had."""

from __future__ import annotations

import keras
import pytest
from keras import layers
from keras_archives import rewrite_config
from streamlit.testing.v1 import AppTest

from cnn import config, model_files, roles
from cnn import model as cnn_model


def offer_script(data: bytes, name: str) -> None:
    """A tiny app: offer the file through the model panel's own function, then show the outcome."""
    import streamlit as st

    from ui import model_panel, state

    if "outcome" not in st.session_state:
        st.session_state.outcome = model_panel.offer_model(data, name)
    kind, message = st.session_state.outcome
    st.text(kind)
    st.text(message)
    st.text(state.active_model().token)


def offer(data: bytes, name: str) -> tuple[str, str, str]:
    """Return (kind, message, active model token) after offering the file in a real session."""
    app = AppTest.from_function(offer_script, args=(data, name), default_timeout=60)
    app.session_state["language"] = "en"
    app.session_state["role"] = roles.TEACHER  # uploading the class's model is the teacher's
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    kind, message, token = (element.value for element in app.text)
    return kind, message, token


def saved(model: keras.Model) -> bytes:
    return model_files.model_bytes(model)


def test_a_good_model_becomes_active():
    kind, message, token = offer(saved(cnn_model.build_model()), "mine.keras")
    assert kind == "success" and "Loaded mine.keras" in message
    assert token.startswith("upload:")


def test_a_corrupt_file_is_refused_and_the_model_stays():
    kind, message, token = offer(b"PK\x03\x04" + bytes(200), "broken.keras")
    assert kind == "error" and "the active model is unchanged" in message and "not a .keras file" in message
    assert token == "shipped"


def test_a_truncated_model_is_refused():
    data = saved(cnn_model.build_model())
    kind, message, token = offer(data[: len(data) // 2], "cut.keras")
    assert kind == "error" and "cut.keras" in message and token == "shipped"


def test_the_wrong_input_shape_is_refused():
    wrong = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    kind, message, token = offer(saved(wrong), "cifar.keras")
    assert kind == "error" and "28x28x1" in message and token == "shipped"


def test_the_wrong_number_of_outputs_is_refused():
    wrong = keras.Sequential([keras.Input(config.INPUT_SHAPE), layers.Flatten(), layers.Dense(5)])
    kind, message, token = offer(saved(wrong), "five.keras")
    assert kind == "error" and "10 class probabilities" in message and token == "shipped"


def test_a_model_carrying_code_in_a_lambda_layer_is_refused():
    unsafe = keras.Sequential(
        [keras.Input(config.INPUT_SHAPE), layers.Lambda(lambda x: x * 2), layers.Flatten(), layers.Dense(10)]
    )
    kind, message, token = offer(saved(unsafe), "lambda.keras")
    assert kind == "error" and "Lambda" in message and token == "shipped"


def test_a_small_file_describing_a_huge_model_is_refused_before_it_is_built():
    def enormous(model_config):
        for layer in model_config["config"]["layers"]:
            if layer["class_name"] == "Dense" and layer["config"]["units"] == 100:
                layer["config"]["units"] = 50_000_000
        return model_config

    data = rewrite_config(saved(cnn_model.build_model()), enormous)
    kind, message, token = offer(data, "huge.keras")
    assert kind == "error" and "far too large" in message and token == "shipped"


def test_a_file_far_too_large_is_refused():
    kind, message, token = offer(b"0" * (model_files.MAX_MODEL_BYTES + 1), "big.keras")
    assert kind == "error" and "larger than" in message and token == "shipped"


def test_an_old_h5_or_pickle_file_is_refused_without_being_read():
    kind, message, token = offer(b"\x80\x04\x95 a pickle", "weights.h5")
    assert kind == "error" and ".keras" in message and token == "shipped"
    kind, message, token = offer(b"\x80\x04\x95 a pickle", "model.pkl")
    assert kind == "error" and token == "shipped"


def test_a_functional_model_is_refused_with_a_reason():
    inputs = keras.Input(config.INPUT_SHAPE)
    outputs = layers.Dense(10, activation="softmax")(layers.Flatten()(inputs))
    kind, message, token = offer(saved(keras.Model(inputs, outputs)), "functional.keras")
    assert kind == "error" and "Sequential" in message and token == "shipped"


@pytest.mark.parametrize("language", ["ko"])
def test_the_refusal_is_in_the_students_language(language):
    def script():
        import streamlit as st

        from ui import model_panel

        st.text(model_panel.offer_model(b"nope", "x.keras")[1])

    app = AppTest.from_function(script, default_timeout=60)
    app.session_state["language"] = language
    app.session_state["role"] = roles.TEACHER
    app.run()
    assert "사용 중인 모델은 그대로입니다" in app.text[0].value
    # The reason too, not an English sentence inside a Korean one.
    assert ".keras 파일이 아닙니다" in app.text[0].value and "not a" not in app.text[0].value


def test_a_truncated_model_is_refused_with_a_korean_reason_on_a_korean_page():
    data = saved(cnn_model.build_model())

    def script(data):
        import streamlit as st

        from ui import model_panel

        st.text(model_panel.offer_model(data[: len(data) // 2], "cut.keras")[1])

    app = AppTest.from_function(script, args=(data,), default_timeout=60)
    app.session_state["language"] = "ko"
    app.session_state["role"] = roles.TEACHER
    app.run()
    message = app.text[0].value
    assert "cut.keras" in message and ".keras 파일이 아닙니다" in message and "not a" not in message
