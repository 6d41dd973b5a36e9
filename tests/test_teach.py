"""The class teaches the drawing model: the split, a fine-tune on a tiny gallery, the class's model, the command."""

from __future__ import annotations

import numpy as np
import pytest

from cnn import data, gallery
from cnn.drawing import sketches, teach


def test_the_split_holds_out_a_share_of_every_class_and_keeps_one_to_teach():
    labels = [0] * 10 + [1] * 5 + [2] * 3 + [3] * 2 + [4]
    chosen = teach.split(labels, seed=3)
    assert chosen.counts == {0: (7, 3), 1: (3, 2), 2: (1, 2), 3: (1, 1), 4: (1, 0)}
    assert set(chosen.taught).isdisjoint(chosen.held_out)
    assert sorted(chosen.taught + chosen.held_out) == list(range(len(labels)))
    for label, (_taught, held) in chosen.counts.items():
        assert sum(labels[i] == label for i in chosen.held_out) == held
    assert chosen.few() == [2, 3, 4]


def test_the_same_seed_gives_the_same_split_and_another_seed_another():
    labels = np.arange(60) % 6
    first, again, other = teach.split(labels, seed=5), teach.split(labels, seed=5), teach.split(labels, seed=6)
    assert first.held_out == again.held_out
    assert first.held_out != other.held_out
    assert first.counts == other.counts


def test_a_share_of_none_teaches_everything_and_bad_arguments_are_refused():
    assert teach.split([1, 1, 2], share=0).held_out == ()
    with pytest.raises(ValueError):
        teach.split([1, 2], share=1.0)
    with pytest.raises(ValueError):
        teach.split([11])


def test_repeated_drawings_move_a_little_and_stay_drawings():
    images = np.zeros((2, 28, 28, 1), np.float32)
    images[:, 8:20, 10:18] = 1.0
    copies = teach.wiggled(images, 4, seed=1)
    assert copies.shape == (8, 28, 28) and copies.dtype == np.uint8
    assert np.array_equal(copies[:2], np.round(images[..., 0] * 255))
    assert not np.array_equal(copies[2], copies[0])
    assert abs(int(copies[2].astype(int).sum()) - int(copies[0].astype(int).sum())) < 0.3 * copies[0].sum()


@pytest.fixture(scope="module")
def taught_run(dataset):
    """A fine-tune of the shipped drawing model on 40 sketches all labelled Bag (nonsense labels), on tiny data."""
    small = data.Dataset(dataset.train.head(2000), dataset.val.head(200), dataset.test.head(300), dataset.source)
    images, _ = sketches.sketches(40, seed=5)
    inputs = images[..., np.newaxis].astype(np.float32) / 255.0
    labels = np.full(40, 8)
    chosen = teach.split(labels, seed=1)
    taught, held = list(chosen.taught), list(chosen.held_out)
    teach_config = teach.TeachConfig.make(
        teach.base_model_path(),
        inputs[taught],
        labels[taught],
        inputs[held],
        labels[held],
        train_limit=300,
        val_limit=100,
    )
    return teach_config, teach_config.train(small), small


def test_a_fine_tune_on_a_tiny_gallery_changes_what_it_says_of_the_taught_drawings(taught_run):
    teach_config, result, _ = taught_run
    comparison = teach.Comparison.from_json(result.extra["comparison"])
    bag = 8
    assert comparison.taught_counts[bag] == len(teach_config.taught_labels)
    assert comparison.taught_right_after[bag] >= comparison.taught_right_before[bag] + 4
    assert result.epochs_run == teach_config.epochs
    # The comparison survives the trip from the training process (summary -> result) and into metrics.json.
    summary = result.summary()
    assert summary.to_json()["comparison"] == result.extra["comparison"]
    assert summary.to_json()["config"]["taught"] == len(teach_config.taught_labels)


def test_nonsense_labels_show_on_the_real_test_set(taught_run):
    _, result, _ = taught_run
    comparison = teach.Comparison.from_json(result.extra["comparison"])  # 40 sketches of everything, all "Bag"
    assert comparison.test_fell(by=0.02)
    assert not comparison.test_fell(by=0.5)


def test_the_table_has_every_class_and_the_changed_answers_point_at_held_out_drawings(taught_run):
    teach_config, result, _ = taught_run
    comparison = teach.Comparison.from_json(result.extra["comparison"])
    rows = comparison.rows()
    assert len(rows) == 11 and rows[-1]["class"] is None
    assert rows[8]["held_out"] == len(teach_config.held_out_labels)
    assert rows[0]["held_out_before"] is None  # no T-shirt was drawn
    for position, meant, was, now in comparison.changed():
        assert meant == teach_config.held_out_labels[position] and was != now
    assert "Bag" in teach.table(comparison)


def test_stop_ends_the_fine_tune_in_its_first_epoch_and_still_compares(taught_run):
    import threading

    teach_config, _, small = taught_run
    stop = threading.Event()
    stop.set()
    result = teach.fine_tune(teach_config, small, stop_event=stop)
    assert result.stopped_by_user and result.epochs_run <= 1
    comparison = teach.Comparison.from_json(result.extra["comparison"])
    assert len(comparison.held_out_after) == len(teach_config.held_out_labels)


def test_the_class_model_is_the_shipped_one_until_the_teacher_adopts_another(tmp_path):
    store = gallery.Gallery(tmp_path)
    assert teach.class_model(store, "a") is None
    path = teach.adopt(store, "a", b"model bytes")
    assert teach.class_model(store, "a") == path and path.read_bytes() == b"model bytes"
    assert teach.class_model(store, "b") is None
    teach.keep_shipped(store, "a")
    assert teach.class_model(store, "a") is None


def test_the_command_refuses_what_is_not_a_gallery_export(tmp_path, capsys):
    from cnn import train_drawing

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(SystemExit) as stopped:
        train_drawing.main(["--extra", str(bad), "--out", str(tmp_path / "out")])
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
