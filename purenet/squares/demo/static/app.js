// purenet web demo: the page's behaviour. Plain JavaScript, no framework, no build step.
//
// The page records strokes on a canvas, sends the drawing to the server
// (POST /api/predict) while you draw, and draws every number that comes back:
// the rasterised grid with the Hilbert curve over it, the model's inputs in
// curve order, the hidden units, the two logits and the probabilities.
// All the arithmetic of the network happens on the server, in purenet itself;
// this file only draws pictures of it.
"use strict";

const THROTTLE_MS = 150; // at most one request per 150 ms while a stroke goes on
const CANVAS_UNITS = 100; // strokes are kept in a 100 x 100 square, whatever the canvas's size on screen
const SAMPLE_MARGIN = 5; // generated shapes may stray past their 100 x 100 canvas: shrink them into 5..95
const MIN_STEP = 0.2; // a point closer than this (in units) to the previous one adds nothing
const STRIP_LINES = 4; // the 1024 inputs are shown as 4 lines of 256, read like text

// Colours, as [red, green, blue]: ink on paper, and a diverging scale for weights and activations.
const PAPER = [251, 250, 247];
const INK = [29, 42, 92];
const NEUTRAL = [245, 245, 245];
const POSITIVE = [217, 95, 2]; // orange
const NEGATIVE = [33, 102, 172]; // blue

const state = {
  strokes: [], // each stroke a list of [x, y] in canvas units
  activePointer: null, // the pointer that is drawing, if any
  size: 32, // the grid side asked of the server
  model: null, // the answer of GET /api/model
  answer: null, // the last answer of POST /api/predict
  generation: 0, // increased when the drawing is replaced: late answers for an older drawing are dropped
  selectedUnit: null,
  weights: new Map(), // unit -> answer of GET /api/weights, fetched once each
  highlight: null, // index of the input under the pointer on the strip
  generated: false, // the drawing is (or starts from) a generated sample: not saved as a person's drawing
  saving: false, // a save (POST /api/collect) is on its way
};

const sending = { timer: null, inFlight: false, pending: false, lastSent: -Infinity };

const byId = (id) => document.getElementById(id);
const stripCaption = byId("strip-caption").textContent; // restored when the pointer leaves the strip

// --- Small helpers -------------------------------------------------------------------

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

function rgb(colour) {
  return `rgb(${colour[0]}, ${colour[1]}, ${colour[2]})`;
}

/** The colour `amount` (0 to 1) of the way from `from` to `to`. */
function mix(from, to, amount) {
  return rgb(from.map((channel, index) => Math.round(channel + (to[index] - channel) * amount)));
}

/** Paper to ink for a pixel value in [-0.5, 0.5] (-0.5 is paper, +0.5 full ink). */
function inkColour(value) {
  return mix(PAPER, INK, clamp(value + 0.5, 0, 1));
}

/** Blue for negative, orange for positive, paler near zero; `scale` maps to full colour. */
function divergingColour(value, scale) {
  const amount = scale > 0 ? clamp(value / scale, -1, 1) : 0;
  return amount >= 0 ? mix(NEUTRAL, POSITIVE, amount) : mix(NEUTRAL, NEGATIVE, -amount);
}

/** The curve's colour at a fraction (0 to 1) of its length: red at the start, through green, to blue. */
function curveColour(fraction, alpha = 1) {
  return `hsla(${Math.round(250 * fraction)}, 85%, 42%, ${alpha})`;
}

function formatNumber(value, digits = 2) {
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text.replace("-", "−");
}

function percent(probability) {
  return `${(100 * probability).toFixed(1)}%`;
}

function article(word) {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function kindName(kind) {
  return kind.replace(/_/g, " ");
}

// --- The Hilbert curve (the same algorithm as purenet/hilbert.py) -------------------------

/**
 * The cell [x, y] visited at step `index` of the Hilbert curve of order `order`
 * (side 2**order): a port of purenet.hilbert.index_to_xy, Wikipedia's d2xy.
 * Two bits of the index at a time, lowest first, say which quadrant of the
 * square of side 2 * scale the cell lies in; the position found so far is
 * turned to that quadrant's orientation, then shifted into it.
 */
function hilbertCell(index, order) {
  let x = 0;
  let y = 0;
  let remaining = index;
  const side = 2 ** order;
  for (let scale = 1; scale < side; scale *= 2) {
    const right = 1 & Math.floor(remaining / 2);
    const down = 1 & (remaining ^ right);
    if (down === 0) {
      // The top quadrants are mirrored, so that each sub-curve joins its neighbours.
      if (right === 1) {
        x = scale - 1 - x;
        y = scale - 1 - y;
      }
      [x, y] = [y, x];
    }
    x += scale * right;
    y += scale * down;
    remaining = Math.floor(remaining / 4);
  }
  return [x, y];
}

const curveCache = new Map();

/** Every cell of the curve on a grid of `side` (a power of two), in visiting order; cached. */
function hilbertCells(side) {
  if (!curveCache.has(side)) {
    const order = Math.round(Math.log2(side));
    const cells = [];
    for (let index = 0; index < side * side; index += 1) {
      cells.push(hilbertCell(index, order));
    }
    curveCache.set(side, cells);
  }
  return curveCache.get(side);
}

/** Rows of a square grid from its values in curve order: purenet.hilbert.unflatten. */
function unflatten(values) {
  const side = Math.round(Math.sqrt(values.length));
  const grid = Array.from({ length: side }, () => new Array(side).fill(0));
  hilbertCells(side).forEach(([x, y], index) => {
    grid[y][x] = values[index];
  });
  return grid;
}

// --- Talking to the server --------------------------------------------------------------

/** Fetch JSON; a refusal from the server becomes an Error carrying the server's own message. */
async function requestJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new Error("The server did not answer: is `python -m purenet demo` still running?");
  }
  let content = null;
  try {
    content = await response.json();
  } catch (error) {
    content = null;
  }
  if (!response.ok) {
    const reason = content && content.error ? content.error : `${response.status} ${response.statusText}`;
    throw new Error(reason);
  }
  return content;
}

function totalPoints() {
  return state.strokes.reduce((count, stroke) => count + stroke.length, 0);
}

/** True when the drawing has two different points: a single dot has no size to scale. */
function hasExtent() {
  const points = state.strokes.flat();
  return points.some((point) => point[0] !== points[0][0] || point[1] !== points[0][1]);
}

/** Ask for an answer soon: at most one request every THROTTLE_MS while drawing. */
function scheduleSend() {
  if (sending.timer !== null || !hasExtent()) {
    return;
  }
  const wait = Math.max(0, THROTTLE_MS - (performance.now() - sending.lastSent));
  sending.timer = setTimeout(() => {
    sending.timer = null;
    sendNow();
  }, wait);
}

/** Send the drawing now (or as soon as the request in flight is answered). */
async function sendNow() {
  if (sending.timer !== null) {
    clearTimeout(sending.timer);
    sending.timer = null;
  }
  if (totalPoints() === 0) {
    resetDisplay();
    return;
  }
  if (sending.inFlight) {
    // One request at a time: answers arrive in order, and a slow server is not flooded.
    sending.pending = true;
    return;
  }
  sending.inFlight = true;
  sending.lastSent = performance.now();
  const generation = state.generation;
  const body = JSON.stringify({ strokes: state.strokes, size: state.size });
  try {
    const answer = await requestJson("/api/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    if (generation === state.generation) {
      showAnswer(answer);
    }
  } catch (error) {
    if (generation === state.generation) {
      resetDisplay();
      showMessage(error.message, true);
      setVerdict("no answer", "error");
    }
  } finally {
    sending.inFlight = false;
    if (sending.pending) {
      sending.pending = false;
      sendNow();
    }
  }
}

function showMessage(text, isError = false) {
  const message = byId("message");
  // The server's messages start in lower case, like Python's: a sentence on the page starts with a capital.
  message.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  message.classList.toggle("error", isError);
}

// --- The drawing canvas ---------------------------------------------------------------

function drawingCanvas() {
  return byId("drawing");
}

/** The pointer's position in canvas units (0 to 100 across the canvas). */
function canvasPoint(event) {
  const rectangle = drawingCanvas().getBoundingClientRect();
  const x = ((event.clientX - rectangle.left) / rectangle.width) * CANVAS_UNITS;
  const y = ((event.clientY - rectangle.top) / rectangle.height) * CANVAS_UNITS;
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
}

function limits() {
  return state.model ? state.model.limits : { strokes: 100, points: 10000 };
}

function startStroke(event) {
  if (state.activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) {
    return;
  }
  if (state.strokes.length >= limits().strokes || totalPoints() >= limits().points) {
    showMessage(`That is as much as the server takes (${limits().strokes} strokes, ${limits().points} points): Clear or Undo first.`, true);
    return;
  }
  event.preventDefault();
  showMessage(""); // whatever it said was about the drawing before this stroke
  drawingCanvas().setPointerCapture(event.pointerId);
  state.activePointer = event.pointerId;
  state.strokes.push([canvasPoint(event)]);
  redrawStrokes();
  updateCollectButtons();
}

function extendStroke(event) {
  if (event.pointerId !== state.activePointer) {
    return;
  }
  const stroke = state.strokes[state.strokes.length - 1];
  // A fast pen reports several positions per animation frame: take them all.
  const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const each of coalesced.length > 0 ? coalesced : [event]) {
    const point = canvasPoint(each);
    const last = stroke[stroke.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < MIN_STEP) {
      continue;
    }
    if (totalPoints() >= limits().points) {
      showMessage(`That is as many points as the server takes (${limits().points}).`, true);
      break;
    }
    stroke.push(point);
  }
  redrawStrokes();
  scheduleSend();
}

function endStroke(event) {
  if (event.pointerId !== state.activePointer) {
    return;
  }
  state.activePointer = null;
  updateCollectButtons();
  sendNow();
}

/** Draw the strokes again, at the canvas's current size on screen. */
function redrawStrokes() {
  const canvas = drawingCanvas();
  const context = canvas.getContext("2d");
  const scale = canvas.width / CANVAS_UNITS;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.strokeStyle = rgb(INK);
  context.fillStyle = context.strokeStyle;
  context.lineWidth = Math.max(2, canvas.width / 130);
  context.lineCap = "round";
  context.lineJoin = "round";
  for (const stroke of state.strokes) {
    if (stroke.length === 1) {
      context.beginPath();
      context.arc(stroke[0][0] * scale, stroke[0][1] * scale, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.beginPath();
    stroke.forEach(([x, y], index) => {
      if (index === 0) {
        context.moveTo(x * scale, y * scale);
      } else {
        context.lineTo(x * scale, y * scale);
      }
    });
    context.stroke();
  }
}

/** Keep the canvas's pixels matched to its size on screen, so lines stay sharp on any device. */
function fitDrawingCanvas() {
  const canvas = drawingCanvas();
  const pixels = Math.max(1, Math.round(canvas.getBoundingClientRect().width * (window.devicePixelRatio || 1)));
  if (canvas.width !== pixels) {
    canvas.width = pixels;
    canvas.height = pixels;
  }
  redrawStrokes();
}

/** A new drawing replaces the old one: forget answers still on their way. */
function replaceDrawing(strokes, generated = false) {
  state.strokes = strokes;
  state.generated = generated;
  state.generation += 1;
  redrawStrokes();
  updateCollectButtons();
}

function clearDrawing() {
  replaceDrawing([]);
  resetDisplay();
  showMessage("Cleared: draw a shape in the box.");
}

function undoStroke() {
  if (state.strokes.length === 0) {
    return;
  }
  const rest = state.strokes.slice(0, -1);
  replaceDrawing(rest, state.generated && rest.length > 0);
  showMessage(state.strokes.length === 0 ? "Nothing left: draw a shape in the box." : "Removed the last stroke.");
  sendNow();
}

async function showSample(kind) {
  try {
    const sample = await requestJson(`/api/sample?kind=${encodeURIComponent(kind)}`);
    const shrink = (CANVAS_UNITS - 2 * SAMPLE_MARGIN) / sample.canvas;
    const strokes = sample.strokes.map((stroke) =>
      stroke.map(([x, y]) => [SAMPLE_MARGIN + x * shrink, SAMPLE_MARGIN + y * shrink]));
    replaceDrawing(strokes, true);
    const name = kindName(sample.kind);
    showMessage(`A generated ${name} (seed ${sample.seed}), the kind of drawing the network learned from: ` +
      `it is ${sample.class_name === "square" ? "a square" : "not a square"}.`);
    sendNow();
  } catch (error) {
    showMessage(error.message, true);
  }
}

// --- Collecting drawings (python -m purenet demo --collect FILE.ndjson) -------------------

function plural(count, word) {
  return `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
}

/** "12 squares, 7 others": what the collection file holds. */
function countsText(collect) {
  return `${plural(collect.counts.square, "square")}, ${plural(collect.counts.other, "other")}`;
}

function collecting() {
  return Boolean(state.model && state.model.collect && state.model.collect.enabled);
}

/** A drawing can be saved when it is a person's own, has some extent, and no save is on its way. */
function canSave() {
  return collecting() && !state.saving && !state.generated && state.activePointer === null &&
    totalPoints() > 0 && hasExtent();
}

function updateCollectButtons() {
  const ready = canSave();
  byId("save-square").disabled = !ready;
  byId("save-other").disabled = !ready;
  let title = "";
  if (state.generated) {
    title = "A generated drawing is not saved: draw one yourself.";
  } else if (!ready && !state.saving) {
    title = "Draw a shape first.";
  }
  byId("save-square").title = title;
  byId("save-other").title = title;
}

/** Append the drawing to the server's collection file, then clear the canvas for the next one. */
async function saveDrawing(label) {
  if (!canSave()) {
    return;
  }
  state.saving = true;
  updateCollectButtons();
  // Strokes drawn while the save is on its way belong to the next drawing: keep them.
  const generation = state.generation;
  const points = totalPoints();
  try {
    const answer = await requestJson("/api/collect", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ strokes: state.strokes, label }),
    });
    state.model.collect = answer.collect;
    byId("collect-status").textContent = `Saved: ${countsText(answer.collect)} in ${answer.collect.file}.`;
    if (generation === state.generation && points === totalPoints()) {
      replaceDrawing([]);
      resetDisplay();
    }
    showMessage(`Saved as ${label === "square" ? "a square" : "not a square"}: draw the next one.`);
  } catch (error) {
    showMessage(error.message, true);
  } finally {
    state.saving = false;
    updateCollectButtons();
  }
}

function setUpCollecting(collect) {
  if (!collect || !collect.enabled) {
    return; // the buttons stay hidden: this server writes nothing
  }
  byId("collect").hidden = false;
  byId("collect-status").textContent = `Saving into ${collect.file}: ${countsText(collect)} so far.`;
  byId("save-square").addEventListener("click", () => saveDrawing("square"));
  byId("save-other").addEventListener("click", () => saveDrawing("other"));
  updateCollectButtons();
}

// --- Showing an answer ------------------------------------------------------------------

function classIndex(name) {
  return state.model.class_names.indexOf(name);
}

function setVerdict(text, stateName) {
  const verdict = byId("verdict");
  verdict.textContent = text;
  verdict.dataset.state = stateName;
}

function showAnswer(answer) {
  state.answer = answer;
  if (byId("message").classList.contains("error")) {
    showMessage("");
  }
  setVerdict(answer.verdict, answer.verdict);
  renderProbabilities(answer.probabilities);
  renderGrid();
  renderModelInput();
  renderStrip();
  renderHidden();
  renderLogits(answer.logits, answer.probabilities);
  renderWeights();
}

/** The empty page: no answer, blank pictures. */
function resetDisplay() {
  state.answer = null;
  setVerdict("nothing yet", "empty");
  renderProbabilities(null);
  renderGrid();
  renderModelInput();
  renderStrip();
  renderHidden();
  renderLogits(null, null);
  renderWeights();
}

/** One row of a bar chart: label, bar, value. Returns the row's parts to update later. */
function barRow(container, label, className) {
  const row = document.createElement("div");
  row.className = `bar-row ${className}`;
  const name = document.createElement("span");
  name.className = "bar-label";
  name.textContent = label;
  const track = document.createElement("div");
  track.className = "bar-track";
  const fill = document.createElement("div");
  fill.className = "bar-fill";
  track.append(fill);
  const value = document.createElement("span");
  value.className = "bar-value";
  value.textContent = "–";
  row.append(name, track, value);
  container.append(row);
  return { row, fill, value };
}

/** Classes shown square first: the question the page asks. */
function shownClasses() {
  return [...state.model.class_names].reverse();
}

let probabilityBars = null;
let logitBars = null;

function buildBars() {
  probabilityBars = {};
  logitBars = {};
  for (const name of shownClasses()) {
    const className = name.replace(/ /g, "-");
    probabilityBars[name] = barRow(byId("probabilities"), name, className);
    logitBars[name] = barRow(byId("logits"), name, className);
  }
}

function renderProbabilities(probabilities) {
  if (!probabilityBars) {
    return;
  }
  for (const name of shownClasses()) {
    const bar = probabilityBars[name];
    const probability = probabilities ? probabilities[classIndex(name)] : 0;
    bar.fill.style.width = `${100 * probability}%`;
    bar.value.textContent = probabilities ? percent(probability) : "–";
    bar.row.setAttribute("aria-label", probabilities ? `${name}: ${percent(probability)}` : `${name}: no answer yet`);
  }
}

/** Logits grow from a middle line: left when negative, right when positive. */
function renderLogits(logits, probabilities) {
  if (!logitBars) {
    return;
  }
  const scale = logits ? Math.max(1, ...logits.map(Math.abs)) : 1;
  for (const name of shownClasses()) {
    const bar = logitBars[name];
    const logit = logits ? logits[classIndex(name)] : 0;
    const half = (50 * Math.abs(logit)) / scale;
    bar.fill.style.width = `${half}%`;
    bar.fill.style.left = logit >= 0 ? "50%" : `${50 - half}%`;
    bar.value.textContent = logits ? formatNumber(logit) : "–";
  }
  const formula = byId("softmax");
  if (!logits) {
    formula.textContent = "p(class) = e^score / (sum of e^score over both classes)";
    return;
  }
  const square = classIndex("square");
  const other = 1 - square;
  formula.textContent = `p(square) = e^${logits[square].toFixed(2)} / (e^${logits[other].toFixed(2)} + ` +
    `e^${logits[square].toFixed(2)}) = ${percent(probabilities[square])}: ` +
    "the larger score wins, and the gap between the two scores sets how sure the network is.";
}

/** Prepare a canvas for drawing and fill it with paper. */
function blankCanvas(canvas) {
  const context = canvas.getContext("2d");
  context.fillStyle = rgb(PAPER);
  context.fillRect(0, 0, canvas.width, canvas.height);
  return context;
}

/** The grid at the asked size, the Hilbert curve over it, and the input under the pointer. */
function renderGrid() {
  const canvas = byId("grid");
  const context = blankCanvas(canvas);
  const answer = state.answer;
  canvas.dataset.size = answer ? String(answer.size) : "";
  if (!answer) {
    byId("grid-caption").textContent = "Draw something: its grid will appear here, with the Hilbert curve over it.";
    return;
  }
  const side = answer.size;
  const cell = canvas.width / side;
  answer.grid.forEach((row, y) => row.forEach((value, x) => {
    context.fillStyle = inkColour(value);
    // A little overlap hides the seams between cells.
    context.fillRect(x * cell, y * cell, cell + 0.5, cell + 0.5);
  }));
  if (byId("show-curve").checked) {
    drawCurve(context, side, cell);
  }
  drawHighlight(context, canvas.width / answer.model_side);
  byId("grid-caption").textContent = `${answer.reading.text} The line is the Hilbert curve of the ` +
    `${side} × ${side} grid, the order in which pixels are read: red at its start (top left), ` +
    "through yellow and green, to blue at its end (top right).";
}

/** The curve as a polyline through the cell centres, coloured along its length. */
function drawCurve(context, side, cell) {
  const cells = hilbertCells(side);
  const bands = 64; // one colour per stretch: 64 stretches look continuous and draw fast
  const perBand = Math.max(1, cells.length / bands);
  context.lineWidth = Math.max(1, cell * 0.12);
  context.lineJoin = "round";
  context.lineCap = "round";
  for (let start = 0; start < cells.length - 1; start += perBand) {
    const end = Math.min(cells.length - 1, start + perBand);
    context.strokeStyle = curveColour(start / cells.length, 0.55);
    context.beginPath();
    for (let index = start; index <= end; index += 1) {
      const [x, y] = cells[index];
      const method = index === start ? "moveTo" : "lineTo";
      context[method]((x + 0.5) * cell, (y + 0.5) * cell);
    }
    context.stroke();
  }
}

/** A frame round the model's input cell under the pointer on the strip. */
function drawHighlight(context, modelCell) {
  if (state.highlight === null || !state.answer) {
    return;
  }
  const [x, y] = hilbertCells(state.answer.model_side)[state.highlight];
  context.lineWidth = Math.max(2, modelCell / 4);
  context.strokeStyle = "#000000";
  context.strokeRect(x * modelCell, y * modelCell, modelCell, modelCell);
}

/** What the model reads: its input vector put back on its own grid. */
function renderModelInput() {
  const canvas = byId("model-input");
  const context = blankCanvas(canvas);
  const answer = state.answer;
  const caption = byId("model-input-caption");
  if (!answer) {
    caption.textContent = "What the model reads.";
    return;
  }
  const grid = unflatten(answer.inputs);
  const cell = canvas.width / grid.length;
  grid.forEach((row, y) => row.forEach((value, x) => {
    context.fillStyle = inkColour(value);
    context.fillRect(x * cell, y * cell, cell + 0.5, cell + 0.5);
  }));
  drawHighlight(context, cell);
  const side = answer.model_side;
  const how = { "as is": "read as it is", downsample: `shrunk from ${answer.size} × ${answer.size}`,
    upsample: `enlarged from ${answer.size} × ${answer.size}` }[answer.reading.mode];
  caption.textContent = `What the model reads: ${side} × ${side} = ${side * side} values, ${how}.`;
}

/** The inputs as a strip in curve order, folded into lines, with the curve's colour band under each line. */
function renderStrip() {
  const canvas = byId("strip");
  const context = blankCanvas(canvas);
  const answer = state.answer;
  const count = answer ? answer.inputs.length : (state.model ? state.model.inputs : 1024);
  const perLine = count / STRIP_LINES;
  const cellWidth = canvas.width / perLine;
  const lineHeight = canvas.height / STRIP_LINES;
  const inkHeight = lineHeight * 0.68;
  const bandHeight = lineHeight * 0.2;
  for (let index = 0; index < count; index += 1) {
    const x = (index % perLine) * cellWidth;
    const y = Math.floor(index / perLine) * lineHeight;
    context.fillStyle = answer ? inkColour(answer.inputs[index]) : rgb(PAPER);
    context.fillRect(x, y, cellWidth + 0.5, inkHeight);
    context.fillStyle = curveColour(index / count);
    context.fillRect(x, y + inkHeight, cellWidth + 0.5, bandHeight);
  }
  if (state.highlight !== null && answer) {
    const x = (state.highlight % perLine) * cellWidth;
    const y = Math.floor(state.highlight / perLine) * lineHeight;
    context.lineWidth = 2;
    context.strokeStyle = "#000000";
    context.strokeRect(x - 1, y, cellWidth + 2, inkHeight + bandHeight);
  }
}

/** Pointing at the strip frames the same input in both pictures. */
function pointAtStrip(event) {
  if (!state.answer) {
    return;
  }
  const canvas = byId("strip");
  const rectangle = canvas.getBoundingClientRect();
  const count = state.answer.inputs.length;
  const perLine = count / STRIP_LINES;
  const column = clamp(Math.floor(((event.clientX - rectangle.left) / rectangle.width) * perLine), 0, perLine - 1);
  const line = clamp(Math.floor(((event.clientY - rectangle.top) / rectangle.height) * STRIP_LINES), 0, STRIP_LINES - 1);
  state.highlight = line * perLine + column;
  const [x, y] = hilbertCells(state.answer.model_side)[state.highlight];
  byId("strip-caption").textContent = `Input ${state.highlight} of ${count} (counting from 0) is ` +
    `${formatNumber(state.answer.inputs[state.highlight], 3)}: the cell in column ${x}, row ${y} of the ` +
    `${state.answer.model_side} × ${state.answer.model_side} picture, framed in black. ` +
    "Paper is −0.5, full ink +0.5.";
  renderGrid();
  renderModelInput();
  renderStrip();
}

function leaveStrip() {
  state.highlight = null;
  byId("strip-caption").textContent = stripCaption;
  if (state.answer) {
    renderGrid();
    renderModelInput();
    renderStrip();
  }
}

// --- Inside the network -------------------------------------------------------------

function buildHiddenUnits() {
  const container = byId("hidden");
  for (let unit = 0; unit < state.model.hidden_units; unit += 1) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.unit = String(unit);
    button.setAttribute("aria-label", `Hidden unit ${unit}`);
    // Pointing (mouse), focusing (keyboard) and tapping (touch) all show the unit's weights.
    button.addEventListener("pointerenter", () => selectUnit(unit));
    button.addEventListener("focus", () => selectUnit(unit));
    button.addEventListener("click", () => selectUnit(unit));
    container.append(button);
  }
}

function renderHidden() {
  const answer = state.answer;
  const buttons = byId("hidden").querySelectorAll("button");
  const activations = answer ? answer.hidden.activations : null;
  const scale = activations ? Math.max(1e-9, ...activations.map(Math.abs)) : 1;
  buttons.forEach((button, unit) => {
    if (!answer) {
      button.style.background = "";
      button.textContent = "";
      button.classList.remove("light-text");
      button.setAttribute("aria-label", `Hidden unit ${unit}`);
      button.title = `Hidden unit ${unit}`;
      return;
    }
    const activation = activations[unit];
    const preActivation = answer.hidden.pre_activations[unit];
    button.style.background = divergingColour(activation, scale);
    // Dark text reads well on every orange and on pale blue; only deep blue needs white text.
    button.classList.toggle("light-text", activation / scale < -0.8);
    // LeakyReLU shrinks a negative sum 100 times: show such tiny values as "≈0", not "-0.0".
    button.textContent = Math.abs(activation) < 0.05 && activation !== 0 ? "≈0" : activation.toFixed(1).replace("-", "−");
    const description = `Hidden unit ${unit}: z = ${preActivation.toFixed(3)}, activation a = ${activation.toFixed(3)}`;
    button.setAttribute("aria-label", description);
    button.title = description;
  });
}

async function selectUnit(unit) {
  if (state.selectedUnit === unit && state.weights.has(unit)) {
    return;
  }
  state.selectedUnit = unit;
  byId("hidden").querySelectorAll("button").forEach((button, index) => {
    button.classList.toggle("selected", index === unit);
  });
  if (!state.weights.has(unit)) {
    try {
      state.weights.set(unit, await requestJson(`/api/weights?unit=${unit}`));
    } catch (error) {
      showMessage(error.message, true);
      return;
    }
  }
  if (state.selectedUnit === unit) {
    renderWeights();
  }
}

/** The selected unit's weights as a picture, with dots where the drawing has ink. */
function renderWeights() {
  const unit = state.selectedUnit;
  const canvas = byId("weights");
  if (unit === null || !state.weights.has(unit)) {
    return;
  }
  const data = state.weights.get(unit);
  canvas.hidden = false;
  canvas.dataset.unit = String(unit);
  const context = blankCanvas(canvas);
  const cell = canvas.width / data.side;
  data.weights.forEach((row, y) => row.forEach((weight, x) => {
    context.fillStyle = divergingColour(weight, data.largest);
    context.fillRect(x * cell, y * cell, cell + 0.5, cell + 0.5);
  }));
  const answer = state.answer;
  if (answer) {
    // Dots where the model's input has more ink than paper: which weights the drawing switches on.
    const inputs = unflatten(answer.inputs);
    context.fillStyle = "rgba(0, 0, 0, 0.75)";
    inputs.forEach((row, y) => row.forEach((value, x) => {
      if (value > 0) {
        context.beginPath();
        context.arc((x + 0.5) * cell, (y + 0.5) * cell, cell * 0.22, 0, 2 * Math.PI);
        context.fill();
      }
    }));
  }
  let text = `Unit ${unit}: its ${data.side * data.side} input weights, put back on the ${data.side} × ` +
    `${data.side} grid along the Hilbert curve. Orange: ink there raises the unit's sum z; blue: ink there ` +
    "lowers it (paper counts −0.5, ink +0.5, so paper pushes the other way).";
  if (answer) {
    const z = answer.hidden.pre_activations[unit];
    const a = answer.hidden.activations[unit];
    const square = classIndex("square");
    const other = 1 - square;
    text += ` Dots: your drawing. Now z = ${formatNumber(z)} (bias ${formatNumber(data.bias)}), ` +
      `a = ${formatNumber(a)}; this unit adds a × its outgoing weight to each score: ` +
      `${formatNumber(a * data.to_logits[square])} to "square", ${formatNumber(a * data.to_logits[other])} to "not square".`;
  }
  byId("weights-caption").textContent = text;
}

// --- The model, and starting up -------------------------------------------------------

function describeModel(model) {
  const parts = model.layers.map((layer) => {
    if (layer.type === "Dense") {
      return `Dense(${layer.in_features} → ${layer.out_features})`;
    }
    return "alpha" in layer ? `${layer.type}(α = ${layer.alpha})` : layer.type;
  });
  byId("architecture").textContent = `${model.inputs} inputs → ${parts.join(" → ")} → softmax`;
  byId("hidden-title").textContent = `${model.hidden_units} hidden units`;
  // The page's own words follow the model too: a 16 x 16 model reads 256 values.
  byId("lead-inputs").textContent = String(model.inputs);
  byId("lead-hidden").textContent = String(model.hidden_units);
  byId("caption-inputs").textContent = String(model.inputs);
  byId("caption-grid").textContent = `${model.model_side} × ${model.model_side}`;

  const layerText = model.layers
    .map((layer) => `${layer.description}: ${layer.parameters.toLocaleString("en")} parameters`)
    .join("; ");
  const metadata = model.metadata || {};
  const lines = [`${layerText}; ${model.total_parameters.toLocaleString("en")} in all. It reads a ` +
    `${model.model_side} × ${model.model_side} grid${model.model_file ? ` (model file ${model.model_file})` : ""}.`];
  const summary = byId("model-summary");
  summary.textContent = "";
  for (const line of lines) {
    addParagraph(summary, line);
  }
  if (metadata.command) {
    // The command in a <code> element: copied as is, it trains the same model again.
    const paragraph = addParagraph(summary, "Trained with ");
    const command = document.createElement("code");
    command.textContent = metadata.command;
    paragraph.append(command, "seed" in metadata ? ` (seed ${metadata.seed}).` : ".");
  }
  const reports = [["test", "on its held-out test split"], ["evaluation", "on fresh drawings"]];
  for (const [key, where] of reports) {
    const report = metadata[key];
    if (report && typeof report.accuracy === "number") {
      addParagraph(summary, `Accuracy ${percent(report.accuracy)} ${where} (${report.samples} drawings at ` +
        `${report.size} × ${report.size}).`);
    }
  }
}

function addParagraph(container, text) {
  const paragraph = document.createElement("p");
  paragraph.textContent = text;
  container.append(paragraph);
  return paragraph;
}

function buildSampleButtons(kinds) {
  const container = byId("samples");
  for (const kind of Object.keys(kinds)) {
    const name = kindName(kind);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = name;
    button.setAttribute("aria-label", `Show me ${article(name)} ${name}`);
    button.addEventListener("click", () => showSample(kind));
    container.append(button);
  }
}

function setUpControls() {
  const canvas = drawingCanvas();
  canvas.addEventListener("pointerdown", startStroke);
  canvas.addEventListener("pointermove", extendStroke);
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);
  new ResizeObserver(fitDrawingCanvas).observe(canvas);
  byId("clear").addEventListener("click", clearDrawing);
  byId("undo").addEventListener("click", undoStroke);
  for (const radio of document.querySelectorAll('input[name="size"]')) {
    radio.addEventListener("change", () => {
      state.size = Number(radio.value);
      state.generation += 1; // an answer at the old size is no longer wanted
      sendNow();
    });
  }
  byId("show-curve").addEventListener("change", renderGrid);
  const strip = byId("strip");
  strip.addEventListener("pointermove", pointAtStrip);
  strip.addEventListener("pointerdown", pointAtStrip);
  strip.addEventListener("pointerleave", leaveStrip);
}

async function start() {
  setUpControls();
  try {
    state.model = await requestJson("/api/model");
  } catch (error) {
    showMessage(`Could not load the model: ${error.message}`, true);
    return;
  }
  // Start at the model's own side when the switch offers it (32 for the shipped model).
  const own = document.querySelector(`input[name="size"][value="${state.model.model_side}"]`);
  if (own) {
    own.checked = true;
  }
  state.size = Number(document.querySelector('input[name="size"]:checked').value);
  describeModel(state.model);
  buildBars();
  buildHiddenUnits();
  buildSampleButtons(state.model.kinds);
  setUpCollecting(state.model.collect);
  resetDisplay();
  document.body.dataset.ready = "true";
}

// Exposed for the tests and for the curious, in the browser's console.
window.purenetDemo = { state, hilbertCell, hilbertCells, unflatten };

start();
