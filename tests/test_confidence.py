"""The "not sure" rule: below the threshold the page names three classes instead of one."""

import numpy as np
import pytest

from cnn import confidence


def _probabilities(*top: float) -> np.ndarray:
    """Return 10 probabilities whose first classes are `top`, the rest shared evenly."""
    rest = (1.0 - sum(top)) / (10 - len(top))
    return np.array([*top, *[rest] * (10 - len(top))])


def test_a_top_class_at_or_above_the_threshold_is_sure_and_below_it_is_not():
    threshold = confidence.SURE_THRESHOLD
    assert confidence.is_sure(_probabilities(threshold))
    assert confidence.is_sure(_probabilities(0.99))
    assert not confidence.is_sure(_probabilities(threshold - 0.01))
    assert not confidence.is_sure(np.full(10, 0.1))


def test_the_threshold_is_a_probability_that_leaves_room_for_both_answers():
    assert 0.1 < confidence.SURE_THRESHOLD < 1.0


def test_likeliest_names_the_three_most_probable_classes_in_order():
    probabilities = np.zeros(10)
    probabilities[[6, 2, 4, 9]] = [0.35, 0.3, 0.2, 0.15]
    assert confidence.likeliest(probabilities) == [6, 2, 4]
    assert confidence.likeliest(np.full(10, 0.1)) == [0, 1, 2]  # ties: in class order


def test_confidently_wrong_counts_only_sure_answers_that_are_wrong():
    probabilities = np.stack([_probabilities(0.9), _probabilities(0.9), _probabilities(0.4), _probabilities(0.4)])
    right = np.array([True, False, True, False])
    assert confidence.shown_wrong_share(probabilities, right) == pytest.approx(0.25)
    # Always answering (threshold 0): every wrong top class is shown.
    assert confidence.shown_wrong_share(probabilities, right, threshold=0.0) == pytest.approx(0.5)
    assert confidence.shown_wrong_share(np.zeros((0, 10)), np.zeros(0, dtype=bool)) == 0.0
