"""The training benchmark's rows in a real browser: Train clicked on the app's page (see bench/training.py).

Not a command: `python -m bench.training --worker SPEC` runs one of them in a fresh process.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

# What the Train page says when a run has ended: the epochs run and the best one.
DONE_TEXT = r"Done: stopped after epoch (\d+); the best epoch was (\d+)"


def _done_epochs(text: str) -> tuple[int, int]:
    """Return (epochs run, best epoch) from the Train page's text once it says Done."""
    found = re.search(DONE_TEXT, text)
    return int(found.group(1)), int(found.group(2))


def _press_slider(page, name: str, *keys: str) -> None:
    """Press keys on the slider with widget key `name` (Home, End, ArrowRight...) and let the page settle."""
    from bench import latency

    thumb = page.locator(f".st-key-{name} input[type='range']")
    thumb.focus()
    for key in keys:
        thumb.press(key)
    latency.wait_idle(page)


def _run_id(page) -> str:
    """Return the run's id from the page's address (?run=), which brings the run back after a reload."""
    return re.search(r"run=([\w-]+)", page.url).group(1)


def run_browser(spec: dict) -> dict:
    """Click Train in a real `streamlit run` session and time it until the page says Done."""
    from bench import latency
    from bench.memory import Peak

    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        if spec.get("train_limit") or spec.get("epochs"):
            raise ValueError("The browser row trains the app's defaults; run it without --quick or --epochs.")
        peak = Peak(app.pid)
        clicked = time.perf_counter()
        page.locator(".st-key-train_button button").click()
        with peak:
            # The first batch on the page: the training process has started, imported TensorFlow and begun.
            page.wait_for_selector("text=· batch", timeout=600_000)
            first_batch = time.perf_counter() - clicked
            page.wait_for_selector("text=Done: stopped after epoch", timeout=1800_000)
        wall = time.perf_counter() - clicked
        epochs_run, best_epoch = _done_epochs(page.locator("body").inner_text())
    return {
        "seconds": wall,
        # From the first batch on the page to Done: the training itself, as fit_seconds is for the other rows.
        "fit_seconds": wall - first_batch,
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "train_images": 48_000,
        "val_images": 12_000,
        "peak_rss_mb": peak.megabytes,
        "test_accuracy": None,
    }


# What the live page costs: batches per second with the Train page open against the same run with it closed.
AB_WINDOW_SECONDS = 25.0
AB_ROUNDS = 3
PROGRESS_TEXT = r"Epoch (\d+)/\d+ · batch (\d+)/(\d+)"


def run_browser_closed(spec: dict) -> dict:
    """Train from the app with its page on about:blank for all but the start and the end.

    With `--epochs N` the page sets N epochs and patience 10, so the run is N whole epochs; set
    the same for the `app` row and the two are the same work, started from the app or from here.
    Leaving the page for at most 60 s keeps the run watched (the board stops runs unwatched for 90 s).
    """
    from bench import latency

    epochs = spec.get("epochs") or 5
    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        _press_slider(page, "train_epochs", "Home", *["ArrowRight"] * (epochs - 1))
        _press_slider(page, "train_patience", "End")
        clicked = time.perf_counter()
        page.locator(".st-key-train_button button").click()
        page.wait_for_selector("text=· batch", timeout=600_000)
        first_batch = time.perf_counter()
        run = _run_id(page)
        while True:
            # Stay away until about 10 s before the estimated end, then watch the page say Done.
            text = page.locator("body").inner_text()
            if "Done: stopped" in text:
                break
            found = re.search(PROGRESS_TEXT, text)
            if found is None:  # Scoring an epoch on the validation set: read again in a moment.
                time.sleep(0.5)
                continue
            epoch, batch, batches = (int(group) for group in found.groups())
            done = (epoch - 1) * batches + batch
            remaining = (time.perf_counter() - first_batch) / max(done, 1) * (epochs * batches - done)
            if remaining < 20:
                break
            page.goto("about:blank")
            time.sleep(min(60.0, remaining - 10))
            page.goto(f"{app.url}/?lang=en&run={run}")
            page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
            page.wait_for_function(
                "document.body.innerText.includes('batch') || document.body.innerText.includes('Done')"
            )
        page.wait_for_selector("text=Done: stopped after epoch", timeout=600_000)
        ended = time.perf_counter()
        epochs_run, best_epoch = _done_epochs(page.locator("body").inner_text())
    return {
        "seconds": ended - clicked,
        "fit_seconds": ended - first_batch,
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "train_images": 48_000,
        "val_images": 12_000,
        "test_accuracy": None,
    }


def _chromium_cpu() -> float:
    """Return the CPU seconds (user + system) all Chromium processes have used so far."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if b"chromium" not in Path(f"/proc/{entry}/cmdline").read_bytes()[:300]:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def run_browser_ab(spec: dict) -> dict:
    """Alternate windows with the Train page open and with the browser on a blank page, within one run.

    Both sides share the run, its epochs and the machine's state, so the ratio of batches trained
    per second is what the open page costs the training, free of the run-to-run noise (up to about
    17% here) that comparing two whole runs carries. A window's count includes the validation passes
    that fall in it; alternating three times spreads them over both sides.
    """
    from bench import latency

    def trained(page) -> tuple[int, float]:
        found = re.search(PROGRESS_TEXT, page.locator("body").inner_text())
        epoch, batch, batches = (int(group) for group in found.groups())
        return (epoch - 1) * batches + batch, time.perf_counter()

    rates = {"open": [], "closed": []}
    browser_cores = {"open": [], "closed": []}
    with latency.running_app() as app, latency.browser_page() as page:
        page.goto(f"{app.url}/?lang=en")
        latency.wait_idle(page)
        # The chapter's recipe with patience 10, so that early stopping does not end the run between windows.
        _press_slider(page, "train_patience", "End")
        page.locator(".st-key-train_button button").click()
        page.wait_for_selector("text=Epoch 2/", timeout=600_000)
        run = _run_id(page)
        for side in ("open", "closed") * AB_ROUNDS:
            batches_before, started = trained(page)
            cpu_before = _chromium_cpu()
            if side == "closed":
                page.goto("about:blank")
            time.sleep(AB_WINDOW_SECONDS)
            cpu_after = _chromium_cpu()
            if side == "closed":
                # ?run= brings the session's run back after the reload.
                page.goto(f"{app.url}/?lang=en&run={run}")
                page.wait_for_selector("text=· batch", timeout=60_000)
            batches_after, ended = trained(page)
            rates[side].append((batches_after - batches_before) / (ended - started))
            browser_cores[side].append((cpu_after - cpu_before) / (ended - started))
        page.locator(".st-key-stop_button button").click()
    return {"rates": rates, "browser_cores": browser_cores, "window_seconds": AB_WINDOW_SECONDS}
