"""Soak test: 1,000,000 training steps with the real window live; memory and frame cost must not grow.

Run ``python benchmarks/soak.py [--steps 1000000] [--window 10] [--layers 4,2]``.

What it does: opens :class:`~visualizer.ui.main_window.MainWindow` on the offscreen platform (default experiment:
Playground's circle, hidden layers 4, 2, batch 10), sets the speed to "as fast as possible", presses play and
runs the real event loop (``app.exec()``) with the app's own frame timer until the worker reports
``--steps`` gradient steps. Every frame the window draws is timed (GUI-thread time to draw the snapshot in every
view and paint it, plus the interval between frames).

Samples: resident memory (``/proc/self/statm``) after a warm-up (first ``--window`` (5) seconds of training) and
after the last step; frame costs over the first ``--window`` seconds after the warm-up and over the last
``--window`` seconds before the last step.

Prints the machine (``_machine.py``), progress lines, then as the **last line** one JSON object:

* ``steps`` — gradient steps trained; ``epochs``; ``seconds`` of training;
* ``rss_start_mb``, ``rss_end_mb``, ``rss_growth_mb`` (target ≤ 20);
* ``median_frame_ms_start``, ``median_frame_ms_end`` (target: end ≤ 1.1 × start) — GUI-thread milliseconds of a
  drawn frame (all views updated and painted), the cost that would grow if a history were redrawn in full;
* ``median_frame_cpu_ms_start``/``_end`` — the same frames' GUI-thread CPU time (``time.thread_time``): steady
  when other jobs share the machine (``load_average`` says whether they did);
* ``p95_frame_ms_start``/``_end`` and ``median_interval_ms_start``/``_end`` (time between frames; the frame
  timer caps it at ≥ 16 ms, so it hides growth below that);
* ``view_update_ms_start``/``_end`` — median ``update_snapshot`` milliseconds per view (network, output, loss),
  to tell which one grows;
* ``ok`` — both targets met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PyQt6.QtCore import QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from visualizer.engine.experiment import Config  # noqa: E402
from visualizer.ui.main_window import MainWindow  # noqa: E402


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux ``/proc``; else the peak from ``resource``)."""
    try:
        with open("/proc/self/statm") as f:
            resident = int(f.read().split()[1])
        return resident * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _fallback_machine() -> str:
    """CPU model, cores, Python, numpy with its SIMD features and BLAS (used if ``_machine.py`` is absent)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    simd, blas = "?", "?"
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__

        found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
        simd = f"baseline {' '.join(__cpu_baseline__)}; dispatch {' '.join(found)}"
    except ImportError:
        pass
    try:
        config = np.show_config(mode="dicts")
        info = config.get("Build Dependencies", {}).get("blas", {})
        blas = f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        pass
    return (f"machine: {cpu}; {os.cpu_count()} cores; Python {platform.python_version()}; numpy {np.__version__}; "
            f"SIMD {simd}; BLAS {blas}")


def describe_machine() -> dict | str:
    """Print the machine; ``benchmarks/_machine.py`` (shared by the benchmarks) if present, else a short line."""
    try:
        from _machine import machine  # benchmarks/ is on sys.path
    except ImportError:
        line = _fallback_machine()
        print(line, flush=True)
        return line
    info = machine()  # prints its block
    sys.stdout.flush()
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--window", type=float, default=5.0, help="seconds of warm-up and of each measuring window")
    parser.add_argument("--layers", default="4,2")
    parser.add_argument("--timeout", type=float, default=3600.0, help="give up after this many seconds")
    args = parser.parse_args()

    machine_info = describe_machine()
    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    hidden = tuple(int(h) for h in args.layers.split(",") if h.strip())
    win = MainWindow(Config(hidden=hidden), use_settings=False)
    win.resize(1366, 768)
    win.show()

    frames: list[tuple[float, float, float]] = []  # (end time, GUI-thread wall ms, GUI-thread CPU ms)
    original_frame = win._on_frame

    def timed_frame():
        serial = win._drawn_serial
        t0, c0 = time.perf_counter(), time.thread_time()
        original_frame()
        if win._drawn_serial != serial:
            t1 = time.perf_counter()
            frames.append((t1, (t1 - t0) * 1000.0, (time.thread_time() - c0) * 1000.0))

    view_times: dict[str, list[tuple[float, float]]] = {}  # per view: (end time, ms of update_snapshot)
    for name in ("network_view", "boundary_view", "loss_view"):
        view = getattr(win, name, None)
        if view is None or not hasattr(view, "update_snapshot"):
            continue
        view_times[name] = []

        def timed_update(snap, _original=view.update_snapshot, _log=view_times[name]):
            t0 = time.perf_counter()
            _original(snap)
            t1 = time.perf_counter()
            _log.append((t1, (t1 - t0) * 1000.0))

        view.update_snapshot = timed_update  # the window calls it through the attribute

    win._on_frame = timed_frame  # the window calls it through the attribute when a snapshot arrives
    win._timer.timeout.disconnect()
    win._timer.timeout.connect(timed_frame)

    state = {"started": None, "warm": None, "rss_start": None, "done": None, "last_print": 0.0, "epoch0": 0}
    t_launch = time.perf_counter()

    def fastest() -> None:
        speed = getattr(win.hyper_toolbar, "speed", None)
        if speed is not None and speed.findData(0) >= 0:
            speed.setCurrentIndex(speed.findData(0))  # the control, as a user would
        win.controller.set_speed(0)

    def tick() -> None:
        now = time.perf_counter()
        snap = win.controller.latest
        if now - t_launch > args.timeout:
            print(f"timeout after {args.timeout:.0f} s", flush=True)
            state["done"] = now
            app.quit()
            return
        if snap is None:
            return
        if state["started"] is None:
            fastest()
            win.controller.play()
            state["started"] = now
            state["epoch0"] = snap.epoch
            return
        if not win.controller.is_alive():
            print("training thread died", flush=True)
            state["done"] = now
            app.quit()
            return
        if not win.controller.is_running() and snap.steps < args.steps:
            print(f"training stopped by itself at step {snap.steps}; pressing play again", flush=True)
            win.controller.play()
        if state["warm"] is None and now - state["started"] >= args.window:
            state["warm"] = now
            state["rss_start"] = rss_mb()
        if now - state["last_print"] >= 15:
            state["last_print"] = now
            print(f"{now - state['started']:7.1f} s  steps {snap.steps:>9,}  epoch {snap.epoch:>7,}  "
                  f"rss {rss_mb():7.1f} MB  frames {len(frames)}", flush=True)
        if snap.steps >= args.steps:
            state["done"] = now
            app.quit()

    sampler = QTimer()
    sampler.timeout.connect(tick)
    sampler.start(50)
    app.exec()
    sampler.stop()

    snap = win.controller.latest
    rss_end = rss_mb()
    t_done = state["done"] or time.perf_counter()
    win.close()
    if state["warm"] is None or snap is None:
        print(json.dumps({"steps": 0 if snap is None else snap.steps, "ok": False, "error": "did not warm up"}))
        return 1

    t = np.array([f[0] for f in frames])
    ms = np.array([f[1] for f in frames])
    cpu = np.array([f[2] for f in frames])
    first = (t >= state["warm"]) & (t < state["warm"] + args.window)
    last = t >= t_done - args.window

    def stats(mask):
        times, cost = t[mask], ms[mask]
        intervals = np.diff(times) * 1000.0
        return (float(np.median(cost)) if cost.size else float("nan"),
                float(np.percentile(cost, 95)) if cost.size else float("nan"),
                float(np.median(intervals)) if intervals.size else float("nan"), int(cost.size),
                float(np.median(cpu[mask])) if cost.size else float("nan"))

    m0, p0, i0, n0, c0 = stats(first)
    m1, p1, i1, n1, c1 = stats(last)
    growth = rss_end - state["rss_start"]

    def view_medians(t_from: float, t_to: float) -> dict:
        out = {}
        for name, log in view_times.items():
            cost = [ms for t_end, ms in log if t_from <= t_end < t_to]
            out[name] = round(float(np.median(cost)), 2) if cost else None
        return out

    result = {
        "steps": int(snap.steps),
        "epochs": int(snap.epoch),
        "seconds": round(t_done - state["started"], 1),
        "network": list(snap.sizes),
        "rss_start_mb": round(state["rss_start"], 1),
        "rss_end_mb": round(rss_end, 1),
        "rss_growth_mb": round(growth, 1),
        "median_frame_ms_start": round(m0, 2),
        "median_frame_ms_end": round(m1, 2),
        "p95_frame_ms_start": round(p0, 2),
        "p95_frame_ms_end": round(p1, 2),
        "median_frame_cpu_ms_start": round(c0, 2),
        "median_frame_cpu_ms_end": round(c1, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "median_interval_ms_start": round(i0, 2),
        "median_interval_ms_end": round(i1, 2),
        "view_update_ms_start": view_medians(state["warm"], state["warm"] + args.window),
        "view_update_ms_end": view_medians(t_done - args.window, float("inf")),
        "frames_start": n0,
        "frames_end": n1,
        "ok": bool(snap.steps >= args.steps and growth <= 20.0 and m1 <= 1.1 * m0),
        "machine": machine_info,
    }
    print(f"trained {result['steps']:,} steps ({result['epochs']:,} epochs) in {result['seconds']} s; "
          f"RSS {result['rss_start_mb']} → {result['rss_end_mb']} MB; frame {m0:.2f} → {m1:.2f} ms (median), "
          f"{p0:.2f} → {p1:.2f} ms (p95)")
    if os.getloadavg()[1] > (os.cpu_count() or 1):
        print(f"note: the machine was oversubscribed (load average {os.getloadavg()[1]:.1f} over 5 min on "
              f"{os.cpu_count()} cores): wall-clock frame times follow the other jobs; the GUI thread's CPU time per "
              f"frame went {c0:.2f} → {c1:.2f} ms")
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
