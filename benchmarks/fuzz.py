"""Seeded fuzzers for every reader of outside data: each input is read or refused with the documented error.

    python benchmarks/fuzz.py                 # 10,000 cases of each reader (docs/robustness.md has the figures)
    python benchmarks/fuzz.py --cases 1000 --seed 7

Readers and the error each documents:

    model files        purenet.load                         ModelFileError (a ValueError)
    checkpoints        purenet.checkpoint.load_checkpoint   ModelFileError
                       and resuming fit from one            ValueError (ModelFileError included)
    drawings (JSON)    drawing.load_drawing_json            ValueError
    drawings (Python)  drawing.prepare                      ValueError or TypeError (the argument checks)
    Quick, Draw!       quickdraw.read                       QuickDrawFormatError (a ValueError)
    PGM/PBM pictures   drawing.read_pgm                     ValueError
    safetensors        purenet.safetensors.load             SafetensorError (a ValueError)
    demo API requests  the demo server on 127.0.0.1         a 2xx or 4xx answer (never 5xx, never silence)

An input is mutated from a valid one: flipped bytes, a cut, appended bytes,
and for JSON a structural edit (a value replaced by one of another type, a
huge or non-finite number, nesting thousands deep, a key dropped). Any other
exception is an escape: the script prints it and exits with status 1.
tests/test_fuzz.py runs 1,000 cases of each in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import purenet as pn  # noqa: E402  (after the path: the script runs from a clone)
from purenet import datasets, safetensors  # noqa: E402
from purenet.checkpoint import load_checkpoint, resume  # noqa: E402
from purenet.datasets.table import TableFormatError, read_csv  # noqa: E402
from purenet.serialization import load  # noqa: E402
from purenet.squares import drawing, quickdraw  # noqa: E402
from purenet.squares.demo import make_server  # noqa: E402
from purenet.training import Training  # noqa: E402

ODD_VALUES = [
    None, True, False, 0, -1, 1, 2**31, -(2**63), 10**400, 1e308, -1e308, 5e-324, 0.5, "", "Dense", "x" * 300,
    [], {}, [[]], [1, 2], {"type": "Dense"}, [None], [[1.0, 2.0]], {"": {}},
]
TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "9" * 400, "-0", "1.5e-400", "null", "true", '"\\ud800"', "[]", "{}"]


def random_value(rng: random.Random, depth: int = 0) -> object:
    """A JSON value of any type, sometimes nested."""
    if depth < 2 and rng.random() < 0.25:
        if rng.random() < 0.5:
            return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(["type", "config", "weight", "bias", "epoch", "x"]): random_value(rng, depth + 1)}
    return rng.choice(ODD_VALUES)


def mutate_structure(value: object, rng: random.Random) -> object:
    """Replace one randomly chosen node of a parsed JSON value (or drop a key, or wrap it)."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        copy = dict(value)
        choice = rng.random()
        if choice < 0.15:
            del copy[key]
        elif choice < 0.3:
            copy[key] = random_value(rng)
        else:
            copy[key] = mutate_structure(copy[key], rng)
        return copy
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        copy = list(value)
        choice = rng.random()
        if choice < 0.15:
            del copy[index]
        elif choice < 0.25:
            copy.append(copy[index])
        elif choice < 0.4:
            copy[index] = random_value(rng)
        else:
            copy[index] = mutate_structure(copy[index], rng)
        return copy
    return random_value(rng)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flipped bits, a cut, inserted bytes or an inserted token (huge, non-finite, a deep nest)."""
    data = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0 and data:
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == 1 and data:
        del data[rng.randrange(len(data)) :]
    elif kind == 2:
        spot = rng.randrange(len(data) + 1)
        data[spot:spot] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    elif kind == 3:
        spot = rng.randrange(len(data) + 1)
        data[spot:spot] = rng.choice(TOKENS).encode()
    else:
        depth = rng.choice([50, 1000, 100000])
        spot = rng.randrange(len(data) + 1)
        data[spot:spot] = b"[" * depth + b"1" + b"]" * (depth if rng.random() < 0.5 else 0)
    return bytes(data)


def mutate_bytes_once_or_twice(data: bytes, rng: random.Random) -> bytes:
    """``mutate_bytes``, and three times in ten a second time on top of the first."""
    data = mutate_bytes(data, rng)
    if rng.random() < 0.3:
        data = mutate_bytes(data, rng)
    return data


def mutate_json(text: str, rng: random.Random) -> bytes:
    """Half structural edits of the parsed value, half byte edits of the text."""
    if rng.random() < 0.5:
        try:
            return json.dumps(mutate_structure(json.loads(text), rng)).encode()
        except (ValueError, RecursionError):
            pass
    return mutate_bytes(text.encode(), rng)


# --- the valid inputs each fuzzer starts from ----------------------------------------------------

X, Y = datasets.spiral(points_per_class=4, seed=1)
MODEL = os.path.join(ROOT, "purenet", "squares", "models", "square_detector.json")


def small_run(folder: str) -> tuple[str, str]:
    """A model file (with its optimiser) and a checkpoint of a tiny run, as text."""
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 3, rng=rng), pn.ReLU(), pn.Dense(3, 3, rng=rng))
    optimizer = pn.Adam(model.parameters(), lr=0.1)
    path = os.path.join(folder, "seed-checkpoint.json")
    model.fit(X, Y, optimizer=optimizer, epochs=1, batch_size=4, seed=0, verbose=0, checkpoint=path, validation=0.25)
    with open(path, encoding="utf-8") as file:
        checkpoint = file.read()
    model_path = os.path.join(folder, "seed-model.json")
    pn.serialization.save(model, model_path, {"task": "fuzz"}, optimizer=optimizer)
    with open(model_path, encoding="utf-8") as file:
        return file.read(), checkpoint


DRAWING = {"strokes": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2.5, 3.5], [7.25, 8.0]]]}
QUICKDRAW = (
    '{"word":"square","countrycode":"GB","drawing":[[[0,100,100,0],[0,0,100,100]],[[10,50],[20,60]]]}\n'
    '{"word":"circle","drawing":[[[0,10,20],[5,15,25],[0,16,33]]]}\n'
)
PGMS = [b"P2\n# a comment\n3 2\n255\n0 128 255\n255 0 10\n", b"P5 3 2 255\n\x00\x80\xff\xff\x00\x10",
        b"P1\n3 2\n1 0 1\n0 1 0\n", b"P4 9 2\n\xff\x80\x00\x00", b"P5 2 1 65535\n\x01\x00\xff\xff"]


# --- one case of each reader: returns "read" or "refused", raises on anything undocumented -------------


class Escape(Exception):
    """A reader let through an exception its documentation does not promise."""


def expect(call: object, allowed: tuple[type[BaseException], ...]) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # quickdraw warns about taps it skips: documented, not an error
            call()
    except allowed:
        return "refused"
    except Exception as error:  # noqa: BLE001 (any other exception is what the fuzzer looks for)
        raise Escape(f"{type(error).__name__}: {str(error)[:300]}") from error
    return "read"


def write(folder: str, name: str, data: bytes) -> str:
    path = os.path.join(folder, name)
    with open(path, "wb") as file:
        file.write(data)
    return path


def resume_tiny_run(path: str) -> None:
    """Resume the tiny run from a (mutated) checkpoint, as fit does."""
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 3, rng=rng), pn.ReLU(), pn.Dense(3, 3, rng=rng))
    optimizer = pn.Adam(model.parameters(), lr=0.1)
    training = Training(model, model.default_loss(), optimizer, X[:9], Y[:9], 3, 4, True, random.Random(0))
    resume(path, training, [], {"batch_size": 4, "shuffle": True, "seed": 0, "training_samples": 9})


def fuzzers(folder: str) -> dict:
    """name -> (function of (rng, case) giving "read" or "refused")."""
    model_text, checkpoint_text = small_run(folder)
    drawing_text = json.dumps(DRAWING)

    def model_file(rng: random.Random, case: int) -> str:
        path = write(folder, "model.json", mutate_json(model_text, rng))
        return expect(lambda: pn.load(path), (pn.ModelFileError,))

    def checkpoint(rng: random.Random, case: int) -> str:
        path = write(folder, "checkpoint.json", mutate_json(checkpoint_text, rng))
        outcome = expect(lambda: load_checkpoint(path), (pn.ModelFileError,))
        if outcome == "read":
            outcome = expect(lambda: resume_tiny_run(path), (ValueError,))
        return outcome

    def drawing_file(rng: random.Random, case: int) -> str:
        path = write(folder, "drawing.json", mutate_json(drawing_text, rng))
        return expect(lambda: drawing.load_drawing_json(path), (ValueError,))

    def drawing_object(rng: random.Random, case: int) -> str:
        value = mutate_structure(DRAWING, rng)
        return expect(lambda: drawing.prepare(value, size=8), (ValueError, TypeError))

    def quickdraw_file(rng: random.Random, case: int) -> str:
        lines = QUICKDRAW.splitlines(keepends=True)
        index = rng.randrange(len(lines))
        lines[index] = mutate_json(lines[index], rng).decode("latin-1")
        path = write(folder, "drawings.ndjson", "".join(lines).encode("latin-1"))
        return expect(lambda: quickdraw.read(path), (quickdraw.QuickDrawFormatError,))

    def pgm_file(rng: random.Random, case: int) -> str:
        data = mutate_bytes_once_or_twice(rng.choice(PGMS), rng)
        path = write(folder, "picture.pgm", data)
        return expect(lambda: drawing.read_pgm(path), (ValueError,))

    tensors_file = safetensors.save({"0.weight": [[0.5, -1.25], [3.0, 1e-310]], "0.bias": [0.0, -0.0]},
                                    metadata={"epochs": "3"})

    def safetensors_file(rng: random.Random, case: int) -> str:
        data = mutate_bytes_once_or_twice(tensors_file, rng)
        return expect(lambda: safetensors.load(data), (safetensors.SafetensorError,))

    with open(os.path.join(ROOT, "examples", "data", "fruit.csv"), "rb") as table_file:
        table = b"".join(table_file.readlines()[:12])  # the header and 11 rows: mutations land everywhere

    def csv_table(rng: random.Random, case: int) -> str:
        data = mutate_bytes_once_or_twice(table, rng)
        path = write(folder, "table.csv", data)
        return expect(lambda: read_csv(path, target="fruit"), (TableFormatError,))

    return {
        "model files": model_file,
        "checkpoints": checkpoint,
        "drawing files": drawing_file,
        "drawings (Python objects)": drawing_object,
        "Quick, Draw! files": quickdraw_file,
        "PGM/PBM pictures": pgm_file,
        "safetensors": safetensors_file,
        "CSV tables": csv_table,
    }


METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "get", "", "POST /api/predict"]
KNOWN_METHODS = {b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"OPTIONS", b"PATCH"}
PATHS = ["/api/predict", "/api/model", "/api/weights?unit=3", "/api/weights?unit=-1", "/api/weights?unit=99999999999",
         "/api/sample?kind=square&seed=4", "/api/sample?kind=%00", "/api/collect", "/", "/static/app.js",
         "/static/../server.py", "/%2e%2e/%2e%2e/etc/passwd", "/api/predict?" + "a=1&" * 50, "/" + "x" * 5000,
         "*", "http://elsewhere/", "/api/model#frag", "/api/predict\x00"]


def demo_request(rng: random.Random, body: bytes) -> tuple[bytes, bool]:
    """A raw HTTP request with a random method, path, headers and (mutated) body; and whether its
    Content-Length promised more bytes than it sent (the server then sees the body end early)."""
    method, path = rng.choice(METHODS), rng.choice(PATHS)
    if rng.random() < 0.5:
        body = mutate_json(body.decode(), rng)
    length = str(len(body))
    choice = rng.random()
    if choice < 0.1:
        length = rng.choice(["-1", "abc", "1e3", " 12", "99999999999999999999999", "", "0x10", str(len(body) + 5)])
    headers = ["Host: 127.0.0.1", f"Content-Type: {rng.choice(['application/json', 'text/plain', '', 'x' * 200])}"]
    if choice >= 0.05:
        headers.append(f"Content-Length: {length}")
    if rng.random() < 0.05:
        headers.append("Transfer-Encoding: chunked")
    if rng.random() < 0.05:
        headers.append(rng.choice(["Bad header line", "X: " + "y" * 70000, "Content-Length: 3"]))
    version = rng.choice(["HTTP/1.1"] * 8 + ["HTTP/1.0", "HTTP/2.0", "HTTP/9", "FTP/1.0"])
    head = f"{method} {path} {version}\r\n" + "\r\n".join(headers) + "\r\n\r\n"
    data = head.encode("latin-1", "replace") + body
    if rng.random() < 0.1:
        data = mutate_bytes(data, rng)
    return data, length.isdigit() and int(length) > len(body)


def demo_api_fuzzer(port: int) -> object:
    """A fuzzer of the demo server's requests: every answer must be a 2xx or a 4xx (never a 5xx, never silence).

    A request whose body ends before its Content-Length (the client closes its side) must also be answered
    with 400; a request line http.server cannot read at all may be closed without an answer only if the bytes
    are not HTTP (a flipped byte in the method or version).
    """
    body = json.dumps({"strokes": DRAWING["strokes"], "size": 32}).encode()

    def demo_api(rng: random.Random, case: int) -> str:
        data, _ = demo_request(rng, body)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            try:
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)  # the end of the request: a short body ends here
            except OSError:
                pass  # the server answered (e.g. 400 to a bad request line) and closed before all was sent
            answer = b""
            while len(answer) < 64:
                try:
                    chunk = connection.recv(4096)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                answer += chunk
        status_line = answer.split(b"\r\n", 1)[0].split(b" ")
        if len(data.split(b"\r\n", 1)[0].split(b" ")) == 2 and not answer.startswith(b"HTTP/"):
            # A request line without a version is HTTP/0.9, whose answer is the body alone.
            return "refused" if answer.startswith(b'{"error"') else "read"
        if len(status_line) < 2 or not status_line[1].isdigit():
            raise Escape(f"no HTTP answer ({answer[:80]!r}) to {data[:200]!r}")
        status = int(status_line[1])
        if 200 <= status < 300:
            return "read"
        if 400 <= status < 500:
            return "refused"
        # HTTP's own answers to what is not an HTTP/1.x request of a known method (RFC 9110, 15.6.2 and 15.6.6)
        method, _, rest = data.partition(b" ")
        if status == 501 and method not in KNOWN_METHODS:
            return "refused"
        if status == 505 and b" HTTP/1." not in rest.split(b"\r\n", 1)[0]:
            return "refused"
        raise Escape(f"status {status} to {data[:200]!r}: {answer[:300]!r}")

    return demo_api


def run(name: str, fuzzer: object, cases: int, seed: int) -> dict:
    """Run ``cases`` cases of one fuzzer; the counts of read, refused and escaped inputs, with the first escapes."""
    rng = random.Random(f"{seed}:{name}")
    counts = {"read": 0, "refused": 0, "escaped": 0}
    escapes = []
    for case in range(cases):
        try:
            counts[fuzzer(rng, case)] += 1
        except Escape as error:
            counts["escaped"] += 1
            escapes.append(f"case {case}: {error}")
    return {"counts": counts, "escapes": escapes[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per reader (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the mutations (default 0)")
    arguments = parser.parse_args()
    failed = False
    server = make_server(load(MODEL), "127.0.0.1", 0, stream=open(os.devnull, "w"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        every = dict(fuzzers(folder), **{"demo API requests": demo_api_fuzzer(server.server_port)})
        for name, fuzzer in every.items():
            started = time.perf_counter()
            result = run(name, fuzzer, arguments.cases, arguments.seed)
            counts = result["counts"]
            print(f"{name:28} {arguments.cases:>6} cases: {counts['read']:>5} read, {counts['refused']:>5} refused "
                  f"with the documented error, {counts['escaped']} escaped ({time.perf_counter() - started:.1f} s)")
            for escape in result["escapes"]:
                print(f"    {escape}")
            failed = failed or counts["escaped"] > 0
    server.shutdown()
    server.server_close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
