"""Frame-cost benchmark: the GUI thread's CPU time to draw and paint one frame of the whole window, no training.

Run ``python benchmarks/frame_cost.py`` (offscreen by default; ``--layers 64,64,…`` for another network,
``--size WxH`` for the window). Forty snapshots, one per training epoch of the network (new weights, maps, loss
on every frame), are drawn in turn the way the window draws them — :meth:`MainWindow.draw`, then Qt's posted
events (the repaint) — paced at 60 frames/s. What is timed is the GUI thread's CPU clock, so the figure does not
depend on what else the machine runs, unlike ``live.py``'s frame rate: it is the budget a frame takes from the
core the window shares with training.

Prints the machine, the median and 95th percentile CPU ms per frame (draw and paint apart), and the paint events
that cost most per frame; the last line is JSON.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("NN_VISUALIZER_INPROCESS", "1")  # the window's own training stays paused: no child needed

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent))
sys.path.insert(0, str(_HERE))

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from _machine import machine  # noqa: E402
from PyQt6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from visualizer.engine.experiment import Config, build  # noqa: E402
from visualizer.engine.features import FEATURES  # noqa: E402
from visualizer.training.snapshot import Snapshot  # noqa: E402

_WATCHED = (QEvent.Type.Paint, QEvent.Type.UpdateRequest, QEvent.Type.LayoutRequest)


class _App(QApplication):
    """Counts the CPU time of paint, update and layout events by receiver class (an event inside another counts
    in both: an update request holds the paint events it sends)."""

    def __init__(self, argv):
        super().__init__(argv)
        self.costs: dict[str, float] = collections.defaultdict(float)
        self.counting = False

    def notify(self, obj, event):
        if not self.counting or event.type() not in _WATCHED:
            return super().notify(obj, event)
        t0 = time.thread_time()
        try:
            return super().notify(obj, event)
        finally:
            self.costs[f"{event.type().name} {type(obj).__name__}"] += time.thread_time() - t0


def snapshots(hidden: tuple[int, ...], n_features: int, dataset: str, count: int = 40) -> list[Snapshot]:
    exp = build(Config(dataset=dataset, features=tuple(FEATURES)[:n_features], hidden=hidden, learning_rate=0.03))
    out = []
    for i in range(count):
        exp.trainer.run_epoch()
        out.append(Snapshot.of(exp, serial=10_000 + i, running=True, epochs_per_s=800.0, steps_per_s=20_000.0))
    return out


def run(hidden=(8, 8, 8, 8, 8, 8), n_features: int = 7, size=(1500, 900), frames: int = 300,
        dataset: str = "circle") -> dict:
    app = QApplication.instance() or _App([])
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    from visualizer.ui.main_window import MainWindow

    snaps = snapshots(tuple(hidden), n_features, dataset)
    win = MainWindow(Config(dataset=dataset, features=tuple(FEATURES)[:n_features], hidden=tuple(hidden)),
                     use_settings=False)
    win.resize(*size)
    win.show()
    deadline = time.perf_counter() + 3.0
    while win.controller.latest is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    draws, paints = [], []
    counting = isinstance(app, _App)
    for i in range(frames + 20):
        if i == 20 and counting:
            app.costs.clear()
            app.counting = True
        snap = dataclasses.replace(snaps[i % len(snaps)], serial=10_000 + i)
        w0 = time.perf_counter()
        c0 = time.thread_time()
        win.draw(snap)
        c1 = time.thread_time()
        QCoreApplication.sendPostedEvents()
        app.processEvents()
        c2 = time.thread_time()
        if i >= 20:
            draws.append(1000 * (c1 - c0))
            paints.append(1000 * (c2 - c1))
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - w0)))
    if counting:
        app.counting = False
    win.close()
    app.processEvents()
    total = np.add(draws, paints)
    costs = getattr(app, "costs", {})
    top = sorted(costs.items(), key=lambda kv: -kv[1])[:8]
    return {
        "network": [n_features, *hidden, 1],
        "size": list(size),
        "frames": frames,
        "cpu_ms_per_frame": round(float(np.median(total)), 2),
        "cpu_ms_per_frame_p95": round(float(np.percentile(total, 95)), 2),
        "draw_cpu_ms": round(float(np.median(draws)), 2),
        "paint_cpu_ms": round(float(np.median(paints)), 2),
        "events_ms_per_frame": {k: round(1000 * v / frames, 3) for k, v in top},
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="8,8,8,8,8,8", help="hidden layer sizes (default: 6 × 8)")
    parser.add_argument("--features", type=int, default=7, help="input features (default: all seven)")
    parser.add_argument("--size", default="1500x900", help="window size WxH")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--dataset", default="circle")
    args = parser.parse_args(argv)
    hidden = tuple(int(x) for x in args.layers.split(",") if x.strip())
    w, h = (int(v) for v in args.size.lower().split("x"))
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores; numpy {info['numpy']}, "
          f"dispatch in use: {' '.join(info['simd']['dispatch_in_use'])}")
    result = run(hidden, args.features, (w, h), args.frames, args.dataset)
    print(f"network {result['network']}, window {w}x{h}, {args.frames} frames at 60 frames/s")
    print(f"GUI CPU per frame: median {result['cpu_ms_per_frame']} ms (draw {result['draw_cpu_ms']}, "
          f"paint {result['paint_cpu_ms']}), p95 {result['cpu_ms_per_frame_p95']} ms")
    print("costliest events, CPU ms per frame: "
          + ", ".join(f"{k} {v}" for k, v in result["events_ms_per_frame"].items()))
    result["machine"] = info
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
