"""Live-window benchmark: the real window, offscreen, training while it draws — and the engine alone, for scale.

Run ``python benchmarks/live.py [--seconds 12] [--layers 8,8,8,8,8,8] [--size 1500x900] [--dataset circle]``.

What it does, in one invocation:

1. **Window**: opens :class:`~visualizer.ui.main_window.MainWindow` on the offscreen platform (the offscreen
   platform paints into a backing store as a screen would), neuron maps on, sets the speed to *as fast as
   possible* (``controller.set_speed(0)``, whatever the app's default pace is), presses play and runs the real
   event loop (``app.exec()``) with the app's own timers: ``--rounds`` phases of ``--seconds / --rounds`` each,
   after ``--warmup``. Single-shot timers mark the start and end of each phase; nothing polls or sleeps.
2. **Engine alone**: the same experiment (data set, all seven input features by default, the hidden layers,
   tanh), ``Trainer.run_epoch()`` back to back in a fresh interpreter pinned to the core the app pins its child
   to (as the app trains), while the window is paused — before, between and after the window's phases,
   ``--seconds`` in all. This is what the window could train at if drawing were free.
   Interleaving matters on a virtual machine: the engine's own speed there drifts by ±30 % within seconds
   (measured: 780–1,450 epochs/s on the maximum network in one minute, nothing else running), so a measurement
   before and one after the window can both miss what the machine did meanwhile.

A frame is timed from the start of ``MainWindow.draw`` to the window's ``request_snapshot`` call that ends it
(after Qt has painted), by wrapping those two methods on the instance.

What it prints: the machine (see ``_machine.py``), readable figures, then as the last line one JSON object:

``efficiency``
    ``epochs_per_s`` ÷ ``engine_epochs_per_s``: the share of the engine's speed that survives in the window;
    ``efficiency_per_round``: each phase against the engine alone just before and after it (the spread).
``median_frame_ms``, ``p95_frame_ms``
    time between consecutive frames (1000 / frame rate).
``draw_ms``, ``draw_p95_ms``
    GUI-thread time of one frame: updating every view and painting.
``frames_per_s``, ``epochs_per_s``, ``steps_per_s``
    frames drawn and training achieved **while drawing**.
``engine_epochs_per_s``
    the engine alone, same network and data.
``mode``, ``child_start_s``
    ``"process"`` (the app's default: the training loop in a child process, the grid pass in the training thread)
    or ``"thread"`` (``--inprocess``: ``NN_VISUALIZER_INPROCESS=1``); seconds from spawning the child to its
    first word.
``cpu``
    CPU seconds per wall second of the GUI thread, the training thread (in process mode: the relay, which does the
    grid pass), the child process, this process; epochs per CPU second of whatever trains (the child, or the
    training thread) and that ÷ the engine alone's.
``machine``
    see ``_machine.py``.

Targets (issue 8, 2-core machine): Playground's maximum network — efficiency ≥ 0.75 at ≥ 58 fps (median frame
≤ 17.5 ms, p95 ≤ 25 ms); 10 hidden layers × 64 — ≥ 45 fps, efficiency ≥ 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as the app does (visualizer/app.py)
    os.environ.setdefault(_var, "1")

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent))
sys.path.insert(0, str(_HERE))

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from _machine import machine  # noqa: E402
from PyQt6.QtCore import QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from visualizer.engine.experiment import Config, build  # noqa: E402
from visualizer.engine.features import FEATURES  # noqa: E402


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1500x900, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("size must be between 200x200 and 8000x8000")
    return w, h


def engine_alone(config: Config, seconds: float) -> tuple[int, int, float, float]:
    """Train the experiment ``config`` builds, whole epochs, for about ``seconds``: (epochs, steps, elapsed, CPU s)."""
    trainer = build(config).trainer
    for _ in range(3):  # warm-up: buffers, caches
        trainer.run_epoch()
    epochs = steps = 0
    clock = time.perf_counter
    t0, c0 = clock(), time.thread_time()
    end = t0 + seconds
    while clock() < end:
        s0 = trainer.steps
        reason = trainer.run_epoch()
        epochs += 1
        steps += trainer.steps - s0
        if reason:  # a stop criterion: start over, keep timing
            trainer.reset()
    return epochs, steps, clock() - t0, time.thread_time() - c0


def engine_alone_process(engine_args: list[str], seconds: float, cpu: int | None) -> tuple[int, int, float, float]:
    """:func:`engine_alone` in a fresh interpreter — as the app trains, in its child process — pinned to ``cpu``
    as the app pins its child (None: free). The same process as the window would not do: there the engine ran
    up to a tenth slower than in the app's child, even on the child's own core (a Qt process's heap and threads),
    which made efficiencies above 1."""
    command = [sys.executable, os.path.abspath(__file__), "--engine-only", "--seconds", str(seconds), *engine_args]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL)
    epochs, steps, elapsed, cpu_s = json.loads(out.stdout.strip().splitlines()[-1])
    return int(epochs), int(steps), float(elapsed), float(cpu_s)


def _timed(fn, sink: list[float], state: dict):
    """``fn`` wrapped to append its milliseconds to ``sink`` while ``state["measuring"]``."""

    def wrapper(*args, **kwargs):
        if not state["measuring"]:
            return fn(*args, **kwargs)
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sink.append(1000.0 * (time.perf_counter() - t0))

    return wrapper


def _child_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) of process ``pid`` so far, from /proc (NaN without one)."""
    if pid is None:
        return float("nan")
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return float("nan")
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _median(values: list[float]) -> float | None:
    return round(float(np.median(values)), 2) if values else None


def run_window(config: Config, size: tuple[int, int], warmup: float, seconds: float, rounds: int = 1,
               engine_args: list[str] | None = None) -> dict:
    """Train in the real window under ``app.exec()`` for ``rounds`` phases of ``seconds / rounds``, with the engine
    alone between them (the window paused); returns frame, training and engine-alone figures."""
    from visualizer.engine.grid import GridEvaluator, GridPass
    from visualizer.training.snapshot import Snapshot
    from visualizer.ui.main_window import MainWindow

    state = {"measuring": False}
    grid_ms: list[float] = []
    snapshot_ms: list[float] = []
    original_evaluate, original_of = GridEvaluator.evaluate, Snapshot.__dict__["of"].__func__
    timed_evaluate = _timed(original_evaluate, grid_ms, state)

    def evaluate(self, net):  # runs in the training thread: note its CPU clock once
        if "worker_clock" not in state:
            state["worker_clock"] = time.pthread_getcpuclockid(threading.get_ident())
        state["in_evaluate"] = True
        try:
            return timed_evaluate(self, net)
        finally:
            state["in_evaluate"] = False

    # process mode: the training thread runs the grid pass in slices (GridPass.advance); a pass's time is the sum
    original_advance = GridPass.advance
    pass_ms = {}

    def advance(self, budget_s=0.0):
        if not state["measuring"]:
            return original_advance(self, budget_s)
        t0 = time.perf_counter()
        done = original_advance(self, budget_s)
        pass_ms[id(self)] = pass_ms.get(id(self), 0.0) + 1000.0 * (time.perf_counter() - t0)
        if done and not state.get("in_evaluate"):
            grid_ms.append(pass_ms.pop(id(self)))
        return done

    GridEvaluator.evaluate = evaluate
    GridPass.advance = advance
    timed_of = _timed(original_of, snapshot_ms, state)

    def of(cls, *args, **kwargs):  # the training thread too: data without a map (digits, tables) have no grid pass
        if "worker_clock" not in state:
            state["worker_clock"] = time.pthread_getcpuclockid(threading.get_ident())
        return timed_of(cls, *args, **kwargs)

    Snapshot.of = classmethod(of)
    try:
        state["engine_args"] = engine_args or []
        return _run_window(config, size, warmup, seconds, rounds, MainWindow, state, grid_ms, snapshot_ms)
    finally:
        GridEvaluator.evaluate = original_evaluate
        GridPass.advance = original_advance
        Snapshot.of = classmethod(original_of)


def _run_window(config, size, warmup, seconds, rounds, MainWindow, state, grid_ms, snapshot_ms) -> dict:

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    win = MainWindow(config, use_settings=False)
    win.resize(*size)
    win.show()
    controller = win.controller

    frame_start: list[float] = []
    frame_end: list[float] = []
    draw_end: list[float] = []
    frame_phase: list[int] = []
    state.update({"measuring": False, "started": False, "phase": 0, "elapsed": 0.0, "epochs": 0, "steps": 0,
                  "cpu": [0.0, 0.0, 0.0, 0.0], "engine": [0, 0, 0.0, 0.0]})
    phase_s = seconds / rounds
    engine_s = seconds / (rounds + 1)  # the engine alone before, between and after the window's phases

    original_draw = win.draw
    original_request = controller.request_snapshot

    def timed_draw(snap):
        if state["measuring"]:
            frame_start.append(time.perf_counter())
            frame_phase.append(state["phase"])
            original_draw(snap)
            draw_end.append(time.perf_counter())
        else:
            original_draw(snap)

    # Where a frame's milliseconds go: each view's update (GUI thread), and in the training thread the grid pass
    # and the rest of making a snapshot (copies). Wrappers cost two clock reads each.
    view_ms: dict[str, list[float]] = {}
    for name in ("network_view", "boundary_view", "loss_view"):
        view = getattr(win, name, None)
        if view is not None and hasattr(view, "update_snapshot"):
            view.update_snapshot = _timed(view.update_snapshot, view_ms.setdefault(name, []), state)

    def timed_request():
        if state["measuring"] and len(frame_end) < len(frame_start):
            frame_end.append(time.perf_counter())
        original_request()

    win.draw = timed_draw  # MainWindow._on_frame calls self.draw(...) and self.controller.request_snapshot()
    controller.request_snapshot = timed_request

    def cpu_clocks():
        worker = state.get("worker_clock")
        return (time.thread_time(), time.clock_gettime(worker) if worker is not None else float("nan"),
                time.process_time(), _child_cpu_s(child.pid if child is not None else None))

    child = None

    def begin_measuring():
        nonlocal child
        worker = controller._worker
        if worker.process_mode:
            child = worker.child
            state["worker_clock"] = time.pthread_getcpuclockid(worker.thread_ident)
        state["mode"] = "process" if worker.process_mode else "thread"
        state["child_start_s"] = worker.child_start_s
        state["snap0"] = controller.latest
        state["t0"] = time.perf_counter()
        state["cpu0"] = cpu_clocks()
        state["measuring"] = True
        QTimer.singleShot(round(1000 * phase_s), end_measuring)

    def end_measuring():
        state["measuring"] = False
        if len(frame_end) < len(frame_start):  # a frame cut in two by the phase's end does not count
            del frame_start[len(frame_end):], frame_phase[len(frame_end):], draw_end[len(frame_end):]
        snap0, snap1 = state["snap0"], controller.latest
        state["elapsed"] += time.perf_counter() - state["t0"]
        state["epochs"] += snap1.epoch - snap0.epoch
        state.setdefault("phase_rates", []).append((snap1.epoch - snap0.epoch) / (time.perf_counter() - state["t0"]))
        state["steps"] += snap1.steps - snap0.steps
        state["cpu"] = [a + (b - c) for a, b, c in zip(state["cpu"], cpu_clocks(), state["cpu0"], strict=True)]
        state["snap1"] = snap1
        controller.pause()
        QTimer.singleShot(0, engine_phase)

    def engine_phase():
        latest = controller.latest
        if latest is not None and latest.running:  # wait until the window's training has stopped
            QTimer.singleShot(5, engine_phase)
            return
        pinned = engine_cpu()
        result = engine_alone_process(state["engine_args"], engine_s, pinned)
        state["engine_pinned"] = pinned is not None
        state["engine"] = [a + b for a, b in zip(state["engine"], result, strict=True)]
        state.setdefault("engine_rates", []).append(result[0] / result[2])
        state["phase"] += 1
        if state["phase"] > rounds:
            app.quit()
            return
        controller.play()
        # the first phase waits --warmup (the child starts); later ones half a second, for training to be back at
        # full pace
        QTimer.singleShot(round(1000 * (warmup if state["phase"] == 1 else min(warmup, 0.5))), begin_measuring)

    def engine_cpu():
        """The core the app pins its child to (``relay.TrainingWorker._pin``: the last this process may use), or
        None when it pins nothing (thread mode, NN_VISUALIZER_PIN=0, one core, no such call here)."""
        from visualizer.training import relay

        if not relay.process_mode_default() or os.environ.get(relay.PIN_ENV, "").strip().lower() in (
                "0", "false", "no", "off"):
            return None
        try:
            cpus = sorted(os.sched_getaffinity(os.getpid()))
        except (AttributeError, OSError):
            return None
        return cpus[-1] if len(cpus) >= 2 else None

    def start_training(_snap=None):
        if state["started"]:
            return
        state["started"] = True
        controller.set_speed(0)  # as fast as possible, whatever the app's default pace
        QTimer.singleShot(0, engine_phase)  # the engine alone first, then the window's first phase

    if controller.latest is not None:
        QTimer.singleShot(0, start_training)
    else:
        controller.sigSnapshot.connect(start_training)
    QTimer.singleShot(round(1000 * (2 * seconds + rounds * 2 + 60)), app.quit)  # never hang
    app.exec()
    snap1 = state.get("snap1")
    win.close()
    if snap1 is None or len(frame_end) < 2 or state["phase"] <= rounds:
        raise SystemExit("live.py: the window produced no frames (did training start?)")

    elapsed = state["elapsed"]
    gui_cpu, thread_cpu, proc_cpu, child_cpu = state["cpu"]
    train_cpu = child_cpu if state.get("mode") == "process" else thread_cpu  # where the training loop runs
    epochs = state["epochs"]
    cpu = {  # CPU seconds per wall second: robust to other jobs on the machine, unlike the wall-clock rates
        "gui_thread_cpu_share": round(gui_cpu / elapsed, 3),
        "training_thread_cpu_share": round(thread_cpu / elapsed, 3),
        "child_process_cpu_share": round(child_cpu / elapsed, 3) if child_cpu == child_cpu else None,
        "process_cpu_share": round(proc_cpu / elapsed, 3),
        "epochs_per_training_cpu_s": round(epochs / train_cpu, 1) if train_cpu > 0 else None,
    }
    n = min(len(frame_end), len(draw_end))
    starts = np.array(frame_start[:n])
    phases = np.array(frame_phase[:n])
    intervals = np.diff(starts)[np.diff(phases) == 0] * 1000.0  # within a phase, never across the engine's turn
    draws = (np.array(frame_end[:n]) - starts) * 1000.0
    paints = (np.array(frame_end[:n]) - np.array(draw_end[:n])) * 1000.0
    views = {name: _median(v) for name, v in view_ms.items()}
    breakdown = {
        "frame": {
            **{f"{name}_ms": v for name, v in views.items()},
            "other_draw_ms": _median(list((np.array(draw_end[:n]) - starts) * 1000.0
                                          - sum(np.array(v[:n]) for v in view_ms.values() if len(v) >= n))),
            "paint_ms": _median(list(paints)),
        },
        "training_thread": {
            "grid_ms": _median(grid_ms),
            "snapshot_copy_ms": _median(list(np.array(snapshot_ms) - np.array(grid_ms[: len(snapshot_ms)])))
            if len(grid_ms) >= len(snapshot_ms) else _median(snapshot_ms),
            "snapshots_per_s": round(len(snapshot_ms) / elapsed, 1),
            "grid_share": round(sum(grid_ms) / 1000.0 / elapsed, 3),
            "snapshot_share": round(sum(snapshot_ms) / 1000.0 / elapsed, 3),
        },
        "gui_frame_share": round(float(draws.sum()) / 1000.0 / elapsed, 3),
    }
    return {
        "median_frame_ms": round(float(np.median(intervals)), 2),
        "p95_frame_ms": round(float(np.percentile(intervals, 95)), 2),
        "draw_ms": round(float(np.median(draws)), 2),
        "draw_p95_ms": round(float(np.percentile(draws, 95)), 2),
        "frames_per_s": round(len(frame_end) / elapsed, 1),
        "epochs_per_s": round(epochs / elapsed, 1),
        "steps_per_s": round(state["steps"] / elapsed, 1),
        "seconds": round(elapsed, 2),
        "rounds": rounds,
        "engine": state["engine"],
        "engine_pinned": state.get("engine_pinned", False),
        # each phase against the mean of the engine alone just before and just after it
        "efficiency_per_round": [round(r / (0.5 * (a + b)), 3) for r, a, b in zip(
            state["phase_rates"], state["engine_rates"][:-1], state["engine_rates"][1:], strict=True)],
        "mode": state.get("mode"),
        "child_start_s": round(state["child_start_s"], 3) if state.get("child_start_s") else None,
        "network": list(snap1.sizes),
        "breakdown": breakdown,
        "cpu": cpu,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0, help="measured seconds, window and engine each")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of training before measuring")
    parser.add_argument("--rounds", type=int, default=4,
                        help="window phases, the engine alone before, between and after them (default 4)")
    parser.add_argument("--layers", default="8,8,8,8,8,8", help="hidden layer sizes, e.g. 64,64 (default: 6 × 8)")
    parser.add_argument("--size", type=parse_size, default=(1500, 900), metavar="WxH", help="window size")
    parser.add_argument("--dataset", default="circle", help="data set name (default circle)")
    parser.add_argument("--features", default=",".join(FEATURES), help="input features (default: all seven)")
    parser.add_argument("--switch-interval", type=float, default=None, metavar="MS",
                        help="override sys.setswitchinterval (milliseconds) to compare")
    parser.add_argument("--inprocess", action="store_true",
                        help="train in the training thread (NN_VISUALIZER_INPROCESS=1), not in a child process")
    parser.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)  # a turn of the engine alone
    parser.add_argument("--cpu", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine_only:
        if args.cpu is not None:
            os.sched_setaffinity(0, {args.cpu})
        hidden = tuple(int(h) for h in args.layers.split(",") if h.strip())
        config = Config(dataset=args.dataset, features=tuple(args.features.split(",")), hidden=hidden)
        print(json.dumps(engine_alone(config, args.seconds)))
        return {}
    if args.inprocess:
        os.environ["NN_VISUALIZER_INPROCESS"] = "1"
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000.0)

    info = machine()
    load_before = [round(x, 2) for x in os.getloadavg()]
    hidden = tuple(int(h) for h in args.layers.split(",") if h.strip())
    config = Config(dataset=args.dataset, features=tuple(args.features.split(",")), hidden=hidden)

    engine_args = ["--layers", args.layers, "--dataset", args.dataset, "--features", args.features]
    result = run_window(config, args.size, args.warmup, args.seconds, args.rounds, engine_args)
    e_n, s_n, t_n, c_n = result.pop("engine")
    engine_eps = e_n / t_n
    engine_sps = s_n / t_n
    cpu = result["cpu"]
    cpu["engine_epochs_per_cpu_s"] = round(e_n / c_n, 1)
    cpu["engine_cpu_share"] = round(c_n / t_n, 3)
    per_cpu, engine_per_cpu = cpu["epochs_per_training_cpu_s"], cpu["engine_epochs_per_cpu_s"]
    cpu["efficiency_per_training_cpu_s"] = round(per_cpu / engine_per_cpu, 3) if per_cpu and engine_per_cpu else None
    result = {
        "efficiency": round(result["epochs_per_s"] / engine_eps, 3),
        **result,
        "engine_epochs_per_s": round(engine_eps, 1),
        "engine_steps_per_s": round(engine_sps, 1),
        "engine_seconds": round(t_n, 2),
        "size": list(args.size),
        "dataset": args.dataset,
        "switch_interval_ms": sys.getswitchinterval() * 1000.0,
        "loadavg_before_after": [load_before, [round(x, 2) for x in os.getloadavg()]],
        "machine": info,
    }
    print(f"network {result['network']}, {args.dataset}, window {args.size[0]}x{args.size[1]}, "
          f"{result['seconds']} s measured; training in the {result['mode']} (child started in "
          f"{result['child_start_s']} s)")
    print(f"frames: interval median {result['median_frame_ms']} ms, p95 {result['p95_frame_ms']} ms, "
          f"{result['frames_per_s']} frames/s; drawing median {result['draw_ms']} ms, p95 {result['draw_p95_ms']} ms")
    print(f"training while drawing: {result['epochs_per_s']} epochs/s, {result['steps_per_s']} steps/s; "
          f"engine alone: {result['engine_epochs_per_s']} epochs/s -> efficiency {result['efficiency']} "
          f"(rounds: {', '.join(str(e) for e in result['efficiency_per_round'])})")
    b = result["breakdown"]
    print("frame (GUI thread, median ms): " + ", ".join(f"{k.removesuffix('_ms')} {v}" for k, v in b["frame"].items()))
    t = b["training_thread"]
    print(f"training thread: grid pass {t['grid_ms']} ms, rest of snapshot {t['snapshot_copy_ms']} ms, "
          f"{t['snapshots_per_s']} snapshots/s; shares of wall time: grid {t['grid_share']}, "
          f"snapshots {t['snapshot_share']}, GUI frames {b['gui_frame_share']}, "
          f"training {round(result['epochs_per_s'] / engine_eps, 3)}")
    c = result["cpu"]
    print(f"CPU seconds per second: GUI thread {c['gui_thread_cpu_share']}, training thread "
          f"{c['training_thread_cpu_share']}, child process {c['child_process_cpu_share']}, this process "
          f"{c['process_cpu_share']} (engine alone {c['engine_cpu_share']}); "
          f"epochs per training CPU second {c['epochs_per_training_cpu_s']} vs engine alone "
          f"{c['engine_epochs_per_cpu_s']} -> {c['efficiency_per_training_cpu_s']}")
    print(f"load average 1/5/15 min before and after: {load_before} / {[round(x, 2) for x in os.getloadavg()]}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
