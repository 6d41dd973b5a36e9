"""The class gallery's store: limits, moderation, many writers at once, and an export that reads back."""

from __future__ import annotations

import io
import multiprocessing
import threading
import zipfile

import numpy as np
import pytest
from PIL import Image

from cnn import config, gallery, jobs


class Clock:
    """A clock the test moves by hand, so rate limits need no sleeping."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def canvas_png(value: int = 0) -> bytes:
    pixels = np.full((40, 40, 4), 255, dtype=np.uint8)
    pixels[10:30, 10:30, :3] = value
    return gallery.png_bytes(pixels)


def probabilities(top: int) -> np.ndarray:
    p = np.full(config.NUM_CLASSES, 0.02)
    p[top] = 1 - 0.02 * (config.NUM_CLASSES - 1)
    return p


def model_input(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random(config.INPUT_SHAPE).astype(np.float32)


@pytest.fixture
def store(tmp_path):
    clock = Clock()
    store = gallery.Gallery(tmp_path, clock=clock)
    store.clock = clock
    return store


def send(store, student="s1", label=1, top=1, class_code="a", **kwargs):
    item = store.add(class_code, student, label, probabilities(top), canvas_png(), model_input(), **kwargs)
    store.clock.now += gallery.MIN_SECONDS_BETWEEN_SENDS
    return item


def test_a_sent_drawing_comes_back_with_its_label_prediction_and_input(store):
    image = model_input(3)
    item_id = store.add("a", "s1", 8, probabilities(8), canvas_png(), image, nickname="  Min   ji  ")
    (item,) = store.items("a")
    assert (item.id, item.label, item.predicted, item.right, item.nickname) == (item_id, 8, 8, True, "Min ji")
    assert item.confidence == pytest.approx(0.82)
    # The 28x28 input is stored as an 8-bit PNG: equal to within one grey level.
    np.testing.assert_allclose(store.model_input(item_id), image, atol=1 / 255 + 1e-6)


def test_the_database_is_in_wal_mode_in_the_data_folder(store, tmp_path):
    import sqlite3

    assert store.path.parent == tmp_path
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_data_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(gallery.DATA_DIR_ENV, str(tmp_path / "lesson"))
    assert gallery.default_data_dir() == tmp_path / "lesson"
    assert gallery.Gallery().path == tmp_path / "lesson" / gallery.DATABASE_NAME


def test_two_classes_on_one_server_never_see_each_others_drawings(store):
    send(store, class_code="5-1")
    send(store, class_code="5-2", student="s2")
    assert [item.class_code for item in store.items("5-1")] == ["5-1"]
    assert len(store.items("5-2")) == 1
    store.set_setting("5-1", "students_train", "1")
    assert store.setting("5-1", "students_train") == "1" and store.setting("5-2", "students_train") is None


def test_class_codes_are_cleaned_and_an_empty_one_is_the_default_class():
    assert gallery.clean_class_code(" 5-1 Room'; DROP ") == "5-1roomdrop"
    assert gallery.clean_class_code("") == gallery.clean_class_code(None) == gallery.DEFAULT_CLASS


def test_filters_by_meant_class_and_by_right_or_wrong(store):
    send(store, label=1, top=1)
    send(store, label=1, top=3)
    send(store, label=8, top=8)
    assert len(store.items("a", label=1)) == 2
    assert [item.predicted for item in store.items("a", right=False)] == [3]
    assert [item.label for item in store.items("a", label=8, right=True)] == [8]


def test_a_student_sending_too_fast_or_too_often_is_refused(store):
    store.add("a", "s1", 1, probabilities(1), canvas_png(), model_input())
    with pytest.raises(gallery.GalleryError) as refused:
        store.add("a", "s1", 1, probabilities(1), canvas_png(), model_input())
    assert refused.value.reason == "too_fast"
    # Another student is not slowed down by the first.
    store.add("a", "s2", 1, probabilities(1), canvas_png(), model_input())
    for _ in range(gallery.MAX_ITEMS_PER_STUDENT - 1):
        store.clock.now += gallery.MIN_SECONDS_BETWEEN_SENDS
        store.add("a", "s1", 1, probabilities(1), canvas_png(), model_input())
    store.clock.now += gallery.MIN_SECONDS_BETWEEN_SENDS
    with pytest.raises(gallery.GalleryError) as refused:
        store.add("a", "s1", 1, probabilities(1), canvas_png(), model_input())
    assert refused.value.reason == "too_many"
    assert store.sent_by("a", "s1") == gallery.MAX_ITEMS_PER_STUDENT


@pytest.mark.parametrize(
    ("picture", "reason"),
    [
        (b"not a picture at all", "not_picture"),
        (b"\x89PNG" + b"0" * (gallery.MAX_PICTURE_BYTES + 1), "too_large"),
    ],
)
def test_what_is_not_a_reasonable_picture_is_refused(store, picture, reason):
    with pytest.raises(gallery.GalleryError) as refused:
        store.add("a", "s1", 1, probabilities(1), picture, model_input())
    assert refused.value.reason == reason
    assert store.items("a") == []


def test_a_huge_picture_and_a_label_outside_the_classes_are_refused(store):
    huge = io.BytesIO()
    Image.new("L", (gallery.MAX_PICTURE_SIDE + 1, 10)).save(huge, format="PNG")
    with pytest.raises(gallery.GalleryError, match="pixels"):
        store.add("a", "s1", 1, probabilities(1), huge.getvalue(), model_input())
    with pytest.raises(gallery.GalleryError):
        store.add("a", "s1", config.NUM_CLASSES, probabilities(1), canvas_png(), model_input())
    with pytest.raises(gallery.GalleryError):
        store.add("a", "s1", 1, np.full(config.NUM_CLASSES, np.nan), canvas_png(), model_input())


def test_the_teacher_hides_a_drawing_and_clears_the_gallery(store):
    first, second = send(store), send(store)
    store.set_hidden(first)
    assert [item.id for item in store.items("a")] == [second]
    assert [item.hidden for item in store.items("a", include_hidden=True)] == [True, False]
    store.set_hidden(first, False)
    assert len(store.items("a")) == 2
    assert store.clear("a") == 2 and store.items("a", include_hidden=True) == []


def test_only_new_items_come_when_asked_for_those_after_an_id(store):
    first = send(store)
    second = send(store)
    assert [item.id for item in store.items("a", after=first)] == [second]


def test_an_export_reads_back_with_labels_predictions_and_inputs(store):
    ids = [send(store, label=label, top=top) for label, top in [(0, 0), (4, 2), (8, 8)]]
    store.set_hidden(ids[1])
    data = store.export_zip("a")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert gallery.EXPORT_LABELS in archive.namelist()
    items = gallery.read_export(data)
    assert [(item.label, item.predicted) for item in items] == [(0, 0), (8, 8)]
    assert Image.open(io.BytesIO(items[0].canvas)).size == (40, 40)
    np.testing.assert_allclose(items[0].model_input, store.model_input(ids[0]))
    assert len(gallery.read_export(store.export_zip("a", include_hidden=True))) == 3


def test_many_students_sending_at_once_from_threads_lose_nothing(tmp_path):
    store = gallery.Gallery(tmp_path)
    errors = []

    def student(number: int) -> None:
        clock = Clock()
        own = gallery.Gallery(tmp_path, clock=clock)
        try:
            for round_ in range(5):
                clock.now += round_ * gallery.MIN_SECONDS_BETWEEN_SENDS
                own.add("a", f"s{number}", number % 10, probabilities(number % 10), canvas_png(), model_input(round_))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=student, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.items("a")) == 150


def _send_from_process(folder: str, number: int) -> None:
    store = gallery.Gallery(folder, clock=lambda: 1_000_000.0 + number)
    store.add("a", f"p{number}", 1, probabilities(1), canvas_png(), model_input(number))


def test_server_processes_sharing_the_database_lose_nothing(tmp_path):
    gallery.Gallery(tmp_path)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_send_from_process, args=(str(tmp_path), n)) for n in range(6)]
    # As the training board does: 'spawn' must not re-run whatever script AppTest left as __main__.
    with jobs._no_main_script():
        for process in processes:
            process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0] * 6
    assert sorted(item.nickname for item in gallery.Gallery(tmp_path).items("a")) == [""] * 6
