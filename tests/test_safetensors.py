"""Tests for purenet.safetensors with the standard library only: byte layouts packed by hand, exact round
trips, every malformed file, and a seeded fuzzer. tests/test_safetensors_official.py checks the same files
against the official library where it is installed."""

import json
import math
import os
import random
import stat
import struct

import pytest

from purenet import safetensors
from purenet.safetensors import SafetensorError


def file_bytes(header, buffer=b""):
    """A safetensors file put together by hand: the 8-byte length, the header as given, the buffer."""
    text = header.encode("utf-8") if isinstance(header, str) else header
    return struct.pack("<Q", len(text)) + text + buffer


def float_bits(value):
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def float_from_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def same_bits(left, right):
    """Nested lists (or numbers) equal bit for bit: -0.0 is not 0.0, and NaNs compare by their bits."""
    if isinstance(left, list):
        return isinstance(right, list) and len(left) == len(right) and all(map(same_bits, left, right))
    return isinstance(right, float) and float_bits(left) == float_bits(right)


def binary_value(bits, exponent_bits, fraction_bits):
    """The value of an IEEE-style binary float from its bits, by the textbook formula (NaN as math.nan)."""
    sign = -1.0 if bits >> (exponent_bits + fraction_bits) else 1.0
    exponent = (bits >> fraction_bits) & ((1 << exponent_bits) - 1)
    fraction = bits & ((1 << fraction_bits) - 1)
    bias = (1 << (exponent_bits - 1)) - 1
    if exponent == (1 << exponent_bits) - 1:
        return sign * math.inf if fraction == 0 else math.nan
    if exponent == 0:
        return sign * math.ldexp(fraction, 1 - bias - fraction_bits)
    return sign * math.ldexp(fraction + (1 << fraction_bits), exponent - bias - fraction_bits)


# --- the layout, byte by byte ------------------------------------------------------------------


def test_a_small_file_byte_by_byte():
    data = safetensors.save({"b": [1.0, -2.0], "a": 0.5}, metadata={"k": "v"})
    header = (
        '{"__metadata__":{"k":"v"},'
        '"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},'
        '"b":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}}'
    )
    assert len(header) == 132  # so four spaces pad it to 136, a multiple of 8
    expected = (
        b"\x88\x00\x00\x00\x00\x00\x00\x00"  # 136, little-endian
        + header.encode("ascii")
        + b"    "
        + b"\x00\x00\x00\x00\x00\x00\xe0\x3f"  # 0.5
        + b"\x00\x00\x00\x00\x00\x00\xf0\x3f"  # 1.0
        + b"\x00\x00\x00\x00\x00\x00\x00\xc0"  # -2.0
    )
    assert data == expected


def test_float32_layout_and_no_metadata():
    data = safetensors.save({"w": [[1.0, -0.0], [0.1, 3]]}, dtype="F32")
    header = '{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}'
    padding = b" " * (-len(header) % 8)
    numbers = b"\x00\x00\x80\x3f" + b"\x00\x00\x00\x80" + struct.pack("<f", 0.1) + b"\x00\x00\x40\x40"
    assert data == struct.pack("<Q", len(header) + len(padding)) + header.encode() + padding + numbers
    assert struct.pack("<f", 0.1) == b"\xcd\xcc\xcc\x3d"  # 0.1 rounded to the nearest F32


def test_empty_file_and_empty_metadata():
    assert safetensors.save({}) == b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "
    assert safetensors.save({}, metadata={}) == file_bytes('{"__metadata__":{}}     ')


def test_names_and_metadata_are_utf8_json_and_keys_are_sorted():
    data = safetensors.save({"é\"": 1.0, "Z": 2.0, "a": 3.0}, metadata={"z": "ü\n", "a": "1"})
    length = struct.unpack("<Q", data[:8])[0]
    text = data[8 : 8 + length].decode("utf-8")
    assert text.startswith('{"__metadata__":{"a":"1","z":"ü\\n"},"Z":')  # raw UTF-8, JSON escapes
    assert list(json.loads(text)) == ["__metadata__", "Z", "a", "é\""]  # code point order, as UTF-8 bytes sort
    assert json.loads(text)["é\""]["data_offsets"] == [16, 24]


def test_every_header_is_padded_to_eight_bytes():
    for length in range(12):
        data = safetensors.save({"x" * length: [1.0]})
        header_length = struct.unpack("<Q", data[:8])[0]
        assert header_length % 8 == 0
        assert data[8 : 8 + header_length].rstrip(b" ").endswith(b"}")
        assert data[8 + header_length :] == struct.pack("<d", 1.0)


# --- round trips -------------------------------------------------------------------------------


SPECIAL_FLOATS = [0.0, -0.0, 5e-324, -2.5e-310, 1e308, 0.1 + 0.2, 1.0 / 3.0, math.inf, -math.inf, math.nan]


def test_round_trip_float64_is_bit_for_bit(tmp_path):
    tensors = {
        "0.weight": [[0.1, -0.2, 1e-300], [5e-324, -0.0, math.pi]],
        "0.bias": [1e308, -1.5],
        "scalar": 42.0,
        "special": SPECIAL_FLOATS,
        "cube": [[[float(i * 6 + j * 3 + k) for k in range(3)] for j in range(2)] for i in range(4)],
        "empty": [],
        "no columns": [[], [], []],
    }
    path = tmp_path / "model.safetensors"
    safetensors.save_file(tensors, path, metadata={"epochs": "10"})
    loaded = safetensors.load_file(path)
    assert sorted(loaded) == sorted(tensors)
    for name, tensor in tensors.items():
        assert same_bits(loaded[name], tensor), name
    header = safetensors.read_header(path.read_bytes())
    assert header.metadata == {"epochs": "10"}
    assert header.tensors["cube"].shape == (4, 2, 3)
    assert header.tensors["scalar"].shape == ()
    assert header.tensors["no columns"].shape == (3, 0)
    begin, end = header.tensors["empty"].data_offsets
    assert header.tensors["empty"] == safetensors.TensorInfo("F64", (0,), (begin, begin))


def test_round_trip_of_nan_payloads_in_float64():
    payloads = [0x7FF8000000000000, 0xFFF8000000000123, 0x7FF0000000000001, 0xFFFFFFFFFFFFFFFF]
    values = [float_from_bits(bits) for bits in payloads]
    data = safetensors.save({"nan": values})
    assert data.endswith(struct.pack("<4Q", *payloads))
    assert [float_bits(value) for value in safetensors.load(data)["nan"]] == payloads


def test_random_float64_and_float32_bit_patterns_round_trip_exactly():
    rng = random.Random(14)
    float64_bits = [rng.getrandbits(64) for _ in range(5000)]
    data = file_bytes('{"x":{"dtype":"F64","shape":[5000],"data_offsets":[0,40000]}}', struct.pack("<5000Q", *float64_bits))
    assert [float_bits(value) for value in safetensors.load(data)["x"]] == float64_bits
    float32_bits = [rng.getrandbits(32) for _ in range(5000)]
    float32_bits += [0x7F800001, 0xFFBFFFFF, 0x7FC00000, 0xFFFFFFFF, 0x00000001, 0x80000000, 0x7F7FFFFF, 0x7F800000]
    count = len(float32_bits)
    buffer = struct.pack(f"<{count}I", *float32_bits)
    data = file_bytes(f'{{"x":{{"dtype":"F32","shape":[{count}],"data_offsets":[0,{4 * count}]}}}}', buffer)
    loaded = safetensors.load(data)["x"]
    assert safetensors.save({"x": loaded}, dtype="F32").endswith(buffer)  # signalling NaNs stay signalling


def test_float32_nan_payloads_sit_in_the_top_of_the_float64_fraction():
    data = file_bytes('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', struct.pack("<2I", 0x7F800001, 0xFFC00123))
    assert [float_bits(value) for value in safetensors.load(data)["x"]] == [0x7FF0000020000000, 0xFFF8002460000000]
    # A float64 NaN whose payload lies below F32's 23 bits keeps its sign and becomes a quiet NaN.
    assert safetensors.float32_nan_bits(float_from_bits(0xFFF0000000000001)) == 0xFFC00000
    assert safetensors.float32_nan_bits(float_from_bits(0x7FF8000000000000)) == 0x7FC00000


def test_float32_rounds_to_nearest_even_and_refuses_overflow():
    data = safetensors.save({"x": [1.0 + 2.0**-24, 1.0 + 3 * 2.0**-24, 3.4028235e38, -math.inf, 1e-50]}, dtype="F32")
    assert safetensors.load(data)["x"] == [1.0, 1.0 + 2.0**-22, safetensors.FLOAT32_MAX, -math.inf, 0.0]
    assert safetensors.FLOAT32_MAX == (2 - 2.0**-23) * 2.0**127
    with pytest.raises(ValueError, match=r"save: tensors\['x'\]\[1\]\[0\] is -1e\+39, beyond the largest F32"):
        safetensors.save({"x": [[1.0], [-1e39]]}, dtype="F32")


def test_float16_decodes_every_bit_pattern_by_the_textbook_formula():
    patterns = list(range(1 << 16))
    data = file_bytes('{"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]}}', struct.pack("<65536H", *patterns))
    values = safetensors.load(data)["h"]
    for bits, value in zip(patterns, values):
        expected = binary_value(bits, 5, 10)
        if math.isnan(expected):
            assert float_bits(value) == (bits >> 15) << 63 | 0x7FF << 52 | (bits & 0x3FF) << 42, hex(bits)
        else:
            assert value.hex() == expected.hex(), hex(bits)
    assert values[0x3C00] == 1.0 and values[0x7BFF] == 65504.0 and values[0x0001] == 2.0**-24


def test_bfloat16_decodes_every_bit_pattern_by_the_textbook_formula():
    patterns = list(range(1 << 16))
    data = file_bytes('{"b":{"dtype":"BF16","shape":[65536],"data_offsets":[0,131072]}}', struct.pack("<65536H", *patterns))
    values = safetensors.load(data)["b"]
    for bits, value in zip(patterns, values):
        expected = binary_value(bits, 8, 7)
        if math.isnan(expected):
            assert float_bits(value) == (bits >> 15) << 63 | 0x7FF << 52 | (bits & 0x7F) << 45, hex(bits)
        else:
            assert value.hex() == expected.hex(), hex(bits)
    assert values[0x3F80] == 1.0 and values[0x4049] == 3.140625 and values[0xFF80] == -math.inf


def test_ints_and_tuples_become_floats():
    loaded = safetensors.load(safetensors.save({"x": ((1, 2), (3, 4)), "n": 7.0}))
    assert loaded == {"n": 7.0, "x": [[1.0, 2.0], [3.0, 4.0]]}
    assert all(isinstance(value, float) for row in loaded["x"] for value in [*row, loaded["n"]])


def test_a_bare_int_is_a_count_written_as_int64_of_shape_nothing():
    """A state_dict's num_batches_tracked: PyTorch keeps it as a 0-dimensional int64, and so does the file."""
    for dtype in ("F64", "F32"):
        data = safetensors.save({"1.num_batches_tracked": 12, "1.weight": [1.0], "n": -(2**63)}, dtype=dtype)
        header = safetensors.read_header(data)
        assert header.tensors["1.num_batches_tracked"] == safetensors.TensorInfo("I64", (), (0, 8))
        assert header.tensors["n"] == safetensors.TensorInfo("I64", (), (8, 16))  # I64 first, then by name
        assert header.tensors["1.weight"].dtype == dtype and header.tensors["1.weight"].data_offsets[0] == 16
        assert data[header.buffer_start : header.buffer_start + 16] == struct.pack("<qq", 12, -(2**63))
        loaded = safetensors.load(data)
        assert loaded == {"1.num_batches_tracked": 12, "1.weight": [1.0], "n": -(2**63)}
        assert type(loaded["1.num_batches_tracked"]) is int
    with pytest.raises(ValueError, match=r"tensors\['n'\] is 9223372036854775808, outside I64's range"):
        safetensors.save({"n": 2**63})
    with pytest.raises(ValueError, match=r"tensors\['n'\] is -9223372036854775809, outside I64's range"):
        safetensors.save({"n": -(2**63) - 1})
    with pytest.raises(ValueError, match=r"tensors\['n'\] is an int of 16610 bits, outside I64's range"):
        safetensors.save({"n": -(10**5000)})


def test_an_empty_tensor_without_rows_reads_back_as_an_empty_list():
    data = file_bytes('{"x":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"y":{"dtype":"F64","shape":[2,0,4],"data_offsets":[0,0]}}')
    assert safetensors.load(data) == {"x": [], "y": [[], []]}
    assert safetensors.read_header(data).tensors["x"].shape == (0, 3)


def test_the_limits_on_dimensions_and_empty_lists_are_exact():
    tensor = 1.5
    for _ in range(safetensors.MAX_DIMENSIONS):
        tensor = [tensor]
    data = safetensors.save({"deep": tensor})
    assert safetensors.read_header(data).tensors["deep"].shape == (1,) * 64
    assert safetensors.load(data) == {"deep": tensor}
    largest = file_bytes("{" + entry(shape="[1000000,0]", offsets="[0,0]") + "}")
    assert len(safetensors.load(largest)["x"]) == safetensors.MAX_EMPTY_LISTS == 1_000_000
    with pytest.raises(SafetensorError, match="would read as 1000001 nested empty lists"):
        safetensors.load(file_bytes("{" + entry(shape="[1000001,0]", offsets="[0,0]") + "}"))


# --- writing atomically ------------------------------------------------------------------------


def test_save_file_writes_mode_0644_and_overwrites_leaving_no_temporary_file(tmp_path):
    path = tmp_path / "weights.safetensors"
    safetensors.save_file({"x": [1.0]}, str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    safetensors.save_file({"x": [2.0]}, path)
    assert safetensors.load_file(path) == {"x": [2.0]}
    assert os.listdir(tmp_path) == ["weights.safetensors"]


def test_a_failed_rename_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "weights.safetensors"
    safetensors.save_file({"x": [1.0]}, path)
    old = path.read_bytes()

    def failing_replace(source, destination):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        safetensors.save_file({"x": [2.0]}, path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["weights.safetensors"], "the temporary file must be removed"


def test_a_bad_tensor_writes_nothing(tmp_path):
    with pytest.raises(ValueError):
        safetensors.save_file({"x": [1.0, "2"]}, tmp_path / "weights.safetensors")
    assert os.listdir(tmp_path) == []


# --- refusing bad input on save ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tensors", "metadata", "dtype", "error", "message"),
    [
        ([1.0], None, "F64", TypeError, r"tensors must be a dict of name -> nested list, got list"),
        ({1: [1.0]}, None, "F64", TypeError, r"tensor name must be a str, got int \(1\)"),
        ({"\ud800": [1.0]}, None, "F64", ValueError, r"tensor name must be writable as UTF-8"),
        ({"__metadata__": [1.0]}, None, "F64", ValueError, r"'__metadata__' cannot name a tensor"),
        ({"x": [[1.0, 2.0], [3.0]]}, None, "F64", ValueError, r"tensors\['x'\]\[1\] must be a list of 2 entries .*shape \[2, 2\].*got 1 entries"),
        ({"x": [1.0, [2.0]]}, None, "F64", TypeError, r"tensors\['x'\]\[1\] must be a number \(int or float\), got list"),
        ({"x": [[1.0], 2.0]}, None, "F64", ValueError, r"tensors\['x'\]\[1\] must be a list of 1 entries .*got float 2.0"),
        ({"x": [[True, 0.0]]}, None, "F64", TypeError, r"tensors\['x'\]\[0\]\[0\] must be a number \(int or float\), got bool True"),
        ({"x": ["1.0"]}, None, "F64", TypeError, r"tensors\['x'\]\[0\] must be a number .* got str '1.0'"),
        ({"x": None}, None, "F64", TypeError, r"tensors\['x'\] must be a number .* got NoneType None"),
        ({"x": [10**400]}, None, "F64", ValueError, r"tensors\['x'\]\[0\] is an int too large for a float"),
        ({"x": [1.0]}, ["a"], "F64", TypeError, r"metadata must be a dict of str -> str or None, got list"),
        ({"x": [1.0]}, {"epochs": 10}, "F64", TypeError, r"metadata\['epochs'\] must be a str, got int \(10\)"),
        ({"x": [1.0]}, {3: "a"}, "F64", TypeError, r"metadata key must be a str, got int"),
        ({"x": [1.0]}, None, "F16", ValueError, r"dtype must be one of F64, F32, got 'F16'"),
        ({"x": [1.0]}, None, "f64", ValueError, r"dtype must be one of F64, F32, got 'f64'"),
    ],
)
def test_save_refuses_bad_input_clearly(tensors, metadata, dtype, error, message):
    with pytest.raises(error, match=message):
        safetensors.save(tensors, metadata=metadata, dtype=dtype)


def test_save_refuses_more_dimensions_than_numpy_allows():
    tensor = 1.0
    for _ in range(safetensors.MAX_DIMENSIONS + 1):
        tensor = [tensor]
    with pytest.raises(ValueError, match="more than 64 dimensions"):
        safetensors.save({"deep": tensor})


# --- refusing malformed files ------------------------------------------------------------------


ONE = '"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}'
EIGHT = struct.pack("<d", 1.5)


def entry(name="x", dtype='"F64"', shape="[1]", offsets="[0,8]"):
    return f'"{name}":{{"dtype":{dtype},"shape":{shape},"data_offsets":{offsets}}}'


MALFORMED = {
    "empty file": (b"", r"the file is 0 bytes, too short for the 8-byte header length"),
    "seven bytes": (b"\x08\x00\x00\x00\x00\x00\x00", r"the file is 7 bytes"),
    "length beyond the file": (struct.pack("<Q", 64) + b"{}", r"says 64 bytes, but only 2 follow it"),
    "length of 2**64 - 1": (struct.pack("<Q", 2**64 - 1) + b"{}", r"says 18446744073709551615 bytes, more than the 100000000"),
    "header of 100 MB + 1": (struct.pack("<Q", 100_000_001) + b"{}", r"more than the 100000000 a header may have"),
    "not UTF-8": (file_bytes(b'{"\xff":1}'), r"the header is not UTF-8 text"),
    "not JSON": (file_bytes("{x}"), r"not valid JSON at line 1, column 2"),
    "padded with zero bytes": (file_bytes("{}\x00", b""), r"not valid JSON .*Extra data"),
    "empty header": (file_bytes(""), r"not valid JSON"),
    "a list": (file_bytes("[]"), r"the header must be a JSON object, got list"),
    "a string": (file_bytes('"x"'), r"the header must be a JSON object, got str"),
    "NaN literal": (file_bytes('{"__metadata__":{"a":NaN}}'), r"contains NaN, which is not JSON"),
    "duplicate tensor": (file_bytes("{" + ONE + "," + ONE + "}", EIGHT), r"the key 'x' twice"),
    "duplicate field": (file_bytes('{"x":{"dtype":"F64","dtype":"F64","shape":[1],"data_offsets":[0,8]}}', EIGHT), r"the key 'dtype' twice"),
    "duplicate metadata key": (file_bytes('{"__metadata__":{"a":"1","a":"2"}}'), r"the key 'a' twice"),
    "metadata not an object": (file_bytes('{"__metadata__":["a"]}'), r"'__metadata__' must be an object of strings, got list"),
    "metadata value not a string": (file_bytes('{"__metadata__":{"epochs":10}}'), r"metadata values must be strings, got int 10 for key 'epochs'"),
    "lone surrogate in metadata": (file_bytes('{"__metadata__":{"a":"\\ud800"}}'), r"lone surrogate"),
    "lone surrogate in a name": (file_bytes("{" + entry(name="\\udc00") + "}", EIGHT), r"the tensor name .* lone surrogate"),
    "entry not an object": (file_bytes('{"x":[0,8]}'), r"tensor 'x' must be an object with dtype, shape, data_offsets, got list"),
    "missing data_offsets": (file_bytes('{"x":{"dtype":"F64","shape":[1]}}', EIGHT), r"exactly the keys \['dtype', 'shape', 'data_offsets'\], got \['dtype', 'shape'\]"),
    "extra key": (file_bytes('{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8],"strides":[1]}}', EIGHT), r"got \['dtype', 'shape', 'data_offsets', 'strides'\]"),
    "lower-case dtype": (file_bytes("{" + entry(dtype='"f64"') + "}", EIGHT), r"unknown dtype 'f64'; safetensors dtypes are F64, F32"),
    "F128": (file_bytes("{" + entry(dtype='"F128"') + "}", EIGHT), r"unknown dtype 'F128'"),
    "dtype a number": (file_bytes("{" + entry(dtype="64") + "}", EIGHT), r"unknown dtype 64"),
    "dtype a list": (file_bytes("{" + entry(dtype='["F64"]') + "}", EIGHT), r"unknown dtype \['F64'\]"),
    "integer dtype": (file_bytes("{" + entry(dtype='"I32"') + "}", EIGHT), r"dtype I32, a safetensors dtype purenet does not read; it reads F64, F32, F16, BF16, I64"),
    "shape not a list": (file_bytes("{" + entry(shape="1") + "}", EIGHT), r"shape must be a list of non-negative integers, got 1"),
    "negative size": (file_bytes("{" + entry(shape="[-1]") + "}", EIGHT), r"non-negative integers, got \[-1\]"),
    "float size": (file_bytes("{" + entry(shape="[1.0]") + "}", EIGHT), r"non-negative integers, got \[1.0\]"),
    "bool size": (file_bytes("{" + entry(shape="[true]") + "}", EIGHT), r"non-negative integers, got \[True\]"),
    "size of 2**64": (file_bytes("{" + entry(shape="[18446744073709551616]") + "}", EIGHT), r"non-negative integers"),
    "65 dimensions": (file_bytes("{" + entry(shape="[" + ",".join(["1"] * 65) + "]") + "}", EIGHT), r"has 65 dimensions; purenet reads at most 64"),
    "shape product leaves 64 bits": (file_bytes("{" + entry(shape=f"[{2**40},{2**40},0]", offsets="[0,0]") + "}"), r"more than 2\*\*64 numbers"),
    "offsets not a list": (file_bytes("{" + entry(offsets='"0-8"') + "}", EIGHT), r"data_offsets must be \[begin, end\] with 0 <= begin <= end, got '0-8'"),
    "three offsets": (file_bytes("{" + entry(offsets="[0,8,8]") + "}", EIGHT), r"data_offsets must be \[begin, end\]"),
    "offsets reversed": (file_bytes("{" + entry(offsets="[8,0]") + "}", EIGHT), r"0 <= begin <= end, got \[8, 0\]"),
    "negative offset": (file_bytes("{" + entry(offsets="[-8,0]") + "}", EIGHT), r"got \[-8, 0\]"),
    "float offset": (file_bytes("{" + entry(offsets="[0,8.0]") + "}", EIGHT), r"got \[0, 8.0\]"),
    "span not shape times size": (file_bytes("{" + entry(shape="[2]") + "}", EIGHT), r"spans 8 bytes \(\[0, 8\]\), but shape \[2\] of F64 needs 2 x 8 = 16"),
    "F32 span of an F64": (file_bytes("{" + entry(dtype='"F32"') + "}", EIGHT), r"needs 1 x 4 = 4"),
    "scalar with no bytes": (file_bytes("{" + entry(shape="[]", offsets="[0,0]") + "}"), r"shape \[\] of F64 needs 1 x 8 = 8"),
    "gap at the start": (file_bytes("{" + entry(offsets="[8,16]") + "}", EIGHT * 2), r"tensor 'x' begins at byte 8 of the buffer, but the buffer starts at 0"),
    "gap between": (file_bytes("{" + entry() + "," + entry(name="y", offsets="[16,24]") + "}", EIGHT * 3), r"tensor 'y' begins at byte 16 .* 'x' ends at 8: the bytes between belong to no tensor"),
    "overlap": (file_bytes("{" + entry(shape="[2]", offsets="[0,16]") + "," + entry(name="y", offsets="[8,16]") + "}", EIGHT * 2), r"tensor 'y' begins at byte 8 .* 'x' ends at 16: they overlap"),
    "same bytes twice": (file_bytes("{" + entry() + "," + entry(name="y") + "}", EIGHT), r"tensor 'y' begins at byte 0 .* 'x' ends at 8: they overlap"),
    "buffer truncated": (file_bytes("{" + entry(shape="[2]", offsets="[0,16]") + "}", EIGHT), r"the tensors end at byte 16 of the buffer, but it holds 8 bytes; the file may be truncated"),
    "trailing bytes": (file_bytes("{" + ONE + "}", EIGHT + b"\x00"), r"1 bytes follow the last tensor \(at byte 8 of the buffer\)"),
    "bytes but no tensors": (file_bytes("{}", EIGHT), r"8 bytes follow the last tensor"),
    "lists nested 100,000 deep": (file_bytes("{" + "[" * 100_000 + "]" * 100_000 + "}"), r"not (valid JSON|a safetensors header)"),
    "an empty tensor of 2**30 rows": (file_bytes("{" + entry(shape=f"[{2**30},0]", offsets="[0,0]") + "}"), r"would read as 1073741824 nested empty lists; purenet builds at most 1000000"),
}


def test_safetensor_error_is_a_value_error():
    assert issubclass(SafetensorError, ValueError)


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_files_raise_a_clear_safetensor_error(case, tmp_path):
    data, message = MALFORMED[case]
    with pytest.raises(SafetensorError, match=message):
        safetensors.load(data)
    path = tmp_path / "broken.safetensors"
    path.write_bytes(data)
    with pytest.raises(SafetensorError, match=message) as caught:
        safetensors.load_file(path)
    assert str(caught.value).startswith(f"{path}: "), "the message names the file"


def test_an_integer_of_thousands_of_digits_is_a_safetensor_error():
    with pytest.raises(SafetensorError):
        safetensors.load(file_bytes("{" + entry(shape="[" + "9" * 5000 + "]") + "}", EIGHT))


def test_a_missing_file_is_a_safetensor_error_naming_it(tmp_path):
    with pytest.raises(SafetensorError, match=r"missing.safetensors: no such safetensors file"):
        safetensors.load_file(tmp_path / "missing.safetensors")


def test_load_refuses_what_is_not_bytes():
    with pytest.raises(TypeError, match=r"read_header: data must be bytes, got str"):
        safetensors.load("{}")


# --- valid files written differently from purenet ------------------------------------------------


@pytest.mark.parametrize(
    ("header", "buffer", "expected"),
    [
        ("{" + ONE + "}", EIGHT, {"x": [1.5]}),  # no padding
        ("\n {" + ONE + "}\t\r\n", EIGHT, {"x": [1.5]}),  # JSON whitespace around the object
        ('{"x":{"data_offsets":[0,8],"shape":[1],"dtype":"F64"},"__metadata__":{"a":"b"}}', EIGHT, {"x": [1.5]}),
        ('{"__metadata__":null,' + ONE + "}", EIGHT, {"x": [1.5]}),
        ("{" + entry(name="b", offsets="[8,16]") + "," + entry(name="a") + "}", EIGHT + struct.pack("<d", -1.0), {"b": [-1.0], "a": [1.5]}),
        ("{" + entry(name="e", shape="[0]", offsets="[0,0]") + "," + entry(name="f", shape="[0]", offsets="[0,0]") + "}", b"", {"e": [], "f": []}),
        ("{" + ONE + "," + entry(name="end", shape="[0]", offsets="[8,8]") + "}", EIGHT, {"x": [1.5], "end": []}),
        ("{" + entry(shape="[1,1,1]") + "}", EIGHT, {"x": [[[1.5]]]}),
    ],
    ids=["unpadded", "whitespace", "metadata last", "metadata null", "offsets not in name order", "empty tensors at one offset", "empty tensor at the end", "ones in the shape"],
)
def test_valid_files_from_other_writers_load(header, buffer, expected):
    assert safetensors.load(file_bytes(header, buffer)) == expected


# --- the fuzzer --------------------------------------------------------------------------------


def fuzz_seeds():
    """Valid files of every dtype purenet reads, to mutate."""
    float16 = file_bytes('{"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}', struct.pack("<4H", 0x3C00, 0x7C01, 0x8001, 0xFBFF))
    bfloat16 = file_bytes('{"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}}', struct.pack("<3H", 0x3F80, 0xFFC1, 0x0001))
    return [
        safetensors.save({"0.weight": [[0.5, -1.25], [math.nan, 1e-310]], "0.bias": [0.0, -0.0], "s": math.inf}, metadata={"epochs": "3"}),
        safetensors.save({"w": [[1.0, 2.0, 3.0]], "e": [[], []], "z": []}, dtype="F32"),
        safetensors.save({}),
        float16,
        bfloat16,
    ]


HEADER_SWAPS = [
    ('"F64"', '"F32"'), ('"F32"', '"F64"'), ('"F64"', '"I64"'), ('"F16"', '"BF16"'), ('"BF16"', '"F16"'),
    ("[0,", "[1,"), (",8]", ",7]"), ("[2,2]", "[4]"), ("[2,2]", "[2,-2]"), ("[3]", "[]"), ("[3]", "[3.0]"), ("[1,3]", "[3,1]"),
    ('"shape"', '"shap"'), ('"dtype"', '"dtype","dtype"'), ('"data_offsets"', '"offsets"'), ("{", "["), ("}", ""), ("}", "},"),
    (":", ":null,"), ('"__metadata__"', '"meta"'), ('"3"', "3"), ('"pt"', '"\\ud800"'), ("[", "[[]"), (",", ",,"), ("0", "00"),
    ("0", "18446744073709551616"), ("2", "1e3"), ("1", "true"), ('"', "'"),
]


def mutate(data, rng):
    """One random corruption: flipped bytes, a cut, appended bytes, a changed length, or a header edit."""
    data = bytearray(data)
    # A file cut short by an earlier mutation has no length field left to edit: it can only grow.
    kind = rng.randrange(6) if len(data) >= 8 else 2
    if kind == 0:
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[rng.randrange(len(data)) :]
    elif kind == 2:
        data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif kind == 3:
        length = struct.unpack("<Q", data[:8])[0]
        data[:8] = struct.pack("<Q", max(0, min(2**64 - 1, length + rng.choice([-9, -8, -1, 1, 8, 2**32, 2**63]))))
    else:
        length = struct.unpack("<Q", data[:8])[0]
        # Latin-1 maps every byte to one character and back, so an already broken header survives the edit.
        header, buffer = bytes(data[8 : 8 + length]).decode("latin-1"), bytes(data[8 + length :])
        old, new = rng.choice(HEADER_SWAPS)
        spots = [index for index in range(len(header)) if header.startswith(old, index)]
        if spots:
            spot = rng.choice(spots)
            header = header[:spot] + new + header[spot + len(old) :]
        if kind == 5:
            # Keep the length field true, so that the header's own checks are reached.
            return file_bytes(header.encode("latin-1"), buffer)
        return bytes(data[:8]) + header.encode("latin-1") + buffer
    return bytes(data)


def test_fuzzed_files_load_or_raise_only_safetensor_error():
    rng = random.Random(1414)
    seeds = fuzz_seeds()
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(1500):
        data = mutate(rng.choice(seeds), rng)
        if rng.random() < 0.3:
            data = mutate(data, rng)
        try:
            tensors = safetensors.load(data)
        except SafetensorError:
            outcomes["refused"] += 1
            continue
        except Exception as error:  # noqa: BLE001 (anything else is the bug this test looks for)
            pytest.fail(f"case {case}: {type(error).__name__}: {error} for {data!r}")
        outcomes["loaded"] += 1
        header = safetensors.read_header(data)
        assert list(tensors) == list(header.tensors), f"case {case}"
        for name, tensor in tensors.items():
            shape = header.tensors[name].shape
            if shape and 0 not in shape:
                assert safetensors.shape_and_values(tensor)[0] == shape, f"case {case}"
    # Both outcomes must occur, or the mutations are not testing what they claim to.
    assert outcomes["refused"] > 700 and outcomes["loaded"] > 50, outcomes
