"""The drawing model's side: strokes rendered like the browser canvas, sketches, drawing-style copies, its training."""
