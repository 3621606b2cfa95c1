"""Loss-view benchmark: one redraw (``LossView.update_snapshot`` plus the repaint) at 1k, 1M and 10M epochs.

Run ``python benchmarks/loss_view.py`` (offscreen by default; ``--sizes 1000,1000000`` to choose). For each
history length the view first draws the whole history once (the envelope pyramid is folded then: O(n), reported
as ``first_ms``), then training is simulated: every frame appends ``--per-frame`` epochs (default 100) and the
view redraws and repaints. The median of those frames is ``frame_ms``: drawing must cost the same at 10M epochs
as at 1,000 (before decimation it was 70 ms at 1M and 254 ms at 4M). Prints the machine first and one JSON
object as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PyQt6.QtWidgets import QApplication

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from _machine import machine, short

from visualizer.training.snapshot import Snapshot
from visualizer.ui.loss_view import LossView


def history_buffers(n: int, extra: int) -> np.ndarray:
    """Append-only storage like the trainer's: rows loss, test loss, metric, test metric; a decaying noisy loss."""
    rng = np.random.default_rng(0)
    total = n + extra
    data = np.empty((4, total))
    t = np.arange(total, dtype=np.float64)
    data[0] = np.exp(-t / max(total / 5, 1)) + 0.02 * rng.random(total)
    data[1] = data[0] * 1.1
    data[2] = 1.0 - data[0] / 2
    data[3] = data[2] * 0.98
    return data


def snapshot(data: np.ndarray, n: int, serial: int) -> Snapshot:
    block = data[:, :n]
    history = dict(zip(("train_loss", "test_loss", "train_metric", "test_metric"), block, strict=True))
    return Snapshot(serial=serial, generation=1, epoch=n, steps=n, sizes=(2, 1), activations=(), output="tanh",
                    loss_name="square", feature_names=("x1", "x2"), weights=(), biases=(), grid=None,
                    history=history, running=False, stats={"grad_norm": [0.1]})


def bench(n: int, frames: int, per_frame: int, log: bool) -> dict:
    app = QApplication.instance() or QApplication([])
    data = history_buffers(n, frames * per_frame)
    view = LossView()
    view.resize(480, 320)
    view.show()
    view.set_log_scale(log)
    app.processEvents()
    t0 = time.perf_counter()
    view.update_snapshot(snapshot(data, n, 1))
    app.processEvents()
    view.repaint()
    first = time.perf_counter() - t0
    times, points = [], 0
    for i in range(frames):
        m = n + (i + 1) * per_frame
        t0 = time.perf_counter()
        view.update_snapshot(snapshot(data, m, i + 2))
        view.repaint()
        app.processEvents()
        times.append(time.perf_counter() - t0)
        points = max(points, max(len(c.getData()[0]) for c in (view.train_curve, view.test_curve)))
    view.close()
    return {"epochs": n, "log": log, "first_ms": round(1000 * first, 2),
            "frame_ms": round(1000 * float(np.median(times)), 2),
            "frame_ms_max": round(1000 * float(np.max(times)), 2), "points_per_curve": points}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000,10000000", help="comma-separated history lengths")
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--per-frame", type=int, default=100, help="epochs appended between frames")
    args = parser.parse_args()
    info = machine()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        for log in (False, True):
            row = bench(n, args.frames, args.per_frame, log)
            rows.append(row)
            print(f"{n:>10,} epochs  {'log' if log else 'linear':6}  first draw {row['first_ms']:8.2f} ms   "
                  f"redraw median {row['frame_ms']:6.2f} ms (max {row['frame_ms_max']:6.2f})   "
                  f"{row['points_per_curve']} points/curve", flush=True)
    print(json.dumps({"benchmark": "loss_view", "machine": short(info), "machine_info": info, "results": rows}))


if __name__ == "__main__":
    main()
