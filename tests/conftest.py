"""Shared fixtures: the real dataset (loaded once) and a tiny model trained on real images."""

from __future__ import annotations

import os
import tempfile

import pytest

from cnn import data
from cnn.config import TrainConfig

# Every test (and every app server a browser test starts) knows the teacher passcode and keeps
# the class gallery in a throwaway folder, never in the user's own data folder.
os.environ.setdefault("CNN_TEACHER_PASSCODE", "test-teacher-passcode")
os.environ["CNN_DATA_DIR"] = tempfile.mkdtemp(prefix="cnn-test-data-")


@pytest.fixture(scope="session")
def dataset() -> data.Dataset:
    return data.load_dataset()


@pytest.fixture(scope="session")
def tiny_run(dataset):
    """A model trained for a few seconds on 1,200 real images (fixed seed)."""
    from cnn.train import train

    return train(TrainConfig.fast(), dataset)
