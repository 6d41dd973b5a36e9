"""Interactive latency and memory: a drawing to its bars, the validation set, the app's start, the server's memory.

python -m bench.latency                  # everything (about 2 minutes): server side, then a real browser
python -m bench.latency --no-browser     # only the server-side timings, in this process
python -m bench.latency --strokes 40     # more strokes for the mouse-up-to-bars median

Server side, in this process: preprocessing plus prediction of one canvas drawing next to the chapter's
model.predict on one image, and the 12,000 validation images at once. In the browser: `streamlit run` on a
free port until the Draw view is ready on the shipped model, mouse-up to redrawn bars on the Draw page
(measured in the page's own clock), and the server's memory (its process and any children, from
/proc/PID/status) with the shipped model and while a training run goes. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.memory import Peak, rss_mb, tree_rss_mb
from bench.timing import median_ms
from tests.browser.app_driver import TROUSER_STROKES, canvas_button, draw_stroke, wait_for_text
from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The targets, printed next to each figure.
TARGETS = {
    "drawing": 5.0,  # ms, preprocessing + prediction of one drawing, median
    "speedup": 10.0,  # x faster than model.predict on one image
    "validation": 2.0,  # s, the 12,000 validation images
    "bars": 700.0,  # ms, mouse-up to redrawn bars, median
    "start": 6.0,  # s, `streamlit run` to the Draw view ready
    "memory": 600.0,  # MB, server with the shipped model
    "training_memory": 1500.0,  # MB, server while training
}


# Server side ----------------------------------------------------------------------------------------------


def server_side(runs: int) -> list[tuple[str, float, str]]:
    """Time one drawing's preprocessing and prediction, model.predict, and the validation set, in this process."""
    from cnn import config, data, model_files, numpy_model, preprocess
    from cnn.drawing import drawings
    from cnn.predict import predict_one, predict_probabilities

    rows = []
    started = time.perf_counter()
    model = numpy_model.load(config.SHIPPED_MODEL_PATH)
    rows.append(
        ("load the shipped model as the app does (NumPy, no TensorFlow)", 1000 * (time.perf_counter() - started), "ms")
    )
    keras_model = model_files.load_model(config.SHIPPED_MODEL_PATH)
    keras_model.predict_on_batch(np.zeros((1, *config.INPUT_SHAPE), dtype=np.float32))
    rgba = drawings.render(TROUSER_STROKES, stroke_width=config.DEFAULT_BRUSH_WIDTH)  # as st_canvas gives it
    # The Draw view's call, and the drawing-friendly one where this checkout has it.
    prepare = getattr(preprocess, "prepare_drawing", preprocess.prepare_canvas)
    image = prepare(rgba)
    reference = median_ms(lambda: keras_model.predict(image[np.newaxis], verbose=0), runs)
    rows.append(("reference: model.predict(one image)", reference, "ms"))
    rows.append(("Keras predict_on_batch(one image)", median_ms(lambda: predict_one(keras_model, image), runs), "ms"))
    preprocess_ms = median_ms(lambda: prepare(rgba), runs)
    rows.append((f"preprocess.{prepare.__name__}(280x280 RGBA canvas)", preprocess_ms, "ms"))
    predict_ms = median_ms(lambda: predict_one(model, image), runs)
    rows.append(("predict_one(one image) (NumPy, as the app does)", predict_ms, "ms"))
    both = median_ms(lambda: predict_one(model, prepare(rgba)), runs)
    rows.append((f"drawing: preprocess + predict, median (target <= {TARGETS['drawing']:.0f} ms)", both, "ms"))
    rows.append(
        (f"model.predict / (preprocess + predict) (target >= {TARGETS['speedup']:.0f}x)", reference / both, "x")
    )

    images = data.load_dataset().val.scaled()
    for name, predictor in (("NumPy, as the app does", model), ("Keras predict_on_batch", keras_model)):
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            predict_probabilities(predictor, images)
            timings.append(time.perf_counter() - started)
        target = f" (target <= {TARGETS['validation']:.0f} s)" if predictor is model else ""
        rows.append((f"12,000 validation images, {name}, median of 3{target}", statistics.median(timings), "s"))
    started = time.perf_counter()
    keras_model.predict(images, verbose=0)
    rows.append(("reference: model.predict(12,000 validation images)", time.perf_counter() - started, "s"))
    return rows


# The app in a browser ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class App:
    """A running `streamlit run streamlit_app.py`."""

    process: subprocess.Popen
    url: str
    started: float  # time.perf_counter() when the process was spawned

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def running_app():
    """Start the app on a free port (as the browser tests do), wait until it answers, and stop it afterwards."""
    port = free_port()
    started = time.perf_counter()
    process = start_app(port)
    try:
        yield App(process, f"http://127.0.0.1:{port}", started)
    finally:
        stop_app(process)


@contextlib.contextmanager
def browser_page():
    """Yield a Playwright page in Debian's headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        finally:
            browser.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script and nothing on the page is stale."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=timeout,
    )


# In the page: when the mouse went up, and a signature of the bars drawn in the prediction panel.
PAGE_SETUP = """() => {
  if (!window.__mouseupListening) {
    document.addEventListener('mouseup', () => { window.__mouseup = performance.now(); }, true);
    window.__mouseupListening = true;
  }
}"""
BARS_SIGNATURE = """() => {
  const svg = document.querySelector('.st-key-draw_prediction [data-testid="stVegaLiteChart"] svg');
  return svg ? Array.from(svg.querySelectorAll('.mark-rect path')).map(p => p.getAttribute('d')).join('|') : '';
}"""
BARS_CHANGED = """(before) => {
  const now = (SIGNATURE)();
  return now !== '' && now !== before ? performance.now() : false;
}""".replace("SIGNATURE", BARS_SIGNATURE)


def stroke_latencies(page, strokes: int) -> tuple[list[float], int]:
    """Draw `strokes` strokes (trousers, cleared after each) and return the mouse-up-to-bars times in ms."""
    page.evaluate(PAGE_SETUP)
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    latencies, unchanged = [], 0
    for index in range(strokes):
        position = index % len(TROUSER_STROKES)
        if position == 0 and index > 0:
            canvas_button(page, "draw_clear")
            page.wait_for_function(f"({BARS_SIGNATURE})() === ''", timeout=30_000)
            wait_idle(page)
        before = page.evaluate(BARS_SIGNATURE)
        draw_stroke(page, canvas, TROUSER_STROKES[position])
        try:
            handle = page.wait_for_function(BARS_CHANGED, arg=before, timeout=10_000, polling="raf")
            latencies.append(handle.json_value() - page.evaluate("window.__mouseup"))
        except Exception:  # Playwright's TimeoutError: this stroke left the bars as they were.
            unchanged += 1
        wait_idle(page)
        time.sleep(0.3)
    return latencies, unchanged


def in_browser(strokes: int, training_seconds: float) -> list[tuple[str, float, str]]:
    """Start the app, open the Draw view, draw, and read the server's memory; then start a training and watch it."""
    rows = []
    with browser_page() as page, running_app() as app:
        healthy = time.perf_counter() - app.started
        page.goto(f"{app.url}/draw?lang=en")
        page.wait_for_selector("canvas.upper-canvas", timeout=90_000)
        wait_for_text(page, "draw_prediction", "Draw a garment", timeout=90_000)
        wait_idle(page)
        ready = time.perf_counter() - app.started
        rows.append(("`streamlit run` until the server answers", healthy, "s"))
        rows.append((f"`streamlit run` until the Draw view is ready (target <= {TARGETS['start']:.0f} s)", ready, "s"))
        rows.append(("server memory, Draw view ready", tree_rss_mb(app.pid), "MB"))
        rows.append(("  of which private (RssAnon)", tree_rss_mb(app.pid, "RssAnon"), "MB"))

        latencies, unchanged = stroke_latencies(page, strokes)
        rows.append(
            (f"mouse-up to redrawn bars, median of {len(latencies)} strokes", statistics.median(latencies), "ms")
        )
        rows.append(("mouse-up to redrawn bars, 90th percentile", float(np.percentile(latencies, 90)), "ms"))
        if unchanged:
            rows.append(("strokes that left the bars unchanged (not counted)", unchanged, ""))
        target = TARGETS["memory"]
        rows.append((f"server memory after drawing (target <= {target:.0f} MB)", tree_rss_mb(app.pid), "MB"))
        rows.append(("server peak memory so far (VmHWM)", rss_mb(app.pid, "VmHWM"), "MB"))

        # Training: the chapter's recipe from the Train button, watched for a while, then stopped.
        page.goto(f"{app.url}/?lang=en")
        wait_idle(page)
        with Peak(app.pid) as peak:
            page.locator(".st-key-train_button button").click()
            page.wait_for_selector("text=Epoch 2/", timeout=int(1000 * max(training_seconds, 60) * 3))
            time.sleep(training_seconds)
            page.locator(".st-key-stop_button button").click()
            page.wait_for_selector("text=Stopped.", timeout=120_000)
        target = TARGETS["training_memory"]
        rows.append((f"server + training memory, peak (target <= {target:.0f} MB)", peak.megabytes, "MB"))
        rows.append(("server process alone, peak while training", peak.server_megabytes, "MB"))
        rows.append(("server + training, PSS (shared libraries counted once), peak", peak.proportional_megabytes, "MB"))
        rows.append(("server + training, private (RssAnon), peak", peak.private_megabytes, "MB"))
        time.sleep(2)
        rows.append(("server memory after the run, model kept", tree_rss_mb(app.pid), "MB"))
    return rows


def render(rows: list[tuple[str, float, str]], markdown: bool) -> str:
    """Return the rows as aligned text or a Markdown table."""
    if markdown:
        lines = ["| measure | value |", "|---|---|"]
        return "\n".join(lines + [f"| {name} | {value:.1f} {unit} |" for name, value, unit in rows])
    width = max(len(name) for name, _, _ in rows) + 2
    return "\n".join(f"{name:<{width}}{value:10.1f} {unit}" for name, value, unit in rows)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the interactive latencies and the server's memory."""
    sys.path.insert(0, str(PROJECT_DIR))
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="calls per server-side timing (median reported)")
    parser.add_argument("--strokes", type=int, default=20, help="strokes drawn in the browser")
    parser.add_argument("--training-seconds", type=float, default=20, help="how long to watch a training run")
    parser.add_argument("--no-browser", action="store_true", help="only the server-side timings")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    from bench.machine import busy_cores, cpu_model, heavy_processes

    print(f"{cpu_model()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    others = heavy_processes()
    print(f"other load before: {busy_cores():.2f} cores busy; {'; '.join(others) or 'no other app, test or training'}")
    rows = server_side(args.runs)
    print(render(rows, args.markdown), flush=True)
    if not args.no_browser:
        browser_rows = in_browser(args.strokes, args.training_seconds)
        print(render(browser_rows, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
