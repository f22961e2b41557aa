"""Tests for purenet.squares.hand: people's habits, the pen paths of a hand, and finishing a drawing.

tests/test_shapes.py measures whole generated drawings against people's
(issue 9's facts); these tests take the hand apart: each sampler against
the distribution it states, each pen path against its geometry.
"""

import math
import random
import statistics

import pytest

from purenet.squares import hand, shapes


def quantile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def distance_to_segment(point, start, end):
    length_squared = (end[0] - start[0]) ** 2 + (end[1] - start[1]) ** 2
    t = ((point[0] - start[0]) * (end[0] - start[0]) + (point[1] - start[1]) * (end[1] - start[1])) / length_squared
    t = max(0.0, min(1.0, t))
    return math.dist(point, (start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])))


def distance_to_polyline(point, corners):
    return min(distance_to_segment(point, start, end) for start, end in zip(corners, corners[1:]))


UNIT_SQUARE = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]


def neat_hand():
    return hand.people_hand(random.Random(0), neat=True)


# --- The facts have one home ------------------------------------------------------------


def test_every_public_name_is_defined():
    for name in hand.__all__:
        assert hasattr(hand, name), name


@pytest.mark.parametrize(
    "name",
    ["ANY_TILT_SHARE", "CANVAS_SIZE", "COLLECTION_SIDE", "NEAT_SHARE", "SQUARE_ASPECT_SHARES", "STROKE_COUNT_SHARES"],
)
def test_the_facts_kept_in_shapes_are_the_hands(name):
    from purenet.datasets import shapes as kept_shapes

    assert getattr(shapes, name) is getattr(hand, name)
    assert getattr(kept_shapes, name) is getattr(hand, name)


def test_stroke_count_shares_add_up_to_one():
    assert sum(hand.STROKE_COUNT_SHARES.values()) == pytest.approx(1.0, abs=1e-12)


# --- Sampling people's habits -------------------------------------------------------


def test_square_aspects_follow_peoples_shares():
    # Inverse-transform sampling through the measured shares, cut at 1.5 (90% of people's squares):
    # the share within each aspect is that aspect's share over 0.90.
    rng = random.Random(1)
    aspects = [hand.people_square_aspect(rng) for _ in range(20000)]
    assert min(aspects) >= 1.0 and max(aspects) <= hand.SQUARE_ASPECT_SHARES[-1][0]
    for limit, share in hand.SQUARE_ASPECT_SHARES[1:]:
        measured = sum(aspect <= limit for aspect in aspects) / len(aspects)
        assert measured == pytest.approx(share / hand.SQUARE_ASPECT_SHARES[-1][1], abs=0.015), limit


def test_tilts_are_small_and_now_and_then_any_angle():
    rng = random.Random(2)
    tilts = [hand.people_tilt(rng) for _ in range(20000)]
    small = [abs(tilt) for tilt in tilts if abs(tilt) <= 45.0]
    # The small turns are log-normal: a median of 1.5 degrees, 9 at the 90th percentile.
    assert statistics.median(small) == pytest.approx(1.5, rel=0.1)
    assert quantile(small, 0.9) == pytest.approx(9.0, rel=0.15)
    # Tilted either way, about equally often.
    assert sum(tilt < 0 for tilt in tilts) / len(tilts) == pytest.approx(0.5 * (1 - hand.ANY_TILT_SHARE), abs=0.02)
    # Any angle at all (0 to 360) lands beyond 45 degrees seven times in eight.
    beyond = sum(tilt > 45.0 for tilt in tilts) / len(tilts)
    assert beyond == pytest.approx(hand.ANY_TILT_SHARE * 315 / 360, abs=0.01)


def test_any_angle_goes_no_further_than_the_shapes_symmetry():
    rng = random.Random(3)
    tilts = [hand.people_tilt(rng, symmetry_degrees=90.0) for _ in range(5000)]
    assert all(-45.0 <= tilt <= 90.0 for tilt in tilts)


def test_closure_is_a_gap_or_an_overshoot_as_people_close():
    rng = random.Random(4)
    closures = [hand.people_closure(rng) for _ in range(20000)]
    assert all((gap == 0.0) != (overshoot == 0.0) for gap, overshoot in closures)
    distances = [gap + overshoot for gap, overshoot in closures]
    # Log-normal: a median 7% of the size, 18% at the 90th percentile, never beyond 0.3 (an open shape).
    assert statistics.median(distances) == pytest.approx(0.07, rel=0.05)
    assert quantile(distances, 0.9) == pytest.approx(0.18, rel=0.08)
    assert max(distances) <= 0.3
    assert sum(overshoot > 0 for _, overshoot in closures) / len(closures) == pytest.approx(1 / 3, abs=0.02)


def test_skew_is_slight_and_bounded():
    rng = random.Random(5)
    skews = [hand.people_skew(rng) for _ in range(20000)]
    assert all(-0.2 <= skew <= 0.2 for skew in skews)
    assert statistics.mean(skews) == pytest.approx(0.0, abs=0.002)
    assert statistics.stdev(skews) == pytest.approx(0.03, rel=0.05)


def test_one_hand_in_twenty_is_neat():
    rng = random.Random(6)
    hands = [hand.people_hand(rng) for _ in range(10000)]
    assert sum(drawer.neat for drawer in hands) / len(hands) == pytest.approx(hand.NEAT_SHARE, abs=0.01)


def test_a_neat_hand_draws_sharp_corners_and_straight_sides():
    drawer = neat_hand()
    rng = random.Random(7)
    assert drawer.neat and drawer.wobble == 0.0
    assert all(drawer.corner_radius(rng) == 0.0 and drawer.side_bow(rng) == 0.0 for _ in range(100))


def test_a_persons_hand_rounds_corners_and_bows_sides_a_little():
    rng = random.Random(8)
    hands = [hand.people_hand(rng, neat=False) for _ in range(500)]
    assert all(not drawer.neat and 0.006 <= drawer.wobble <= 0.014 for drawer in hands)
    radii = [drawer.corner_radius(rng) for drawer in hands]
    assert all(0.0 <= radius <= 0.2 * 1.3 for radius in radii)
    bows = [drawer.side_bow(rng) for drawer in hands]
    assert 0.005 <= statistics.pstdev(bows) <= 0.03


def test_one_hand_in_ten_bulges_every_side_outwards_by_three_to_ten_percent():
    rng = random.Random(11)
    hands = [hand.people_hand(rng, neat=False) for _ in range(10000)]
    bulging = [drawer for drawer in hands if drawer.bow_mean != 0.0]
    assert len(bulging) / len(hands) == pytest.approx(hand.BULGING_SHARE, abs=0.01)
    assert all(0.03 <= drawer.bow_mean <= 0.1 for drawer in bulging)
    # Every side of a bulging hand bows around its bulge, outwards on average.
    sides = [bulging[0].side_bow(rng) for _ in range(2000)]
    assert statistics.fmean(sides) == pytest.approx(bulging[0].bow_mean, abs=0.002)


def test_a_hand_told_not_to_bulge_never_does():
    rng = random.Random(12)
    assert all(hand.people_hand(rng, bulging=False).bow_mean == 0.0 for _ in range(2000))


def test_a_set_rounding_and_bow_are_kept():
    drawer = hand.people_hand(random.Random(9), neat=False)
    drawer.rounding, drawer.bow = 0.25, -0.05
    rng = random.Random(10)
    assert drawer.corner_radius(rng) == 0.25 and drawer.side_bow(rng) == -0.05


# --- Pen paths -------------------------------------------------------------------------


def test_unit_direction_and_point_along():
    direction = hand.unit_direction((1.0, 2.0), (4.0, 6.0))
    assert direction == pytest.approx((0.6, 0.8), abs=1e-12)
    assert hand.unit_direction((1.0, 1.0), (1.0, 1.0)) == (1.0, 0.0)  # no direction: along x
    assert hand.point_along((1.0, 2.0), direction, 5.0) == pytest.approx((4.0, 6.0), abs=1e-12)
    assert hand.point_along((1.0, 2.0), direction, -5.0) == pytest.approx((-2.0, -2.0), abs=1e-12)


def test_centroid_is_the_mean_point():
    assert hand.centroid(UNIT_SQUARE) == pytest.approx((0.5, 0.5), abs=1e-12)


@pytest.mark.parametrize("step", [0.04, 0.3, 2.0])
def test_traced_path_goes_through_every_waypoint_in_small_steps(step):
    waypoints = [(0.0, 0.0), (1.0, 0.0), (1.0, 0.5), (0.2, 0.9)]
    path = hand.traced_path(waypoints, step)
    assert all(math.dist(a, b) <= step + 1e-12 for a, b in zip(path, path[1:]))
    assert all(distance_to_polyline(point, waypoints) < 1e-12 for point in path)
    # Every waypoint is on the path, in order.
    positions = [min(range(len(path)), key=lambda index: math.dist(path[index], point)) for point in waypoints]
    assert all(math.dist(path[index], point) < 1e-12 for index, point in zip(positions, waypoints))
    assert positions == sorted(positions)


@pytest.mark.parametrize("bow", [0.1, -0.1, 0.02])
def test_a_bowed_side_bulges_by_its_bow_away_from_the_centre(bow):
    start, end, centre = (0.0, 0.0), (2.0, 0.0), (1.0, 1.0)
    side = hand.bowed_side(start, end, bow, centre)
    assert side[0] == pytest.approx(start, abs=1e-12) and side[-1] == pytest.approx(end, abs=1e-12)
    # The centre is below the side (y = 1), so bulging out is going up (y < 0).
    farthest = max(side, key=lambda point: abs(point[1]))
    assert -farthest[1] == pytest.approx(bow * 2.0, rel=0.01)


def test_a_neat_pen_path_runs_straight_through_every_corner():
    corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.3, 1.2)]
    path = hand.pen_path(corners, neat_hand(), random.Random(11), hand.centroid(corners))
    assert path[0] == corners[0] and path[-1] == pytest.approx(corners[-1], abs=1e-12)
    assert all(min(math.dist(point, corner) for point in path) < 1e-12 for corner in corners)
    assert all(distance_to_polyline(point, corners) < 1e-12 for point in path)


def test_a_rounded_corner_cuts_inside_the_corner():
    drawer = hand.people_hand(random.Random(12), neat=False)
    drawer.rounding, drawer.bow, drawer.loop_share, drawer.corner_overshoot_share = 0.3, 0.0, 0.0, 0.0
    corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    path = hand.pen_path(corners, drawer, random.Random(13), (0.0, 1.0))
    # A radius of 0.3 of the shorter side: a quadratic Bezier from (0.7, 0) to (1, 0.3), bent towards
    # the corner (1, 0), which it passes at (0.925, 0.075) when t = 1/2; the corner itself is cut off.
    for on_the_turn in [(0.7, 0.0), (1.0, 0.3)]:
        assert min(math.dist(point, on_the_turn) for point in path) < 1e-12
    assert distance_to_polyline((0.925, 0.075), path) < 0.003
    assert min(math.dist(point, (1.0, 0.0)) for point in path) > 0.1


def test_a_neat_closed_outline_in_one_stroke_closes_exactly():
    for seed in range(20):
        drawing = hand.closed_outline(UNIT_SQUARE, neat_hand(), random.Random(seed), strokes=1)
        assert len(drawing) == 1
        stroke = drawing[0]
        assert stroke[0] == stroke[-1] and stroke[0] in UNIT_SQUARE
        assert all(min(math.dist(point, corner) for point in stroke) < 1e-12 for corner in UNIT_SQUARE)


@pytest.mark.parametrize("strokes", [1, 2, 3, 4, 5, 8])
def test_a_closed_outline_has_the_strokes_asked_for(strokes):
    for seed in range(10):
        drawing = hand.closed_outline(UNIT_SQUARE, hand.people_hand(random.Random(seed)), random.Random(seed), strokes)
        assert len(drawing) == strokes
        assert all(len(stroke) >= 2 for stroke in drawing)


def inside(point, corners):
    """Even-odd: does a ray from ``point`` towards +x cross the polygon's sides an odd number of times?"""
    crossings = 0
    for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1]):
        if (y1 > point[1]) != (y2 > point[1]) and point[0] < x1 + (point[1] - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


STAR = [
    (math.cos(math.pi / 2 + k * math.pi / 5) * (1.0 if k % 2 == 0 else 0.4),
     math.sin(math.pi / 2 + k * math.pi / 5) * (1.0 if k % 2 == 0 else 0.4))
    for k in range(10)
]


@pytest.mark.parametrize("lines", [1, 3, 8])
def test_hatching_draws_parallel_lines_across_a_convex_shape_ending_near_its_outline(lines):
    triangle = [(0.0, 0.0), (1.0, 0.0), (0.3, 0.9)]
    for corners in (UNIT_SQUARE, triangle):
        for seed in range(10):
            strokes = hand.hatching(corners, lines, random.Random(seed))
            assert len(strokes) == lines  # a line crosses a convex shape once, and is never shorter than its ends move
            directions = [hand.unit_direction(start, end) for start, end in strokes]
            for direction in directions:  # parallel: the same direction, or the opposite one
                assert abs(direction[0] * directions[0][1] - direction[1] * directions[0][0]) < 1e-9
            closed = corners + corners[:1]
            for start, end in strokes:
                # Each end is where the line crosses the outline, moved along the line by up to 5% of the size.
                for point in (start, end):
                    assert distance_to_polyline(point, closed) <= 0.05 * 1.0 + 1e-9
                assert inside(((start[0] + end[0]) / 2, (start[1] + end[1]) / 2), corners)


def test_hatching_shades_a_star_point_by_point_and_draws_nothing_for_no_lines():
    pieces = 0
    for seed in range(20):
        strokes = hand.hatching(STAR, 4, random.Random(seed))
        pieces += len(strokes)
        for start, end in strokes:
            # Cut where the line leaves the star: no stroke runs across the notch between two points.
            assert inside(((start[0] + end[0]) / 2, (start[1] + end[1]) / 2), STAR)
    assert pieces > 4 * 20  # some lines cross two points of the star, and are drawn as two strokes
    assert hand.hatching(STAR, 0, random.Random(0)) == []


def test_a_closed_outline_shades_as_asked():
    for seed in range(10):
        drawing = hand.closed_outline(UNIT_SQUARE, hand.people_hand(random.Random(seed)), random.Random(seed), 2, shading=3)
        assert len(drawing) == 5
        assert all(len(stroke) == 2 for stroke in drawing[2:])


def test_a_closed_outline_stops_its_gap_short_or_runs_its_overshoot_past():
    for seed in range(10):
        stroke = hand.closed_outline(UNIT_SQUARE, neat_hand(), random.Random(seed), 1, closure=(0.2, 0.0))[0]
        assert math.dist(stroke[0], stroke[-1]) == pytest.approx(0.2, rel=1e-9)  # the size is 1
        stroke = hand.closed_outline(UNIT_SQUARE, neat_hand(), random.Random(seed), 1, closure=(0.0, 0.2))[0]
        # Past the first corner along the first side, and a little aside (a Gaussian of 2% of the size).
        assert 0.2 <= math.dist(stroke[0], stroke[-1]) <= 0.3


def test_an_ellipse_path_lies_on_its_ellipse_and_lumps_move_it_by_their_amplitude():
    path = hand.ellipse_path(2.0, 1.0, 0.5, math.pi, centre=(3.0, -1.0))
    assert all(((x - 3.0) / 2.0) ** 2 + (y + 1.0) ** 2 == pytest.approx(1.0, abs=1e-12) for x, y in path)
    assert path[0] == pytest.approx((3.0 + 2.0 * math.cos(0.5), -1.0 + math.sin(0.5)), abs=1e-12)
    lumpy = hand.ellipse_path(1.0, 1.0, 0.0, 2 * math.pi, lumps=[(0.05, 3, 0.0)])
    radii = [math.hypot(x, y) for x, y in lumpy]
    assert min(radii) >= 0.95 - 1e-12 and max(radii) <= 1.05 + 1e-12
    assert max(radii) - min(radii) > 0.09


def test_a_smooth_curve_passes_through_every_control_point():
    controls = [(0.0, 0.0), (1.0, 0.5), (0.5, 1.5), (-0.5, 1.0), (0.0, 2.0)]
    curve = hand.smooth_curve(controls, points_per_span=10)
    assert len(curve) == 1 + 10 * (len(controls) - 1)
    for index, control in enumerate(controls):
        assert curve[10 * index] == pytest.approx(control, abs=1e-12)
    # No kink: neighbouring steps along the curve are of similar length.
    steps = [math.dist(a, b) for a, b in zip(curve, curve[1:])]
    assert all(0.3 < b / a < 3.0 for a, b in zip(steps, steps[1:]))


# --- Finishing: as the collection stores a drawing, placed on the canvas ------------------


def test_a_finished_drawing_is_placed_on_the_canvas_at_30_to_90_percent():
    rng = random.Random(14)
    for _ in range(200):
        drawer = hand.people_hand(rng)
        drawing = hand.finish(hand.closed_outline(UNIT_SQUARE, drawer, rng), drawer, hand.people_tilt(rng), rng)
        points = [point for stroke in drawing for point in stroke]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        assert min(xs) >= 0.0 and min(ys) >= 0.0
        assert max(xs) <= hand.CANVAS_SIZE and max(ys) <= hand.CANVAS_SIZE
        longer = max(max(xs) - min(xs), max(ys) - min(ys))
        # Simplification may drop an extreme point, by at most epsilon (2 of 255) of the size.
        assert 0.3 * hand.CANVAS_SIZE * (1 - 2 / hand.COLLECTION_SIDE) - 1e-9 <= longer <= 0.9 * hand.CANVAS_SIZE
        assert all(len(stroke) >= 2 for stroke in drawing)


def test_a_neat_square_finished_untilted_is_four_corners():
    rng = random.Random(15)
    drawer = neat_hand()
    drawing = hand.finish(hand.closed_outline(UNIT_SQUARE, drawer, rng, strokes=1), drawer, 0.0, rng)
    assert len(drawing) == 1 and len(drawing[0]) == 5  # four corners and back to the first
    stroke = drawing[0]
    assert stroke[0] == stroke[-1]
    sides = [math.dist(a, b) for a, b in zip(stroke, stroke[1:])]
    assert max(sides) == pytest.approx(min(sides), rel=1e-9)


@pytest.mark.parametrize("points", [4, 8, 16, 30])
def test_finish_keeps_at_most_the_points_asked_for(points):
    rng = random.Random(16)
    for _ in range(10):
        drawer = hand.people_hand(rng, neat=False)
        drawing = hand.finish(hand.closed_outline(UNIT_SQUARE, drawer, rng, strokes=1), drawer, 5.0, rng, points)
        assert 2 <= sum(map(len, drawing)) <= points


def test_the_hand_is_seeded_and_leaves_the_global_random_state_alone():
    def draw(seed):
        rng = random.Random(seed)
        drawer = hand.people_hand(rng)
        outline = hand.closed_outline(UNIT_SQUARE, drawer, rng)
        return hand.finish(outline, drawer, hand.people_tilt(rng), rng)

    random.seed(1234)
    state = random.getstate()
    assert draw(17) == draw(17)
    assert draw(17) != draw(18)
    assert random.getstate() == state
