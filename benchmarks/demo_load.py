"""The demo server under load: concurrent clients, each sending /api/predict requests one after the other.

    python benchmarks/demo_load.py                          # 8 clients x 1,000 requests (docs/robustness.md)
    python benchmarks/demo_load.py --clients 8 --requests 50

The server (the shipped square detector) runs in a thread of this process on
127.0.0.1 and a free port; nothing leaves the machine. Each client sends a
drawing of its own through one ``http.client.HTTPConnection`` (the demo
answers HTTP/1.0 and closes, so each request opens a connection); every
answer must be 200 with the model's prediction. Prints the count of failures
and the p50 / p99 / max latency of a request, in milliseconds. Exits with
status 1 if any request failed. tests/test_demo_load.py runs 8 x 50.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from purenet.serialization import load  # noqa: E402  (after the path: the script runs from a clone)
from purenet.squares import shapes  # noqa: E402
from purenet.squares.demo import make_server  # noqa: E402

MODEL = os.path.join(ROOT, "purenet", "squares", "models", "square_detector.json")


class Log:
    """The server's log, kept only as a count of lines (a load run writes thousands)."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> None:
        self.lines += text.count("\n")

    def flush(self) -> None:
        pass


def start_server() -> tuple[object, threading.Thread]:
    """The demo server on 127.0.0.1 and a free port, serving in a daemon thread."""
    server = make_server(load(MODEL), "127.0.0.1", 0, stream=Log())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def client(port: int, index: int, requests: int, latencies: list, failures: list) -> None:
    """One client: ``requests`` predictions, one after the other, each timed."""
    strokes = shapes.sample("square" if index % 2 == 0 else "circle", random.Random(index))
    body = json.dumps({"strokes": strokes, "size": 32}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _ in range(requests):
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/predict", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = json.loads(response.read())
                if response.status != 200 or "probabilities" not in answer:
                    failures.append(f"client {index}: {response.status} {str(answer)[:200]}")
            except (OSError, http.client.HTTPException, ValueError) as error:
                failures.append(f"client {index}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies.append(time.perf_counter() - started)
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at or above ``share`` of the values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def run(port: int, clients: int, requests: int) -> dict:
    """``clients`` threads of ``requests`` each against the server on ``port``; failures and latencies (ms)."""
    latencies: list[float] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=client, args=(port, index, requests, latencies, failures)) for index in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "failures": failures,
        "seconds": elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "max_ms": 1000 * max(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per client (default 1000)")
    arguments = parser.parse_args()
    server, thread = start_server()
    try:
        result = run(server.server_port, arguments.clients, arguments.requests)
    finally:
        server.shutdown()
        server.server_close()
    print(
        f"{arguments.clients} clients x {arguments.requests} /api/predict requests: {result['requests']} sent, "
        f"{len(result['failures'])} failed, in {result['seconds']:.1f} s "
        f"({result['requests'] / result['seconds']:.0f} requests/s); latency p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms"
    )
    for failure in result["failures"][:5]:
        print(f"    {failure}")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
