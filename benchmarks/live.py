"""Live-window benchmark: the real window, offscreen, training Playground's largest network while drawing.

Run ``python benchmarks/live.py [--seconds 12] [--switch-interval MS]``.

What it does: opens :class:`~visualizer.ui.main_window.MainWindow` on the offscreen platform with the
Playground-maximum network (all seven input features, six hidden layers of 8 tanh units, one output) training on
circle data, neuron thumbnails on, and lets it run. Every frame is the real pipeline: the frame timer draws the
newest snapshot in all views, has Qt paint the changed widgets at once (the offscreen platform paints into a
backing store like a screen's), and asks the worker for the next snapshot.

What it prints: per-phase timings, then as the last line one JSON object with ``median_frame_ms`` and
``p95_frame_ms`` (the time between consecutive frames, i.e. 1000 / frame rate), ``draw_ms`` (median time
spent drawing one frame in the GUI thread), ``frames_per_s`` and ``epochs_per_s`` (epochs trained per second
while drawing). Targets on a 2-core machine: median frame ≤ 20 ms, p95 ≤ 33 ms, epochs_per_s ≥ 100.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from visualizer.engine.experiment import Config  # noqa: E402
from visualizer.engine.features import FEATURES  # noqa: E402
from visualizer.ui.main_window import MainWindow  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--switch-interval", type=float, default=None, metavar="MS",
                        help="override sys.setswitchinterval (milliseconds) to compare")
    parser.add_argument("--layers", default="8,8,8,8,8,8")
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000.0)

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    hidden = tuple(int(h) for h in args.layers.split(","))
    config = Config(dataset="circle", features=tuple(FEATURES), hidden=hidden)
    win = MainWindow(config, use_settings=False)
    win.resize(1500, 900)
    win.show()

    draw_times: list[float] = []
    frame_at: list[float] = []

    original_frame = win._on_frame

    def timed_frame():
        serial = win._drawn_serial
        t0 = time.perf_counter()
        original_frame()
        if win._drawn_serial != serial:
            t1 = time.perf_counter()
            draw_times.append(t1 - t0)
            frame_at.append(t1)

    win._on_frame = timed_frame  # both the frame timer and snapshot arrival call it through the attribute
    win._timer.timeout.disconnect()
    win._timer.timeout.connect(timed_frame)
    # wait for the first snapshot, then train while drawing
    deadline = time.perf_counter() + 10
    while win.controller.latest is None and time.perf_counter() < deadline:
        app.processEvents()
    win.controller.play()
    warmup_end = time.perf_counter() + 1.0
    while time.perf_counter() < warmup_end:
        app.processEvents()
    start_snap = win.controller.latest
    draw_times.clear()
    frame_at.clear()
    t_start = time.perf_counter()
    end = t_start + args.seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)
    t_end = time.perf_counter()
    end_snap = win.controller.latest
    win.close()

    intervals = np.diff(np.array(frame_at)) * 1000.0
    draws = np.array(draw_times) * 1000.0
    epochs = end_snap.epoch - start_snap.epoch
    result = {
        "median_frame_ms": round(float(np.median(intervals)), 2),
        "p95_frame_ms": round(float(np.percentile(intervals, 95)), 2),
        "draw_ms": round(float(np.median(draws)), 2),
        "draw_p95_ms": round(float(np.percentile(draws, 95)), 2),
        "frames_per_s": round(len(frame_at) / (t_end - t_start), 1),
        "epochs_per_s": round(epochs / (t_end - t_start), 1),
        "steps_per_s": round((end_snap.steps - start_snap.steps) / (t_end - t_start), 1),
        "seconds": round(t_end - t_start, 1),
        "network": list(end_snap.sizes),
        "switch_interval_ms": sys.getswitchinterval() * 1000.0,
    }
    print(f"frames: {len(frame_at)}  frame interval median {result['median_frame_ms']} ms, "
          f"p95 {result['p95_frame_ms']} ms; drawing median {result['draw_ms']} ms, p95 {result['draw_p95_ms']} ms")
    print(f"training while drawing: {result['epochs_per_s']} epochs/s, {result['steps_per_s']} steps/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
