"""Lessons: the tutorials' networks, data and numbers as data, not as code paths in the window.

A :class:`Lesson` is a small declarative description — its text panel, data, network, training settings, which
views to show, and the outputs the tutorial reports. :func:`build_lesson` turns it into an ordinary
:class:`~visualizer.engine.experiment.Experiment` (through :class:`~visualizer.engine.experiment.Config` and
:func:`~visualizer.engine.experiment.build`), so a lesson trains exactly like any other run. Some lessons have
*variants* (XOR with a single perceptron; each of tutorial 004's stopping criteria; each logic gate), which
replace parts of the lesson.

>>> lesson_names()[:3]
('mcculloch_pitts', 'perceptron', 'xor')
>>> exp = build_lesson("tutorial_000")
>>> exp.network.sizes, exp.trainer.batch_reduction, exp.trainer.learning_rate
((3, 4, 1), 'sum', 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .data import Dataset
from .experiment import Config, Experiment, build
from .mcculloch_pitts import truth_table
from .stopping import StopCriteria

__all__ = [
    "LESSONS",
    "VIEWS",
    "Expected",
    "Lesson",
    "MPUnit",
    "NetworkSpec",
    "Table",
    "TrainingSpec",
    "Variant",
    "build_lesson",
    "get_lesson",
    "initial_params",
    "lesson_names",
    "resolve",
    "truth_table",
]

VIEWS = (
    "network",  # the network view (neurons, synapses)
    "boundary",  # the decision map of 2-D data
    "table",  # inputs, target, output, error per row (data that is not 2-D)
    "loss",  # the loss curve
    "truth_table",  # McCulloch-Pitts: inputs, weighted sum, output, with editable weights and threshold
    "threshold_line",  # the unit's line w·x = θ on the input square
    "first_layer_lines",  # first-layer neurons' lines w·x + b = 0 on the boundary view
    "grad_norms",  # per-layer gradient size over time
    "histograms",  # per-layer weight / gradient histograms
    "transformed_space",  # data and grid lines through a hidden layer
    "expected",  # the tutorial's printed outputs beside the network's
    "stepthrough",  # the step-through explainer
)
"""View hints a lesson may ask for (the window shows what it has)."""


@dataclass(frozen=True)
class Table:
    """An inline data table: rows of inputs and class labels (0/1); the first ``n_train`` rows train."""

    X: tuple[tuple[float, ...], ...]
    y: tuple[int, ...]
    n_train: int | None = None
    name: str = "table"

    def dataset(self) -> Dataset:
        X = np.asarray(self.X, dtype=np.float64)
        n_train = len(self.y) if self.n_train is None else self.n_train
        return Dataset(
            name=self.name,
            X=X,
            y=np.asarray(self.y, dtype=np.int64),
            task="classification",
            n_classes=2,
            n_train=n_train,
            feature_names=tuple(f"x{j + 1}" for j in range(X.shape[1])),
        )


@dataclass(frozen=True)
class NetworkSpec:
    """The lesson's network.

    ``weights``: ``None`` — the engine's ``init`` with ``seed``; ``"numpy_seed"`` — the tutorials' own start,
    ``np.random.seed(seed)`` then ``2·np.random.random((n_in, n_out)) − 1`` for each weight layer in order
    (iamtrask's ``syn0``, ``syn1``; tutorial 003's ``synaptic_weights``); or explicit per-layer nested tuples.
    ``bias_value``: every bias starts at this value (tutorial 004's 0.001), if given.
    """

    hidden: tuple[int, ...] = ()
    activation: str = "sigmoid"
    output: str = "sigmoid"
    loss: str = "squared"
    bias: bool = True
    init: str = "uniform"
    seed: int = 0
    weights: str | tuple | None = None
    bias_value: float | None = None


@dataclass(frozen=True)
class TrainingSpec:
    """Training settings. ``batch_size=None`` is the whole training set (the tutorials' full batch);
    ``epochs`` is how long the lesson runs (also its ``max_epochs`` stop unless ``stop`` says otherwise)."""

    learning_rate: float = 0.03
    batch_size: int | None = None
    batch_reduction: str = "mean"
    optimizer: str = "sgd"
    epochs: int = 1000
    stop: StopCriteria | None = None
    shuffle_seed: int = 0


@dataclass(frozen=True)
class Expected:
    """What the tutorial reports: the network's outputs for ``inputs`` should end within ``tolerance``."""

    inputs: tuple[tuple[float, ...], ...]
    outputs: tuple[float, ...]
    source: str
    tolerance: float = 0.01


@dataclass(frozen=True)
class MPUnit:
    """A McCulloch-Pitts unit: ``1`` where ``Σ wᵢ·xᵢ >= threshold``."""

    weights: tuple[float, ...]
    threshold: float


@dataclass(frozen=True)
class Variant:
    """A variation of a lesson: any field given replaces the lesson's."""

    name: str
    title: str
    text: str
    data: str | Table | None = None
    network: NetworkSpec | None = None
    training: TrainingSpec | None = None
    mp: MPUnit | None = None
    expected: Expected | None = None
    data_options: dict | None = None


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    text: str
    data: str | Table
    network: NetworkSpec
    training: TrainingSpec
    views: tuple[str, ...] = ("network", "loss")
    tutorial: str | None = None
    expected: Expected | None = None
    mp: MPUnit | None = None
    variants: tuple[Variant, ...] = ()
    data_options: dict = field(default_factory=dict)
    """Extra :func:`~visualizer.engine.data.make_dataset` settings for a named data set (noise, train_fraction,
    data_seed)."""


# ---------------------------------------------------------------------------------------------- the lessons

_GATES = {
    "and": MPUnit((1.0, 1.0), 1.5),
    "or": MPUnit((1.0, 1.0), 0.5),
    "not": MPUnit((-1.0,), -0.5),
    "xor_gate": MPUnit((1.0, 1.0), 0.5),  # OR's unit: right on 3 of 4 rows, as any single line is at best
}

_MP_TEXT = (
    "McCulloch and Pitts (1943): a neuron adds its weighted inputs and fires (1) when the sum reaches a "
    "threshold, else stays silent (0). Tutorial 004: with weights 1 and 1, the inputs (0, 0) give "
    "(0·1) + (0·1) = 0, less than the threshold 0.5, so the output is 0; (1, 0) gives (1·1) + (0·1) = 1, "
    "greater than 0.5, so the output is 1 — an OR gate. Raise the threshold to 1.5 and only (1, 1) fires: AND. "
    "One input with weight −1 and threshold −0.5 is NOT. Edit the weights and the threshold and watch the truth "
    "table; the line w₁·x₁ + w₂·x₂ = θ splits the input square into 'fires' and 'silent'."
)

_XOR_WHY = (
    "Why XOR fails: one unit fires on one side of a single straight line. XOR wants (0, 1) and (1, 0) on one "
    "side and (0, 0) and (1, 1) on the other — the two pairs sit on crossing diagonals, and no line separates "
    "them, so at least one of the four rows is always wrong."
)

_000_TEXT = (
    "Tutorial 000 (iamtrask's 11-line network): inputs X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]], targets "
    "y = [0,1,1,0] (x1 XOR x2). Three inputs, a hidden layer of 4 sigmoid units (l1), one sigmoid output (l2), "
    "no biases. syn0 (3×4) and syn1 (4×1) start as 2·random − 1 with np.random.seed(1). Each of the 60,000 "
    "iterations feeds the whole table forward, computes l2_delta = (y − l2)·l2·(1 − l2) and "
    "l1_delta = l2_delta·syn1ᵀ·l1·(1 − l1), and adds l1ᵀ·l2_delta to syn1 and Xᵀ·l1_delta to syn0: the "
    "adjustments of all four rows summed, learning rate 1. Here: full batch, gradient over the batch = sum, "
    "learning rate 1, 60,000 epochs. The tutorial's code prints its mean error every 10,000 iterations: "
    "0.4964, 0.00858, 0.00579, 0.00463, 0.00396, 0.00351; its final outputs are 0.0026, 0.9967, 0.9970, 0.0039."
)

_003_TEXT = (
    "Tutorial 003: a single sigmoid neuron with three inputs and no bias learns the table "
    "[[0,0,1],[1,1,1],[1,0,1],[0,1,1]] → [0,1,1,0] (the output is the first input). Each of the 15,000 "
    "iterations processes the whole set at once: error = (target − output)·output·(1 − output), "
    "weights += inputsᵀ·error — the 'error weighted derivative', summed over the rows at learning rate 1. "
    "Then the new situation [1, 0, 0]: its first input is 1, so the neuron should say 1. Run with "
    "np.random.seed(1), the tutorial's loop ends with weights ≈ (10.09, −0.21, −4.84) and predicts 0.99996 for "
    "[1, 0, 0]."
)

_004_TEXT = (
    "Tutorial 004's 3 × 3 example: one sigmoid neuron with a bias starting at 0.001, inputs "
    "[[0,1,1],[1,0,0],[1,0,1]], targets [1,0,1], learning rate 0.98 on the summed error: "
    "Err_j = O_j(1 − O_j)(T_j − O_j), W_ij ← W_ij + l·Err_j·O_i, b_j ← b_j + l·Err_j. Training repeats until a "
    "terminating condition is met: the error is minimized to the least possible value; the maximum number of "
    "iterations is reached; there is no further reduction in error; the training error no longer tracks the "
    "validation error. Each variant switches on one of them."
)

_PERCEPTRON_TEXT = (
    "The perceptron (tutorials 001 and 004) separates two classes with a straight line: it adds a bias to the "
    "weighted sum, and learns by nudging its weights after every sample it sees (batch size 1). The two "
    "Gaussian clouds are linearly separable, so the line settles between them within an epoch or two; step "
    "through one sample to see the update w ← w − η·δ·x."
)

_VANISH_TEXT = (
    "Vanishing gradients: six hidden sigmoid layers of 8 units. A sigmoid's slope is at most 0.25, so each "
    "layer the backward pass crosses multiplies the deltas by σ′(net) ≤ 0.25 (and small weights): the gradient "
    "sizes fall by about a factor of 3-10 per layer, and the first layers get ten thousand times less than the "
    "last. They barely move, and the network does not learn the circle. The ReLU variant (slope 1 where "
    "active, He initialisation) keeps the gradients alive."
)

LESSONS: dict[str, Lesson] = {
    lesson.name: lesson
    for lesson in (
        Lesson(
            name="mcculloch_pitts",
            title="McCulloch-Pitts neuron",
            text=_MP_TEXT + " " + _XOR_WHY,
            tutorial="004",
            data="and",
            network=NetworkSpec(output="linear", loss="squared"),
            training=TrainingSpec(learning_rate=0.1, epochs=0),
            views=("truth_table", "threshold_line", "network", "table"),
            mp=_GATES["and"],
            variants=tuple(
                Variant(gate, title, text, data=gate, mp=_GATES[gate])
                for gate, title, text in (
                    ("and", "AND", "Weights 1, 1 and threshold 1.5: only (1, 1) reaches the threshold."),
                    ("or", "OR", "Weights 1, 1 and threshold 0.5: any input that is 1 is enough."),
                    ("not", "NOT", "One input, weight −1, threshold −0.5: 0 fires, 1 does not."),
                    ("xor_gate", "XOR (no single unit can)", _XOR_WHY),
                )
            ),
        ),
        Lesson(
            name="perceptron",
            title="Perceptron: a line between two classes",
            text=_PERCEPTRON_TEXT,
            tutorial="001, 004",
            data="gauss",
            network=NetworkSpec(output="tanh", loss="squared", init="playground"),
            training=TrainingSpec(learning_rate=0.03, batch_size=1, epochs=20),
            views=("boundary", "first_layer_lines", "network", "loss", "stepthrough"),
        ),
        Lesson(
            name="xor",
            title="XOR: one perceptron cannot, a 2-2-1 network can",
            text=(
                _XOR_WHY + " A single perceptron trained on the four rows plateaus: its loss stops falling "
                "with one row still wrong (at most 3 of 4 right). Two hidden units draw two lines; the output "
                "combines them, and all four rows come out right."
            ),
            tutorial="004",
            data="xor_gate",
            network=NetworkSpec(hidden=(2,), activation="tanh", output="tanh", init="playground"),
            training=TrainingSpec(learning_rate=0.3, batch_size=4, epochs=2000),
            views=("table", "network", "loss", "transformed_space", "stepthrough"),
            variants=(
                Variant(
                    "network",
                    "2-2-1 network",
                    "Two hidden tanh units: all four rows right.",
                ),
                Variant(
                    "single",
                    "Single perceptron",
                    "No hidden layer: the loss plateaus with one row wrong.",
                    network=NetworkSpec(hidden=(), output="tanh", init="playground"),
                ),
            ),
        ),
        Lesson(
            name="tutorial_000",
            title="Tutorial 000: iamtrask's 3-layer network",
            text=_000_TEXT,
            tutorial="000",
            data="tutorial_000",
            network=NetworkSpec(hidden=(4,), bias=False, weights="numpy_seed", seed=1),
            training=TrainingSpec(learning_rate=1.0, batch_reduction="sum", epochs=60_000),
            views=("table", "network", "loss", "expected", "stepthrough"),
            expected=Expected(
                inputs=((0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)),
                outputs=(0.00260572, 0.99672209, 0.99701711, 0.00386759),
                source="iamtrask's loop run as published (np.random.seed(1), 60,000 iterations); targets 0, 1, 1, 0",
            ),
        ),
        Lesson(
            name="tutorial_003",
            title="Tutorial 003: a single sigmoid neuron",
            text=_003_TEXT,
            tutorial="003",
            data="tutorial_003",
            network=NetworkSpec(hidden=(), bias=False, weights="numpy_seed", seed=1),
            training=TrainingSpec(learning_rate=1.0, batch_reduction="sum", epochs=15_000),
            views=("table", "network", "loss", "expected", "stepthrough"),
            expected=Expected(
                inputs=((1, 0, 0), (0, 0, 1), (1, 1, 1), (1, 0, 1), (0, 1, 1)),
                outputs=(0.9999584, 0.00786389, 0.99358625, 0.99477899, 0.00640321),
                source="the tutorial's loop run with np.random.seed(1), 15,000 iterations: the new situation "
                "[1, 0, 0], then the four training rows",
            ),
        ),
        Lesson(
            name="stopping_criteria",
            title="Tutorial 004: when to stop training",
            text=_004_TEXT,
            tutorial="004",
            data="tutorial_004",
            network=NetworkSpec(init="uniform", seed=4, bias_value=0.001),
            training=TrainingSpec(
                learning_rate=0.98, batch_reduction="sum", epochs=10_000, stop=StopCriteria(max_epochs=10_000)
            ),
            views=("table", "network", "loss", "stepthrough"),
            variants=(
                Variant(
                    "max_epochs",
                    "Maximum number of iterations",
                    "Stop after 10,000 iterations, however good or bad the fit.",
                ),
                Variant(
                    "target_loss",
                    "Error minimized",
                    "Stop as soon as the mean squared error ½·(T − O)² falls to 0.001.",
                    training=TrainingSpec(
                        learning_rate=0.98,
                        batch_reduction="sum",
                        epochs=10_000,
                        stop=StopCriteria(target_loss=0.001, max_epochs=10_000),
                    ),
                ),
                Variant(
                    "plateau",
                    "No further reduction in error",
                    "Stop when the error has not fallen by more than 10⁻⁵ for 50 iterations.",
                    training=TrainingSpec(
                        learning_rate=0.98,
                        batch_reduction="sum",
                        epochs=10_000,
                        stop=StopCriteria(patience=50, min_delta=1e-5, max_epochs=10_000),
                    ),
                ),
                Variant(
                    "early_stop",
                    "Training error no longer tracks validation error",
                    "A noisy circle with few training points and a large network: the test loss starts rising "
                    "while the training loss still falls (overfitting). Stop after 3 such epochs in a row.",
                    data="circle",
                    data_options={"noise": 0.5, "train_fraction": 0.1},
                    network=NetworkSpec(hidden=(8, 8, 8), activation="tanh", output="tanh", init="playground"),
                    training=TrainingSpec(
                        learning_rate=0.03, batch_size=10, epochs=3000, stop=StopCriteria(early_stop=3)
                    ),
                ),
            ),
        ),
        Lesson(
            name="vanishing_gradients",
            title="Vanishing gradients in a deep sigmoid network",
            text=_VANISH_TEXT,
            data="circle",
            network=NetworkSpec(hidden=(8,) * 6, activation="sigmoid", output="sigmoid", init="playground"),
            training=TrainingSpec(learning_rate=0.3, batch_size=10, epochs=200),
            views=("boundary", "network", "grad_norms", "histograms", "loss"),
            variants=(
                Variant("sigmoid", "Sigmoid (starving)", "Six sigmoid layers: the first layers starve."),
                Variant(
                    "relu",
                    "ReLU (alive)",
                    "The same depth with ReLU and He initialisation: the gradients reach the first layers.",
                    network=NetworkSpec(hidden=(8,) * 6, activation="relu", output="sigmoid", init="he"),
                    training=TrainingSpec(learning_rate=0.03, batch_size=10, epochs=200),
                ),
            ),
        ),
    )
}
"""Every lesson by name, in menu order."""


def lesson_names() -> tuple[str, ...]:
    """The lessons' names, in menu order."""
    return tuple(LESSONS)


def get_lesson(name: str) -> Lesson:
    """The lesson called ``name``; KeyError names the valid ones."""
    try:
        return LESSONS[name]
    except KeyError:
        raise KeyError(f"unknown lesson {name!r}; choose one of: {', '.join(LESSONS)}") from None


def resolve(name: str, variant: str | None = None) -> Lesson:
    """The lesson with ``variant``'s fields applied (its title and text appended); ``None``: as declared."""
    lesson = get_lesson(name)
    if variant is None:
        return lesson
    for v in lesson.variants:
        if v.name == variant:
            changes = {
                k: getattr(v, k)
                for k in ("data", "network", "training", "mp", "expected", "data_options")
                if getattr(v, k) is not None
            }
            return replace(lesson, title=f"{lesson.title} — {v.title}", text=f"{lesson.text}\n\n{v.text}", **changes)
    names = ", ".join(v.name for v in lesson.variants) or "none"
    raise KeyError(f"lesson {name!r} has no variant {variant!r}; variants: {names}")


def lesson_config(lesson: Lesson) -> Config:
    """The :class:`Config` of a (resolved) lesson."""
    net, tr = lesson.network, lesson.training
    stop = tr.stop if tr.stop is not None else StopCriteria(max_epochs=tr.epochs or None)
    opts = lesson.data_options
    return Config(
        dataset=lesson.data if isinstance(lesson.data, str) else lesson.data.name,
        noise=opts.get("noise", 0.0),
        train_fraction=opts.get("train_fraction", 0.5),
        data_seed=opts.get("data_seed", 0),
        hidden=net.hidden,
        activation=net.activation,
        output=net.output,
        loss=net.loss,
        learning_rate=tr.learning_rate,
        batch_size=tr.batch_size or 1,
        batch_reduction=tr.batch_reduction,
        optimizer=tr.optimizer,
        init=net.init,
        seed=net.seed,
        shuffle_seed=tr.shuffle_seed,
        stop=stop,
        bias=net.bias,
    )


def initial_params(exp: Experiment, lesson: Lesson) -> np.ndarray:
    """Set the lesson's starting weights on ``exp``'s network (explicit weights, the tutorials' numpy seed, a
    bias value, a McCulloch-Pitts unit) and return a copy of the flat parameters (for a Reset to the lesson's
    start)."""
    net, spec = exp.network, lesson.network
    if spec.weights == "numpy_seed":
        rs = np.random.RandomState(spec.seed)
        for layer, W in enumerate(net.weights):
            net.weights[layer] = 2 * rs.random_sample(W.shape) - 1
    elif spec.weights is not None:
        for layer, W in enumerate(spec.weights):
            net.weights[layer] = np.asarray(W, dtype=np.float64)
    if spec.bias_value is not None and net.bias:
        for b in net.biases:
            b[...] = spec.bias_value
    if lesson.mp is not None:
        w = np.asarray(lesson.mp.weights, dtype=np.float64)[: net.n_inputs]
        net.weights[0] = w[:, None]
        net.biases[0] = [-lesson.mp.threshold]
    return net.params.copy()


def build_lesson(name: str, variant: str | None = None) -> Experiment:
    """Build the lesson's experiment: data, network with its starting weights, trainer with its settings."""
    lesson = resolve(name, variant)
    config = lesson_config(lesson)
    dataset = lesson.data.dataset() if isinstance(lesson.data, Table) else None
    exp = build(config, dataset)
    if lesson.training.batch_size is None:  # full batch: the whole training set in every step
        exp.trainer.batch_size = exp.trainer.n_train
        exp.config = exp.config.replace(batch_size=exp.trainer.n_train)
    initial_params(exp, lesson)
    return exp
