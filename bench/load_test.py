"""A classroom in one script: N students draw and read predictions, with and without a training.

    .venv/bin/python -m bench.load_test                    # 10 sessions, 60 s idle + 60 s while one trains
    .venv/bin/python -m bench.load_test --sessions 4 --seconds 20
    .venv/bin/python -m bench.load_test --sessions 30 --send-every 4   # a class sending to the gallery
    .venv/bin/python -m bench.load_test --client browser --sessions 10 # each student a real Chromium tab

Students are protocol clients by default (--client ws, bench/st_client.py): they speak Streamlit's
websocket protocol as the browser's frontend does, so thirty of them fit beside the server on two
cores; the browser's own share of a stroke (drawing the canvas PNG, rendering the reply) is then not
in the figures. --client browser makes each student an isolated Chromium context instead. The
teacher's tabs (Train, and the Gallery on the projector) are real Chromium tabs either way.

With --send-every K each student also sends every K-th drawing to the class gallery, and a
projector tab (the teacher's Gallery page) watches them arrive: the script reports how long a
sent drawing took to appear there and whether any was lost (the database is counted at the end).

It starts the app on a free port (or uses --url and --pid), opens the Draw page for N
students, and each one draws a stroke, waits for the model's input image and bars to
update, and repeats, clearing the canvas now and then. It prints p50/p95 latency from
mouse-up to updated bars, errors, and the server's memory.
Only localhost is contacted, and every loop stops by itself after --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import websockets

from bench import st_client
from bench.memory import Peak, rss_mb
from cnn.config import CANVAS_SIZE, DEFAULT_BRUSH_WIDTH
from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app

# Strokes a student might draw, in canvas pixels (the canvas is 280x280).
STROKES = [
    [(95, 25), (185, 25)],
    [(100, 25), (90, 260)],
    [(180, 25), (190, 260)],
    [(60, 60), (140, 30), (220, 60)],
    [(70, 120), (210, 120)],
    [(80, 200), (200, 200), (200, 240)],
]
UPDATE_TIMEOUT_MS = 15_000
STROKES_BEFORE_CLEAR = 6
CLASS_CODE = "load-test"
SEND_LABEL = "Trouser"
# Seconds between the projector showing the join panel and the students starting.
TEACHER_HEAD_START = 15
# A protocol client's pace: seconds spent drawing a stroke, then looking at the bars.
STROKE_SECONDS = (0.6, 1.6)
LOOK_SECONDS = (0.5, 1.5)


class Lesson:
    """What the sessions of one run share: the teacher passcode and the gallery's bookkeeping."""

    def __init__(self, send_every: int):
        self.passcode = secrets.token_urlsafe(8)
        self.send_every = send_every
        self.sent: dict[str, float] = {}  # nickname -> when the student saw "sent"
        self.seen: dict[str, float] = {}  # nickname -> when the projector showed it
        self.refused: list[str] = []


async def send_to_class(page, lesson: Lesson, nickname: str, errors: list) -> None:
    """Send the drawing on the canvas to the class gallery, as a student does: class, nickname, Send."""
    try:
        combo = page.locator(".st-key-send_label input[role='combobox']")
        await combo.click()
        await combo.fill(SEND_LABEL)
        await page.get_by_role("option", name=SEND_LABEL, exact=True).click()
        await page.locator(".st-key-send_nickname input").fill(nickname)
        await page.locator(".st-key-send_nickname input").press("Tab")
        await page.locator(".st-key-send_to_class button").click()
        await page.wait_for_function(
            "(name) => { const panel = document.querySelector('.st-key-send_panel_draw');"
            " return panel && /Sent as|Wait a moment|as many as/.test(panel.innerText); }",
            arg=nickname,
            timeout=UPDATE_TIMEOUT_MS,
        )
        text = await page.locator(".st-key-send_panel_draw").inner_text()
        if "Sent as" in text:
            lesson.sent[nickname] = time.monotonic()
        else:
            lesson.refused.append(nickname)
    except Exception as error:  # A send that never answered counts as an error.
        errors.append(f"send: {type(error).__name__}")


async def projector(browser, url: str, lesson: Lesson, done: asyncio.Event, shown: asyncio.Event) -> None:
    """The teacher's Gallery page on the projector: note when each sent drawing first shows up."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    await page.goto(f"{url}/gallery?lang=en&class={CLASS_CODE}&teacher={lesson.passcode}", timeout=120_000)
    try:
        await page.locator(".st-key-class_gallery").wait_for(timeout=120_000)
    finally:
        shown.set()  # Even when the page never came, the students must not wait forever.
    while not done.is_set():
        try:
            text = await page.locator(".st-key-class_gallery").inner_text(timeout=2_000)
        except Exception:  # The fragment is being redrawn; look again.
            text = ""
        now = time.monotonic()
        for nickname in list(lesson.sent):
            if nickname not in lesson.seen and nickname in text:
                lesson.seen[nickname] = now
        await asyncio.sleep(0.5)
    await context.close()


async def _input_src(page) -> str:
    return await page.evaluate(
        "() => { const img = document.querySelector('.st-key-draw_prediction img'); return img ? img.src : ''; }"
    )


async def student(
    browser, url: str, seconds: float, seed: int, latencies: list, errors: list, lesson: Lesson | None = None
) -> None:
    """One student's tab: draw, wait for the bars, send now and then, repeat until time is up."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    rng = random.Random(seed)
    try:
        await page.goto(f"{url}/draw?lang=en&class={CLASS_CODE}", timeout=120_000)
        canvas = page.locator("canvas.upper-canvas")
        await canvas.wait_for(timeout=120_000)
        # Like a student, start once the page has finished loading and looked at it.
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
        )
        await asyncio.sleep(rng.uniform(0.3, 0.8))
        deadline = time.monotonic() + seconds
        strokes = 0
        while time.monotonic() < deadline:
            before = await _input_src(page)
            # Measured before every stroke: elements above the canvas that render late move it down,
            # and a stroke aimed with an earlier box lands above the canvas and is lost.
            box = await canvas.bounding_box()
            points = rng.choice(STROKES)
            jitter = rng.uniform(-10, 10)
            await page.mouse.move(box["x"] + points[0][0] + jitter, box["y"] + points[0][1])
            await page.mouse.down()
            for x, y in points[1:]:
                await page.mouse.move(box["x"] + x + jitter, box["y"] + y, steps=8)
            await page.mouse.up()
            released = time.monotonic()
            try:
                await page.wait_for_function(
                    "(before) => { const img = document.querySelector('.st-key-draw_prediction img');"
                    " return img && img.src !== before && img.complete; }",
                    arg=before,
                    timeout=UPDATE_TIMEOUT_MS,
                )
                latencies.append(time.monotonic() - released)
            except Exception as error:  # A timeout or a closed page counts as an error, then carry on.
                errors.append(
                    f"update{' after clear' if strokes % STROKES_BEFORE_CLEAR == 0 else ''}: {type(error).__name__}"
                )
            if await page.locator("[data-testid='stException']").count():
                errors.append("exception shown")
            strokes += 1
            if lesson is not None and lesson.send_every and strokes % lesson.send_every == 0:
                await send_to_class(page, lesson, f"s{seed}n{strokes}t{int(time.time() * 10) % 100000}", errors)
            if strokes % STROKES_BEFORE_CLEAR == 0:
                # Like a student, draw again once the page shows the canvas empty: a stroke drawn before
                # the cleared canvas arrives would be wiped with the old ones.
                await page.locator(".st-key-draw_clear button").click()
                try:
                    await page.wait_for_function(
                        "() => !document.querySelector('.st-key-draw_prediction img')"
                        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                        timeout=UPDATE_TIMEOUT_MS,
                    )
                except Exception as error:  # The canvas never came back empty.
                    errors.append(f"clear: {type(error).__name__}")
            await asyncio.sleep(rng.uniform(0.3, 0.8))  # A student looks at the bars before the next stroke.
    except Exception as error:
        errors.append(f"session: {type(error).__name__}: {str(error)[:80]}")
    finally:
        await context.close()


async def protocol_student(
    browser, url: str, seconds: float, seed: int, latencies: list, errors: list, lesson: Lesson | None = None
) -> None:
    """One student as a protocol client: draw, wait for the bars, send now and then, repeat until time is up.

    A stroke takes a student STROKE_SECONDS to draw and the bars LOOK_SECONDS to read; the server
    hears of the stroke only at its end (mouse-up), as from the browser.
    """
    rng = random.Random(seed)
    session = st_client.Session(url, "draw", {"lang": "en", "class": CLASS_CODE})
    try:
        opened = await session.open()
        if not opened.finished or session.latest("draw_canvas") not in session.widgets:
            errors.append("session: the Draw page did not load")
            return
        await asyncio.sleep(rng.uniform(0.3, 0.8))
        deadline = time.monotonic() + seconds
        strokes: list = []
        count = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(*STROKE_SECONDS))
            jitter = rng.uniform(-10, 10)
            strokes.append([(x + jitter, y) for x, y in rng.choice(STROKES)])
            value = st_client.canvas_value(strokes, DEFAULT_BRUSH_WIDTH, CANVAS_SIZE)
            canvas = session.latest("draw_canvas")
            try:
                reply = await session.rerun({canvas: ("json_value", value)}, fragment_of=canvas)
                if reply.exception:
                    errors.append("exception shown")
                elif reply.finished and "imgs" in reply.elements:
                    latencies.append(reply.seconds)
                else:
                    errors.append("update: no prediction")
            except (TimeoutError, websockets.exceptions.WebSocketException) as error:
                errors.append(f"update: {type(error).__name__}")
            count += 1
            if lesson is not None and lesson.send_every and count % lesson.send_every == 0:
                await protocol_send(session, lesson, f"s{seed}n{count}t{int(time.time() * 10) % 100000}", errors)
            if count % STROKES_BEFORE_CLEAR == 0:
                # The page's Clear button: the page mounts a new, empty canvas under a new key.
                strokes = []
                canvas = session.latest("draw_canvas")
                reply = await session.rerun(trigger="draw_clear", fragment_of=canvas)
                session.forget(canvas)
                if not reply.finished or reply.exception or session.latest("draw_canvas") == canvas:
                    errors.append("clear: no new canvas")
            await asyncio.sleep(rng.uniform(*LOOK_SECONDS))
    except Exception as error:
        errors.append(f"session: {type(error).__name__}: {str(error)[:80]}")
    finally:
        await session.close()


async def protocol_send(session: st_client.Session, lesson: Lesson, nickname: str, errors: list) -> None:
    """Send the drawing to the class gallery as a student does: class, nickname, Send."""
    try:
        values = {"send_label": ("string_value", SEND_LABEL), "send_nickname": ("string_value", nickname)}
        reply = await session.rerun(values, trigger="send_to_class", fragment_of=session.latest("draw_canvas"))
        text = " ".join(reply.texts)
        if "Sent as" in text:
            lesson.sent[nickname] = time.monotonic()
        elif "Wait a moment" in text or "as many as" in text:
            lesson.refused.append(nickname)
        else:
            errors.append("send: no answer")
    except Exception as error:  # A send that never answered counts as an error.
        errors.append(f"send: {type(error).__name__}")


async def trainer(browser, url: str, lesson: Lesson, ready: asyncio.Event, done: asyncio.Event) -> None:
    """The teacher's tab: press Train with the chapter's recipe, keep watching, press Stop at the end."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/?lang=en&teacher={lesson.passcode}", timeout=120_000)
    await page.locator(".st-key-train_button button").click()
    await page.wait_for_selector("text=Epoch 1/20", timeout=120_000)
    ready.set()
    await done.wait()
    await page.locator(".st-key-stop_button button").click()
    await page.wait_for_selector("text=Stopped.", timeout=180_000)
    await context.close()


def summary(latencies: list[float], errors: list[str]) -> dict:
    ordered = sorted(latencies)
    pick = (lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]) if ordered else (lambda q: float("nan"))
    return {
        "updates": len(ordered),
        "p50_ms": round(1000 * statistics.median(ordered), 0) if ordered else None,
        "p95_ms": round(1000 * pick(0.95), 0) if ordered else None,
        "max_ms": round(1000 * ordered[-1], 0) if ordered else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def gallery_figures(lesson: Lesson, stored: int | None) -> dict:
    """Return how long sent drawings took to reach the projector, and whether the gallery lost any."""
    delays = sorted(lesson.seen[name] - lesson.sent[name] for name in lesson.seen)
    return {
        "sent": len(lesson.sent),
        "refused_by_limits": len(lesson.refused),
        "shown_on_projector": len(lesson.seen),
        "stored": stored,
        "lost": None if stored is None else len(lesson.sent) - stored,
        "delay_p50_s": round(statistics.median(delays), 1) if delays else None,
        "delay_max_s": round(delays[-1], 1) if delays else None,
    }


async def phase(
    browser, url: str, sessions: int, seconds: float, pid: int | None, with_training: bool, lesson: Lesson, client
) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    ready, done, watching = asyncio.Event(), asyncio.Event(), asyncio.Event()
    teacher = None
    if with_training:
        teacher = asyncio.create_task(trainer(browser, url, lesson, ready, done))
        await ready.wait()
    wall = None
    if lesson.send_every:
        # As in a lesson, the teacher's projector shows the join panel before the students join, and the
        # server's warm-up after a teacher's first visit (ui/warm.py) has had its time.
        shown = asyncio.Event()
        wall = asyncio.create_task(projector(browser, url, lesson, watching, shown))
        await shown.wait()
        await asyncio.sleep(TEACHER_HEAD_START)
    before_students = rss_mb(pid) if pid else float("nan")  # the teacher's tabs and warm-up, no student yet
    with Peak(pid or 0, interval=1.0) as peak:
        await asyncio.gather(
            *(client(browser, url, seconds, seed, latencies, errors, lesson) for seed in range(sessions))
        )
    done.set()
    if wall:
        await asyncio.sleep(2 * 3)  # two gallery refreshes for the last drawings to arrive
        watching.set()
        await wall
    if teacher:
        await teacher
    memory = {
        "server_peak_mb": round(peak.server_megabytes),  # the Streamlit process, VmRSS
        "server_and_training_peak_mb": round(peak.megabytes),  # with the training child, if any
        "private_peak_mb": round(peak.private_megabytes),  # RssAnon: without the shared library pages
        "proportional_peak_mb": round(peak.proportional_megabytes),  # PSS: shared pages counted once
    }
    if pid:
        memory["before_students_mb"] = round(before_students)
        # What each connected student adds to the server, beyond the server with the teacher's pages open.
        memory["per_session_mb"] = round((peak.server_megabytes - before_students) / sessions, 1)
    return {**summary(latencies, errors), **(memory if pid else {})}


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    from cnn import gallery

    lesson = Lesson(args.send_every)
    if args.passcode:
        lesson.passcode = args.passcode
    process, pid, url = None, args.pid, args.url
    data_dir = Path(tempfile.mkdtemp(prefix="cnn-load-test-"))
    if url is None:
        port = free_port()
        Path("artifacts").mkdir(exist_ok=True)
        process = start_app(port, {"CNN_TEACHER_PASSCODE": lesson.passcode, "CNN_DATA_DIR": str(data_dir)})
        pid, url = process.pid, f"http://127.0.0.1:{port}"
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            started_mb = rss_mb(pid) if pid else float("nan")  # the shipped model loaded, nobody connected yet
            client = student if args.client == "browser" else protocol_student
            idle = await phase(browser, url, args.sessions, args.seconds, pid, False, lesson, client)
            training = await phase(browser, url, args.sessions, args.seconds, pid, True, lesson, client)
            await browser.close()
        # Only a server this script started writes to data_dir; one given by --url keeps its own.
        stored = len(gallery.Gallery(data_dir).items(CLASS_CODE)) if process is not None else None
        return {
            "client": args.client,
            "sessions": args.sessions,
            "seconds_per_phase": args.seconds,
            "server_start_mb": round(started_mb, 0),
            "drawing": idle,
            "drawing_while_one_trains": training,
            **({"gallery": gallery_figures(lesson, stored)} if args.send_every else {}),
        }
    finally:
        if process is not None:
            stop_app(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_test", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="students drawing at once")
    parser.add_argument(
        "--client", choices=("ws", "browser"), default="ws", help="each student: a protocol client or a Chromium tab"
    )
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--url", help="an app already running (default: start one)")
    parser.add_argument("--pid", type=int, help="that app's process id, to read its memory")
    parser.add_argument("--passcode", help="that app's teacher passcode (default: the one this script sets)")
    parser.add_argument("--send-every", type=int, default=0, help="send every K-th drawing to the class gallery")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    for name in ("drawing", "drawing_while_one_trains"):
        figures = result[name]
        print(
            f"{name:26s} updates {figures['updates']:5d}  p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
            f"errors {figures['errors']}  server peak {figures.get('server_peak_mb')} MB "
            f"(private {figures.get('private_peak_mb')} MB, "
            f"with training {figures.get('server_and_training_peak_mb')} MB)",
            file=sys.stderr,
        )
    if "gallery" in result:
        print(f"gallery: {result['gallery']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
