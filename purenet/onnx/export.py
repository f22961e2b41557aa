"""A ``Sequential`` model as an ONNX graph, written with the hand-made protobuf encoder (docs/onnx.md).

An ONNX file is one ``ModelProto`` message: the IR version, the operator set
(opset 17), and a ``GraphProto`` holding the nodes (one operator each:
Gemm, Relu, Conv, ...), the initializers (the weights and BatchNorm1d's
running statistics, as ``TensorProto``s
of little-endian float32 in ``raw_data``) and the input and output
(``ValueInfoProto``s: element type float32, shape (batch, ...) with the
batch dimension left symbolic so any batch size runs). Each layer becomes
one node, in order: the output of node i is the input of node i + 1. The
file is for inference: layers that act differently in training (BatchNorm1d,
Dropout) are written in their evaluation form, whatever mode the model is in.

The field numbers below are those of onnx/onnx.proto; each message's fields
are written in field-number order, as protobuf's own serializers do.
"""

from __future__ import annotations

import math
import os
import struct

from .. import __version__
from ..layers import BatchNorm1d, Dense, Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from ..layers.base import Layer
from ..layers.convolution import Conv1d, Conv2d
from ..layers.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from ..layers.reshape import Flatten, Unflatten
from ..matrices import tensors
from ..model import Sequential
from ..serialization import write_atomically
from ..validation import ArgumentTypeError, is_integer
from .protobuf import bytes_field, float_field, integer_field, message, string_field

OPSET_VERSION = 17
IR_VERSION = 8  # the IR version that came with opset 17 (ONNX 1.12)

# TensorProto.DataType
FLOAT = 1
INT64 = 7
# AttributeProto.AttributeType
ATTRIBUTE_FLOAT = 1
ATTRIBUTE_INT = 2
ATTRIBUTE_INTS = 7

# Each purenet layer and the ONNX operator it becomes (one node per layer).
OPERATORS: dict[type[Layer], str] = {
    Dense: "Gemm",
    Identity: "Identity",
    ReLU: "Relu",
    LeakyReLU: "LeakyRelu",
    Sigmoid: "Sigmoid",
    Tanh: "Tanh",
    Softmax: "Softmax",
    Conv1d: "Conv",
    Conv2d: "Conv",
    MaxPool1d: "MaxPool",
    MaxPool2d: "MaxPool",
    AvgPool1d: "AveragePool",
    AvgPool2d: "AveragePool",
    Flatten: "Flatten",
    Unflatten: "Reshape",
    BatchNorm1d: "BatchNormalization",
    # Inverted dropout scales by 1 / (1 - p) while training, so in evaluation y = x: an Identity node, with no
    # attribute (p only steers training). The node keeps the file's node list in step with the model's layers.
    Dropout: "Identity",
}
INPUT_NAME = "input"
OUTPUT_NAME = "output"


def export(
    model: Sequential,
    path: str | os.PathLike,
    input_shape: tuple[int, ...] | None = None,
    probabilities: bool = False,
) -> None:
    """Write ``model`` to ``path`` as an ONNX model (opset 17, float32), atomically.

    ``input_shape`` is the shape of one sample (without the batch), e.g.
    (1, 28, 28) for a model that starts with Conv2d(1, ...). A model that
    starts with Dense (its in_features), BatchNorm1d (its num_features) or
    Unflatten (the product of its shape) needs none. BatchNorm1d (with its
    running statistics) and Dropout (y = x) are written in their evaluation
    form, whatever mode the model is in: the file computes what ``predict``
    computes. With ``probabilities`` a Softmax node follows the
    model's logits, so the file answers as ``predict_proba`` does.
    """
    data = to_bytes(model, input_shape, probabilities)
    write_atomically(path, data)


def to_bytes(model: Sequential, input_shape: tuple[int, ...] | None = None, probabilities: bool = False) -> bytes:
    """The ONNX file's bytes: an encoded ``ModelProto`` (see ``export``)."""
    if not isinstance(model, Sequential):
        raise TypeError(f"export: model must be a purenet Sequential, got {type(model).__name__}")
    if not isinstance(probabilities, bool):
        raise TypeError(f"export: probabilities must be True or False, got {probabilities!r}")
    layers = list(model.layers)
    if probabilities:
        if isinstance(layers[-1], Softmax):
            raise ValueError(
                "export: probabilities=True adds a Softmax, but the model already ends in Softmax: its output "
                "is probabilities already (a second softmax would flatten them)"
            )
        layers.append(Softmax())
    shape = sample_shape = _input_shape(model, input_shape)
    nodes, initializers = [], []
    for index, layer in enumerate(layers):
        if type(layer) not in OPERATORS:
            raise TypeError(
                f"export: layer {index} {layer!r} has no ONNX operator here; the layers that export are "
                f"{', '.join(kind.__name__ for kind in OPERATORS)}"
            )
        _check_fits(index, layer, shape)
        source = INPUT_NAME if index == 0 else f"layer{index - 1}"
        target = OUTPUT_NAME if index == len(layers) - 1 else f"layer{index}"
        node, tensors_of_layer = _layer_node(index, layer, source, target)
        nodes.append(node)
        initializers += tensors_of_layer
        shape = layer.output_shape(shape)
    graph = message(
        *(bytes_field(1, node) for node in nodes),  # node
        string_field(2, "purenet"),  # name
        *(bytes_field(5, tensor) for tensor in initializers),  # initializer
        bytes_field(11, _value_info(INPUT_NAME, sample_shape)),  # input
        bytes_field(12, _value_info(OUTPUT_NAME, shape)),  # output
    )
    operator_set = message(string_field(1, ""), integer_field(2, OPSET_VERSION))  # the default domain "ai.onnx"
    return message(
        integer_field(1, IR_VERSION),  # ir_version
        string_field(2, "purenet"),  # producer_name
        string_field(3, __version__),  # producer_version
        bytes_field(7, graph),  # graph
        bytes_field(8, operator_set),  # opset_import
    )


def _input_shape(model: Sequential, input_shape: object) -> tuple[int, ...]:
    """One sample's shape: given, or read from the first layer that fixes it (Dense, BatchNorm1d or Unflatten)."""
    if input_shape is not None:
        if (
            not isinstance(input_shape, (tuple, list))
            or not input_shape
            or not all(is_integer(size) and size >= 1 for size in input_shape)
        ):
            raise ArgumentTypeError(
                f"export: input_shape must be a tuple of positive integers such as (1, 28, 28), got {input_shape!r}"
            )
        return tuple(input_shape)
    for layer in model.layers:
        features = _features_read(layer)
        if features is not None:
            return (features,)
        if not isinstance(layer, (Identity, ReLU, Sigmoid, Tanh, Softmax, Dropout)):
            break
    raise ValueError(
        f"export: input_shape is needed for {model!r}: its first layers do not fix the shape of a sample; "
        "give one sample's shape without the batch, e.g. input_shape=(1, 28, 28)"
    )


def _features_read(layer: Layer) -> int | None:
    """How many features a sample must hold for a layer that reads flat samples of one size; None for the others."""
    if isinstance(layer, Dense):
        return layer.in_features
    if isinstance(layer, BatchNorm1d):
        return layer.num_features
    if isinstance(layer, Unflatten):
        return math.prod(layer.shape)
    return None


def _check_fits(index: int, layer: Layer, shape: tuple[int, ...]) -> None:
    """A clear error when a layer cannot take the samples the layers before it give, or has no faithful node."""
    features = _features_read(layer)
    if features is not None and shape != (features,):
        raise ValueError(f"export: layer {index} {layer!r} needs samples of ({features},), gets {shape}")
    if isinstance(layer, (Conv2d, MaxPool2d, AvgPool2d)):
        dimensions = layer.dimensions
        if len(shape) != 1 + dimensions:
            raise ValueError(
                f"export: layer {index} {layer!r} needs samples of {1 + dimensions} dimensions "
                f"(channels first), gets {shape}"
            )
        if isinstance(layer, Conv2d) and shape[0] != layer.in_channels:
            raise ValueError(f"export: layer {index} {layer!r} needs {layer.in_channels} channels, gets {shape}")
    if isinstance(layer, BatchNorm1d):
        # purenet's evaluation fails on such a layer (a square root of a value <= 0); the file would silently
        # answer NaN or infinity. "not >" also catches a NaN variance.
        for feature, variance in enumerate(layer.running_var):
            if not variance + layer.eps > 0.0:
                raise ValueError(
                    f"export: layer {index} {layer!r} cannot be evaluated: running_var + eps must be > 0 "
                    f"for every feature (it is the variance under a square root), got running_var[{feature}] "
                    f"= {variance!r} with eps = {layer.eps!r}"
                )


def _layer_node(index: int, layer: Layer, source: str, target: str) -> tuple[bytes, list[bytes]]:
    """The layer's NodeProto and its initializers (weights, running statistics, or Reshape's target shape)."""
    operator = OPERATORS[type(layer)]
    inputs = [source]
    attributes = []
    initializers = []
    if isinstance(layer, (Dense, Conv2d, BatchNorm1d)):
        # PyTorch's layouts are ONNX's: Gemm computes X W^T + b with transB=1, Conv takes W as out x in x kernel.
        # BatchNormalization's inputs after X are scale, B, input_mean, input_var: weight and bias, then the
        # buffers running_mean and running_var, the order purenet lists them in.
        for tensor in (*layer.parameters(), *layer.buffers()):
            name = f"{index}.{tensor.name}"
            inputs.append(name)
            initializers.append(_float_tensor(name, list(tensor)))
        if isinstance(layer, Dense):
            attributes.append(_attribute_int("transB", 1))
    if isinstance(layer, Conv2d):
        # Conv1d keeps a height of 1 in its pairs: ONNX's 1-D Conv takes the last entry only.
        axes = layer.dimensions
        attributes += [
            _attribute_ints("kernel_shape", layer.kernel_size[-axes:]),
            _attribute_ints("pads", layer.padding[-axes:] * 2),  # begin of every axis, then end of every axis
            _attribute_ints("strides", layer.stride[-axes:]),
        ]
    elif isinstance(layer, (MaxPool2d, AvgPool2d)):
        axes = layer.dimensions
        attributes += [
            _attribute_ints("kernel_shape", layer.kernel_size[-axes:]),
            _attribute_ints("strides", layer.stride[-axes:]),
        ]
    elif isinstance(layer, LeakyReLU):
        attributes.append(_attribute_float("alpha", layer.alpha))
    elif isinstance(layer, Softmax):
        attributes.append(_attribute_int("axis", -1))
    elif isinstance(layer, Flatten):
        attributes.append(_attribute_int("axis", 1))
    elif isinstance(layer, BatchNorm1d):
        # The inference form torch.onnx writes for a model in eval mode: training_mode 0 (the default, so left out),
        # Y = (X - input_mean) / sqrt(input_var + epsilon) * scale + B on an N x C input. torch.onnx also writes
        # momentum, which only training mode reads: it is left out too.
        attributes.append(_attribute_float("epsilon", layer.eps))
    elif isinstance(layer, Unflatten):
        # Reshape's target: 0 copies the input's size on that axis, so the batch stays whatever it is.
        name = f"{index}.shape"
        inputs.append(name)
        initializers.append(_int64_tensor(name, [0, *layer.shape]))
    node = message(
        *(string_field(1, name) for name in inputs),  # input
        string_field(2, target),  # output
        string_field(3, f"{index}.{type(layer).__name__}"),  # name
        string_field(4, operator),  # op_type
        *(bytes_field(5, attribute) for attribute in attributes),  # attribute (by name, as onnx.helper)
    )
    return node, initializers


def _float_tensor(name: str, values: list) -> bytes:
    """A TensorProto of float32: dims, data_type, name, then the values as little-endian bytes in raw_data."""
    shape = tensors.tensor_shape(values, name, tensors.depth(values))
    flat = tensors.flatten(values) if len(shape) > 1 else values
    try:
        raw = struct.pack(f"<{len(flat)}f", *flat)
    except OverflowError:
        raise ValueError(f"export: {name} holds a value too large for float32 (beyond 3.4e38)") from None
    return message(
        *(integer_field(1, size) for size in shape),  # dims
        integer_field(2, FLOAT),  # data_type
        string_field(8, name),  # name
        bytes_field(9, raw),  # raw_data
    )


def _int64_tensor(name: str, values: list[int]) -> bytes:
    """A 1-D TensorProto of int64, as Reshape's shape input must be."""
    return message(
        integer_field(1, len(values)),  # dims
        integer_field(2, INT64),  # data_type
        string_field(8, name),  # name
        bytes_field(9, struct.pack(f"<{len(values)}q", *values)),  # raw_data
    )


def _attribute_int(name: str, value: int) -> bytes:
    return message(string_field(1, name), integer_field(3, value), integer_field(20, ATTRIBUTE_INT))


def _attribute_float(name: str, value: float) -> bytes:
    return message(string_field(1, name), float_field(2, value), integer_field(20, ATTRIBUTE_FLOAT))


def _attribute_ints(name: str, values: tuple[int, ...]) -> bytes:
    return message(
        string_field(1, name), *(integer_field(8, value) for value in values), integer_field(20, ATTRIBUTE_INTS)
    )


def _value_info(name: str, sample_shape: tuple[int, ...]) -> bytes:
    """A ValueInfoProto: the name, and the type float32 of shape (batch, *sample_shape), batch symbolic."""
    dimensions = [string_field(2, "batch")] + [integer_field(1, size) for size in sample_shape]
    shape = message(*(bytes_field(1, dimension) for dimension in dimensions))  # TensorShapeProto.dim
    tensor_type = message(integer_field(1, FLOAT), bytes_field(2, shape))  # elem_type, shape
    type_proto = bytes_field(1, tensor_type)  # TypeProto.tensor_type
    return message(string_field(1, name), bytes_field(2, type_proto))
