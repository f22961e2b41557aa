"""The demo server under load and misuse (docs/robustness.md): everything on 127.0.0.1, bounded in count and time.

8 clients x 50 predictions all succeed (benchmarks/demo_load.py runs 8 x 1,000 and records the latency); a
client that sends nothing, or its body a byte at a time, does not stop others being served; connections
beyond ``MAX_CONNECTIONS`` are refused at once with 503 while the others are still served.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import random
import socket
import time
from pathlib import Path

import pytest

from purenet.squares import shapes
from purenet.squares.demo import server as demo_server

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "demo_load.py"
_SPEC = importlib.util.spec_from_file_location("demo_load", _PATH)
demo_load = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(demo_load)


@pytest.fixture(scope="module")
def running():
    server, thread = demo_load.start_server()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def predict(port: int, timeout: float = 15.0) -> int:
    """One prediction on a fresh connection; its status."""
    body = json.dumps({"strokes": shapes.sample("square", random.Random(1)), "size": 32}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/api/predict", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_eight_clients_of_fifty_predictions_all_succeed(running):
    result = demo_load.run(running.server_port, clients=8, requests=50)
    assert result["failures"] == []
    assert result["requests"] == 400
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]


def test_the_percentile_is_the_nearest_rank():
    values = [float(value) for value in range(1, 101)]
    assert demo_load.percentile(values, 0.50) == 50.0
    assert demo_load.percentile(values, 0.99) == 99.0
    assert demo_load.percentile([3.0], 0.99) == 3.0


def test_a_silent_client_and_a_byte_a_time_client_do_not_stop_others(running):
    silent = socket.create_connection(("127.0.0.1", running.server_port))
    slow = socket.create_connection(("127.0.0.1", running.server_port))
    body = json.dumps({"strokes": shapes.sample("square", random.Random(2)), "size": 32}).encode()
    slow.sendall(f"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    try:
        for index in range(10):
            slow.sendall(body[index : index + 1])  # one byte, then others are served before the next
            started = time.monotonic()
            assert predict(running.server_port) == 200
            assert time.monotonic() - started < 10.0
        slow.sendall(body[10:])
        slow.settimeout(15.0)
        assert slow.recv(64).split(b" ")[1] == b"200"  # the slow client is served too, in the end
    finally:
        silent.close()
        slow.close()


def test_connections_beyond_the_bound_are_refused_at_once_and_others_still_served(running):
    held = [socket.create_connection(("127.0.0.1", running.server_port)) for _ in range(demo_server.MAX_CONNECTIONS)]
    try:
        time.sleep(0.5)  # the server accepts them all and gives each a slot
        extra = socket.create_connection(("127.0.0.1", running.server_port))
        extra.settimeout(10.0)
        answer = extra.recv(4096)
        extra.close()
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable")
        assert b"connections; try again" in answer
    finally:
        for connection in held:
            connection.close()
    # the held connections end, their slots come back, and a new client is served
    deadline = time.monotonic() + 15.0
    while True:
        try:
            status = predict(running.server_port)
        except (ConnectionError, http.client.HTTPException):
            status = None
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 200
