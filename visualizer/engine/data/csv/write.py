"""Writing a data set as a CSV file that :func:`~.read.read_csv` reads back."""

from __future__ import annotations

import csv
import os
from typing import IO

from ..dataset import Dataset
from .common import SPLIT_COLUMN


def write_csv(dataset: Dataset, path: str | os.PathLike[str] | IO[str]) -> None:
    """Write a data set as a UTF-8, comma-separated CSV file that :func:`read_csv` reads back.

    Parameters
    ----------
    dataset : Dataset
        The data to write, all ``n`` rows in order (training rows first), each marked ``train`` or ``test`` in a
        ``split`` column before the label.
    path : str, path-like or text file object
        Where to write; an existing file is replaced.

    Notes
    -----
    The header row is the feature names followed by ``split`` and ``label``. Features are written with Python's shortest
    round-trip float repr, so they read back exactly. Class labels are written as their class names;
    regression targets as numbers. Reading the file back with ``read_csv(path, task=dataset.task,
    class_names=dataset.class_names or None, shuffle=False)`` gives the same ``X``, ``y``, split, feature names and
    class names; without ``class_names`` the classes come back in sorted order (e.g. ``("blue", "orange")``
    for ``("orange", "blue")``), each point keeping its class name.
    """
    header = [*dataset.feature_names, SPLIT_COLUMN, "label"]
    if dataset.is_classification:
        labels = [dataset.class_names[k] for k in dataset.y.tolist()]
    else:
        labels = [repr(v) for v in dataset.y.tolist()]
    n_train = dataset.n_train
    rows = (
        [*map(repr, x), "train" if i < n_train else "test", label]
        for i, (x, label) in enumerate(zip(dataset.X.tolist(), labels, strict=True))
    )

    def _write(f: IO[str]) -> None:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    if isinstance(path, (str, os.PathLike)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            _write(f)
    else:
        _write(path)
