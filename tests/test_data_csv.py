"""Tests for visualizer.engine.data.csv: reading, writing, and precise errors for malformed files."""

from __future__ import annotations

import io

import numpy as np
import pytest

from visualizer.engine.data import CSVFormatError, make_dataset, read_csv, write_csv
from visualizer.paths import resource

# (Few, fuller tests: the shared conftest's per-test teardown costs ~40 ms.)


def _write(tmp_path, text: str | bytes, name: str = "data.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


# ---------------------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------------------


def test_round_trip_classification_exact(tmp_path):
    ds = make_dataset("circle", noise=0.2, seed=4)
    path = tmp_path / "circle.csv"
    write_csv(ds, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "x1,x2,split,label"
    back = read_csv(path, task="classification", class_names=ds.class_names, shuffle=False)
    np.testing.assert_array_equal(back.X, ds.X)  # floats written with the shortest exact repr
    np.testing.assert_array_equal(back.y, ds.y)
    assert back.feature_names == ds.feature_names
    assert back.class_names == ("orange", "blue")
    assert back.name == "circle" and back.n_train == ds.n_train == 250 and back.domain is None
    # Without class_names the classes come back sorted, each point keeping its class name.
    plain = read_csv(path, shuffle=False)
    assert plain.class_names == ("blue", "orange")
    assert [plain.class_names[k] for k in plain.y] == [ds.class_names[k] for k in ds.y]


def test_round_trip_regression_and_many_classes(tmp_path):
    reg = make_dataset("reg_gauss", noise=0.1)
    path = tmp_path / "reg.csv"
    write_csv(reg, path)
    back = read_csv(path, shuffle=False)  # float targets: inferred regression
    assert back.task == "regression" and back.n_classes == 0
    np.testing.assert_array_equal(back.X, reg.X)
    np.testing.assert_array_equal(back.y, reg.y)

    blobs = make_dataset("blobs", n_classes=10)
    write_csv(blobs, path)
    back = read_csv(path, shuffle=False)
    assert back.class_names == blobs.class_names  # natural order: "class 2" before "class 10"
    np.testing.assert_array_equal(back.y, blobs.y)


def test_round_trip_tables_and_iris_through_file_objects():
    for name in ("xor_gate", "tutorial_003", "iris"):
        ds = make_dataset(name)
        buffer = io.StringIO()
        write_csv(ds, buffer)
        back = read_csv(io.StringIO(buffer.getvalue()), shuffle=False)
        np.testing.assert_array_equal(back.X, ds.X, err_msg=name)
        np.testing.assert_array_equal(back.y, ds.y, err_msg=name)
        assert back.class_names == ds.class_names, name
        assert back.feature_names == ds.feature_names, name


def test_reads_the_shipped_iris_file():
    ds = read_csv(resource("iris.csv"), label_column="species", shuffle=False)
    assert ds.name == "iris"
    assert ds.X.shape == (150, 4)
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(ds.X[0], [5.1, 3.5, 1.4, 0.2])
    assert np.bincount(ds.y).tolist() == [50, 50, 50]
    assert ds.y[:50].tolist() == [0] * 50  # shuffle=False keeps the file's order


# ---------------------------------------------------------------------------------------------------------
# Accepted variations
# ---------------------------------------------------------------------------------------------------------


def test_header_is_optional(tmp_path):
    with_header = read_csv(_write(tmp_path, "a,b,y\n1,2,0\n3,4,1\n5,6,1\n"), shuffle=False)
    assert with_header.feature_names == ("a", "b")
    without = read_csv(_write(tmp_path, "1,2,0\n3,4,1\n5,6,1\n"), shuffle=False)
    assert without.feature_names == ("x1", "x2")
    for ds in (with_header, without):
        np.testing.assert_array_equal(ds.X, [[1, 2], [3, 4], [5, 6]])
        np.testing.assert_array_equal(ds.y, [0, 1, 1])
        assert ds.task == "classification" and ds.class_names == ("0", "1")
    # A first row whose only text is the label is data, not a header.
    ds = read_csv(_write(tmp_path, "1,2,cat\n3,4,dog\n"), shuffle=False)
    assert ds.n_samples == 2 and ds.feature_names == ("x1", "x2")
    # A blank header cell gets a default name.
    assert read_csv(_write(tmp_path, "a,,y\n1,2,p\n3,4,q\n")).feature_names == ("a", "x2")


def test_string_labels_are_sorted_not_first_seen(tmp_path):
    ds = read_csv(_write(tmp_path, "1,b\n2,a\n3,c\n4,a\n"), shuffle=False)
    assert ds.class_names == ("a", "b", "c")
    np.testing.assert_array_equal(ds.y, [1, 0, 2, 0])
    # Numeric class labels sort by value, and 1.0 is the same class as 1.
    ds = read_csv(_write(tmp_path, "1,1\n2,-1\n3,1.0\n4,-1\n"), shuffle=False)
    assert ds.class_names == ("-1", "1")
    np.testing.assert_array_equal(ds.y, [1, 0, 1, 0])
    # Explicit class order.
    ds = read_csv(_write(tmp_path, "1,b\n2,a\n"), class_names=("b", "a"), shuffle=False)
    np.testing.assert_array_equal(ds.y, [0, 1])


def test_task_inference_and_override(tmp_path):
    floats = _write(tmp_path, "1,0.5\n2,1.5\n3,0.5\n")
    assert read_csv(floats).task == "regression"
    assert read_csv(floats, task="classification").class_names == ("0.5", "1.5")
    many = _write(tmp_path, "".join(f"{i},{i}\n" for i in range(11)))
    assert read_csv(many).task == "regression"  # 11 distinct integers
    few = _write(tmp_path, "".join(f"{i},{i % 10}\n" for i in range(20)))
    ds = read_csv(few)
    assert ds.task == "classification" and ds.n_classes == 10
    reg = read_csv(few, task="regression", shuffle=False)
    assert reg.y.dtype == np.float64 and reg.y[:3].tolist() == [0.0, 1.0, 2.0]


def test_label_column_choice(tmp_path):
    path = _write(tmp_path, "species,a,b\nx,1,2\ny,3,4\n")
    first = read_csv(path, label_column=0, shuffle=False)
    assert first.feature_names == ("a", "b") and first.class_names == ("x", "y")
    by_name = read_csv(path, label_column="species", shuffle=False)
    np.testing.assert_array_equal(by_name.X, first.X)
    middle = read_csv(_write(tmp_path, "a,b,c\n1,5,2\n3,6,4\n"), label_column=-2, shuffle=False)
    assert middle.feature_names == ("a", "c") and middle.class_names == ("5", "6")
    np.testing.assert_array_equal(middle.X, [[1, 2], [3, 4]])


def test_delimiters_bom_line_endings_quotes_and_blank_lines(tmp_path):
    texts = {
        "semicolon": "a;b;label\n1.5;2;x\n3;4;y\n",
        "tab": "a\tb\tlabel\n1.5\t2\tx\n3\t4\ty\n",
        "crlf + bom": "\ufeffa,b,label\r\n1.5,2,x\r\n3,4,y\r\n",
        "trailing blank lines": "a,b,label\n1.5,2,x\n3,4,y\n\n\n",
        "blank line inside, spaces": "a, b ,label\n\n 1.5 , 2, x\n   \n3,4,y",
        "quoted": 'a,b,label\n"1.5",2,"x"\n3,4,y\n',
    }
    for what, text in texts.items():
        ds = read_csv(_write(tmp_path, text), shuffle=False)
        assert ds.feature_names == ("a", "b"), what
        np.testing.assert_array_equal(ds.X, [[1.5, 2.0], [3.0, 4.0]], err_msg=what)
        assert ds.class_names == ("x", "y"), what
    # Labels containing the delimiter, quoted.
    ds = read_csv(_write(tmp_path, 'a,label\n1,"big, red"\n2,small\n'))
    assert ds.class_names == ("big, red", "small")


def test_sources_split_and_shuffle(tmp_path):
    text = "".join(f"{i},{i % 2}\n" for i in range(20))
    path = _write(tmp_path, text, name="numbers.csv")
    as_bytes = read_csv(io.BytesIO(text.encode()), shuffle=False)
    as_text = read_csv(io.StringIO(text), shuffle=False)
    as_str_path = read_csv(str(path), shuffle=False)
    for ds in (as_bytes, as_text, as_str_path):
        np.testing.assert_array_equal(ds.X[:, 0], np.arange(20))
    assert as_bytes.name == "csv" and as_str_path.name == "numbers"
    assert read_csv(path, name="mine").name == "mine"

    a = read_csv(path, train_fraction=0.75, seed=3)
    b = read_csv(path, train_fraction=0.75, seed=3)
    c = read_csv(path, train_fraction=0.75, seed=4)
    assert a.n_train == 15 and a.X_test.shape == (5, 1)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert sorted(a.X[:, 0].tolist()) == list(range(20))
    np.testing.assert_array_equal(a.y, a.X[:, 0].astype(int) % 2)  # rows stay whole when shuffled


def test_bad_arguments_raise_value_error(tmp_path):
    path = _write(tmp_path, "1,0\n2,1\n")
    for kwargs in (
        {"task": "clustering"},
        {"train_fraction": 0.0},
        {"train_fraction": 1.5},
        {"max_bytes": 0},
        {"max_rows": -1},
        {"label_column": 1.5},
        {"class_names": ("a",)},
        {"class_names": ("a", "a")},
    ):
        with pytest.raises(ValueError):
            read_csv(path, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Malformed files: CSVFormatError with the right line
# ---------------------------------------------------------------------------------------------------------

MALFORMED = [
    # (what, content, kwargs, expected line, words in the message)
    ("empty file", b"", {}, 1, "empty"),
    ("only blank lines", b"\n  \n", {}, 1, "empty"),
    ("only a header", b"a,b,label\n", {}, 1, "no data rows"),
    ("only a header, then blank", b"\n\na,b,label\n\n", {}, 3, "no data rows"),
    ("ragged row", b"a,b,label\n1,2,x\n3,4,y\n5,6\n", {}, 4, "expected 3 columns, found 2"),
    ("too many cells", b"1,2,x\n3,4,y,z\n", {}, 2, "expected 3 columns, found 4"),
    ("non-numeric cell", b"a,b,label\n1,2,x\n3,zz,y\n", {}, 3, "column 2 ('b') is not a number: 'zz'"),
    ("decimal comma", b"a;b;label\n1,5;2;x\n3;4;y\n", {}, 2, "decimals with a point"),
    ("blank cell", b"1,2,x\n3,,y\n", {}, 2, "column 2 is blank"),
    ("whitespace cell", b"1,2,x\n3,4,y\n  ,4,y\n", {}, 3, "column 1 is blank"),
    ("blank label", b"1,2,x\n3,4,\n", {}, 2, "label (column 3) is blank"),
    ("nan", b"1,2,x\n3,4,y\n5,nan,x\n", {}, 3, "'nan'"),
    ("NaN", b"1,2,x\n3,NaN,y\n", {}, 2, "'NaN'"),
    ("inf", b"1,inf,x\n3,4,y\n", {}, 1, "'inf'"),
    ("-inf", b"1,2,x\n3,4,y\n\n-inf,2,x\n", {}, 4, "'-inf'"),
    ("nan label", b"1,0.5\n2,0.25\n3,nan\n", {}, 3, "label (column 2) is 'nan'"),
    ("non-UTF-8 byte", b"a,b,label\n1,2,x\n3,4,\xff\n", {}, 3, "not valid UTF-8"),
    ("latin-1 header", b"caf\xe9,b,label\n1,2,x\n", {}, 1, "not valid UTF-8"),
    ("one column", b"1\n2\n", {}, 1, "only 1 column"),
    ("one column, header", b"value\n1\n", {}, 1, "only 1 column"),
    ("text target", b"1,0.5\n2,abc\n", {"task": "regression"}, 2, "not a number: 'abc'"),
    ("over max_rows", b"1,0\n2,1\n3,0\n4,1\n", {"max_rows": 3}, 4, "limit is 3"),
    ("label name, no header", b"1,2,x\n3,4,y\n", {"label_column": "species"}, 1, "no header row"),
    ("unknown label name", b"a,b,label\n1,2,x\n", {"label_column": "species"}, 1, "no column named"),
    ("label column out of range", b"1,2,x\n3,4,y\n", {"label_column": 3}, 1, "out of range"),
    ("label not a given class", b"1,a\n2,b\n3,c\n", {"class_names": ("a", "b")}, 3, "'c'"),
    ("unclosed quote", b'1,2,x\n3,"4,y\n', {}, 2, "expected 3 columns"),
]


def test_malformed_files_name_the_line(tmp_path):
    for what, content, kwargs, line, words in MALFORMED:
        path = _write(tmp_path, content)
        with pytest.raises(CSVFormatError) as info:
            read_csv(path, **kwargs)
        err = info.value
        assert err.line == line, f"{what}: {err}"
        assert str(err).startswith(f"line {line}: "), f"{what}: {err}"
        assert words in err.reason, f"{what}: {err}"


def test_message_format_and_type(tmp_path):
    rows = "a,b,c\n" + "1,2,3\n" * 5 + "1,2\n"
    with pytest.raises(CSVFormatError) as info:
        read_csv(_write(tmp_path, rows))
    assert str(info.value) == "line 7: expected 3 columns, found 2"
    assert info.value.reason == "expected 3 columns, found 2"
    assert isinstance(info.value, ValueError)


def test_file_level_errors_have_no_line(tmp_path):
    cases = [
        (tmp_path / "missing.csv", {}, "not found"),
        (tmp_path, {}, "folder"),
        (_write(tmp_path, "1,x\n2,x\n", name="one.csv"), {}, "only one class ('x')"),
        (_write(tmp_path, "1,2,x\n3,4,y\n", name="big.csv"), {"max_bytes": 10}, "limit of 10 bytes"),
        (_write(tmp_path, "1,0\n2,1\n3,1\n", name="few.csv"), {"train_fraction": 0.2}, "no training rows"),
    ]
    for source, kwargs, words in cases:
        with pytest.raises(CSVFormatError) as info:
            read_csv(source, **kwargs)
        assert info.value.line is None, str(info.value)
        assert words in str(info.value), str(info.value)
    # The size limit is checked on what is read, so a limit just at the size passes.
    ok = _write(tmp_path, "1,2,x\n3,4,y\n", name="ok.csv")
    assert read_csv(ok, max_bytes=12).n_samples == 2
    with pytest.raises(CSVFormatError):
        read_csv(ok, max_bytes=11)
    with pytest.raises(CSVFormatError, match="pass a path or a file object"):
        read_csv(42)
