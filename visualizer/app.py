"""Command line and QApplication: ``nn-visualizer`` and ``python -m visualizer``."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Sequence

from . import __version__  # its __init__ limits BLAS to one thread before numpy loads
from .layers import parse_hidden
from .settings import (
    EPOCHS,
    EPOCHS_MAX,
    HIDDEN_ACCEPTS,
    NOISE_PERCENT,
    RULES,
    SIZE_MAX,
    SIZE_MIN,
    InvalidValueError,
    shown,
)

ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")

SCREENSHOT_TIMEOUT_S = 600.0
"""--screenshot gives up after this long (the environment variable NN_VISUALIZER_TIMEOUT overrides it)."""

QT_SYSTEM_LIBRARIES = ("libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 "
                       "libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 libegl1 "
                       "libgl1 libfontconfig1 libdbus-1-3")
"""Debian/Ubuntu packages of the system libraries Qt's xcb platform plugin loads (README names them too)."""

NO_WINDOW_ADVICE = ("run it in a desktop session, or use --screenshot FILE.png (with QT_QPA_PLATFORM=offscreen) "
                    "without a screen; on Debian/Ubuntu Qt needs: sudo apt-get install " + QT_SYSTEM_LIBRARIES)


class _Parser(argparse.ArgumentParser):
    """Bad option values give one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {message}\n")


def _checked(rule, parse):
    """An argparse type: ``parse`` the text, then check it with ``rule`` (visualizer.settings, one set of rules
    for the command line and the remembered settings); the message says what the option accepts."""

    def convert(text: str):
        try:
            value = parse(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{shown(text)} is not {rule.accepts}") from None
        try:
            return rule(value)
        except InvalidValueError:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not {rule.accepts}") from None

    return convert


def _whole_number(text: str) -> int:
    return int(text.strip())


def _number(text: str) -> float:
    text = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text.strip()
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _layers(text: str) -> tuple[int, ...]:
    try:
        hidden = parse_hidden(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{err} ({HIDDEN_ACCEPTS})") from None
    return RULES["hidden"](hidden)


def _features(text: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in text.split(",") if f.strip())


def _dataset_name(text: str) -> str:
    """``--dataset``: any name of the window's picker, as the engine spells it or with hyphens (``xor-table``)."""
    from .engine.data.generators import resolve_dataset_name

    try:
        name = resolve_dataset_name(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if name == "function":
        raise argparse.ArgumentTypeError('a function set is made with --function "EXPRESSION", e.g. '
                                         '--function "x2 > sin(2*x1)"')
    return name


def _points(text: str) -> int:
    from .engine.data.generators import POINTS_RANGE

    lo, hi = POINTS_RANGE
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number of points from {lo} to {hi:,}")
    return value


def _classes(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not 3 <= value <= 10:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a number of classes from 3 to 10")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .engine.data.generators import cli_name
    from .engine.features import FEATURES

    parser = _Parser(
        prog="nn-visualizer",
        description="Watch a neural network learn, live (TensorFlow Playground's ideas in a native window).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    from .engine.data import DATASETS

    parser.add_argument("--dataset", type=_dataset_name, metavar="NAME",
                        help=f"data set (default circle): {', '.join(cli_name(n) for n in DATASETS)}")
    parser.add_argument("--data", metavar="FILE.csv",
                        help="train on a CSV file (a header row; numeric feature columns and one label column)")
    parser.add_argument("--label-column", metavar="NAME",
                        help="with --data: the label column, by name or number (default: the last one)")
    parser.add_argument("--task", choices=("classification", "regression"),
                        help="with --data: what the labels are (default: inferred from them)")
    parser.add_argument("--normalize", choices=("none", "minmax", "standard"),
                        help="scale the inputs: min-max to [0, 1] or standardize (mean 0, variance 1); "
                             "default none")
    parser.add_argument("--function", metavar="EXPRESSION",
                        help='a data set from an expression in x1, x2: a comparison is a classification '
                             '("x2 > sin(2*x1)"), a number a regression target ("0.5*x1 - x2")')
    parser.add_argument("--points", type=_points, metavar="N",
                        help="number of points of a generated or function data set (default 500; regression 1200)")
    parser.add_argument("--classes", type=_classes, metavar="K",
                        help="number of classes of the blobs data set (3 to 10; default 3)")
    parser.add_argument("--layers", type=_layers, metavar="N,N,…",
                        help=f"neurons per hidden layer, e.g. 4,2 ({HIDDEN_ACCEPTS}; 0: none)")
    parser.add_argument("--activation", choices=ACTIVATIONS, help="hidden activation (default tanh)")
    parser.add_argument("--learning-rate", "--lr", type=_checked(RULES["learning_rate"], _number), metavar="RATE",
                        help="default 0.03")
    parser.add_argument("--batch-size", type=_checked(RULES["batch_size"], _whole_number), metavar="N",
                        help=f"default 10 ({RULES['batch_size'].accepts})")
    parser.add_argument("--noise", type=_checked(NOISE_PERCENT, _number), metavar="PERCENT",
                        help="label noise 0–50 (default 0)")
    parser.add_argument("--features", type=_checked(RULES["features"], _features), metavar="F,F,…",
                        help=f"input features, from: {', '.join(FEATURES)} (default x1,x2)")
    parser.add_argument("--seed", type=_checked(RULES["seed"], _whole_number), metavar="N",
                        help=f"seed of the initial weights ({RULES['seed'].accepts})")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="train without a screen, write a PNG of the whole window, then exit")
    parser.add_argument("--epochs", type=_checked(EPOCHS, _whole_number), default=None, metavar="N",
                        help=f"with --screenshot: epochs to train first (default 100, at most {EPOCHS_MAX:,}); "
                             "training that stops earlier (divergence) writes the state it stopped in")
    parser.add_argument("--size", metavar="WxH", default=None,
                        help=f"window size, e.g. 1500x900 (at least {SIZE_MIN[0]}x{SIZE_MIN[1]}; "
                             "a larger size than the screen's is reduced to fit it)")
    parser.add_argument("--fresh", action="store_true", help="ignore and do not save remembered settings")
    parser.add_argument("--lesson", type=_lesson, metavar="NAME[:VARIANT]",
                        help="open a lesson (its data, network and text); 'list' prints the lessons and exits; "
                             "with --screenshot it trains the lesson's own epochs unless --epochs says otherwise")
    parser.add_argument("--step-through", choices=STEPTHROUGH_STAGES, metavar="STAGE",
                        help="with --screenshot: after training, open the step-through mode on the first training "
                             f"sample at this stage ({', '.join(STEPTHROUGH_STAGES)})")
    return parser


STEPTHROUGH_STAGES = ("forward", "loss", "backward", "update")


def _lesson(text: str):
    """``NAME`` or ``NAME:VARIANT`` of a lesson (or ``list``): ``(name, variant or None)``."""
    from .engine import lessons

    text = text.strip()
    if text == "list":
        return ("list", None)
    name, _, variant = text.partition(":")
    try:
        lessons.resolve(name, variant or None)
    except KeyError as err:
        raise argparse.ArgumentTypeError(str(err.args[0]) + " (--lesson list prints them)") from None
    return (name, variant or None)


def lesson_list() -> str:
    """The lessons with their variants, one per line (``--lesson list``)."""
    from .engine import lessons

    lines = []
    for name in lessons.lesson_names():
        lesson = lessons.get_lesson(name)
        variants = ", ".join(f"{name}:{v.name}" for v in lesson.variants)
        lines.append(f"{name:22s} {lesson.title}" + (f"  [{variants}]" if variants else ""))
    return "\n".join(lines)


def config_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser):
    """The Config the options ask for (``None`` if they ask for nothing); every value was checked by its type."""
    from .engine.experiment import Config

    changes = {}
    if args.dataset:
        changes["dataset"] = args.dataset
    known = {f.name for f in dataclasses.fields(Config)}
    if args.function is not None and "function" in known:
        changes["dataset"], changes["function"] = "function", args.function
    if args.points is not None and "n_points" in known:
        changes["n_points"] = args.points
    if args.classes is not None:
        changes["n_classes"] = args.classes
    if args.normalize not in (None, "none"):
        changes["normalization"] = args.normalize
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
        changes["features"] = args.features
    if not changes:
        return None
    try:
        return Config().replace(**changes)
    except (TypeError, ValueError) as err:  # not expected: the rules are stricter than Config
        parser.error(str(err))


def _size(text: str | None, parser) -> tuple[int, int] | None:
    """``WxH`` as two whole numbers, at least SIZE_MIN, at most SIZE_MAX (the screen limits it further)."""
    if not text:
        return None
    what = f"expected WxH (width x height in pixels, at least {SIZE_MIN[0]}x{SIZE_MIN[1]}) like 1500x900"
    parts = text.strip().lower().replace("×", "x").split("x")
    try:
        w, h = (int(v) for v in parts)
    except ValueError:
        parser.error(f"argument --size: {what}, got {shown(text)}")
    if w < SIZE_MIN[0] or h < SIZE_MIN[1]:
        parser.error(f"argument --size: {what}, got {shown(text)}")
    return min(w, SIZE_MAX), min(h, SIZE_MAX)


def check_data_options(args, parser) -> None:
    """Options that only make sense together, and --classes only with blobs: one line and exit 2 otherwise."""
    sources = [o for o, v in (("--dataset", args.dataset), ("--data", args.data), ("--function", args.function))
               if v is not None]
    if len(sources) > 1:
        parser.error(f"argument {sources[1]}: not allowed with {sources[0]} (one source of data)")
    for option, value in (("--label-column", args.label_column), ("--task", args.task)):
        if value is not None and args.data is None:
            parser.error(f"argument {option}: only with --data FILE.csv")
    if args.classes is not None and (args.dataset or "circle") != "blobs":
        parser.error("argument --classes: only with --dataset blobs (the other sets have their own classes)")
    if args.points is not None and args.dataset is not None and args.dataset not in _two_d_names():
        parser.error(f"argument --points: {args.dataset} has a fixed number of rows; --points is for the "
                     "generated 2-D sets and --function")
    if args.points is not None and args.data is not None:
        parser.error("argument --points: not with --data (the file has its own rows)")


def _two_d_names() -> tuple[str, ...]:
    from .engine.data import CLASSIFICATION_2D, REGRESSION_2D

    return CLASSIFICATION_2D + REGRESSION_2D


def load_data(args, config, parser):
    """The data set of --data or --function, read and checked now (one line and exit 2 if it is bad), or None."""
    if args.data is not None:
        from .engine.data import CSVFormatError, read_csv

        label = args.label_column
        if label is not None and label.strip().lstrip("-").isdigit():
            label = int(label)
        try:
            return read_csv(args.data, label_column=-1 if label is None else label, task=args.task,
                            train_fraction=(config.train_fraction if config else 0.5),
                            seed=(config.data_seed if config else 0))
        except (CSVFormatError, ValueError, OSError) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            parser.error(f"argument --data: {shown(os.path.basename(args.data) or args.data)}: {why}")
    if args.function is not None:
        from .engine.data.expressions import function_dataset

        try:
            return function_dataset(args.function, n_points=args.points or 500,
                                    noise=(config.noise if config else 0.0),
                                    train_fraction=(config.train_fraction if config else 0.5))
        except ValueError as err:  # ExpressionError is a ValueError
            parser.error(f"argument --function: {err}")
    return None


def parse(argv: Sequence[str] | None = None):
    """Parse and check the command line: ``(args, config, size)``; a bad value exits with status 2.

    ``args.dataset_object`` is the data set of --data or --function (read and checked here), or None."""
    parser = build_parser()
    args = parser.parse_args(argv)
    check_data_options(args, parser)
    if args.function is not None:
        from .engine.data.expressions import parse_expression

        try:
            parse_expression(args.function)
        except ValueError as err:  # ExpressionError is a ValueError
            parser.error(f"argument --function: {err}")
    if args.epochs is not None and not args.screenshot:
        parser.error("argument --epochs: only with --screenshot")
    if args.step_through is not None and not args.screenshot:
        parser.error("argument --step-through: only with --screenshot")
    if args.screenshot is not None and not args.screenshot.strip():
        parser.error("argument --screenshot: expected a file name like out.png")
    size = _size(args.size, parser)
    config = config_from_args(args, parser)
    args.dataset_object = load_data(args, config, parser)
    if args.dataset_object is not None:
        from .engine.experiment import Config

        config = config or Config()
        if "function" in {f.name for f in dataclasses.fields(Config)} and args.data is None:
            args.dataset_object = None  # checked; the config makes it (and makes it again on Regenerate)
        else:
            config = config.replace(dataset=args.dataset_object.name)
    return args, config, size


def main(argv: Sequence[str] | None = None) -> int:
    args, config, size = parse(argv)
    lesson = args.lesson
    if lesson is not None and lesson[0] == "list":
        print(lesson_list())
        return 0
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        epochs = args.epochs
        if epochs is None:
            epochs = _lesson_epochs(lesson) if lesson is not None else 100
        return _screenshot(args.screenshot, epochs, config, size, args.dataset_object, lesson=lesson,
                           stage=args.step_through)
    problem = no_display_problem()
    if problem:
        print(f"nn-visualizer: error: {problem}: {NO_WINDOW_ADVICE}", file=sys.stderr)
        return 1
    return _run(config, size, use_settings=not args.fresh, dataset=args.dataset_object, lesson=lesson)


def _lesson_epochs(lesson) -> int:
    from .engine import lessons

    return int(lessons.resolve(*lesson).training.epochs)


def no_display_problem(environ=None, platform: str | None = None) -> str | None:
    """Why no window can open here (before Qt is loaded: Qt aborts the process instead), or None.

    On Linux, without QT_QPA_PLATFORM (or with xcb/wayland) a display is needed: DISPLAY or WAYLAND_DISPLAY.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    wants = {p.split(":")[0] for p in qpa.split(";") if p}
    if wants and not wants <= {"xcb", "wayland", "wayland-egl"}:
        return None  # offscreen, vnc, eglfs, …: the user chose a platform that needs no display
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)"


def _application():
    import pyqtgraph as pg
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from .paths import resource

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    starting = _install_message_handler()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    starting()
    app.setApplicationName("NN Visualizer")
    app.setOrganizationName("nn-visualizer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("nn-visualizer")
    with contextlib.suppress(FileNotFoundError):
        app.setWindowIcon(QIcon(str(resource("icon.png"))))
    return app


def _install_message_handler():
    """Qt's messages, with two changes. While the QApplication starts, messages are held back: if Qt then gives up
    (no display, a missing system library: Qt would abort with status 134), print one line that says what to do
    and exit 1. The offscreen platform cannot resize native windows for dock widgets and says so on every start;
    that is expected there, so that one message is dropped. Returns the function to call once Qt has started."""
    from PyQt6.QtCore import QtMsgType, qInstallMessageHandler

    offscreen = os.environ.get("QT_QPA_PLATFORM") == "offscreen"
    held: list[str] = []
    state = {"starting": True}

    def handler(mode, _context, message: str) -> None:
        if offscreen and "propagateSizeHints" in message:
            return
        if mode == QtMsgType.QtFatalMsg and state["starting"]:
            causes = [m for m in held if "needed" in m or "connect" in m or "Could not" in m] or [message]
            cause = " ".join(" ".join(causes).split())[:300]
            print(f"nn-visualizer: error: Qt could not open a window ({cause}): {NO_WINDOW_ADVICE}",
                  file=sys.stderr, flush=True)
            os._exit(1)
        if state["starting"]:
            held.append(message)
        else:
            print(message, file=sys.stderr)

    def started() -> None:
        state["starting"] = False
        for message in held:
            print(message, file=sys.stderr)
        held.clear()

    qInstallMessageHandler(handler)
    return started


def _fit(size: tuple[int, int], window) -> tuple[int, int]:
    """``size`` reduced to the screen's available area (the offscreen platform has no real screen)."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return size
    screen = window.screen()
    if screen is None:
        return size
    area = screen.availableGeometry()
    w, h = min(size[0], area.width()), min(size[1], area.height())
    if (w, h) != tuple(size):
        print(f"nn-visualizer: --size is larger than the screen's available {area.width()}x{area.height()}: "
              f"using {w}x{h}", file=sys.stderr)
    return w, h


def _run(config, size, use_settings: bool, dataset=None, lesson=None) -> int:
    app = _application()
    from .ui.main_window import MainWindow

    window = MainWindow(config, use_settings=use_settings and config is None and lesson is None, dataset=dataset)
    if lesson is not None:
        window.lessons.open_lesson(*lesson)
    if size:
        window.resize(*_fit(size, window))
    window.show()
    code = app.exec()
    _dispose(window)
    return code


def _dispose(window) -> None:
    """Destroy the window (and its training thread's objects) while the QApplication still exists.

    Returning from the function that holds both would free the QApplication first (Python frees a frame's locals
    in order of definition) and leave Qt objects to be destroyed without their application: a crash at exit,
    seen now and then as status -11 after a --screenshot run had written its PNG.
    """
    from PyQt6.QtCore import QCoreApplication, QEvent

    window.shutdown()  # idempotent: the training thread has ended
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _timeout_s() -> float:
    try:
        value = float(os.environ.get("NN_VISUALIZER_TIMEOUT", SCREENSHOT_TIMEOUT_S))
    except ValueError:
        return SCREENSHOT_TIMEOUT_S
    return value if value > 0 and value == value else SCREENSHOT_TIMEOUT_S


def summary_line(snap) -> str:
    """The one line a --screenshot run ends with: epochs, training and test loss, and test accuracy
    (classification) or R² (regression)."""
    from .ui.loss_view import r_squared
    from .ui.numbers import format_number

    if snap is None:
        return "epochs 0 · training loss – · test loss –"

    def num(value: float) -> str:
        return "–" if value != value else format_number(value, 4)

    text = (f"epochs {snap.epoch:,} · training loss {num(snap.last('train_loss'))} · "
            f"test loss {num(snap.last('test_loss'))} · ")
    if snap.task == "regression":
        return text + f"test R² {num(r_squared(snap))}"
    accuracy = snap.last("test_metric")
    return text + ("test accuracy –" if accuracy != accuracy else f"test accuracy {100.0 * accuracy:.1f} %")


def _screenshot(path: str, epochs: int, config, size, dataset=None, lesson=None, stage=None) -> int:
    """Train ``epochs`` epochs with the real window offscreen, draw the final state, save a PNG.

    Training that stops earlier (divergence, a stopping criterion) or a training thread that dies still writes the
    state reached and says why in one line; so does the safety timeout (then the exit status is 1).
    """
    app = _application()
    from PyQt6.QtCore import QTimer

    from .engine.experiment import Config
    from .engine.trainer import StopCriteria
    from .ui.main_window import MainWindow

    config = (config or Config()).replace(stop=StopCriteria(max_epochs=epochs) if epochs else StopCriteria())
    window = MainWindow(config, use_settings=False, dataset=dataset)
    window.hyper_toolbar.set_speed(0)  # a screenshot trains as fast as possible, not at the window's demo pace
    window.resize(*(size or (1500, 900)))
    window.show()
    controller = window.controller
    if lesson is not None:  # its data, network and weights replace the window's (its own epochs, unless given)
        window.lessons.open_lesson(*lesson, epochs=epochs)

    def ready(snap) -> bool:
        """The snapshot is of the network asked for (a lesson's, once its load is done)."""
        return snap is not None and (lesson is None or snap.config == window.config)
    state = {"code": 1, "done": False, "stopped": None, "serial": 0, "error": None}
    timeout = _timeout_s()

    def finish(code: int, why: str | None = None) -> None:
        if state["done"]:
            return
        state["done"] = True
        state["code"] = code
        try:
            snap = controller.latest
            if snap is not None:
                window.draw(snap)
                hidden = getattr(window, "hidden_views", None)
                if hidden is not None:
                    hidden.refresh(force=True)  # the hidden-layer tabs and marks follow at most 5×/s: now
            app.processEvents()
        except Exception as err:  # draw what can be drawn: the PNG and the exit must still happen
            print(f"nn-visualizer: error: drawing the final state failed: {type(err).__name__}: {err}",
                  file=sys.stderr)
            state["code"] = 1
        if why:
            print(f"nn-visualizer: {why}", file=sys.stderr)
        if not window.save_screenshot(path):
            print(f"nn-visualizer: error: could not write {path}", file=sys.stderr)
            state["code"] = 1
        print(summary_line(controller.latest), flush=True)
        window.close()
        app.quit()

    def on_stopped(reason: str) -> None:
        latest = controller.latest
        state["stopped"] = reason
        state["serial"] = latest.serial if latest is not None else 0

    def on_error(message: str) -> None:
        lines = str(message).strip().splitlines()
        state["error"] = lines[-1] if lines else "unknown error"

    controller.sigStopped.connect(on_stopped)
    controller.sigError.connect(on_error)

    def check() -> None:
        try:
            poll()
        except Exception as err:
            finish(1, f"error: {type(err).__name__}: {err}")

    def on_timeout() -> None:
        snap = controller.latest
        epoch = snap.epoch if snap is not None else 0
        finish(1, f"error: --screenshot timed out after {timeout:g} s at epoch {epoch:,} of {epochs:,}; "
                  f"wrote the state reached to {path}")

    def poll() -> None:
        snap = controller.latest
        epoch = snap.epoch if snap is not None else 0
        if state["stopped"] is not None and snap is not None and snap.serial > state["serial"] and not snap.running:
            if epoch >= epochs:
                step_through_then(finish)
            else:
                finish(0, f"training stopped at epoch {epoch:,} of {epochs:,}: {state['stopped']}; "
                          f"wrote the state it stopped in to {path}")
        elif not controller.is_alive():
            finish(1, f"error: the training thread ended at epoch {epoch:,} of {epochs:,}"
                      f"{': ' + state['error'] if state['error'] else ''}; wrote the state reached to {path}")
        else:
            QTimer.singleShot(20, check)

    def start() -> None:
        if epochs:
            controller.set_speed(0.0)  # as fast as possible, whatever the window's default pace is
            controller.play()
            QTimer.singleShot(20, check)
        else:
            QTimer.singleShot(20, wait_first)

    def wait_first() -> None:
        if ready(controller.latest):
            step_through_then(finish)
        elif not controller.is_alive():
            finish(1, "error: the network was not drawn")
        else:
            QTimer.singleShot(20, wait_first)

    def step_through_then(done) -> None:
        """With --step-through: open the mode on the first training sample at ``stage``, then ``done(0)``."""
        if stage is None:
            done(0)
            return
        from .ui.stepthrough_mode import STAGES

        mode = window.stepthrough
        if not mode.active:
            mode.enter()
        if mode.record is None:
            if controller.is_alive():
                QTimer.singleShot(20, lambda: step_through_then(done))
            else:
                done(1, "error: the training thread ended before the step-through was computed")
            return
        mode.set_stage([s.lower() for s in STAGES].index(stage))
        record = mode.record
        if stage in ("forward", "backward") and len(record.sizes) > 2:
            mode.set_selected(("node", 1, 0))  # a hidden neuron: f′(net)·Σ w·δ has numbers to show
        window.stepthrough_overlay.finish_animation()
        done(0)

    QTimer.singleShot(0, start)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(on_timeout)
    safety.start(int(min(timeout, 86_400) * 1000))
    app.exec()
    safety.stop()
    _dispose(window)
    return state["code"]


if __name__ == "__main__":
    sys.exit(main())
