"""A lesson in three browsers: the teacher on the projector, a student at a laptop and one on a phone."""

from __future__ import annotations

import os

import pytest
from app_driver import (
    PROJECTOR,
    TROUSER_STROKES,
    assert_no_error,
    draw_stroke,
    key,
    screenshot,
    touch_stroke,
    wait_for_text,
    wait_idle,
)

from cnn import roles
from ui.text import STRINGS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def open_as(page, base: str, view: str, language: str, teacher: bool = False, class_code: str = "") -> None:
    query = f"lang={language}"
    if teacher:
        query += f"&teacher={os.environ[roles.PASSCODE_ENV]}"
    if class_code:
        query += f"&class={class_code}"
    page.goto(f"{base}/{view}?{query}")
    wait_idle(page)


def send_trousers(page, draw, label: str, nickname: str) -> None:
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    for stroke in TROUSER_STROKES:
        draw(page, canvas, stroke)
    wait_for_text(page, "draw_prediction", "%")
    wait_idle(page)
    # Typing into the box, as a student may: a first click right after drawing only focuses it.
    combo = page.locator(f"{key('send_label')} input[role='combobox']")
    combo.click()
    combo.fill(label)
    page.get_by_role("option", name=label, exact=True).click()
    wait_idle(page)
    page.locator(f"{key('send_nickname')} input").fill(nickname)
    page.locator(f"{key('send_nickname')} input").press("Tab")
    page.locator(f"{key('send_to_class')} button").click()
    wait_idle(page)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_students_drawings_appear_in_the_teachers_gallery(browser, app_url, language):
    class_code = f"room-{language}"
    teacher = browser.new_context(viewport=PROJECTOR).new_page()
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    phone = browser.new_context(**PHONE).new_page()
    try:
        open_as(teacher, app_url, "gallery", language, teacher=True, class_code=class_code)
        teacher.locator(f"{key('join_panel')} img").wait_for(timeout=60_000)  # the QR code
        assert teacher.locator(key("join_panel")).count() == 1
        assert "teacher=" not in teacher.url  # the passcode leaves the address bar
        screenshot(teacher, f"classroom-join-{language}")

        trouser = "Trouser" if language == "en" else "바지"
        open_as(laptop, app_url, "draw", language, class_code=class_code)
        send_trousers(laptop, draw_stroke, trouser, "Mina")
        assert laptop.locator(key("send_panel_draw")).locator("[data-testid='stAlertContentSuccess']").count() == 1
        open_as(phone, app_url, "draw", language, class_code=class_code)
        send_trousers(phone, touch_stroke, trouser, "Joon")
        screenshot(phone, f"classroom-phone-sent-{language}")

        # The gallery refreshes itself: both drawings arrive without a reload.
        wait_for_text(teacher, "class_gallery", "Joon", timeout=20_000)
        gallery = teacher.locator(key("class_gallery"))
        assert "Mina" in gallery.inner_text()
        assert teacher.locator("[class*='st-key-gallery_item_']").count() == 2
        wait_idle(teacher)
        teacher.locator(key("class_gallery")).scroll_into_view_if_needed()
        screenshot(teacher, f"classroom-gallery-{language}")
        teacher.locator("[class*='st-key-gallery_view_'] button").first.click()
        wait_for_text(teacher, "gallery_focus", "Trouser" if language == "en" else "바지")
        teacher.locator(key("gallery_focus")).scroll_into_view_if_needed()
        screenshot(teacher, f"classroom-gallery-focus-{language}")
        for page in (teacher, laptop, phone):
            assert_no_error(page)

        # Another class on the same server sees none of them.
        open_as(teacher, app_url, "gallery", language, teacher=True, class_code="another-room")
        assert teacher.locator("[class*='st-key-gallery_item_']").count() == 0
    finally:
        for page in (teacher, laptop, phone):
            page.context.close()


def test_a_student_cannot_train_or_unlock_with_a_wrong_passcode(browser, app_url):
    page = browser.new_context(viewport=PROJECTOR).new_page()
    try:
        open_as(page, app_url, "", "en")
        assert page.locator(f"{key('train_button')} button").is_disabled()
        assert "Only the teacher" in page.locator("[data-testid='stMain']").inner_text()
        page.get_by_text("Teacher", exact=True).click()
        page.locator(f"{key('teacher_passcode')} input").fill("wrong")
        page.locator(f"{key('teacher_passcode')} input").press("Enter")
        wait_idle(page)
        assert "not right" in page.locator("[data-testid='stSidebar']").inner_text()
        page.locator(f"{key('teacher_passcode')} input").fill(os.environ[roles.PASSCODE_ENV])
        page.locator(f"{key('teacher_passcode')} input").press("Enter")
        wait_idle(page)
        assert "Teacher mode" in page.locator("[data-testid='stSidebar']").inner_text()
        assert page.locator(f"{key('train_button')} button").is_enabled()
        assert_no_error(page)
    finally:
        page.context.close()


def test_when_the_class_allows_it_a_students_train_starts_and_a_second_one_waits(browser, app_url):
    class_code = "train-room"
    teacher = browser.new_context(viewport=PROJECTOR).new_page()
    first = browser.new_context(viewport=PROJECTOR).new_page()
    second = browser.new_context(**PHONE).new_page()
    try:
        open_as(first, app_url, "", "en", class_code=class_code)
        assert first.locator(f"{key('train_button')} button").is_disabled()  # the class setting starts off

        open_as(teacher, app_url, "", "en", teacher=True, class_code=class_code)
        teacher.locator(f"{key('students_may_train')} label").click()
        wait_idle(teacher)
        assert teacher.locator(f"{key('students_may_train')} input").is_checked()

        # The setting is the class's, read on the server: a reload of the student's page sees it.
        open_as(first, app_url, "", "en", class_code=class_code)
        first.locator(f"{key('train_button')} button").click()
        first.locator(f"{key('stop_button')} button:not([disabled])").wait_for(timeout=30_000)
        open_as(second, app_url, "", "en", class_code=class_code)
        second.locator(f"{key('train_button')} button").click()
        queued = STRINGS["train.queued"]["en"].format(position=1)
        second.get_by_text(queued).wait_for(timeout=30_000)
        screenshot(second, "classroom-student-train-queued")

        # Each student's Stop is their own: the waiting run leaves the queue, the running one ends.
        for page in (second, first):
            page.locator(f"{key('stop_button')} button").click()
            page.locator(f"{key('train_button')} button:not([disabled])").wait_for(timeout=60_000)
        for page in (teacher, first, second):
            assert_no_error(page)
    finally:
        for page in (teacher, first, second):
            page.context.close()
