"""Why phase 2 of issue 8 moves training to a child process: the GIL, measured without Qt.

Run ``python benchmarks/gil_share.py [--seconds 6] [--layers 8,8,8,8,8,8] [--frame-ms 5.5]``.

A stand-in for the GUI thread holds the GIL for ``--frame-ms`` of pure-Python work every 16.7 ms (what a frame
costs the GUI thread on the maximum network: pyqtgraph's paint is Python). The engine trains the maximum network
(``Trainer.run_epoch``, all seven features, circle data) three ways for ``--seconds`` each:

``alone``
    no GUI stand-in: the engine's own speed;
``thread``
    the GUI stand-in in the main thread and training in a second thread of the same process (today's app, minus
    the ``set_gui_busy`` handshake, which trades GIL hand-offs for waiting);
``process``
    training in a child process (``multiprocessing``, spawn) while the GUI stand-in runs in the parent.

Last line, one JSON object: epochs/s for each, ``thread_efficiency`` and ``process_efficiency`` (÷ alone), the
GUI stand-in's achieved frames/s in each case, and the machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent))
sys.path.insert(0, str(_HERE))

from _machine import machine  # noqa: E402

FRAME_S = 1 / 60


def train(hidden: tuple[int, ...], seconds: float, start: float | None = None) -> float:
    """Epochs per second of the engine on the maximum-network set-up (whole epochs for ``seconds``)."""
    from visualizer.engine.experiment import Config, build
    from visualizer.engine.features import FEATURES

    exp = build(Config(dataset="circle", features=tuple(FEATURES), hidden=hidden))
    for _ in range(3):
        exp.trainer.run_epoch()
    if start is not None:  # line up with the GUI stand-in in the other process
        while time.time() < start:
            time.sleep(0.001)
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        if exp.trainer.run_epoch():
            exp.trainer.reset()
        n += 1
    return n / (time.perf_counter() - t0)


def _child(hidden, seconds, start, out):
    try:
        out.put(train(hidden, seconds, start))
    except BaseException as exc:  # report, never leave the parent waiting
        out.put(repr(exc))
        raise


def gui_standin(seconds: float, frame_ms: float, stop: threading.Event | None = None) -> float:
    """Hold the GIL with Python work for ``frame_ms`` every 16.7 ms; returns frames per second achieved."""
    frames = 0
    t0 = time.perf_counter()
    next_frame = t0
    while time.perf_counter() - t0 < seconds and not (stop and stop.is_set()):
        now = time.perf_counter()
        if now < next_frame:
            time.sleep(next_frame - now)
        busy_until = time.perf_counter() + frame_ms / 1000.0
        x = 0
        while time.perf_counter() < busy_until:  # pure Python: holds the GIL, like pyqtgraph's paint
            for i in range(200):
                x += i * i
        frames += 1
        next_frame = max(next_frame + FRAME_S, time.perf_counter())
    return frames / (time.perf_counter() - t0)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--layers", default="8,8,8,8,8,8")
    parser.add_argument("--frame-ms", type=float, default=5.5, help="GIL-holding GUI work per 16.7 ms frame")
    args = parser.parse_args(argv)
    info = machine()
    hidden = tuple(int(h) for h in args.layers.split(",") if h.strip())

    alone = train(hidden, args.seconds)

    result: dict[str, float] = {}

    def in_thread():
        result["thread"] = train(hidden, args.seconds)

    th = threading.Thread(target=in_thread)
    th.start()
    time.sleep(0.3)  # the thread builds its experiment first
    fps_thread = gui_standin(args.seconds, args.frame_ms)
    th.join()

    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start = time.time() + 2.0  # the child imports numpy and builds its experiment meanwhile
    child = ctx.Process(target=_child, args=(hidden, args.seconds, start, out))
    child.start()
    while time.time() < start:
        time.sleep(0.001)
    fps_process = gui_standin(args.seconds, args.frame_ms)
    try:
        process = out.get(timeout=args.seconds + 120)
    finally:
        child.join(5)
        if child.is_alive():
            child.terminate()
    if isinstance(process, str):
        raise SystemExit(f"gil_share.py: the child process failed: {process}")

    res = {
        "alone_epochs_per_s": round(alone, 1),
        "thread_epochs_per_s": round(result["thread"], 1),
        "process_epochs_per_s": round(process, 1),
        "thread_efficiency": round(result["thread"] / alone, 3),
        "process_efficiency": round(process / alone, 3),
        "gui_fps_thread": round(fps_thread, 1),
        "gui_fps_process": round(fps_process, 1),
        "frame_ms": args.frame_ms,
        "network": [7, *hidden, 1],
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "machine": info,
    }
    print(f"engine alone {res['alone_epochs_per_s']} epochs/s; with a GUI stand-in holding the GIL {args.frame_ms} ms "
          f"per frame: training thread {res['thread_epochs_per_s']} ({res['thread_efficiency']}, GUI "
          f"{res['gui_fps_thread']} fps), child process {res['process_epochs_per_s']} ({res['process_efficiency']}, "
          f"GUI {res['gui_fps_process']} fps)")
    print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
