"""The Upload page's crop box maps back to the uploaded picture; untouched, it is the whole picture."""

import numpy as np
from PIL import Image

from ui import upload_view


def test_the_untouched_crop_box_is_the_whole_picture():
    original = Image.new("RGB", (1200, 1600), "white")
    shown = upload_view.preview(original)
    inset = upload_view.CROP_INSET
    box = (inset, inset, shown.width - 2 * inset, shown.height - 2 * inset)
    assert upload_view.crop_to_box(original, shown, box) is original


def test_a_crop_box_in_preview_pixels_cuts_the_full_size_picture():
    original = Image.new("RGB", (1200, 1600), "white")
    shown = upload_view.preview(original)  # 240 x 320
    cropped = upload_view.crop_to_box(original, shown, (60, 80, 120, 160))
    assert cropped.size == (600, 800)


def test_a_crop_box_of_nothing_still_keeps_a_pixel():
    original = Image.new("RGB", (50, 50), "white")
    shown = upload_view.preview(original)
    assert upload_view.crop_to_box(original, shown, (20, 20, 0, 0)).size == (1, 1)


def test_the_upload_page_untouched_reads_a_photo_as_cnn_predict_does(tmp_path):
    from test_photo import on_floor, t_shirt_mask

    from cnn import photo

    path = tmp_path / "t-shirt.jpg"
    Image.fromarray(on_floor(t_shirt_mask())).save(path, quality=90)
    data = path.read_bytes()
    shown = upload_view.preview(Image.open(path))
    inset = upload_view.CROP_INSET
    box = (inset, inset, shown.width - 2 * inset, shown.height - 2 * inset)
    np.testing.assert_array_equal(upload_view.model_input(data, box), photo.prepare_file(path))
