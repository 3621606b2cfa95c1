"""How labels map to the output layer and back: :func:`encode_targets`, :func:`output_units`,
:func:`predict_classes`."""

from __future__ import annotations

import numpy as np


def encode_targets(y: np.ndarray, task: str, n_classes: int, output: str) -> np.ndarray:
    """Targets for the network's output layer.

    Parameters
    ----------
    y : ndarray, shape (n,)
        Class indices (classification) or values (regression).
    task : {"classification", "regression"}
    n_classes : int
    output : str
        Output activation: softmax → one-hot; tanh and linear → ±1 (Playground's labels, so that 0 separates
        the classes, as :func:`predict_classes` assumes); sigmoid → 0/1. With two classes and a tanh, sigmoid
        or linear output a single unit says "class 1", with more classes there is one unit per class.

    Returns
    -------
    ndarray, shape (n, n_out)
    """
    y = np.asarray(y)
    if task == "regression":
        return y.astype(np.float64).reshape(-1, 1)
    idx = y.astype(np.int64)
    if output in ("tanh", "sigmoid", "linear") and n_classes == 2:
        T = idx.astype(np.float64).reshape(-1, 1)
    else:
        T = np.zeros((idx.shape[0], n_classes))
        T[np.arange(idx.shape[0]), idx] = 1.0
    if output in ("tanh", "linear"):
        T = 2.0 * T - 1.0
    return T


def output_units(task: str, n_classes: int, output: str) -> int:
    """How many output units :func:`encode_targets` needs."""
    if task == "regression":
        return 1
    return 1 if (n_classes == 2 and output != "softmax") else n_classes


def predict_classes(O: np.ndarray, output: str) -> np.ndarray:
    """Class index for each row of outputs ``O`` (n, n_out): a threshold for one unit, argmax otherwise."""
    if O.shape[1] == 1:
        threshold = 0.5 if output == "sigmoid" else 0.0
        return (O[:, 0] > threshold).astype(np.int64)
    return np.argmax(O, axis=1)
