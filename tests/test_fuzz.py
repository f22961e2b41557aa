"""The seeded fuzzers of benchmarks/fuzz.py, 1,000 cases per reader: every input is read or refused
with the reader's documented error, never anything else (docs/robustness.md has the 10,000-case figures)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import purenet as pn
from purenet.checkpoint import load_checkpoint

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz.py"
_SPEC = importlib.util.spec_from_file_location("fuzz", _PATH)
fuzz = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fuzz)

READERS = ["model files", "checkpoints", "drawing files", "drawings (Python objects)", "Quick, Draw! files",
           "PGM/PBM pictures", "safetensors", "CSV tables"]


@pytest.fixture(scope="module")
def fuzzers(tmp_path_factory):
    return fuzz.fuzzers(str(tmp_path_factory.mktemp("fuzz")))


@pytest.mark.parametrize("reader", READERS)
def test_a_thousand_fuzzed_inputs_are_read_or_refused_with_the_documented_error(fuzzers, reader):
    result = fuzz.run(reader, fuzzers[reader], 1000, seed=0)
    counts = result["counts"]
    assert counts["escaped"] == 0, result["escapes"]
    # Both outcomes occur, or the mutations do not test what they claim to.
    assert counts["read"] >= 10 and counts["refused"] >= 500, counts


def test_the_fuzzer_reports_an_exception_a_reader_does_not_document():
    def broken_reader():
        raise KeyError("deep inside")

    with pytest.raises(fuzz.Escape, match="KeyError"):
        fuzz.expect(broken_reader, (ValueError,))
    assert fuzz.expect(lambda: int("x"), (ValueError,)) == "refused"


DEEP_LAYERS = '{"format": "purenet-model", "layers": ' + "[" * 5000 + "]" * 5000 + "}"


@pytest.mark.parametrize("text", ["[" * 100000, DEEP_LAYERS, "9" * 5000, '{"version": NaN}'])
def test_deep_nesting_huge_and_non_finite_numbers_are_model_file_errors(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(pn.ModelFileError):
        pn.load(path)
    with pytest.raises(pn.ModelFileError):
        load_checkpoint(path)


def test_a_checkpoint_with_a_mixed_order_is_a_model_file_error(tmp_path, fuzzers):
    model_text, checkpoint_text = fuzz.small_run(str(tmp_path))
    data = json.loads(checkpoint_text)
    data["training"]["order"][0] = "first"
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(data))
    with pytest.raises(pn.ModelFileError, match="training.order"):
        load_checkpoint(path)


@pytest.fixture(scope="module")
def demo_port():
    import os
    import threading

    server = fuzz.make_server(fuzz.load(fuzz.MODEL), "127.0.0.1", 0, stream=open(os.devnull, "w"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_thousand_fuzzed_demo_requests_are_answered_2xx_or_4xx(demo_port):
    result = fuzz.run("demo API requests", fuzz.demo_api_fuzzer(demo_port), 1000, seed=0)
    counts = result["counts"]
    assert counts["escaped"] == 0, result["escapes"]
    assert counts["read"] >= 10 and counts["refused"] >= 500, counts
