"""Vega-Lite charts the browser draws itself: probability bars and the clickable confusion matrix.

They are plain dicts, so the server does no drawing work per stroke; the browser's own
fonts render Hangul.
"""

from __future__ import annotations

import numpy as np

from cnn import config

# Sizes in CSS pixels: read from the back of a classroom on a 1280x720 projector, whatever the width.
FONT_SIZE, TITLE_SIZE = 14, 17
# Okabe and Ito's colour-blind-safe palette; each pair used together also differs in lightness,
# so a washed-out projector or a grey printout still tells them apart.
TRAIN_COLOR, VAL_COLOR, RUNNING_COLOR = "#0072B2", "#E69F00", "#666666"
BEST_COLOR, STOPPED_COLOR = "#009E73", "#D55E00"
# The top class is the darkest bar, the others light: "highest", not "right" (no green).
TOP_COLOR, OTHER_COLOR = "#08306b", "#9ecae1"
SELECTED_COLOR = "#000000"
TEXT_COLOR = "#1a1a1a"  # the theme's text colour (.streamlit/config.toml)


def readable(spec: dict, title: str | None) -> dict:
    """Return `spec` with its title and the projector's font sizes for axes, legends and titles."""
    config = {
        # Dark text: Streamlit's grey axis labels fade to nothing on a washed-out projector.
        "axis": {
            "labelFontSize": FONT_SIZE,
            "titleFontSize": FONT_SIZE + 1,
            "titleFontWeight": "normal",
            "labelColor": TEXT_COLOR,
            "titleColor": TEXT_COLOR,
        },
        # The y title sits level above its axis: a title turned sideways is hard to read, Hangul most of all.
        "axisY": {"titleAngle": 0, "titleAlign": "left", "titleAnchor": "end", "titleX": 0, "titleY": -14},
        "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "symbolSize": 160, "labelColor": TEXT_COLOR},
        "title": {"fontSize": TITLE_SIZE, "anchor": "start", "offset": 30},
        "text": {"fontSize": FONT_SIZE},
    }
    spec = {**spec, "config": config}
    if title:
        spec["title"] = title
    return spec


def probability_bars(
    probabilities: np.ndarray, language: str, class_title: str, probability_title: str, title: str | None = None
) -> dict:
    """Return a bar chart of the 10 class probabilities in class order, the top one darkest."""
    names = config.class_names(language)
    top = int(np.argmax(probabilities))
    values = [
        {"class": names[i], "order": i, "probability": round(float(p), 4), "top": i == top}
        for i, p in enumerate(probabilities)
    ]
    spec = {
        "data": {"values": values},
        "height": 310,
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 2},
                "encoding": {
                    "color": {
                        "field": "top",
                        "type": "nominal",
                        "scale": {"domain": [True, False], "range": [TOP_COLOR, OTHER_COLOR]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "class", "type": "nominal", "title": class_title},
                        {"field": "probability", "type": "quantitative", "format": ".1%", "title": probability_title},
                    ],
                },
            },
            {
                "mark": {"type": "text", "dy": -9, "fontSize": FONT_SIZE},
                "encoding": {
                    "text": {"field": "probability", "type": "quantitative", "format": ".0%"},
                    "opacity": {"condition": {"test": "datum.probability >= 0.01", "value": 1}, "value": 0},
                },
            },
        ],
        "encoding": {
            "x": {
                "field": "class",
                "type": "nominal",
                "sort": list(names),
                "title": None,
                "axis": {"labelAngle": -45, "labelOverlap": False, "labelLimit": 140, "labelPadding": 4},
            },
            "y": {
                "field": "probability",
                "type": "quantitative",
                "scale": {"domain": [0, 1]},
                "title": probability_title,
                "axis": {"format": ".0%", "tickCount": 5},
            },
        },
    }
    return readable(spec, title)


def confusion_heatmap(
    matrix: np.ndarray,
    language: str,
    true_title: str,
    pred_title: str,
    count_title: str = "count",
    title: str | None = None,
) -> dict:
    """Return the confusion matrix as a heat map whose cells can be clicked (selection "cell").

    The predicted classes read level under the columns, a two-word name on two lines.
    """
    names = config.class_names(language)
    values = [
        {"true": names[r], "predicted": names[c], "true_index": r, "pred_index": c, "count": int(matrix[r, c])}
        for r in range(config.NUM_CLASSES)
        for c in range(config.NUM_CLASSES)
    ]
    x_axis = {
        "labelAngle": 0,
        "labelExpr": "split(replace(datum.label, '/', '/ '), ' ')",
        "labelLineHeight": FONT_SIZE + 2,
        "labelLimit": 90,
    }
    spec = {
        "data": {"values": values},
        # Rows of a fixed height: the whole matrix, its labels and title fit a 720-px screen.
        "height": {"step": 36},
        "encoding": {
            "x": {"field": "predicted", "type": "ordinal", "sort": list(names), "title": pred_title, "axis": x_axis},
            "y": {"field": "true", "type": "ordinal", "sort": list(names), "title": true_title},
        },
        "layer": [
            {
                # Vega-Lite only allows a selection inside a single (unit) layer.
                "params": [{"name": "cell", "select": {"type": "point", "fields": ["true_index", "pred_index"]}}],
                "mark": {"type": "rect", "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "count",
                        "type": "quantitative",
                        "scale": {"type": "symlog", "scheme": "blues"},
                        "legend": None,
                    },
                    "stroke": {"condition": {"param": "cell", "empty": False, "value": SELECTED_COLOR}, "value": None},
                    "strokeWidth": {"condition": {"param": "cell", "empty": False, "value": 4}, "value": 0},
                    "tooltip": [
                        {"field": "true", "title": true_title},
                        {"field": "predicted", "title": pred_title},
                        {"field": "count", "type": "quantitative", "title": count_title},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": FONT_SIZE},
                "encoding": {
                    "text": {"field": "count", "type": "quantitative"},
                    "color": {"condition": {"test": "datum.count > 300", "value": "white"}, "value": "black"},
                },
            },
        ],
    }
    return readable(spec, title)


def selected_cell(event) -> tuple[int, int] | None:
    """Return (true, predicted) of the clicked heat-map cell from a chart's selection event, if any."""
    try:
        points = event["selection"]["cell"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    point = points[0]
    if "true_index" not in point or "pred_index" not in point:
        return None
    return int(point["true_index"]), int(point["pred_index"])


def history_chart(
    history: dict[str, list[float]],
    metric: str,
    titles: dict[str, str],
    epochs: int,
    running: tuple[float, float] | None = None,
    best_epoch: int | None = None,
    stopped_epoch: int | None = None,
    title: str | None = None,
) -> dict:
    """Return the live version of the chapter's plot: `metric` and val_`metric` per epoch (from 1).

    `titles` names the axes, series and markers in the session's language (keys: epoch,
    metric, train, val, running, best, stopped). The x axis spans the planned epochs so
    the chart does not jump as it grows. Training is a solid line with dots, validation a
    dashed one with squares: told apart without their colours too.
    """
    series = [titles["train"], titles["val"]]
    points = []
    for name, key in zip(series, (metric, "val_" + metric), strict=True):
        points += [{"epoch": i + 1, "value": float(v), "series": name} for i, v in enumerate(history.get(key, []))]
    colors = [TRAIN_COLOR, VAL_COLOR]
    if running is not None:
        points.append({"epoch": float(running[0]), "value": float(running[1]), "series": titles["running"]})
        series.append(titles["running"])
        colors.append(RUNNING_COLOR)
    y = {"field": "value", "type": "quantitative", "title": titles["metric"], "scale": {"zero": metric == "loss"}}
    color = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": series, "range": colors},
        "legend": {"orient": "bottom", "direction": "horizontal", "title": None},
    }
    dashes = {"field": "series", "type": "nominal", "scale": {"domain": series[:2], "range": [[1, 0], [8, 5]]}}
    shapes = {"field": "series", "type": "nominal", "scale": {"domain": series[:2], "range": ["circle", "square"]}}
    layers = [
        {
            "transform": [{"filter": {"field": "series", "oneOf": series[:2]}}],
            "mark": {"type": "line", "strokeWidth": 3},
            "encoding": {"y": y, "color": color, "strokeDash": {**dashes, "legend": {"title": None}}},
        },
        {
            "transform": [{"filter": {"field": "series", "oneOf": series[:2]}}],
            "mark": {"type": "point", "size": 70, "filled": True},
            "encoding": {"y": y, "color": color, "shape": {**shapes, "legend": {"title": None}}},
        },
        {
            "transform": [{"filter": {"field": "series", "equal": titles["running"]}}],
            "mark": {"type": "point", "size": 90, "filled": False, "strokeWidth": 2},
            "encoding": {"y": y, "color": color},
        },
    ]
    markers = []
    if best_epoch:
        label = titles["best"].format(epoch=best_epoch)
        markers.append({"epoch": best_epoch, "label": label, "color": BEST_COLOR, "dash": [6, 4]})
    if stopped_epoch:
        markers.append({"epoch": stopped_epoch, "label": titles["stopped"], "color": STOPPED_COLOR, "dash": [2, 3]})
    # Their labels stand above the plot, the best epoch's to the left of its line and the stop's to the
    # right of its own (never left of the best), so they cross neither the curves nor each other.
    for marker, align, shift in zip(markers, ("right", "left"), (-5, 5), strict=False):
        if len(markers) == 1:
            align, shift = "left", 5  # clear of the y title at the top left
        layers.append(
            {
                "data": {"values": [marker]},
                "mark": {"type": "rule", "strokeDash": marker["dash"], "strokeWidth": 2, "color": marker["color"]},
            }
        )
        layers.append(
            {
                "data": {"values": [marker]},
                "mark": {
                    "type": "text",
                    "align": align,
                    "dx": shift,
                    "fontSize": FONT_SIZE,
                    "fontWeight": "bold",
                    "color": marker["color"],
                    "y": -10,
                },
                "encoding": {"text": {"field": "label"}},
            }
        )
    spec = {
        "data": {"values": points},
        "height": 420,
        # Room on the right for the early-stop label when the run stopped at its last epoch.
        "padding": {"left": 5, "top": 5, "right": 75 if stopped_epoch else 5, "bottom": 5},
        # Only x is shared: the marker layers have no y of their own.
        "encoding": {
            "x": {
                "field": "epoch",
                "type": "quantitative",
                "title": titles["epoch"],
                "scale": {"domain": [0.5, max(epochs, 1) + 0.5], "nice": False},
                "axis": {"tickMinStep": 1, "format": "d"},
            }
        },
        "layer": layers,
    }
    default_title = f"{titles['metric']} · {titles['train']} / {titles['val']}"
    return readable(spec, title or titles.get("title") or default_title)
