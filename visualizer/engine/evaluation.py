"""How good the network is, for the views: confusion matrix and per-class recall, R² and RMSE, per-row outputs
for a table, class probabilities for the digits panel. Pure numpy.

:func:`evaluate` measures on the **test set**, or on the training set when there is no test set (``split`` says
which). It costs one forward pass over that set (plus one over every row when the data set is small enough for
the table view): for the digits (~900 test rows, 64-32-10) about a millisecond.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .targets import predict_classes

__all__ = [
    "EVALUATION_ROWS",
    "PREDICTION_ROWS",
    "Evaluation",
    "class_probabilities",
    "confusion_matrix",
    "evaluate",
    "r2_score",
    "recall_per_class",
    "rmse",
]

PREDICTION_ROWS = 200
"""Data sets of at most this many rows (train + test) get per-row outputs (``predictions``) for the table view."""

EVALUATION_ROWS = 20_000
"""At most this many rows of the set are measured (the first ones: the rows are shuffled), so a snapshot of a huge
imported file stays cheap."""

PROBABILITY_ROWS = 5000
"""Image data sets with at most this many test rows get ``test_probabilities`` for the digits panel."""


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts ``(n_classes, n_classes)`` int64: row = true class, column = predicted class.

    Predictions outside ``0 … n_classes − 1`` (e.g. ``-1`` for a NaN output) are not counted.
    """
    t = np.asarray(y_true, dtype=np.int64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.int64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred differ in length: {t.shape[0]} and {p.shape[0]}")
    k = int(n_classes)
    ok = (t >= 0) & (t < k) & (p >= 0) & (p < k)
    return np.bincount(t[ok] * k + p[ok], minlength=k * k).reshape(k, k)


def recall_per_class(confusion: np.ndarray) -> np.ndarray:
    """Diagonal over row total per class (float); NaN for a class with no examples."""
    c = np.asarray(confusion, dtype=np.float64)
    totals = c.sum(axis=1)
    out = np.full(c.shape[0], np.nan)
    has = totals > 0
    out[has] = np.diag(c)[has] / totals[has]
    return out


def rmse(y_true, y_pred) -> float:
    """Root-mean-square error; NaN for no rows (or a non-finite prediction)."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.size == 0:
        return math.nan
    with np.errstate(all="ignore"):
        return float(np.sqrt(np.mean((p - t) ** 2)))


def r2_score(y_true, y_pred) -> float:
    """Coefficient of determination ``1 − SS_res / SS_tot``: 1 is perfect, 0 is no better than the mean, and it can
    be negative. NaN for fewer than two rows or a constant target (SS_tot = 0)."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.size < 2:
        return math.nan
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    if ss_tot == 0.0:
        return math.nan
    with np.errstate(all="ignore"):
        return float(1.0 - np.sum((t - p) ** 2) / ss_tot)


def class_probabilities(O: np.ndarray, output: str, n_classes: int) -> np.ndarray:
    """Class probabilities ``(n, n_classes)`` from outputs ``O`` ``(n, n_out)``: softmax outputs as they are; one
    tanh unit ``p1 = (o + 1) / 2`` and one sigmoid unit ``p1 = o`` (two classes); other multi-unit outputs are
    passed through a softmax. Rows sum to 1; NaN outputs give NaN rows."""
    O = np.asarray(O, dtype=np.float64)
    with np.errstate(all="ignore"):
        if O.shape[1] == 1:
            p1 = (O[:, 0] + 1.0) / 2.0 if output in ("tanh", "linear") else O[:, 0]
            p1 = np.clip(p1, 0.0, 1.0)
            return np.column_stack([1.0 - p1, p1])
        if output == "softmax":
            return O.copy()
        Z = O - O.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """What :func:`evaluate` measured (arrays are fresh copies, safe to hand to another thread).

    Attributes
    ----------
    split : str
        ``"test"``, or ``"train"`` when the data have no test rows.
    confusion : ndarray (K, K) int64 or None
        Classification only: true × predicted counts on ``split``.
    recall : ndarray (K,) or None
        Per-class recall from ``confusion`` (NaN for a class without examples).
    accuracy : float
        Classification: share right on ``split``; NaN for regression.
    r2, rmse : float
        Regression: on ``split``; NaN for classification.
    predictions : ndarray (n, n_out) or None
        The network's outputs on every row (training rows first, then test rows), for data sets of at most
        :data:`PREDICTION_ROWS` rows; None for larger ones.
    test_probabilities : ndarray (n_test, K) or None
        Class probabilities of every test row, for image data sets (``dataset.image_shape`` set) or when asked.
    """

    split: str
    confusion: np.ndarray | None
    recall: np.ndarray | None
    accuracy: float
    r2: float
    rmse: float
    predictions: np.ndarray | None
    test_probabilities: np.ndarray | None


def evaluate(trainer, *, predictions: bool | None = None, probabilities: bool | None = None, image: bool = False):
    """Measure ``trainer``'s network on its data (see :class:`Evaluation`).

    Parameters
    ----------
    trainer : Trainer
    predictions : bool or None
        Per-row outputs; None: when train + test rows are at most :data:`PREDICTION_ROWS`.
    probabilities : bool or None
        Test-set class probabilities (classification only); None: when ``image`` and the test set has at most
        :data:`PROBABILITY_ROWS` rows.
    image : bool
        The data are images (the digits): what ``probabilities=None`` looks at.
    """
    Xa_train, Xa_test = trainer.Xa_train, trainer.Xa_test
    n_train, n_test = Xa_train.shape[1], Xa_test.shape[1]
    split = "test" if n_test else "train"
    Xa, y = (Xa_test, trainer.y_test) if n_test else (Xa_train, trainer.y_train)
    Xa, y = Xa[:, :EVALUATION_ROWS], np.asarray(y)[:EVALUATION_ROWS]
    output = trainer.net.output
    with np.errstate(all="ignore"):
        O = np.array(trainer.outputs(Xa), dtype=np.float64) if Xa.shape[1] else np.empty((0, trainer.net.n_outputs))
        confusion = recall = None
        accuracy = r2 = err = math.nan
        if trainer.task == "classification":
            k = max(int(trainer.n_classes), 2)
            pred = predict_classes(O, output) if O.shape[0] else np.empty(0, np.int64)
            pred = np.where(np.isfinite(O).all(axis=1), pred, -1) if O.shape[0] else pred
            confusion = confusion_matrix(y, pred, k)
            recall = recall_per_class(confusion)
            accuracy = float(np.mean(pred == np.asarray(y))) if y.shape[0] else math.nan
        else:
            r2 = r2_score(y, O[:, 0])
            err = rmse(y, O[:, 0])
        rows = None
        if predictions or (predictions is None and n_train + n_test <= PREDICTION_ROWS):
            parts = [np.array(trainer.outputs(Xa_train), dtype=np.float64)]
            if n_test:
                parts.append(np.array(trainer.outputs(Xa_test), dtype=np.float64))
            rows = np.concatenate(parts)
        probs = None
        want = probabilities if probabilities is not None else (image and n_test <= PROBABILITY_ROWS)
        if want and trainer.task == "classification" and n_test:
            O_test = O if split == "test" and n_test <= EVALUATION_ROWS else np.array(trainer.outputs(Xa_test))
            probs = class_probabilities(O_test, output, max(int(trainer.n_classes), 2))
    return Evaluation(split, confusion, recall, accuracy, r2, err, rows, probs)
