"""The lesson on a projector (1280x720 and 1920x1080), in Korean and English: readable charts, a language
switch that keeps every choice, refusals in the page's language and a click's result in sight."""

from __future__ import annotations

import os

import numpy as np
import pytest
from app_driver import PROJECTOR, SCREENSHOTS, assert_no_error, choose, key, wait_for_text, wait_idle
from PIL import Image

from cnn import roles
from ui import architecture_view, registry
from ui.text import STRINGS

pytestmark = pytest.mark.browser

# Pages whose first visit waits for TensorFlow or 12,000 predictions on a busy machine.
SLOW = 180_000


def settle(page) -> None:
    wait_idle(page, timeout=SLOW)


def visit(page, base: str, view: str, language: str) -> None:
    """Open a page as the teacher and let it settle, however long its first visit takes."""
    page.goto(f"{base}/{view}?lang={language}&teacher={os.environ[roles.PASSCODE_ENV]}")
    settle(page)


# True once the container's top stands on the screen, above the last 100 px of a 720-px projector.
TOP_IN_VIEW = (
    "(s) => { const b = document.querySelector(s)?.getBoundingClientRect(); return b && b.top >= -5 && b.top < 620; }"
)


def switch_language(page, language: str) -> None:
    page.locator(key("language")).get_by_text({"ko": "한국어", "en": "English"}[language], exact=True).click()
    settle(page)


def checked_model(page) -> str:
    return page.locator(f"{key('model_choice')} input:checked").evaluate("e => e.closest('label').innerText").strip()


def select_value(page, name: str) -> str:
    return page.locator(f"{key(name)} input[role='combobox']").input_value()


def svg_text_sizes(page) -> list[tuple[str, float]]:
    """Return (text, on-screen px) of every visible text in the page's Vega-Lite charts."""
    return page.evaluate(
        """() => {
          const found = [];
          for (const svg of document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')) {
            const scale = svg.getBoundingClientRect().width / (svg.width.baseVal.value || 1);
            for (const text of svg.querySelectorAll('text')) {
              const style = getComputedStyle(text);
              if (!text.textContent.trim() || style.opacity === '0' || text.getAttribute('opacity') === '0') continue;
              found.push([text.textContent, parseFloat(style.fontSize) * scale]);
            }
          }
          return found;
        }"""
    )


def wait_for_charts(page, count: int) -> None:
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg text').length > 0 &&"
        " document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= n",
        arg=count,
        timeout=SLOW,
    )


def in_viewport(page, name: str) -> bool:
    box = page.locator(key(name)).bounding_box()
    return box is not None and -5 <= box["y"] < PROJECTOR["height"] - 100


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_language_switch_keeps_the_model_and_every_select_box_follows(projector, app_url, language):
    other = "en" if language == "ko" else "ko"
    page = projector
    visit(page, app_url, "samples", language)
    page.locator(key("model_choice")).get_by_text(STRINGS["model.drawing"][language], exact=True).click()
    settle(page)
    choose(page, "samples_class", STRINGS["samples.all"][language])  # "전체" / "All", the option that went stale
    assert checked_model(page) == STRINGS["model.drawing"][language]

    switch_language(page, other)
    assert checked_model(page) == STRINGS["model.drawing"][other]
    assert select_value(page, "samples_class") == STRINGS["samples.all"][other]
    switch_language(page, language)
    # Switching back does not quietly make the chapter's model active again.
    assert checked_model(page) == STRINGS["model.drawing"][language]
    assert select_value(page, "samples_class") == STRINGS["samples.all"][language]
    assert "91." in page.locator("[data-testid='stMetricValue']").first.inner_text()  # the drawing model's figure

    # The Train page's image count follows too ("3,000개" stayed on the English page).
    page.locator("[data-testid='stSidebarNav'] a").first.click()
    settle(page)
    before = select_value(page, "train_images")
    switch_language(page, other)
    after = select_value(page, "train_images")
    assert before != after and (("개" in after) == (other == "ko"))
    assert checked_model(page) == STRINGS["model.drawing"][other]
    assert_no_error(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_chart_text_is_at_least_14_px_on_a_projector_and_every_chart_has_a_title(projector, app_url, language):
    page = projector
    for view, charts in (("curves", 2), ("samples", 2)):
        visit(page, app_url, view, language)
        wait_for_charts(page, charts)
        sizes = svg_text_sizes(page)
        small = [(text, round(size, 1)) for text, size in sizes if size < 14]
        assert sizes and not small, (view, small)
        titles = page.evaluate(
            "() => Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg'))"
            ".map(svg => svg.querySelector('.role-title-text')?.textContent ?? '')"
        )
        assert len(titles) >= charts and all(titles), (view, titles)
    visit(page, app_url, "architecture", language)
    graph = page.locator(f"{key('architecture_graph')} img")
    graph.wait_for(timeout=SLOW)
    natural, shown = graph.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    # plot_model writes its labels at 14 points; drawn at GRAPH_DPI and shown at this width, in CSS px:
    assert 14 * architecture_view.GRAPH_DPI / 72 * shown / natural >= 14
    assert_no_error(page)


def test_chart_titles_are_in_the_pages_language(projector, app_url):
    page = projector
    visit(page, app_url, "curves", "ko")
    wait_for_charts(page, 2)
    titles = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] .role-title-text'))"
        ".map(t => t.textContent)"
    )
    assert titles == [STRINGS["curves.loss_title"]["ko"], STRINGS["curves.accuracy_title"]["ko"]]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_text_file_upload_is_refused_in_the_pages_language_and_the_old_prediction_goes(
    projector, app_url, dataset, tmp_path, language
):
    page = projector
    index = int(np.flatnonzero(dataset.test.labels == 1)[0])
    photo = tmp_path / "trouser.png"
    Image.fromarray(255 - dataset.test.images[index]).resize((200, 200)).save(photo)
    notes = tmp_path / "notes.txt"
    notes.write_text("lesson notes, not a picture")
    visit(page, app_url, "upload", language)
    # The uploader's own words ("Upload", "20MB per file") in the page's language.
    words = page.locator(f"{key('upload_image')} [data-testid='stFileUploaderDropzone']").evaluate(
        "e => Array.from(e.querySelectorAll('p, span')).map(x => x.innerText + getComputedStyle(x, '::after').content)"
    )
    assert any(STRINGS["upload.button"][language] in word for word in words), words
    assert any(STRINGS["upload.limit"][language] in word for word in words), words
    uploader = page.locator(f"{key('upload_image')} input[type='file']")
    uploader.set_input_files(str(photo))
    answer = STRINGS["predict.top"][language].split(":")[0] + ":"
    wait_for_text(page, "upload_prediction", answer)
    uploader.set_input_files(str(notes))
    reason = STRINGS["image.not_image"][language]
    wait_for_text(page, "upload_prediction", reason, timeout=60_000)
    result = page.locator(key("upload_prediction"))
    assert answer not in result.inner_text()
    assert result.locator("[data-testid='stVegaLiteChart']").count() == 0
    assert in_viewport(page, "upload_prediction")
    # Streamlit's own English refusal chip does not appear: the file reached the app.
    assert "not allowed" not in page.locator("body").inner_text()
    assert_no_error(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_clicking_a_sample_or_a_confusion_cell_shows_its_result_in_view(projector, app_url, language):
    page = projector
    visit(page, app_url, "samples", language)
    page.locator(f"{key('pick_7')} button").first.click()
    wait_for_text(page, "samples_selected", STRINGS["samples.selected"][language].format(index=7))
    page.wait_for_function(
        TOP_IN_VIEW,
        arg=key("samples_selected"),
        timeout=30_000,
    )
    assert in_viewport(page, "samples_selected")
    # A cell of the confusion matrix (true Shirt, predicted Coat: row 6, column 4) lists its images in view.
    cells = page.locator(f"{key('confusion_chart')} svg .mark-rect path")
    cells.nth(6 * 10 + 4).scroll_into_view_if_needed()
    cells.nth(6 * 10 + 4).click()
    settle(page)
    names = {"ko": ("셔츠", "코트"), "en": ("Shirt", "Coat")}[language]
    wait_for_text(page, "samples_cell", names[0])
    wait_for_text(page, "samples_cell", names[1])
    page.wait_for_function(
        TOP_IN_VIEW,
        arg=key("samples_cell"),
        timeout=30_000,
    )
    assert_no_error(page)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_at_projector_sizes_for_a_person_to_look_at(browser, app_url, language, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for entry in registry.PAGES:
            view = "" if entry is registry.DEFAULT else entry.name
            visit(page, app_url, view, language)
            assert_no_error(page)
            # Korean wraps between words ("있습니/다" no more), Streamlit's paragraphs included.
            breaks = page.evaluate(
                "() => Array.from(document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p'))"
                ".map(p => getComputedStyle(p).wordBreak)"
            )
            assert breaks and set(breaks) == {"keep-all"}, breaks
            # Nothing wider than the screen: the main area never scrolls sideways.
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(SCREENSHOTS / f"projector-{entry.name}-{language}-{width}x{height}.png"))
    finally:
        context.close()
