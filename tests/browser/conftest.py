"""Fixtures: a real `streamlit run` on localhost and Debian's headless Chromium driven by Playwright.

Screenshots of every view land in artifacts/screenshots/ (not committed) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import PROJECTOR
from app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app

from cnn import config


@pytest.fixture(scope="session")
def app_url():
    (config.PROJECT_DIR / "artifacts").mkdir(exist_ok=True)
    port = free_port()
    process = start_app(port)
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; run scripts/setup.sh --dev (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    yield page
    context.close()
