// purenet live training page: the page's behaviour. Plain JavaScript, no framework, no build step.
//
// The page makes a training session on the server (POST /api/train/sessions),
// starts, pauses and steps it (POST /api/train/control), and polls its state
// (GET /api/train/state) ten times a second while it trains. All the training
// happens on the server, in purenet's own fit; this file only draws pictures
// of what comes back: the curves, the decision regions or the weights, and
// the size of each layer's gradient.
"use strict";

const POLL_MS = 100; // ten polls a second while training: the page shows each new epoch at once
const IDLE_POLL_MS = 1000; // paused or finished: a slow poll keeps the session alive (the server's heartbeat)
const CLASS_COLOURS = [[230, 159, 0], [86, 180, 233], [0, 158, 115]]; // Okabe and Ito: clear for colour-blind eyes
const TINT = 0.65; // how far a region's colour is mixed towards white, so that the points stand out
const TRAINING_COLOUR = "#0b5d8f";
const VALIDATION_COLOUR = "#c2410c";

const state = {
  options: null,
  session: null, // the id of the current session
  settingsText: "", // the settings the session was made with: changing them makes a new session
  description: null,
  history: { loss: [], accuracy: [], val_loss: [], val_accuracy: [] },
  pictureVersion: -1, // the version of the regions or weights the page has: the server sends a newer one only
  regions: null,
  weights: null,
  status: "none",
  pollTimer: null,
};

const $ = (id) => document.getElementById(id);

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(answer.error || `the server answered ${response.status}`);
  }
  return answer;
}

// --- settings ---------------------------------------------------------------------

function fillSelect(select, values, chosen) {
  select.replaceChildren(...values.map((value) => {
    const option = document.createElement("option");
    option.value = String(value);
    option.textContent = String(value);
    option.selected = value === chosen;
    return option;
  }));
}

function showTaskFields() {
  const task = $("task").value;
  const squares = task === "squares";
  const defaults = state.options.tasks[task];
  $("side-label").hidden = !squares;
  $("noise-label").hidden = squares;
  $("points-label").firstChild.textContent = squares ? "Drawings " : task === "xor" ? "Points " : "Points per class ";
  $("points").value = defaults.points;
  if (!squares) {
    $("noise").value = defaults.noise;
  }
  $("picture-heading").textContent = squares ? "The first layer's weights" : "Decision regions";
  $("regions").hidden = squares;
  $("weights").hidden = !squares;
  $("picture-note").textContent = squares
    ? "Each hidden unit's weights on the drawing's grid (read back from the Hilbert curve): red pushes the " +
      "unit up, blue down. Shapes appear as it learns."
    : "The class the network gives at every point of the plane, with the training points on top; it is " +
      "redrawn as it moves.";
}

function readSettings() {
  const number = (id) => Number($(id).value);
  const hiddenText = $("hidden").value.trim();
  const settings = {
    task: $("task").value,
    hidden: hiddenText === "" ? [] : hiddenText.split(",").map((part) => Number(part.trim())),
    activation: $("activation").value,
    optimizer: $("optimizer").value,
    lr: number("lr"),
    batch_size: number("batch_size"),
    epochs: number("epochs"),
    points: number("points"),
    seed: number("seed"),
  };
  if (settings.task === "squares") {
    settings.side = number("side");
  } else {
    settings.noise = number("noise");
  }
  return settings;
}

// --- the session ------------------------------------------------------------------

async function ensureSession() {
  const settings = readSettings();
  const text = JSON.stringify(settings);
  if (state.session && text === state.settingsText && !["stopped", "failed"].includes(state.status)) {
    return;
  }
  const created = await api("/api/train/sessions", settings);
  state.session = created.session;
  state.settingsText = text;
  state.description = created;
  state.pictureVersion = -1;
  clearHistory();
  await waitUntilReady();
}

async function waitUntilReady() {
  // The square detector's drawings take a few seconds to make: poll until the session is ready.
  for (;;) {
    const answer = await poll();
    if (answer.status !== "preparing") {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function clearHistory() {
  state.history = { loss: [], accuracy: [], val_loss: [], val_accuracy: [] };
}

async function control(action) {
  showError("");
  try {
    if (action === "reset" && state.session) {
      const text = JSON.stringify(readSettings());
      if (text === state.settingsText && !["stopped", "failed"].includes(state.status)) {
        await api("/api/train/control", { session: state.session, action });
        clearHistory();
        state.pictureVersion = -1;
      } else {
        state.session = null;
        await ensureSession();
      }
    } else {
      await ensureSession();
      if (action !== "reset") {
        await api("/api/train/control", { session: state.session, action });
      }
    }
    schedulePoll(0);
  } catch (error) {
    showError(error.message);
  }
}

function schedulePoll(delay) {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(pollLoop, delay);
}

async function pollLoop() {
  if (!state.session) {
    return;
  }
  const started = performance.now();
  try {
    const answer = await poll();
    const busy = answer.status === "running" || answer.status === "preparing";
    if (answer.status !== "stopped") {
      // A fixed rate, whatever the answer took: a slow server is not polled less often than it can answer.
      const elapsed = performance.now() - started;
      schedulePoll(Math.max(0, (busy ? POLL_MS : IDLE_POLL_MS) - elapsed));
    }
  } catch (error) {
    showError(error.message);
    schedulePoll(IDLE_POLL_MS);
  }
}

async function poll() {
  const since = state.history.loss.length;
  const query = `session=${state.session}&since=${since}&picture=${state.pictureVersion}`;
  const answer = await api(`/api/train/state?${query}`);
  if (answer.describe) {
    state.description = answer.describe;
  }
  for (const name of Object.keys(state.history)) {
    state.history[name].length = answer.history_from;
    state.history[name].push(...(answer.history[name] || []));
  }
  const newPicture = Boolean(answer.regions || answer.weights);
  if (newPicture) {
    state.regions = answer.regions || null;
    state.weights = answer.weights || null;
    state.pictureVersion = answer.picture_version;
  }
  show(answer, newPicture);
  return answer;
}

// --- drawing ------------------------------------------------------------------------

function show(answer, newPicture) {
  state.status = answer.status;
  const status = $("status");
  status.textContent = answer.status;
  status.dataset.status = answer.status;
  $("message").textContent = answer.message;
  $("epoch").textContent = `epoch ${answer.epoch}`;
  const running = answer.running_loss === null ? "" : `, loss so far ${answer.running_loss.toFixed(4)}`;
  $("batch").textContent = answer.batches
    ? `batch ${answer.batch} of ${answer.batches}${running} (of ${answer.epochs} epochs)`
    : "";
  const training = answer.status === "running";
  $("start").disabled = training || answer.status === "preparing";
  $("start").textContent = answer.status === "paused" ? "Resume" : "Start";
  $("pause").disabled = !training;
  const last = (name) => state.history[name][state.history[name].length - 1];
  const figures = [];
  for (const name of ["loss", "val_loss", "accuracy", "val_accuracy"]) {
    const value = last(name);
    if (typeof value === "number") {
      figures.push(`${name} ${value.toFixed(4)}`);
    }
  }
  $("figures").textContent = figures.join("   ");
  drawChart($("loss-chart"), "loss", state.history.loss, state.history.val_loss, false);
  drawChart($("accuracy-chart"), "accuracy", state.history.accuracy, state.history.val_accuracy, true);
  if (newPicture && state.regions && state.description && state.description.bounds) {
    drawRegions(state.regions);
  }
  if (newPicture && state.weights) {
    drawWeights(state.weights);
  }
  showLayers(answer);
  const description = state.description || {};
  $("summary").textContent = description.summary || "";
  const canSave = ["ready", "paused", "finished"].includes(answer.status);
  const download = $("download");
  download.hidden = !canSave;
  download.href = `/api/train/model?session=${state.session}`;
  const settings = description.settings || {};
  $("use").hidden = !(canSave && settings.task === "squares" && (settings.hidden || []).length === 1);
}

function drawChart(canvas, title, training, validation, unitRange) {
  const context = canvas.getContext("2d");
  const width = canvas.width;
  const height = canvas.height;
  const left = 48;
  const right = 12;
  const top = 22;
  const bottom = 28;
  context.clearRect(0, 0, width, height);
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#222222";
  context.font = "13px sans-serif";
  context.fillText(title, left, 15);
  canvas.dataset.points = String(training.length);
  const values = training.concat(validation).filter((value) => typeof value === "number");
  if (values.length === 0) {
    context.fillText("no epochs yet", width / 2 - 40, height / 2);
    return;
  }
  let low = unitRange ? 0 : Math.min(0, ...values);
  let high = unitRange ? 1 : Math.max(...values);
  if (high <= low) {
    high = low + 1;
  }
  const epochs = Math.max(training.length, 2);
  const x = (index) => left + (index / (epochs - 1)) * (width - left - right);
  const y = (value) => top + (1 - (value - low) / (high - low)) * (height - top - bottom);
  context.strokeStyle = "#cccccc";
  context.lineWidth = 1;
  context.fillStyle = "#444444";
  context.font = "11px sans-serif";
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = low + (tick / 4) * (high - low);
    context.beginPath();
    context.moveTo(left, y(value));
    context.lineTo(width - right, y(value));
    context.stroke();
    context.fillText(value.toPrecision(3), 4, y(value) + 4);
  }
  context.fillText(`epoch ${training.length}`, width - right - 60, height - 8);
  const line = (series, colour, dashed) => {
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.setLineDash(dashed ? [6, 3] : []);
    context.beginPath();
    series.forEach((value, index) => {
      if (typeof value === "number") {
        context[index === 0 ? "moveTo" : "lineTo"](x(index), y(value));
      }
    });
    context.stroke();
    context.setLineDash([]);
  };
  line(training, TRAINING_COLOUR, false);
  line(validation, VALIDATION_COLOUR, true);
}

function mixWithWhite(colour, weight) {
  return colour.map((channel) => Math.round(channel + (255 - channel) * weight));
}

function drawRegions(regions) {
  const canvas = $("regions");
  const context = canvas.getContext("2d");
  const cells = regions.resolution;
  const image = context.createImageData(cells, cells);
  regions.classes.forEach((label, index) => {
    const [red, green, blue] = mixWithWhite(CLASS_COLOURS[label % CLASS_COLOURS.length], TINT);
    image.data.set([red, green, blue, 255], index * 4);
  });
  // Each cell is one pixel of a small image, drawn enlarged without smoothing: crisp squares.
  const small = document.createElement("canvas");
  small.width = cells;
  small.height = cells;
  small.getContext("2d").putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  const [left, right, bottom, top] = state.description.bounds;
  for (const [a, b, label] of state.description.points) {
    const px = ((a - left) / (right - left)) * canvas.width;
    const py = ((top - b) / (top - bottom)) * canvas.height;
    context.beginPath();
    context.arc(px, py, 3, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${CLASS_COLOURS[label % CLASS_COLOURS.length].join(",")})`;
    context.fill();
    context.strokeStyle = "#ffffff";
    context.lineWidth = 0.8;
    context.stroke();
  }
}

function drawWeights(units) {
  const canvas = $("weights");
  const context = canvas.getContext("2d");
  const side = units[0].length;
  const columns = Math.min(8, units.length);
  const rows = Math.ceil(units.length / columns);
  const gap = 4;
  const scale = Math.max(1, Math.floor((canvas.width - gap * (columns - 1)) / (columns * side)));
  canvas.height = rows * (side * scale + gap);
  let largest = 1e-12;
  for (const unit of units) {
    for (const row of unit) {
      for (const value of row) {
        largest = Math.max(largest, Math.abs(value));
      }
    }
  }
  units.forEach((unit, index) => {
    const image = context.createImageData(side, side);
    unit.forEach((row, rowIndex) => {
      row.forEach((value, columnIndex) => {
        const share = Math.min(1, Math.abs(value) / largest);
        const colour = value >= 0 ? [178, 24, 43] : [33, 102, 172];
        const [red, green, blue] = mixWithWhite(colour, 1 - share);
        image.data.set([red, green, blue, 255], (rowIndex * side + columnIndex) * 4);
      });
    });
    const small = document.createElement("canvas");
    small.width = side;
    small.height = side;
    small.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    const column = index % columns;
    const row = Math.floor(index / columns);
    context.drawImage(small, column * (side * scale + gap), row * (side * scale + gap), side * scale, side * scale);
  });
}

function showLayers(answer) {
  const body = $("layers-table").querySelector("tbody");
  const dead = new Map(answer.dead.map((entry) => [entry.layer, entry]));
  const rows = answer.gradients.map((entry) => {
    const row = document.createElement("tr");
    // A Dense layer's activation follows it: its dead units are counted there.
    const deadEntry = dead.get(entry.layer + 1);
    const cells = [
      `layer ${entry.layer} (Dense)`,
      entry.norm.toExponential(2),
      deadEntry ? `${deadEntry.dead} of ${deadEntry.units}` : "–",
    ];
    row.replaceChildren(...cells.map((text) => {
      const cell = document.createElement("td");
      cell.textContent = text;
      return cell;
    }));
    return row;
  });
  body.replaceChildren(...rows);
}

async function useInDrawingPage() {
  showError("");
  try {
    await api("/api/train/use", { session: state.session });
    window.location.href = "/";
  } catch (error) {
    showError(error.message);
  }
}

async function start() {
  state.options = await api("/api/train/options");
  const defaults = state.options.defaults;
  fillSelect($("task"), Object.keys(state.options.tasks), defaults.task);
  fillSelect($("activation"), state.options.activations, defaults.activation);
  fillSelect($("optimizer"), state.options.optimizers, defaults.optimizer);
  fillSelect($("side"), state.options.square_sides, defaults.side);
  $("hidden").value = defaults.hidden.join(", ");
  $("lr").value = defaults.lr;
  $("batch_size").value = defaults.batch_size;
  $("epochs").value = defaults.epochs;
  $("seed").value = defaults.seed;
  showTaskFields();
  $("task").addEventListener("change", showTaskFields);
  $("start").addEventListener("click", () => control("start"));
  $("pause").addEventListener("click", () => control("pause"));
  $("step").addEventListener("click", () => control("step"));
  $("reset").addEventListener("click", () => control("reset"));
  $("use").addEventListener("click", useInDrawingPage);
  drawChart($("loss-chart"), "loss", [], [], false);
  drawChart($("accuracy-chart"), "accuracy", [], [], true);
  document.body.dataset.ready = "true"; // for tests: the page is ready to use
}

start().catch((error) => showError(error.message));
