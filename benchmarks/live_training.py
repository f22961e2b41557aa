"""Does watching cost training? The live page's spiral run against ``fit`` alone.

    python benchmarks/live_training.py            # about a minute
    python benchmarks/live_training.py --quick    # one short round each

Targets (issue 12): a spiral run in the live page shows at least 5 updates a
second, and training with the page watching runs at least 80% as fast as
``fit`` alone.

- *fit alone*: ``Sequential.fit`` on the page's default spiral (2 -> 16 ->
  16 -> 3, ReLU, Adam, batch 16, 300 points, validation on 300 fresh
  ones), with nothing watching.
- *watched*: the same run as a session of ``python -m purenet demo``,
  started in a process of its own (``POST /api/train/sessions``, then
  ``start``), polled ten times a second over HTTP from this process, as
  the page does from the browser's. Its time runs from ``start`` to the
  poll that sees "finished".

An *update* is a poll that brings the page something new to show: the
batch in progress and the loss so far, a new epoch on the curves, or a new
picture of the decision regions. The stricter count, *new epochs or
pictures*, is printed beside it: it is bound by how many epochs the
machine trains a second. Per second = count / the watched run's time. The
two runs are interleaved round by round and each reports its best round
(see common.py).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from benchmarks import common  # noqa: E402
from purenet.datasets import spiral  # noqa: E402
from purenet.squares.demo import training as live  # noqa: E402

POLL_SECONDS = 0.1  # the page's POLL_MS


def fit_alone(settings: dict) -> float:
    """Seconds for fit alone, on the session's data and network."""
    X, y = spiral(points_per_class=settings["points"], noise=settings["noise"], seed=settings["seed"])
    X_validation, y_validation = spiral(points_per_class=settings["points"], noise=settings["noise"],
                                        seed=settings["seed"] + 1)
    model = live.build_model(2, settings, 3)
    optimizer = live.build_optimizer(model, settings)
    started = time.perf_counter()
    model.fit(X, y, optimizer=optimizer, epochs=settings["epochs"], batch_size=settings["batch_size"],
              seed=settings["seed"], validation=(X_validation, y_validation), verbose=0)
    return time.perf_counter() - started


def call(address: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(address + path, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def watched(address: str, settings: dict) -> tuple[float, int, int]:
    """Seconds for the same run as a live session polled ten times a second, the updates the polls saw, and
    how many of them brought a new epoch or picture."""
    session = call(address, "/api/train/sessions", settings)["session"]
    while call(address, f"/api/train/state?session={session}&since=0")["status"] == "preparing":
        time.sleep(0.05)
    epochs_seen, pictures_seen, progress_seen, updates, curve_updates = 0, None, None, 0, 0
    started = time.perf_counter()
    call(address, "/api/train/control", {"session": session, "action": "start"})
    while True:
        asked = time.perf_counter()
        state = call(address, f"/api/train/state?session={session}&since={epochs_seen}&picture={pictures_seen}")
        new_epochs = len(state["history"]["loss"])
        progress = (state["epoch"], state["batch"])
        if new_epochs or state["picture_version"] != pictures_seen:
            curve_updates += 1
        if new_epochs or state["picture_version"] != pictures_seen or progress != progress_seen:
            updates += 1
        epochs_seen += new_epochs
        pictures_seen, progress_seen = state["picture_version"], progress
        if state["status"] in ("finished", "failed", "stopped"):
            elapsed = time.perf_counter() - started
            break
        time.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - asked)))  # a fixed rate, as the page polls
    if state["status"] != "finished" or epochs_seen != settings["epochs"]:
        raise RuntimeError(f"the watched run ended {state['status']} after {epochs_seen} epochs: {state['message']}")
    return elapsed, updates, curve_updates


def main(arguments: list[str] | None = None) -> int:
    options = common.parse_arguments(__doc__.splitlines()[0], arguments)
    rounds = 1 if options.quick else 3
    settings = live.read_settings({"task": "spiral", "epochs": 30 if options.quick else 60, "seed": options.seed})
    # The server runs in a process of its own, as it does for a learner: the polls are made here, as a
    # browser makes them from its own process, and do not take this process's time.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "purenet", "demo", "--port", str(port)],
        cwd=REPOSITORY, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            call(address, "/api/train/options")
            break
        except OSError:
            time.sleep(0.1)
    alone, watching, rates, curve_rates = [], [], [], []
    try:
        for round_index in range(rounds):
            order = ("alone", "watched") if round_index % 2 == 0 else ("watched", "alone")
            for name in order:
                if name == "alone":
                    alone.append(fit_alone(settings))
                else:
                    seconds, updates, curve_updates = watched(address, settings)
                    watching.append(seconds)
                    rates.append(updates / seconds)
                    curve_rates.append(curve_updates / seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    best_alone, best_watched = min(alone), min(watching)
    speed = best_alone / best_watched
    rate = min(rates)
    print(common.describe_machine_briefly(common.machine_description()))
    print(f"spiral, {settings['epochs']} epochs, {rounds} round(s), best of each:")
    print(common.format_table(
        ["run", "best", "epochs per second"],
        [["fit alone", common.format_seconds(best_alone), f"{settings['epochs'] / best_alone:.1f}"],
         ["watched (10 polls/s)", common.format_seconds(best_watched), f"{settings['epochs'] / best_watched:.1f}"]],
    ))
    print(f"speed with the page watching: {speed:.0%} of fit alone (target >= 80%): "
          f"{common.pass_or_miss(speed >= 0.8)}")
    print(f"updates the page saw: {rate:.1f} per second at the least (target >= 5): {common.pass_or_miss(rate >= 5)}")
    print(f"of which new epochs or pictures: {min(curve_rates):.1f} per second at the least")
    path = common.write_results("live_training", {
        "machine": common.machine_description(),
        "settings": settings,
        "fit_alone_seconds": alone,
        "watched_seconds": watching,
        "updates_per_second": rates,
        "new_epochs_or_pictures_per_second": curve_rates,
        "speed_ratio": speed,
        "targets": {"speed_ratio": 0.8, "updates_per_second": 5},
    }, options.output)
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
