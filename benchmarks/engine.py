"""Training-speed benchmark of the engine against PyTorch and scikit-learn, in the style of pyqtgraph's examples.

Run it from the repository root::

    python benchmarks/engine.py              # about 30 s
    python benchmarks/engine.py --quick      # about 6 s, noisier
    python benchmarks/engine.py --seconds 60 # longer, steadier

What is measured
----------------
*Steps per second*: one step is one mini-batch of 10 samples — forward pass, backward pass, parameter update.
Every contender trains the same problem the same way:

* data: Playground's ``circle`` set (seed 0), 250 training and 250 test points, raw inputs ``x1, x2``;
* network: 2 inputs, hidden tanh layers, 1 output; the *maximum* network is Playground's largest (six hidden
  layers of 8 units), the *default* network is Playground's default (hidden layers of 4 and 2);
* training: plain SGD, learning rate 0.03, no momentum, no regularization, batch size 10, the training set
  reshuffled at the start of every epoch;
* every epoch ends with an evaluation of loss and accuracy on the whole training and test sets — our
  :meth:`Trainer.run_epoch` always does this (the window plots it), so the peers do it too.

Contenders:

``ours``
    :class:`visualizer.engine.Trainer` calling ``run_epoch()`` (float64, tanh output, squared loss).
``torch``
    PyTorch on the CPU with ``torch.set_num_threads(1)``, float64, ``nn.Sequential`` of ``Linear`` and
    ``Tanh``, ``torch.optim.SGD``, squared loss, per-epoch shuffle via ``torch.randperm``; evaluation under
    ``torch.no_grad()``.
``sklearn``
    scikit-learn's ``MLPClassifier(hidden_layer_sizes=(8,) * 6, activation="tanh", solver="sgd",
    momentum=0, learning_rate_init=0.03, alpha=0, batch_size=10, shuffle=False)``, fed one ``partial_fit``
    call per mini-batch of the per-epoch shuffled training set (its output unit is logistic with log-loss,
    which scikit-learn does not let us change); evaluation via ``predict_proba``.

PyTorch and scikit-learn are optional: a missing one is reported as ``null``.

The contenders are measured in interleaved rounds — each round runs every contender for the same slice of wall
time, in turn — and each figure is the median over the rounds, so machine noise (this benchmark is often run
on shared machines) hits every contender alike. Nothing is timed during warm-up.

*Grid time*: the median wall time of ``GridEvaluator(("x1", "x2"), resolution=100).evaluate(net)`` on the
maximum network — the single float32 pass over the 100 × 100 grid that yields the decision boundary and every
neuron's thumbnail.

Output
------
A readable table, then, as the last line, one JSON object::

    steps_per_s           ours, maximum network
    steps_per_s_default   ours, default [4, 2] network
    epochs_per_s          ours, maximum network, epochs (25 steps + evaluation) per second
    torch_steps_per_s     PyTorch, maximum network (null if PyTorch is missing)
    sklearn_steps_per_s   scikit-learn, maximum network (null if scikit-learn is missing)
    torch_ratio           steps_per_s / torch_steps_per_s (null if PyTorch is missing)
    sklearn_ratio         steps_per_s / sklearn_steps_per_s (null if scikit-learn is missing)
    grid_ms               median milliseconds of one grid pass at resolution 100 on the maximum network
    grid_fast_tanh        whether the grid pass computes tanh from np.exp (faster here than np.tanh)
    machine               CPU, cores, numpy SIMD in use, BLAS (see _machine.py; also printed at the top)

Targets on a 2-core machine: ``torch_ratio >= 6``, ``sklearn_ratio >= 25``, ``grid_ms <= 4``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a source checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _machine
# One BLAS thread, as the app runs (visualizer/app.py) and as PyTorch is told to: every contender computes
# on one core, and no idle BLAS thread spins on the other one while the next contender is timed.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from _machine import machine  # noqa: E402

from visualizer.engine import GridEvaluator, Network, Trainer, make_dataset  # noqa: E402

MAX_HIDDEN = (8,) * 6
DEFAULT_HIDDEN = (4, 2)
BATCH = 10
LR = 0.03


def load_data():
    ds = make_dataset("circle", seed=0)
    return (
        np.array(ds.X_train, dtype=np.float64),
        np.array(ds.y_train),
        np.array(ds.X_test, dtype=np.float64),
        np.array(ds.y_test),
    )


# ---------------------------------------------------------------------------------------------- contenders
# Each contender is an object with ``epoch()`` (one epoch: shuffle, all mini-batch steps, evaluation) and
# ``steps_per_epoch``.


class Ours:
    name = "ours"

    def __init__(self, data, hidden):
        Xtr, ytr, Xte, yte = data
        self.net = Network([2, *hidden, 1], activation="tanh", output="tanh", loss="squared", seed=0)
        self.trainer = Trainer(self.net, Xtr, ytr, Xte, yte, batch_size=BATCH, optimizer="sgd", learning_rate=LR)
        self.steps_per_epoch = -(-len(Xtr) // BATCH)

    def epoch(self):
        self.trainer.run_epoch()

    @property
    def test_accuracy(self) -> float:
        return self.trainer.history.last("test_metric")


class Torch:
    name = "torch"

    def __init__(self, data, hidden):
        import torch

        torch.set_num_threads(1)
        torch.manual_seed(0)
        self.torch = torch
        Xtr, ytr, Xte, yte = data
        dims = [2, *hidden, 1]
        layers = []
        for a, b in itertools.pairwise(dims):
            layers += [torch.nn.Linear(a, b, dtype=torch.float64), torch.nn.Tanh()]
        self.model = torch.nn.Sequential(*layers)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR, momentum=0.0)
        self.Xtr = torch.tensor(Xtr)
        self.Ttr = torch.tensor(2.0 * ytr.reshape(-1, 1) - 1.0)  # tanh output: targets ±1
        self.ytr = torch.tensor(ytr)
        self.Xte = torch.tensor(Xte)
        self.Tte = torch.tensor(2.0 * yte.reshape(-1, 1) - 1.0)
        self.yte = torch.tensor(yte)
        self.n = len(Xtr)
        self.steps_per_epoch = -(-self.n // BATCH)

    def epoch(self):
        torch, model, opt = self.torch, self.model, self.opt
        perm = torch.randperm(self.n)
        for s in range(0, self.n, BATCH):
            idx = perm[s : s + BATCH]
            x, t = self.Xtr[idx], self.Ttr[idx]
            opt.zero_grad(set_to_none=True)
            loss = 0.5 * ((model(x) - t) ** 2).sum() / x.shape[0]
            loss.backward()
            opt.step()
        with torch.no_grad():
            for X, T, y in ((self.Xtr, self.Ttr, self.ytr), (self.Xte, self.Tte, self.yte)):
                o = model(X)
                self.loss = float(0.5 * ((o - T) ** 2).sum() / X.shape[0])
                self.test_accuracy = float(((o[:, 0] > 0).long() == y).double().mean())  # test set last


class Sklearn:
    name = "sklearn"

    def __init__(self, data, hidden):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        Xtr, ytr, Xte, yte = data
        self.clf = MLPClassifier(
            hidden_layer_sizes=hidden,
            activation="tanh",
            solver="sgd",
            momentum=0.0,
            nesterovs_momentum=False,
            learning_rate="constant",
            learning_rate_init=LR,
            alpha=0.0,
            batch_size=BATCH,
            shuffle=False,
            random_state=0,
        )
        self.Xtr, self.ytr, self.Xte, self.yte = Xtr, ytr, Xte, yte
        self.rng = np.random.default_rng(0)
        self.classes = np.array([0, 1])
        self.clf.partial_fit(Xtr[:BATCH], ytr[:BATCH], classes=self.classes)  # builds the network
        self.n = len(Xtr)
        self.steps_per_epoch = -(-self.n // BATCH)

    def epoch(self):
        clf = self.clf
        perm = self.rng.permutation(self.n)
        Xs, ys = self.Xtr[perm], self.ytr[perm]
        for s in range(0, self.n, BATCH):
            clf.partial_fit(Xs[s : s + BATCH], ys[s : s + BATCH])
        for X, y in ((self.Xtr, self.ytr), (self.Xte, self.yte)):
            p = np.clip(clf.predict_proba(X)[:, 1], 1e-12, 1 - 1e-12)
            self.loss = -float(np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
            self.test_accuracy = float(np.mean((p > 0.5) == y))  # test set last


class Grid:
    """Not a trainer: one 'epoch' is one grid pass; reported in milliseconds per pass."""

    name = "grid"
    steps_per_epoch = 1

    def __init__(self, data, hidden):
        self.net = Network([2, *hidden, 1], activation="tanh", output="tanh", seed=0)
        self.grid = GridEvaluator(("x1", "x2"), (-6.0, 6.0), resolution=100)

    def epoch(self):
        self.grid.evaluate(self.net)


# ---------------------------------------------------------------------------------------------- timing


def timed_slice(contender, seconds: float) -> tuple[int, float]:
    """Run whole epochs until ``seconds`` have passed; return (steps, elapsed seconds)."""
    steps = 0
    clock = time.perf_counter
    t0 = clock()
    end = t0 + seconds
    while True:
        contender.epoch()
        steps += contender.steps_per_epoch
        t = clock()
        if t >= end:
            return steps, t - t0


def grid_times(grid: Grid, seconds: float) -> list[float]:
    """Individual grid-pass times in milliseconds for about ``seconds``."""
    times = []
    clock = time.perf_counter
    end = clock() + seconds
    while True:
        t0 = clock()
        grid.epoch()
        t1 = clock()
        times.append(1000.0 * (t1 - t0))
        if t1 >= end:
            return times


def build_contenders(data):
    contenders = {
        "ours_max": Ours(data, MAX_HIDDEN),
        "ours_default": Ours(data, DEFAULT_HIDDEN),
    }
    missing = {}
    for key, cls in (("torch_max", Torch), ("sklearn_max", Sklearn)):
        try:
            contenders[key] = cls(data, MAX_HIDDEN)
        except (ImportError, OSError) as exc:  # not installed, or its native libraries fail to load
            missing[key] = str(exc)
    contenders["grid"] = Grid(data, MAX_HIDDEN)
    return contenders, missing


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="approximate total measuring time")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default: 7, quick: 3)")
    parser.add_argument("--quick", action="store_true", help="about 6 seconds in 3 rounds: a rough figure")
    args = parser.parse_args(argv)
    seconds = 6.0 if args.quick else args.seconds
    rounds = args.rounds or (3 if args.quick else 7)

    info = machine()
    data = load_data()
    contenders, missing = build_contenders(data)
    # Warm-up: fill caches, build buffers, let PyTorch and scikit-learn set themselves up.
    for c in contenders.values():
        for _ in range(3):
            c.epoch()

    slice_s = seconds / (rounds * len(contenders))
    rates: dict[str, list[float]] = {k: [] for k in contenders if k != "grid"}
    grid_ms: list[float] = []
    for r in range(rounds):
        order = list(contenders)
        if r % 2:  # alternate the order so no contender always runs right after the same neighbour
            order.reverse()
        for key in order:
            if key == "grid":
                grid_ms.extend(grid_times(contenders[key], slice_s))
            else:
                steps, elapsed = timed_slice(contenders[key], slice_s)
                rates[key].append(steps / elapsed)

    med = {k: statistics.median(v) for k, v in rates.items()}
    ours = med["ours_max"]
    torch_rate = med.get("torch_max")
    sklearn_rate = med.get("sklearn_max")
    grid_med = statistics.median(grid_ms)
    steps_per_epoch = contenders["ours_max"].steps_per_epoch

    def row(label, key, ratio=True):
        if key not in rates:
            return f"{label:<34}{'not installed':>14}"
        v = rates[key]
        last = f"{ours / med[key]:>10.1f}" if ratio else f"{'':>10}"
        acc = f"{100 * contenders[key].test_accuracy:>9.1f}%"
        return f"{label:<34}{med[key]:>14,.0f}{min(v):>12,.0f}{max(v):>12,.0f}{last}{acc}"

    print(f"NN Visualizer engine benchmark — {rounds} interleaved rounds, {slice_s:.2f} s per contender per round")
    print()
    print(
        f"{'steps/s (batch 10, circle, 250 pts)':<34}{'median':>14}{'min':>12}{'max':>12}{'ours ÷':>10}{'test acc':>10}"
    )
    print(row("ours, max network (6 × 8 tanh)", "ours_max", ratio=False))
    print(row("ours, default network (4, 2)", "ours_default", ratio=False))
    print(row("PyTorch, max network", "torch_max"))
    print(row("scikit-learn, max network", "sklearn_max"))
    print()
    print(f"grid pass, R = 100, max network: median {grid_med:.2f} ms (min {min(grid_ms):.2f}, n = {len(grid_ms)})")
    print(f"ours, max network: {ours / steps_per_epoch:,.0f} epochs/s ({steps_per_epoch} steps + evaluation each)")
    for key, why in missing.items():
        print(f"{key}: skipped ({why})")
    print("test acc: accuracy on the 250 test points after the last epoch (every contender really learns)")
    print("targets (2 cores): torch_ratio >= 6, sklearn_ratio >= 25, grid_ms <= 4")

    result = {
        "steps_per_s": round(ours, 1),
        "steps_per_s_default": round(med["ours_default"], 1),
        "epochs_per_s": round(ours / steps_per_epoch, 1),
        "torch_steps_per_s": None if torch_rate is None else round(torch_rate, 1),
        "sklearn_steps_per_s": None if sklearn_rate is None else round(sklearn_rate, 1),
        "torch_ratio": None if torch_rate is None else round(ours / torch_rate, 2),
        "sklearn_ratio": None if sklearn_rate is None else round(ours / sklearn_rate, 2),
        "grid_ms": round(grid_med, 3),
        "grid_fast_tanh": contenders["grid"].grid.fast_tanh,
        "rounds": rounds,
        "seconds": seconds,
        "machine": info,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
