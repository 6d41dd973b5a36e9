"""The class teaches the model, in the browser: students send drawings, the teacher teaches, before and after show."""

from __future__ import annotations

import numpy as np
import pytest
from app_driver import assert_no_error, draw_stroke, key, screenshot, wait_for_text, wait_idle
from test_classroom_in_browser import PROJECTOR, open_as, send_trousers

from cnn import config, gallery

pytestmark = pytest.mark.browser


def bags_sent_by_other_students(class_code: str, count: int) -> None:
    """Drawings of bags in the class's gallery, as more students would have sent them (the same server database)."""
    store = gallery.Gallery()
    picture = gallery.png_bytes(np.zeros((8, 8, 4), np.uint8))
    for number in range(count):
        image = np.zeros(config.INPUT_SHAPE, np.float32)
        image[8 + number % 3 : 24, 5:23] = 1.0
        image[4:9, 10:18] = 0.8  # the handle
        store.add(class_code, f"bag-student-{number}", 8, np.eye(10)[8], picture, image)


def test_students_send_drawings_the_teacher_teaches_and_sees_before_and_after_in_both_languages(browser, app_url):
    class_code = "teach-room"
    teacher = browser.new_context(viewport=PROJECTOR).new_page()
    laptops = [browser.new_context(viewport={"width": 1280, "height": 900}).new_page() for _ in range(2)]
    try:
        for laptop, nickname in zip(laptops, ("Mina", "Joon"), strict=True):
            open_as(laptop, app_url, "draw", "en", class_code=class_code)
            send_trousers(laptop, draw_stroke, "Trouser", nickname)
        bags_sent_by_other_students(class_code, 6)

        open_as(teacher, app_url, "gallery", "en", teacher=True, class_code=class_code)
        teacher.get_by_text("Teach the model with our drawings").click()
        wait_for_text(teacher, "teach", "Seed 17")
        assert "fewer than 5 drawings" in teacher.locator(key("teach")).inner_text()  # two trousers only
        teacher.locator(key("teach")).scroll_into_view_if_needed()
        screenshot(teacher, "teach-setup-en")
        teacher.locator(f"{key('teach_start')} button").first.click()
        teacher.locator(key("teach_stop")).wait_for(timeout=60_000)  # queued or running, with Stop
        teacher.locator(key("teach")).scroll_into_view_if_needed()
        screenshot(teacher, "teach-running-en")
        # The run is niced below the server: on a machine busy with other work it may take minutes.
        try:
            wait_for_text(teacher, "teach_result", "All", timeout=600_000)
        finally:
            screenshot(teacher, "teach-finished-en")
        wait_idle(teacher)
        table = teacher.locator(key("teach_result")).inner_text()
        assert "Trouser" in table and "Bag" in table and "Test set: after" in table
        assert teacher.locator(f"{key('teach_adopt')} button").first.is_enabled()
        assert teacher.locator(key("teach_download_new")).count() == 1
        teacher.locator(key("teach_result")).scroll_into_view_if_needed()
        screenshot(teacher, "teach-result-en")

        # The same session in Korean: the table is the same run's, in the other language.
        teacher.locator(f"{key('language')} button", has_text="한국어").click()
        wait_for_text(teacher, "teach_result", "전체")
        wait_idle(teacher)
        table = teacher.locator(key("teach_result")).inner_text()
        assert "바지" in table and "가방" in table and "테스트 세트: 후" in table
        teacher.locator(key("teach_result")).scroll_into_view_if_needed()
        screenshot(teacher, "teach-result-ko")

        teacher.locator(f"{key('teach_adopt')} button").first.click()
        wait_idle(teacher)
        assert "새 모델로" in teacher.locator(key("teach")).inner_text()
        for page in (teacher, *laptops):
            assert_no_error(page)
    finally:
        for page in (teacher, *laptops):
            page.context.close()
