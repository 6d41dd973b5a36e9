"""Draw and Inside by finger on a phone (390x844) and a tablet (820x1180): undo, clear, the answer in sight."""

from __future__ import annotations

import pytest
from app_driver import (
    TROUSER_STROKES,
    assert_no_error,
    canvas_button,
    key,
    open_view,
    screenshot,
    touch_stroke,
    wait_for_answer,
    wait_for_text,
    wait_idle,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
EMPTY = {"en": "Draw a garment", "ko": "캔버스에 옷을 그리면"}
PICTURE = f"{key('draw_prediction')} [data-testid='stImageContainer'] img"
# How far the page's own scrolling container has scrolled, and whether anything is wider than the screen.
SCROLL_TOP = "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? window.scrollY"
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  return document.documentElement.scrollWidth > width || (main && main.scrollWidth > main.clientWidth + 1);
}"""


@pytest.fixture(params=["phone", "tablet"])
def device(request, browser):
    context = browser.new_context(**(PHONE if request.param == "phone" else TABLET))
    page = context.new_page()
    yield request.param, page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def canvas_of(page, name: str = "draw_canvas"):
    canvas = page.locator(f"{key(name)} canvas.upper-canvas")
    canvas.wait_for()
    return canvas


def stroke_shows(page, points) -> str:
    """Draw one stroke by finger and return the model input's picture once it has changed."""
    before = page.locator(PICTURE).get_attribute("src") if page.locator(PICTURE).count() else ""
    touch_stroke(page, canvas_of(page), points)
    page.wait_for_function(
        "([selector, before]) => { const img = document.querySelector(selector);"
        " return img !== null && img.getAttribute('src') !== before; }",
        arg=[PICTURE, before],
        timeout=20_000,
    )
    wait_idle(page)
    return page.locator(PICTURE).get_attribute("src")


def picture_is(page, source: str) -> None:
    page.wait_for_function(
        "([selector, source]) => document.querySelector(selector)?.getAttribute('src') === source",
        arg=[PICTURE, source],
        timeout=20_000,
    )


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_undo_and_clear_by_finger_keep_the_other_strokes(phone, app_url, language):
    page = phone
    open_view(page, app_url, "draw", language, teacher=False)
    legs = TROUSER_STROKES[1:4]
    one = stroke_shows(page, legs[0])
    two = stroke_shows(page, legs[1])
    three = stroke_shows(page, legs[2])
    assert len({one, two, three}) == 3
    page.locator(f"{key('draw_undo')} button").tap()
    picture_is(page, two)  # Undo takes back the last stroke only.
    wait_idle(page)
    assert stroke_shows(page, legs[2]) == three  # The next stroke is taken, on top of the two kept ones.
    page.locator(f"{key('draw_undo')} button").tap()
    picture_is(page, two)
    wait_idle(page)
    page.locator(f"{key('draw_undo')} button").tap()
    picture_is(page, one)
    wait_idle(page)
    assert stroke_shows(page, legs[1]) == two
    page.locator(f"{key('draw_clear')} button").tap()
    wait_for_text(page, "draw_prediction", EMPTY[language])
    wait_idle(page)
    assert page.locator(f"{key('draw_undo')} button").is_disabled()
    assert stroke_shows(page, legs[0]) == one  # After a clear the first stroke is taken too.
    canvas_button(page, "draw_undo")  # Undo down to an empty canvas, then draw again.
    wait_for_text(page, "draw_prediction", EMPTY[language])
    assert stroke_shows(page, legs[0]) == one
    assert_no_error(page)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_answer_is_in_sight_after_a_stroke_and_nothing_scrolls_or_overflows(device, app_url, language):
    size, page = device
    open_view(page, app_url, "draw", language, teacher=False)
    canvas = canvas_of(page)
    canvas.scroll_into_view_if_needed()
    wait_idle(page)
    scrolled = page.evaluate(SCROLL_TOP)
    for stroke in TROUSER_STROKES:
        touch_stroke(page, canvas, stroke)
    wait_for_answer(page, "draw_prediction")
    wait_idle(page)
    assert page.evaluate(SCROLL_TOP) == scrolled  # A finger on the canvas draws; it does not scroll the page.
    # On the phone the short answer under the canvas, on the tablet the full one beside it.
    answer = key("draw_answer") if size == "phone" else f"{key('draw_prediction')} h3"
    assert page.locator(answer).first.is_visible()
    assert any(word in page.locator(answer).first.inner_text() for word in ("%", "?"))
    assert in_viewport(page, answer)
    assert in_viewport(page, key("draw_undo")) and in_viewport(page, key("draw_clear"))
    assert not page.evaluate(TOO_WIDE)
    # The component's hover toolbar is gone (the page's buttons replace it), so no English tooltip.
    assert page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stBidiComponentIsolated"]'))
          .map(h => h.shadowRoot?.querySelector('.dc-toolbar')).filter(Boolean)
          .every(bar => getComputedStyle(bar).display === 'none')"""
    )
    assert_no_error(page)
    page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); if (m) m.scrollTop = 0; }")
    screenshot(page, f"touch-draw-{size}-{language}")


def go_to(page, view: str) -> None:
    """Follow the sidebar's link to `view` in the same session, as a student tapping it would."""
    page.evaluate(f'() => document.querySelector(\'[data-testid="stSidebarNav"] a[href$="/{view}"]\').click()')
    wait_idle(page)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_inside_analyses_the_draw_pages_drawing_at_once(phone, app_url, language):
    page = phone
    open_view(page, app_url, "draw", language, teacher=False)
    for stroke in TROUSER_STROKES:
        touch_stroke(page, canvas_of(page), stroke)
    wait_for_answer(page, "draw_prediction")
    wait_idle(page)
    go_to(page, "inside")
    page.locator(key("inside_source")).get_by_text("Drawing" if language == "en" else "그림", exact=True).tap()
    # No new stroke: the drawing's Grad-CAM, bars and feature maps come at once.
    page.wait_for_selector(key("inside_prediction"), timeout=60_000)
    wait_idle(page)
    assert (
        "Trouser" in page.locator(key("inside_prediction")).inner_text()
        or "바지" in page.locator(key("inside_prediction")).inner_text()
    )
    assert not page.evaluate(TOO_WIDE)
    # Undo here takes back the Draw page's last stroke: the figures follow.
    sources = "() => Array.from(document.querySelectorAll(\"[data-testid='stImageContainer'] img\")).map(i => i.src)"
    before = page.evaluate(sources)
    canvas_button(page, "inside_undo")
    page.wait_for_function(
        f"(before) => {{ const now = ({sources})(); return now.length === before.length"
        " && now.some((s, i) => s !== before[i]); }",
        arg=before,
        timeout=30_000,
    )
    assert_no_error(page)
    screenshot(page, f"touch-inside-phone-{language}")


# Each button of a segmented control: its box, and whether its left border shows.
SEGMENTS = """(selector) => Array.from(
  document.querySelectorAll(selector + ' button[data-variant="segmented_control"]')
).map((button) => { const box = button.getBoundingClientRect(); const style = getComputedStyle(button);
    return {left: box.left, right: box.right, top: box.top, border: style.borderLeftColor,
            width: parseFloat(style.borderLeftWidth)}; })"""


@pytest.mark.parametrize("language", ["en", "ko"])
def test_on_a_phone_the_model_choice_wraps_with_every_button_whole(phone, app_url, language):
    page = phone
    open_view(page, app_url, "draw", language)
    buttons = page.evaluate(SEGMENTS, key("draw_model"))
    assert len(buttons) == 2
    assert buttons[1]["top"] > buttons[0]["top"]  # the long second label wraps onto a line of its own
    for button in buttons:
        assert button["left"] >= 0 and button["right"] <= page.viewport_size["width"]
        assert button["width"] >= 1 and button["border"] not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, f"touch-draw-model-choice-{language}")


def test_the_model_input_shows_no_toolbar_over_the_answer(phone, app_url):
    page = phone
    open_view(page, app_url, "draw", "en")
    stroke_shows(page, TROUSER_STROKES[0])
    page.locator(PICTURE).hover()
    toolbar = f"{key('draw_model_input')} [data-testid='stElementToolbar']"
    assert page.locator(toolbar).count() == 0 or not page.locator(toolbar).first.is_visible()
    assert_no_error(page)
