"""Issue 9's data sets: names for the picker and the command line, the number of points, the digits."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from visualizer.engine.data import (
    DATASET_NAMES,
    POINTS_RANGE,
    cli_name,
    dataset_names,
    is_two_d,
    make_dataset,
    resolve_dataset_name,
)
from visualizer.engine.data.generators import MAX_SAMPLES
from visualizer.engine.data.tables import load_digits


def test_names_of_the_picker_and_the_command_line():
    for name in (
        "circle",
        "reg_plane",
        "iris",
        "digits",
        "xor_gate",
        "and",
        "or",
        "not",
        "tutorial_000",
        "tutorial_003",
    ):
        assert name in DATASET_NAMES
        assert resolve_dataset_name(cli_name(name)) == name
        assert resolve_dataset_name(name) == name
    assert cli_name("xor_gate") == "xor-table" and cli_name("tutorial_000") == "tutorial-000"
    assert resolve_dataset_name("XOR-Table") == "xor_gate" and resolve_dataset_name("xor") == "xor"
    assert resolve_dataset_name("function") == "function"
    with pytest.raises(ValueError, match="valid names are: circle"):
        resolve_dataset_name("cirkle")
    assert make_dataset("xor-table").name == "xor_gate"
    assert set(dataset_names("regression")) == {"reg_plane", "reg_gauss"}
    assert "iris" in dataset_names("classification") and "reg_plane" not in dataset_names("classification")
    assert dataset_names() == DATASET_NAMES
    with pytest.raises(ValueError):
        dataset_names("clustering")
    assert is_two_d(make_dataset("circle")) and not is_two_d(make_dataset("iris")) and not is_two_d(make_dataset("not"))


def test_number_of_points():
    lo, hi = POINTS_RANGE
    assert 2 <= lo < 500 < hi <= MAX_SAMPLES
    for name in ("circle", "spiral", "blobs", "reg_gauss"):
        for n in (lo, 777, hi):
            assert make_dataset(name, n_points=n).n_samples == n
    assert make_dataset("reg_plane").n_samples == 1200  # no count: the set's own default
    assert make_dataset("iris", n_points=10).n_samples == 150  # fixed sets ignore it
    with pytest.raises(ValueError, match="not both"):
        make_dataset("circle", n_points=10, n_samples=20)
    with pytest.raises(ValueError):
        make_dataset("circle", n_points=1)


def test_digits():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8 and images.max() == 16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    ds = make_dataset("digits", train_fraction=0.5, seed=0)
    assert ds.X.shape == (1797, 64) and ds.n_classes == 10 and ds.image_shape == (8, 8)
    assert ds.X.min() == 0.0 and ds.X.max() == 1.0
    assert ds.feature_names[:3] == ("r0c0", "r0c1", "r0c2") and ds.feature_names[-1] == "r7c7"
    assert ds.class_names == tuple("0123456789")
    # stratified: each digit split in half (rounded down)
    counts = np.bincount(labels)
    assert np.bincount(ds.y_train, minlength=10).tolist() == (counts // 2).tolist()
    # the rows are the shipped images, scaled
    row = ds.X[0].reshape(8, 8) * 16
    matches = np.flatnonzero((images == row).all(axis=(1, 2)))
    assert matches.size and labels[matches].tolist().count(ds.y[0]) == matches.size
    again = make_dataset("digits", train_fraction=0.5, seed=0)
    np.testing.assert_array_equal(again.X, ds.X)
    assert not np.array_equal(make_dataset("digits", seed=1).X, ds.X)
    with pytest.raises(ValueError, match="image_shape"):
        type(ds)("bad", ds.X, ds.y, "classification", 10, 5, ds.feature_names, ds.class_names, image_shape=(8, 7))


def test_digits_load_from_an_installed_wheel_layout(tmp_path):
    """In a wheel, resources/ is installed as visualizer/resources: the loader finds digits.npz there too."""
    import shutil

    import visualizer

    package = tmp_path / "visualizer"
    shutil.copytree(visualizer.__path__[0], package, ignore=shutil.ignore_patterns("__pycache__", "resources"))
    resources = tmp_path / "visualizer" / "resources"
    resources.mkdir()
    repo_resources = __import__("pathlib").Path(visualizer.__path__[0]).parent / "resources"
    for name in ("digits.npz", "iris.csv"):
        shutil.copy(repo_resources / name, resources / name)
    code = (
        "import visualizer, sys; assert visualizer.__file__.startswith(sys.argv[1]), visualizer.__file__; "
        "from visualizer.engine.data import make_dataset; ds = make_dataset('digits'); print(ds.n_samples)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1797"
