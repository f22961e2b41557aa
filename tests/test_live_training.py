"""The live training page's server side (purenet/squares/demo/training.py): sessions, workers and the routes."""

from __future__ import annotations

import contextlib
import io
import json
import math
import threading
import time
import urllib.error
import urllib.request

import pytest

from purenet import serialization
from purenet.squares import quickdraw, recipe
from purenet.squares.demo import make_server
from purenet.squares.demo import training as live


@contextlib.contextmanager
def served(collect: str | None = None):
    server = make_server(recipe.square_detector(), port=0, stream=io.StringIO(), collect=collect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server
    finally:
        server.trainer.stop_all()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def address():
    with served() as (address, _):
        yield address


def call(address: str, path: str, body: object = None, method: str | None = None, raw: bytes | None = None):
    """(status, parsed JSON answer) of one request."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
    request = urllib.request.Request(
        address + path, data=data, method=method or ("GET" if data is None else "POST"),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for(check, timeout: float = 60.0):
    """Poll ``check()`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("timed out")


def ready_session(settings: dict) -> live.TrainingSession:
    session = live.TrainingSession("test", live.read_settings(settings), None)
    wait_for(lambda: session.status != "preparing")
    assert session.status == "ready", session.message
    return session


def test_options_offer_the_tasks_and_bounds(address):
    status, options = call(address, "/api/train/options")
    assert status == 200
    assert set(options["tasks"]) == {"spiral", "xor", "circles", "moons", "squares"}
    assert options["activations"] == ["relu", "leaky_relu", "tanh", "sigmoid"]
    assert options["bounds"]["units"] == [1, 128] and options["max_sessions"] == live.MAX_SESSIONS


@pytest.mark.parametrize(
    "body, words",
    [
        ([], "JSON object"),
        ({"task": "mnist"}, "task must be one of"),
        ({"hidden": [16, 0]}, "hidden[1] (units) must be a whole number from 1 to 128, got 0"),
        ({"hidden": [8] * 7}, "hidden must be a list of 0 to 6"),
        ({"hidden": "16"}, "hidden must be a list"),
        ({"lr": 0}, "lr must be a number from 1e-06 to 10.0, got 0"),
        ({"lr": "0.1"}, "lr must be a number"),
        ({"batch_size": 0}, "batch_size must be a whole number from 1 to 1024"),
        ({"epochs": 10001}, "epochs must be a whole number from 1 to 10000"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"epochs": True}, "epochs must be a whole number"),
        ({"activation": "swish"}, "activation must be one of"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"points": 5}, "points must be a whole number from 10 to 1000"),
        ({"noise": 2}, "noise must be a number from 0 to 0.9"),
        ({"side": 16}, "side is a setting of the squares task"),
        ({"task": "squares", "noise": 0.1}, "noise is a setting of the 2-D tasks"),
        ({"task": "squares", "side": 64}, "side must be one of 16, 32"),
        ({"task": "squares", "points": 50}, "points must be a whole number from 100 to 4000"),
        ({"colour": "red"}, "unknown setting(s) 'colour'"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(address, body, words):
    status, answer = call(address, "/api/train/sessions", body)
    assert status == 400
    assert words in answer["error"]


def test_bad_requests_get_clear_errors(address):
    assert call(address, "/api/train/sessions", raw=b"{not json")[0] == 400
    status, answer = call(address, "/api/train/sessions", method="GET")
    assert status == 405 and "POST only" in answer["error"]
    status, answer = call(address, "/api/train/state?session=nope")
    assert status == 404 and "no such training session" in answer["error"]
    assert call(address, "/api/train/state")[0] == 400
    assert call(address, "/api/train/nothing")[0] == 404
    status, created = call(address, "/api/train/sessions", {"epochs": 5})
    assert status == 201
    session = created["session"]
    wait_for(lambda: call(address, f"/api/train/state?session={session}")[1]["status"] == "ready")
    status, answer = call(address, "/api/train/control", {"session": session, "action": "jump"})
    assert status == 400 and "action must be one of start, pause, step, reset" in answer["error"]
    assert call(address, "/api/train/control", {"session": session})[0] == 400
    assert call(address, f"/api/train/state?session={session}&since=-1")[0] == 400
    status, answer = call(address, "/api/train/use", {"session": session})
    assert status == 409 and "square detectors" in answer["error"]


def test_a_spiral_run_over_http_start_pause_step_reset(address):
    status, created = call(address, "/api/train/sessions", {"task": "spiral", "hidden": [8], "epochs": 1000})
    assert status == 201 and created["settings"]["noise"] == 0.2
    session = created["session"]
    state = lambda since=0: call(address, f"/api/train/state?session={session}&since={since}")[1]  # noqa: E731
    wait_for(lambda: state()["status"] == "ready")
    described = state()["describe"]
    assert len(described["points"]) == 300 and described["samples"] == {"training": 300, "validation": 300,
                                                                         "collected": 0}
    assert call(address, "/api/train/control", {"session": session, "action": "start"})[0] == 200
    running = wait_for(lambda: (lambda answer: answer if answer["epoch"] >= 3 else None)(state()))
    assert running["status"] == "running"
    # the history arrives in pieces: from `since` on, every list the same length
    later = state(2)
    first = state(0)  # asked second: it holds at least the epochs `later` holds
    assert later["history_from"] == 2
    assert later["history"]["loss"] == first["history"]["loss"][2 : 2 + len(later["history"]["loss"])]
    assert len({len(values) for values in first["history"].values()}) == 1
    assert call(address, "/api/train/control", {"session": session, "action": "pause"})[0] == 200
    paused = wait_for(lambda: (lambda answer: answer if answer["status"] == "paused" else None)(state()))
    time.sleep(0.5)
    assert state()["epoch"] == paused["epoch"] and state()["batch"] == paused["batch"]
    # one epoch: the run goes on to the end of the epoch in progress, then pauses again
    epochs_before = len(state()["history"]["loss"])
    assert call(address, "/api/train/control", {"session": session, "action": "step"})[0] == 200
    wait_for(lambda: len(state()["history"]["loss"]) == epochs_before + 1 and state()["status"] == "paused")
    # the trained model can be downloaded while paused, and loads
    status, model_file = call(address, f"/api/train/model?session={session}")
    assert status == 200 and serialization.from_dict(model_file).layers[0].out_features == 8
    assert call(address, "/api/train/control", {"session": session, "action": "reset"})[0] == 200
    reset = state()
    assert reset["status"] == "ready" and reset["epoch"] == 0 and reset["history"]["loss"] == []


def test_step_from_ready_trains_exactly_one_epoch():
    session = ready_session({"task": "moons", "hidden": [6], "epochs": 50})
    session.control("step")
    wait_for(lambda: session.status == "paused" and len(session.history["val_loss"]) == 1)
    time.sleep(0.3)
    assert len(session.history["loss"]) == 1 and session.epoch == 1
    session.stop()


def test_pictures_and_gradients_are_those_of_the_weights_it_paused_at():
    session = ready_session({"task": "circles", "hidden": [5, 4], "activation": "tanh", "epochs": 100})
    session.control("start")
    wait_for(lambda: session.epoch >= 2)
    session.control("pause")
    wait_for(lambda: session.status == "paused")
    model = session.model
    assert session.regions == model.predict(session.grid_points)
    sizes = [
        math.sqrt(sum(value * value for row in layer.weight.grad for value in row))
        for layer in model.layers
        if hasattr(layer, "weight")
    ]
    assert [entry["layer"] for entry in session.gradients] == [0, 2, 4]
    for entry, size in zip(session.gradients, sizes):
        assert math.isclose(entry["norm"], size, rel_tol=1e-12)
    assert session.dead == []  # no ReLU layer
    # the regions' cells are the centres of a 30 x 30 grid over the plane, top row first
    left, right, bottom, top = session.bounds
    assert len(session.grid_points) == live.REGION_RESOLUTION**2
    assert session.grid_points[0][1] > session.grid_points[-1][1] and session.grid_points[0][0] < left + 0.1
    session.stop()


# fit's own DyingReLUMonitor warns about the same unit, from the worker thread.
@pytest.mark.filterwarnings("ignore:fit. 1 of 4 units:UserWarning")
def test_a_dead_relu_unit_is_counted():
    session = ready_session({"task": "spiral", "hidden": [4], "activation": "relu", "epochs": 20})
    first = session.model.layers[0]
    # Unit 0 gives 0 for every point of the plane near the data: it is dead and gets no gradient.
    first.weight[0] = [0.0, 0.0]
    first.bias[0] = -10.0
    session.control("step")
    wait_for(lambda: session.status == "paused" and session.dead)
    (entry,) = session.dead
    assert entry["layer"] == 1 and entry["units"] == 4 and entry["dead"] >= 1
    assert first.bias[0] == -10.0  # no gradient reached it
    session.stop()


def test_the_worker_stops_when_the_page_stops_polling(monkeypatch):
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.5)
    session = ready_session({"task": "xor", "hidden": [4], "epochs": 10000, "batch_size": 1})
    session.control("start")
    wait_for(lambda: session.status == "stopped", timeout=30)
    session.thread.join(timeout=10)
    assert not session.thread.is_alive()
    assert "stopped asking" in session.message


def test_sessions_are_bounded():
    with served() as (address, server):
        created = [call(address, "/api/train/sessions", {"epochs": 5}) for _ in range(live.MAX_SESSIONS)]
        assert [status for status, _ in created] == [201] * live.MAX_SESSIONS
        status, answer = call(address, "/api/train/sessions", {"epochs": 5})
        assert status == 503 and "already running" in answer["error"]
        # a page that went away frees its place: its session is stopped when the next one is made
        gone = server.trainer.sessions[created[0][1]["session"]]
        gone.last_seen -= live.HEARTBEAT_SECONDS + 1
        assert call(address, "/api/train/sessions", {"epochs": 5})[0] == 201
        assert gone.status == "stopped" and gone.identifier not in server.trainer.sessions


def test_a_square_detector_trained_in_the_page_is_tried_in_the_drawing_page(tmp_path):
    collected = tmp_path / "collected.ndjson"
    square = [[[10, 10], [90, 10], [90, 90], [10, 90], [10, 10]]]
    quickdraw.append(collected, square, "square")
    quickdraw.append(collected, [[[10, 50], [90, 50]]], "other")
    with served(collect=str(collected)) as (address, server):
        settings = {"task": "squares", "points": 100, "side": 16, "hidden": [6], "activation": "leaky_relu",
                    "epochs": 3, "batch_size": 20}
        status, created = call(address, "/api/train/sessions", settings)
        assert status == 201
        session = created["session"]
        state = lambda: call(address, f"/api/train/state?session={session}&since=0&picture=-1")[1]  # noqa: E731
        wait_for(lambda: state()["status"] == "ready")
        answer = state()
        # 100 drawings: 20 held out; the 2 collected ones all train (2 // 5 = 0 held out)
        assert answer["describe"]["samples"] == {"training": 82, "validation": 20, "collected": 2}
        # the first layer's weights, on the 16 x 16 grid, one image per hidden unit
        assert len(answer["weights"]) == 6 and len(answer["weights"][0]) == 16 and len(answer["weights"][0][0]) == 16
        call(address, "/api/train/control", {"session": session, "action": "start"})
        wait_for(lambda: state()["status"] == "finished")
        status, used = call(address, "/api/train/use", {"session": session})
        assert status == 200 and used["model"]["model_side"] == 16 and used["model"]["hidden_units"] == 6
        status, model = call(address, "/api/model")
        assert model["hidden_units"] == 6 and "trained in the page" in model["model_file"]
        status, prediction = call(address, "/api/predict", {"strokes": square})
        assert status == 200 and prediction["model_side"] == 16
