"""ONNX export: a purenet model as an ONNX file, written in pure Python (docs/onnx.md).

``export(model, path)`` writes the file; ``protobuf`` is the wire format's
encoder, ``export`` the graph built from the layers with it.
"""

from .export import OPERATORS, OPSET_VERSION, export, to_bytes

__all__ = ["OPERATORS", "OPSET_VERSION", "export", "to_bytes"]
