"""The model a class shares (cnn.class_models): stored once by content, read back per class, never half-written."""

from __future__ import annotations

from cnn import class_models, config, gallery
from cnn.class_models import Shared


def test_a_shared_model_is_read_back_by_its_class_only(tmp_path):
    store = gallery.Gallery(tmp_path)
    model_file = config.SHIPPED_MODEL_PATH.read_bytes()
    summary = {"val_accuracy": 0.9, "epochs_run": 3}
    kept = class_models.share(store, "room-1", Shared("run:abc", "trained", "14:02", None, summary), model_file)
    assert class_models.shared(store, "room-2") is None
    found = class_models.shared(store, "room-1")
    assert found == kept and found.summary == summary
    assert class_models.model_path(store, found).read_bytes() == model_file


def test_the_same_file_shared_twice_is_stored_once_and_a_shipped_model_by_its_kind(tmp_path):
    store = gallery.Gallery(tmp_path)
    model_file = b"PK not really a model, but bytes to name"
    first = class_models.share(store, "a", Shared("upload:1", "uploaded", "x.keras"), model_file)
    second = class_models.share(store, "b", Shared("upload:1", "uploaded", "x.keras"), model_file)
    assert first.file == second.file
    assert [path.name for path in class_models.folder(store).iterdir()] == [first.file]
    shipped = class_models.share(store, "a", Shared("drawing", "drawing"))
    assert class_models.shared(store, "a") == shipped and class_models.model_path(store, shipped) is None


def test_a_shared_model_whose_file_is_gone_or_whose_setting_is_garbage_counts_as_none(tmp_path):
    store = gallery.Gallery(tmp_path)
    found = class_models.share(store, "a", Shared("upload:2", "uploaded", "y.keras"), b"model bytes")
    class_models.model_path(store, found).unlink()
    assert class_models.shared(store, "a") is None
    store.set_setting("b", class_models.SETTING, "{not json")
    assert class_models.shared(store, "b") is None
    store.set_setting("c", class_models.SETTING, '{"unknown": 1}')
    assert class_models.shared(store, "c") is None
