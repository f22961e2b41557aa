"""safetensors files: tensors as raw little-endian numbers behind a JSON header, with no pickle.

This is the weight format of Hugging Face's ``safetensors`` library, read and
written with the standard library. Files written here load in the official
library and the reverse, bit for bit. The layout of a file::

    bytes 0 to 7          N, the length of the header: an unsigned 64-bit little-endian integer
    bytes 8 to 8 + N - 1  the header: UTF-8 JSON, padded with spaces to a multiple of 8 bytes
    bytes 8 + N to end    the buffer: each tensor's numbers in row-major order, little-endian

The header is one JSON object::

    {"__metadata__": {"key": "value", ...},
     "0.weight": {"dtype": "F64", "shape": [3, 2], "data_offsets": [0, 48]},
     "0.bias": {"dtype": "F64", "shape": [3], "data_offsets": [48, 72]}, ...}

``data_offsets`` are [begin, end) byte positions counted from the start of
the buffer. Together the tensors cover the buffer exactly: sorted by offset,
each begins where the previous one ends, the last ends at the end of the
file, and each spans (product of its shape) x (bytes per number) bytes.
``__metadata__`` is optional and maps strings to strings.

In Python a tensor is a nested list of floats: shape [2, 3] is a list of 2
lists of 3 floats, shape [] (a scalar) is a bare float, shape [0] is ``[]``.
An empty list has no inner shape, so [[], []] is shape [2, 0] but shape
[0, 3] reads back as ``[]``; ``read_header`` gives every shape exactly.

Numbers are F64 (binary64, Python's float) or F32 (binary32) on writing; on
reading also F16 (binary16) and BF16 (the upper half of an F32). NaN, the
infinities and -0.0 are kept bit for bit, NaN payloads included. A bare int
is a count, such as BatchNorm1d's ``num_batches_tracked`` in a state_dict,
and is written as PyTorch keeps it: I64 (a signed 64-bit integer) of shape
[]; I64 tensors read back as ints. Anything malformed raises
``SafetensorError``, a ``ValueError``. The lesson, with why the format exists
instead of pickle, is docs/safetensors.md.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from .serialization import write_atomically
from .validation import ArgumentTypeError, is_integer, is_number

HEADER_LENGTH_BYTES = 8
# The official library's limit: a header longer than this is refused before it is read.
MAX_HEADER_BYTES = 100_000_000
METADATA_KEY = "__metadata__"
# Shapes and offsets are unsigned 64-bit integers in the official library.
LARGEST_SIZE = 2**64 - 1
# NumPy's own limit on dimensions; it also bounds how deep the nested lists of a crafted file can go.
MAX_DIMENSIONS = 64
# An empty tensor of shape [r, 0] reads as r empty lists; without a bound a 100-byte file could ask for 2**64.
MAX_EMPTY_LISTS = 1_000_000

# The dtypes purenet reads, with their bytes per number: floats to compute with, and PyTorch's integer for counts.
FLOAT_DTYPES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2}
INTEGER_DTYPES = {"I64": 8}
READ_DTYPES = {**FLOAT_DTYPES, **INTEGER_DTYPES}
# struct's format and the fraction's bits for each; BF16 has no struct format, it is read as the top half of an F32.
STRUCT_FORMATS = {"F64": "d", "F32": "f", "F16": "e"}
FRACTION_BITS = {"F64": 52, "F32": 23, "F16": 10}
WRITE_DTYPES = ("F64", "F32")
# The official library lays a file out by dtype, in this order (its Dtype enum, descending), then by name;
# writing in the same order gives the same bytes.
LAYOUT_ORDER = ("I64", "F64", "F32")
# I64's range: a bare int outside it cannot be written.
INT64_RANGE = (-(2**63), 2**63 - 1)
# The official library's other dtypes: valid in a file, but not numbers purenet computes or counts with.
OTHER_DTYPES = (
    "BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "U64", "C64",
    "F4", "F6_E2M3", "F6_E3M2", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ",
)
TENSOR_KEYS = ("dtype", "shape", "data_offsets")
# The largest finite F32, (2 - 2**-23) * 2**127: struct refuses what would round beyond it.
FLOAT32_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]


class SafetensorError(ValueError):
    """A safetensors file that cannot be read: truncated, corrupt, or inconsistent (the official library's name)."""


@dataclass(frozen=True)
class TensorInfo:
    """One tensor's header entry: its dtype name, its shape and its [begin, end) bytes in the buffer."""

    dtype: str
    shape: tuple[int, ...]
    data_offsets: tuple[int, int]


@dataclass(frozen=True)
class Header:
    """A validated header: the tensors in file order, the metadata, and where the buffer starts in the file."""

    tensors: dict[str, TensorInfo]
    metadata: dict[str, str]
    buffer_start: int


# --- writing -----------------------------------------------------------------


def save(tensors: Mapping[str, object], metadata: Mapping[str, str] | None = None, dtype: str = "F64") -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name -> nested list of numbers, or one number).

    Every tensor is written as ``dtype``, "F64" (exact for Python floats) or
    "F32" (rounded to nearest; a finite number beyond F32's range is refused
    rather than turned into infinity), except a bare int: a count such as
    a state_dict's ``num_batches_tracked``, written as I64 of shape [] as
    PyTorch keeps it (ints inside lists become floats). Tensors are laid out
    as the official library lays them out, I64 first and then by name, and
    ``metadata`` keys are sorted, so the same tensors always give the same
    bytes, the official library's.
    """
    if not isinstance(tensors, Mapping):
        raise ArgumentTypeError(f"save: tensors must be a dict of name -> nested list, got {type(tensors).__name__}")
    if dtype not in WRITE_DTYPES:
        raise ValueError(f"save: dtype must be one of {', '.join(WRITE_DTYPES)}, got {dtype!r}")
    for name in tensors:
        _check_text(name, "save: tensor name")
        if name == METADATA_KEY:
            raise ValueError(f"save: {METADATA_KEY!r} cannot name a tensor, the header keeps it for the metadata")
    header: dict[str, object] = {}
    if metadata is not None:
        if not isinstance(metadata, Mapping):
            raise ArgumentTypeError(
                f"save: metadata must be a dict of str -> str or None, got {type(metadata).__name__}"
            )
        for key, value in metadata.items():
            _check_text(key, "save: metadata key")
            _check_text(value, f"save: metadata[{key!r}]")
        header[METADATA_KEY] = {key: metadata[key] for key in sorted(metadata)}
    entries = []
    for name in sorted(tensors):
        where = f"save: tensors[{name!r}]"
        if is_integer(tensors[name]):
            entries.append((name, "I64", (), _encode_int64(tensors[name], where)))
            continue
        shape, values = shape_and_values(tensors[name], where)
        entries.append((name, dtype, shape, _encode(values, shape, dtype, where)))
    entries.sort(key=lambda entry: LAYOUT_ORDER.index(entry[1]))  # stable: by name within a dtype
    chunks = []
    offset = 0
    for name, tensor_dtype, shape, chunk in entries:
        header[name] = {"dtype": tensor_dtype, "shape": list(shape), "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Spaces up to a multiple of 8 keep the buffer 8-byte aligned, so a reader can map F64 numbers in place.
    text += b" " * (-len(text) % HEADER_LENGTH_BYTES)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(
    tensors: Mapping[str, object],
    path: str | os.PathLike,
    metadata: Mapping[str, str] | None = None,
    dtype: str = "F64",
) -> None:
    """Write ``save(tensors, metadata, dtype)`` to ``path`` atomically: a crash leaves any old file whole."""
    data = save(tensors, metadata, dtype)
    write_atomically(path, data)


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{what} must be a str, got {type(value).__name__} ({value!r})")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} must be writable as UTF-8, got {value!r} (a lone surrogate)") from None


def shape_and_values(tensor: object, where: str = "tensor") -> tuple[tuple[int, ...], list[float]]:
    """The shape of a nested list of numbers and its numbers in row-major order, as floats.

    A bare number is shape (); every list at one depth must have the same
    length (the tensor is rectangular). Ints become floats; bools are refused.
    """
    shape = []
    probe = tensor
    while isinstance(probe, (list, tuple)):
        shape.append(len(probe))
        if len(shape) > MAX_DIMENSIONS:
            raise ValueError(f"{where} has more than {MAX_DIMENSIONS} dimensions")
        if not probe:
            break
        probe = probe[0]
    # Flatten one depth at a time; the index of an item follows from its position and the shape.
    level = [tensor]
    for depth, size in enumerate(shape):
        flattened = []
        for position, item in enumerate(level):
            if not isinstance(item, (list, tuple)) or len(item) != size:
                found = f"{len(item)} entries" if isinstance(item, (list, tuple)) else f"{type(item).__name__} {item!r}"
                raise ValueError(
                    f"{where}{_index(position, shape[:depth])} must be a list of {size} entries "
                    f"(the tensor must be rectangular, shape {list(shape)}), got {found}"
                )
            flattened.extend(item)
        level = flattened
    values = []
    for position, value in enumerate(level):
        if not is_number(value):
            raise ArgumentTypeError(
                f"{where}{_index(position, shape)} must be a number (int or float), "
                f"got {type(value).__name__} {value!r}"
            )
        try:
            values.append(float(value))
        except OverflowError:
            raise ValueError(f"{where}{_index(position, shape)} is an int too large for a float: {value}") from None
    return tuple(shape), values


def _index(position: int, shape: list[int]) -> str:
    """'[i][j]...' for the item at ``position`` of a row-major array of ``shape``."""
    indices = []
    for size in reversed(shape):
        position, index = divmod(position, size)
        indices.append(index)
    return "".join(f"[{index}]" for index in reversed(indices))


def _encode(values: list[float], shape: tuple[int, ...], dtype: str, where: str) -> bytes:
    if dtype == "F64":
        # struct copies a Python float's 8 bytes as they are: every value, NaN payloads included, exactly.
        return struct.pack(f"<{len(values)}d", *values)
    # F32: struct rounds to nearest, but may change a NaN's payload, so NaNs are written from their bits.
    try:
        data = bytearray(struct.pack(f"<{len(values)}f", *(0.0 if math.isnan(value) else value for value in values)))
    except OverflowError:
        for position, value in enumerate(values):
            try:
                struct.pack("<f", value)
            except OverflowError:
                raise ValueError(
                    f"{where}{_index(position, list(shape))} is {value!r}, beyond the largest F32 ({FLOAT32_MAX!r}); "
                    "save it as F64, or scale the values"
                ) from None
        raise
    for position, value in enumerate(values):
        if math.isnan(value):
            struct.pack_into("<I", data, 4 * position, float32_nan_bits(value))
    return bytes(data)


def _encode_int64(value: int, where: str) -> bytes:
    """A count as I64: 8 bytes, little-endian two's complement (struct's "q")."""
    lowest, highest = INT64_RANGE
    if not lowest <= value <= highest:
        # An int of thousands of digits is beyond what Python turns into text: its size is shown instead.
        shown = value if value.bit_length() <= 64 else f"an int of {value.bit_length()} bits"
        raise ValueError(f"{where} is {shown}, outside I64's range [-2**63, 2**63 - 1]")
    return struct.pack("<q", value)


def float32_nan_bits(value: float) -> int:
    """The F32 bits of a NaN: the F64's sign and the top 23 bits of its 52-bit fraction (its payload).

    If those 23 bits are all zero the pattern would read as infinity, so the
    quiet bit is set instead, as a processor does.
    """
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    fraction = (bits >> 29) & 0x7FFFFF
    return (bits >> 63) << 31 | 0x7F800000 | (fraction or 0x400000)


# --- reading -----------------------------------------------------------------


def load(data: bytes | bytearray) -> dict[str, object]:
    """The tensors of a safetensors file's bytes: name -> nested list of floats (a float for shape []).

    An I64 tensor holds ints instead (a bare int for shape [], as a count).
    """
    header = read_header(data)
    tensors = {}
    for name, info in header.tensors.items():
        begin, end = info.data_offsets
        values = _decode(data[header.buffer_start + begin : header.buffer_start + end], info.dtype)
        tensors[name] = nest(values, info.shape)
    return tensors


def load_file(path: str | os.PathLike) -> dict[str, object]:
    """The tensors of the safetensors file at ``path``; raises ``SafetensorError`` if anything is off."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        raise SafetensorError(f"{path}: no such safetensors file") from None
    except OSError as error:
        raise SafetensorError(f"{path}: cannot read the file ({error})") from None
    try:
        return load(data)
    except SafetensorError as error:
        raise SafetensorError(f"{path}: {error}") from None


def read_header(data: bytes | bytearray) -> Header:
    """Parse and validate the header of a safetensors file's bytes (every check ``load`` relies on)."""
    if not isinstance(data, (bytes, bytearray)):
        raise ArgumentTypeError(f"read_header: data must be bytes, got {type(data).__name__}")
    if len(data) < HEADER_LENGTH_BYTES:
        raise SafetensorError(
            f"the file is {len(data)} bytes, too short for the {HEADER_LENGTH_BYTES}-byte header length; "
            "it may be truncated or not a safetensors file"
        )
    length = struct.unpack("<Q", data[:HEADER_LENGTH_BYTES])[0]
    if length > MAX_HEADER_BYTES:
        raise SafetensorError(
            f"the header length field says {length} bytes, more than the {MAX_HEADER_BYTES} a header may have; "
            "the file is corrupt or not a safetensors file"
        )
    buffer_start = HEADER_LENGTH_BYTES + length
    if buffer_start > len(data):
        raise SafetensorError(
            f"the header length field says {length} bytes, but only {len(data) - HEADER_LENGTH_BYTES} follow it; "
            "the file may be truncated"
        )
    try:
        text = bytes(data[HEADER_LENGTH_BYTES:buffer_start]).decode("utf-8")
    except UnicodeDecodeError as error:
        raise SafetensorError(f"the header is not UTF-8 text ({error})") from None
    parsed = _parse_json(text)
    if not isinstance(parsed, dict):
        raise SafetensorError(f"the header must be a JSON object, got {type(parsed).__name__}")
    metadata = _read_metadata(parsed.get(METADATA_KEY))
    tensors = {name: _read_entry(name, entry) for name, entry in parsed.items() if name != METADATA_KEY}
    _check_layout(tensors, len(data) - buffer_start)
    return Header(tensors=tensors, metadata=metadata, buffer_start=buffer_start)


def _parse_json(text: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant)
    except SafetensorError:
        raise
    except json.JSONDecodeError as error:
        raise SafetensorError(
            f"the header is not valid JSON at line {error.lineno}, column {error.colno} ({error.msg})"
        ) from None
    except (ValueError, RecursionError) as error:
        # ValueError: an integer of thousands of digits; RecursionError: lists nested thousands deep.
        raise SafetensorError(f"the header is not a safetensors header ({type(error).__name__}: {error})") from None


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = {}
    for key, value in pairs:
        if key in result:
            # json would keep the last one silently; which tensor is meant is then a guess.
            raise SafetensorError(f"the header has the key {key!r} twice")
        result[key] = value
    return result


def _refuse_constant(name: str) -> object:
    raise SafetensorError(f"the header contains {name}, which is not JSON")


def _check_header_text(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SafetensorError(f"{what} {value!r} holds a lone surrogate, which is not UTF-8 text") from None


def _read_metadata(metadata: object) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise SafetensorError(f"{METADATA_KEY!r} must be an object of strings, got {type(metadata).__name__}")
    for key, value in metadata.items():
        _check_header_text(key, "the metadata key")
        if not isinstance(value, str):
            raise SafetensorError(
                f"metadata values must be strings, got {type(value).__name__} {value!r} for key {key!r}"
            )
        _check_header_text(value, f"the metadata value of {key!r}")
    return metadata


def _read_entry(name: str, entry: object) -> TensorInfo:
    _check_header_text(name, "the tensor name")
    where = f"tensor {name!r}"
    if not isinstance(entry, dict):
        raise SafetensorError(f"{where} must be an object with {', '.join(TENSOR_KEYS)}, got {type(entry).__name__}")
    if set(entry) != set(TENSOR_KEYS):
        raise SafetensorError(f"{where} must have exactly the keys {list(TENSOR_KEYS)}, got {list(entry)}")
    dtype = entry["dtype"]
    if not isinstance(dtype, str) or dtype not in READ_DTYPES:
        if dtype in OTHER_DTYPES:
            raise SafetensorError(
                f"{where} has dtype {dtype}, a safetensors dtype purenet does not read; "
                f"it reads {', '.join(READ_DTYPES)}"
            )
        raise SafetensorError(
            f"{where} has unknown dtype {dtype!r}; safetensors dtypes are {', '.join((*READ_DTYPES, *OTHER_DTYPES))}"
        )
    shape = entry["shape"]
    if not isinstance(shape, list) or not all(is_integer(size) and 0 <= size <= LARGEST_SIZE for size in shape):
        raise SafetensorError(f"{where} shape must be a list of non-negative integers, got {shape!r}")
    if len(shape) > MAX_DIMENSIONS:
        raise SafetensorError(f"{where} has {len(shape)} dimensions; purenet reads at most {MAX_DIMENSIONS}")
    offsets = entry["data_offsets"]
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(is_integer(offset) and 0 <= offset <= LARGEST_SIZE for offset in offsets)
        or offsets[0] > offsets[1]
    ):
        raise SafetensorError(f"{where} data_offsets must be [begin, end] with 0 <= begin <= end, got {offsets!r}")
    count = 1
    for size in shape:
        count *= size
        # In order, as the official library multiplies: it refuses a product that leaves 64 bits on the way.
        if count > LARGEST_SIZE:
            raise SafetensorError(f"{where} shape {shape} has more than 2**64 numbers")
    expected = count * READ_DTYPES[dtype]
    if offsets[1] - offsets[0] != expected:
        raise SafetensorError(
            f"{where} spans {offsets[1] - offsets[0]} bytes ({offsets}), but shape {shape} of {dtype} "
            f"needs {count} x {READ_DTYPES[dtype]} = {expected}"
        )
    return TensorInfo(dtype=dtype, shape=tuple(shape), data_offsets=(offsets[0], offsets[1]))


def _check_layout(tensors: dict[str, TensorInfo], buffer_length: int) -> None:
    """Sorted by offsets, each tensor begins where the previous one ends, and the last ends with the file."""
    end, previous = 0, None
    for name, info in sorted(tensors.items(), key=lambda item: item[1].data_offsets):
        begin = info.data_offsets[0]
        if begin != end:
            if previous is None:
                relation = f"the buffer starts at 0: {begin} bytes belong to no tensor"
            elif begin > end:
                relation = f"{previous!r} ends at {end}: the bytes between belong to no tensor"
            else:
                relation = f"{previous!r} ends at {end}: they overlap"
            raise SafetensorError(f"tensor {name!r} begins at byte {begin} of the buffer, but {relation}")
        end, previous = info.data_offsets[1], name
    if end > buffer_length:
        raise SafetensorError(
            f"the tensors end at byte {end} of the buffer, but it holds {buffer_length} bytes; "
            "the file may be truncated"
        )
    if end < buffer_length:
        raise SafetensorError(
            f"{buffer_length - end} bytes follow the last tensor (at byte {end} of the buffer) and belong to no tensor"
        )


def _decode(chunk: bytes, dtype: str) -> list[float] | list[int]:
    if dtype == "I64":
        return list(struct.unpack(f"<{len(chunk) // 8}q", chunk))
    if dtype == "BF16":
        # BF16 is the upper half of an F32: shift each 16-bit pattern up and read it as an F32.
        count = len(chunk) // 2
        chunk = struct.pack(f"<{count}I", *(upper << 16 for upper in struct.unpack(f"<{count}H", chunk)))
        dtype = "F32"
    size, fraction_bits = FLOAT_DTYPES[dtype], FRACTION_BITS[dtype]
    values = list(struct.unpack(f"<{len(chunk) // size}{STRUCT_FORMATS[dtype]}", chunk))
    if dtype != "F64":
        # Widening keeps every number exactly, but struct may quiet a NaN or drop its payload; rebuild NaNs from bits.
        for position, value in enumerate(values):
            if math.isnan(value):
                bits = int.from_bytes(chunk[size * position : size * (position + 1)], "little")
                sign, fraction = bits >> (8 * size - 1), bits & ((1 << fraction_bits) - 1)
                values[position] = _float64_nan(sign, fraction, fraction_bits)
    return values


def _float64_nan(sign: int, fraction: int, fraction_bits: int) -> float:
    """The F64 NaN with this sign and this payload in the top bits of its 52-bit fraction."""
    bits = sign << 63 | 0x7FF << 52 | fraction << (52 - fraction_bits)
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def nest(values: list[float], shape: tuple[int, ...]) -> object:
    """Row-major ``values`` as nested lists of ``shape``; a bare float for shape ()."""
    if not shape:
        return values[0]
    # prefix[depth] is how many lists there are at that depth: the product of the sizes above it.
    prefix = [1]
    for size in shape[:-1]:
        prefix.append(prefix[-1] * size)
    if not values and sum(prefix[1:]) > MAX_EMPTY_LISTS:
        raise SafetensorError(
            f"an empty tensor of shape {list(shape)} would read as {sum(prefix[1:])} nested empty lists; "
            f"purenet builds at most {MAX_EMPTY_LISTS}"
        )
    nested: list = values
    for depth in range(len(shape) - 1, 0, -1):
        size = shape[depth]
        nested = [nested[index * size : (index + 1) * size] for index in range(prefix[depth])]
    return nested
