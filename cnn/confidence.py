"""When to say "not sure": a top probability below SURE_THRESHOLD shows the three likeliest classes instead of one.

A confident wrong answer on the projector teaches the class the wrong thing; "not sure: Shirt or
Pullover?" is honest, and usually names the right class among the three.
"""

from __future__ import annotations

import numpy as np

# Chosen on the tuning halves of the real doodles and photos: below it, most shown answers were
# wrong, and it roughly halves the share of confidently wrong answers (bench/README.md#real-doodles).
SURE_THRESHOLD = 0.6
# How many classes a "not sure" answer names.
UNSURE_COUNT = 3


def is_sure(probabilities: np.ndarray, threshold: float = SURE_THRESHOLD) -> bool:
    """Return whether the top class of one image's 10 probabilities reaches `threshold`."""
    return bool(np.max(probabilities) >= threshold)


def likeliest(probabilities: np.ndarray, count: int = UNSURE_COUNT) -> list[int]:
    """Return the `count` most probable classes of one image, most probable first (ties by class order)."""
    return [int(i) for i in np.argsort(-np.asarray(probabilities), kind="stable")[:count]]


def shown_wrong_share(probabilities: np.ndarray, right: np.ndarray, threshold: float = SURE_THRESHOLD) -> float:
    """Return the share of images answered confidently and wrongly: top class wrong and at least `threshold`.

    `right` says per image whether its top class is right; a "not sure" answer is never a confident wrong one.
    """
    probabilities = np.asarray(probabilities)
    if len(probabilities) == 0:
        return 0.0
    sure = probabilities.max(axis=1) >= threshold
    return float(np.mean(sure & ~np.asarray(right, dtype=bool)))
