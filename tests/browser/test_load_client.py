"""The load test's protocol client (bench/st_client.py) drives the real app as a browser tab does."""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest
from app_driver import TROUSER_STROKES

from bench import st_client
from cnn import gallery
from cnn.config import CANVAS_SIZE, CLASS_NAMES_EN, DEFAULT_BRUSH_WIDTH

pytestmark = pytest.mark.browser


async def _draw_and_send(app_url: str, class_code: str) -> tuple[list, st_client.Reply]:
    session = st_client.Session(app_url, "draw", {"lang": "en", "class": class_code})
    try:
        opened = await session.open()
        assert opened.finished and not opened.exception
        replies = []
        canvas = session.latest("draw_canvas")
        for count in range(1, len(TROUSER_STROKES) + 1):
            value = st_client.canvas_value(TROUSER_STROKES[:count], DEFAULT_BRUSH_WIDTH, CANVAS_SIZE)
            replies.append(await session.rerun({canvas: ("json_value", value)}, fragment_of=canvas))
        values = {"send_label": ("string_value", "Trouser"), "send_nickname": ("string_value", "protocol")}
        sent = await session.rerun(values, trigger="send_to_class", fragment_of=canvas)
        cleared = await session.rerun(trigger="draw_clear", fragment_of=canvas)
        assert cleared.finished and session.latest("draw_canvas") != canvas  # Clear mounts a new canvas
        return replies, sent
    finally:
        await session.close()


def test_a_protocol_client_gets_the_bars_for_its_strokes_and_sends_to_the_gallery(app_url):
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        replies, sent = pool.submit(asyncio.run, _draw_and_send(app_url, "protocol-room")).result()
    for reply in replies:
        assert reply.finished and not reply.exception
        assert "imgs" in reply.elements and "vega_lite_chart" in reply.elements  # the 28x28 input and the bars
    assert any("Trouser" in text for text in replies[-1].texts)
    assert any("Sent as Trouser" in text for text in sent.texts)
    (item,) = gallery.Gallery().items("protocol-room")
    assert item.nickname == "protocol" and CLASS_NAMES_EN[item.label] == "Trouser"
