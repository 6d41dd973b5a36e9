"""The model's architecture as a table (model.summary()) and as a graph (plot_model(show_shapes=True))."""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path

from cnn import plots

ARCHITECTURE_FILE_NAME = "cnn-architecture.png"


def _shape(shape) -> str:
    return "(" + ", ".join("None" if size is None else str(size) for size in shape) + ")"


def summary_rows(model) -> list[dict]:
    """Return model.summary() as rows: layer name, type, output shape and parameter count."""
    return [
        {
            "layer": layer.name,
            "type": type(layer).__name__,
            "output_shape": _shape(layer.output.shape),
            "parameters": int(layer.count_params()),
        }
        for layer in model.layers
    ]


def total_parameters(model) -> int:
    """Return the number of parameters, as the last line of model.summary() shows it."""
    return int(model.count_params())


def to_dot(model) -> str:
    """Return the layer graph in DOT, one box per layer with its input and output shape.

    It is built here rather than with keras.utils.model_to_dot so that it needs neither
    pydot nor the graphviz binary: the browser can render it on its own.
    """
    lines = [
        "digraph cnn {",
        "  rankdir=TB;",
        '  node [shape=plaintext, fontname="Helvetica"];',
        '  edge [color="#555555"];',
    ]
    for index, layer in enumerate(model.layers):
        name = html.escape(layer.name)
        kind = html.escape(type(layer).__name__)
        lines.append(
            f"  layer{index} [label=<"
            '<table border="0" cellborder="1" cellspacing="0" cellpadding="6">'
            f'<tr><td colspan="2" bgcolor="#222222"><font color="white"><b>{name}</b> ({kind})</font></td></tr>'
            f"<tr><td>Input shape: <b>{_shape(layer.input.shape)}</b></td>"
            f"<td>Output shape: <b>{_shape(layer.output.shape)}</b></td></tr>"
            "</table>>];"
        )
        if index:
            lines.append(f"  layer{index - 1} -> layer{index};")
    lines.append("}")
    return "\n".join(lines)


def graphviz_available() -> bool:
    """Return True when the graphviz `dot` program and pydot are installed (plot_model needs both)."""
    try:
        import pydot  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


def architecture_png(model, dpi: int = 150) -> bytes:
    """Return the architecture graph as PNG bytes: plot_model(show_shapes=True) when graphviz is there,
    otherwise the same boxes drawn with matplotlib, so the download always works."""
    if graphviz_available():
        import keras

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / ARCHITECTURE_FILE_NAME
            try:
                keras.utils.plot_model(model, to_file=str(path), show_shapes=True, dpi=dpi)
                return path.read_bytes()
            except (OSError, ImportError, RuntimeError):
                pass  # A broken graphviz install: fall back to matplotlib below.
    return plots.to_png(_matplotlib_graph(model), dpi=dpi)


def _matplotlib_graph(model):
    """Draw the layer boxes and arrows with matplotlib (the fallback without graphviz)."""
    layers = model.layers
    figure = plots.new_figure(6.0, 1.0 * len(layers) + 0.4)
    axes = figure.add_subplot()
    axes.set_xlim(0, 1)
    axes.set_ylim(len(layers) - 0.5, -0.5)
    axes.axis("off")
    for row, layer in enumerate(layers):
        axes.text(
            0.5,
            row,
            f"{layer.name} ({type(layer).__name__})\n"
            f"in {_shape(layer.input.shape)}  →  out {_shape(layer.output.shape)}",
            ha="center",
            va="center",
            fontsize=12,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "#f2f2f2", "edgecolor": "#222222"},
        )
        if row:
            axes.annotate(
                "",
                xy=(0.5, row - 0.32),
                xytext=(0.5, row - 0.68),
                arrowprops={"arrowstyle": "->", "color": "#555555"},
            )
    return figure
