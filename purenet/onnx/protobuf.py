"""Protocol Buffers, the wire format ONNX files are written in, encoded by hand (docs/onnx.md).

A protobuf message is a sequence of fields. Each field starts with a key, the
varint ``field_number << 3 | wire_type``, and the wire type says how its value
is laid out:

    wire type 0 (VARINT)  an integer as a varint: 7 bits a byte, least
                          significant first, the top bit set on every byte but
                          the last (150 -> 0x96 0x01);
    wire type 2 (LEN)     a varint length, then that many bytes: a string, raw
                          bytes, or a whole submessage encoded the same way;
    wire type 5 (I32)     four bytes, little-endian: a float32.

A negative int64 is sent as its 64-bit two's complement, so it takes ten
bytes. A repeated field is the same field written once per value. Nothing
here knows about ONNX: ``purenet.onnx.export`` calls these functions with
ONNX's field numbers.
"""

from __future__ import annotations

import struct

from ..validation import check_integer

VARINT = 0
LENGTH_DELIMITED = 2
FIXED32 = 5
WIRE_TYPES = (VARINT, LENGTH_DELIMITED, FIXED32)
# A key keeps 3 bits for the wire type of a 32-bit number: field numbers have the other 29.
LARGEST_FIELD_NUMBER = 2**29 - 1


def varint(value: int) -> bytes:
    """``value`` as a base-128 varint: 7 bits per byte, low bits first, the top bit marks "more follows".

    A negative value (an int64 such as -1) is first taken as its 64-bit two's
    complement, 2**64 + value, as protobuf does: -1 takes ten bytes.
    """
    check_integer(value, "varint: value", minimum=-(2**63))
    if value >= 2**64:
        raise ValueError(f"varint: value must fit in 64 bits (below 2**64), got {value}")
    if value < 0:
        value += 2**64
    encoded = bytearray()
    while True:
        low_bits = value & 0x7F
        value >>= 7
        if value:
            encoded.append(low_bits | 0x80)
        else:
            encoded.append(low_bits)
            return bytes(encoded)


def key(field_number: int, wire_type: int) -> bytes:
    """A field's key: the varint of ``field_number << 3 | wire_type``."""
    check_integer(field_number, "key: field_number", minimum=1)
    if field_number > LARGEST_FIELD_NUMBER:
        raise ValueError(f"key: field_number must be at most {LARGEST_FIELD_NUMBER} (29 bits), got {field_number}")
    if wire_type not in WIRE_TYPES:
        raise ValueError(f"key: wire_type must be one of {WIRE_TYPES}, got {wire_type!r}")
    return varint(field_number << 3 | wire_type)


def integer_field(field_number: int, value: int) -> bytes:
    """An int32, int64 or enum field (wire type 0)."""
    return key(field_number, VARINT) + varint(value)


def bytes_field(field_number: int, data: bytes) -> bytes:
    """A bytes field or an encoded submessage (wire type 2): its length as a varint, then the bytes."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"bytes_field: data must be bytes, got {type(data).__name__}")
    return key(field_number, LENGTH_DELIMITED) + varint(len(data)) + bytes(data)


def string_field(field_number: int, text: str) -> bytes:
    """A string field: its UTF-8 bytes, length-delimited (wire type 2)."""
    if not isinstance(text, str):
        raise TypeError(f"string_field: text must be a str, got {type(text).__name__}")
    return bytes_field(field_number, text.encode("utf-8"))


def float_field(field_number: int, value: float) -> bytes:
    """A float (float32) field: four little-endian bytes (wire type 5)."""
    return key(field_number, FIXED32) + struct.pack("<f", value)


def message(*fields: bytes) -> bytes:
    """A message is nothing but its fields one after the other; the reader knows its end from the enclosing length."""
    return b"".join(fields)
