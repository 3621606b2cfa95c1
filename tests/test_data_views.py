"""The views for data of every kind: the table of a small set, the confusion matrix, the digits panel, the colour
bar — each shows the right numbers for a constructed snapshot."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from visualizer.engine.data import Dataset
from visualizer.ui.colorbar import ColorBar
from visualizer.ui.confusion_view import ConfusionView, recall
from visualizer.ui.digits_view import DigitsView, mistakes_first
from visualizer.ui.table_view import TableView, table_rows


def gate_dataset() -> Dataset:
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return Dataset(name="xor_gate", X=X, y=np.array([0, 1, 1, 0]), task="classification", n_classes=2, n_train=3,
                   feature_names=("x1", "x2"), class_names=("0", "1"))


def snap_of(ds, **fields):
    base = dict(dataset=ds, task=ds.task, output="tanh", stats={}, n_classes=ds.n_classes)
    base.update(fields)
    return SimpleNamespace(**base)


# ---------------------------------------------------------------------------------------------------- table
def test_table_shows_inputs_target_output_and_verdict(qtbot):
    view = TableView()
    qtbot.addWidget(view)
    ds = gate_dataset()
    # tanh output: > 0 is class 1; row 3 (1, 0 -> 1) is wrong, row 4 is a test row and right
    view.update_snapshot(snap_of(ds, predictions=np.array([[-0.9], [0.8], [-0.2], [-0.7]])))
    assert [view.table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "set", "target", "output", "correct?", "x1", "x2"]
    assert view.cell_text(0, 0) == "train" and view.cell_text(3, 0) == "test"
    assert (view.cell_text(2, 4), view.cell_text(2, 5), view.cell_text(2, 1)) == ("1", "0", "1")
    assert view.cell_text(2, 2).startswith("0 (")
    assert [view.cell_text(r, 3) for r in range(4)] == ["✓", "✓", "✗", "✓"]
    assert view.verdicts == [True, True, False, True]
    assert "3 of 4 right" in view.caption.text()
    # the next snapshot fixes row 3: only the texts change
    view.update_snapshot(snap_of(ds, predictions=np.array([[-0.9], [0.8], [0.6], [-0.7]])))
    assert view.cell_text(2, 3) == "✓" and "4 of 4 right" in view.caption.text()


def test_table_softmax_and_regression_rows():
    ds = Dataset(name="t", X=np.eye(3), y=np.array([0, 1, 2]), task="classification", n_classes=3, n_train=3,
                 feature_names=("a", "b", "c"), class_names=("setosa", "versicolor", "virginica"))
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.0, 0.1, 0.9]])
    _, rows, verdicts = table_rows(snap_of(ds, output="softmax", predictions=probs))
    assert rows[0][2] == "setosa (70 %)" and rows[1][2] == "virginica (60 %)"
    assert verdicts == [True, False, True]
    reg = Dataset(name="r", X=np.zeros((2, 3)), y=np.array([1.0, 3.0]), task="regression", n_classes=0,
                  n_train=2, feature_names=("a", "b", "c"))
    header, rows, verdicts = table_rows(snap_of(reg, output="linear", predictions=np.array([1.1, 2.0])))
    assert header[3] == "error" and rows[0][2] == "1.1" and rows[1][3] == "-1"
    assert verdicts == [True, False]
    # no predictions yet (or for another data set): no verdicts, no crash
    _, rows, verdicts = table_rows(snap_of(reg, predictions=np.zeros(5)))
    assert verdicts == [None, None] and rows[0][2] == "…"


# ---------------------------------------------------------------------------------------------------- confusion
def test_confusion_view_counts_and_recall(qtbot):
    view = ConfusionView()
    qtbot.addWidget(view)
    ds = Dataset(name="blobs", X=np.zeros((3, 2)), y=np.array([0, 1, 2]), task="classification", n_classes=3,
                 n_train=3, feature_names=("x1", "x2"))
    matrix = np.array([[8, 2, 0], [1, 9, 0], [0, 5, 5]])
    view.update_snapshot(snap_of(ds, confusion=matrix))
    assert [view.cell_text(0, c) for c in range(4)] == ["8", "2", "0", "80 %"]
    assert [view.cell_text(2, c) for c in range(4)] == ["0", "5", "5", "50 %"]
    assert view.cell_text(1, 3) == "90 %"
    assert view.table.horizontalHeaderItem(3).text() == "recall"
    assert view.table.verticalHeaderItem(0).text() == "class 1"
    assert "30 test examples" in view.caption.text() and "accuracy 73.3 %" in view.caption.text()
    # from the trainer's statistics too; a class without examples has no recall
    view.update_snapshot(snap_of(ds, stats={"confusion": np.array([[0, 0, 0], [0, 4, 1], [0, 0, 3]])}))
    assert view.cell_text(0, 3) == "—" and view.cell_text(1, 3) == "80 %"
    np.testing.assert_allclose(recall(np.array([[1.0, 1.0], [0.0, 2.0]])), [0.5, 1.0])
    # regression: no matrix, says why
    reg = Dataset(name="r", X=np.zeros((2, 2)), y=np.zeros(2), task="regression", n_classes=0, n_train=2,
                  feature_names=("x1", "x2"))
    view.update_snapshot(snap_of(reg))
    assert view.table.rowCount() == 0 and "regression" in view.caption.text()


# ---------------------------------------------------------------------------------------------------- digits
def digit_dataset(n_test=6) -> Dataset:
    rng = np.random.default_rng(0)
    n = 4 + n_test
    X = rng.integers(0, 17, size=(n, 64)).astype(float)
    y = np.arange(n) % 10
    return Dataset(name="digits", X=X, y=y, task="classification", n_classes=10, n_train=4,
                   feature_names=tuple(f"p{i}" for i in range(64)))


def test_mistakes_first_order():
    y = np.array([0, 1, 2, 3])
    probs = np.full((4, 4), 0.05)
    probs[0, 0] = 0.85  # right, sure
    probs[1, 1] = 0.40  # right, unsure
    probs[2, 0] = 0.60  # wrong at 60 %
    probs[3, 1] = 0.95  # wrong at 95 %
    assert list(mistakes_first(probs, y)) == [3, 2, 1, 0]


def test_digits_view_orders_mistakes_first_and_paints(qtbot):
    view = DigitsView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    ds = digit_dataset()
    y = np.asarray(ds.y_test)
    probs = np.full((len(y), 10), 0.01)
    probs[np.arange(len(y)), y] = 0.91
    probs[4] = 0.01
    probs[4, (y[4] + 1) % 10] = 0.91  # one mistake
    view.update_snapshot(snap_of(ds, test_probabilities=probs))
    assert view.n_wrong == 1 and view.order[0] == 4
    assert view._images.shape == (len(y), 8, 8)
    assert view.visible_cells() == len(y)
    image = view.grab().toImage()
    assert not image.isNull()
    # probabilities that do not match the test set are ignored, not drawn wrongly
    view.update_snapshot(snap_of(ds, test_probabilities=probs[:3]))
    assert view.visible_cells() == 0


# ---------------------------------------------------------------------------------------------------- colour bar
def test_colorbar_range_and_labels(qtbot):
    bar = ColorBar()
    qtbot.addWidget(bar)
    bar.set_range(-2.0, 6.0, "target")
    assert bar.levels() == (-2.0, 6.0)
    assert bar.labels() == ["-2", "2", "6"]
    bar.resize(60, 200)
    bar.show()
    qtbot.waitExposed(bar)
    assert not bar.grab().toImage().isNull()


@pytest.mark.parametrize("low, high", [(float("nan"), 1.0), (-1e300, 1e300)])
def test_colorbar_labels_are_bounded(qtbot, low, high):
    bar = ColorBar()
    qtbot.addWidget(bar)
    bar.set_range(low, high)
    assert all(len(t) <= 12 for t in bar.labels())


# ---------------------------------------------------------------------------------------------------- regression map
def test_regression_map_has_a_colour_bar_with_the_targets_range(qtbot):
    from visualizer.engine.experiment import Config, build
    from visualizer.training.snapshot import Snapshot
    from visualizer.ui.boundary_view import BoundaryView, scaled_signed

    view = BoundaryView()
    qtbot.addWidget(view)
    view.resize(420, 380)
    view.show()
    qtbot.waitExposed(view)
    snap = Snapshot.of(build(Config(dataset="reg_plane"), grid_resolution=30))
    view.update_snapshot(snap)
    y = np.asarray(snap.dataset.y_train)
    m = float(np.abs(y).max())
    assert view.colorbar.isVisible()
    assert view.colorbar.levels() == pytest.approx((-m, m))  # both signs: symmetric, grey is 0
    # the map is the output on that scale
    expected = np.clip(scaled_signed(snap.grid.output[0], -m, m), -1, 1)
    np.testing.assert_allclose(view.image_data(), expected, atol=1e-6)
    # points are coloured by their target: the largest target gets the scale's top colour
    brushes = [b.color().getRgb()[:3] for b in view.train_points.data["brush"]]
    top = int(np.argmax(y))
    from visualizer.ui import colors
    assert brushes[top] == tuple(int(c) for c in colors.PLAYGROUND_LUT[-1][:3])
    # a classification has no colour bar
    view.update_snapshot(Snapshot.of(build(Config(dataset="circle"), grid_resolution=30), generation=2))
    assert not view.colorbar.isVisible()


def test_regression_range_of_positive_targets_is_their_own():
    from visualizer.ui.boundary_view import regression_range

    assert regression_range([10.0, 30.0, 20.0]) == (10.0, 30.0)
    assert regression_range([5.0, 5.0]) == (4.0, 6.0)
    assert regression_range([np.nan, -2.0, 1.0]) == (-2.0, 2.0)
    assert regression_range([]) == (-1.0, 1.0)


def test_loss_view_shows_rmse_and_r2_for_regression(qtbot):
    from visualizer.engine.experiment import Config, build
    from visualizer.training.snapshot import Snapshot
    from visualizer.ui.loss_view import LossView, r_squared

    exp = build(Config(dataset="reg_plane", hidden=(4,)), grid_resolution=20)
    exp.trainer.run(5)
    snap = Snapshot.of(exp)
    y = np.asarray(snap.dataset.y_test)
    rmse = snap.last("test_metric")
    expected = 1.0 - rmse**2 / np.var(y)
    if getattr(snap, "r2", None) is None:
        assert r_squared(snap) == pytest.approx(expected)
    view = LossView()
    qtbot.addWidget(view)
    view.update_snapshot(snap)
    text = view.summary_text()
    assert "Test RMSE" in text and "Test R²" in text
    from visualizer.ui.numbers import format_number
    assert format_number(r_squared(snap)) in text
    # classification: no R²
    circle = Snapshot.of(build(Config(), grid_resolution=20), generation=2)
    view.update_snapshot(circle)
    assert "R²" not in view.summary_text() and np.isnan(r_squared(circle))


def test_digits_view_shows_first_layer_weights_as_images(qtbot):
    from visualizer.ui import colors

    view = DigitsView()
    qtbot.addWidget(view)
    view.resize(360, 420)
    view.show()
    qtbot.waitExposed(view)
    ds = digit_dataset()
    w0 = np.zeros((64, 3))
    w0[9, 1] = 2.0  # neuron 2 looks for ink at row 1, column 1
    w0[63, 2] = -1.0
    probs = np.full((len(ds.y_test), 10), 0.1)
    view.update_snapshot(snap_of(ds, test_probabilities=probs, sizes=(64, 3, 10),
                                 weights=(w0, np.zeros((3, 10)))))
    images = view.weight_images
    assert images.shape == (3, 8, 8, 4)
    assert tuple(images[1, 1, 1, :3]) == tuple(colors.PLAYGROUND_LUT[-1][:3])  # the largest weight: full blue
    assert tuple(images[2, 7, 7, :3]) == tuple(colors.colorize_diverging(np.array(-0.5))[:3])
    assert tuple(images[0, 0, 0, :3]) == tuple(colors.PLAYGROUND_LUT[128][:3])  # zero: neutral
    # the weights keep their room below the digits
    assert view._weights_height() > 0 and view.visible_cells() <= (420 - 18 - view._weights_height()) // 64 * 4
    assert not view.grab().toImage().isNull()


def test_many_classes_each_region_in_its_class_colour_lighter_when_unsure():
    from visualizer.ui import colors
    from visualizer.ui.boundary_view import CLASS_STRENGTH, class_blend

    k = 5
    probs = np.full((k, 1, 4), 0.0)
    probs[3, 0, 0] = 1.0  # sure of class 4
    probs[:, 0, 1] = [0.1, 0.1, 0.1, 0.6, 0.1]  # class 4, less sure
    probs[:, 0, 2] = 1 / k  # no idea
    probs[:, 0, 3] = [0.45, 0.55, 0.0, 0.0, 0.0]  # a boundary between classes 1 and 2: class 2's colour, light
    rgb = class_blend(probs, discretize=False).astype(float)
    grey = np.array(colors.hex_to_rgb(colors.GREY), dtype=float)
    c4, c2 = colors.class_rgb(k)[3], colors.class_rgb(k)[1]
    np.testing.assert_allclose(rgb[0, 0], np.round(grey + CLASS_STRENGTH * (c4 - grey)))
    np.testing.assert_allclose(rgb[0, 1], np.round(grey + CLASS_STRENGTH * 0.5 * (c4 - grey)))
    np.testing.assert_allclose(rgb[0, 2], np.round(grey))
    share = (0.55 - 0.2) / 0.8
    np.testing.assert_allclose(rgb[0, 3], np.round(grey + CLASS_STRENGTH * share * (c2 - grey)))
