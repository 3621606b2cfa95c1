"""What a value may be, in one place: the command line and the remembered settings use the same rules.

Each :class:`~visualizer.engine.experiment.Config` field has a :class:`Rule` in :data:`RULES`: what it accepts (a
short phrase for messages) and a check that returns the value in canonical form or raises :class:`InvalidValueError`.

:func:`config_from_mapping` turns any stored value (a dict from JSON, or anything else) into a valid ``Config``
field by field: a bad field is replaced by its default and named in a note, so remembered settings can never
crash a start or start a training thread that dies. :func:`load_config` / :func:`save_config` and
:func:`load_display` / :func:`save_display` read and write ``QSettings`` (any object with ``value`` and
``setValue``); this module itself does not import Qt.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .engine.data import CLASSIFICATION_2D, MAX_NOISE, REGRESSION_2D
from .engine.experiment import Config, build, default_output
from .engine.features import FEATURES, check_features
from .engine.losses import LOSSES, NEEDS_PROBABILITIES
from .engine.network import INITS
from .engine.optimizers import OPTIMIZERS
from .engine.stopping import StopCriteria

SEED_MAX = 2**31 - 1
"""Seeds are 0 … 2³¹−1: the seed box is a Qt spin box (a C int)."""
BATCH_MAX = 10_000
EPOCHS_MAX = 1_000_000
"""Most epochs ``--screenshot --epochs`` trains (and a stop criterion counts)."""
LAYERS_MAX = 10
NEURONS_MAX = 64
RATE_MAX = 1e6
SIZE_MIN = (400, 300)
SIZE_MAX = 5_120
"""Largest window side; the screen's available size limits a window on a screen further."""
WEIGHT_SCALE = (0.1, 100.0)
"""Range of the display panel's |w| max box."""

DATASETS_2D = CLASSIFICATION_2D + REGRESSION_2D
REMEMBERED = "Ignored a remembered setting"


class InvalidValueError(ValueError):
    """A value outside what its field accepts; the message is ``"<value> is not <what it accepts>"``."""


def shown(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of any value for a message."""
    if isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, int):
        text = str(value) if abs(value) < 10**30 else f"{'-' if value < 0 else ''}a {value.bit_length()}-bit number"
    elif isinstance(value, float):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Rule:
    accepts: str
    check: Callable[[Any], Any]

    def __call__(self, value: Any) -> Any:
        return self.check(value)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def whole(low: int, high: int, accepts: str) -> Rule:
    def check(v):
        if not _is_int(v) or not low <= v <= high:
            raise InvalidValueError(f"{shown(v)} is not {accepts}")
        return int(v)

    return Rule(accepts, check)


def number(low: float, high: float, accepts: str, low_inclusive: bool = True) -> Rule:
    def check(v):
        if not _is_number(v):
            raise InvalidValueError(f"{shown(v)} is not {accepts}")
        try:
            x = float(v)
        except OverflowError:
            raise InvalidValueError(f"{shown(v)} is not {accepts}") from None
        if not math.isfinite(x) or not (low <= x if low_inclusive else low < x) or x > high:
            raise InvalidValueError(f"{shown(v)} is not {accepts}")
        return x

    return Rule(accepts, check)


def choice(names, optional: bool = False) -> Rule:
    names = tuple(names)
    accepts = "one of " + ", ".join(names) + (" (or none)" if optional else "")

    def check(v):
        if optional and v is None:
            return None
        if not isinstance(v, str) or v not in names:
            raise InvalidValueError(f"{shown(v)} is not {accepts}")
        return v

    return Rule(accepts, check)


def _features(v):
    if isinstance(v, str) or not isinstance(v, (list, tuple)) or not v or not all(isinstance(f, str) for f in v):
        raise InvalidValueError(f"{shown(v)} is not {FEATURES_ACCEPTS}")
    try:
        return check_features(v)
    except ValueError:
        raise InvalidValueError(f"{shown(v)} is not {FEATURES_ACCEPTS}") from None


FEATURES_ACCEPTS = "one or more of " + ", ".join(FEATURES)
HIDDEN_ACCEPTS = f"0–{LAYERS_MAX} hidden layers of 1–{NEURONS_MAX} neurons, like 4,2"


def _hidden(v):
    if (isinstance(v, str) or not isinstance(v, (list, tuple)) or len(v) > LAYERS_MAX
            or not all(_is_int(h) and 1 <= h <= NEURONS_MAX for h in v)):
        raise InvalidValueError(f"{shown(v)} is not {HIDDEN_ACCEPTS}")
    return tuple(int(h) for h in v)


STOP_ACCEPTS = "no stopping criteria or valid ones"
_COUNT = whole(1, EPOCHS_MAX, f"none or a whole number 1…{EPOCHS_MAX:,}")
_LOSS = number(0.0, math.inf, "none or a number ≥ 0")


def _stop(v):
    if isinstance(v, StopCriteria):
        v = {f.name: getattr(v, f.name) for f in fields(StopCriteria)}
    if v is None:
        return StopCriteria()
    if not isinstance(v, Mapping) or not set(v) <= {f.name for f in fields(StopCriteria)}:
        raise InvalidValueError(f"{shown(v)} is not {STOP_ACCEPTS}")
    out = {}
    try:
        for key, value in v.items():
            if key == "min_delta":
                out[key] = _LOSS(value)
            elif value is not None:
                out[key] = (_LOSS if key == "target_loss" else _COUNT)(value)
    except InvalidValueError:
        raise InvalidValueError(f"{shown(v)} is not {STOP_ACCEPTS}") from None
    return StopCriteria(**out)


SEED = whole(0, SEED_MAX, "a whole number 0…2³¹−1")

RULES: dict[str, Rule] = {
    "dataset": choice(DATASETS_2D),
    "noise": number(0.0, MAX_NOISE, f"a number 0…{MAX_NOISE:g} (0–{MAX_NOISE * 100:g} %)"),
    "train_fraction": number(0.1, 0.9, "a number 0.1…0.9"),
    "data_seed": SEED,
    "n_classes": whole(3, 10, "a whole number 3…10"),
    "features": Rule(FEATURES_ACCEPTS, _features),
    "hidden": Rule(HIDDEN_ACCEPTS, _hidden),
    "activation": choice(HIDDEN_ACTIVATIONS),
    "output": choice(OUTPUT_ACTIVATIONS, optional=True),
    "loss": choice(LOSSES, optional=True),
    "regularization": choice(("none", "l1", "l2")),
    "reg_rate": number(0.0, RATE_MAX, f"a number 0…{RATE_MAX:,.0f}"),
    "learning_rate": number(0.0, RATE_MAX, f"a number > 0 and ≤ {RATE_MAX:,.0f}", low_inclusive=False),
    "batch_size": whole(1, BATCH_MAX, f"a whole number 1…{BATCH_MAX:,}"),
    "optimizer": choice(OPTIMIZERS),
    "init": choice(INITS),
    "seed": SEED,
    "shuffle_seed": SEED,
    "normalization": choice(("minmax", "standard"), optional=True),
    "stop": Rule(STOP_ACCEPTS, _stop),
}
"""What each Config field accepts."""

# the command line's own counts
EPOCHS = whole(0, EPOCHS_MAX, f"a whole number 0…{EPOCHS_MAX:,}")
NOISE_PERCENT = number(0.0, MAX_NOISE * 100, f"a number 0…{MAX_NOISE * 100:g} (per cent)")


def check(name: str, value: Any) -> Any:
    """``value`` of Config field ``name`` in canonical form; raises :class:`InvalidValueError`."""
    return RULES[name](value)


def config_from_mapping(data: Any) -> tuple[Config, list[str]]:
    """A valid Config from any stored value, and a note for every field that was ignored.

    Unknown keys are skipped silently (settings of another version); a field that fails its rule keeps the
    default. The combination is then built once (about a millisecond) so that nothing that passed the field rules
    can still fail in the training thread.
    """
    notes: list[str] = []
    if not isinstance(data, Mapping):
        return Config(), [f"{REMEMBERED}: the stored settings are {shown(data, 30)}, not a set of named values"]
    good: dict[str, Any] = {}
    for name, rule in RULES.items():
        if name not in data:
            continue
        try:
            good[name] = rule(data[name])
        except InvalidValueError as err:
            notes.append(f"{REMEMBERED}: {name} {err}")
    config = Config().replace(**good)
    if config.output is not None or config.loss is not None:
        output = config.output or default_output(
            "regression" if config.dataset in REGRESSION_2D else "classification",
            config.n_classes if config.dataset == "blobs" else 2)
        if config.loss in NEEDS_PROBABILITIES and output not in ("sigmoid", "softmax"):
            notes.append(f"{REMEMBERED}: loss {config.loss} needs a sigmoid or softmax output, not {output}")
            config = config.replace(output=None, loss=None)
    try:
        build(config, grid_resolution=2)
    except Exception as err:  # any failure here means: start from the defaults
        notes.append(f"{REMEMBERED}s as a whole: {shown(str(err), 80)}")
        config = Config()
    return config, notes


def config_from_text(text: Any) -> tuple[Config | None, list[str]]:
    """Parse the stored JSON text (str or bytes); ``None`` when nothing is stored."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return None, [f"{REMEMBERED}s: they are not text"]
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, []
    if not isinstance(text, str):
        return None, [f"{REMEMBERED}s: they are {shown(text, 30)}, not text"]
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, [f"{REMEMBERED}s: they are not readable ({shown(text, 30)})"]
    return config_from_mapping(data)


def _value(settings, key: str) -> Any:
    try:
        value = settings.value(key)
    except Exception:  # a stored value Qt cannot convert is just not there
        return None
    if type(value).__name__ == "QByteArray":
        value = bytes(value)
    return value


def load_config(settings) -> tuple[Config | None, list[str]]:
    """The remembered Config (``None`` if there is none) and notes on what was ignored."""
    if settings is None:
        return None, []
    return config_from_text(_value(settings, "config"))


def save_config(settings, config: Config) -> None:
    settings.setValue("config", json.dumps(config.to_dict()))


DISPLAY_KEYS = {"showTest": bool, "discretize": bool, "logScale": bool, "thumbnails": bool, "weightScale": float}
"""Display options remembered beside the config (QSettings key → type)."""


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _is_int(value) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise InvalidValueError(f"{shown(value)} is not true or false")


_WEIGHT_SCALE = number(*WEIGHT_SCALE, f"a number {WEIGHT_SCALE[0]:g}…{WEIGHT_SCALE[1]:g}")


def load_display(settings) -> tuple[dict[str, Any], list[str]]:
    """The remembered display options that are valid (missing ones are left out) and notes on the rest."""
    out: dict[str, Any] = {}
    notes: list[str] = []
    if settings is None:
        return out, notes
    for key, kind in DISPLAY_KEYS.items():
        value = _value(settings, key)
        if value is None:
            continue
        try:
            if kind is bool:
                out[key] = _flag(value)
            else:
                if isinstance(value, str):
                    with contextlib.suppress(ValueError):
                        value = float(value)
                out[key] = _WEIGHT_SCALE(value)
        except InvalidValueError as err:
            notes.append(f"{REMEMBERED}: {key} {err}")
    return out, notes


def save_display(settings, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key in DISPLAY_KEYS:
            settings.setValue(key, DISPLAY_KEYS[key](value))
