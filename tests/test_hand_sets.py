"""The hand-drawing sets in cnn/drawing/sets/: pinned, so 'never changed after measuring' is checked."""

import json

import pytest

from cnn import config
from cnn.drawing import hand_sets

# SHA-256 of each set's labels, names and strokes when its figures in bench/README.md were measured.
# A set that was measured on is not edited: write a new set instead.
PINNED = {
    "tuning": (35, "d905b07aefbe868a116ecb1e77acb94de4cf44fd799c9a276f33b907cdffaf08"),
    "held_out_1": (20, "05ac505bb5713651808ea73bf9731860fbed88db95561027c3a5540963dc9fba"),
    "held_out_2": (20, "c3e8e2fb3ab10970ad21828b01020e5386f1cc1fc75ddc7067274a74c4a2d45d"),
}


@pytest.mark.parametrize("name", hand_sets.SET_NAMES)
def test_each_set_is_the_one_that_was_measured(name):
    count, digest = PINNED[name]
    drawings = hand_sets.load(name)
    assert len(drawings) == count
    assert hand_sets.content_hash(drawings) == digest


def test_the_hash_sees_a_single_moved_point():
    (first, *rest) = hand_sets.TUNING
    (stroke, *other_strokes) = first.strokes
    moved = ((stroke[0][0] + 1, stroke[0][1]), *stroke[1:])
    changed = (type(first)(first.label, first.name, (moved, *other_strokes)), *rest)
    assert hand_sets.content_hash(changed) != hand_sets.content_hash(hand_sets.TUNING)


@pytest.mark.parametrize("name", hand_sets.SET_NAMES)
def test_each_file_names_its_role_and_every_drawing_its_class(name):
    record = json.loads((hand_sets.SETS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert record["role"] == name and record["about"]
    for drawing in record["drawings"]:
        assert drawing["class"] == config.CLASS_NAMES_EN[drawing["label"]], drawing["name"]


def test_an_unknown_set_is_refused_by_name():
    with pytest.raises(ValueError, match="held_out_1"):
        hand_sets.load("fresh")
