"""PNG images written with zlib and struct: a grid of numbers (or of colours) to the bytes of a .png file.

A PNG file (https://www.w3.org/TR/png/) is an 8-byte signature and a list of
chunks. Each chunk is ``length (4 bytes, big-endian) | type (4 letters) |
data | CRC-32 of type and data``. Three chunks are enough:

- ``IHDR``: width, height (4 bytes each), bit depth 8, colour type 2 (RGB),
  compression 0, filter method 0, interlace 0;
- ``IDAT``: the zlib-compressed rows, each row one filter-type byte (0, "no
  filter": the bytes as they are) then ``r g b`` for each pixel, left to right;
- ``IEND``: empty, the end.

The rows are written top to bottom, so ``grid[0]`` is the top row.
"""

from __future__ import annotations

import struct
import zlib

from ..validation import ArgumentTypeError, check_integer, is_integer
from . import colours
from .colours import RGB, check_colour_map, fraction_of, map_colour
from .inputs import read_range, read_sequence, read_value, short

SIGNATURE = b"\x89PNG\r\n\x1a\n"
BIT_DEPTH, COLOUR_TYPE_RGB = 8, 2
# Far above any chart or drawing, far below PNG's own limit of 2**31 - 1: a larger image is a mistake
# (a scale typed with an extra zero) that would otherwise fill the memory.
MAXIMUM_SIDE = 16384


def chunk(kind: bytes, data: bytes) -> bytes:
    """One chunk: length, type, data, and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels: list[list[RGB]]) -> bytes:
    """The PNG file of rows of ``(r, g, b)`` colours (ints 0-255), top row first, no filtering."""
    height, width = len(pixels), len(pixels[0])
    header = struct.pack(">IIBBBBB", width, height, BIT_DEPTH, COLOUR_TYPE_RGB, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes(channel for colour in row for channel in colour) for row in pixels)
    return SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def read_colour(value: object, name: str) -> RGB:
    """An ``(r, g, b)`` triple of ints 0-255."""
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        raise ArgumentTypeError(f"{name} must be a number or an (r, g, b) triple, got {short(value)}")
    for channel in value:
        if not is_integer(channel) or not 0 <= channel <= 255:
            raise ValueError(f"{name} must hold three ints 0-255 (r, g, b), got {short(value)}")
    return tuple(value)


def grid_pixels(
    grid: object, name: str, colour_map: str = "grey", range_shown: tuple[float, float] | None = None
) -> list[list[RGB]]:
    """The colours of a grid: numbers through the colour map over ``range_shown``, or (r, g, b) triples as they are."""
    rows = read_sequence(grid, name)
    cells = [read_sequence(row, f"{name}[{index}]") for index, row in enumerate(rows)]
    for index, row in enumerate(cells):
        if len(row) != len(cells[0]):
            raise ValueError(
                f"{name} must have rows of equal length (a rectangle), got {len(cells[0])} values in row 0 "
                f"and {len(row)} in row {index}"
            )
    if isinstance(cells[0][0], (list, tuple)):
        return [
            [read_colour(value, f"{name}[{row_index}][{column_index}]") for column_index, value in enumerate(row)]
            for row_index, row in enumerate(cells)
        ]
    values = [
        [read_value(value, f"{name}[{row_index}][{column_index}]") for column_index, value in enumerate(row)]
        for row_index, row in enumerate(cells)
    ]
    low, high = colours.value_range([value for row in values for value in row], colour_map, range_shown)
    return [[map_colour(colour_map, fraction_of(value, low, high)) for value in row] for row in values]


def enlarge(pixels: list[list[RGB]], scale: int) -> list[list[RGB]]:
    """Each pixel as a ``scale`` x ``scale`` square (nearest neighbour): square pixels stay square."""
    return [[colour for colour in row for _ in range(scale)] for row in pixels for _ in range(scale)]


def png(
    grid: object, scale: int = 1, colour_map: str = "grey", value_range: tuple[float, float] | None = None
) -> bytes:
    """The bytes of a PNG file showing ``grid``, each cell a ``scale`` x ``scale`` square.

    ``grid`` is rows of numbers, shown through ``colour_map`` ("grey": low
    black, high white; "ink": low white, high black; "sequential";
    "diverging") over ``value_range`` (default: the grid's smallest to
    largest value, symmetric about 0 for "diverging"); or rows of
    ``(r, g, b)`` ints 0-255, written as they are. ``grid[0]`` is the top row.
    Write the bytes with ``open(path, "wb").write(...)`` or serve them.
    """
    check_colour_map(colour_map, "png: colour_map")
    check_integer(scale, "png: scale", minimum=1)
    pixels = grid_pixels(grid, "png: grid", colour_map, read_range(value_range, "png: value_range"))
    height, width = len(pixels) * scale, len(pixels[0]) * scale
    if max(height, width) > MAXIMUM_SIDE:
        raise ValueError(
            f"png: the image would be {width} x {height} pixels, more than {MAXIMUM_SIDE} on a side; lower scale"
        )
    return encode_png(enlarge(pixels, scale))
