import numpy as np
import pytest

from cnn.evaluate import confusion_matrix, evaluate, summarize


def test_figures_match_keras_own_evaluate(tiny_run, dataset):
    part = dataset.val.head(600)
    ours = evaluate(tiny_run.model, part.scaled(), part.labels)
    keras_loss, keras_accuracy = tiny_run.model.evaluate(part.scaled(), part.labels, verbose=0)
    assert ours.accuracy == pytest.approx(keras_accuracy, abs=1e-6)
    assert ours.loss == pytest.approx(keras_loss, rel=1e-4)


def test_confusion_matrix_and_per_class_accuracy_agree(tiny_run, dataset):
    part = dataset.val.head(600)
    result = evaluate(tiny_run.model, part.scaled(), part.labels)
    assert result.confusion.sum() == 600
    np.testing.assert_array_equal(result.confusion.sum(axis=1), np.bincount(part.labels, minlength=10))
    for label in range(10):
        chosen = part.labels == label
        assert result.per_class_accuracy[label] == pytest.approx(np.mean(result.predictions[chosen] == label))
    assert np.trace(result.confusion) / 600 == pytest.approx(result.accuracy)


def test_summarize_on_hand_made_probabilities():
    probabilities = np.full((4, 10), 0.02)
    probabilities[[0, 1, 2, 3], [1, 1, 3, 9]] = 0.82
    result = summarize(probabilities, np.array([1, 2, 3, 9]))
    assert result.accuracy == 0.75
    assert result.confusion[2, 1] == 1
    assert np.isnan(result.per_class_accuracy[0])  # no images of class 0
    assert result.loss == pytest.approx(np.mean(-np.log([0.82, 0.02, 0.82, 0.82])))


def test_confusion_matrix_counts_pairs():
    matrix = confusion_matrix(np.array([0, 0, 5]), np.array([0, 7, 5]))
    assert matrix[0, 0] == 1 and matrix[0, 7] == 1 and matrix[5, 5] == 1 and matrix.sum() == 3


def test_nothing_to_evaluate_is_refused():
    with pytest.raises(ValueError, match="no images"):
        summarize(np.zeros((0, 10)), np.zeros(0))
