"""Ctrl-C during ``fit``: finish the batch, keep the model as it was after the last whole epoch, stop.

``fit`` adds an ``InterruptHandler`` to every run (``purenet.checkpoint.prepare``);
it keeps a snapshot of the run (``purenet.checkpoint.snapshot``) after each
whole epoch and puts it back when Ctrl-C stops the run, then raises
``TrainingInterrupted``. docs/checkpoints.md tells what the command line does then.
"""

from __future__ import annotations

import signal
import threading

from .callbacks import Callback
from .checkpoint import Checkpoint, restore, snapshot
from .training import Training


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``fit``: the model is back as it was after ``epoch`` (0: before training).

    A ``KeyboardInterrupt``, so code that catches Ctrl-C still does; ``checkpoint`` is
    the file holding that state, if ``fit`` wrote one, and ``model`` the model (as kept).
    """

    def __init__(self, epoch: int, epochs: int, checkpoint: str | None, model: object = None) -> None:
        super().__init__(f"interrupted: the model is as it was after epoch {epoch} of {epochs}")
        self.epoch, self.epochs, self.checkpoint, self.model = epoch, epochs, checkpoint, model

class InterruptHandler(Callback):
    """Ctrl-C during ``fit``: finish the batch, put the model back as it was after the last whole epoch, stop.

    The first SIGINT sets a flag, checked after every batch; the second is an
    ordinary ``KeyboardInterrupt`` at once (files are written atomically, so it
    never leaves half of one). Only in the main thread: Python delivers
    signals there, and ``fit`` in a worker thread (the demo's live training)
    is stopped by its own means.
    """

    def __init__(self) -> None:
        self.callbacks: list[Callback] = []
        self.previous = None
        self.kept: dict | None = None

    def on_train_begin(self, training: Training) -> None:
        training.interrupted = False
        self.kept = self._keep(training)
        if threading.current_thread() is threading.main_thread():

            def first_interrupt(number: int, frame: object) -> None:
                training.interrupted = training.stop_training = True
                signal.signal(signal.SIGINT, signal.default_int_handler)

            self.previous = signal.signal(signal.SIGINT, first_interrupt)

    def on_epoch_end(self, training: Training) -> None:
        if not training.interrupted:
            self.kept = self._keep(training)

    def on_exception(self, training: Training, error: BaseException) -> None:
        self._put_back_the_previous_handler()

    def _put_back_the_previous_handler(self) -> None:
        # Also when an error ends fit: a handler left behind would swallow the next Ctrl-C.
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def on_train_end(self, training: Training) -> None:
        self._put_back_the_previous_handler()
        if training.interrupted:
            restore(self.kept, training, self.callbacks, {}, "the last epoch")
            savers = [callback for callback in self.callbacks if isinstance(callback, Checkpoint)]
            for saver in savers:  # so that a run stopped in its first epoch can be resumed too
                saver.write(training)
            raise TrainingInterrupted(training.epoch, training.epochs, savers[0].path if savers else None,
                                     training.model)

    def _keep(self, training: Training) -> dict:
        return snapshot(training, self.callbacks, {}, model_file=False)
