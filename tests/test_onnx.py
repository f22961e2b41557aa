"""purenet.onnx without onnx installed: the protobuf encoder against hand-computed bytes, and the exported
graph read back with a small decoder written here (the official checker and onnxruntime: test_onnx_runtime.py)."""

import random
import re
import struct
from pathlib import Path

import pytest

import purenet as pn
from purenet import cli, onnx
from purenet.onnx import protobuf


# --- the encoder against bytes worked out by hand ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "00"),
        (1, "01"),
        (127, "7f"),
        (128, "80 01"),
        (150, "96 01"),  # the protobuf documentation's example: 1001 0110  0000 0001
        (300, "ac 02"),
        (2**63 - 1, "ff ff ff ff ff ff ff ff 7f"),
        (-1, "ff ff ff ff ff ff ff ff ff 01"),  # an int64 -1 is 2**64 - 1: ten bytes
        (-2, "fe ff ff ff ff ff ff ff ff 01"),
    ],
)
def test_varint_matches_hand_computed_bytes(value, expected):
    assert protobuf.varint(value) == bytes.fromhex(expected)


def test_fields_match_the_protobuf_documentation():
    # message Test1 { int32 a = 1; } with a = 150 is 08 96 01: key (1 << 3 | 0) = 08, then the varint.
    assert protobuf.integer_field(1, 150) == bytes.fromhex("08 96 01")
    # message Test2 { string b = 2; } with b = "testing": key (2 << 3 | 2) = 12, length 07, the UTF-8 bytes.
    assert protobuf.string_field(2, "testing") == bytes.fromhex("12 07 74 65 73 74 69 6e 67")
    # message Test3 { Test1 c = 3; } holding the Test1 above: key 1a, length 03, then Test1's bytes.
    assert protobuf.bytes_field(3, protobuf.integer_field(1, 150)) == bytes.fromhex("1a 03 08 96 01")
    # a float (wire type 5) is four little-endian bytes: 1.0 is 0x3f800000.
    assert protobuf.float_field(2, 1.0) == bytes.fromhex("15 00 00 80 3f")
    # field 20 needs a two-byte key: (20 << 3 | 0) = 160 = 0xa0 -> a0 01.
    assert protobuf.integer_field(20, 7) == bytes.fromhex("a0 01 07")


def test_encoder_refuses_what_protobuf_cannot_hold():
    with pytest.raises(ValueError, match="64 bits"):
        protobuf.varint(2**64)
    with pytest.raises(ValueError, match="value"):
        protobuf.varint(-(2**63) - 1)
    with pytest.raises(TypeError, match="varint: value"):
        protobuf.varint(1.5)
    with pytest.raises(ValueError, match="field_number"):
        protobuf.key(0, protobuf.VARINT)
    with pytest.raises(ValueError, match="wire_type"):
        protobuf.key(1, 3)
    assert protobuf.key(2**29 - 1, protobuf.VARINT) == bytes.fromhex("f8 ff ff ff 0f")
    with pytest.raises(ValueError, match="at most 536870911"):
        protobuf.key(2**29, protobuf.VARINT)
    with pytest.raises(TypeError, match="text must be a str"):
        protobuf.string_field(1, b"bytes")
    with pytest.raises(TypeError, match="data must be bytes"):
        protobuf.bytes_field(1, "text")


# --- a small decoder, to read the exported file back --------------------------------------------------------


def read_varint(data, position):
    """The varint at ``position`` and the position after it."""
    value, shift = 0, 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def fields(data):
    """{field number: [values]}: ints for wire type 0, bytes for wire type 2, floats for wire type 5."""
    found, position = {}, 0
    while position < len(data):
        field_key, position = read_varint(data, position)
        number, wire_type = field_key >> 3, field_key & 7
        if wire_type == 0:
            value, position = read_varint(data, position)
        elif wire_type == 2:
            length, position = read_varint(data, position)
            value = bytes(data[position:position + length])
            position += length
        elif wire_type == 5:
            value = struct.unpack("<f", data[position:position + 4])[0]
            position += 4
        else:
            raise AssertionError(f"unexpected wire type {wire_type} for field {number}")
        found.setdefault(number, []).append(value)
    assert position == len(data), "a field ran past the end of its message"
    return found


def signed(value):
    """An int64 read as a varint back to a signed number."""
    return value - 2**64 if value >= 2**63 else value


def text(value):
    return value.decode("utf-8")


def read_model(data):
    """The parts of a ModelProto the tests look at, by the field numbers of onnx.proto."""
    model = fields(data)
    graph = fields(model[7][0])
    operator_set = fields(model[8][0])
    nodes = []
    for node_bytes in graph[1]:
        node = fields(node_bytes)
        attributes = {}
        for attribute_bytes in node.get(5, []):
            attribute = fields(attribute_bytes)
            kind = attribute[20][0]
            value = {1: lambda: attribute[2][0], 2: lambda: signed(attribute[3][0]),
                     7: lambda: [signed(v) for v in attribute[8]]}[kind]()
            attributes[text(attribute[1][0])] = value
        nodes.append({
            "inputs": [text(name) for name in node[1]],
            "outputs": [text(name) for name in node[2]],
            "name": text(node[3][0]),
            "op_type": text(node[4][0]),
            "attributes": attributes,
        })
    initializers = {}
    for tensor_bytes in graph.get(5, []):
        tensor = fields(tensor_bytes)
        dims = tuple(tensor[1])
        raw = tensor[9][0]
        code = {1: "f", 7: "q"}[tensor[2][0]]
        count = len(raw) // struct.calcsize(code)
        initializers[text(tensor[8][0])] = (dims, list(struct.unpack(f"<{count}{code}", raw)))
    return {
        "ir_version": model[1][0],
        "producer": text(model[2][0]),
        "opset": (text(operator_set.get(1, [b""])[0]), operator_set[2][0]),
        "nodes": nodes,
        "initializers": initializers,
        "input": value_info(graph[11][0]),
        "output": value_info(graph[12][0]),
    }


def value_info(data):
    """(name, element type, shape) of a ValueInfoProto; a symbolic dimension is its name."""
    info = fields(data)
    tensor_type = fields(fields(info[2][0])[1][0])
    shape = []
    for dimension_bytes in fields(tensor_type[2][0]).get(1, []):
        dimension = fields(dimension_bytes)
        shape.append(dimension[1][0] if 1 in dimension else text(dimension[2][0]))
    return text(info[1][0]), tensor_type[1][0], tuple(shape)


def float32(values):
    """Values rounded to float32, as the file must hold them."""
    return list(struct.unpack(f"<{len(values)}f", struct.pack(f"<{len(values)}f", *values)))


def flat(values):
    return [x for row in values for x in (flat(row) if isinstance(row, list) else [row])]


# --- the exported graph -------------------------------------------------------------------------------------


def test_the_square_detector_reads_back_as_gemm_leaky_relu_gemm_with_its_weights():
    model = pn.square_detector()
    read = read_model(onnx.to_bytes(model))
    assert read["ir_version"] == 8
    assert read["producer"] == "purenet"
    assert read["opset"] == ("", 17)
    assert [node["op_type"] for node in read["nodes"]] == ["Gemm", "LeakyRelu", "Gemm"]
    assert read["input"] == ("input", 1, ("batch", 1024))
    assert read["output"] == ("output", 1, ("batch", 2))
    assert read["nodes"][0]["inputs"] == ["input", "0.weight", "0.bias"]
    assert read["nodes"][0]["attributes"] == {"transB": 1}
    assert read["nodes"][1]["attributes"]["alpha"] == float32([model.layers[1].alpha])[0]
    # each node reads the one before it, and the last writes the graph's output
    for before, after in zip(read["nodes"], read["nodes"][1:]):
        assert after["inputs"][0] == before["outputs"][0]
    assert read["nodes"][-1]["outputs"] == ["output"]
    for key, values in model.state_dict().items():
        dims, stored = read["initializers"][key]
        assert dims == ((len(values), len(values[0])) if isinstance(values[0], list) else (len(values),))
        # bit for bit: the file holds exactly the float32 nearest each weight
        assert stored == float32(flat(values))


def test_a_convolutional_model_keeps_its_kernels_strides_and_padding():
    rng = random.Random(3)
    model = pn.Sequential(
        pn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 0), rng=rng), pn.ReLU(), pn.MaxPool2d(2, stride=1),
        pn.AvgPool2d((1, 2)), pn.Flatten(), pn.Unflatten((3, 3)), pn.Conv1d(3, 2, 3, padding=1, rng=rng),
        pn.MaxPool1d(2, stride=1), pn.AvgPool1d(2, stride=1), pn.Flatten(), pn.Dense(2, 2, rng=rng), pn.Softmax(),
    )
    read = read_model(onnx.to_bytes(model, input_shape=(2, 7, 5)))
    assert [node["op_type"] for node in read["nodes"]] == [
        "Conv", "Relu", "MaxPool", "AveragePool", "Flatten", "Reshape", "Conv", "MaxPool", "AveragePool",
        "Flatten", "Gemm", "Softmax",
    ]
    attributes = [node["attributes"] for node in read["nodes"]]
    assert attributes[0] == {"kernel_shape": [3, 2], "pads": [1, 0, 1, 0], "strides": [2, 1]}
    assert attributes[2] == {"kernel_shape": [2, 2], "strides": [1, 1]}
    assert attributes[3] == {"kernel_shape": [1, 2], "strides": [1, 2]}
    assert attributes[4] == {"axis": 1}
    assert attributes[6] == {"kernel_shape": [3], "pads": [1, 1], "strides": [1]}
    assert attributes[7] == {"kernel_shape": [2], "strides": [1]}
    assert attributes[11] == {"axis": -1}
    # Reshape to (batch, 3, 3): 0 keeps the batch, whatever it is
    assert read["initializers"]["5.shape"] == ((3,), [0, 3, 3])
    assert read["initializers"]["0.weight"][0] == (3, 2, 3, 2)
    assert read["initializers"]["6.weight"][0] == (2, 3, 3)
    assert read["input"] == ("input", 1, ("batch", 2, 7, 5))
    # (2, 7, 5) -> conv (3, 4, 4) -> max (3, 3, 3) -> avg (3, 3, 1) -> 9 -> (3, 3) -> conv1d (2, 3) -> max (2, 2)
    # -> avg (2, 1) -> 2 -> Dense (2,)
    assert read["output"] == ("output", 1, ("batch", 2))


def batch_normalised_model(eps=1e-3):
    """Dense -> BatchNorm1d -> ReLU -> Dense, the normalisation with scale, shift and statistics of its own."""
    rng = random.Random(5)
    model = pn.Sequential(pn.Dense(3, 4, rng=rng), pn.BatchNorm1d(4, eps=eps), pn.ReLU(), pn.Dense(4, 2, rng=rng))
    normalisation = model.layers[1]
    normalisation.weight[:] = [1.5, -0.5, 2.0, 0.3]
    normalisation.bias[:] = [0.1, 0.2, -0.3, 0.4]
    normalisation.running_mean[:] = [0.5, -1.0, 2.0, 0.1]
    normalisation.running_var[:] = [0.2, 3.0, 0.01, 1.5]
    return model


def test_batch_norm_becomes_batch_normalization_with_its_running_statistics():
    model = batch_normalised_model()
    read = read_model(onnx.to_bytes(model))
    assert [node["op_type"] for node in read["nodes"]] == ["Gemm", "BatchNormalization", "Relu", "Gemm"]
    normalisation = read["nodes"][1]
    # X, scale, B, input_mean, input_var: the operator's order, named with the state_dict keys
    assert normalisation["inputs"] == ["layer0", "1.weight", "1.bias", "1.running_mean", "1.running_var"]
    assert normalisation["outputs"] == ["layer1"]
    # the inference form: epsilon alone, training_mode left at its default 0 and no momentum
    assert normalisation["attributes"] == {"epsilon": float32([1e-3])[0]}
    for name in ("weight", "bias", "running_mean", "running_var"):
        values = list(getattr(model.layers[1], name))
        assert read["initializers"][f"1.{name}"] == ((4,), float32(values))
    # num_batches_tracked steers training only: the file has no use for it
    assert "1.num_batches_tracked" in model.state_dict()
    assert "1.num_batches_tracked" not in read["initializers"]
    assert read["input"] == ("input", 1, ("batch", 3))
    assert read["output"] == ("output", 1, ("batch", 2))


def test_batch_norm_is_written_in_evaluation_form_whatever_the_mode():
    model = batch_normalised_model()
    assert model.layers[1].training
    in_training = onnx.to_bytes(model)
    model.eval()
    assert onnx.to_bytes(model) == in_training
    assert not model.layers[1].training


def test_a_model_starting_with_batch_norm_gives_its_input_shape():
    model = pn.Sequential(pn.BatchNorm1d(6), pn.Dense(6, 2))
    read = read_model(onnx.to_bytes(model))
    assert read["input"] == ("input", 1, ("batch", 6))
    assert read["nodes"][0]["inputs"] == ["input", "0.weight", "0.bias", "0.running_mean", "0.running_var"]
    assert read["nodes"][0]["attributes"] == {"epsilon": float32([1e-5])[0]}


def test_batch_norm_that_cannot_be_evaluated_is_refused():
    with pytest.raises(ValueError, match=r"layer 1 BatchNorm1d\(4.*needs samples of \(4,\), gets \(5,\)"):
        onnx.to_bytes(pn.Sequential(pn.Dense(3, 5), pn.BatchNorm1d(4)))
    # purenet's BatchNorm1d reads (batch x features) only: a convolution's channels x height x width are refused
    with pytest.raises(ValueError, match=r"layer 1 BatchNorm1d\(2.*needs samples of \(2,\), gets \(2, 3, 3\)"):
        onnx.to_bytes(pn.Sequential(pn.Conv2d(1, 2, 3), pn.BatchNorm1d(2)), input_shape=(1, 5, 5))
    for variance in (-1.0, -1e-5, float("nan")):
        model = batch_normalised_model(eps=1e-5)
        model.layers[1].running_var[2] = variance
        with pytest.raises(ValueError, match=r"layer 1 .*running_var \+ eps must be > 0.*running_var\[2\]"):
            onnx.to_bytes(model)
    # a negative running_var that eps still lifts above 0 is evaluated by purenet, so it exports
    model = batch_normalised_model(eps=1e-5)
    model.layers[1].running_var[2] = -0.99999e-5
    assert read_model(onnx.to_bytes(model))["nodes"][1]["op_type"] == "BatchNormalization"



def dropout_model(p=0.5):
    """Dense -> ReLU -> Dropout(p) -> Dense, the same weights for every p."""
    rng = random.Random(7)
    return pn.Sequential(pn.Dense(3, 4, rng=rng), pn.ReLU(), pn.Dropout(p, rng=rng), pn.Dense(4, 2, rng=rng))


def test_dropout_becomes_an_identity_node_in_its_place():
    read = read_model(onnx.to_bytes(dropout_model()))
    assert [node["op_type"] for node in read["nodes"]] == ["Gemm", "Relu", "Identity", "Gemm"]
    dropout = read["nodes"][2]
    # one node for the layer, named after it, wired between its neighbours; p steers training only: no attribute
    assert dropout["name"] == "2.Dropout"
    assert dropout["inputs"] == ["layer1"]
    assert dropout["outputs"] == ["layer2"]
    assert dropout["attributes"] == {}
    assert read["nodes"][3]["inputs"] == ["layer2", "3.weight", "3.bias"]
    # no initializer of its own: the file holds the two Dense layers' weights and nothing else
    assert sorted(read["initializers"]) == ["0.bias", "0.weight", "3.bias", "3.weight"]
    assert read["input"] == ("input", 1, ("batch", 3))
    assert read["output"] == ("output", 1, ("batch", 2))


def test_dropout_is_written_in_evaluation_form_whatever_the_mode_and_p():
    model = dropout_model()
    dropout = model.layers[2]
    assert dropout.training
    in_training = onnx.to_bytes(model)
    model.forward([[0.5, -1.0, 2.0]] * 4)  # a training pass draws a mask: the file does not keep it
    assert dropout.mask is not None
    assert onnx.to_bytes(model) == in_training
    model.eval()
    assert onnx.to_bytes(model) == in_training
    assert not dropout.training
    # evaluation is y = x for every p, p = 1 too (it zeroes everything in training only)
    for p in (0.0, 0.2, 1.0):
        assert onnx.to_bytes(dropout_model(p)) == in_training


def test_a_model_starting_with_dropout_gives_its_input_shape():
    # dropout on the inputs keeps their shape: the Dense behind it says how many features a sample has
    read = read_model(onnx.to_bytes(pn.Sequential(pn.Dropout(0.2), pn.Dense(6, 2))))
    assert read["input"] == ("input", 1, ("batch", 6))
    assert read["nodes"][0]["op_type"] == "Identity"
    assert read["nodes"][0]["inputs"] == ["input"]
    assert read["nodes"][1]["inputs"] == ["layer0", "1.weight", "1.bias"]

def test_probabilities_appends_a_softmax_and_keeps_the_model():
    model = pn.square_detector()
    read = read_model(onnx.to_bytes(model, probabilities=True))
    assert [node["op_type"] for node in read["nodes"]] == ["Gemm", "LeakyRelu", "Gemm", "Softmax"]
    assert read["output"] == ("output", 1, ("batch", 2))
    assert len(model.layers) == 3
    with pytest.raises(ValueError, match="already ends in Softmax"):
        onnx.to_bytes(pn.Sequential(pn.Dense(2, 2), pn.Softmax()), probabilities=True)


def test_export_writes_the_bytes_and_the_command_line_writes_the_same(tmp_path):
    model = pn.square_detector()
    path = tmp_path / "detector.onnx"
    onnx.export(model, path)
    assert path.read_bytes() == onnx.to_bytes(model)
    saved = tmp_path / "detector.json"
    model.save(str(saved))
    from_command = tmp_path / "command.onnx"
    assert cli.main(["export", str(saved), "--onnx", str(from_command), "--probabilities"]) == 0
    assert from_command.read_bytes() == onnx.to_bytes(model, probabilities=True)


def test_a_failed_export_leaves_the_old_file_alone(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"the old file")
    with pytest.raises(ValueError, match="input_shape is needed"):
        onnx.export(pn.Sequential(pn.Conv2d(1, 2, 3)), path)
    assert path.read_bytes() == b"the old file"


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="model must be a purenet Sequential"):
        onnx.to_bytes([pn.Dense(2, 2)])
    with pytest.raises(ValueError, match=r"input_shape is needed.*input_shape=\(1, 28, 28\)"):
        onnx.to_bytes(pn.Sequential(pn.ReLU(), pn.Conv2d(1, 2, 3)))
    with pytest.raises(TypeError, match="input_shape must be a tuple of positive integers"):
        onnx.to_bytes(pn.Sequential(pn.Conv2d(1, 2, 3)), input_shape=(1, 0, 5))
    with pytest.raises(ValueError, match=r"needs samples of \(3,\), gets \(4,\)"):
        onnx.to_bytes(pn.Sequential(pn.Dense(3, 2)), input_shape=(4,))
    with pytest.raises(ValueError, match="needs 2 channels"):
        onnx.to_bytes(pn.Sequential(pn.Conv2d(2, 2, 3)), input_shape=(1, 5, 5))
    with pytest.raises(ValueError, match="needs samples of 3 dimensions"):
        onnx.to_bytes(pn.Sequential(pn.MaxPool2d(2)), input_shape=(1, 5))
    too_large = pn.Sequential(pn.Dense(1, 1))
    too_large.layers[0].weight[:] = [[1e39]]
    with pytest.raises(ValueError, match="0.weight holds a value too large for float32"):
        onnx.to_bytes(too_large)
    with pytest.raises(TypeError, match="probabilities must be True or False"):
        onnx.to_bytes(pn.Sequential(pn.Dense(3, 2)), probabilities="yes")

    class Doubler(pn.Layer):
        def forward(self, x):
            return [[2 * value for value in row] for row in x]

    with pytest.raises(TypeError, match="layer 1 .* has no ONNX operator"):
        onnx.to_bytes(pn.Sequential(pn.Dense(3, 2), Doubler()))


def test_the_command_line_reports_a_bad_input_shape(tmp_path, capsys):
    saved = tmp_path / "detector.json"
    pn.square_detector().save(str(saved))
    assert cli.main(["export", str(saved), "--onnx", str(tmp_path / "a.onnx"), "--input-shape", "1,2"]) == 2
    assert "needs samples of (1024,)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["export", str(saved), "--onnx", str(tmp_path / "a.onnx"), "--input-shape", "1,x"])
    assert "such as 1,28,28" in capsys.readouterr().err
    assert not (tmp_path / "a.onnx").exists()


def test_the_demo_page_shows_an_export_command_that_works(tmp_path, monkeypatch):
    page = Path(__file__).resolve().parent.parent / "purenet" / "squares" / "demo" / "static" / "index.html"
    found = re.search(r'id="model-export".*?<code>(.*?)</code>', page.read_text(encoding="utf-8"), re.DOTALL)
    assert found, "the demo's model card lacks the export command"
    words = found.group(1).split()
    assert words[:4] == ["python", "-m", "purenet", "export"]
    # run from the repository (the model's path is relative to it), writing into the test's folder
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    arguments = [str(tmp_path / word) if word.endswith(".onnx") else word for word in words[3:]]
    assert cli.main(arguments) == 0
    assert (tmp_path / "square_detector.onnx").read_bytes() == onnx.to_bytes(pn.square_detector(), probabilities=True)
