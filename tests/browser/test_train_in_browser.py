"""Train on a projector (1280x720): a sign of life at once, then batches, with the live loss chart above the fold."""

from __future__ import annotations

import pytest
from app_driver import PROJECTOR, assert_no_error, choose, key, open_view, screenshot, wait_idle

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"quick": "Quick, for class", "images": "1,000", "batch": "· batch", "done": "Done: stopped"},
    "ko": {"quick": "수업용 빠른 훈련", "images": "1,000개", "batch": "· 배치", "done": "훈련 완료"},
}
READY = {"en": "Getting ready", "ko": "훈련을 준비하는"}
# What the live panel shows, polled in the page: the order in which the texts first appeared.
WATCH = """(texts) => {
  window.__seen = [];
  const look = () => {
    const body = document.body.innerText;
    for (const text of texts) if (body.includes(text) && !window.__seen.includes(text)) window.__seen.push(text);
  };
  window.__watch = setInterval(look, 50);
  look();
}"""


@pytest.mark.parametrize("language", ["en", "ko"])
def test_train_shows_progress_then_done_with_the_chart_above_the_fold(projector, app_url, language):
    page, words = projector, TEXT[language]
    open_view(page, app_url, "", language)
    page.locator(key("train_recipe")).get_by_text(words["quick"], exact=True).click()
    wait_idle(page)
    choose(page, "train_images", words["images"])
    # The long note about the quick recipe is folded: one line, not four.
    assert page.locator("[data-testid='stExpander']").count() >= 1
    page.evaluate(WATCH, [READY[language], words["batch"], words["done"]])
    page.locator(f"{key('train_button')} button").click()
    page.wait_for_selector(f"text={words['batch']}", timeout=180_000)
    screenshot(page, f"train-running-projector-{language}")
    chart = page.locator(key("train_chart_area"))
    chart.wait_for(timeout=30_000)
    box = chart.bounding_box()
    assert box is not None and box["y"] + 0.5 * box["height"] < PROJECTOR["height"]  # The chart is in sight.
    page.wait_for_selector(f"text={words['done']}", timeout=300_000)
    wait_idle(page)
    seen = page.evaluate("window.__seen")
    # Batches are shown before Done; a "getting ready" line, if the page showed one, came first.
    assert seen.index(words["batch"]) < seen.index(words["done"])
    if READY[language] in seen:
        assert seen.index(READY[language]) < seen.index(words["batch"])
    box = page.locator(key("train_chart_area")).bounding_box()
    assert box is not None and box["y"] < PROJECTOR["height"]
    assert_no_error(page)
    screenshot(page, f"train-done-projector-{language}")
