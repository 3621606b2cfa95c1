"""Network-view benchmark: :meth:`NetworkView.update_snapshot` and the repaint alone, without training.

Run ``python benchmarks/network_view.py`` (offscreen by default). Prints, for Playground's largest network and for
10 hidden layers of 64, the median update, the median repaint and the mean and worst GUI work per frame. The
figures quoted in :mod:`visualizer.ui.network_view` come from this script.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from visualizer.engine.experiment import Config, build  # noqa: E402
from visualizer.engine.features import FEATURES  # noqa: E402
from visualizer.training.snapshot import Snapshot  # noqa: E402
from visualizer.ui.network_view import NetworkView  # noqa: E402


def bench(hidden=(8, 8, 8, 8, 8, 8), n_features: int = 7, frames: int = 200, size=(900, 600)) -> float:
    """Time :meth:`NetworkView.update_snapshot` and the repaint, with new weights and maps on every frame.

    Forty snapshots, one per training epoch (so every frame changes weights, maps and some synapse bins), are
    drawn in turn, paced at 50 frames/s as the window does. Prints the median update, the median repaint (event
    processing after the update) and the mean and worst GUI work per frame; returns the median update in ms.
    """
    app = QApplication.instance() or QApplication([])
    exp = build(Config(features=tuple(FEATURES)[:n_features], hidden=tuple(hidden), learning_rate=0.03))
    net = exp.network
    snaps = []
    for i in range(40):
        exp.trainer.run_epoch()
        snaps.append(Snapshot.of(exp, serial=i + 1))
    view = NetworkView()
    view.resize(*size)
    view.show()
    app.processEvents()
    view.update_snapshot(snaps[0])
    app.processEvents()
    updates, paints, totals = [], [], []
    for i in range(frames):
        t0 = time.perf_counter()
        view.update_snapshot(snaps[i % len(snaps)])
        t1 = time.perf_counter()
        app.processEvents()  # the repaint (and the dense re-bin timer) happen here, as in the window
        t2 = time.perf_counter()
        updates.append(t1 - t0)
        paints.append(t2 - t1)
        totals.append(t2 - t0)
        time.sleep(max(0.0, 0.02 - (time.perf_counter() - t0)))
    update_ms = 1000 * float(np.median(updates))
    print(
        f"sizes {list(net.sizes)}: update_snapshot median {update_ms:.2f} ms, "
        f"repaint median {1000 * np.median(paints):.2f} ms, "
        f"all GUI work per frame mean {1000 * np.mean(totals):.2f} ms, max {1000 * np.max(totals):.1f} ms"
    )
    view.close()
    return update_ms


if __name__ == "__main__":
    bench()
    bench(hidden=(64,) * 10, n_features=2, frames=100)
