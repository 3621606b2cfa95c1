"""Immutable pictures of the training state, handed from the worker thread to the GUI.

A :class:`Snapshot` holds only copies (or read-only views of append-only history), so the GUI can keep and draw
it while the worker goes on changing the live network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine.grid import GridResult


def _dead_copy(net) -> tuple[np.ndarray, ...] | None:
    """Copies of the network's dead-link masks (L1), or None when it has none or none is dead."""
    dead = getattr(net, "dead", None)
    if dead is None or not any(m.any() for m in dead):
        return None
    return tuple(m.copy() for m in dead)


def evaluation_fields(trainer, dataset) -> dict:
    """The snapshot fields measured by ``trainer.evaluation()`` (empty for a trainer without it)."""
    if not hasattr(trainer, "evaluation"):
        return {}
    ev = trainer.evaluation(image=getattr(dataset, "image_shape", None) is not None)
    return {
        "confusion": ev.confusion,
        "recall": ev.recall,
        "r2": None if trainer.task != "regression" else ev.r2,
        "predictions": ev.predictions,
        "test_probabilities": ev.test_probabilities,
        "eval_split": ev.split,
    }


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The state of a training run at one instant.

    Attributes
    ----------
    serial : int
        Increases with every snapshot; the GUI drops any older than the one it drew.
    generation : int
        Increases whenever the network or data are rebuilt; views rebuild their layout when it changes.
    epoch, steps : int
        Epochs completed and gradient steps taken.
    sizes : tuple of int
        Units per layer, inputs first.
    activations : tuple of str
        Hidden activations, one per hidden layer.
    output : str
        Output activation.
    loss_name : str
    feature_names : tuple of str
        Engine names of the inputs (``"x1"``, ``"sin_x1"`` …, or a data set's columns).
    weights : tuple of ndarray, shapes (sizes[i], sizes[i + 1])
    biases : tuple of ndarray, shapes (sizes[i + 1],)
    grid : GridResult or None
        Every neuron's activation over the input plane (2-D data only).
    history : dict of str to ndarray
        ``train_loss``, ``test_loss``, ``train_metric``, ``test_metric`` per epoch (read-only).
    task : str
        ``"classification"`` or ``"regression"``.
    n_classes : int
    running : bool
        Whether the worker is training continuously.
    stop_reason : str or None
    steps_per_s, epochs_per_s : float
        Training speed measured by the worker.
    learning_rate : float
    stats : dict
        :meth:`~visualizer.engine.trainer.Trainer.statistics` (may be empty).
    dataset : Dataset or None
        The data being trained on (immutable; shared, not copied).
    config : Config or None
        The configuration the worker is running.
    diverged : bool
        Training stopped because a step diverged; the weights are the last finite ones. Views draw a distinct
        "diverged" state until Reset.
    dead : tuple of ndarray of bool or None
        Per weight layer, shape (sizes[i], sizes[i + 1]): True where L1 regularization carried a weight to exactly
        0 and the link is dead (never updated again, Playground's rule). None when no link is dead.
    grad_history : tuple of ndarray or None
        ``(epochs (k,), norms (k, n_weight_layers))``: the size of each weight layer's gradient over time
        (:attr:`Trainer.grad_history`, copies).
    gradients : tuple of ndarray or None
        Each weight layer's gradient of the last step, weights and bias, flat copies (histograms).
    confusion : ndarray (K, K) int or None
        Classification: true × predicted counts on ``eval_split`` (the test set, or the training set without one).
    recall : ndarray (K,) or None
        Per-class recall from ``confusion`` (NaN for a class without examples).
    r2 : float or None
        Regression: R² on ``eval_split``.
    predictions : ndarray (n, n_out) or None
        Outputs on every row of ``dataset`` (training rows first) when it has at most 200 rows (the table view).
    test_probabilities : ndarray (n_test, K) or None
        Class probabilities of the test rows of an image data set (the digits panel).
    eval_split : str
        ``"test"`` or ``"train"``: where ``confusion``, ``recall`` and ``r2`` were measured.
    """

    serial: int
    generation: int
    epoch: int
    steps: int
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    output: str
    loss_name: str
    feature_names: tuple[str, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    grid: GridResult | None
    history: dict[str, np.ndarray]
    task: str = "classification"
    n_classes: int = 2
    running: bool = False
    stop_reason: str | None = None
    steps_per_s: float = 0.0
    epochs_per_s: float = 0.0
    learning_rate: float = 0.0
    stats: dict = field(default_factory=dict)
    dataset: object = None
    config: object = None
    diverged: bool = False
    dead: tuple[np.ndarray, ...] | None = None
    grad_history: tuple[np.ndarray, np.ndarray] | None = None
    gradients: tuple[np.ndarray, ...] | None = None
    confusion: np.ndarray | None = None
    recall: np.ndarray | None = None
    r2: float | None = None
    predictions: np.ndarray | None = None
    test_probabilities: np.ndarray | None = None
    eval_split: str = "test"

    @classmethod
    def of(cls, experiment, serial: int = 1, generation: int = 1, with_grid: bool = True,
           evaluation: dict | None = None, **extra) -> Snapshot:
        """Snapshot an :class:`~visualizer.engine.experiment.Experiment` (copies of its live arrays, a fresh grid
        pass unless ``with_grid`` is False, read-only history, the test set's evaluation unless ``evaluation``
        gives :func:`evaluation_fields` measured before); ``extra`` sets the remaining fields (running, speeds,
        …)."""
        net, trainer = experiment.network, experiment.trainer
        fields = {
            "serial": serial,
            "generation": generation,
            "epoch": trainer.epoch,
            "steps": trainer.steps,
            "sizes": net.sizes,
            "activations": net.activations,
            "output": net.output,
            "loss_name": net.loss,
            "feature_names": experiment.features,
            "weights": tuple(w.copy() for w in net.weights),
            "biases": tuple(b.copy() for b in net.biases),
            "grid": experiment.grid.evaluate(net) if with_grid and experiment.grid is not None else None,
            "history": trainer.history.view(),
            "task": trainer.task,
            "n_classes": trainer.n_classes,
            "stop_reason": trainer.stop_reason,
            "learning_rate": trainer.learning_rate,
            "dataset": experiment.dataset,
            "config": experiment.config,
            "diverged": bool(getattr(trainer, "diverged", False)),
            "dead": _dead_copy(net),
            "grad_history": trainer.grad_history.view() if hasattr(trainer, "grad_history") else None,
            "gradients": tuple(g.ravel().copy() for g in net._grad_blocks) if hasattr(net, "_grad_blocks") else None,
            **(evaluation_fields(trainer, experiment.dataset) if evaluation is None else evaluation),
        }
        fields.update(extra)
        return cls(**fields)

    def __repr__(self) -> str:
        return (
            f"Snapshot(serial={self.serial}, generation={self.generation}, epoch={self.epoch}, steps={self.steps}, "
            f"sizes={self.sizes}, running={self.running}, stop_reason={self.stop_reason!r})"
        )

    def last(self, name: str) -> float:
        """Last recorded value of a history field, NaN before the first epoch."""
        values = self.history.get(name)
        return float(values[-1]) if values is not None and len(values) else float("nan")
