"""Colours: the series palette and the colour maps that turn a number into a colour.

A colour map takes a fraction ``t`` in [0, 1] (where a value sits between
the low and high ends of the range shown) and interpolates linearly, channel
by channel, between anchor colours spread evenly over [0, 1]:

- ``"sequential"`` (probabilities, counts): pale to dark blue; every channel
  falls as ``t`` rises, so darker always means more.
- ``"diverging"`` (weights, anything signed): blue for negative, near-white
  for zero, red for positive; the range is made symmetric about 0 so that
  white means zero.
- ``"grey"``: black to white, like a photograph's pixel values.
- ``"ink"``: white to black, like ink on paper (drawings).

The series palette is Okabe and Ito's, chosen to stay distinct for
colour-blind readers.
"""

from __future__ import annotations

RGB = tuple[int, int, int]

PALETTE: tuple[RGB, ...] = (
    (0, 114, 178),  # blue
    (213, 94, 0),  # vermilion
    (0, 158, 115),  # bluish green
    (204, 121, 167),  # reddish purple
    (230, 159, 0),  # orange
    (86, 180, 233),  # sky blue
    (0, 0, 0),  # black
    (240, 228, 66),  # yellow, last: it is hard to see on white
)

COLOUR_MAPS: dict[str, tuple[RGB, ...]] = {
    "sequential": ((247, 251, 255), (107, 174, 214), (8, 48, 107)),
    "diverging": ((33, 102, 172), (247, 247, 247), (178, 24, 43)),
    "grey": ((0, 0, 0), (255, 255, 255)),
    "ink": ((255, 255, 255), (0, 0, 0)),
}
SIGNED_MAPS = ("diverging",)


def check_colour_map(name: object, argument: str) -> str:
    """Return ``name`` if it names a colour map, else a ValueError listing them."""
    if not isinstance(name, str) or name not in COLOUR_MAPS:
        raise ValueError(f"{argument} must be one of {', '.join(map(repr, COLOUR_MAPS))}, got {name!r}")
    return name


def palette_colour(index: int) -> RGB:
    """The series colour for the ``index``-th series (the palette repeats after eight)."""
    return PALETTE[index % len(PALETTE)]


def map_colour(colour_map: str, fraction: float) -> RGB:
    """The colour at ``fraction`` (clamped to [0, 1]) of a colour map, interpolated between its anchors."""
    anchors = COLOUR_MAPS[colour_map]
    position = min(max(fraction, 0.0), 1.0) * (len(anchors) - 1)
    index = min(int(position), len(anchors) - 2)
    weight = position - index
    low, high = anchors[index], anchors[index + 1]
    return tuple(round(a + (b - a) * weight) for a, b in zip(low, high))


def value_range(values: list[float], colour_map: str, given: tuple[float, float] | None) -> tuple[float, float]:
    """The (low, high) a colour map spans: ``given``, else the values' extremes (symmetric about 0 if signed).

    A range of zero width is widened by 1 so that every value still maps somewhere.
    """
    if given is not None:
        low, high = given
    elif colour_map in SIGNED_MAPS:
        largest = max(abs(value) for value in values)
        low, high = -largest, largest
    else:
        low, high = min(values), max(values)
    if low == high:
        low, high = low - 1.0, high + 1.0
    return low, high


def fraction_of(value: float, low: float, high: float) -> float:
    """Where ``value`` sits between ``low`` (0) and ``high`` (1), clamped to [0, 1]."""
    return min(max((value - low) / (high - low), 0.0), 1.0)


def mix(colour: RGB, other: RGB, weight: float) -> RGB:
    """``(1 - weight) * colour + weight * other``, channel by channel."""
    return tuple(round(a + (b - a) * weight) for a, b in zip(colour, other))


def luminance(colour: RGB) -> float:
    """Relative brightness in [0, 1] (ITU-R BT.601 weights), to choose black or white text on a colour."""
    red, green, blue = colour
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255.0


def hex_colour(colour: RGB) -> str:
    """``(0, 114, 178)`` as ``"#0072b2"``."""
    return "#{:02x}{:02x}{:02x}".format(*colour)
