"""Remembered settings are validated when loaded, as strictly as the command line: a bad value is ignored with a
note, never a crash and never a training thread that dies."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visualizer.engine.experiment import Config, build
from visualizer.settings import (
    BATCH_MAX,
    RULES,
    SEED_MAX,
    config_from_mapping,
    config_from_text,
    load_config,
    load_display,
    save_config,
    save_display,
)


class FakeSettings(dict):
    """QSettings' two methods the loader uses."""

    def value(self, key, default=None):
        return self.get(key, default)

    def setValue(self, key, value):
        self[key] = value


def stored(**fields) -> FakeSettings:
    return FakeSettings(config=json.dumps({**Config().to_dict(), **fields}))


BAD_FIELDS = [
    ("seed", 2**40, "seed 1099511627776 is not a whole number 0…2³¹−1"),
    ("seed", "7", "seed"),
    ("seed", 1.5, "seed"),
    ("seed", -1, "seed"),
    ("seed", True, "seed"),
    ("batch_size", 2**31, "batch_size"),
    ("batch_size", 0, "batch_size"),
    ("data_seed", 2**31, "data_seed"),
    ("dataset", "nope", "dataset"),
    ("features", ["x1", "x9"], "features"),
    ("features", [], "features"),
    ("features", "x1", "features"),
    ("noise", 1000, "noise"),
    ("hidden", [0], "hidden"),
    ("hidden", [65], "hidden"),
    ("hidden", [2] * 11, "hidden"),
    ("hidden", "4,2", "hidden"),
    ("activation", "softsign", "activation"),
    ("optimizer", "lbfgs", "optimizer"),
    ("init", "zeros", "init"),
    ("regularization", "l3", "regularization"),
    ("reg_rate", -1, "reg_rate"),
    ("train_fraction", 0.0, "train_fraction"),
    ("n_classes", 99, "n_classes"),
    ("stop", {"max_epochs": -4}, "stop"),
    ("stop", [1], "stop"),
]


@pytest.mark.parametrize(("name", "value", "note"), BAD_FIELDS)
def test_a_bad_field_is_ignored_with_a_note_naming_it(name, value, note):
    config, notes = load_config(stored(**{name: value}))
    assert config == Config()
    assert len(notes) == 1 and notes[0].startswith("Ignored a remembered setting: ") and note in notes[0], notes


def test_good_fields_next_to_a_bad_one_are_kept():
    config, notes = load_config(stored(seed=2**40, learning_rate=0.3, hidden=[3, 3], dataset="spiral"))
    assert config == Config(learning_rate=0.3, hidden=(3, 3), dataset="spiral")
    assert len(notes) == 1 and "seed" in notes[0]


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_non_finite_learning_rate_is_ignored(text):
    config, notes = config_from_text("{\"learning_rate\": " + text + "}")
    assert config.learning_rate == Config().learning_rate
    assert len(notes) == 1 and "learning_rate" in notes[0]


@pytest.mark.parametrize("text", ["[1, 2]", '"circle"', "3", "null", "true", "{", "\x00\xff", "[" * 100_000,
                                  "9" * 5000, b"\xff\xfe", 42, ["a"]])
def test_unreadable_stored_settings_give_the_defaults_and_a_note(text):
    config, notes = config_from_text(text)
    assert config in (None, Config())
    assert len(notes) == 1 and notes[0].startswith("Ignored"), notes


def test_nothing_stored_means_no_config_and_no_note():
    assert load_config(FakeSettings()) == (None, [])
    assert load_config(None) == (None, [])
    assert config_from_text("") == (None, [])


def test_unknown_keys_are_skipped_silently():
    assert config_from_mapping({"colour": "red", "seed": 3}) == (Config(seed=3), [])


def test_an_incompatible_output_and_loss_pair_is_dropped():
    config, notes = config_from_mapping({"output": "tanh", "loss": "crossentropy"})
    assert config.output is None and config.loss is None and len(notes) == 1


def test_saved_settings_load_back_unchanged():
    s = FakeSettings()
    config = Config(dataset="blobs", n_classes=5, hidden=(8, 8), seed=SEED_MAX, batch_size=BATCH_MAX,
                    features=("x1", "x2", "sin_x1"), regularization="l1", reg_rate=0.01, optimizer="adam")
    save_config(s, config)
    assert load_config(s) == (config, [])
    save_display(s, {"showTest": True, "logScale": False, "weightScale": 3.5})
    assert load_display(s) == ({"showTest": True, "logScale": False, "weightScale": 3.5}, [])


def test_bad_display_options_are_ignored_with_a_note():
    s = FakeSettings(showTest="maybe", discretize="true", weightScale="nan", logScale=1, thumbnails=[1])
    values, notes = load_display(s)
    assert values == {"discretize": True, "logScale": True}
    assert len(notes) == 3 and all(n.startswith("Ignored a remembered setting") for n in notes)
    assert any("weightScale" in n for n in notes)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(["circle", "spiral", "blobs", "relu", "softmax", "crossentropy",
                                              "x1", "sin_x2", "l1", "adam", "he", "minmax", "reg_gauss"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _check_result(config, notes):
    assert isinstance(config, Config) and isinstance(notes, list)
    assert all(isinstance(n, str) and len(n) < 400 and "\n" not in n for n in notes)
    for name, rule in RULES.items():
        assert rule(getattr(config, name)) == getattr(config, name)
    assert math.isfinite(config.learning_rate) and 0 <= config.seed <= SEED_MAX
    build(config, grid_resolution=2)


@settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional={name: json_values for name in RULES}))
def test_fuzz_every_field_with_random_json(data):
    # nan is not JSON, but Python's json module writes and reads it: the stored text may contain it
    config, notes = config_from_text(json.dumps(data))
    _check_result(config, notes)
    assert config is not None


@settings(max_examples=200, derandomize=True, deadline=None)
@given(json_values)
def test_fuzz_any_json_value_as_the_whole_config(data):
    config, notes = config_from_text(json.dumps(data))
    if config is not None:
        _check_result(config, notes)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_fuzz_random_stored_text(text):
    config, notes = load_config(FakeSettings(config=text))
    if config is not None:
        _check_result(config, notes)


# ------------------------------------------------------------------ the window, with real QSettings
@pytest.fixture
def ini_settings(tmp_path):
    from PyQt6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().clear()
    yield QSettings
    QSettings().clear()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"seed": 2**40}, "seed 1099511627776"),
        ({"batch_size": 2**31}, "batch_size"),
        ({"seed": "seven"}, "seed"),
        ({"dataset": "nope", "features": ["x9"], "noise": 1000}, "noise"),
        ({"hidden": [4, 0]}, "hidden"),
    ],
)
def test_window_starts_from_bad_remembered_settings_and_trains(qtbot, ini_settings, fields, named):
    from visualizer.ui.main_window import MainWindow

    ini_settings().setValue("config", json.dumps({**Config().to_dict(), **fields}))
    ini_settings().setValue("weightScale", "lots")
    win = MainWindow(None, use_settings=True)
    qtbot.addWidget(win)
    try:
        win.show()
        assert win.config == Config()
        qtbot.waitUntil(lambda: win.controller.latest is not None, timeout=10_000)
        qtbot.wait(50)  # the first frame is drawn: the note is still there to read
        message = win.statusBar().currentMessage()
        assert "Ignored a remembered setting" in message and named in message and "weightScale" in message
        win.controller.play()
        qtbot.waitUntil(lambda: win.controller.latest is not None and win.controller.latest.epoch >= 2,
                        timeout=10_000)
        assert win.controller.is_alive()
    finally:
        win.shutdown()


def test_window_starts_from_a_config_stored_as_a_json_list(qtbot, ini_settings):
    from visualizer.ui.main_window import MainWindow

    ini_settings().setValue("config", "[1, 2, 3]")
    win = MainWindow(None, use_settings=True)
    qtbot.addWidget(win)
    try:
        assert win.config == Config()
        assert "Ignored" in win.statusBar().currentMessage()
        assert win.controller.is_alive()
    finally:
        win.shutdown()


def test_nan_learning_rate_remembered_does_not_start_a_dead_thread(qtbot, ini_settings):
    from visualizer.ui.main_window import MainWindow

    ini_settings().setValue("config", '{"learning_rate": NaN, "dataset": "circle"}')
    win = MainWindow(None, use_settings=True)
    qtbot.addWidget(win)
    try:
        assert win.config.learning_rate == Config().learning_rate
        win.controller.play()
        qtbot.waitUntil(lambda: win.controller.latest is not None and win.controller.latest.epoch >= 2,
                        timeout=10_000)
        assert "learning_rate" in " ".join(win.settings_notes)
    finally:
        win.shutdown()


# ------------------------------------------------------------------ seeds are 0 … 2³¹−1 everywhere
@pytest.mark.parametrize("field", ["seed", "data_seed", "shuffle_seed"])
@pytest.mark.parametrize("value", [2**31, 2**40, -1, 1.0, True, "3"])
def test_config_refuses_a_seed_outside_the_range(field, value):
    with pytest.raises(ValueError, match=field):
        Config(**{field: value})


def test_config_refuses_non_finite_rates():
    for changes in ({"learning_rate": float("nan")}, {"learning_rate": float("inf")}, {"reg_rate": float("nan")}):
        with pytest.raises(ValueError):
            Config(**changes)


def test_new_weights_after_the_largest_seed_wraps_to_0_and_a_typed_huge_seed_is_impossible(qtbot):
    from PyQt6.QtCore import Qt

    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(seed=SEED_MAX), use_settings=False)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.controller.latest is not None, timeout=10_000)
        win.act_new_weights.trigger()  # seed + 1 would be 2³¹: the seed box cannot hold it
        assert win.config.seed == 0 and win.hyper_toolbar.seed.value() == 0
        qtbot.waitUntil(lambda: win.controller.latest.config.seed == 0, timeout=10_000)
        box = win.hyper_toolbar.seed
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "99999999999")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert 0 <= box.value() <= SEED_MAX and 0 <= win.config.seed <= SEED_MAX
        assert win.controller.is_alive()
    finally:
        win.shutdown()


@pytest.mark.parametrize("value", [b"\xff\xfe{", b'{"seed": 3}', [1, 2], 7, {"seed": 3}, 2.5, True, "\udcff"])
def test_real_qsettings_with_any_stored_type(ini_settings, value):
    s = ini_settings()
    s.setValue("config", value)
    s.setValue("showTest", value)
    s.setValue("weightScale", value)
    s.sync()
    config, notes = load_config(ini_settings())
    assert config is None or isinstance(config, Config)
    values, _ = load_display(ini_settings())
    assert all(isinstance(n, str) for n in notes)
    assert set(values) <= {"showTest", "weightScale"}


def test_regenerate_after_the_largest_data_seed_wraps_to_0(qtbot):
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(data_seed=SEED_MAX), use_settings=False)
    qtbot.addWidget(win)
    win.show()
    try:
        win.act_regenerate.trigger()
        assert win.config.data_seed == 0
    finally:
        win.shutdown()
