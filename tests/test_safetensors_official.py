"""purenet.safetensors against the official safetensors library: each reads the other's files bit for bit.

The official library (with NumPy, and PyTorch for BF16) is a test-only oracle;
the whole module is skipped where it is not installed (.ci/run installs it).
tests/test_safetensors.py checks the same format with the standard library only.
"""

from __future__ import annotations

import math
import random
import struct

import pytest

numpy = pytest.importorskip("numpy", reason="NumPy is not installed: the official safetensors loaders need it")
pytest.importorskip("safetensors", reason="the official safetensors library is not installed (pip install safetensors)")
import safetensors as official  # noqa: E402 (only once importorskip has found it)
import safetensors.numpy as official_numpy  # noqa: E402
from test_safetensors import float_bits, fuzz_seeds, mutate  # noqa: E402

from purenet import safetensors  # noqa: E402
from purenet.safetensors import SafetensorError  # noqa: E402

NAN_PAYLOADS = [0x7FF8000000000000, 0xFFF8000000000123, 0x7FF0000000000001]
SPECIAL = [0.0, -0.0, 5e-324, 1e-310, 1e308, -math.pi, math.inf, -math.inf] + [
    struct.unpack("<d", struct.pack("<Q", bits))[0] for bits in NAN_PAYLOADS
]
TENSORS = {
    "0.weight": [[0.1, -0.2, 0.3], [1.0 / 3.0, -0.0, 2.5]],
    "0.bias": [1e-3, -7.0],
    "special": SPECIAL,
    "scalar": 42.0,
    "empty": [],
    "no columns": [[], []],
    "cube": [[[float(i - j * k) for k in range(2)] for j in range(3)] for i in range(2)],
}
NUMPY_TYPES = {"F64": (numpy.float64, numpy.uint64), "F32": (numpy.float32, numpy.uint32)}


def expected_bits(tensor, dtype):
    """The bits purenet's number(s) should have in the file, by struct: F64 as they are, F32 rounded."""
    values = safetensors.shape_and_values(tensor)[1]
    if dtype == "F64":
        return [float_bits(value) for value in values]
    return [
        safetensors.float32_nan_bits(value) if math.isnan(value) else struct.unpack("<I", struct.pack("<f", value))[0]
        for value in values
    ]


@pytest.mark.parametrize("dtype", ["F64", "F32"])
def test_purenet_files_load_in_the_official_library_bit_for_bit(dtype, tmp_path):
    tensors = dict(TENSORS, special=SPECIAL if dtype == "F64" else [value for value in SPECIAL if abs(value) != 1e308])
    path = tmp_path / "purenet.safetensors"
    safetensors.save_file(tensors, path, metadata={"framework": "purenet", "epochs": "3"}, dtype=dtype)
    arrays = official_numpy.load_file(str(path))
    float_type, bits_type = NUMPY_TYPES[dtype]
    assert sorted(arrays) == sorted(tensors)
    for name, tensor in tensors.items():
        array = arrays[name]
        assert array.dtype == float_type, name
        assert array.shape == safetensors.shape_and_values(tensor)[0], name
        assert array.reshape(-1).view(bits_type).tolist() == expected_bits(tensor, dtype), name
    with official.safe_open(str(path), framework="np") as file:
        assert file.metadata() == {"framework": "purenet", "epochs": "3"}


@pytest.mark.parametrize("dtype", ["F64", "F32"])
def test_the_same_tensors_give_the_same_file_as_the_official_library(dtype):
    float_type, _ = NUMPY_TYPES[dtype]
    tensors = dict(TENSORS, special=[value for value in SPECIAL if abs(value) != 1e308])
    arrays = {name: numpy.array(tensor, dtype=float_type) for name, tensor in tensors.items()}
    arrays["no columns"] = numpy.zeros((2, 0), dtype=float_type)
    # One metadata key: the official library writes several in hash order, purenet sorts them.
    official_bytes = official_numpy.save(arrays, metadata={"format": "np"})
    assert safetensors.save(tensors, metadata={"format": "np"}, dtype=dtype) == official_bytes


@pytest.mark.parametrize("dtype", ["F64", "F32"])
def test_official_files_load_in_purenet_and_save_back_to_the_same_bytes(dtype, tmp_path):
    rng = random.Random(14)
    float_type, bits_type = NUMPY_TYPES[dtype]
    width = numpy.dtype(bits_type).itemsize * 8
    arrays = {
        "random bits": numpy.array([rng.getrandbits(width) for _ in range(3000)], dtype=bits_type).view(float_type).reshape(50, 60),
        "normal": numpy.array([[rng.gauss(0.0, 1.0) for _ in range(7)] for _ in range(5)], dtype=float_type),
        "scalar": numpy.array(-1.5, dtype=float_type),
        "empty": numpy.zeros((0,), dtype=float_type),
    }
    path = tmp_path / "official.safetensors"
    official_numpy.save_file(arrays, str(path))
    loaded = safetensors.load_file(path)
    for name, array in arrays.items():
        assert safetensors.shape_and_values(loaded[name])[0] == array.shape, name
    # Every bit pattern survives the trip, signalling NaNs and payloads included.
    assert safetensors.save(loaded, dtype=dtype) == path.read_bytes()


def test_float16_and_mixed_files_of_the_official_library_load_in_purenet():
    rng = random.Random(16)
    patterns = numpy.array([rng.getrandbits(16) for _ in range(4000)], dtype=numpy.uint16)
    arrays = {
        "half": patterns.view(numpy.float16).reshape(40, 100),
        "double": numpy.array([1.0, -2.0]),
        "single": numpy.array([[0.5]], dtype=numpy.float32),
    }
    loaded = safetensors.load(official_numpy.save(arrays))
    half = [value for row in loaded["half"] for value in row]
    for bits, value in zip(patterns.tolist(), half):
        if (bits & 0x7C00) == 0x7C00 and bits & 0x3FF:
            assert float_bits(value) == (bits >> 15) << 63 | 0x7FF << 52 | (bits & 0x3FF) << 42, hex(bits)
        else:
            assert value.hex() == float(numpy.uint16(bits).view(numpy.float16)).hex(), hex(bits)
    assert loaded["double"] == [1.0, -2.0] and loaded["single"] == [[0.5]]


def test_pytorch_bfloat16_and_float64_files_both_ways(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: BF16 needs it (numpy has no bfloat16)")
    import safetensors.torch as official_torch

    generator = torch.Generator().manual_seed(14)
    bfloat16 = torch.randn(6, 5, generator=generator).to(torch.bfloat16)
    path = tmp_path / "torch.safetensors"
    official_torch.save_file({"weight": bfloat16, "bias": torch.tensor([0.25, -1.0], dtype=torch.float64)}, str(path))
    loaded = safetensors.load_file(path)
    assert loaded["weight"] == bfloat16.to(torch.float64).tolist()  # widening BF16 to F64 is exact
    assert loaded["bias"] == [0.25, -1.0]

    back = tmp_path / "purenet.safetensors"
    safetensors.save_file({"0.weight": [[0.1, -0.2]], "0.bias": [1e-300]}, back)
    tensors = official_torch.load_file(str(back))
    assert tensors["0.weight"].dtype == torch.float64
    assert tensors["0.weight"].tolist() == [[0.1, -0.2]] and tensors["0.bias"].tolist() == [1e-300]


def test_every_fuzzed_file_purenet_accepts_the_official_library_reads_the_same():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: the fuzzed files hold BF16, which numpy lacks")
    import safetensors.torch as official_torch

    rng = random.Random(2014)
    seeds = fuzz_seeds()
    accepted = 0
    for case in range(800):
        data = mutate(rng.choice(seeds), rng)
        try:
            tensors = safetensors.load(data)
        except SafetensorError:
            continue
        accepted += 1
        arrays = official_torch.load(data)  # raises if the official library refuses what purenet read
        assert sorted(arrays) == sorted(tensors), f"case {case}"
        for name, array in arrays.items():
            values = safetensors.shape_and_values(tensors[name])[1]
            assert len(values) == array.numel(), f"case {case}: {name}"
            for value, official_value in zip(values, array.reshape(-1).to(torch.float64).tolist()):
                assert (math.isnan(value) and math.isnan(official_value)) or value.hex() == official_value.hex(), f"case {case}"
    assert accepted > 50, "the fuzzer must produce files both libraries read, or this test checks nothing"
