"""Synthetic sketches of every class: garments as people draw them, from randomised templates.

The drawing model's other training copies (cnn.drawing.augment) are traced from dataset photos, so
they carry what a photo shows: a coat and a shirt have the same outline there, told apart by
texture and shading that no drawing has. A student tells them apart with other signs: a coat
is long and open down the front, with lapels, pockets or a belt; a shirt has a collar, a
button placket and cuffs; a pullover has neither. Each template here draws one class in that
vocabulary, with every proportion and detail drawn at random from a range, in a 0-100 box
(x to the right, y down, shoes pointing left as in the dataset), and `sketches` renders them
the way the canvas does and prepares them like a real drawing.
"""

from __future__ import annotations

import itertools

import numpy as np

from cnn import config, preprocess
from cnn.drawing import drawings

# Sketches are rendered on a canvas of this size (half the Draw view's): after preprocessing the
# 28x28 result is nearly the same as from the full canvas, in less time (bench/README.md#drawings).
SKETCH_CANVAS = 140
# Brush widths on that canvas: 3 to 16 pixels, the Draw view's 6 to 32 on its 280 pixels.
BRUSH_RANGE = (3.0, 16.0)
# Share of sketches prepared with closed outlines filled (the Draw view's default) rather than plain.
FILL_SHARE = 0.6
# An unsteady hand: strokes drift by up to this many drawing units, and the whole sketch is
# turned and stretched a little.
MAX_WOBBLE = 1.0
MAX_ROTATION_DEGREES = 8.0
MAX_STRETCH = 0.1
# Points are added along every segment at this spacing (drawing units) so the wobble bends lines.
SEGMENT_STEP = 3.0
# Share of trousers, pullovers, coats, sandals and bags drawn the way strangers doodle them in a
# few seconds (Quick, Draw!, bench/README.md#real-doodles): trousers as two legs' outline, tops as
# a T with long sleeves, flip-flops from above, backpacks.
DOODLE_SHARE = 0.4
# Share of sketches drawn in a hurry: outlines left open, lines overshooting their ends, a detail left out.
SLOPPY_SHARE = 0.5
GAP_RANGE = (3.0, 14.0)
OVERSHOOT_RANGE = (1.0, 6.0)


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _rectangle(left: float, top: float, right: float, bottom: float) -> list:
    return drawings.closed((left, top), (right, top), (right, bottom), (left, bottom))


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, steps: int = 9) -> list:
    """Return points on an ellipse from angle `start` to `end` (degrees, 0 = right, 90 = down)."""
    angles = np.deg2rad(np.linspace(start, end, steps))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


def _neckline(rng, half: float, top: float, depth: float) -> list:
    """Return a round or V neckline from (50 - half, top) to (50 + half, top)."""
    if rng.random() < 0.5:
        return _arc(50, top, half, depth, 180, 0)
    return [(50 - half, top), (50, top + depth), (50 + half, top)]


def _top_outline(rng, *, sleeve_end: float, sleeve_angle: float, hem: float, hem_half: float, neck_drop: float):
    """Return the closed outline of a top: neck, shoulders, sleeves ending at height `sleeve_end`, body to `hem`.

    `sleeve_angle` is how far the sleeve swings out from hanging straight down (degrees).
    """
    neck_half = _u(rng, 8, 14)
    top = _u(rng, 2, 10)
    shoulder_x, shoulder_y = 50 - _u(rng, 20, 28), top + _u(rng, 2, 8)
    length = sleeve_end - shoulder_y
    angle = np.deg2rad(sleeve_angle)
    out_x = shoulder_x - np.sin(angle) * length / max(np.cos(angle), 0.3)
    out_x = max(out_x, _u(rng, 0, 6))
    cuff = _u(rng, 9, 15)
    # The cuff runs across the sleeve, at right angles to it.
    in_x, in_y = out_x + cuff * np.cos(angle), sleeve_end + cuff * np.sin(angle) * 0.6
    armpit_x = shoulder_x + _u(rng, 2, 8)
    armpit_y = max(shoulder_y + _u(rng, 12, 22), top + 18)
    if sleeve_angle > 35:
        # Short sleeves stick out; the armpit sits just under them.
        armpit_y = min(armpit_y, in_y + _u(rng, 0, 4))
    left = [
        (50, top + neck_drop),
        (50 - neck_half, top),
        (shoulder_x, shoulder_y),
        (out_x, sleeve_end),
        (in_x, in_y),
        (armpit_x, armpit_y),
        (50 - hem_half, hem),
        (50, hem),
    ]
    return drawings.symmetric(left), {
        "top": top,
        "neck": neck_half,
        "armpit": (armpit_x, armpit_y),
        "cuff": (out_x, in_x),
    }


def t_shirt(rng) -> list:
    """A T-shirt with short sleeves sticking out (sometimes a neckline or a print), or a tank top."""
    if rng.random() < 0.2:
        # A tank top: straps and a scooped neck, no sleeves.
        strap, waist = _u(rng, 22, 32), _u(rng, 24, 32)
        top, scoop, hem = _u(rng, 2, 10), _u(rng, 18, 30), _u(rng, 86, 98)
        left = [
            (50, scoop),
            (50 - strap + 8, top),
            (50 - strap, top),
            (50 - waist, scoop + 8),
            (50 - waist - 2, hem),
            (50, hem),
        ]
        return [drawings.symmetric(left)]
    hem = _u(rng, 78, 98)
    outline, parts = _top_outline(
        rng,
        sleeve_end=_u(rng, 26, 42),
        sleeve_angle=_u(rng, 45, 75),
        hem=hem,
        hem_half=_u(rng, 22, 30),
        neck_drop=_u(rng, 3, 14),
    )
    strokes = [outline]
    if rng.random() < 0.3:
        strokes.append(_neckline(rng, parts["neck"], parts["top"], _u(rng, 4, 10)))
    if rng.random() < 0.2:
        size = _u(rng, 12, 22)
        strokes.append(_rectangle(50 - size / 2, 36, 50 + size / 2, 36 + size))
    return strokes


def doodled_trouser(rng) -> list:
    """Trousers as two legs' outline in one or two strokes: often wide and short, open at the waist or the crotch."""
    waist, top, hem = _u(rng, 22, 40), _u(rng, 0, 8), _u(rng, 55, 100)
    crotch, gap, flare = top + _u(rng, 0.15, 0.5) * (hem - top), _u(rng, 3, 16), _u(rng, -6, 8)
    leg_out, leg_in = 50 - waist - flare, 50 - gap
    left = [(50 - waist, top), (leg_out, hem), (leg_in, hem), (50 - gap / 3, crotch)]
    right = [(100 - x, y) for x, y in reversed(left)]
    style = rng.random()
    if style < 0.4:
        # One stroke round both legs, the waist left open.
        return [[*left[:-1], (50, crotch), *right[1:]]]
    if style < 0.7:
        # Each leg on its own, not closed at the crotch, and a waist line across.
        strokes = [left, right]
        if rng.random() < 0.7:
            strokes.append([(50 - waist, top), (50 + waist, top)])
        return strokes
    return [drawings.closed(*left[:-1], (50, crotch), *right[1:])]


def trouser(rng) -> list:
    """Trousers: two legs from a waist, straight or flared, sometimes a waistband, fly or pockets."""
    if rng.random() < DOODLE_SHARE:
        return doodled_trouser(rng)
    waist, top, hem = _u(rng, 16, 26), _u(rng, 0, 6), _u(rng, 90, 100)
    crotch, gap, flare = _u(rng, 24, 42), _u(rng, 1, 6), _u(rng, -4, 10)
    leg_out = 50 - waist - flare
    leg_in = 50 - gap
    strokes = [
        drawings.closed(
            (50 - waist, top),
            (50 + waist, top),
            (100 - leg_out, hem),
            (100 - leg_in, hem),
            (50, crotch),
            (leg_in, hem),
            (leg_out, hem),
        )
    ]
    if rng.random() < 0.5:
        band = top + _u(rng, 4, 8)
        strokes.append([(50 - waist, band), (50 + waist, band)])
    if rng.random() < 0.3:
        strokes.append([(50, top), (50, crotch - _u(rng, 4, 10))])
    if rng.random() < 0.25:
        for side in (-1, 1):
            x = 50 + side * (waist - 2)
            strokes.append([(x, top + 6), (x - side * 8, top + 12), (x - side * 10, top + 4)])
    return strokes


def pullover(rng) -> list:
    """A pullover: long sleeves, a round or V neck, sometimes ribbed hem and cuffs or a band; never open."""
    # Doodled, it is a T-shirt whose sleeves slant out and reach down the body.
    doodled = rng.random() < DOODLE_SHARE
    outline, parts = _top_outline(
        rng,
        sleeve_end=_u(rng, 55, 90) if doodled else _u(rng, 78, 94),
        sleeve_angle=_u(rng, 20, 50) if doodled else _u(rng, 2, 18),
        hem=_u(rng, 84, 96),
        hem_half=_u(rng, 22, 30),
        neck_drop=_u(rng, 3, 10),
    )
    strokes = [outline]
    if rng.random() < 0.6:
        strokes.append(_neckline(rng, parts["neck"], parts["top"], _u(rng, 4, 9)))
    if rng.random() < 0.4:
        rib = _u(rng, 4, 8)
        hem_y = outline[6][1]
        strokes.append([(outline[5][0] + 1, hem_y - rib), (100 - outline[5][0] - 1, hem_y - rib)])
    if rng.random() < 0.25:
        out_x, in_x = parts["cuff"]
        for side in (0, 1):
            y = outline[3][1] - _u(rng, 4, 8)
            xs = (out_x, in_x) if side == 0 else (100 - in_x, 100 - out_x)
            strokes.append([(xs[0], y), (xs[1], y)])
    if rng.random() < 0.2:
        band = _u(rng, 40, 60)
        strokes.append([(parts["armpit"][0], band), (100 - parts["armpit"][0], band)])
    return strokes


def dress(rng) -> list:
    """A dress: a narrow top on straps or short sleeves, a waist, a flared skirt."""
    top, bust, waist_y, hem = _u(rng, 2, 10), _u(rng, 12, 18), _u(rng, 30, 46), _u(rng, 90, 100)
    waist, skirt = _u(rng, 10, 16), _u(rng, 26, 40)
    if rng.random() < 0.5:
        # Straps.
        left = [
            (50, top + _u(rng, 8, 16)),
            (50 - bust + 4, top),
            (50 - bust, top),
            (50 - bust, waist_y - 10),
            (50 - waist, waist_y),
            (50 - skirt, hem),
            (50, hem),
        ]
    else:
        # Short sleeves.
        sleeve_y = top + _u(rng, 12, 20)
        left = [
            (50, top + _u(rng, 2, 10)),
            (50 - 8, top),
            (50 - bust - 6, top + 4),
            (50 - bust - _u(rng, 10, 16), sleeve_y),
            (50 - bust - 2, sleeve_y + 4),
            (50 - waist, waist_y),
            (50 - skirt, hem),
            (50, hem),
        ]
    strokes = [drawings.symmetric(left)]
    if rng.random() < 0.4:
        strokes.append([(50 - waist, waist_y), (50 + waist, waist_y)])
    return strokes


def coat(rng) -> list:
    """A coat: long sleeves, long and open down the front, with lapels, buttons, pockets, a belt or a hood."""
    # Doodled, a jacket: a T with long slanting sleeves and a zip from the collar down.
    doodled = rng.random() < DOODLE_SHARE
    hem = _u(rng, 70, 100) if doodled else _u(rng, 92, 100)
    outline, parts = _top_outline(
        rng,
        sleeve_end=_u(rng, 55, 90) if doodled else _u(rng, 76, 94),
        sleeve_angle=_u(rng, 20, 50) if doodled else _u(rng, 2, 16),
        hem=hem,
        hem_half=_u(rng, 22, 34),
        neck_drop=_u(rng, 3, 16) if doodled else _u(rng, 14, 34),
    )
    strokes = [outline]
    opening_top = outline[0][1]
    if rng.random() < 0.85:
        strokes.append([(50, opening_top), (50, hem)])
    if rng.random() < 0.5:
        # Lapels: from the shoulders down to where the coat closes.
        neck = parts["neck"]
        strokes.append(
            [(50 - neck, parts["top"]), (50 - neck + _u(rng, 0, 6), opening_top - _u(rng, 4, 10)), (50, opening_top)]
        )
        strokes.append(
            [(50 + neck, parts["top"]), (50 + neck - _u(rng, 0, 6), opening_top - _u(rng, 4, 10)), (50, opening_top)]
        )
    if rng.random() < 0.4:
        x = 50 - _u(rng, 4, 8)
        for y in np.linspace(opening_top + 8, hem - 10, int(rng.integers(3, 6))):
            strokes.append([(x, float(y))])
            if rng.random() < 0.4:
                strokes.append([(100 - x, float(y))])
    if rng.random() < 0.5:
        y, width = _u(rng, 60, 76), _u(rng, 8, 14)
        for side in (-1, 1):
            x = 50 + side * _u(rng, 10, 18)
            if rng.random() < 0.5:
                strokes.append([(x - width / 2, y), (x + width / 2, y)])
            else:
                strokes.append(_rectangle(x - width / 2, y, x + width / 2, y + width))
    if rng.random() < 0.25:
        y = _u(rng, 48, 60)
        armpit_x = parts["armpit"][0]
        strokes.append([(armpit_x, y), (100 - armpit_x, y)])
    if rng.random() < 0.2:
        # A hood behind the neck.
        strokes.append(_arc(50, parts["top"] + 2, parts["neck"] + 4, _u(rng, 6, 10), 180, 360))
    return strokes


def flip_flops(rng) -> list:
    """Flip-flops seen from above: one or two long soles, each with a V strap from the toe post."""
    pair = rng.random() < 0.5
    width = _u(rng, 30, 44) if pair else _u(rng, 36, 56)
    strokes = []
    for middle in (50 - width / 2 - _u(rng, 2, 8), 50 + width / 2 + _u(rng, 2, 8)) if pair else (50,):
        half, top, bottom = width / 2, _u(rng, 0, 10), _u(rng, 88, 100)
        # A footprint: round at the toe and the heel, a little narrower between.
        toe, heel = top + half, bottom - half * 0.8
        sole = _arc(middle, toe, half, half, 180, 360) + _arc(middle, heel, half * 0.8, half * 0.8, 0, 180)
        strokes.append(drawings.closed(*sole))
        post, strap = top + _u(rng, 0.12, 0.25) * (bottom - top), top + _u(rng, 0.35, 0.55) * (bottom - top)
        strokes.append([(middle - half * 0.9, strap), (middle + _u(rng, -3, 3), post), (middle + half * 0.9, strap)])
    return strokes


def sandal(rng) -> list:
    """A sandal from the side: a thin sole, flat or heeled, with one to three straps."""
    if rng.random() < DOODLE_SHARE:
        return flip_flops(rng)
    sole_top, thick = _u(rng, 70, 86), _u(rng, 4, 10)
    strokes = []
    if rng.random() < 0.3:
        # A heeled sandal: the sole rises to the heel at the right.
        heel_top = _u(rng, 30, 55)
        strokes.append([(2, sole_top), (40, sole_top), (80, heel_top), (98, heel_top - 4)])
        strokes.append([(88, heel_top - 2), (90, sole_top + thick)])
        straps_from, straps_to = 6, 40
    else:
        strokes.append(_rectangle(_u(rng, 0, 6), sole_top, _u(rng, 94, 100), sole_top + thick))
        straps_from, straps_to = 10, 90
    count = int(rng.integers(1, 4))
    edges = np.linspace(straps_from, straps_to, count + 1)
    for start, end in itertools.pairwise(edges):
        height = _u(rng, 10, 26)
        strokes.append(
            [(float(start) + 2, sole_top), ((start + end) / 2, sole_top - height), (float(end) - 2, sole_top)]
        )
    if rng.random() < 0.3:
        x = _u(rng, 74, 90)
        strokes.append([(x - 8, sole_top), (x, sole_top - _u(rng, 20, 36)), (x + 8, sole_top)])
    return strokes


def sneaker(rng) -> list:
    """A sneaker from the side, toe left: a low profile, a sole line, sometimes laces or a stripe."""
    sole, height, collar = _u(rng, 84, 96), _u(rng, 30, 56), _u(rng, 60, 80)
    toe_y = sole - _u(rng, 10, 20)
    ankle = sole - height
    outline = drawings.closed(
        (2, sole),
        (_u(rng, 0, 6), toe_y),
        (_u(rng, 24, 36), toe_y - _u(rng, 4, 12)),
        (collar - _u(rng, 16, 24), ankle + _u(rng, 6, 14)),
        (collar, ankle),
        (98, ankle + _u(rng, 0, 6)),
        (98, sole),
    )
    strokes = [outline]
    if rng.random() < 0.7:
        y = sole - _u(rng, 4, 9)
        strokes.append([(2, y), (98, y)])
    for i in range(int(rng.integers(0, 4))):
        x = collar - 14 - 7 * i
        strokes.append([(x, ankle + 6 + 3 * i), (x + 7, ankle + 12 + 3 * i)])
    if rng.random() < 0.3:
        strokes.append([(_u(rng, 34, 44), sole - 10), (_u(rng, 64, 76), ankle + 8)])
    return strokes


def backpack(rng) -> list:
    """A backpack from the front: a tall body rounded at the top, a handle loop, a front pocket, straps at the sides."""
    half, top, bottom = _u(rng, 22, 36), _u(rng, 10, 24), _u(rng, 90, 100)
    round_top = _u(rng, 0.3, 1.0) * half
    body = [*_arc(50, top + round_top, half, round_top, 180, 360), (50 + half, bottom), (50 - half, bottom)]
    strokes = [drawings.closed(*body)]
    strokes.append(_arc(50, top + 1, _u(rng, 5, 12), _u(rng, 5, 10), 180, 360))
    if rng.random() < 0.7:
        pocket_top, pocket_half = _u(rng, 50, 70), half * _u(rng, 0.5, 0.8)
        if rng.random() < 0.5:
            strokes.append(_rectangle(50 - pocket_half, pocket_top, 50 + pocket_half, bottom - _u(rng, 3, 10)))
        else:
            strokes.append(
                [
                    (50 - pocket_half, bottom),
                    *_arc(50, pocket_top + 8, pocket_half, 8, 180, 360),
                    (50 + pocket_half, bottom),
                ]
            )
    if rng.random() < 0.4:
        for side in (-1, 1):
            x = 50 + side * half
            strokes.append([(x, top + round_top), (x + side * _u(rng, 4, 10), (top + bottom) / 2), (x, bottom - 6)])
    return strokes


def bag(rng) -> list:
    """A bag: a box or trapezoid with a handle or strap, sometimes a flap or a pocket."""
    if rng.random() < DOODLE_SHARE:
        return backpack(rng)
    top, bottom = _u(rng, 30, 50), _u(rng, 90, 100)
    half_top, half_bottom = _u(rng, 28, 44), _u(rng, 34, 48)
    strokes = [
        drawings.closed(
            (50 - half_top, top), (50 + half_top, top), (50 + half_bottom, bottom), (50 - half_bottom, bottom)
        )
    ]
    handle = rng.random()
    if handle < 0.5:
        width = _u(rng, 12, 26)
        strokes.append(_arc(50, top, width, _u(rng, 14, top - 2), 180, 360))
    elif handle < 0.8:
        width, lift = _u(rng, 12, 26), _u(rng, 12, top - 2)
        strokes.append(
            [(50 - width, top), (50 - width + 4, top - lift), (50 + width - 4, top - lift), (50 + width, top)]
        )
    else:
        strokes.append([(50 - half_top + 4, top), (50, _u(rng, 0, 8)), (50 + half_top - 4, top)])
    if rng.random() < 0.35:
        strokes.append([(50 - half_top, top), (50, top + _u(rng, 14, 30)), (50 + half_top, top)])
    if rng.random() < 0.2:
        strokes.append(_rectangle(50 - 14, top + 24, 50 + 14, min(bottom - 4, top + 44)))
    return strokes


def ankle_boot(rng) -> list:
    """An ankle boot, toe left: a shaft up the right side, sometimes a sole line, heel, laces or panel."""
    sole, shaft_top = _u(rng, 88, 98), _u(rng, 2, 16)
    shaft_left = _u(rng, 48, 62)
    instep = _u(rng, 44, 60)
    outline = drawings.closed(
        (2, sole),
        (_u(rng, 0, 6), sole - _u(rng, 10, 22)),
        (_u(rng, 18, 30), instep + _u(rng, 4, 12)),
        (shaft_left - _u(rng, 0, 6), instep),
        (shaft_left, shaft_top),
        (_u(rng, 88, 98), shaft_top),
        (_u(rng, 94, 100), sole),
    )
    strokes = [outline]
    if rng.random() < 0.6:
        y = sole - _u(rng, 4, 10)
        strokes.append([(2, y), (98, y)])
    if rng.random() < 0.3:
        x = _u(rng, 74, 88)
        strokes.append([(x, sole), (x, sole - _u(rng, 6, 12))])
    for i in range(int(rng.integers(0, 4)) if rng.random() < 0.4 else 0):
        y = shaft_top + 10 + 10 * i
        strokes.append([(shaft_left + 2, y), (shaft_left + 14, y - 3)])
    if rng.random() < 0.2:
        strokes.append(
            [
                (shaft_left + 6, shaft_top + 2),
                (shaft_left + 10, instep),
                (shaft_left + 24, instep),
                (shaft_left + 28, shaft_top + 2),
            ]
        )
    return strokes


def shirt(rng) -> list:
    """A shirt: a pointed collar, a button placket, sometimes a pocket and cuffs; long or short sleeves."""
    short = rng.random() < 0.25
    sleeve_end = _u(rng, 26, 42) if short else _u(rng, 74, 92)
    angle = _u(rng, 45, 70) if short else _u(rng, 2, 18)
    hem = _u(rng, 80, 96)
    outline, parts = _top_outline(
        rng, sleeve_end=sleeve_end, sleeve_angle=angle, hem=hem, hem_half=_u(rng, 22, 30), neck_drop=_u(rng, 4, 12)
    )
    strokes = [outline]
    neck, top = parts["neck"], parts["top"]
    collar_top = outline[0][1]
    if rng.random() < 0.8:
        # A pointed collar either side of the neck.
        point = _u(rng, 8, 16)
        strokes.append(
            [
                (50 - neck, top),
                (50 - neck / 2, top + point),
                (50, collar_top),
                (50 + neck / 2, top + point),
                (50 + neck, top),
            ]
        )
    if rng.random() < 0.8:
        strokes.append([(50, collar_top), (50, hem)])
    if rng.random() < 0.5:
        x = 50 + _u(rng, -5, -2)
        for y in np.linspace(collar_top + 10, hem - 8, int(rng.integers(3, 6))):
            strokes.append([(x, float(y))])
    if rng.random() < 0.35:
        x, y, size = _u(rng, 58, 66), _u(rng, 28, 38), _u(rng, 8, 13)
        strokes.append(_rectangle(x, y, x + size, y + size))
    if not short and rng.random() < 0.4:
        out_x, in_x = parts["cuff"]
        y = sleeve_end - _u(rng, 5, 9)
        strokes.append([(out_x, y), (in_x, y)])
        strokes.append([(100 - in_x, y), (100 - out_x, y)])
    return strokes


# One template per class, in the order of config.CLASS_NAMES_EN.
TEMPLATES = (t_shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


def _densify(stroke: np.ndarray) -> np.ndarray:
    """Return a polyline with extra points along long segments, so a wobble bends them."""
    if len(stroke) < 2:
        return stroke
    parts = [stroke[:1]]
    for start, end in itertools.pairwise(stroke):
        steps = max(1, int(np.ceil(np.hypot(*(end - start)) / SEGMENT_STEP)))
        parts.append(start + (end - start) * np.linspace(0, 1, steps + 1)[1:, None])
    return np.concatenate(parts)


def _overshoot(line: np.ndarray, length: float) -> np.ndarray:
    """Return a polyline whose two ends run on `length` units past where they should stop."""
    if len(line) < 2:
        return line
    ends = []
    for end, before in ((line[0], line[1]), (line[-1], line[-2])):
        step = end - before
        ends.append(end + step / max(float(np.hypot(*step)), 1e-6) * length)
    return np.concatenate([ends[:1], line, ends[1:]])


def _sloppy(strokes: list, rng: np.random.Generator) -> list[np.ndarray]:
    """Return the strokes drawn in a hurry: sometimes a detail left out, outlines left open, ends overshooting."""
    lines = [np.asarray(stroke, dtype=np.float64).reshape(-1, 2) for stroke in strokes]
    if len(lines) > 1 and rng.random() < 0.3:
        # Never the first stroke: it is the garment's outline.
        del lines[int(rng.integers(1, len(lines)))]
    if rng.random() < 0.5:
        lines = drawings.with_gap(lines, _u(rng, *GAP_RANGE))
    if rng.random() < 0.5:
        lines = [_overshoot(line, _u(rng, *OVERSHOOT_RANGE)) for line in lines]
    return lines


def _hand(strokes: list, rng: np.random.Generator) -> list[np.ndarray]:
    """Return the strokes shaken, turned and stretched as a hand draws them."""
    if rng.random() < SLOPPY_SHARE:
        strokes = _sloppy(strokes, rng)
    lines = [_densify(np.asarray(stroke, dtype=np.float64).reshape(-1, 2)) for stroke in strokes]
    lines = drawings.wobble(lines, _u(rng, 0.0, MAX_WOBBLE), rng)
    angle = np.deg2rad(_u(rng, -MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    scale = 1.0 + rng.uniform(-MAX_STRETCH, MAX_STRETCH, size=2)
    return [((line - 50) * scale) @ turn.T + 50 for line in lines]


def sketch(label: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Return one random sketch of class `label` as polylines in a 0-100 box."""
    return _hand(TEMPLATES[label](rng), rng)


def sketches(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return `count` prepared sketches, (count, 28, 28) uint8, and their labels, classes in turn.

    Each is rendered like the canvas at a random brush width and prepared by cnn.preprocess
    like a Draw-view drawing, with or without filling its closed outlines.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % config.NUM_CLASSES
    images = np.zeros((count, config.IMAGE_SIZE, config.IMAGE_SIZE), dtype=np.uint8)
    for index, label in enumerate(labels):
        strokes = drawings.scale_strokes(sketch(int(label), rng), SKETCH_CANVAS)
        rgba = drawings.render(strokes, SKETCH_CANVAS, _u(rng, *BRUSH_RANGE))
        prepared = preprocess.prepare_canvas(rgba, fill=rng.random() < FILL_SHARE)
        images[index] = np.round(prepared[..., 0] * 255).astype(np.uint8)
    return images, labels.astype(np.uint8)
