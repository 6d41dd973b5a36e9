"""Timings of looking inside the CNN for one image, step by step, next to model.predict on one image.

python -m bench.explain [--runs 50] [--language ko]

It prints the median over `runs` calls of each step (the first call, which traces the
graph, is timed on its own), so the cost of following a drawing live can be read off.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.timing import median_ms


def once_ms(step) -> float:
    """Return the wall time of one call of `step()` in milliseconds."""
    start = time.perf_counter()
    step()
    return 1000 * (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    """Time every step of the "inside" view for one validation image and print a table."""
    from cnn import config, data, explain, model_files, plots
    from cnn.predict import predict_one

    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="calls per step (median reported)")
    parser.add_argument("--language", choices=config.LANGUAGES, default="ko", help="language of the figures")
    args = parser.parse_args(argv)

    model = model_files.load_model(config.SHIPPED_MODEL_PATH)
    images = data.load_dataset().val.head(args.runs + 1).scaled()
    image = images[0]
    language = args.language
    rows: list[tuple[str, float]] = []

    # The first call builds and traces the compiled pass for this model; later calls reuse it.
    rows.append(("explain(), first call for a model (traces)", once_ms(lambda: explain.explain(model, image))))
    rows.append(("untrained_filters(), first call (builds the model)", once_ms(explain.untrained_filters)))

    reference = median_ms(lambda: model.predict(image[np.newaxis], verbose=0), args.runs)
    rows.append(("reference: model.predict(one image)", reference))
    rows.append(("predict_one() (predict_on_batch)", median_ms(lambda: predict_one(model, image), args.runs)))

    counter = iter(range(10**9))
    # A different image each call, as when a drawing changes.
    explain_ms = median_ms(lambda: explain.explain(model, images[next(counter) % len(images)]), args.runs)
    rows.append(("explain(): probabilities + both feature maps + Grad-CAM", explain_ms))
    rows.append(
        ("grad_cam() for a chosen class", median_ms(lambda: explain.grad_cam(model, image, class_index=3), args.runs))
    )

    inside = explain.explain(model, image)
    probability = float(inside.probabilities[inside.class_index])
    figures = {
        "conv layer 1 feature maps": lambda: plots.feature_maps_figure(inside.feature_maps[0], 1, language),
        "conv layer 2 feature maps": lambda: plots.feature_maps_figure(inside.feature_maps[1], 2, language),
        "Grad-CAM overlay": lambda: plots.grad_cam_figure(
            image, inside.heatmap, inside.class_index, probability, language
        ),
        "probability bars": lambda: plots.probability_bars(inside.probabilities, language),
    }
    per_image_ms = explain_ms
    for name, build in figures.items():
        build_ms = median_ms(build, args.runs)
        figure = build()
        render_ms = median_ms(lambda figure=figure: plots.to_png(figure), args.runs)
        rows.append((f"figure: {name}, build", build_ms))
        rows.append((f"figure: {name}, render to PNG", render_ms))
        per_image_ms += build_ms + render_ms

    trained, untrained = explain.first_layer_filters(model), explain.untrained_filters()
    filters_ms = median_ms(lambda: plots.to_png(plots.filters_figure(trained, untrained, language)), args.runs)
    rows.append(("figure: filters, build + render (once per model)", filters_ms))
    many = data.load_dataset().test.head(500).scaled()
    rows.append(("grad_cams() for 500 test images", median_ms(lambda: explain.grad_cams(model, many), 5)))

    rows.append(("total per image: explain() + four figures built and rendered", per_image_ms))
    width = max(len(name) for name, _ in rows) + 2
    for name, milliseconds in rows:
        print(f"{name:<{width}}{milliseconds:9.1f} ms")
    print(f"explain() is {explain_ms / reference:.2f}x the time of model.predict on one image")
    print(f"the whole per-image view is {per_image_ms / reference:.1f}x model.predict on one image")


if __name__ == "__main__":
    main()
