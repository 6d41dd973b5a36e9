import numpy as np

from cnn.predict import describe, predict_one, predict_probabilities, ranked


def test_probabilities_for_many_images_sum_to_one(tiny_run, dataset):
    images = dataset.val.head(2500).scaled()
    probabilities = predict_probabilities(tiny_run.model, images, batch_size=1000)
    assert probabilities.shape == (2500, 10) and probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_one_image_gets_the_same_answer_as_in_a_batch(tiny_run, dataset):
    images = dataset.val.head(8).scaled()
    together = predict_probabilities(tiny_run.model, images)
    alone = predict_one(tiny_run.model, images[5])
    np.testing.assert_allclose(alone, together[5], atol=1e-5)


def test_no_images_give_an_empty_result(tiny_run):
    assert predict_probabilities(tiny_run.model, np.zeros((0, 28, 28, 1))).shape == (0, 10)


def test_ranked_and_describe_name_the_top_class():
    probabilities = np.array([0.05, 0.7, 0.05, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02])
    assert ranked(probabilities, "ko")[0] == ("바지", 0.7)
    result = describe(probabilities)
    assert result["label"] == "Trouser" and result["label_ko"] == "바지"
    assert len(result["probabilities"]) == 10
