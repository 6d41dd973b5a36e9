"""From pressing Train to the first batch on the page, in a real browser at 1280x720: cold against made-ready.

    .venv/bin/python -m bench.first_batch --runs 3

Three servers, one after the other: "cold" with the ready process switched off
(CNN_WARM_TRAINING_SECONDS=0, each run starts its own process, as before), "ready" with a process
made ready but not the run's model (CNN_PREPARE_NEXT_RUN=0), and "traced" as shipped (the Train
page makes a process ready when it opens, and it builds and traces the model of the settings
shown). Each run is the quick recipe on 3,000 images; before pressing Train the bench waits until
the server's log says the process is ready (imported, loaded, warmed up, and for "traced" the
model traced), as a teacher's explanation would. It prints the seconds to the first
"· batch" on the page, to "Done", the elapsed time the page showed at Done, whether the loss
chart was above the fold at the first batch, and the ready process's memory.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from bench.memory import rss_mb
from cnn import config
from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app

PASSCODE = "bench-first-batch"
PROJECTOR = {"width": 1280, "height": 720}
MODES = ("cold", "ready", "traced")
IMAGES = 3000  # The quick recipe on this many images, a run that is Done in well under a minute.


def wait_until_ready(log: Path, count: int, traced: bool, timeout: float = 900.0) -> tuple[int | None, float]:
    """Wait until the server's log says a training process is ready (and traced) the `count`-th time; return its pid."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        text = log.read_text(errors="replace")
        found = re.findall(r"a training process is ready \(pid (\d+)\)", text)
        done = len(found) >= count and (not traced or text.count(f"built and traced ({IMAGES} images)") >= count)
        if done:
            return int(found[count - 1]), time.monotonic() - started
        time.sleep(0.25)
    return None, time.monotonic() - started


def one_server(mode: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.app_driver import choose, wait_idle

    env = {"CNN_TEACHER_PASSCODE": PASSCODE}
    if mode == "cold":
        env["CNN_WARM_TRAINING_SECONDS"] = "0"
    if mode == "ready":
        env["CNN_PREPARE_NEXT_RUN"] = "0"
    port = free_port()
    process = start_app(port, env)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=PROJECTOR).new_page()
            page.goto(f"http://127.0.0.1:{port}/?lang=en&teacher={PASSCODE}")
            wait_idle(page, timeout=300_000)
            page.locator(".st-key-train_recipe").get_by_text("Quick, for class", exact=True).click()
            wait_idle(page)
            choose(page, "train_images", f"{IMAGES:,}")
            log = config.PROJECT_DIR / "artifacts" / f"streamlit-{port}.log"
            for run in range(runs):
                traced = mode == "traced"
                ready_pid, waited = (None, 0.0) if mode == "cold" else wait_until_ready(log, run + 1, traced)
                memory = rss_mb(ready_pid) if ready_pid else None
                time.sleep(3)  # Let the server and the browser settle too.
                clicked = time.perf_counter()
                page.locator(".st-key-train_button button").click()
                page.wait_for_selector("text=· batch", timeout=600_000)
                first = time.perf_counter() - clicked
                chart = page.locator(".st-key-train_chart_area").bounding_box()
                page.wait_for_selector("text=Done: stopped after epoch", timeout=600_000)
                done = time.perf_counter() - clicked
                rows.append(
                    {
                        "mode": mode,
                        "first_batch": first,
                        "done": done,
                        "chart_above_fold": chart is not None and chart["y"] + 100 < PROJECTOR["height"],
                        "ready_rss_mb": memory,
                        "waited_for_ready": waited,
                    }
                )
                print(rows[-1], flush=True)
                wait_idle(page, timeout=120_000)
            browser.close()
    finally:
        stop_app(process)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args()
    rows = [row for mode in args.modes for row in one_server(mode, args.runs)]
    print(f"{'':6} {'first batch s':>14} {'Done s':>8} {'chart above fold':>17} {'ready process MB':>17}")
    for mode in args.modes:
        mine = [row for row in rows if row["mode"] == mode]
        firsts = ", ".join(f"{row['first_batch']:.1f}" for row in mine)
        dones = statistics.median(row["done"] for row in mine)
        above = all(row["chart_above_fold"] for row in mine)
        memory = [row["ready_rss_mb"] for row in mine if row["ready_rss_mb"]]
        shown = f"{statistics.median(memory):.0f}" if memory else "-"
        print(f"{mode:6} {firsts:>14} {dones:8.1f} {above!s:>17} {shown:>17}")
    load = re.sub(r"\s+", " ", Path("/proc/loadavg").read_text().strip())
    print(f"load average at the end: {load}; reference: the issue saw 17-38 s to the first batch")


if __name__ == "__main__":
    main()
