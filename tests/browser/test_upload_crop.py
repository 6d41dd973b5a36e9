"""The Upload page's crop box: it appears over an example photo, and moving it changes the 28x28 input."""

from __future__ import annotations

import pytest
from app_driver import assert_no_error, choose, key, open_view, screenshot, wait_idle

from ui.text import STRINGS

pytestmark = pytest.mark.browser

EXAMPLE = "photo-trouser.jpg"
# The 28x28 input is the prediction panel's image whose caption names it.
INPUT_IMAGE = f"{key('upload_prediction')} [data-testid='stImage'] img"


def model_input_source(page) -> str:
    return page.locator(INPUT_IMAGE).first.get_attribute("src")


def choose_example(page, app_url: str, language: str) -> None:
    open_view(page, app_url, "upload", language)
    choose(page, "upload_example", EXAMPLE)
    page.wait_for_selector(f"{key('upload_crop')} iframe", timeout=30_000)
    # The component's canvas draws inside its iframe once the picture has loaded.
    page.frame_locator(f"{key('upload_crop')} iframe").locator("canvas").first.wait_for(timeout=30_000)
    wait_idle(page)


def drag_corner(page, share: float, bottom_right: bool = False) -> None:
    """Drag a corner handle of the crop box (which starts on the whole picture) `share` of the way in.

    The top-left handle, or the bottom-right one: that one is only reachable when the whole picture shows.
    """
    canvas = page.frame_locator(f"{key('upload_crop')} iframe").locator("canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    start_x, start_y, sign = box["x"] + 3, box["y"] + 3, 1
    if bottom_right:
        start_x, start_y, sign = box["x"] + box["width"] - 3, box["y"] + box["height"] - 3, -1
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for step in range(1, 11):
        reach = sign * step * share / 10
        page.mouse.move(start_x + reach * box["width"], start_y + reach * box["height"])
    page.mouse.up()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_crop_box_appears_and_moving_it_changes_the_model_input(page, app_url, language):
    choose_example(page, app_url, language)
    assert STRINGS["upload.crop"][language] in page.locator(key("upload_crop")).inner_text()
    before = model_input_source(page)
    screenshot(page, f"upload-crop-before-{language}")
    drag_corner(page, 0.45)
    page.wait_for_function(
        "([selector, before]) => { const img = document.querySelector(selector); return img && img.src !== before; }",
        arg=[INPUT_IMAGE, before],
        timeout=30_000,
    )
    wait_idle(page)
    assert model_input_source(page) != before
    assert_no_error(page)
    screenshot(page, f"upload-crop-after-{language}")


@pytest.mark.parametrize(
    ("name", "width", "height"), [("projector", 1280, 720), ("laptop", 1024, 768), ("phone", 390, 844)]
)
def test_the_whole_crop_box_shows_and_its_far_corner_works_on_any_screen(browser, app_url, name, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        choose_example(page, app_url, "en")
        frame = page.locator(f"{key('upload_crop')} iframe").bounding_box()
        picture = page.frame_locator(f"{key('upload_crop')} iframe").locator("canvas").last.bounding_box()
        # The cropper draws at the preview's size: a narrower frame would cut off its right side and handles.
        assert picture["x"] + picture["width"] <= frame["x"] + frame["width"] + 1
        assert frame["x"] + frame["width"] <= width
        # Beside the picture the answer keeps room for readable bars; with too little, it goes below.
        answer = page.locator(key("upload_answer")).bounding_box()
        row = page.locator(key("upload_row")).bounding_box()
        assert answer["width"] >= min(row["width"], 300)
        screenshot(page, f"upload-crop-{name}-{width}x{height}")
        before = model_input_source(page)
        drag_corner(page, 0.3, bottom_right=True)
        wait_idle(page)
        assert model_input_source(page) != before
        assert_no_error(page)
    finally:
        context.close()


# An example the two shipped models answer differently: the drawing model is not sure, the chapter's is.
DISPUTED_EXAMPLE = "photo-coat.jpg"
ANSWER = f"{key('upload_prediction')} [data-testid='stHeading']"


def selected_model(page) -> str:
    return page.locator(f"{key('upload_model')} button[aria-checked='true']").inner_text().strip()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_upload_page_answers_with_the_drawing_model_until_the_active_one_is_picked(page, app_url, language):
    open_view(page, app_url, "upload", language)
    choose(page, "upload_example", DISPUTED_EXAMPLE)
    page.wait_for_selector(ANSWER, timeout=30_000)
    wait_idle(page)
    assert selected_model(page) == STRINGS["upload.model_default"][language]
    drawing_answer = page.locator(ANSWER).inner_text()
    screenshot(page, f"upload-model-drawing-{language}")
    page.locator(f"{key('upload_model')} button[aria-checked='false']").click()
    page.wait_for_function(
        "([selector, before]) => { const h = document.querySelector(selector); return h && h.innerText !== before; }",
        arg=[ANSWER, drawing_answer],
        timeout=30_000,
    )
    wait_idle(page)
    assert selected_model(page) != STRINGS["upload.model_default"][language]
    assert page.locator(ANSWER).inner_text() != drawing_answer
    assert_no_error(page)
    screenshot(page, f"upload-model-active-{language}")
