"""Shared fixtures: the real dataset (loaded once) and a tiny model trained on real images."""

from __future__ import annotations

import pytest

from cnn import data
from cnn.config import TrainConfig


@pytest.fixture(scope="session")
def dataset() -> data.Dataset:
    return data.load_dataset()


@pytest.fixture(scope="session")
def tiny_run(dataset):
    """A model trained for a few seconds on 1,200 real images (fixed seed)."""
    from cnn.train import train

    return train(TrainConfig.fast(), dataset)
