"""The web demo end to end, in a real headless Chromium driven by Playwright.

A person's session, step by step: draw a square with the mouse and read
"square"; clear, draw a circle and read "not square"; switch the resolution;
point at a hidden unit and see its weights; ask for a generated circle; draw
with a finger on a phone-sized page; with ``--collect``, save a drawing and
find it in the file.  Screenshots go to test-artifacts/.

Needs Debian's Chromium at /usr/bin/chromium and Playwright for Python
(``bash .ci/install-browser`` installs both); skipped with a message
otherwise.  Playwright's own browser download is never used.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import re
import threading

import pytest

from purenet import squares
from purenet.squares import hilbert, shapes
from purenet.squares.demo import make_server

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(REPOSITORY, "test-artifacts")
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PERCENT = re.compile(r"^\d{1,3}\.\d%$")
ANY_VERDICT = re.compile(r"^(square|not square)$")
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing: run `bash .ci/install-browser` to install Chromium", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: run `bash .ci/install-browser`"
)
expect = sync_api.expect


@contextlib.contextmanager
def served(collect: str | None = None, model=None):
    """The demo served on a free port (saving drawings into ``collect`` if given); yields its address.

    ``model``: the network to serve, the shipped detector if None.
    """
    log = io.StringIO()
    model = model if model is not None else squares.square_detector()
    server = make_server(model, "127.0.0.1", 0, stream=log, collect=collect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def address():
    """The demo served on a free port, for the whole module."""
    with served() as address:
        yield address


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """Chromium with a fresh profile of its own, closed after the module."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGUMENTS,
            viewport=LAPTOP,
        )
        yield context
        context.close()


@contextlib.contextmanager
def opened(context, address: str):
    """A new tab on the demo at ``address``, ready; fails the test on any JavaScript error or request elsewhere."""
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message) -> None:
        # A refused drawing (400) is part of the story the page tells, in its message area.
        expected = "Failed to load resource: the server responded with a status of 400"
        if message.type == "error" and not message.text.startswith(expected):
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(address) or request.url.startswith("data:")
            else problems.append(f"request outside the demo: {request.url}")
        ),
    )
    page.goto(address)
    try:
        page.wait_for_selector("body[data-ready='true']", timeout=10_000)
        yield page
    finally:
        page.close()
    assert problems == []


@pytest.fixture
def page(context, address):
    with opened(context, address) as page:
        yield page


# --- Drawing with the mouse and with a finger ---------------------------------------------


def to_page(page, x: float, y: float) -> tuple[float, float]:
    """Canvas units (0 to 100 across the drawing canvas) to page pixels."""
    box = page.locator("#drawing").bounding_box()
    return box["x"] + box["width"] * x / 100, box["y"] + box["height"] * y / 100


def square_path(tilt_degrees: float = 4.0) -> list[tuple[float, float]]:
    """Through the four corners of a square, turned a little as a hand draws it, and back."""
    angle = math.radians(tilt_degrees)
    corners = [(-30, -30), (30, -30), (30, 30), (-30, 30), (-30, -30)]
    return [
        (50 + x * math.cos(angle) - y * math.sin(angle), 50 + x * math.sin(angle) + y * math.cos(angle))
        for x, y in corners
    ]


def circle_path(points: int = 60) -> list[tuple[float, float]]:
    return [
        (50 + 32 * math.cos(2 * math.pi * step / points), 50 + 32 * math.sin(2 * math.pi * step / points))
        for step in range(points + 1)
    ]


def draw_with_mouse(page, path: list[tuple[float, float]], steps: int = 1) -> None:
    """Press at the first point, move through the others (``steps`` moves between each two), release."""
    # A click lower down may have scrolled the page: mouse events outside the window are lost.
    page.locator("#drawing").scroll_into_view_if_needed()
    page.mouse.move(*to_page(page, *path[0]))
    page.mouse.down()
    for point in path[1:]:
        page.mouse.move(*to_page(page, *point), steps=steps)
    page.mouse.up()


def draw_with_finger(page, path: list[tuple[float, float]], steps: int = 8) -> None:
    """A touch stroke through the Chrome DevTools Protocol: the browser turns it into pointer events."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    start = to_page(page, *path[0])
    touch("touchStart", *start)
    previous = start
    for point in path[1:]:
        target = to_page(page, *point)
        for step in range(1, steps + 1):
            fraction = step / steps
            touch(
                "touchMove",
                previous[0] + (target[0] - previous[0]) * fraction,
                previous[1] + (target[1] - previous[1]) * fraction,
            )
        previous = target
    touch("touchEnd", *previous)
    session.detach()


def canvas_colours(page, selector: str) -> int:
    """How many different colours a canvas shows: a blank one shows one."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            const colours = new Set();
            for (let index = 0; index < pixels.length; index += 4 * 7) {
                colours.add(`${pixels[index]},${pixels[index + 1]},${pixels[index + 2]}`);
            }
            return colours.size;
        }""",
        selector,
    )


# --- The tests -------------------------------------------------------------------------------


def test_draw_classify_and_look_inside_on_a_laptop(page):
    verdict = page.locator("#verdict")
    expect(verdict).to_have_text("nothing yet")

    draw_with_mouse(page, square_path(), steps=10)
    expect(verdict).to_have_text("square", timeout=10_000)
    expect(page.locator("#probabilities .square .bar-value")).to_have_text(PERCENT)
    expect(page.locator("#grid")).to_have_attribute("data-size", "32")
    assert canvas_colours(page, "#grid") > 10 and canvas_colours(page, "#strip") > 10

    page.get_by_role("button", name="Clear").click()
    expect(verdict).to_have_text("nothing yet")
    draw_with_mouse(page, circle_path(60), steps=2)
    expect(verdict).to_have_text("not square", timeout=10_000)

    # The same model reading the drawing rasterised at 64 x 64, shrunk along the curve.
    page.get_by_label("64 × 64").check()
    expect(page.locator("#grid")).to_have_attribute("data-size", "64", timeout=10_000)
    expect(page.locator("#grid-caption")).to_contain_text("Drawn at 64 × 64")
    expect(page.locator("#grid-caption")).to_contain_text("average pooling")
    expect(page.locator("#model-input-caption")).to_contain_text("shrunk from 64 × 64")
    expect(verdict).to_have_text("not square")
    # ... and at 16 x 16, enlarged along the curve.
    page.get_by_label("16 × 16").check()
    expect(page.locator("#grid")).to_have_attribute("data-size", "16", timeout=10_000)
    expect(page.locator("#grid-caption")).to_contain_text("repeated 4 times")
    expect(verdict).to_have_text(ANY_VERDICT)
    page.get_by_label("32 × 32").check()
    expect(page.locator("#grid")).to_have_attribute("data-size", "32", timeout=10_000)

    # Pointing at a hidden unit shows its 1024 weights as a 32 x 32 picture.
    expect(page.locator("#weights")).to_be_hidden()
    page.locator("#hidden button[data-unit='5']").hover()
    expect(page.locator("#weights")).to_be_visible(timeout=10_000)
    expect(page.locator("#weights")).to_have_attribute("data-unit", "5")
    expect(page.locator("#weights-caption")).to_contain_text("Unit 5")
    assert canvas_colours(page, "#weights") > 20
    page.locator("#hidden button[data-unit='12']").hover()
    expect(page.locator("#weights")).to_have_attribute("data-unit", "12", timeout=10_000)

    # Pointing at the strip frames an input and names its cell.
    strip = page.locator("#strip").bounding_box()
    page.mouse.move(strip["x"] + strip["width"] * 0.3, strip["y"] + strip["height"] * 0.1)
    expect(page.locator("#strip-caption")).to_contain_text("of the 32 × 32 picture")

    # A generated circle, drawn on the canvas and classified like any drawing.
    page.get_by_role("button", name="Show me a circle").click()
    expect(page.locator("#message")).to_contain_text("A generated circle", timeout=10_000)
    expect(verdict).to_have_text("not square", timeout=10_000)
    page.get_by_role("button", name="Show me a square").click()
    expect(page.locator("#message")).to_contain_text("A generated square", timeout=10_000)
    expect(verdict).to_have_text("square", timeout=10_000)

    # Undo removes that drawing's strokes one by one (a generated square has one to seven): then nothing is left.
    strokes = len(shapes.sample("square", random.Random(1)))  # the page's second sample: seeds count from 0
    for _ in range(strokes - 1):
        page.get_by_role("button", name="Undo last stroke").click()
        expect(page.locator("#message")).to_have_text("Removed the last stroke.")
    page.get_by_role("button", name="Undo last stroke").click()
    expect(page.locator("#message")).to_contain_text("Nothing left")
    expect(verdict).to_have_text("nothing yet")

    # A single dot is refused by the server, and the page says why.
    page.mouse.click(*to_page(page, 50, 50))
    expect(page.locator("#message")).to_contain_text("single dot", timeout=10_000)
    expect(page.locator("#message")).to_have_class("message error")
    page.get_by_role("button", name="Clear").click()

    # The picture the report shows: a square, its grid, and a hidden unit's weights.
    draw_with_mouse(page, square_path(), steps=10)
    expect(verdict).to_have_text("square", timeout=10_000)
    page.locator("#hidden button[data-unit='3']").hover()
    expect(page.locator("#weights")).to_have_attribute("data-unit", "3", timeout=10_000)
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, "demo.png"), full_page=True)


def test_the_page_says_the_numbers_of_the_model_it_serves(context):
    # A 16 x 16 model with 8 hidden units: the page's own sentences must not speak of 1024 and 32.
    model = squares.build_network(16, 8, random.Random(0))
    with served(model=model) as address, opened(context, address) as page:
        expect(page.locator("#lead-inputs")).to_have_text("256")
        expect(page.locator("#lead-hidden")).to_have_text("8")
        expect(page.locator("#caption-inputs")).to_have_text("256")
        expect(page.locator("#caption-grid")).to_have_text("16 × 16")
        expect(page.locator("#hidden-title")).to_have_text("8 hidden units")


def test_draw_with_a_finger_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    # Nothing sticks out sideways: the page fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#drawing").scroll_into_view_if_needed()
    draw_with_finger(page, square_path())
    expect(page.locator("#verdict")).to_have_text("square", timeout=10_000)
    page.locator("#hidden button[data-unit='3']").click()
    expect(page.locator("#weights")).to_have_attribute("data-unit", "3", timeout=10_000)
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, "demo-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)


@pytest.mark.parametrize("side", [16, 32, 64])
def test_the_page_draws_the_same_hilbert_curve_as_purenet(page, side):
    cells = page.evaluate("(side) => window.purenetDemo.hilbertCells(side)", side)
    order = side.bit_length() - 1
    assert [tuple(cell) for cell in cells] == [hilbert.index_to_xy(index, order) for index in range(side * side)]


def test_collect_saves_a_drawing_as_one_quickdraw_line(context, tmp_path):
    collected = tmp_path / "collected.ndjson"
    with served(str(collected)) as address, opened(context, address) as page:
        save_square = page.get_by_role("button", name="Save as a square")
        save_other = page.get_by_role("button", name="Save as not a square")
        expect(page.locator("#collect")).to_be_visible()
        status = page.locator("#collect-status")
        expect(status).to_have_text("Saving into collected.ndjson: 0 squares, 0 others so far.")
        expect(save_square).to_be_disabled()
        expect(save_other).to_be_disabled()

        draw_with_mouse(page, square_path(), steps=10)
        expect(page.locator("#verdict")).to_have_text("square", timeout=10_000)
        expect(save_square).to_be_enabled()
        save_square.click()
        expect(status).to_have_text("Saved: 1 square, 0 others in collected.ndjson.", timeout=10_000)
        # The canvas is cleared for the next drawing, and nothing is left to save.
        expect(page.locator("#verdict")).to_have_text("nothing yet")
        expect(save_square).to_be_disabled()
        lines = collected.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1
        record = json.loads(lines[0])
        assert record["word"] == "square" and len(record["drawing"]) == 1

        # A generated sample is not a person's drawing: it cannot be saved.
        page.get_by_role("button", name="Show me a circle").click()
        expect(page.locator("#message")).to_contain_text("A generated circle", timeout=10_000)
        expect(save_other).to_be_disabled()
        page.get_by_role("button", name="Clear").click()
        draw_with_mouse(page, circle_path(60), steps=2)
        expect(save_other).to_be_enabled(timeout=10_000)
        save_other.click()
        expect(status).to_have_text("Saved: 1 square, 1 other in collected.ndjson.", timeout=10_000)
        assert len(collected.read_text(encoding="utf-8").splitlines()) == 2


def test_without_collect_the_save_buttons_are_hidden(page):
    expect(page.locator("#collect")).to_be_hidden()
    draw_with_mouse(page, square_path(), steps=10)
    expect(page.locator("#verdict")).to_have_text("square", timeout=10_000)
    expect(page.get_by_role("button", name="Save as a square")).to_be_hidden()


# --- The live training page (/train) ---------------------------------------------------


def epoch_shown(page) -> int:
    return int(page.locator("#epoch").text_content().split()[1])


def test_live_training_page_trains_the_spiral_pauses_and_resumes(context, address):
    """Start a spiral run, watch "epoch" pass 3 and the loss curve grow, pause (nothing moves), resume.

    Every request must succeed (no 4xx or 5xx, none failed) and the console stay free of errors.
    """
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} from {response.url}") if response.status >= 400 else None,
    )
    page.on(
        "request",
        lambda request: None if request.url.startswith(address) else problems.append(f"request elsewhere: {request.url}"),
    )
    try:
        page.goto(address + "train")
        page.wait_for_selector("body[data-ready='true']", timeout=10_000)
        expect(page.locator("#task")).to_have_value("spiral")
        expect(page.locator("#epoch")).to_have_text("epoch 0")
        page.get_by_role("button", name="Start").click()
        expect(page.locator("#status")).to_have_text("running", timeout=10_000)
        page.wait_for_function(
            "() => Number(document.getElementById('epoch').textContent.split(' ')[1]) > 3", timeout=30_000
        )
        drawn = int(page.locator("#loss-chart").get_attribute("data-points"))
        page.wait_for_function(
            f"() => Number(document.getElementById('loss-chart').dataset.points) > {drawn}", timeout=30_000
        )
        # The regions are drawn: the canvas holds several colours (the classes' tints and the points).
        colours = page.evaluate(
            """() => {
                const data = document.getElementById('regions').getContext('2d').getImageData(0, 0, 360, 360).data;
                const seen = new Set();
                for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
                return seen.size;
            }"""
        )
        assert colours >= 3
        assert page.locator("#layers-table tbody tr").count() == 3  # 2 -> 16 -> 16 -> 3: three Dense layers

        page.get_by_role("button", name="Pause").click()
        expect(page.locator("#status")).to_have_text("paused", timeout=10_000)
        paused_at = epoch_shown(page)
        page.wait_for_timeout(1500)
        assert epoch_shown(page) == paused_at
        expect(page.locator("#download")).to_be_visible()

        page.get_by_role("button", name="Resume").click()
        page.wait_for_function(
            f"() => Number(document.getElementById('epoch').textContent.split(' ')[1]) > {paused_at}", timeout=30_000
        )
        os.makedirs(ARTIFACTS, exist_ok=True)
        page.screenshot(path=os.path.join(ARTIFACTS, "train.png"), full_page=True)
        page.get_by_role("button", name="Pause").click()
        expect(page.locator("#status")).to_have_text("paused", timeout=10_000)
    finally:
        page.close()
    assert problems == []
