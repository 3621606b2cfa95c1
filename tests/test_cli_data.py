"""The command line for data of every kind: every picker name, a CSV file with its options, a function, the number
of points and classes; bad input gives one line naming the problem and exit 2; a --screenshot run ends with one
summary line."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from visualizer.cli import parse
from visualizer.engine.data import DATASETS
from visualizer.engine.data.generators import cli_name
from visualizer.engine.experiment import build
from visualizer.screenshot import summary_line


def run(*args, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        parse(list(argv))
    assert exc.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nn-visualizer: error: argument "), lines
    return lines[0]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_picker_name_is_accepted(name):
    _args, config, _ = parse(["--dataset", cli_name(name)])
    assert config.dataset == name
    assert parse(["--dataset", name])[1].dataset == name  # the engine's spelling too


def test_xor_table_and_iris_digits_by_name():
    assert parse(["--dataset", "xor-table"])[1].dataset == "xor_gate"
    assert parse(["--dataset", "iris"])[1].dataset == "iris"
    assert parse(["--dataset", "Digits"])[1].dataset == "digits"
    assert parse(["--dataset", "tutorial-000"])[1].dataset == "tutorial_000"


def write_csv(path, rows, header="a,b,c,label"):
    path.write_text(header + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n")
    return path


def test_csv_file_with_label_column_task_and_normalization(tmp_path):
    rng = np.random.default_rng(0)
    rows = [(*np.round(rng.normal(size=3), 3), k % 2) for k in range(40)]
    path = write_csv(tmp_path / "mine.csv", rows)
    args, config, _ = parse(["--data", str(path), "--label-column", "label", "--task", "classification",
                             "--normalize", "standard"])
    ds = args.dataset_object
    assert ds.n_samples == 40 and ds.n_features == 3 and ds.task == "classification"
    assert config.normalization == "standard" and config.dataset == ds.name
    exp = build(config, dataset=ds, grid_resolution=2)
    assert exp.network.sizes[0] == 3
    # regression on the same file, the label by number
    args, config, _ = parse(["--data", str(path), "--label-column", "0", "--task", "regression", "--normalize",
                             "minmax"])
    assert args.dataset_object.task == "regression" and args.dataset_object.feature_names == ("b", "c", "label")
    assert config.normalization == "minmax"


def test_function_points_and_classes():
    args, config, _ = parse(["--function", "x2 > sin(2*x1)", "--points", "300"])
    ds = args.dataset_object or build(config, grid_resolution=2).dataset
    assert ds.n_samples == 300 and ds.task == "classification" and ds.n_features == 2
    if args.dataset_object is None:  # the config makes it (and again on Regenerate)
        assert config.dataset == "function" and config.function == "x2 > sin(2*x1)" and config.n_points == 300
    args, config, _ = parse(["--function", "0.5*x1 - x2"])
    assert (args.dataset_object or build(config, grid_resolution=2).dataset).task == "regression"
    _, config, _ = parse(["--dataset", "blobs", "--classes", "5"])
    assert config.n_classes == 5
    args, config, _ = parse(["--dataset", "spiral", "--points", "1000"])
    if hasattr(config, "n_points"):
        assert config.n_points == 1000


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--dataset", "nope"], "--dataset"),
        (["--dataset", "function"], "--dataset"),
        (["--data", "/nonexistent/file.csv"], "--data"),
        (["--function", "__import__('os')"], "--function"),
        (["--function", "x1.real > 0"], "--function"),
        (["--function", "x3 > 0"], "--function"),
        (["--function", "x1 > " + "1+" * 5000 + "1"], "--function"),
        (["--function", "x1 > 100"], "--function"),  # false everywhere: one class only
        (["--points", "0"], "--points"),
        (["--points", "many"], "--points"),
        (["--points", "10000000"], "--points"),
        (["--classes", "1"], "--classes"),
        (["--dataset", "blobs", "--classes", "2"], "--classes"),
        (["--classes", "11"], "--classes"),
        (["--classes", "4"], "--classes"),  # not blobs
        (["--dataset", "iris", "--points", "100"], "--points"),
        (["--task", "regression"], "--task"),
        (["--label-column", "y"], "--label-column"),
        (["--task", "guess", "--data", "x.csv"], "--task"),
        (["--normalize", "zscore"], "--normalize"),
        (["--dataset", "iris", "--function", "x1 > 0"], "--function"),
    ],
)
def test_bad_data_options_give_one_line_and_exit_2(argv, option, capsys):
    line = refused(argv, capsys)
    assert line.startswith(f"nn-visualizer: error: argument {option}"), line


def test_malformed_csv_names_the_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,label\n1,2,0\n3,oops,1\n")
    line = refused(["--data", str(path)], capsys)
    assert "bad.csv" in line and ("line 3" in line or "row" in line), line
    line = refused(["--data", str(write_csv(tmp_path / "ok.csv", [(1, 2, 3, 0), (4, 5, 6, 1)])),
                    "--label-column", "missing"], capsys)
    assert "missing" in line


def test_bad_function_in_a_real_run():
    out = run("--function", "__import__('os').system('echo hi')")
    assert out.returncode == 2 and "hi" not in out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--function" in lines[0], out.stderr


class _Snap:
    def __init__(self, task, history, dataset=None, epoch=7):
        self.task, self.history, self.dataset, self.epoch = task, history, dataset, epoch

    def last(self, name):
        values = self.history.get(name)
        return float(values[-1]) if values is not None and len(values) else float("nan")


def test_summary_line():
    snap = _Snap("classification", {"train_loss": [0.5, 0.1], "test_loss": [0.6, 0.2], "test_metric": [0.5, 0.975]})
    assert summary_line(snap) == "epochs 7 · training loss 0.1 · test loss 0.2 · test accuracy 97.5 %"
    assert summary_line(None).startswith("epochs 0")


def test_screenshot_run_prints_the_summary_line(tmp_path):
    path = tmp_path / "reg.png"
    out = run("--screenshot", str(path), "--epochs", "5", "--dataset", "reg-plane", "--layers", "3", timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    assert lines[0].startswith("epochs 5 · training loss ") and " · test R² " in lines[0], lines[0]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
