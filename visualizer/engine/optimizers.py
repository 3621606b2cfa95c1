"""Optimizers that update a flat parameter vector in place, in a handful of ufunc calls.

Each optimizer sees the whole network as one vector (see :class:`~visualizer.engine.network.Network`), so the
per-step cost does not grow with the number of layers. The learning rate is an attribute read at every step: it
can change between any two steps. Their state (velocity, moments, step count) is plain arrays, so a session can
save and restore it bit for bit with :meth:`state_dict` / :meth:`load_state_dict`.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    """Base class. Subclasses implement :meth:`step`.

    Parameters
    ----------
    n_params : int
        Length of the flat parameter vector.
    learning_rate : float
    """

    name = "base"

    def __init__(self, n_params: int, learning_rate: float = 0.03):
        self.learning_rate = float(learning_rate)
        self._tmp = np.zeros(n_params)

    @property
    def learning_rate(self) -> float:
        """Step size, read at every step (it may change between any two steps)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = float(value)
        # The same value as a 0-d array: a much cheaper ufunc operand than a Python float (see activations).
        self._lr = np.array(self._learning_rate)

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        """Update ``params`` (n_params,) in place from ``grad`` (n_params,); ``grad`` is left unchanged."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget accumulated state (velocity, moments)."""

    def state_dict(self) -> dict:
        return {"name": self.name, "learning_rate": self.learning_rate}

    def load_state_dict(self, state: dict) -> None:
        self.learning_rate = float(state["learning_rate"])


class SGD(Optimizer):
    """Plain gradient descent: ``w ← w − η·g``."""

    name = "sgd"

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        tmp = self._tmp
        np.multiply(grad, self._lr, tmp)
        np.subtract(params, tmp, params)


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v ← β·v − η·g``, ``w ← w + v``."""

    name = "momentum"

    def __init__(self, n_params: int, learning_rate: float = 0.03, beta: float = 0.9):
        super().__init__(n_params, learning_rate)
        self.beta = float(beta)
        self.velocity = np.zeros(n_params)

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        v, tmp = self.velocity, self._tmp
        v *= self.beta
        np.multiply(grad, self._lr, tmp)
        v -= tmp
        params += v

    def reset(self) -> None:
        self.velocity[:] = 0.0

    def state_dict(self) -> dict:
        return {**super().state_dict(), "beta": self.beta, "velocity": self.velocity.copy()}

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        self.beta = float(state["beta"])
        self.velocity[:] = state["velocity"]


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias-corrected moments."""

    name = "adam"

    def __init__(
        self,
        n_params: int,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        super().__init__(n_params, learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m = np.zeros(n_params)
        self.v = np.zeros(n_params)
        self._tmp2 = np.zeros(n_params)
        self.t = 0

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        m, v, tmp, tmp2 = self.m, self.v, self._tmp, self._tmp2
        m *= b1
        np.multiply(grad, 1.0 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        lr_t = self.learning_rate * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        np.sqrt(v, out=tmp2)
        tmp2 += self.eps
        np.divide(m, tmp2, out=tmp)
        tmp *= lr_t
        params -= tmp

    def reset(self) -> None:
        self.m[:] = 0.0
        self.v[:] = 0.0
        self.t = 0

    def state_dict(self) -> dict:
        return {
            **super().state_dict(),
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
            "m": self.m.copy(),
            "v": self.v.copy(),
            "t": self.t,
        }

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        self.beta1, self.beta2, self.eps = float(state["beta1"]), float(state["beta2"]), float(state["eps"])
        self.m[:] = state["m"]
        self.v[:] = state["v"]
        self.t = int(state["t"])


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, n_params: int, learning_rate: float) -> Optimizer:
    """Build an optimizer by name (one of :data:`OPTIMIZERS`)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](n_params, learning_rate=learning_rate)
