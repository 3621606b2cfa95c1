"""Health statistics of a training run: per-layer gradient norms, dead and saturated units, the last losses."""

from __future__ import annotations

import numpy as np


def statistics(trainer) -> dict:
    """Health of ``trainer``'s network on the training set (:meth:`.trainer.Trainer.statistics`).

    Returns
    -------
    dict with
        ``grad_norm`` : list of float, per weight layer, L2 norm of the last step's gradient (weights and
        bias); ``dead`` : list of float, per hidden layer, fraction of ReLU / leaky-ReLU units that are
        inactive on every training sample (0 for other activations); ``saturated`` : list of float, per
        hidden layer, fraction of sigmoid / tanh activations within 1 % of their limits (0 for others);
        ``train_loss``, ``test_loss``, ``train_metric``, ``test_metric`` : float, the last epoch's values.
    """
    net = trainer.net
    grad_norm = [float(np.sqrt(np.einsum("ij,ij->", g, g))) for g in net._grad_blocks]
    acts = net.forward_all(trainer.Xa_train[:-1].T)[1:-1]
    dead, saturated = [], []
    for a, name in zip(acts, net.activations, strict=True):
        if name in ("relu", "leaky_relu"):
            dead.append(float(np.mean(np.all(a <= 0.0, axis=0))))
        else:
            dead.append(0.0)
        if name == "tanh":
            saturated.append(float(np.mean(np.abs(a) > 0.99)))
        elif name == "sigmoid":
            saturated.append(float(np.mean((a < 0.01) | (a > 0.99))))
        else:
            saturated.append(0.0)
    h = trainer.history
    return {
        "grad_norm": grad_norm,
        "dead": dead,
        "saturated": saturated,
        "train_loss": h.last("train_loss"),
        "test_loss": h.last("test_loss"),
        "train_metric": h.last("train_metric"),
        "test_metric": h.last("test_metric"),
    }
