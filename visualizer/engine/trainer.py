"""Mini-batch training with history, stopping criteria and divergence detection.

The :class:`Trainer` owns a :class:`~visualizer.engine.network.Network`, an optimizer, the prepared training and
test arrays, a seeded shuffling generator and the per-epoch history. It never sleeps, draws or locks: the Qt
worker in :mod:`visualizer.training` drives it step by step and reads snapshots between steps.
Its parts live beside it: the stopping criteria in :mod:`.stopping`, the per-epoch records in :mod:`.history`,
the label encoding in :mod:`.targets`, the health statistics in :mod:`.statistics`, saving and restoring in
:mod:`.trainer_state`.

An *epoch* is one pass over the whole training set in mini-batches of ``batch_size`` samples (the last batch may
be smaller); the set is reshuffled at the start of every epoch. After each epoch the train and test loss and
accuracy (classification) or RMSE (regression) are recorded and tutorial 004's stopping criteria are checked.

L1 regularization: Playground's rule
------------------------------------
L2 enters the gradient (``w ← w − η·(g + l2·w)``). L1 follows Playground (``updateWeights`` in its ``nn.ts``),
per weight, with ``s = sign(w)`` taken *before* the step (0 for a weight of exactly 0):

1. the data step: ``w ← w − η·g`` (for momentum and Adam: the optimizer's own update from the data gradient);
2. the shrink: ``w' = w − η·l1·s``;
3. if ``w·w' < 0`` — the shrink would carry the weight across zero — the weight becomes exactly 0 and its link
   is *dead* (:attr:`Network.dead`): its gradient is no longer applied, and it stays 0 from then on. Otherwise
   ``w ← w'``.

So a weight that does not cross moves by ``−η·g − η·l1·sign(w_before)``, the plain subgradient step, and a
weight that would jitter around zero dies instead: the sparsity L1 is known for appears. Biases are never
regularized. ``η`` is the optimizer's learning rate (for Adam too: the shrink is not rescaled by its moments).
Links revive on Reset (:meth:`Network.initialize`), when L1 is switched off, and when the user sets the weight
(:meth:`Network.set_weight`).

Divergence
----------
A step *diverged* when a parameter became NaN or ±inf, or grew beyond :data:`MAX_PARAMETER`: then the step is
undone (the parameters and dead links are restored, the optimizer's velocity or moments are forgotten),
:attr:`Trainer.diverged` becomes True and training stops with a reason that says what to do. The weights kept are
those before the step, all within the bound, so they can be drawn and evaluated.
"""

from __future__ import annotations

import copy
import math
import time

import numpy as np

from . import trainer_state
from .evaluation import evaluate
from .history import GradNormHistory, History
from .network import REDUCTIONS, Network
from .optimizers import make_optimizer
from .statistics import statistics as _statistics
from .stopping import StopCriteria, StopReason
from .targets import encode_targets, output_units, predict_classes

MAX_PARAMETER = 1e6
"""A step that leaves a parameter larger than this in magnitude has diverged (unless the parameters were
already that large before the step: a user's edit is not divergence; the bound then becomes twice the largest
parameter, until Reset). Playground-sized networks train with weights of a few units; a million is far past
any useful fit but far below what overflows a float32 drawing or an integer cast."""

_MAX_NORM_SQ = MAX_PARAMETER**2
_FLOAT_MAX = float(np.finfo(np.float64).max)


class Trainer:
    """Trains a network on prepared arrays.

    Parameters
    ----------
    network : Network
    X_train : ndarray, shape (n_train, n_in)
    y_train : ndarray, shape (n_train,)
        Class indices or regression values.
    X_test, y_test : ndarray or None
        The held-out set (may be empty).
    task : {"classification", "regression"}
    n_classes : int
    batch_size : int
        1 is stochastic gradient descent, ``n_train`` or more is full batch.
    optimizer : {"sgd", "momentum", "adam"}
    learning_rate : float
    shuffle_seed : int
        Seed of the per-epoch shuffling; with the network's seed and the data seed a run is reproducible bit
        for bit.
    stop : StopCriteria
    batch_reduction : {"mean", "sum"}
        The gradient of a mini-batch is the mean of its samples' gradients (Playground, PyTorch) or their sum
        (the tutorials, whose learning rates assume it). Live: may change between any two steps. The recorded
        losses stay means either way, so curves stay comparable.
    """

    def __init__(
        self,
        network: Network,
        X_train: np.ndarray,
        y_train: np.ndarray,
        X_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
        *,
        task: str = "classification",
        n_classes: int = 2,
        batch_size: int = 10,
        optimizer: str = "sgd",
        learning_rate: float = 0.03,
        shuffle_seed: int = 0,
        stop: StopCriteria | None = None,
        batch_reduction: str = "mean",
    ):
        if task not in ("classification", "regression"):
            raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
        self.net = network
        self.task = task
        self.n_classes = int(n_classes)
        n_out = output_units(task, self.n_classes, network.output)
        if n_out != network.n_outputs:
            raise ValueError(f"this problem needs {n_out} output unit(s), the network has {network.n_outputs}")
        self._install(self._prepare(X_train, y_train, X_test, y_test))
        self._pending_data: tuple | None = None
        Xtr = self.Xa_train
        self._perm = np.arange(Xtr.shape[1])
        self._batches: list[tuple[np.ndarray, np.ndarray]] = []
        self._batch_index = 0
        self.shuffle_seed = int(shuffle_seed)
        self.rng = np.random.default_rng(self.shuffle_seed)
        self.optimizer = make_optimizer(optimizer, network.n_params, learning_rate)
        self.batch_size = int(batch_size)
        self.batch_reduction = batch_reduction
        self.stop = stop or StopCriteria()
        self._backup = np.empty_like(network.params)
        self._tmp = np.empty_like(network.params)
        self._sign = np.empty_like(network.params)
        self._cross = np.empty(network.n_params, dtype=bool)
        self._dead_backup = np.empty(network.n_params, dtype=bool)
        self._had_dead = 0
        self._shrink_key: tuple[float, float] | None = None
        self._shrink_scale = self._sign
        # First flat index of every weight layer's block, for per-layer gradient norms in one reduceat call.
        self._layer_starts = np.cumsum([0] + [g.size for g in network._grad_blocks[:-1]])
        self.reset_progress()

    def _prepare(self, X_train, y_train, X_test, y_test) -> tuple:
        """Checked column-layout arrays for :meth:`_install`; ValueError if they do not fit the network."""
        net = self.net
        y_train = np.asarray(y_train)
        y_test = np.asarray(y_test) if y_test is not None else y_train[:0]
        Xtr = net.augment(X_train)
        if Xtr.shape[1] == 0:
            raise ValueError("the training set is empty")
        Xte = net.augment(X_test) if X_test is not None and len(X_test) else np.ones((net.n_inputs + 1, 0))
        # Column layout (features + 1, samples) and (outputs, samples), as the network's hot path wants.
        T_train = np.ascontiguousarray(encode_targets(y_train, self.task, self.n_classes, net.output).T)
        T_test = np.ascontiguousarray(encode_targets(y_test, self.task, self.n_classes, net.output).T)
        if T_train.shape[1] != Xtr.shape[1] or T_test.shape[1] != Xte.shape[1]:
            raise ValueError("inputs and labels have different numbers of rows")
        return y_train, y_test, Xtr, Xte, T_train, T_test

    def _install(self, prepared: tuple) -> None:
        self.y_train, self.y_test, self.Xa_train, self.Xa_test, self.T_train, self.T_test = prepared
        # Training then test columns in one array (and targets in row layout), so that the per-epoch evaluation
        # is one forward pass; the data change only between epochs (see set_data).
        self._Xa_all = np.ascontiguousarray(np.concatenate([self.Xa_train, self.Xa_test], axis=1))
        self._T_all = np.concatenate([self.T_train, self.T_test], axis=1).T

    def set_data(self, X_train, y_train, X_test=None, y_test=None) -> None:
        """Train on other data of the same shape from the next epoch on (points drawn, erased or moved).

        The network, the optimizer's state, the epoch count and the history carry on. Between epochs the new data
        apply at once; in the middle of an epoch (single mini-batch steps) that epoch finishes on the old data and
        the next one starts on the new. ValueError, and nothing changes, if the arrays do not fit the network
        (other number of inputs, classes out of range, no training rows).
        """
        prepared = self._prepare(X_train, y_train, X_test, y_test)
        if self._cursor:
            self._pending_data = prepared
        else:
            self._pending_data = None
            self._install(prepared)

    # ------------------------------------------------------------------ settings that may change live
    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.optimizer.learning_rate = float(value)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        value = int(value)
        if value < 1:
            raise ValueError("batch size must be at least 1")
        self._batch_size = value

    @property
    def batch_reduction(self) -> str:
        """``"mean"`` or ``"sum"``: how a mini-batch's gradient combines its samples (see the class docstring)."""
        return "mean" if self._mean else "sum"

    @batch_reduction.setter
    def batch_reduction(self, value: str) -> None:
        if value not in REDUCTIONS:
            raise ValueError(f"batch reduction must be one of {', '.join(REDUCTIONS)}, got {value!r}")
        self._mean = value == "mean"

    @property
    def mid_epoch(self) -> bool:
        """Whether single mini-batch steps have begun an epoch that is not finished yet."""
        return self._cursor != 0

    @property
    def n_train(self) -> int:
        return self.Xa_train.shape[1]

    @property
    def n_test(self) -> int:
        return self.Xa_test.shape[1]

    # ------------------------------------------------------------------ lifecycle
    def reset_progress(self) -> None:
        """Forget epochs, history and optimizer state (weights are not touched); restart the shuffle stream."""
        self.epoch = 0
        self.steps = 0
        self._cursor = 0
        self.rng = np.random.default_rng(self.shuffle_seed)
        self.optimizer.reset()
        self.history = History()
        self.grad_history = GradNormHistory(self.net.n_layers)
        """Per-layer gradient sizes over the epochs (see :class:`GradNormHistory`)."""
        self.stop_reason: str | None = None
        self.diverged = False
        """True when training stopped because a step diverged (the kept weights are the last good ones);
        cleared by a reset and by the next step that succeeds (e.g. after lowering the learning rate)."""
        self._limit = MAX_PARAMETER
        self._best = math.inf
        self._since_best = 0
        self._rising = 0
        self._prev_test = math.inf

    def reset(self, new_weights: bool = False) -> None:
        """Start over: the same initial weights again, or new ones (the network's seed + 1)."""
        self.net.initialize((self.net.seed + 1) % 2**31 if new_weights else self.net.seed)  # seeds are 0…2³¹−1
        self.reset_progress()

    # ------------------------------------------------------------------ training
    def _begin_epoch(self) -> None:
        if self._pending_data is not None:
            self._install(self._pending_data)
            self._pending_data = None
        self._perm = self.rng.permutation(self.n_train)
        self._layout(0)

    def _layout(self, start: int) -> None:
        """Cut shuffled rows ``[start, n_train)`` into contiguous column-layout mini-batches.

        One gather and one transposing copy per epoch, so a step only indexes a list. Called again from the
        cursor when the batch size changes mid-epoch.
        """
        b = self._batch_size
        idx = self._perm[start:]
        n = idx.shape[0]
        nb, rest = divmod(n, b)
        X = self.Xa_train.take(idx, axis=1)  # fresh, C-contiguous
        T = self.T_train.take(idx, axis=1)
        d, k = X.shape[0], T.shape[0]
        batches = []
        if nb == 0 or (nb == 1 and rest == 0):  # one batch (full batch, small tables): the gathered arrays
            if n:
                batches.append((X, T))
        else:
            XB = np.ascontiguousarray(X[:, : nb * b].reshape(d, nb, b).transpose(1, 0, 2))
            TB = np.ascontiguousarray(T[:, : nb * b].reshape(k, nb, b).transpose(1, 0, 2))
            batches.extend(zip(XB, TB, strict=True))
            if rest:
                batches.append((np.ascontiguousarray(X[:, nb * b :]), np.ascontiguousarray(T[:, nb * b :])))
        self._batches = batches
        self._batch_index = 0
        self._layout_b = b

    def _step(self, XbT: np.ndarray, TbT: np.ndarray) -> bool:
        """One gradient step on one column-layout batch; False (and weights restored) if it diverged."""
        net = self.net
        buf = net._buffers.get(XbT.shape[1]) or net.buffers(XbT.shape[1])
        net._forward(XbT, buf)
        net._backward(XbT, TbT, buf, self._mean)
        params = net.params
        backup = self._backup
        backup[...] = params
        if net._l1 or net.n_dead:
            self._step_l1(net, params)
        else:
            if net._l2:
                net.add_penalty_gradient(net.grad, self._tmp)
            self.optimizer.step(params, net.grad)
        # One BLAS dot: Σp² is within the bound only when every parameter is finite and |p| <= MAX_PARAMETER
        # (NaN and inf fail the comparison). Anything else takes the careful look of _diverged.
        if not params.dot(params) <= _MAX_NORM_SQ and self._diverged(params, backup):
            params[...] = backup
            if net._l1 or net.n_dead:
                if self._had_dead:
                    net._set_dead(self._dead_backup)
                else:
                    net.revive()
            # The velocity or moments built up on the way out are what carried the weights away: forget them,
            # so that training can resume from the kept weights with, say, a smaller learning rate.
            self.optimizer.reset()
            return False
        self.steps += 1
        return True

    def _diverged(self, params: np.ndarray, before: np.ndarray) -> bool:
        """The rare case: Σp² exceeded the bound. Diverged when a parameter is non-finite or beyond the limit."""
        with np.errstate(all="ignore"):
            if not np.all(np.isfinite(params)):
                return True
            largest = float(np.max(np.abs(params)))
            if largest <= self._limit:
                return False
            start = float(np.max(np.abs(before)))
            if start > self._limit:  # already that large before the step: set from outside (an edit), not a blow-up
                self._limit = min(2.0 * start, _FLOAT_MAX)
            return not largest <= self._limit

    def _step_l1(self, net: Network, params: np.ndarray) -> None:
        """The data step, then L1's shrink with Playground's clip-at-zero rule (see the module docstring)."""
        grad, dead = net.grad, net._dead
        self._had_dead = net.n_dead
        if self._had_dead:
            self._dead_backup[...] = dead  # for undoing a diverged step
        shrink = None
        if net._l1:
            key = (self.optimizer._learning_rate, net._l1)
            if key != self._shrink_key:  # η·l1 at weights, 0 at biases; rebuilt when either rate changes
                self._shrink_scale = net.l1_mask() * key[0]
                self._shrink_key = key
            shrink = self._sign
            np.sign(params, shrink)  # sign(w) before the step, 0 for w == 0
            np.multiply(shrink, self._shrink_scale, shrink)
        if net.n_dead:
            np.copyto(grad, 0.0, where=dead)  # a dead link's gradient is not applied
        if net._l2:
            net.add_penalty_gradient(grad, self._tmp, l1=False)
        self.optimizer.step(params, grad)
        if net.n_dead:
            np.copyto(params, 0.0, where=dead)  # momentum or Adam's state must not move them either
        if shrink is not None:
            new, cross = self._tmp, self._cross
            np.subtract(params, shrink, new)  # w' = w − η·l1·sign(w_before)
            np.multiply(params, new, shrink)
            np.less(shrink, 0.0, cross)  # w·w' < 0: the shrink crossed zero
            params[...] = new
            if cross.any():
                params[cross] = 0.0
                dead |= cross
                net.n_dead = int(np.count_nonzero(dead))

    # ------------------------------------------------------------------ chosen rows (the step-through view)
    def rows(self, indices) -> tuple[np.ndarray, np.ndarray]:
        """Training rows ``indices`` in the layout a step uses: inputs ``(n_in + 1, k)``, targets ``(n_out, k)``.

        Raises IndexError for an index outside the training set and ValueError for an empty selection.
        """
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        if idx.shape[0] == 0:
            raise ValueError("choose at least one training sample")
        if idx.min() < -self.n_train or idx.max() >= self.n_train:
            raise IndexError(f"training rows are 0..{self.n_train - 1}, got {idx.tolist()}")
        idx = idx % self.n_train
        return self.Xa_train.take(idx, axis=1), self.T_train.take(idx, axis=1)

    def step_on(self, indices) -> bool:
        """One training step on the training rows ``indices`` (in that order), exactly as :meth:`step_batch`
        would take it on a mini-batch of those rows: same gradient, reduction, regularization, optimizer and
        divergence check. The epoch's schedule is not touched (the rows are extra). False if it diverged (the
        weights are then restored and :attr:`diverged` is set).
        """
        XbT, TbT = self.rows(indices)
        with np.errstate(all="ignore"):
            ok = self._step(XbT, TbT)
        self.diverged = not ok
        return ok

    def next_batch_indices(self) -> np.ndarray:
        """The training rows the next :meth:`step_batch` will use, without changing any state.

        At the start of an epoch the permutation is drawn from a copy of the shuffle stream.
        """
        if self._cursor == 0:
            rng = np.random.default_rng()
            rng.bit_generator.state = self.rng.bit_generator.state
            perm, start = rng.permutation(self.n_train), 0
        else:
            perm, start = self._perm, self._cursor
        if self._cursor and self._layout_b == self._batch_size:
            # Batches already laid out: the next one starts at the cursor with the laid-out size.
            size = self._batches[self._batch_index][0].shape[1]
        else:
            rest = self.n_train - start
            nb, r = divmod(rest, self._batch_size)
            size = rest if (nb == 0 or (nb == 1 and r == 0)) else self._batch_size
        return perm[start : start + size].copy()

    def _shadow(self) -> Trainer:
        """A trainer that shares this one's data but owns copies of everything a step changes (network,
        optimizer state, scratch): stepping it leaves this trainer untouched. Used by the step-through view
        to show a step before taking it."""
        t = copy.copy(self)
        t.net = self.net.copy()
        t.net.grad[:] = self.net.grad
        t.optimizer = copy.deepcopy(self.optimizer)
        t._backup = np.empty_like(self._backup)
        t._tmp = np.empty_like(self._tmp)
        t._sign = np.empty_like(self._sign)
        t._cross = np.empty_like(self._cross)
        t._dead_backup = np.empty_like(self._dead_backup)
        t._shrink_key, t._shrink_scale = None, t._sign
        t.history = copy.deepcopy(self.history)
        t.grad_history = copy.deepcopy(self.grad_history)
        return t

    def diverged_reason(self) -> str:
        """What the user reads when a step diverged: where, why, and what to do."""
        return (
            f"{StopReason.DIVERGED} at epoch {self.epoch + 1}: the learning rate {self.learning_rate:g} is too large "
            "for this network — lower it and press Reset"
        )

    def step_batch(self) -> str | None:
        """Train on the next mini-batch; at the end of an epoch record it. Returns a stop reason or None."""
        if self._cursor == 0:
            self._begin_epoch()
        elif self._layout_b != self._batch_size:
            self._layout(self._cursor)
        XbT, TbT = self._batches[self._batch_index]
        with np.errstate(all="ignore"):
            if not self._step(XbT, TbT):
                return self._stopped_diverged()
            self.diverged = False
            self._batch_index += 1
            self._cursor += XbT.shape[1]
            if self._cursor >= self.n_train:
                self._cursor = 0
                return self._end_epoch()
        return None

    def run_epoch(self, deadline: float | None = None) -> str | None:
        """Finish the current epoch (all of it, unless a mini-batch step already began it).

        With ``deadline`` (a :func:`time.perf_counter` value) it returns None after the mini-batch during which
        that time passed, mid-epoch (:attr:`mid_epoch`); the next call goes on from the next mini-batch, so the
        steps are exactly those of whole epochs. The training loop uses it to hand out snapshots every few
        milliseconds on networks whose epoch is longer than that, in this tight loop (a :meth:`step_batch` per
        mini-batch costs 0–7 % more at 10 hidden layers of 64, measured interleaved).
        """
        if self._cursor == 0:
            self._begin_epoch()
        elif self._layout_b != self._batch_size:
            self._layout(self._cursor)
        step = self._step
        n_train = self.n_train
        with np.errstate(all="ignore"):
            for XbT, TbT in self._batches[self._batch_index :]:
                if not step(XbT, TbT):
                    return self._stopped_diverged()
                self._batch_index += 1
                self._cursor += XbT.shape[1]
                if deadline is not None and self._cursor < n_train and time.perf_counter() >= deadline:
                    self.diverged = False
                    return None
            self.diverged = False
            self._cursor = 0
            return self._end_epoch()

    def run(self, epochs: int) -> str | None:
        """Run up to ``epochs`` epochs; stop early at a stop reason, which is returned."""
        for _ in range(epochs):
            reason = self.run_epoch()
            if reason:
                return reason
        return None

    def _stopped(self, reason: str) -> str:
        self.stop_reason = reason
        return reason

    def _stopped_diverged(self) -> str:
        self.diverged = True
        return self._stopped(self.diverged_reason())

    # ------------------------------------------------------------------ evaluation
    def outputs(self, XaT: np.ndarray) -> np.ndarray:
        """Network outputs for column-layout inputs, as a row-layout view ``(n, n_out)`` of a scratch buffer."""
        buf = self.net.buffers(XaT.shape[1])
        return self.net._forward(XaT, buf).T

    def _metric(self, O: np.ndarray, T: np.ndarray, y: np.ndarray) -> float:
        if self.task == "regression":
            return float(np.sqrt(np.mean((O - T) ** 2)))
        return np.count_nonzero(predict_classes(O, self.net.output) == y) / y.shape[0]

    def evaluate(self) -> tuple[float, float, float, float]:
        """``(train_loss, test_loss, train_metric, test_metric)`` on the whole sets, NaN where a set is empty.

        The loss is the data loss without the regularization penalty (what Playground plots); the metric is
        accuracy (classification) or RMSE (regression).
        """
        with np.errstate(all="ignore"):
            return self._evaluate()

    def _evaluate(self) -> tuple[float, float, float, float]:
        """:meth:`evaluate` for callers that already silenced floating-point warnings."""
        net = self.net
        Xa_all, T_all = self._Xa_all, self._T_all
        n = self.Xa_train.shape[1]
        # One forward pass over the training and test columns together, then split (views).
        O_all = self.outputs(Xa_all)
        O, T = O_all[:n], T_all[:n]
        tr, trm = net.data_loss(O, T), self._metric(O, T, self.y_train)
        if Xa_all.shape[1] > n:
            O, T = O_all[n:], T_all[n:]
            te, tem = net.data_loss(O, T), self._metric(O, T, self.y_test)
        else:
            te = tem = math.nan
        return tr, te, trm, tem

    def _end_epoch(self) -> str | None:
        """Record the finished epoch and check the stopping criteria (called under ``np.errstate``)."""
        self.epoch += 1
        tr, te, trm, tem = self._evaluate()
        prev_tr = self.history.last("train_loss")
        self.history.append(tr, te, trm, tem)
        if self.epoch % self.grad_history.stride == 0:
            tmp = self._tmp
            np.multiply(self.net.grad, self.net.grad, tmp)
            self.grad_history.append(self.epoch, np.sqrt(np.add.reduceat(tmp, self._layer_starts)))
        if not math.isfinite(tr):
            self.epoch -= 1  # reported as the epoch it happened in
            reason = self._stopped_diverged()
            self.epoch += 1
            return reason
        s = self.stop
        # Book-keeping first, so the counters stay right when training continues after a stop.
        if tr < self._best - s.min_delta:
            self._best, self._since_best = tr, 0
        else:
            self._since_best += 1
        if math.isfinite(te):
            # Overfitting: the test loss rises while the training loss keeps falling.
            self._rising = self._rising + 1 if (te > self._prev_test and tr < prev_tr) else 0
            self._prev_test = te
        if s.target_loss is not None and tr <= s.target_loss:
            return self._stopped(StopReason.TARGET)
        if s.max_epochs is not None and self.epoch >= s.max_epochs:
            return self._stopped(StopReason.MAX_EPOCHS)
        if s.patience is not None and self._since_best >= s.patience:
            return self._stopped(StopReason.PLATEAU)
        if s.early_stop is not None and math.isfinite(te) and self._rising >= s.early_stop:
            return self._stopped(StopReason.EARLY_STOP)
        return None

    def statistics(self) -> dict:
        """Health of the network on the training set: see :func:`visualizer.engine.statistics.statistics`."""
        return _statistics(self)

    def evaluation(self, **options):
        """Confusion matrix and recall, R² and RMSE on the test set (the training set without one), per-row outputs
        of small sets, test probabilities of images: see :func:`visualizer.engine.evaluation.evaluate`."""
        return evaluate(self, **options)

    # ------------------------------------------------------------------ sessions
    def state_dict(self) -> dict:
        """Everything needed to resume bit for bit: see :func:`visualizer.engine.trainer_state.state_dict`."""
        return trainer_state.state_dict(self)

    def load_state_dict(self, state: dict) -> None:
        """Restore :meth:`state_dict` into a trainer built with the same network configuration and data."""
        trainer_state.load_state_dict(self, state)
