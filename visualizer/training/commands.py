"""Commands applied to the running experiment by the training loop (:class:`~visualizer.training.worker.TrainingLoop`
mixes this in): steps, Reset, settings, data, edits, lessons' loads, step-through records and the pace.

Each command is checked against the network it was made for (its ``generation``) and the network's shape: one that
no longer fits is dropped with :class:`DroppedCommandError`, whose message the status bar shows. No Qt here.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.experiment import DATA_FIELDS, LIVE_FIELDS, Config


class DroppedCommandError(Exception):
    """A command that does not fit the running network (stale or out of range); the message is a status note."""


def _index(value, size: int, what: str) -> int:
    """``value`` as an index into ``range(size)``; :class:`DroppedCommandError` if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < size:
        raise DroppedCommandError(f"Edit ignored: the network has no {what} {value!r} any more")
    return int(value)


def _finite(value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x):
        raise DroppedCommandError(f"Edit ignored: {value!r} is not a finite number")
    return x


class CommandsMixin:
    """The commands of the training loop; the loop provides ``_exp``, ``_config``, ``_dataset``, ``_generation``,
    ``_speed``, ``_quit``, ``_build`` and the ``sig…`` outputs."""

    def _step_epoch(self) -> str | None:
        """Finish the current epoch batch by batch (so that quit is seen between mini-batches)."""
        trainer = self._exp.trainer
        while True:
            reason = trainer.step_batch()
            if reason or not trainer.mid_epoch or self._quit.is_set():
                return reason

    def _check_generation(self, generation) -> None:
        if generation != self._generation:
            raise DroppedCommandError("Edit ignored: the network changed since it was made")

    def _apply(self, command: str, *args) -> None:
        exp = self._exp
        trainer = exp.trainer
        if command == "step_epoch":
            reason = self._step_epoch()
            if reason:
                self.sigStopped.emit(reason)
        elif command == "step_batch":
            reason = trainer.step_batch()
            if reason:
                self.sigStopped.emit(reason)
        elif command == "reset":
            (new_weights,) = args
            trainer.reset(new_weights=new_weights)
            self._config = self._config.replace(seed=exp.network.seed)
            exp.config = exp.config.replace(seed=exp.network.seed)
            self._speed.clear()
        elif command == "config":
            (config,) = args
            self._set_config(config)
        elif command == "data":
            config, dataset = args
            self._rebuild(config, dataset)
        elif command == "replace_data":
            (dataset,) = args
            try:
                exp.replace_data(dataset)
            except (ValueError, AttributeError, TypeError) as err:
                raise DroppedCommandError(f"Data not applied: {err}") from None
            self._dataset = dataset  # later rebuilds (a new layer, other features…) keep the edited points
        elif command == "edit_weight":
            generation, layer, i, j, value = args
            self._check_generation(generation)
            weights = exp.network.weights
            w = weights[layer := _index(layer, len(weights), "weight layer")]
            i, j = _index(i, w.shape[0], "source neuron"), _index(j, w.shape[1], "target neuron")
            exp.network.set_weight(layer, i, j, _finite(value))  # an edited link that L1 had killed revives
        elif command == "edit_bias":
            generation, layer, j, value = args
            self._check_generation(generation)
            biases = exp.network.biases
            b = biases[_index(layer, len(biases), "layer")]
            b[_index(j, b.shape[0], "neuron")] = _finite(value)
        elif command == "load":
            config, dataset, params = args
            self._load(config, dataset, params)
        elif command == "stepthrough":
            generation, indices = args
            self._check_generation(generation)
            self.sigStepThrough.emit(self._stepthrough(trainer, generation, indices))
        elif command == "apply_step":
            generation, indices = args
            self._check_generation(generation)
            try:
                ok = trainer.step_on(indices)
            except (IndexError, ValueError, TypeError) as err:
                raise DroppedCommandError(f"Step ignored: {err}") from None
            if not ok:
                self.sigStopped.emit(trainer.diverged_reason())
        elif command == "speed":
            (pace,) = args
            pace = float(pace)
            if not (math.isfinite(pace) and pace >= 0):
                raise DroppedCommandError(f"Speed ignored: {pace!r} epochs/s")
            self.epochs_per_second = pace
        else:
            raise DroppedCommandError(f"Ignored an unknown command {command!r}")

    @staticmethod
    def _stepthrough(trainer, generation: int, indices):
        """The step-through records of one step on training rows ``indices`` (None: the next mini-batch), computed
        by the engine on a copy of the trainer: the live network and optimizer are not touched."""
        from ..engine import stepthrough

        if indices is None:
            indices = trainer.next_batch_indices()
        try:
            record = stepthrough.record_step(trainer, indices)
        except (IndexError, ValueError, TypeError) as err:
            raise DroppedCommandError(f"Step-through ignored: {err}") from None
        return {"generation": generation, "indices": tuple(int(i) for i in indices), "record": record}

    def _set_config(self, config: Config) -> None:
        old = self._config
        changed = {f for f in config.to_dict() if getattr(config, f) != getattr(old, f)}
        if changed <= LIVE_FIELDS | {"stop"}:
            self._exp.apply_live(config)
            self._config = config
        else:
            new_data = changed & DATA_FIELDS
            self._rebuild(config, None if new_data else self._dataset)

    def _load(self, config: Config, dataset, params) -> None:
        """Rebuild with ``config`` and ``dataset``, then start from the parameters ``params`` (a lesson's own
        starting weights: the tutorials' numpy seed, a McCulloch-Pitts unit). Parameters that do not fit the new
        network leave its seeded ones, with a note."""
        self._rebuild(config, dataset)
        if params is None:
            return
        net = self._exp.network
        p = np.asarray(params, dtype=np.float64)
        if p.shape != net.params.shape or not np.all(np.isfinite(p)):
            raise DroppedCommandError("Starting weights ignored: they do not fit the network")
        net.params[:] = p
        net.revive()

    def _rebuild(self, config: Config, dataset) -> None:
        """Build a new experiment; on failure (ValueError) the running one stays as it was."""
        self._exp = self._build(config, dataset)  # the loop's module's build (tests replace it)
        self._config, self._dataset = config, dataset
        self._generation += 1
        self._speed.clear()
