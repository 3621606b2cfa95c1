"""The import dialog's CSV options (issue 9): feature columns, normalization, the split column, the preview."""

from __future__ import annotations

import contextlib
import io
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.engine.data import CSVFormatError, make_dataset, preview_csv, read_csv, write_csv

TEXT = "id,a,b,c,species\nr1,1,10,5,x\nr2,2,20,5,y\nr3,3,30,6,x\nr4,4,40,6,y\n"


def test_feature_columns_by_name_or_index_and_ignored_text_columns():
    ds = read_csv(io.StringIO(TEXT), label_column="species", feature_columns=["c", "a"], shuffle=False)
    assert ds.feature_names == ("c", "a") and ds.X.tolist() == [[5, 1], [5, 2], [6, 3], [6, 4]]
    assert ds.class_names == ("x", "y") and ds.y.tolist() == [0, 1, 0, 1]
    ds = read_csv(io.StringIO(TEXT), feature_columns=[1, -3], shuffle=False)  # the label is the last column
    assert ds.feature_names == ("a", "b")
    slow = read_csv(io.StringIO(TEXT.replace("r1", '"r1"')), feature_columns=[1, 2], shuffle=False)  # quoted: slow path
    np.testing.assert_array_equal(slow.X, ds.X)
    problems = {
        "no column named 'zz'": ["zz"],
        "out of range": [9],
        "is the label column": ["species"],
        "chosen twice": ["a", 1],
        "no feature column": [],
        "not a number: 'r1'": ["id"],
    }
    for words, columns in problems.items():
        with pytest.raises(CSVFormatError, match=words):
            read_csv(io.StringIO(TEXT), feature_columns=columns)
    with pytest.raises(CSVFormatError, match="no header row"):
        read_csv(io.StringIO("1,2,0\n3,4,1\n"), feature_columns=["a"])
    with pytest.raises(ValueError):
        read_csv(io.StringIO(TEXT), feature_columns="a")


def test_normalization_is_fitted_on_the_training_rows():
    text = "a,b,label\n" + "".join(f"{k},{10 * k},{k % 2}\n" for k in range(10))
    mm = read_csv(io.StringIO(text), normalization="minmax", train_fraction=0.5, shuffle=False)
    np.testing.assert_allclose(mm.X_train.min(axis=0), [0, 0])
    np.testing.assert_allclose(mm.X_train.max(axis=0), [1, 1])
    assert mm.X_test.max() > 1  # the test rows are scaled with the training rows' range
    st_ = read_csv(io.StringIO(text), normalization="standard", shuffle=False)
    np.testing.assert_allclose(st_.X.mean(axis=0), [0, 0], atol=1e-12)
    np.testing.assert_allclose(st_.X.std(axis=0), [1, 1])
    with pytest.raises(ValueError):
        read_csv(io.StringIO(text), normalization="zscore")


def test_split_column_round_trip_and_errors(tmp_path):
    ds = make_dataset("iris", train_fraction=0.7, seed=2)
    path = tmp_path / "iris.csv"
    write_csv(ds, path)
    assert path.read_text().splitlines()[0].endswith(",split,label")
    back = read_csv(path, class_names=ds.class_names, shuffle=False)
    assert back.n_train == ds.n_train == 105
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.y, ds.y)
    shuffled = read_csv(path, class_names=ds.class_names, seed=5)  # each part shuffled, the split kept
    assert shuffled.n_train == 105
    assert sorted(map(tuple, shuffled.X_test.tolist())) == sorted(map(tuple, ds.X_test.tolist()))
    bad = "a,split,label\n1,train,x\n2,test,y\n3,valid,x\n"
    with pytest.raises(CSVFormatError, match=r"line 4: the split column \(column 2\) must say 'train' or 'test'"):
        read_csv(io.StringIO(bad))
    with pytest.raises(CSVFormatError, match="no row 'train'"):
        read_csv(io.StringIO("a,split,label\n1,test,x\n2,test,y\n"))
    # a numeric column that happens to be named "split" is a feature
    ds = read_csv(io.StringIO("a,split,label\n1,0.5,x\n2,1.5,y\n"), shuffle=False)
    assert ds.feature_names == ("a", "split") and ds.n_train == 2


def test_preview_guesses_and_reports_problems(tmp_path):
    p = preview_csv(io.StringIO(TEXT), n_rows=2)
    assert p.header == ("id", "a", "b", "c", "species") and p.has_header
    assert p.rows == (("r1", "1", "10", "5", "x"), ("r2", "2", "20", "5", "y"))
    assert p.label_column == 4 and p.task == "classification" and p.delimiter == ","
    assert p.problems and "not a number: 'r1'" in p.problems[0]  # the id column: choose the features
    reg = preview_csv(io.StringIO("1;2;0.5\n3;4;1.25\n"))
    assert not reg.has_header and reg.header == ("column 1", "column 2", "column 3")
    assert reg.task == "regression" and reg.delimiter == ";" and reg.problems == ()
    assert len(reg.rows) == 2
    first = preview_csv(io.StringIO("target,a\n1,2\n0,3\n"))
    assert first.label_column == 0 and first.problems == ()
    exported = tmp_path / "e.csv"
    write_csv(make_dataset("circle", n_points=20), exported)
    assert preview_csv(exported).label_column == 3
    ragged = preview_csv(io.StringIO("a,b,label\n1,2,x\n3,4\n"))
    assert ragged.problems == ("line 3: expected 3 columns, found 2",)
    for source in (tmp_path / "missing.csv", io.BytesIO(b""), io.BytesIO(b"\xff\xfe")):
        with pytest.raises(CSVFormatError):
            preview_csv(source)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('0123456789.,;\t\n"abexy -split')), max_size=200))
def test_preview_raises_only_csv_format_errors(text):
    try:
        preview = preview_csv(io.StringIO(text))
    except CSVFormatError:
        return
    assert all(isinstance(problem, str) for problem in preview.problems)


def test_importing_100k_rows_of_10_columns_is_fast():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100_000, 9))
    labels = rng.integers(0, 3, size=100_000)
    body = io.BytesIO()
    np.savetxt(body, np.column_stack([X, labels]), fmt=["%.6f"] * 9 + ["%d"], delimiter=",")
    body.seek(0)
    t0 = time.process_time()
    ds = read_csv(body, feature_columns=list(range(9)), normalization="standard")
    assert time.process_time() - t0 < 2.0
    assert ds.X.shape == (100_000, 9) and ds.n_classes == 3


def test_an_exported_file_takes_the_fast_path_and_a_fast_split_pass(monkeypatch):
    """The split column is no feature: numpy's reader used to be refused for it (the row-by-row reader read every
    exported file, 2 s for 100,000 rows); the split column is read by plain splitting when nothing is quoted."""
    from visualizer.engine.data import Dataset
    from visualizer.engine.data.csv import columns as csv_columns
    from visualizer.engine.data.csv import read as csv_read

    rng = np.random.default_rng(1)
    X = rng.normal(size=(30_000, 9))
    ds = Dataset("big", X, rng.integers(0, 3, 30_000), "classification", 3, 20_000, tuple(f"f{k}" for k in range(9)))
    buffer = io.StringIO()
    write_csv(ds, buffer)

    def refuse(*args, **kwargs):
        raise AssertionError("the row-by-row path was taken")

    monkeypatch.setattr(csv_read, "_read_slow", refuse)
    for module in (csv_read, csv_columns):  # the header sniffing and the split column's pass
        monkeypatch.setattr(module, "_rows", lambda *a, _rows=module._rows: _limited(_rows(*a)))
    t0 = time.process_time()
    back = read_csv(io.StringIO(buffer.getvalue()), class_names=ds.class_names, shuffle=False)
    assert time.process_time() - t0 < 1.5
    assert back.n_train == 20_000
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.y, ds.y)


def _limited(rows, limit=200):
    """The header sniffing reads ~100 rows with the csv module; a whole pass over 30,000 rows would exceed this."""
    for k, row in enumerate(rows):
        if k > limit:
            raise AssertionError("a row-by-row pass over the whole file")
        yield row


cell = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["", "x", "train", "test", "1e308", "-1e308", "label", "split", "a b"]),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8),
    st.lists(st.one_of(st.integers(-4, 4), st.sampled_from(["a", "b", "split", "label", "zz"])), max_size=3),
    st.sampled_from([None, "minmax", "standard"]),
    st.booleans(),
)
def test_options_raise_only_csv_format_errors(rows, columns, normalization, use_columns):
    text = "a,split,label\n" + "\n".join(",".join(r) for r in rows) + "\n"
    with contextlib.suppress(CSVFormatError):
        read_csv(io.StringIO(text), feature_columns=columns if use_columns else None, normalization=normalization)
