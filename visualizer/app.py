"""Command line and QApplication: ``nn-visualizer`` and ``python -m visualizer``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from . import __version__

ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")


class _Parser(argparse.ArgumentParser):
    """Bad option values give one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _layers(text: str) -> tuple[int, ...]:
    from .layers import parse_hidden  # the window's hidden-layers field reads the same way

    try:
        return parse_hidden(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _noise(text: str) -> float:
    value = _float(text)
    if not 0 <= value <= 50:
        raise argparse.ArgumentTypeError("noise is a percentage from 0 to 50")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .engine.datasets import CLASSIFICATION_2D, REGRESSION_2D
    from .engine.features import FEATURES

    parser = _Parser(
        prog="nn-visualizer",
        description="Watch a neural network learn, live (TensorFlow Playground's ideas in a native window).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--dataset", choices=CLASSIFICATION_2D + REGRESSION_2D, help="data set (default circle)")
    parser.add_argument("--layers", type=_layers, metavar="N,N,…", help="neurons per hidden layer, e.g. 4,2")
    parser.add_argument("--activation", choices=ACTIVATIONS, help="hidden activation (default tanh)")
    parser.add_argument("--learning-rate", "--lr", type=_positive_float, metavar="RATE", help="default 0.03")
    parser.add_argument("--batch-size", type=_positive_int, metavar="N", help="default 10")
    parser.add_argument("--noise", type=_noise, metavar="PERCENT", help="label noise 0–50 (default 0)")
    parser.add_argument("--features", metavar="F,F,…",
                        help=f"input features, from: {', '.join(FEATURES)} (default x1,x2)")
    parser.add_argument("--seed", type=_non_negative_int, metavar="N", help="seed of the initial weights")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="train without a screen, write a PNG of the whole window, then exit")
    parser.add_argument("--epochs", type=_non_negative_int, default=None, metavar="N",
                        help="with --screenshot: epochs to train first (default 100)")
    parser.add_argument("--size", metavar="WxH", default=None, help="window size, e.g. 1500x900")
    parser.add_argument("--fresh", action="store_true", help="ignore and do not save remembered settings")
    return parser


def config_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser):
    from .engine.experiment import Config
    from .engine.features import FEATURES

    changes = {}
    if args.dataset:
        changes["dataset"] = args.dataset
    if args.layers is not None:
        changes["hidden"] = args.layers
    if args.activation:
        changes["activation"] = args.activation
    if args.learning_rate is not None:
        changes["learning_rate"] = args.learning_rate
    if args.batch_size is not None:
        changes["batch_size"] = args.batch_size
    if args.noise is not None:
        changes["noise"] = args.noise / 100.0
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.features:
        names = tuple(f.strip() for f in args.features.split(",") if f.strip())
        bad = [f for f in names if f not in FEATURES]
        if bad or not names:
            parser.error(f"argument --features: unknown feature(s) {', '.join(bad) or '(none)'}; "
                         f"choose from {', '.join(FEATURES)}")
        changes["features"] = names
    return Config().replace(**changes) if changes else None


def _size(text: str | None, parser) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        parser.error(f"argument --size: expected WxH like 1500x900, got {text!r}")
    if w < 400 or h < 300:
        parser.error("argument --size: at least 400x300")
    return w, h


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.epochs is not None and not args.screenshot:
        parser.error("argument --epochs: only with --screenshot")
    size = _size(args.size, parser)
    config = config_from_args(args, parser)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return _screenshot(args.screenshot, 100 if args.epochs is None else args.epochs, config, size)
    return _run(config, size, use_settings=not args.fresh)


def _application():
    # One BLAS thread: the networks are small, and the second core belongs to the GUI thread.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import pyqtgraph as pg
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from .paths import resource

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NN Visualizer")
    app.setOrganizationName("nn-visualizer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("nn-visualizer")
    with contextlib.suppress(FileNotFoundError):
        app.setWindowIcon(QIcon(str(resource("icon.png"))))
    return app


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform cannot resize native windows for dock widgets and says so on every start;
    that is expected there, so drop that one message and pass every other one on."""
    from PyQt6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _run(config, size, use_settings: bool) -> int:
    app = _application()
    from .ui.main_window import MainWindow

    window = MainWindow(config, use_settings=use_settings and config is None)
    if size:
        window.resize(*size)
    window.show()
    return app.exec()


def _screenshot(path: str, epochs: int, config, size) -> int:
    """Train ``epochs`` epochs with the real window offscreen, draw the final state, save a PNG."""
    app = _application()
    from PyQt6.QtCore import QTimer

    from .engine.experiment import Config
    from .engine.trainer import StopCriteria
    from .ui.main_window import MainWindow

    config = (config or Config()).replace(stop=StopCriteria(max_epochs=epochs) if epochs else StopCriteria())
    window = MainWindow(config, use_settings=False)
    window.hyper_toolbar.set_speed(0)  # a screenshot trains as fast as possible, not at the window's demo pace
    window.resize(*(size or (1500, 900)))
    window.show()
    state = {"code": 1}

    def finish() -> None:
        snap = window.controller.latest
        if snap is not None:
            window.draw(snap)
        app.processEvents()
        state["code"] = 0 if window.save_screenshot(path) else 1
        if state["code"]:
            print(f"nn-visualizer: error: could not write {path}", file=sys.stderr)
        window.close()
        app.quit()

    def check() -> None:
        snap = window.controller.latest
        if snap is not None and snap.epoch >= epochs and not window.controller.is_running():
            finish()
        else:
            QTimer.singleShot(20, check)

    def start() -> None:
        if epochs:
            window.controller.play()
        QTimer.singleShot(20, check)

    QTimer.singleShot(0, start)
    QTimer.singleShot(600_000, lambda: (print("nn-visualizer: error: screenshot timed out", file=sys.stderr),
                                        app.exit(1)))
    app.exec()
    return state["code"]


if __name__ == "__main__":
    sys.exit(main())
