"""The Upload page's crop box maps back to the uploaded picture; untouched, it is the whole picture."""

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
