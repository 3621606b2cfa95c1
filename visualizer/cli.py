"""The command line: the argument parser, each option's check, and the Config and data set the options ask for.

:func:`parse` is what :func:`visualizer.app.main` calls; a bad value prints one line and exits with status 2."""

from __future__ import annotations

import argparse
import dataclasses
import os
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
