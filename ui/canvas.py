"""The drawing canvas of Draw and Inside: one drawing per student, undone and cleared by page buttons.

streamlit-drawable-canvas 0.13.0 has its own undo and clear in a toolbar that shows only on hover,
so a finger never finds it, and reloading the canvas through a changed `initial_drawing` made it
drop the next stroke. Here the page's buttons undo and clear instead: each creates a new canvas
(a new key) holding the strokes that are left, which the component loads once when it mounts.
A newly mounted canvas sends nothing until the next stroke, so the picture the model reads is kept
for every stroke count and shown at once after an undo or on entering a page.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import streamlit as st
from PIL import Image

from cnn import preprocess
from cnn.config import CANVAS_SIZE
from ui.text import t

STATE_KEY = "drawing"
# Page CSS cannot reach the canvas's shadow DOM: this adds a rule to it. The toolbar goes (the page's
# buttons replace it; its English tooltips covered the brush slider), and a finger on the canvas
# draws instead of scrolling the page.
_TOUCH_SCRIPT = """<script>
(() => {
  if (window.__cnnCanvasTouch) return;
  window.__cnnCanvasTouch = true;
  const css = `.dc-toolbar { display: none !important; }
    .dc-root, .dc-root canvas, .canvas-container { touch-action: none; overscroll-behavior: contain; }`;
  const apply = () => {
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')) {
      const root = host.shadowRoot;
      if (root && root.querySelector('.dc-toolbar') && !root.querySelector('style[data-cnn-touch]')) {
        const style = document.createElement('style');
        style.dataset.cnnTouch = 'canvas';
        style.textContent = css;
        root.appendChild(style);
      }
    }
  };
  new MutationObserver(apply).observe(document.body, { childList: true, subtree: true });
  setInterval(apply, 500);
  apply();
})();
</script>"""
# The short answer under the canvas is for narrow screens, where the full answer is stacked below
# the canvas; wider screens show the full answer beside it (Streamlit stacks columns below 640 px).
_NARROW_ONLY_CSS = "<style>@media (min-width: 641px) { .st-key-NAME { display: none; } }</style>"
# A column holding a canvas never gets narrower than the canvas (a tablet with the sidebar open cut it).
_COLUMN_CSS = (
    "<style>[data-testid='stColumn']:has(.st-key-draw_canvas, .st-key-inside_canvas)"
    " { min-width: calc(CANVASpx + 2px); flex-shrink: 0; }</style>"
).replace("CANVAS", str(CANVAS_SIZE))


@dataclasses.dataclass
class Drawing:
    """The student's strokes (Fabric.js objects) and the canvas's picture after each of them."""

    generation: int = 0  # part of the canvas's key: a new one mounts a new canvas
    initial: list = dataclasses.field(default_factory=list)  # the objects the current canvas was created with
    objects: list = dataclasses.field(default_factory=list)  # the objects on the canvas now
    pictures: list = dataclasses.field(default_factory=list)  # PNG bytes after 1, 2, ... strokes (None: unknown)

    def remount(self) -> None:
        """Create the next canvas with the strokes there are now."""
        self.generation += 1
        self.initial = list(self.objects)

    def undo(self) -> None:
        """Take back the last stroke."""
        self.objects = self.objects[:-1]
        self.pictures = self.pictures[: len(self.objects)]
        self.remount()

    def clear(self) -> None:
        """Take back every stroke."""
        self.objects, self.pictures = [], []
        self.remount()

    def record(self, objects: list, png: bytes) -> None:
        """Keep what the canvas sent: its objects and the picture of all of them."""
        count = len(objects)
        known = (self.pictures + [None] * count)[: max(0, count - 1)]
        self.objects, self.pictures = list(objects), known + ([png] if count else [])

    def picture(self) -> np.ndarray | None:
        """Return the RGBA picture of the strokes there are now, or None when there are none."""
        if not self.objects:
            return None
        png = self.pictures[-1] if len(self.pictures) == len(self.objects) else None
        if png is None:  # Strokes that came in one send: paint them the way the browser does.
            return render_objects(self.objects)
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def drawing() -> Drawing:
    """Return this student's drawing, shared by the Draw and Inside pages."""
    return st.session_state.setdefault(STATE_KEY, Drawing())


def _path_points(path: list) -> np.ndarray:
    # A Fabric.js free-drawing path: ["M", x, y], ["Q", cx, cy, x, y], ..., ["L", x, y], in canvas pixels.
    points = [command[index : index + 2] for command in path for index in range(1, len(command) - 1, 2)]
    return np.asarray(points, dtype=np.float32).reshape(-1, 2)


def render_objects(objects: list, size: int = CANVAS_SIZE) -> np.ndarray:
    """Paint the canvas's free-drawing objects black on white like the browser: (size, size, 4) uint8."""
    from cnn.drawing import drawings

    alpha = np.zeros((size, size), dtype=np.uint8)
    for item in objects:
        if item.get("path"):
            width = float(item.get("strokeWidth") or 1)
            painted = drawings.render([_path_points(item["path"])], canvas_size=size, stroke_width=width)
            alpha = np.maximum(alpha, painted[..., 3])
    grey = 255 - alpha
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])


def canvas_input(image_data: np.ndarray | None, drawing_model: bool = False) -> np.ndarray | None:
    """Return the model input for the canvas's RGBA data, or None when nothing is drawn."""
    if image_data is None:
        return None
    try:
        # The chapter's model needs closed outlines filled in (the dataset shows silhouettes); the drawing model not.
        return preprocess.prepare_drawing(image_data, drawing_model)
    except preprocess.NothingDrawnError:
        return None


def _component(key: str, brush_width: int, initial: list):
    # Imported here: streamlit-drawable-canvas raises when imported outside a Streamlit run.
    from streamlit_drawable_canvas import st_canvas

    return st_canvas(
        stroke_width=brush_width,
        stroke_color="#000000",
        background_color="#FFFFFF",
        height=CANVAS_SIZE,
        width=CANVAS_SIZE,
        drawing_mode="freedraw",
        initial_drawing={"objects": initial},
        return_image_data=True,
        key=key,
    )


def draw(name: str, brush_width: int) -> np.ndarray | None:
    """Show the canvas (container key `name`) and return the RGBA picture of its strokes, None when empty.

    Call it inside a fragment: when the page opens on an older canvas it asks for one rerun.
    """
    state = drawing()
    with st.container(key=name):
        result = _component(f"{name}_{state.generation}", brush_width, state.initial)
    png = result.image_bytes if result is not None else None
    if png is None:  # Nothing sent since this canvas mounted: it shows `initial`.
        if state.initial != state.objects:  # Strokes drawn on the other page, or before leaving this one.
            state.remount()
            st.rerun(scope="fragment")
        return state.picture()
    state.record((result.json_data or {}).get("objects", []), png)
    return state.picture()


def buttons(name: str) -> None:
    """Show Undo and Clear (keys NAME_undo, NAME_clear) for the shared drawing."""
    state = drawing()
    row = st.container(horizontal=True, key=f"{name}_buttons")
    empty = not state.objects
    row.button(t("draw.undo"), key=f"{name}_undo", icon=":material/undo:", on_click=state.undo, disabled=empty)
    row.button(t("draw.clear"), key=f"{name}_clear", icon=":material/delete:", on_click=state.clear, disabled=empty)


def narrow_only(key: str) -> None:
    """Show the container with key `key` only on narrow screens."""
    st.html(_NARROW_ONLY_CSS.replace("NAME", key))


def touch_support() -> None:
    """Hide the canvas's hover toolbar and keep a finger on the canvas from scrolling the page."""
    st.html(_TOUCH_SCRIPT, unsafe_allow_javascript=True)
    st.html(_COLUMN_CSS)
