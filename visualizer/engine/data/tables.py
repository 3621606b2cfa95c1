"""The small fixed tables (logic gates, the tutorials' examples) and Fisher's Iris, read from resources/."""

from __future__ import annotations

import numpy as np

from visualizer.paths import resource

from .csv import read_csv
from .dataset import Dataset

__all__ = ["TABLES", "make_iris", "make_table"]

TABLES: tuple[str, ...] = (
    "and",
    "or",
    "not",
    "xor_gate",
    "tutorial_000",
    "tutorial_003",
    "tutorial_004",
    "iris",
)

_BINARY_NAMES = ("0", "1")


# ----------------------------------------------------------------------------------------------------------
# Truth tables (kept in table order, all rows training unless the tutorial has a test case)
# ----------------------------------------------------------------------------------------------------------

_GATE_INPUTS = ((0, 0), (0, 1), (1, 0), (1, 1))

# name -> (train X, train y, test X, test y)
TABLE_DATA: dict[str, tuple[tuple, tuple, tuple, tuple]] = {
    "and": (_GATE_INPUTS, (0, 0, 0, 1), (), ()),
    "or": (_GATE_INPUTS, (0, 1, 1, 1), (), ()),
    "not": (((0,), (1,)), (1, 0), (), ()),
    "xor_gate": (_GATE_INPUTS, (0, 1, 1, 0), (), ()),
    # iamtrask, "A Neural Network in 11 lines of Python", the 3-layer network (np.random.seed(1) there).
    "tutorial_000": (((0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)), (0, 1, 1, 0), (), ()),
    # The single neuron: output = first input; then "the new situation" [1, 0, 0] -> 1.
    "tutorial_003": (((0, 0, 1), (1, 1, 1), (1, 0, 1), (0, 1, 1)), (0, 1, 1, 0), ((1, 0, 0),), (1,)),
    # The 3 x 3 example, tested on [1, 0, 1] -> 1.
    "tutorial_004": (((0, 1, 1), (1, 0, 0), (1, 0, 1)), (1, 0, 1), ((1, 0, 1),), (1,)),
}


def make_table(name: str) -> Dataset:
    X_train, y_train, X_test, y_test = TABLE_DATA[name]
    d = len(X_train[0])
    X = np.array(list(X_train) + list(X_test), dtype=np.float64).reshape(-1, d)
    y = np.array(list(y_train) + list(y_test), dtype=np.int64)
    return Dataset(
        name=name,
        X=X,
        y=y,
        task="classification",
        n_classes=2,
        n_train=len(X_train),
        feature_names=tuple(f"x{j + 1}" for j in range(d)),
        class_names=_BINARY_NAMES,
        domain=None,
    )


def make_iris(train_fraction: float, seed: int) -> Dataset:
    """Fisher's Iris (``resources/iris.csv``), shuffled with ``seed`` and split at ``train_fraction``."""
    return read_csv(
        resource("iris.csv"),
        label_column="species",
        task="classification",
        train_fraction=train_fraction,
        seed=seed,
        name="iris",
    )
