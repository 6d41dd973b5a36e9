"""A student's tab without a browser: a small client of Streamlit's own websocket protocol, for the load test.

Thirty headless Chromiums need more CPU than the 2-core server they are meant to load
(bench/README.md#thirty-students-sending-to-the-gallery), so `bench.load_test --client ws` speaks
the protocol the browser speaks instead: it opens `/_stcore/stream`, asks for a script run with
the page's query string, and answers each widget by the id Streamlit gave it, exactly as the
browser's frontend does (the messages are the `streamlit.proto` classes the server uses). A stroke
is sent as the drawable canvas sends it: the Fabric.js objects and the canvas as a PNG data URL.
What it cannot show is the browser's own share of a stroke's latency (drawing the PNG, rendering
the reply), which `--client browser` measures.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import io
import json
import time
import urllib.parse

import websockets
from PIL import Image, ImageDraw
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# Elements whose text a client may want to read (messages, captions, alerts).
TEXT_ELEMENTS = ("markdown", "alert", "caption", "text", "heading", "exception")
# ScriptFinishedStatus values that end a run the client asked for.
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


@dataclasses.dataclass
class Reply:
    """What one script run sent back: how long it took, which elements and texts, and whether it failed."""

    seconds: float
    elements: list[str]
    texts: list[str]
    exception: bool
    finished: bool


def widget_key(widget_id: str) -> str:
    """Return the user key at the end of a Streamlit widget id ("$$ID-<hash>-<key>")."""
    return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id


def canvas_value(strokes: list[list[tuple[float, float]]], width: int, size: int) -> str:
    """Return the canvas's value after `strokes` (canvas pixels), as the drawable canvas sends it: JSON."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    objects = []
    for points in strokes:
        pen.line(points, fill=(0, 0, 0, 255), width=width, joint="curve")
        for x, y in (points[0], points[-1]):
            pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=(0, 0, 0, 255))
        path = [["M", *points[0]]] + [["L", *point] for point in points[1:]]
        objects.append({"type": "Path", "stroke": "#000000", "strokeWidth": width, "fill": None, "path": path})
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data_url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return json.dumps({"drawing": {"raw": {"version": "7.4.0", "objects": objects}, "data": data_url}})


class Session:
    """One browser tab's session: `await open()`, then `rerun()` with widget values set by key."""

    def __init__(self, url: str, page: str, query: dict[str, str]):
        parts = urllib.parse.urlsplit(url)
        self._stream = urllib.parse.urlunsplit(("ws", parts.netloc, "/_stcore/stream", "", ""))
        self._page = page
        self._query = urllib.parse.urlencode(query)
        self._socket = None
        self.page_hash = ""
        self.widgets: dict[str, str] = {}  # key -> widget id, from the elements the server sent
        self.fragments: dict[str, str] = {}  # key -> id of the fragment that draws that widget
        self._values: dict[str, BackMsg] = {}  # widget id -> its last state, sent with every run

    async def open(self, timeout: float = 120) -> Reply:
        """Connect and run the page once, as a browser does on load."""
        self._socket = await websockets.connect(
            self._stream, subprotocols=["streamlit"], max_size=None, open_timeout=timeout
        )
        message = BackMsg()
        message.rerun_script.query_string = self._query
        message.rerun_script.page_name = self._page
        return await self._run(message, timeout)

    async def rerun(
        self,
        values: dict[str, tuple[str, object]] | None = None,
        trigger: str | None = None,
        fragment_of: str | None = None,
        timeout: float = 30,
    ) -> Reply:
        """Run the page (or the fragment holding widget `fragment_of`) with `values` {key: (field, value)}.

        `field` names the WidgetState field the browser would fill: "json_value" for the canvas,
        "string_value" for a select box or text input; `trigger` is a button pressed for this run only.
        """
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self._query
        state.page_script_hash = self.page_hash
        if fragment_of is not None:
            state.fragment_id = self.fragments[fragment_of]
        for key, (field, value) in (values or {}).items():
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets[key]
            setattr(widget, field, value)
            self._values[widget.id] = widget
        for widget_id, widget in self._values.items():
            if all(widget_id != sent.id for sent in state.widget_states.widgets):
                state.widget_states.widgets.add().CopyFrom(widget)
        if trigger is not None:
            pressed = state.widget_states.widgets.add()
            pressed.id = self.widgets[trigger]
            pressed.trigger_value = True
        return await self._run(message, timeout)

    def latest(self, prefix: str) -> str:
        """Return the newest key of a widget made anew as `prefix`_N (the Draw page's canvas after a clear)."""
        numbered = [key for key in self.widgets if key.startswith(prefix + "_") and key[len(prefix) + 1 :].isdigit()]
        return max(numbered, key=lambda key: int(key[len(prefix) + 1 :]), default=prefix)

    def forget(self, key: str) -> None:
        """Stop sending the state of widget `key` (one the page no longer shows)."""
        self._values.pop(self.widgets.get(key, ""), None)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def _run(self, message: BackMsg, timeout: float) -> Reply:
        started = time.monotonic()
        await self._socket.send(message.SerializeToString())
        reply = Reply(0.0, [], [], False, False)
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self._socket.recv(), timeout=max(0.01, deadline - time.monotonic()))
            received = ForwardMsg.FromString(raw)
            kind = received.WhichOneof("type")
            if kind == "new_session" and received.new_session.page_script_hash:
                self.page_hash = received.new_session.page_script_hash
            elif kind == "delta" and received.delta.WhichOneof("type") == "new_element":
                self._note_element(received)
                element = received.delta.new_element
                name = element.WhichOneof("type") or ""
                reply.elements.append(name)
                reply.exception |= name == "exception"
                if name in TEXT_ELEMENTS:
                    reply.texts.append(str(getattr(getattr(element, name), "body", "")))
            elif kind == "script_finished":
                reply.finished = received.script_finished in FINISHED
                if received.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    reply.seconds = time.monotonic() - started
                    return reply

    def _note_element(self, received: ForwardMsg) -> None:
        element = received.delta.new_element
        name = element.WhichOneof("type")
        widget_id = getattr(getattr(element, name), "id", "") if name else ""
        if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
            key = widget_key(widget_id)
            self.widgets[key] = widget_id
            if received.delta.fragment_id:
                self.fragments[key] = received.delta.fragment_id
