"""Line charts (several series, nice ticks, a legend, linear or log axes), and fit's history in one call.

The axis mapping: a value ``v`` on an axis whose ticks run from ``low`` to
``high`` and which spans the pixels ``start`` to ``end`` is drawn at

    pixel = start + (v - low) / (high - low) * (end - start)

on a linear axis, and with ``log10 v``, ``log10 low``, ``log10 high`` in
place of ``v``, ``low``, ``high`` on a log axis. The y axis runs upwards, so
its ``start`` is the bottom of the plot. Each tick is drawn as a group
``<g class="x-tick">`` (or ``y-tick``) holding its grid line and its label,
so that a reader (or a test) can read the mapping back from the picture.
"""

from __future__ import annotations

import math

from ..validation import ArgumentTypeError, check_integer
from .colours import hex_colour, palette_colour
from .inputs import read_range, read_text, read_values, short
from .svg import document, element, number, text_element, text_width
from .ticks import linear_ticks, log_ticks, tick_labels

WIDTH, HEIGHT = 640, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_TOP = 64, 20, 48, 12
TITLE_HEIGHT, LEGEND_ROW_HEIGHT = 24, 18
# Below this many points a series also shows a dot at each one: with a few epochs the dots say where the data are.
MARKER_LIMIT = 25
GRID_COLOUR, FRAME_COLOUR, TEXT_COLOUR = "#e5e5e5", "#888888", "#222222"
NO_DATA_MESSAGE = "no epochs yet"


class Axis:
    """One axis: its ticks, their labels, and the mapping from values to pixels (see the module docstring)."""

    def __init__(self, low: float, high: float, start: float, end: float, log: bool, count: int, integer: bool) -> None:
        self.log = log
        self.ticks = log_ticks(low, high) if log else linear_ticks(low, high, count, integer)
        self.labels = tick_labels(self.ticks, log)
        self.start, self.end = start, end

    def position(self, value: float) -> float:
        """The pixel of ``value``."""
        low, high = self.ticks[0], self.ticks[-1]
        if self.log:
            value, low, high = math.log10(value), math.log10(low), math.log10(high)
        return self.start + (value - low) / (high - low) * (self.end - self.start)


def frame(left: float, top: float, right: float, bottom: float) -> str:
    """The plotting area's border: a rectangle from (left, top) to (right, bottom), unfilled."""
    return element(
        "rect",
        {
            "x": float(left),
            "y": float(top),
            "width": float(right - left),
            "height": float(bottom - top),
            "fill": "none",
            "stroke": FRAME_COLOUR,
        },
    )


def read_series(series: object, where: str) -> dict[str, list[float | None]]:
    """``{name: values}`` from a dict of lists, or ``{"": values}`` from one list; None is a gap."""
    if isinstance(series, dict):
        if not series:
            raise ValueError(f"{where}: series must hold at least one series, got an empty dict")
        return {
            read_text(name, f"{where}: a series name"): read_values(values, f"{where}: series[{name!r}]", gaps=True)
            for name, values in series.items()
        }
    if isinstance(series, (list, tuple)):
        return {"": read_values(series, f"{where}: series", gaps=True)}
    raise ArgumentTypeError(
        f"{where}: series must be a dict of lists of numbers or a list of numbers, got {short(series)}"
    )


def read_x(x: object, series: dict[str, list], where: str) -> list[float] | None:
    """The shared x values (as long as every series), or None to number the points 0, 1, 2, ..."""
    if x is None:
        return None
    values = read_values(x, f"{where}: x")
    for name, ys in series.items():
        if len(ys) != len(values):
            label = f"series[{name!r}]" if name else "series"
            raise ValueError(f"{where}: x has {len(values)} values but {label} has {len(ys)}; give one x per point")
    return values


def check_positive(points: dict[str, list[tuple[float, float]]], axis_name: str, where: str) -> None:
    """A log axis shows only positive values: name the first that is not."""
    coordinate = 0 if axis_name == "x" else 1
    for name, pairs in points.items():
        for pair in pairs:
            if pair[coordinate] <= 0:
                label = f"series {name!r}" if name else "the series"
                raise ValueError(
                    f"{where}: log_{axis_name} needs positive values, "
                    f"but {label} has {axis_name} = {pair[coordinate]!r}"
                )


def legend_rows(names: list[str], width: float) -> list[list[tuple[int, str, float]]]:
    """The legend's entries (index, name, x offset) laid out left to right, wrapping at ``width``."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    offset = 0.0
    for index, name in enumerate(names):
        entry_width = 26 + text_width(name) + 16
        if rows[-1] and offset + entry_width > width:
            rows.append([])
            offset = 0.0
        rows[-1].append((index, name, offset))
        offset += entry_width
    return rows


def draw_line_chart(
    series: dict[str, list[float | None]],
    x: list[float] | None,
    width: float,
    height: float,
    title: str,
    x_label: str,
    y_label: str,
    log_x: bool,
    log_y: bool,
    y_range: tuple[float, float] | None,
    dashed: set[str],
    where: str,
) -> list[str]:
    """The elements of a line chart of checked data, inside a ``width`` x ``height`` box at (0, 0)."""
    points = {
        name: [((x[index] if x is not None else float(index)), y) for index, y in enumerate(ys)]
        for name, ys in series.items()
    }
    present = {name: [pair for pair in pairs if pair[1] is not None] for name, pairs in points.items()}
    if not any(present.values()):
        raise ValueError(f"{where}: every value is None; there is nothing to draw")
    if log_x:
        check_positive(present, "x", where)
    if log_y:
        check_positive(present, "y", where)
        if y_range is not None and y_range[0] <= 0:
            raise ValueError(f"{where}: log_y needs a positive y_range, got {y_range!r}")
    xs = [pair[0] for pairs in present.values() for pair in pairs]
    ys = [pair[1] for pairs in present.values() for pair in pairs] + (list(y_range) if y_range else [])

    named = [name for name in series if name]
    legend = legend_rows(named, width - MARGIN_LEFT - MARGIN_RIGHT) if named else []
    top = MARGIN_TOP + (TITLE_HEIGHT if title else 0) + LEGEND_ROW_HEIGHT * len(legend)
    left, right, bottom = MARGIN_LEFT, width - MARGIN_RIGHT, height - MARGIN_BOTTOM
    if bottom - top < 40 or right - left < 40:
        raise ValueError(f"{where}: a {width} x {height} chart leaves no room to plot; make it larger")
    integer_x = all(float(value).is_integer() for value in xs) and not log_x
    x_axis = Axis(min(xs), max(xs), left, right, log_x, max(2, round((right - left) / 60)), integer_x)
    y_axis = Axis(min(ys), max(ys), bottom, top, log_y, max(2, round((bottom - top) / 50)), False)

    body = []
    if title:
        body.append(
            text_element(width / 2, MARGIN_TOP + 14, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})
        )
    for row_number, row in enumerate(legend):
        baseline = MARGIN_TOP + (TITLE_HEIGHT if title else 0) + row_number * LEGEND_ROW_HEIGHT + 13
        for index, name, offset in row:
            colour = hex_colour(palette_colour(index))
            swatch = element(
                "line",
                {
                    "x1": left + offset,
                    "y1": baseline - 4.0,
                    "x2": left + offset + 20,
                    "y2": baseline - 4.0,
                    "stroke": colour,
                    "stroke-width": 2,
                    "stroke-dasharray": "6 3" if name in dashed else None,
                },
            )
            label = text_element(left + offset + 26, baseline, name, fill=TEXT_COLOUR)
            body.append(element("g", {"class": "legend-entry"}, swatch + label))
    for tick, label in zip(y_axis.ticks, y_axis.labels):
        pixel = y_axis.position(tick)
        line = element("line", {"x1": float(left), "y1": pixel, "x2": float(right), "y2": pixel, "stroke": GRID_COLOUR})
        text = text_element(left - 6, pixel, label, "end", fill=TEXT_COLOUR, **{"dominant-baseline": "middle"})
        body.append(element("g", {"class": "y-tick"}, line + text))
    for tick, label in zip(x_axis.ticks, x_axis.labels):
        pixel = x_axis.position(tick)
        line = element("line", {"x1": pixel, "y1": float(top), "x2": pixel, "y2": float(bottom), "stroke": GRID_COLOUR})
        text = text_element(pixel, bottom + 16, label, "middle", fill=TEXT_COLOUR)
        body.append(element("g", {"class": "x-tick"}, line + text))
    body.append(frame(left, top, right, bottom))
    if x_label:
        body.append(text_element((left + right) / 2, height - 10, x_label, "middle", fill=TEXT_COLOUR))
    if y_label:
        centre = (top + bottom) / 2
        body.append(
            text_element(16, centre, y_label, "middle", fill=TEXT_COLOUR, transform=f"rotate(-90 16 {number(centre)})")
        )

    for index, (name, pairs) in enumerate(points.items()):
        colour = hex_colour(palette_colour(index))
        pieces, piece = [], []
        for pair in pairs:  # a None ends one piece of line and the next value starts another
            if pair[1] is None:
                pieces.append(piece)
                piece = []
            else:
                piece.append((x_axis.position(pair[0]), y_axis.position(pair[1])))
        pieces.append(piece)
        drawn = [element("title", {}, text=name)] if name else []
        for piece in pieces:
            if len(piece) > 1:
                drawn.append(
                    element(
                        "polyline",
                        {
                            "points": " ".join(f"{number(px)},{number(py)}" for px, py in piece),
                            "fill": "none",
                            "stroke": colour,
                            "stroke-width": 2,
                            "stroke-linejoin": "round",
                            "stroke-dasharray": "6 3" if name in dashed else None,
                        },
                    )
                )
        markers = len(present[name]) <= MARKER_LIMIT
        for piece in pieces:
            if markers or len(piece) == 1:  # a lone point has no line to show it
                drawn += [element("circle", {"cx": px, "cy": py, "r": 3.0, "fill": colour}) for px, py in piece]
        body.append(element("g", {"class": "series"}, "".join(drawn)))
    return body


def line_chart(
    series: dict[str, list[float | None]] | list[float | None],
    x: list[float] | None = None,
    *,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    log_x: bool = False,
    log_y: bool = False,
    y_range: tuple[float, float] | None = None,
    dashed: tuple[str, ...] | list[str] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """An SVG line chart (the text of a ``.svg`` file, or of an ``<svg>`` element for an HTML page).

    ``series`` is ``{name: values}`` (each drawn in its own colour, named in
    the legend) or one list of values; ``None`` in values is a gap in the
    line. ``x`` gives every series the same x values (one per value); by
    default the points are numbered 0, 1, 2, ... Values must be finite
    numbers: NaN and infinity are refused, because a point left out silently
    would misreport the data. ``log_x``, ``log_y`` put powers of ten on an
    axis (its values must be positive). The y axis covers the data and, if
    given, ``y_range`` (``(0, 1)`` for accuracies). Series named in
    ``dashed`` are drawn dashed.
    """
    where = "line_chart"
    checked = read_series(series, where)
    for flag_name, flag in (("log_x", log_x), ("log_y", log_y)):
        if not isinstance(flag, bool):
            raise ArgumentTypeError(f"{where}: {flag_name} must be True or False, got {short(flag)}")
    dashed_names = {
        read_text(name, f"{where}: dashed[{index}]") for index, name in enumerate(read_dashed(dashed, where))
    }
    unknown = sorted(dashed_names - set(checked))
    if unknown:
        raise ValueError(
            f"{where}: dashed names {unknown[0]!r}, which is not a series ({', '.join(map(repr, checked))})"
        )
    body = draw_line_chart(
        checked,
        read_x(x, checked, where),
        read_size(width, f"{where}: width"),
        read_size(height, f"{where}: height"),
        read_text(title, f"{where}: title"),
        read_text(x_label, f"{where}: x_label"),
        read_text(y_label, f"{where}: y_label"),
        log_x,
        log_y,
        read_range(y_range, f"{where}: y_range"),
        dashed_names,
        where,
    )
    return document(width, height, body, title)


def read_dashed(dashed: object, where: str) -> list:
    """The names of the series to draw dashed, in a fixed order (a set's own order varies between runs)."""
    if not isinstance(dashed, (list, tuple, set, frozenset)):
        raise ArgumentTypeError(f"{where}: dashed must be a list of series names, got {short(dashed)}")
    return sorted(dashed) if isinstance(dashed, (set, frozenset)) else list(dashed)


def read_size(value: object, name: str) -> int:
    """A chart dimension in pixels: an int from 50 to 10000."""
    check_integer(value, name, minimum=50)
    if value > 10000:
        raise ValueError(f"{name} must be an integer from 50 to 10000 (pixels), got {value!r}")
    return value


def history(
    history: dict[str, list[float | None]],
    *,
    title: str = "",
    log_loss: bool = False,
    width: int = 880,
    panel_height: int = 300,
) -> str:
    """An SVG of the history ``fit`` returns: one panel per measure, training solid, validation dashed.

    Each key ``k`` (``"loss"``, ``"accuracy"``, ...) gets a panel with the
    series "training" (``history[k]``) and "validation" (``history["val_" + k]``,
    if present and not empty), against the epoch (1, 2, ...). Accuracies are
    drawn on a 0-1 axis; ``log_loss`` puts the loss on a log scale. ``None``
    values (accuracy of a regression) are gaps; a panel with no value is left
    out. Panels sit two to a row. A history with no epochs yet gives a chart
    that says so, so that a live page can draw it from the start.
    """
    where = "history"
    if not isinstance(history, dict):
        raise ArgumentTypeError(
            f"{where}: history must be the dict fit returns, got {type(history).__name__} {short(history)}"
        )
    measures: dict[str, dict[str, list]] = {}
    for key, values in history.items():
        read_text(key, f"{where}: a key of history")
        if not isinstance(values, (list, tuple)):
            raise ArgumentTypeError(f"{where}: history[{key!r}] must be a list, got {short(values)}")
        checked = read_values(values, f"{where}: history[{key!r}]", gaps=True) if values else []
        measure = key[len("val_") :] if key.startswith("val_") else key
        measures.setdefault(measure, {})["validation" if key.startswith("val_") else "training"] = checked
    panels = {
        measure: {name: pair[name] for name in ("training", "validation") if name in pair}
        for measure, pair in measures.items()
        if any(value is not None for values in pair.values() for value in values)
    }
    read_text(title, f"{where}: title")
    read_size(width, f"{where}: width")
    read_size(panel_height, f"{where}: panel_height")
    heading = TITLE_HEIGHT if title else 0
    if not panels:
        body = [text_element(width / 2, heading + panel_height / 2, NO_DATA_MESSAGE, "middle", 14, fill=TEXT_COLOUR)]
        if title:
            body.insert(
                0, text_element(width / 2, 18, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})
            )
        return document(width, heading + panel_height, body, title)
    columns = min(2, len(panels))
    panel_width = width // columns
    rows = math.ceil(len(panels) / columns)
    body = (
        [text_element(width / 2, 18, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})] if title else []
    )
    for number_of_panel, (measure, pair) in enumerate(panels.items()):
        epochs = max(len(values) for values in pair.values())
        # a shorter series (validation that started late) is padded with gaps to the epochs drawn
        series = {name: values + [None] * (epochs - len(values)) for name, values in pair.items() if values}
        panel = draw_line_chart(
            series,
            [float(epoch) for epoch in range(1, epochs + 1)],
            panel_width,
            panel_height,
            measure,
            "epoch",
            measure,
            False,
            log_loss and measure == "loss",
            (0.0, 1.0) if measure.endswith("accuracy") else None,
            {"validation"},
            f"{where}: {measure!r}",
        )
        row, column = divmod(number_of_panel, columns)
        body.append(
            element(
                "svg",
                {
                    "x": float(column * panel_width),
                    "y": float(heading + row * panel_height),
                    "width": float(panel_width),
                    "height": float(panel_height),
                    "class": "panel",
                },
                "".join(panel),
            )
        )
    return document(width, heading + rows * panel_height, body, title)
