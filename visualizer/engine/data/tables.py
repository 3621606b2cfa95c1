"""The fixed data sets: logic gates, the tutorials' tables, Fisher's Iris and the 8×8 handwritten digits.

Iris and the digits are read from the shipped ``resources/`` folder (:func:`visualizer.paths.resource`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from visualizer.paths import resource

from .csv import read_csv
from .dataset import Dataset

__all__ = ["DIGITS_SHAPE", "TABLES", "load_digits", "make_digits", "make_iris", "make_table"]

TABLES: tuple[str, ...] = (
    "and",
    "or",
    "not",
    "xor_gate",
    "tutorial_000",
    "tutorial_003",
    "tutorial_004",
    "iris",
    "digits",
)

DIGITS_SHAPE = (8, 8)
"""Rows and columns of one digit image."""

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


@functools.cache
def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits of ``resources/digits.npz``: ``(images (1797, 8, 8) uint8 0…16, labels (1797,)
    uint8 0…9)``, read-only and cached. Source and licence: ``resources/README.md``."""
    with np.load(resource("digits.npz")) as npz:
        images = np.array(npz["images"], dtype=np.uint8)
        labels = np.array(npz["labels"], dtype=np.uint8)
    if images.shape[1:] != DIGITS_SHAPE or labels.shape != images.shape[:1]:
        raise ValueError(f"digits.npz holds arrays of unexpected shapes {images.shape} and {labels.shape}")
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def make_digits(train_fraction: float, seed: int) -> Dataset:
    """The 8×8 digits as a 64-input, 10-class set: pixels scaled from 0…16 to [0, 1], features ``r0c0`` … ``r7c7``
    (row, column), ``image_shape == (8, 8)``.

    The split is stratified: of each digit's images, ``floor(count * train_fraction)`` (at least one) train, the
    rest test, chosen with ``numpy.random.default_rng(seed)``; training rows are then shuffled, and test rows.
    """
    images, labels = load_digits()
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for k in range(10):
        idx = rng.permutation(np.flatnonzero(labels == k))
        cut = max(1, math.floor(idx.size * train_fraction))
        train_idx.append(idx[:cut])
        test_idx.append(idx[cut:])
    train = rng.permutation(np.concatenate(train_idx))
    test = rng.permutation(np.concatenate(test_idx))
    order = np.concatenate([train, test])
    rows, cols = DIGITS_SHAPE
    return Dataset(
        name="digits",
        X=images.reshape(len(labels), rows * cols)[order].astype(np.float64) / 16.0,
        y=labels[order].astype(np.int64),
        task="classification",
        n_classes=10,
        n_train=int(train.size),
        feature_names=tuple(f"r{r}c{c}" for r in range(rows) for c in range(cols)),
        class_names=tuple(str(k) for k in range(10)),
        domain=None,
        image_shape=DIGITS_SHAPE,
    )
