"""Without the dataset the app explains how to get it, and Draw and Upload keep working on the shipped model."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from keras.datasets import fashion_mnist
from streamlit.testing.v1 import AppTest

from cnn import config, data

REAL_DATA_DIR = config.DEBIAN_DATA_DIR


@pytest.fixture
def no_dataset(tmp_path, monkeypatch):
    def offline():
        raise OSError("no network in this classroom")

    monkeypatch.setattr(config, "DEBIAN_DATA_DIR", tmp_path / "not-installed")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(fashion_mnist, "load_data", offline)
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()  # Later tests load the real dataset again.


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(config.PROJECT_DIR / "streamlit_app.py"), default_timeout=120)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page(f"ui/pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("page", ["train", "samples", "test"])
def test_pages_that_need_the_data_say_how_to_install_it(no_dataset, page):
    app = open_page(page)
    message = app.error[0].value
    assert "Fashion-MNIST cannot be found" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "Draw and Upload still work" in message


def test_draw_and_upload_still_work_on_the_shipped_model(no_dataset):
    app = open_page("draw")
    assert not app.error and app.radio(key="model_choice").value == "shipped"
    app = open_page("upload")
    assert not app.error
    example = app.selectbox(key="upload_example")
    example.set_value(example.options[1]).run()
    assert app.subheader[0].value.startswith("Prediction:")


def test_a_corrupt_dataset_is_reported_not_used(no_dataset, monkeypatch):
    folder = no_dataset / "corrupt"
    folder.mkdir()
    for stem, _ in data.FILES.values():
        shutil.copy(REAL_DATA_DIR / f"{stem}.gz", folder)
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    monkeypatch.setenv(config.DATA_DIR_ENV, str(folder))
    app = open_page("samples")
    assert "cannot be read" in app.error[0].value
