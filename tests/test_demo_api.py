"""The web demo's JSON API and static files, through a real server on a free port.

Each test talks HTTP to ``purenet.squares.demo.make_server`` with the standard
library's own client (``http.client``, or a raw socket for requests that no
well-behaved client would send), so what is checked is what a browser gets.
"""

from __future__ import annotations

import http.client
import io
import itertools
import json
import math
import os
import random
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time

import pytest

from purenet import Dense, Sequential, cli, squares
from purenet.squares import drawing, hilbert
from purenet.squares import quickdraw, shapes
from purenet.squares.demo import make_server, serve
from purenet.squares.demo import server as demo_server
from purenet.serialization import ModelFileError

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Method, path, status, milliseconds; "-" for a method or path the request line did not give.
LOG_LINE = re.compile(r"^([A-Z]+|-) \S+ \d{3} \d+\.\d ms( \(.*\))?$")


class LogStream(io.StringIO):
    """The server's log, readable by the test while the server writes to it."""

    def lines(self) -> list[str]:
        return self.getvalue().splitlines()


class RunningServer:
    """A demo server serving in a thread, with helpers to talk to it."""

    def __init__(self, model: Sequential, collect: str | None = None) -> None:
        self.log = LogStream()
        self.server = make_server(model, "127.0.0.1", 0, stream=self.log, collect=collect)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
        """Send one request; return (status, headers, body as JSON when it is JSON, else bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            raw = response.read()
            content_type = response.getheader("Content-Type", "")
            content = json.loads(raw) if content_type.startswith("application/json") else raw
            return response.status, response, content
        finally:
            connection.close()

    def predict(self, strokes: list, size: int | None = None):
        body = {"strokes": strokes} if size is None else {"strokes": strokes, "size": size}
        return self.request("POST", "/api/predict", json.dumps(body))

    def raw(self, data: bytes, half_close: bool = True) -> bytes:
        """Send raw bytes; return everything the server answers until it closes the connection.

        With ``half_close`` the client then says it has nothing more to send,
        as a client whose body is shorter than announced would.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as connection:
            connection.sendall(data)
            if half_close:
                connection.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def wait_for_log_lines(self, count: int) -> list[str]:
        """The log, once it has ``count`` lines: each line is written just after its answer is sent."""
        deadline = time.monotonic() + 10
        while len(self.log.lines()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.log.lines()


@pytest.fixture(scope="module")
def model() -> Sequential:
    return squares.square_detector()


@pytest.fixture(scope="module")
def running(model):
    running = RunningServer(model)
    yield running
    running.stop()


@pytest.fixture
def fresh(model):
    """A server of its own, for tests that count log lines or patch the model."""
    running = RunningServer(model)
    yield running
    running.stop()


def status_of(response_bytes: bytes) -> int:
    return int(response_bytes.split(b" ", 2)[1])


def json_of(response_bytes: bytes) -> dict:
    return json.loads(response_bytes.split(b"\r\n\r\n", 1)[1])


# --- Drawings --------------------------------------------------------------------------


def hand_square(tilt_degrees: float = 4.0) -> list:
    """A square drawn as one stroke with a point every few units, turned a little as a hand does."""
    angle = math.radians(tilt_degrees)
    corners = [(20, 20), (80, 20), (80, 80), (20, 80), (20, 20)]
    points = []
    for (start_x, start_y), (end_x, end_y) in itertools.pairwise(corners):
        for step in range(12):
            x = start_x + (end_x - start_x) * step / 12 - 50
            y = start_y + (end_y - start_y) * step / 12 - 50
            points.append(
                [50 + x * math.cos(angle) - y * math.sin(angle), 50 + x * math.sin(angle) + y * math.cos(angle)]
            )
    points.append(points[0])
    return [points]


def hand_circle() -> list:
    return [
        [
            [50 + 35 * math.cos(2 * math.pi * step / 64), 50 + 35 * math.sin(2 * math.pi * step / 64)]
            for step in range(65)
        ]
    ]


def generated(kind: str, seed: int) -> list:
    return [[list(point) for point in stroke] for stroke in shapes.sample(kind, random.Random(seed))]


# --- Predictions ---------------------------------------------------------------------------


@pytest.mark.parametrize("strokes", [hand_square(), generated("square", 1), generated("square", 2)])
def test_a_square_is_a_square(running, strokes):
    status, _, answer = running.predict(strokes)
    assert status == 200, answer
    assert answer["verdict"] == "square"
    assert answer["prediction"] == answer["class_names"].index("square")
    assert answer["probabilities"][1] > 0.5


@pytest.mark.parametrize("strokes", [hand_circle(), generated("circle", 1), generated("circle", 2)])
def test_a_circle_is_not_a_square(running, strokes):
    status, _, answer = running.predict(strokes)
    assert status == 200, answer
    assert answer["verdict"] == "not square"
    assert answer["probabilities"][0] > 0.5


@pytest.mark.parametrize("size", [16, 32, 64])
def test_the_answer_has_every_field_in_its_shape(running, size):
    status, response, answer = running.predict(hand_square(), size)
    assert status == 200
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"
    assert answer["size"] == size and answer["model_side"] == 32
    assert len(answer["grid"]) == size and all(len(row) == size for row in answer["grid"])
    assert all(-0.5 <= value <= 0.5 for row in answer["grid"] for value in row)
    assert len(answer["inputs"]) == 1024
    assert len(answer["hidden"]["pre_activations"]) == 32 and len(answer["hidden"]["activations"]) == 32
    assert answer["hidden"]["activation"].startswith("LeakyReLU")
    assert len(answer["logits"]) == 2 and len(answer["probabilities"]) == 2
    assert math.isclose(sum(answer["probabilities"]), 1.0, abs_tol=1e-12)
    assert answer["class_names"] == ["not square", "square"]
    assert answer["verdict"] in answer["class_names"]
    expected_mode = {16: "upsample", 32: "as is", 64: "downsample"}[size]
    assert answer["reading"]["mode"] == expected_mode and str(size) in answer["reading"]["text"]


def test_the_size_defaults_to_the_models_side(running):
    status, _, answer = running.predict(hand_square())
    assert status == 200 and answer["size"] == 32 and answer["reading"]["mode"] == "as is"


def hand_square_turned(degrees: float) -> list:
    """hand_square() turned by ``degrees`` about the origin."""
    angle = math.radians(degrees)
    return [
        [[x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)] for x, y in stroke]
        for stroke in hand_square()
    ]


def test_the_page_is_told_how_far_the_drawing_was_turned_to_stand_upright(running):
    tilted = hand_square_turned(20)
    _, _, upright_answer = running.predict(hand_square())
    _, _, tilted_answer = running.predict(tilted)
    turned = tilted_answer["reading"]["turned_degrees"] - upright_answer["reading"]["turned_degrees"]
    assert abs(turned + 20) < 0.05  # turned back by the 20 degrees it was drawn at
    assert tilted_answer["reading"]["text"].startswith(f"Turned {abs(tilted_answer['reading']['turned_degrees']):g}° to stand upright.")
    # The same picture reaches the network, whatever the angle it was drawn at.
    assert max(abs(a - b) for a, b in zip(upright_answer["inputs"], tilted_answer["inputs"])) < 1e-3


def test_a_model_saved_before_the_turn_upright_gets_drawings_as_it_learnt_them():
    old = squares.square_detector()
    old.metadata = {}  # no "upright": true, as models saved before 2026-12-02
    server = RunningServer(old)
    tilted = hand_square_turned(20)
    try:
        _, _, answer = server.predict(tilted)
    finally:
        server.stop()
    assert answer["reading"]["turned_degrees"] == 0.0 and not answer["reading"]["text"].startswith("Turned")
    expected = drawing.model_input(tilted, 32, upright=False)
    assert all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(answer["inputs"], expected))


@pytest.mark.parametrize("size", [32, 64])
def test_the_answer_is_what_the_library_computes(running, model, size):
    strokes = generated("triangle", 5)
    _, _, answer = running.predict(strokes, size)
    grid = drawing.rasterize(strokes, size)
    assert all(
        math.isclose(a, b, abs_tol=1e-4) for row, expected in zip(answer["grid"], grid) for a, b in zip(row, expected)
    )
    inputs = squares.inputs([strokes], 32, size)[0]
    assert all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(answer["inputs"], inputs))
    first, activation, last = model.layers
    pre_activations = first.forward([inputs])[0]
    activations = activation.forward([pre_activations])[0]
    logits = last.forward([activations])[0]
    assert all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        for a, b in zip(answer["hidden"]["pre_activations"], pre_activations)
    )
    assert all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(answer["hidden"]["activations"], activations)
    )
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(answer["logits"], logits))
    expected = model.predict_proba([inputs])[0]
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(answer["probabilities"], expected))
    # LeakyReLU, by hand: the activations are the pre-activations, negative ones times alpha.
    alpha = activation.alpha
    assert all(
        math.isclose(a, z if z > 0 else alpha * z, rel_tol=1e-12, abs_tol=1e-15)
        for z, a in zip(answer["hidden"]["pre_activations"], answer["hidden"]["activations"])
    )


def test_at_16_each_value_is_repeated_4_times_along_the_curve(running, model):
    strokes = generated("hexagon", 3)
    _, _, answer = running.predict(strokes, 16)
    at_16 = drawing.prepare(strokes, 16)
    assert all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(answer["inputs"], [v for v in at_16 for _ in range(4)]))
    # Undoing it by pooling gives the 16 x 16 picture back...
    assert all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(hilbert.downsample(answer["inputs"], 2), at_16))
    # ...and seen as a picture, every 16 x 16 pixel became a 2 x 2 block.
    enlarged = hilbert.unflatten(answer["inputs"])
    small = drawing.rasterize(strokes, 16)
    assert all(math.isclose(enlarged[y][x], small[y // 2][x // 2], abs_tol=1e-4) for y in range(32) for x in range(32))
    exact = [value for value in at_16 for _ in range(4)]
    assert all(
        math.isclose(a, b, rel_tol=1e-9) for a, b in zip(answer["probabilities"], model.predict_proba([exact])[0])
    )


def test_upsample_is_nearest_neighbour_enlargement_and_downsample_undoes_it():
    # The server's 16 x 16 reading goes through drawing.model_input, which enlarges with hilbert.upsample.
    rng = random.Random(7)
    for side, factor in ((4, 2), (8, 2), (4, 4), (16, 2)):
        grid = [[rng.uniform(-0.5, 0.5) for _ in range(side)] for _ in range(side)]
        enlarged = hilbert.unflatten(hilbert.upsample(hilbert.flatten(grid), factor))
        assert len(enlarged) == side * factor
        assert all(
            enlarged[y][x] == grid[y // factor][x // factor] for y in range(side * factor) for x in range(side * factor)
        )
        values = hilbert.flatten(grid)
        assert hilbert.downsample(hilbert.upsample(values, factor), factor) == pytest.approx(values, abs=1e-15)


def test_answers_stay_right_when_many_arrive_at_once(running, model):
    # Layers keep their last input and output on themselves: without the
    # server's lock, two threads would mix up each other's numbers.
    drawings = [generated(kind, seed) for seed, kind in enumerate(["square", "circle", "triangle", "scribble"] * 3)]
    expected = [model.predict_proba(squares.inputs([strokes], 32, 32))[0] for strokes in drawings]
    results = [None] * len(drawings)

    def ask(index: int) -> None:
        results[index] = running.predict(drawings[index], 32)[2]["probabilities"]

    threads = [threading.Thread(target=ask, args=(index,)) for index in range(len(drawings))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for got, want in zip(results, expected):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


# --- The model, its weights, and samples ----------------------------------------------------


def test_model_describes_layers_side_and_training(running, model):
    status, _, described = running.request("GET", "/api/model")
    assert status == 200
    assert described["model_side"] == 32 and described["inputs"] == 1024 and described["hidden_units"] == 32
    assert [layer["type"] for layer in described["layers"]] == ["Dense", "LeakyReLU", "Dense"]
    assert [layer["parameters"] for layer in described["layers"]] == [1024 * 32 + 32, 0, 32 * 2 + 2]
    assert described["layers"][0]["in_features"] == 1024 and described["layers"][2]["out_features"] == 2
    assert described["total_parameters"] == 1024 * 32 + 32 + 32 * 2 + 2
    assert described["class_names"] == ["not square", "square"]
    assert described["kinds"] == dict(shapes.KINDS)
    assert described["sizes"] == [16, 32, 64]
    assert described["metadata"] == model.metadata
    assert "command" in described["metadata"] and "seed" in described["metadata"]


@pytest.mark.parametrize("unit", [0, 7, 31])
def test_weights_of_a_unit_are_put_back_on_the_grid_along_the_curve(running, model, unit):
    status, _, weights = running.request("GET", f"/api/weights?unit={unit}")
    assert status == 200
    row = model.layers[0].weight[unit]
    expected = hilbert.unflatten(list(row))
    assert weights["unit"] == unit and weights["side"] == 32
    assert len(weights["weights"]) == 32 and all(len(grid_row) == 32 for grid_row in weights["weights"])
    assert all(
        math.isclose(a, b, abs_tol=1e-5) for got, want in zip(weights["weights"], expected) for a, b in zip(got, want)
    )
    assert math.isclose(weights["largest"], max(abs(value) for value in row))
    assert weights["bias"] == model.layers[0].bias[unit]
    assert weights["to_logits"] == [model.layers[2].weight[0][unit], model.layers[2].weight[1][unit]]


@pytest.mark.parametrize(
    "query", ["", "?unit=32", "?unit=-1", "?unit=abc", "?unit=1.5", "?unit=0&unit=1", "?unit=0&x=1"]
)
def test_bad_weight_requests_are_refused(running, query):
    status, _, answer = running.request("GET", f"/api/weights{query}")
    assert status == 400 and answer["error"]


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_a_sample_of_every_kind(running, kind):
    status, _, sample = running.request("GET", f"/api/sample?kind={kind}&seed=11")
    assert status == 200
    assert sample["kind"] == kind and sample["label"] == shapes.KINDS[kind] and sample["seed"] == 11
    assert sample["class_name"] == squares.CLASS_NAMES[shapes.KINDS[kind]]
    expected = shapes.sample(kind, random.Random(11))
    assert len(sample["strokes"]) == len(expected)
    for got, want in zip(sample["strokes"], expected):
        assert len(got) == len(want)
        assert all(math.isclose(a, b, abs_tol=0.006) for point, ideal in zip(got, want) for a, b in zip(point, ideal))
    # The sample is a drawing the predictor takes as it is.
    status, _, answer = running.predict(sample["strokes"])
    assert status == 200 and answer["verdict"] in squares.CLASS_NAMES


def test_samples_without_a_seed_take_the_next_seed_and_differ(running):
    _, _, first = running.request("GET", "/api/sample?kind=square")
    _, _, second = running.request("GET", "/api/sample?kind=square")
    assert second["seed"] != first["seed"]
    assert first["strokes"] != second["strokes"]
    _, _, again = running.request("GET", f"/api/sample?kind=square&seed={first['seed']}")
    assert again["strokes"] == first["strokes"]


@pytest.mark.parametrize(
    "query",
    [
        "?kind=blob",
        "",
        "?kind=",
        "?kind=Square",
        "?kind=square&kind=circle",
        "?kind=square&seed=-1",
        "?kind=square&seed=abc",
        "?kind=square&colour=red",
        "?kind=%ff",
    ],
)
def test_bad_sample_requests_are_refused_with_the_kinds(running, query):
    status, _, answer = running.request("GET", f"/api/sample{query}")
    assert status == 400 and answer["error"]
    if "kind=square" not in query and "%ff" not in query:
        assert all(kind in answer["error"] for kind in shapes.KINDS)


# --- Bad drawings ----------------------------------------------------------------------------

TWO_POINTS = [[1, 2], [3, 4]]
BAD_BODIES = [
    (b"{not json", "not valid JSON"),
    (b"", "not valid JSON"),
    (b"\xff\xfe{}", "UTF-8"),
    (b"[]", "JSON object"),
    (b'"strokes"', "JSON object"),
    (b"{}", "strokes"),
    (b'{"strokes": "abc"}', "strokes must be a list"),
    (b'{"strokes": null}', "got null"),
    (b'{"strokes": {"a": 1}}', "got an object"),
    (b'{"strokes": ["abc"]}', "stroke 0 must be a list"),
    (b'{"strokes": [[["1", 2], [3, 4]]]}', "stroke 0, point 0: x must be a number, got str ('1')"),
    (b'{"strokes": [[[true, 2], [3, 4]]]}', "stroke 0, point 0: x must be a number, got bool (True)"),
    (b'{"strokes": [[[1, false], [3, 4]]]}', "stroke 0, point 0: y must be a number, got bool (False)"),
    (b'{"strokes": [[[null, 2], [3, 4]]]}', "stroke 0, point 0: x must be a number, got None"),
    (b'{"strokes": [[[1, 2], [3, 4]], [[5, 6], ["' + b"x" * 5000 + b'", 7]]]}', "stroke 1, point 1: x must be a number"),
    (b'{"strokes": [[[1, 2, 3], [3, 4]]]}', "pair"),
    (b'{"strokes": [[[1], [3, 4]]]}', "pair"),
    (b'{"strokes": [[5, [3, 4]]]}', "pair"),
    (b'{"strokes": [[[NaN, 2], [3, 4]]]}', "NaN"),
    (b'{"strokes": [[[Infinity, 2], [3, 4]]]}', "Infinity"),
    (b'{"strokes": [[[-Infinity, 2], [3, 4]]]}', "-Infinity"),
    (b'{"strokes": [[[1e999, 2], [3, 4]]]}', "finite"),
    (b'{"strokes": [[[1' + b"0" * 400 + b", 2], [3, 4]]]}", "too large"),
    (b'{"strokes": [[[1e308, 2], [-1e308, 4]]]}', "too far"),
    (b'{"strokes": []}', "empty"),
    (b'{"strokes": [[], []]}', "empty"),
    (b'{"strokes": [[[5, 5]]]}', "single dot"),
    (b'{"strokes": [[[5, 5], [5, 5]], [[5, 5]]]}', "single dot"),
    (json.dumps({"strokes": [TWO_POINTS] * 101}).encode(), "too many strokes"),
    (json.dumps({"strokes": [[[step, step] for step in range(10_001)]]}).encode(), "too many points"),
    (json.dumps({"strokes": [[[step, step] for step in range(5001)]] * 2}).encode(), "too many points"),
    (json.dumps({"strokes": [TWO_POINTS], "size": 8}).encode(), "size must be one of 16, 32, 64"),
    (json.dumps({"strokes": [TWO_POINTS], "size": 128}).encode(), "size must be one of"),
    (json.dumps({"strokes": [TWO_POINTS], "size": "32"}).encode(), "size must be one of"),
    (json.dumps({"strokes": [TWO_POINTS], "size": 32.0}).encode(), "size must be one of"),
    (json.dumps({"strokes": [TWO_POINTS], "size": True}).encode(), "size must be one of"),
    (json.dumps({"strokes": [TWO_POINTS], "size": None}).encode(), "size must be one of"),
    (json.dumps({"strokes": [TWO_POINTS], "colour": "red"}).encode(), "unknown field"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
]


@pytest.mark.parametrize("body, message", BAD_BODIES, ids=[f"body{index}" for index in range(len(BAD_BODIES))])
def test_bad_drawings_get_a_400_with_a_message(running, body, message):
    status, response, answer = running.request(
        "POST", "/api/predict", body, {"Content-Type": "application/json", "Content-Length": str(len(body))}
    )
    assert status == 400
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"
    assert message in answer["error"]


def test_a_bad_value_is_named_without_echoing_all_of_it(running):
    body = b'{"strokes": [[[1, 2], ["' + b"x" * 5000 + b'", 7]]]}'
    status, _, answer = running.request(
        "POST", "/api/predict", body, {"Content-Type": "application/json", "Content-Length": str(len(body))}
    )
    assert status == 400
    assert "stroke 0, point 1: x must be a number, got str ('xxx" in answer["error"]
    assert len(answer["error"]) < 200


def test_a_body_without_content_length_is_refused(running):
    answer = running.raw(b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert status_of(answer) == 411
    assert "Content-Length" in json_of(answer)["error"]
    chunked = running.raw(
        b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    )
    assert status_of(chunked) == 411


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e3", b"99999999999999999999999"])
def test_a_malformed_content_length_is_refused(running, length):
    answer = running.raw(b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length + b"\r\n\r\n{}")
    assert status_of(answer) in (400, 413)
    assert json_of(answer)["error"]


def test_a_huge_body_gets_413_before_it_is_read(running):
    # The headers announce 50 MB but only 1 kB follows: a server that tried
    # to read the body first would wait here until its timeout.
    started = time.monotonic()
    answer = running.raw(
        b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50000000\r\n\r\n" + b"[" * 1000,
        half_close=False,
    )
    assert status_of(answer) == 413
    assert "at most 1,000,000" in json_of(answer)["error"]
    assert time.monotonic() - started < 5
    just_over = running.raw(b"POST /api/predict HTTP/1.1\r\nContent-Length: 1000001\r\n\r\n")
    assert status_of(just_over) == 413


def test_a_body_shorter_than_announced_is_refused(running):
    answer = running.raw(b"POST /api/predict HTTP/1.0\r\nContent-Length: 100\r\n\r\n{}")
    assert status_of(answer) == 400
    assert "ended after 2 of its 100" in json_of(answer)["error"]


# --- Routes, methods and static files -------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/nope"),
        ("GET", "/api/nope"),
        ("POST", "/api/nope"),
        ("GET", "/api/predict/"),
        ("GET", "/static/missing.js"),
        ("GET", "/static/"),
        ("GET", "/static"),
        ("GET", "/index.html"),
    ],
)
def test_unknown_routes_are_404(running, method, path):
    status, response, answer = running.request(method, path, b"" if method == "POST" else None)
    assert status == 404
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"
    assert answer["error"]


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("GET", "/api/predict", "POST"),
        ("PUT", "/api/predict", "POST"),
        ("POST", "/api/model", "GET"),
        ("DELETE", "/api/sample?kind=square", "GET"),
        ("PATCH", "/api/weights?unit=0", "GET"),
        ("POST", "/", "GET"),
        ("OPTIONS", "/static/app.js", "GET"),
    ],
)
def test_wrong_methods_are_405(running, method, path, allowed):
    status, response, answer = running.request(method, path, b"{}" if method in ("POST", "PUT", "PATCH") else None)
    assert status == 405
    assert response.getheader("Allow") == allowed
    assert allowed in answer["error"]


@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("/", "text/html; charset=utf-8", b'<canvas id="drawing"'),
        ("/static/index.html", "text/html; charset=utf-8", b'<output id="verdict"'),
        ("/static/app.js", "text/javascript; charset=utf-8", b"function hilbertCell"),
        ("/static/style.css", "text/css; charset=utf-8", b"touch-action: none"),
    ],
)
def test_the_page_and_its_files_are_served_with_their_types(running, path, content_type, marker):
    status, response, body = running.request("GET", path)
    assert status == 200
    assert response.getheader("Content-Type") == content_type
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert marker in body


def test_the_page_loads_nothing_from_the_network(running):
    _, _, page = running.request("GET", "/")
    _, _, script = running.request("GET", "/static/app.js")
    _, _, style = running.request("GET", "/static/style.css")
    for text in (page, script, style):
        assert b"http://" not in text and b"https://" not in text and b"//cdn" not in text
    assert b'name="viewport"' in page


def test_head_answers_headers_only(running):
    answer = running.raw(b"HEAD / HTTP/1.0\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_of(answer) == 200 and b"Content-Length:" in head and body == b""


TRAVERSALS = [
    "/../pyproject.toml",
    "/%2e%2e/pyproject.toml",
    "/%2E%2E/%2E%2E/pyproject.toml",
    "/static/../../pyproject.toml",
    "/static/../../purenet/cli.py",
    "/static/../server.py",
    "/static/%2e%2e/server.py",
    "/static/%2e%2e/%2e%2e/cli.py",
    "/static/..%2f..%2fcli.py",
    "/static/%2e%2e%2f%2e%2e%2fcli.py",
    "/static/%252e%252e/server.py",
    "//etc/passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/%2Fetc/passwd",
    "/static/..%5c..%5cpyproject.toml",
    "/static/%5c..%5cserver.py",
    "/static/..\\server.py",
    "/static/.%5c..%5cserver.py",
    "/static/C:%5cWindows%5cwin.ini",
    "/static/C:/Windows/win.ini",
    "/static/index.html%00.js",
    "/static/./index.html",
    "/static/%2e/index.html",
    "/static/..",
    "/static/.",
    "/static/%ff%fe",
    "/etc/passwd",
    "/static/app.js/",
]
SECRETS = [b"[build-system]", b"def main", b"class DemoRequestHandler", b"root:", b"import ", b"[fonts]"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_outside_the_static_folder_are_404(running, path):
    answer = running.raw(f"GET {path} HTTP/1.0\r\n\r\n".encode("latin-1"))
    assert status_of(answer) == 404, answer[:200]
    assert not any(secret in answer for secret in SECRETS)
    assert json_of(answer)["error"]


def test_static_file_refuses_symlinks_folders_and_unknown_types(tmp_path, monkeypatch):
    outside = tmp_path / "secret.js"
    outside.write_text("secret")
    folder = tmp_path / "static"
    (folder / "sub").mkdir(parents=True)
    (folder / "page.html").write_text("<p>hi</p>")
    (folder / "sub" / "deep.css").write_text("p {}")
    (folder / "notes.txt").write_text("no type")
    (folder / "link.js").symlink_to(outside)
    (folder / "inner.html").symlink_to(folder / "page.html")
    (folder / "linked").symlink_to(tmp_path)
    monkeypatch.setattr(demo_server, "STATIC_FOLDER", str(folder))
    assert demo_server.static_file("/static/page.html") == str(folder / "page.html")
    assert demo_server.static_file("/static/sub/deep.css") == str(folder / "sub" / "deep.css")
    for path in [
        "/static/link.js",
        "/static/inner.html",
        "/static/linked/secret.js",
        "/static/sub",
        "/static/notes.txt",
        "/static/sub/",
        "/static/../secret.js",
        "/static/%2e%2e/secret.js",
    ]:
        assert demo_server.static_file(path) is None, path
    assert demo_server.static_file("/") is None  # this folder has no index.html


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"BREW /pot HTTP/1.1\r\n\r\n", 501),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_requests_get_json_errors(running, request_bytes, status):
    answer = running.raw(request_bytes)
    assert status_of(answer) == status
    assert json_of(answer)["error"]


# --- Robustness and logging ----------------------------------------------------------------


def test_a_failing_handler_answers_500_and_the_server_goes_on(fresh, monkeypatch):
    def broken(strokes, size):
        raise RuntimeError("a bug in the explainer")

    monkeypatch.setattr(fresh.server.explainer, "predict", broken)
    status, _, answer = fresh.predict(hand_square())
    assert status == 500 and "a bug in the explainer" in answer["error"]
    monkeypatch.undo()
    status, _, answer = fresh.predict(hand_square())
    assert status == 200 and answer["verdict"] == "square"


def test_the_server_still_answers_after_every_bad_request(fresh):
    for body, _ in BAD_BODIES[:10]:
        fresh.request("POST", "/api/predict", body)
    for path in TRAVERSALS[:10]:
        fresh.raw(f"GET {path} HTTP/1.0\r\n\r\n".encode("latin-1"))
    fresh.raw(b"POST /api/predict HTTP/1.1\r\nContent-Length: 50000000\r\n\r\n")
    fresh.raw(b"GARBAGE\r\n\r\n")
    # A client that announces a body and then goes silent holds one thread, not the server.
    silent = socket.create_connection(("127.0.0.1", fresh.port), timeout=5)
    silent.sendall(b"POST /api/predict HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    try:
        status, _, answer = fresh.predict(hand_circle())
        assert status == 200 and answer["verdict"] == "not square"
        status, _, described = fresh.request("GET", "/api/model")
        assert status == 200 and described["model_side"] == 32
        assert fresh.thread.is_alive()
    finally:
        silent.close()


def test_one_log_line_per_request(fresh):
    fresh.request("GET", "/")
    fresh.request("GET", "/static/app.js?version=1")
    fresh.predict(hand_square(), 64)
    fresh.request("POST", "/api/predict", b"{bad")
    fresh.request("GET", "/api/predict")
    fresh.request("GET", "/static/../server.py")
    fresh.raw(b"POST /api/predict HTTP/1.1\r\nContent-Length: 50000000\r\n\r\n")
    fresh.raw(b"GARBAGE\r\n\r\n")
    lines = fresh.wait_for_log_lines(8)
    assert len(lines) == 8, lines
    assert all(LOG_LINE.match(line) for line in lines), lines
    statuses = sorted(int(line.split()[2]) for line in lines)
    assert statuses == [200, 200, 200, 400, 400, 404, 405, 413]
    assert any(line.startswith("POST /api/predict 200 ") for line in lines)
    time.sleep(0.2)
    assert len(fresh.log.lines()) == 8  # and no more: nothing else writes to the log


def test_log_lines_escape_control_characters(fresh):
    fresh.raw(b"GET /a\x1b[31mred HTTP/1.0\r\n\r\n")
    (line,) = fresh.wait_for_log_lines(1)
    assert "\x1b" not in line and "\\x1b" in line


# --- make_server and serve -------------------------------------------------------------------


def test_make_server_refuses_a_model_of_another_shape():
    with pytest.raises(ValueError, match="Dense"):
        make_server(Sequential(Dense(1024, 2)), "127.0.0.1", 0, stream=io.StringIO())
    with pytest.raises(ValueError, match="square power-of-two grid"):
        make_server(Sequential(Dense(1000, 4), Dense(4, 2)), "127.0.0.1", 0, stream=io.StringIO())
    with pytest.raises(TypeError, match="Sequential"):
        make_server("model.json", "127.0.0.1", 0, stream=io.StringIO())


def test_a_model_of_another_side_reads_its_own_side_and_every_size():
    small = squares.build_network(size=8, hidden=4, rng=random.Random(3))
    running = RunningServer(small)
    try:
        status, _, answer = running.predict(hand_square())
        assert status == 200 and answer["size"] == 8 and len(answer["inputs"]) == 64
        status, _, answer = running.predict(hand_square(), 64)
        assert status == 200 and answer["reading"] == {**answer["reading"], "mode": "downsample", "factor": 8}
        expected = hilbert.downsample(drawing.prepare(hand_square(), 64), 8)
        assert answer["inputs"] == pytest.approx(expected, abs=1e-4)
        _, _, described = running.request("GET", "/api/model")
        assert described["sizes"] == [8, 16, 32, 64] and described["hidden_units"] == 4
    finally:
        running.stop()


def test_serve_refuses_a_missing_model_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        serve(str(tmp_path / "missing.json"), port=0, stream=io.StringIO())


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, which Windows delivers differently")
def test_serve_prints_its_address_answers_and_stops_cleanly_on_ctrl_c():
    environment = dict(os.environ, PYTHONPATH=REPOSITORY)
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from purenet.squares.demo import serve; sys.exit(serve(port=0))"],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=REPOSITORY,
    )
    try:
        first_line = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first_line)
        assert match, first_line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=20)
        connection.request("GET", "/api/model")
        assert connection.getresponse().status == 200
        connection.close()
        # The log line comes just after the answer: wait for it before stopping.
        assert process.stderr.readline().startswith("GET /api/model 200 ")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        rest = process.stderr.read()
        assert "stopped" in rest and "Traceback" not in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


# --- Collecting drawings (demo --collect FILE.ndjson) ------------------------------------------


@pytest.fixture
def collecting(model, tmp_path):
    """A server that saves drawings into tmp_path/drawings.ndjson."""
    running = RunningServer(model, collect=str(tmp_path / "drawings.ndjson"))
    running.file = tmp_path / "drawings.ndjson"
    yield running
    running.stop()


def save(running: RunningServer, strokes: list, label: str):
    return running.request("POST", "/api/collect", json.dumps({"strokes": strokes, "label": label}))


def test_without_collect_nothing_is_shown_and_nothing_written(fresh, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    appended = []
    monkeypatch.setattr(quickdraw, "append", lambda *arguments, **options: appended.append(arguments))
    _, _, described = fresh.request("GET", "/api/model")
    assert described["collect"] == {"enabled": False}
    for method in ("POST", "GET"):
        body = json.dumps({"strokes": hand_square(), "label": "square"}) if method == "POST" else None
        status, _, answer = fresh.request(method, "/api/collect", body)
        assert status == 404
        assert "--collect" in answer["error"]
    assert appended == [] and list(tmp_path.iterdir()) == []


def test_saved_drawings_are_quickdraw_lines_that_read_back(collecting):
    _, _, described = collecting.request("GET", "/api/model")
    assert described["collect"]["enabled"] is True
    assert described["collect"]["file"] == "drawings.ndjson"
    assert described["collect"]["counts"] == {"square": 0, "other": 0}
    assert not collecting.file.exists()  # nothing is written before the first save

    status, _, answer = save(collecting, hand_square(), "square")
    assert status == 200, answer
    assert answer["collect"]["counts"] == {"square": 1, "other": 0}
    status, _, answer = save(collecting, hand_circle() + [[[10, 10], [20, 30]]], "other")
    assert status == 200, answer
    assert answer["collect"] == {**described["collect"], "counts": {"square": 1, "other": 1}}

    text = collecting.file.read_text(encoding="utf-8")
    assert text.endswith("\n") and text.count("\n") == 2
    records = [json.loads(line) for line in text.splitlines()]
    assert [record["word"] for record in records] == ["square", "other"]
    # The simplified Quick, Draw! form: each stroke is [xs, ys], two lists of the same length.
    assert [len(record["drawing"]) for record in records] == [1, 2]
    for record in records:
        for xs, ys in record["drawing"]:
            assert len(xs) == len(ys) >= 2
    read_back = quickdraw.read(str(collecting.file))
    assert [entry["word"] for entry in read_back] == ["square", "other"]
    # What was saved is the same shape, and the model reads it the same way.
    model = squares.square_detector()
    for entry, strokes in zip(read_back, [hand_square(), hand_circle() + [[[10, 10], [20, 30]]]]):
        # Not turned upright: a circle has no one upright, and the few units rounding moves
        # its points may turn it another way (docs/squares.md, section 2).
        saved_input = drawing.prepare(entry, 32, upright=False)
        original_input = drawing.prepare(strokes, 32, upright=False)
        # Simplified to integers on 0..255: the pictures differ by a fraction of the pen's width.
        assert sum(abs(a - b) for a, b in zip(saved_input, original_input)) / 1024 < 0.02
        # Turned upright, the circle's picture may differ, and p(square) with it (0.04 and 0.24 here),
        # but the answer is the same.
        saved_p, original_p = (model.predict_proba([drawing.prepare(item, 32)])[0][1] for item in (entry, strokes))
        assert (saved_p > 0.5) == (original_p > 0.5) == (entry["word"] == "square")
    _, _, described = collecting.request("GET", "/api/model")
    assert described["collect"]["counts"] == {"square": 1, "other": 1}


def test_an_existing_file_is_counted_and_appended_to(model, tmp_path):
    path = tmp_path / "mine.ndjson"
    quickdraw.append(str(path), hand_square(), "square")
    quickdraw.append(str(path), hand_square(10), "square")
    quickdraw.append(str(path), hand_circle(), "circle")  # gathered elsewhere: counted as "other"
    running = RunningServer(model, collect=str(path))
    try:
        _, _, described = running.request("GET", "/api/model")
        assert described["collect"]["counts"] == {"square": 2, "other": 1}
        status, _, answer = save(running, hand_circle(), "other")
        assert status == 200 and answer["collect"]["counts"] == {"square": 2, "other": 2}
    finally:
        running.stop()
    assert [entry["word"] for entry in quickdraw.read(str(path))] == ["square", "square", "circle", "other"]


def test_a_malformed_existing_file_is_refused_before_serving(model, tmp_path):
    path = tmp_path / "broken.ndjson"
    quickdraw.append(str(path), hand_square(), "square")
    with open(path, "a", encoding="utf-8") as file:
        file.write("{not json\n")
    with pytest.raises(ValueError, match="line 2"):
        make_server(model, "127.0.0.1", 0, stream=io.StringIO(), collect=str(path))


def test_collect_must_name_a_file_in_a_folder_that_exists(model, tmp_path):
    with pytest.raises(ValueError, match="collect must name a file"):
        make_server(model, "127.0.0.1", 0, stream=io.StringIO(), collect=str(tmp_path))
    with pytest.raises(ValueError, match="does not exist"):
        make_server(model, "127.0.0.1", 0, stream=io.StringIO(), collect=str(tmp_path / "missing" / "x.ndjson"))
    with pytest.raises(TypeError, match="collect must be a file path"):
        make_server(model, "127.0.0.1", 0, stream=io.StringIO(), collect=3)


BAD_SAVES = [
    (b"[]", "JSON object"),
    (b"{not json", "not valid JSON"),
    (json.dumps({"strokes": hand_square()}).encode(), '"label"'),
    (json.dumps({"strokes": hand_square(), "label": "circle"}).encode(), 'label must be "square" or "other"'),
    (json.dumps({"strokes": hand_square(), "label": "Square"}).encode(), 'got "Square"'),
    (json.dumps({"strokes": hand_square(), "label": None}).encode(), "got null"),
    (json.dumps({"strokes": hand_square(), "label": 1}).encode(), "got a number"),
    (json.dumps({"strokes": hand_square(), "label": "square", "size": 32}).encode(), "unknown field"),
    (json.dumps({"label": "square"}).encode(), "strokes"),
    (json.dumps({"strokes": [], "label": "square"}).encode(), "empty"),
    (json.dumps({"strokes": [[[5, 5], [5, 5]]], "label": "other"}).encode(), "single dot"),
    (json.dumps({"strokes": [[[1, True], [3, 4]]], "label": "other"}).encode(), "y must be a number"),
    (b'{"strokes": [[[NaN, 2], [3, 4]]], "label": "other"}', "NaN"),
    (json.dumps({"strokes": [TWO_POINTS] * 101, "label": "other"}).encode(), "too many strokes"),
    (json.dumps({"strokes": [[[step, step % 7] for step in range(10_001)]], "label": "other"}).encode(), "too many"),
]


@pytest.mark.parametrize("body, message", BAD_SAVES, ids=[f"body{index}" for index in range(len(BAD_SAVES))])
def test_bad_saves_get_a_400_and_write_nothing(collecting, body, message):
    status, _, answer = collecting.request("POST", "/api/collect", body)
    assert status == 400
    assert message in answer["error"]
    assert not collecting.file.exists()


def test_collect_answers_post_only(collecting):
    status, response, answer = collecting.request("GET", "/api/collect")
    assert status == 405 and response.getheader("Allow") == "POST" and "POST" in answer["error"]


def test_the_file_is_capped_in_drawings(collecting, monkeypatch):
    monkeypatch.setattr(demo_server, "MAX_COLLECTED_DRAWINGS", 3)
    for _ in range(3):
        assert save(collecting, hand_square(), "square")[0] == 200
    status, _, answer = save(collecting, hand_circle(), "other")
    assert status == 507
    assert "3 drawings" in answer["error"] and "--collect" in answer["error"]
    assert len(quickdraw.read(str(collecting.file))) == 3


def test_the_file_is_capped_in_bytes(collecting, monkeypatch):
    assert save(collecting, hand_square(), "square")[0] == 200
    size = collecting.file.stat().st_size
    monkeypatch.setattr(demo_server, "MAX_COLLECTED_BYTES", size + size // 2)
    status, _, answer = save(collecting, hand_square(), "square")
    assert status == 507 and f"{size:,} bytes" in answer["error"]
    assert collecting.file.stat().st_size == size


def test_the_line_size_checked_is_the_line_written(collecting, monkeypatch):
    strokes = hand_circle() + [[[10, 10], [20, 30]]]
    expected = demo_server.saved_line_bytes(strokes, "other")
    monkeypatch.setattr(demo_server, "MAX_LINE_BYTES", expected - 1)
    status, _, answer = save(collecting, strokes, "other")
    assert status == 400 and f"{expected:,} bytes" in answer["error"] and f"at most {expected - 1:,}" in answer["error"]
    assert not collecting.file.exists()
    monkeypatch.setattr(demo_server, "MAX_LINE_BYTES", expected)
    assert save(collecting, strokes, "other")[0] == 200
    assert collecting.file.stat().st_size == expected


def test_a_dense_scribble_is_too_long_a_line(collecting):
    # Random points survive simplification: thousands of them make a line far above the cap.
    rng = random.Random(5)
    scribble = [[[rng.uniform(0, 100), rng.uniform(0, 100)] for _ in range(6000)]]
    status, _, answer = save(collecting, scribble, "other")
    assert status == 400 and f"at most {demo_server.MAX_LINE_BYTES:,}" in answer["error"]
    assert not collecting.file.exists()


def test_eight_saves_at_once_write_eight_whole_lines_one_at_a_time(collecting, monkeypatch):
    # Long drawings make long lines, which two unsynchronised writers could interleave.
    drawings = [
        [[[50 + (20 + index + step % 5) * math.cos(step / 40), 50 + (20 + index) * math.sin(step / 40)]
          for step in range(2000)]]
        for index in range(8)
    ]
    labels = ["square", "other"] * 4
    writing = {"now": 0, "most": 0}
    counter_lock = threading.Lock()
    original_append = quickdraw.append

    def watched_append(*arguments, **options):
        # Counts the writers inside append at once: the server's lock must keep it at one.
        with counter_lock:
            writing["now"] += 1
            writing["most"] = max(writing["most"], writing["now"])
        time.sleep(0.01)
        try:
            return original_append(*arguments, **options)
        finally:
            with counter_lock:
                writing["now"] -= 1

    monkeypatch.setattr(quickdraw, "append", watched_append)
    barrier = threading.Barrier(8)
    statuses = [None] * 8

    def save_one(index: int) -> None:
        barrier.wait(timeout=10)
        statuses[index] = save(collecting, drawings[index], labels[index])[0]

    threads = [threading.Thread(target=save_one, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 8
    assert writing["most"] == 1
    lines = collecting.file.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 9
    records = [json.loads(line) for line in lines[:-1]]
    assert sorted(record["word"] for record in records) == sorted(labels)
    _, _, described = collecting.request("GET", "/api/model")
    assert described["collect"]["counts"] == {"square": 4, "other": 4}


def test_a_failed_write_is_a_500_that_names_the_file(collecting, monkeypatch):
    def full_disk(*arguments, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(quickdraw, "append", full_disk)
    status, _, answer = save(collecting, hand_square(), "square")
    assert status == 500 and "drawings.ndjson" in answer["error"] and "No space left" in answer["error"]
    _, _, described = collecting.request("GET", "/api/model")
    assert described["collect"]["counts"] == {"square": 0, "other": 0}


def test_the_command_line_passes_collect_to_the_server(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(demo_server, "serve", lambda *arguments, **options: calls.append((arguments, options)) or 0)
    path = str(tmp_path / "mine.ndjson")
    assert cli.main(["demo", "--port", "0", "--collect", path]) == 0
    assert calls[0][1]["collect"] == path
    assert cli.main(["demo", "--port", "0"]) == 0
    assert calls[1][1]["collect"] is None
    with pytest.raises(SystemExit) as stopped:
        cli.main(["demo", "--collect", str(tmp_path)])
    assert stopped.value.code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, which Windows delivers differently")
def test_serve_with_collect_says_where_it_saves_and_how_much_is_there(tmp_path):
    path = tmp_path / "mine.ndjson"
    quickdraw.append(str(path), hand_square(), "square")
    environment = dict(os.environ, PYTHONPATH=REPOSITORY)
    program = f"import sys; from purenet.squares.demo import serve; sys.exit(serve(port=0, collect={str(path)!r}))"
    process = subprocess.Popen(
        [sys.executable, "-c", program], stderr=subprocess.PIPE, text=True, env=environment, cwd=REPOSITORY
    )
    try:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stderr.readline())
        assert match
        assert process.stderr.readline().strip() == (
            f"collecting drawings into {path} (so far 1 square and 0 others)"
        )
        # Once a request is answered the server is serving, and Ctrl-C stops it cleanly.
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=20)
        connection.request("GET", "/api/model")
        assert json.loads(connection.getresponse().read())["collect"]["counts"] == {"square": 1, "other": 0}
        connection.close()
        assert process.stderr.readline().startswith("GET /api/model 200 ")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def test_an_interrupt_just_after_a_thread_started_gives_its_connection_slot_back_once(model, monkeypatch):
    """A KeyboardInterrupt raised in process_request once the handler thread is running (as Ctrl-C can, in
    serve_forever run in the main thread) still ends serving, and the slot is given back once, not twice."""
    server = make_server(model, "127.0.0.1", 0, stream=LogStream())
    started = socketserver.ThreadingMixIn.process_request

    def start_then_interrupt(self, request, client_address):
        started(self, request, client_address)
        raise KeyboardInterrupt

    monkeypatch.setattr(socketserver.ThreadingMixIn, "process_request", start_then_interrupt)
    errors = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=20) as client:
            client.sendall(b"GET /api/model HTTP/1.0\r\n\r\n")
            with pytest.raises(KeyboardInterrupt):
                server.handle_request()
            deadline = time.monotonic() + 10
            while server.slot_holders and time.monotonic() < deadline:
                time.sleep(0.01)
        # (socketserver closes the connection under the thread, which may log that it failed: not the point.)
        assert not server.slot_holders and errors == []
        slots = [server.connection_slots.acquire(blocking=False) for _ in range(demo_server.MAX_CONNECTIONS + 1)]
        assert slots == [True] * demo_server.MAX_CONNECTIONS + [False]
    finally:
        server.server_close()


# Run in a process of its own (python -c PROGRAM FILE ROUND ...): serve() in the main thread, stopped by
# SIGINT once per round at a chosen moment, and a line of JSON per round saying how the stop went.  One
# process runs every round, so the moments that raced on a loaded machine are tried several times in a
# couple of seconds.  A watchdog ends a round that does not stop, instead of the test waiting for it.
CTRL_C_ROUNDS = r'''
import http.client, json, os, re, signal, socket, sys, threading, time
from purenet.squares.demo import server as demo_server

path, rounds = sys.argv[1], sys.argv[2:]
DRAWING = json.dumps({"strokes": [[[20, 20], [80, 20], [80, 80], [20, 80], [20, 20]]], "label": "square"})


class Log:
    """serve's stream: every line, and the port once the address is printed."""

    def __init__(self, ctrl_c_at_start):
        self.text, self.port, self.ready = "", None, threading.Event()
        self.ctrl_c_at_start = ctrl_c_at_start

    def write(self, text):
        self.text += text
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
        if match and self.port is None:
            self.port = int(match.group(1))
            self.ready.set()
            if self.ctrl_c_at_start:
                signal.raise_signal(signal.SIGINT)  # the address is out, the server is not serving yet

    def flush(self):
        pass


def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)  # as the terminal sends it: to the process, any thread may take it


def ask(log, method, url, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", log.port, timeout=20)
    try:
        connection.request(method, url, body=body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def nothing(log, outcome):
    log.ready.wait()


def one_request(log, outcome):
    log.ready.wait()
    outcome["status"] = ask(log, "GET", "/api/model")[0]


def a_request_left_open(log, outcome):
    # A client that sent the headers and part of the body, then stalls: its thread waits for the rest.
    log.ready.wait()
    stalled = socket.create_connection(("127.0.0.1", log.port), timeout=20)
    stalled.sendall(b"POST /api/collect HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"strokes\": ")
    time.sleep(0.2)
    ctrl_c()
    outcome["stalled"] = stalled  # closed after the round


def saving(log, outcome):
    # Two clients save drawings as fast as they can; Ctrl-C comes after the fifth answer, while they go on.
    log.ready.wait()
    outcome["saved"] = 0
    lock = threading.Lock()

    def client():
        while True:
            try:
                status, _ = ask(log, "POST", "/api/collect", DRAWING)
            except OSError:
                return  # the server is gone
            if status != 200:
                return
            with lock:
                outcome["saved"] += 1
                if outcome["saved"] == 5:
                    ctrl_c()

    clients = [threading.Thread(target=client) for _ in range(2)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()


def lines_in_file():
    if not os.path.exists(path):
        return 0
    with open(path, "rb") as file:
        data = file.read()
    assert data == b"" or data.endswith(b"\n"), "the file ends in the middle of a line"
    for line in data.splitlines():
        json.loads(line)
    return len(data.splitlines())


SCENARIOS = {
    "at start": nothing,
    "in start": one_request,
    "request open": a_request_left_open,
    "saving": saving,
}
original_start = threading.Thread.start


def start_then_ctrl_c(thread):
    # What a loaded machine did once in CI, made certain: the handler thread has answered already, and
    # the main thread, still inside Thread.start for it, gets the Ctrl-C.  (Before the fix, that gave
    # the connection's slot back twice; the ValueError was logged as a failed request and the demo
    # went on serving.)
    # Looked at before starting it: Thread.run deletes _target when the thread ends, which on a loaded
    # machine can be before start returns.
    target = getattr(thread, "_target", None)
    original_start(thread)
    if target is not None and target.__name__ == "process_request_thread":
        thread.join()
        signal.raise_signal(signal.SIGINT)


for name in rounds:
    log, outcome = Log(ctrl_c_at_start=name == "at start"), {}
    before = lines_in_file()
    threading.Thread.start = start_then_ctrl_c if name == "in start" else original_start
    client = threading.Thread(target=SCENARIOS[name], args=(log, outcome), daemon=True)
    original_start(client)
    watchdog = threading.Timer(15, lambda: (print(json.dumps({"round": name, "hung": log.text}), flush=True),
                                            os._exit(3)))
    original_start(watchdog)
    began = time.monotonic()
    try:
        result = demo_server.serve(port=0, stream=log, collect=path)
    except BaseException as error:
        result = f"{type(error).__name__}: {error}"
    seconds = time.monotonic() - began
    watchdog.cancel()
    threading.Thread.start = original_start
    client.join(15)
    if "stalled" in outcome:
        outcome.pop("stalled").close()
    report = {"round": name, "result": result, "seconds": seconds, "log": log.text,
              "client done": not client.is_alive(), "lines added": lines_in_file() - before, **outcome}
    print(json.dumps(report), flush=True)
'''

CTRL_C_ROUND_NAMES = ["at start", "in start", "request open", "saving", "saving", "saving"]


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, which Windows delivers differently")
def test_ctrl_c_stops_the_demo_cleanly_whenever_it_lands(tmp_path):
    """Ctrl-C before serving starts, inside the start of a handler thread, with a request left open, and
    while drawings are being saved: serve returns 0 each time, promptly, with nothing lost or cut short."""
    path = tmp_path / "drawings.ndjson"
    environment = dict(os.environ, PYTHONPATH=REPOSITORY)
    finished = subprocess.run(
        [sys.executable, "-c", CTRL_C_ROUNDS, str(path), *CTRL_C_ROUND_NAMES],
        capture_output=True, text=True, env=environment, cwd=REPOSITORY, timeout=120,
    )
    reports = [json.loads(line) for line in finished.stdout.splitlines()]
    assert [report["round"] for report in reports] == CTRL_C_ROUND_NAMES, (finished.stdout, finished.stderr)
    assert finished.returncode == 0 and "Traceback" not in finished.stderr, finished.stderr
    for report in reports:
        shown = json.dumps(report, indent=1)
        assert report["result"] == 0, shown
        assert report["log"].endswith("purenet demo: stopped\n") and " failed: " not in report["log"], shown
        # Well within the time a stalled client is given: the demo never waits for one to finish.
        assert report["seconds"] < demo_server.REQUEST_TIMEOUT_SECONDS / 2, shown
        assert report["client done"], shown
    assert reports[1]["status"] == 200
    for report in reports[3:]:
        # Each drawing answered as saved is in the file, whole; none was written without an answer.
        assert report["saved"] >= 5 and report["lines added"] == report["saved"], json.dumps(report, indent=1)
    assert len(quickdraw.read(str(path))) == sum(report["saved"] for report in reports[3:])
