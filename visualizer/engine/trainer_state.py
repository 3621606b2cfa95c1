"""Saving and restoring a :class:`~visualizer.engine.trainer.Trainer` for sessions: its ``state_dict`` and
``load_state_dict``, everything needed to resume bit for bit."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from .stopping import StopCriteria


def state_dict(trainer) -> dict:
    """Everything needed to resume bit for bit: weights, optimizer, shuffle stream, epoch position, history."""
    return {
        "network": trainer.net.config(),
        "params": trainer.net.params.copy(),
        "dead": trainer.net._dead.copy(),
        "diverged": trainer.diverged,
        "optimizer": trainer.optimizer.state_dict(),
        "rng": trainer.rng.bit_generator.state,
        "epoch": trainer.epoch,
        "steps": trainer.steps,
        "cursor": trainer._cursor,
        "perm": trainer._perm.copy(),
        "batch_size": trainer._batch_size,
        "batch_reduction": trainer.batch_reduction,
        "stop": asdict(trainer.stop),
        "stop_reason": trainer.stop_reason,
        "progress": [trainer._best, trainer._since_best, trainer._rising, trainer._prev_test],
        "history": trainer.history.state_dict(),
    }


def load_state_dict(trainer, state: dict) -> None:
    """Restore :func:`state_dict` into a trainer built with the same network configuration and data."""
    if list(state["network"]["sizes"]) != list(trainer.net.sizes):
        raise ValueError("saved state belongs to a network of another shape")
    trainer.net.params[:] = state["params"]
    trainer.net._set_dead(state["dead"]) if state.get("dead") is not None else trainer.net.revive()
    trainer.diverged = bool(state.get("diverged", False))
    trainer.optimizer.load_state_dict(state["optimizer"])
    trainer.rng.bit_generator.state = state["rng"]
    trainer.epoch, trainer.steps, trainer._cursor = int(state["epoch"]), int(state["steps"]), int(state["cursor"])
    trainer._perm = np.asarray(state["perm"], dtype=np.int64)
    trainer._batch_size = int(state["batch_size"])
    trainer.batch_reduction = state.get("batch_reduction", "mean")
    if trainer._cursor:
        trainer._layout(trainer._cursor)
    trainer.stop = StopCriteria(**state["stop"])
    trainer.stop_reason = state["stop_reason"]
    trainer._best, trainer._since_best, trainer._rising, trainer._prev_test = state["progress"]
    trainer.history.load_state_dict(state["history"])
