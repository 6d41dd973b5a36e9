"""Small helpers to drive the app in the browser by its stable widget keys."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

from cnn import config, roles

SCREENSHOTS = config.PROJECT_DIR / "artifacts" / "screenshots"
# A classroom projector's screen, the size the lesson's pages are checked at.
PROJECTOR = {"width": 1280, "height": 720}
# Trousers as a student draws them on the 280x280 canvas: a waist, two long legs, then their inner edges.
TROUSER_STROKES = [
    [(95, 25), (185, 25)],
    [(100, 25), (92, 140), (85, 260)],
    [(180, 25), (188, 140), (195, 260)],
    [(110, 30), (105, 140), (100, 255)],
    [(170, 30), (175, 140), (180, 255)],
]


# How long the page must stay without a status widget or spinner to count as settled.
IDLE_MS = 1200


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has run the script and stayed done for a moment, and the page's images have loaded.

    The status widget shows up only about a second after a script starts, and a page that loads
    TensorFlow shows a spinner for a few seconds more, so "no status widget and no spinner" must
    hold for a while, not just once.
    """
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.evaluate("() => { window.__idleSince = null; }")
    page.wait_for_function(
        """() => {
          const busy = document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSpinner"]');
          if (busy) { window.__idleSince = null; return false; }
          window.__idleSince = window.__idleSince || performance.now();
          return performance.now() - window.__idleSince > IDLE_MS;
        }""".replace("IDLE_MS", str(IDLE_MS)),
        timeout=timeout,
        polling=100,
    )
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.wait_for_function(
        "Array.from(document.images).every(img => img.complete && img.naturalWidth > 0)", timeout=timeout
    )
    time.sleep(0.3)


def open_view(page, base: str, view: str = "", language: str = "en", teacher: bool = True) -> None:
    """Open a page of the app (view "" is the default Train page), as the teacher unless told, and let it settle."""
    unlock = f"&teacher={os.environ[roles.PASSCODE_ENV]}" if teacher else ""
    page.goto(f"{base}/{view}?lang={language}{unlock}")
    wait_idle(page)


def assert_no_error(page) -> None:
    """No exception box, no traceback and no 'something went wrong' message anywhere on the page."""
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body
    assert "Something went wrong" not in body and "문제가 생겼지만" not in body


def screenshot(page, name: str) -> Path:
    """Save a screenshot for a person to look at (artifacts/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def key(name: str) -> str:
    """Return the CSS selector of the element Streamlit renders for widget or container key `name`."""
    return f".st-key-{name}"


def wait_for_text(page, name: str, text: str, timeout: float = 30_000) -> None:
    """Wait until the container with key `name` shows `text`; it may vanish for a moment while the script reruns."""
    page.wait_for_function(
        "([selector, text]) => (document.querySelector(selector)?.innerText ?? '').includes(text)",
        arg=[key(name), text],
        timeout=timeout,
    )


def wait_for_answer(page, name: str, timeout: float = 30_000) -> None:
    """Wait until the prediction container `name` shows an answer, sure ("Prediction:") or not ("Not sure:")."""
    page.wait_for_function(
        "(selector) => /Prediction:|Not sure:|예측:|확실하지 않아요:/"
        ".test(document.querySelector(selector)?.innerText ?? '')",
        arg=key(name),
        timeout=timeout,
    )


def canvas_button(page, name: str) -> None:
    """Press a canvas's page button by its key ("draw_undo", "draw_clear") and let the page settle."""
    page.locator(f"{key(name)} button").click()
    wait_idle(page)


def set_slider(page, name: str, steps_from_start: int) -> None:
    """Move a slider to its minimum, then `steps_from_start` steps right, with the keyboard."""
    thumb = page.locator(f"{key(name)} input[type='range']")
    thumb.focus()
    thumb.press("Home")
    for _ in range(steps_from_start):
        thumb.press("ArrowRight")
    wait_idle(page)


def choose(page, name: str, option: str) -> None:
    """Pick `option` (its visible text) in the selectbox with key `name`."""
    page.locator(f"{key(name)} input[role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def draw_stroke(page, canvas, points: list[tuple[float, float]], steps: int = 12) -> None:
    """Drag the mouse through `points` (canvas pixels) like a finger drawing one stroke."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        for step in range(1, steps + 1):
            page.mouse.move(box["x"] + x0 + (x1 - x0) * step / steps, box["y"] + y0 + (y1 - y0) * step / steps)
    page.mouse.up()


def touch_stroke(page, canvas, points: list[tuple[float, float]], steps: int = 8) -> None:
    """Draw one stroke with a finger: touch events through the Chrome DevTools protocol, as a phone sends them."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    session = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        touch_points = [] if kind == "touchEnd" else [{"x": box["x"] + x, "y": box["y"] + y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    touch("touchStart", *points[0])
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        for step in range(1, steps + 1):
            touch("touchMove", x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps)
    touch("touchEnd", *points[-1])
    session.detach()
