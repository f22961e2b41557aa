"""Checkpoints: a run saved after every epoch, resumed bit for bit; Ctrl-C that keeps the last whole epoch.

A checkpoint is a model file (``purenet.serialization``'s format, so
``purenet.load`` reads its model) with two more keys::

    "optimizer": {"type": "Adam", "state_dict": {...}}      the optimiser's state_dict (PyTorch's layout)
    "training": {"checkpoint_version": 1, "epoch": 3, "history": {...},
                 "order": [...], "random_state": [3, [...625 integers...], null],
                 "layers": {"2": {"rng": [...]}}, "callbacks": {"0": {...}}, "options": {...}}

``order`` is the shuffled sample order (fit reshuffles the previous order
in place, so it is state), ``random_state`` the state of fit's shuffling
generator (``random.Random.getstate()``). Layers and callbacks carry their
own state through a small hook: a layer's ``rng`` (a ``random.Random``, as
Dropout's) is saved; a layer may give ``get_extra_state()`` /
``set_extra_state(state)`` (PyTorch's names) and a callback ``state_dict()`` /
``load_state_dict(state)``, each with JSON-compatible values. ``options``
are what the run was started with; resuming with other options is refused.
Written atomically after every epoch. Ctrl-C is handled in ``purenet.interrupt``;
docs/checkpoints.md explains it all.
"""

from __future__ import annotations

import json
import os
import random

from .callbacks import Callback, CallbackList
from .layers.base import Layer
from .serialization import ModelFileError, read_json, to_dict, write_atomically
from .training import Training
from .validation import is_integer

CHECKPOINT_VERSION = 1


def fit_options(training: Training, seed: int) -> dict:
    """The options of a ``fit`` run that a resumed run must share: another batch size, order or data is another run."""
    return {"batch_size": training.batch_size, "shuffle": training.shuffle, "seed": seed,
            "training_samples": len(training.inputs), "optimizer": training.optimizer.hyperparameters()}


def snapshot(training: Training, callbacks: list[Callback], options: dict, model_file: bool = True) -> dict:
    """Everything a resumed run needs, as a JSON-compatible dict (the checkpoint file's content).

    With ``model_file=False`` the model is only its ``state_dict()`` (under
    "parameters"): Ctrl-C's in-memory copy, which works for layers a model file cannot hold.
    """
    version, internal, gauss = training.rng.getstate()
    layers = {}
    for index, layer in enumerate(training.model.layers):
        state = {}
        if isinstance(getattr(layer, "rng", None), random.Random):
            state["rng"] = _generator_state(layer.rng)
        if hasattr(layer, "get_extra_state"):
            state["extra"] = layer.get_extra_state()
        if state:
            layers[str(index)] = state
    data = to_dict(training.model) if model_file else {"parameters": training.model.state_dict()}
    data["optimizer"] = {"type": type(training.optimizer).__name__, "state_dict": training.optimizer.state_dict()}
    data["training"] = {
        "checkpoint_version": CHECKPOINT_VERSION,
        "epoch": training.epoch,
        "epochs": training.epochs,
        "history": {name: list(values) for name, values in training.history.items()},
        "order": list(training._order),
        "random_state": [version, list(internal), gauss],
        "layers": layers,
        "callbacks": {f"{index}:{type(callback).__name__}": callback.state_dict()
                      for index, callback in enumerate(_stateful(callbacks))},
        "options": dict(options),
    }
    return data


def _generator_state(generator: random.Random) -> list:
    version, internal, gauss = generator.getstate()
    return [version, list(internal), gauss]


def _set_generator(generator: random.Random, state: object, where: str) -> None:
    """Restore a ``random.Random`` from ``[version, [625 integers], gauss]``; a bad state is a ModelFileError."""
    if not (isinstance(state, list) and len(state) == 3 and isinstance(state[1], list)
            and all(is_integer(value) for value in state[1])):
        raise ModelFileError(f"{where} must be [version, [625 integers], gauss_next], got {type(state).__name__}")
    try:
        generator.setstate((state[0], tuple(state[1]), state[2]))
    except (TypeError, ValueError, OverflowError) as error:
        raise ModelFileError(f"{where} is not a random generator's state ({error})") from None


def write_checkpoint(path: str | os.PathLike, data: dict) -> None:
    """Write a ``snapshot`` to ``path`` atomically (a kill leaves the previous checkpoint whole)."""
    write_atomically(path, json.dumps(data, allow_nan=False, separators=(",", ":")) + "\n")


def load_checkpoint(path: str | os.PathLike) -> dict:
    """Read a checkpoint or a model file: ``{"model": Sequential, "optimizer": ..., "training": ...}``.

    ``optimizer`` is ``{"type": "Adam", "state_dict": ...}`` when the file carries the
    optimiser's state (``save(model, path, optimizer=...)`` or a checkpoint); pass
    ``state_dict`` to ``Optimizer.load_state_dict``. ``training`` is the checkpoint's
    training state (None in a model file). Raises ``ModelFileError``.
    """
    from .serialization import from_dict

    path = os.fspath(path)
    data = read_json(path)
    try:
        model = from_dict(data)
        optimizer = _optimizer_entry(data.get("optimizer"))
        training = data.get("training")
        if training is not None:
            _check_training(training, len(model.layers))
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
    return {"model": model, "optimizer": optimizer, "training": training}


def _optimizer_entry(entry: object) -> dict | None:
    if entry is None:
        return None
    well_formed = isinstance(entry, dict) and isinstance(entry.get("type"), str)
    if not well_formed or not isinstance(entry.get("state_dict"), dict):
        raise ModelFileError("'optimizer' must be {\"type\": name, \"state_dict\": {...}}")
    return entry


def _check_training(training: object, layer_count: int) -> None:
    """The shape of a checkpoint's ``training`` entry; the values are checked where they are used."""
    if not isinstance(training, dict):
        raise ModelFileError(f"'training' must be an object, got {type(training).__name__}")
    if training.get("checkpoint_version") != CHECKPOINT_VERSION:
        raise ModelFileError(
            f"unsupported checkpoint version {training.get('checkpoint_version')!r}; "
            f"this purenet reads version {CHECKPOINT_VERSION}"
        )
    kinds = {"epoch": int, "epochs": int, "history": dict, "order": list, "random_state": list,
             "layers": dict, "callbacks": dict, "options": dict}
    for name, kind in kinds.items():
        value = training.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ModelFileError(f"checkpoint 'training.{name}' must be a {kind.__name__}, got {type(value).__name__}")
    if training["epoch"] < 0:
        raise ModelFileError(f"checkpoint epoch must be 0 or more, got {training['epoch']}")
    if not all(is_integer(index) for index in training["order"]):
        raise ModelFileError("checkpoint 'training.order' must be a list of sample indices")
    if not all(isinstance(values, list) for values in training["history"].values()):
        raise ModelFileError("checkpoint 'training.history' must map each figure to a list of values")


def resume(path: str | os.PathLike, training: Training, callbacks: list[Callback], options: dict) -> int:
    """Put the run back as the checkpoint at ``path`` saved it; returns the epoch it holds (the next is one more).

    The model's layers, the optimiser's type and hyperparameters and the options
    must be the checkpoint's; any difference is a ``ValueError`` naming it.
    """
    saved = load_checkpoint(path)
    state = saved["training"]
    if state is None:
        raise ValueError(f"resume: {path} is a model file, not a checkpoint (write one with checkpoint=...)")
    restore(saved, training, callbacks, options, path)
    return state["epoch"]


def restore(saved: dict, training: Training, callbacks: list[Callback], options: dict, path: object) -> None:
    """Copy what ``load_checkpoint`` returned into the running ``training``, checking that it fits."""
    state = saved["training"]
    for name, value in options.items():
        if name != "optimizer" and name in state["options"] and state["options"][name] != value:
            raise ValueError(
                f"resume: {path} was written with {name}={state['options'][name]!r}, but this run has "
                f"{name}={value!r}; resume with the same options"
            )
    model, layers = saved.get("model"), training.model.layers
    described = [_description(layer) for layer in layers]
    if model is not None and [_description(layer) for layer in model.layers] != described:
        raise ValueError(f"resume: {path} holds a model {model!r}, but this run trains {training.model!r}")
    optimizer = saved["optimizer"]
    if optimizer is None or optimizer["type"] != type(training.optimizer).__name__:
        found = "no optimiser" if optimizer is None else optimizer["type"]
        raise ValueError(f"resume: {path} holds {found}, but this run uses {type(training.optimizer).__name__}")
    # The hyperparameters the run started with: a scheduler may have changed the lr since, and that is state.
    _check_hyperparameters(state["options"].get("optimizer"), options.get("optimizer"), path)
    state_dict = model.state_dict() if model is not None else saved["parameters"]
    order = state["order"]
    if sorted(order) != list(range(len(training.inputs))):
        raise ValueError(f"resume: {path} has a sample order for another data set ({len(order)} samples)")
    try:
        training.optimizer.load_state_dict(optimizer["state_dict"])
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{path}: the optimiser's state does not fit: {error}") from None
    training.model.load_state_dict(state_dict)
    _set_generator(training.rng, state["random_state"], f"{path}: training.random_state")
    for key, entry in state["layers"].items():
        layer = layers[int(key)] if key.isdigit() and int(key) < len(layers) else None
        if layer is None or not isinstance(entry, dict):
            raise ModelFileError(f"{path}: training.layers has an entry {key!r} for no layer")
        if "rng" in entry:
            _set_generator(layer.rng, entry["rng"], f"{path}: training.layers.{key}.rng")
        if "extra" in entry:
            layer.set_extra_state(entry["extra"])
    stateful = {f"{index}:{type(callback).__name__}": callback for index, callback in enumerate(_stateful(callbacks))}
    if sorted(stateful) != sorted(state["callbacks"]):
        raise ValueError(f"resume: {path} holds the state of callbacks {sorted(state['callbacks'])}, "
                         f"this run has {sorted(stateful)}")
    for key, entry in state["callbacks"].items():
        stateful[key].load_state_dict(entry)
    training.history = {name: list(values) for name, values in state["history"].items()}
    training._order[:] = order
    training.epoch = state["epoch"]


def check_options(
    path: str | os.PathLike, options: dict, flags: dict[str, str], earlier: dict | None = None
) -> None:
    """Refuse to resume from ``path`` with other options: a ``ValueError`` naming the first that differs.

    ``flags`` names each option as the user typed it (``{"hidden": "--hidden"}``);
    ``earlier`` gives the value of an option that checkpoints written before it existed
    do not record (``{"schedule": "constant"}``: those runs kept one learning rate).
    """
    saved = load_checkpoint(path)["training"]
    if saved is None:
        raise ValueError(f"--resume: {path} is a model file, not a checkpoint (write one with --checkpoint)")
    for name, value in options.items():
        recorded = saved["options"].get(name, (earlier or {}).get(name))
        if recorded != value:
            raise ValueError(
                f"--resume: {path} was written with {flags.get(name, name)} {recorded!r}, "
                f"this run has {flags.get(name, name)} {value!r}; resume with the same options"
            )


def _stateful(callbacks: list[Callback]) -> list[Callback]:
    """The callbacks with a state to carry (``state_dict``), in the run's order; keyed by position and class."""
    return [callback for callback in callbacks if hasattr(callback, "state_dict")]


def prepare(training: Training, callbacks: CallbackList, seed: int, checkpoint: object, resume_path: object) -> int:
    """fit's part in checkpoints: add the ``Checkpoint`` (if asked) and the Ctrl-C handler, resume; the first epoch."""
    options = fit_options(training, seed)
    if checkpoint is not None:
        callbacks.callbacks.append(Checkpoint(checkpoint))
    # Imported here: the handler restores snapshots with this module's functions.
    from .interrupt import InterruptHandler

    callbacks.callbacks.append(InterruptHandler())
    for callback in callbacks.callbacks:
        if isinstance(callback, (Checkpoint, InterruptHandler)):  # they save every callback's state
            callback.callbacks = callbacks.callbacks
        if isinstance(callback, Checkpoint):  # fit's own options, then the ones it was given (the command line's)
            callback.options = {**options, **callback.options}
    return 1 if resume_path is None else resume(resume_path, training, callbacks.callbacks, options) + 1


def _description(layer: Layer) -> tuple:
    return type(layer).__name__, json.dumps(layer.config(), sort_keys=True)


def _check_hyperparameters(saved: object, current: object, path: object) -> None:
    """The optimiser's starting hyperparameters must be the checkpoint's; the first that differs is named."""
    if not isinstance(saved, dict) or not isinstance(current, dict):
        return
    for name, value in current.items():
        if saved.get(name) != value:
            raise ValueError(
                f"resume: {path} was trained with {name}={saved.get(name)!r}, but this run's optimiser has "
                f"{name}={value!r}; resume with the same options"
            )


class Checkpoint(Callback):
    """Write a checkpoint to ``path`` after every complete epoch (Keras' ModelCheckpoint and BackupAndRestore).

    ``options`` (a JSON-compatible dict, e.g. the command line's) are stored in
    the file, and a run resumed from it must have the same. ``fit(checkpoint=path)``
    adds one of these last, so that it saves what every other callback recorded.
    """

    def __init__(self, path: str | os.PathLike, options: dict | None = None) -> None:
        self.path = os.fspath(path)
        self.options = dict(options or {})
        self.callbacks: list[Callback] = []

    def on_epoch_end(self, training: Training) -> None:
        if not getattr(training, "interrupted", False):  # a half epoch is never saved
            self.write(training)

    def write(self, training: Training) -> None:
        """Write the run as it is now (Ctrl-C calls this once the last whole epoch is back)."""
        write_checkpoint(self.path, snapshot(training, self.callbacks, self.options))

    def __repr__(self) -> str:
        return f"Checkpoint({self.path!r})"
