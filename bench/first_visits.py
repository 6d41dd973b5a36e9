"""The first visits to Architecture and Samples after the server starts, in a real browser.

    .venv/bin/python -m bench.first_visits --waits 0 10 30

For each wait, a fresh server: the teacher opens the app (the Train page), waits that many
seconds (explaining the lesson), then opens Architecture, then Samples, each in the same tab
by its address. A visit is timed from the address being opened to the page's content on
screen: the parameter count and the graph on Architecture, the first sample's caption on
Samples. The row "cold" opens Architecture as the server's very first page, so nothing was
filled before: what a visit costs without the background warm-up.
"""

from __future__ import annotations

import argparse
import time

from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app

PASSCODE = "bench-first-visits"
ARCHITECTURE_READY = "[data-testid='stMain'] [data-testid='stImageContainer'] img, [data-testid='stGraphVizChart']"
SAMPLES_READY = "[data-testid='stMain'] button:has-text('#0 ')"


def visit(page, url: str, selector: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, timeout=300_000)
    return time.perf_counter() - started


def one_server(wait: float | None) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    process = start_app(port, {"CNN_TEACHER_PASSCODE": PASSCODE})
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            if wait is not None:
                page.goto(f"{base}/?lang=en&teacher={PASSCODE}")
                page.wait_for_selector(".st-key-train_button", timeout=300_000)
                time.sleep(wait)
            architecture = visit(page, f"{base}/architecture?lang=en", ARCHITECTURE_READY)
            samples = visit(page, f"{base}/samples?lang=en", SAMPLES_READY)
            browser.close()
    finally:
        stop_app(process)
    return {"wait": wait, "architecture": architecture, "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waits", type=float, nargs="+", default=[0.0, 10.0, 30.0])
    args = parser.parse_args()
    rows = [one_server(None)] + [one_server(wait) for wait in args.waits]
    print(f"{'after the Train page':>22} {'Architecture s':>15} {'Samples s':>10}")
    for row in rows:
        label = "cold (first page)" if row["wait"] is None else f"{row['wait']:.0f} s"
        print(f"{label:>22} {row['architecture']:15.1f} {row['samples']:10.1f}")
    print("reference: the issue saw 11.4 s (Architecture) and 4.6 s (Samples); the target is 3 s or less")


if __name__ == "__main__":
    main()
