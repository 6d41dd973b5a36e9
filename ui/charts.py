"""Vega-Lite charts the browser draws itself: probability bars and the clickable confusion matrix.

They are plain dicts, so the server does no drawing work per stroke; the browser's own
fonts render Hangul.
"""

from __future__ import annotations

import numpy as np

from cnn import config

TOP_COLOR, OTHER_COLOR = "#2ca02c", "#1f5fbf"


def probability_bars(probabilities: np.ndarray, language: str, class_title: str, probability_title: str) -> dict:
    """Return a bar chart of the 10 class probabilities in class order, the top one highlighted."""
    names = config.class_names(language)
    top = int(np.argmax(probabilities))
    values = [
        {"class": names[i], "order": i, "probability": round(float(p), 4), "top": i == top}
        for i, p in enumerate(probabilities)
    ]
    return {
        "data": {"values": values},
        "height": 260,
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
                "mark": {"type": "text", "dy": -7, "fontSize": 12},
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
                "title": class_title,
                "axis": {"labelAngle": -40, "labelFontSize": 13, "labelOverlap": False, "labelLimit": 120},
            },
            "y": {
                "field": "probability",
                "type": "quantitative",
                "scale": {"domain": [0, 1]},
                "title": probability_title,
                "axis": {"format": ".0%"},
            },
        },
    }


def confusion_heatmap(matrix: np.ndarray, language: str, true_title: str, pred_title: str) -> dict:
    """Return the confusion matrix as a heat map whose cells can be clicked (selection "cell")."""
    names = config.class_names(language)
    values = [
        {"true": names[r], "predicted": names[c], "true_index": r, "pred_index": c, "count": int(matrix[r, c])}
        for r in range(config.NUM_CLASSES)
        for c in range(config.NUM_CLASSES)
    ]
    axis = {"labelFontSize": 12}
    return {
        "data": {"values": values},
        "height": 420,
        "encoding": {
            "x": {"field": "predicted", "type": "ordinal", "sort": list(names), "title": pred_title, "axis": axis},
            "y": {"field": "true", "type": "ordinal", "sort": list(names), "title": true_title, "axis": axis},
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
                    "stroke": {"condition": {"param": "cell", "empty": False, "value": "#d62728"}, "value": None},
                    "strokeWidth": {"condition": {"param": "cell", "empty": False, "value": 3}, "value": 0},
                    "tooltip": [
                        {"field": "true", "title": true_title},
                        {"field": "predicted", "title": pred_title},
                        {"field": "count", "type": "quantitative"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11},
                "encoding": {
                    "text": {"field": "count", "type": "quantitative"},
                    "color": {"condition": {"test": "datum.count > 300", "value": "white"}, "value": "black"},
                },
            },
        ],
    }


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
) -> dict:
    """Return the live version of the chapter's plot: `metric` and val_`metric` per epoch (from 1).

    `titles` names the axes, series and markers in the session's language (keys: epoch,
    metric, train, val, running, best, stopped). The x axis spans the planned epochs so
    the chart does not jump as it grows.
    """
    series = [titles["train"], titles["val"]]
    points = []
    for name, key in zip(series, (metric, "val_" + metric), strict=True):
        points += [{"epoch": i + 1, "value": float(v), "series": name} for i, v in enumerate(history.get(key, []))]
    colors = ["#1f77b4", "#ff7f0e"]
    if running is not None:
        points.append({"epoch": float(running[0]), "value": float(running[1]), "series": titles["running"]})
        series.append(titles["running"])
        colors.append("#7f7f7f")
    y = {"field": "value", "type": "quantitative", "title": titles["metric"], "scale": {"zero": metric == "loss"}}
    color = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": series, "range": colors},
        "legend": {"orient": "top-right", "title": None, "labelFontSize": 13},
    }
    layers = [
        {
            "transform": [{"filter": {"field": "series", "oneOf": series[:2]}}],
            "mark": {"type": "line", "point": {"size": 60}, "strokeWidth": 3},
            "encoding": {"y": y, "color": color},
        },
        {
            "transform": [{"filter": {"field": "series", "equal": titles["running"]}}],
            "mark": {"type": "point", "size": 90, "filled": False, "strokeWidth": 2},
            "encoding": {"y": y, "color": color},
        },
    ]
    markers = []
    if best_epoch:
        markers.append({"epoch": best_epoch, "label": titles["best"].format(epoch=best_epoch), "color": "#2ca02c"})
    if stopped_epoch:
        markers.append({"epoch": stopped_epoch, "label": titles["stopped"], "color": "#d62728"})
    for offset, marker in enumerate(markers):
        layers.append(
            {
                "data": {"values": [marker]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2, "color": marker["color"]},
            }
        )
        layers.append(
            {
                "data": {"values": [marker]},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 5,
                    "fontSize": 13,
                    "color": marker["color"],
                    "y": 12 + 18 * offset,
                },
                "encoding": {"text": {"field": "label"}},
            }
        )
    return {
        "data": {"values": points},
        "height": 320,
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
