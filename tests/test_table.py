"""purenet.datasets.read_csv: a spreadsheet's CSV export read into X, y, or refused naming the file, line and column.

The last test is a seeded fuzzer in the style of benchmarks/fuzz.py: 1,000 mutated tables, each read into a
well-formed table or refused with TableFormatError, never anything else.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from purenet.datasets import Table, TableFormatError, read_csv

ROOT = Path(__file__).resolve().parent.parent
FRUIT = ROOT / "examples" / "data" / "fruit.csv"

SMALL = "a,b,label\n1,2,cat\n3,4.5,dog\n-5e-1,6,cat\n"


def write(tmp_path: Path, text: str, name: str = "t.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def refusal(path: str, **options: object) -> TableFormatError:
    with pytest.raises(TableFormatError) as caught:
        read_csv(path, **options)
    return caught.value


# --- what is read -------------------------------------------------------------------------------


def test_the_fruit_table_reads_into_features_and_class_indices():
    X, y, feature_names, class_names = read_csv(FRUIT, target="fruit")
    assert feature_names == ["weight_g", "width_cm", "height_cm", "hue_deg"]
    assert class_names == ["apple", "lemon", "orange"]
    assert len(X) == len(y) == 180 and all(len(row) == 4 for row in X)
    assert [y.count(index) for index in range(3)] == [60, 60, 60]
    first_line = FRUIT.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert X[0] == [float(value) for value in first_line[:4]]
    assert class_names[y[0]] == first_line[4]


def test_the_result_is_a_named_table_that_unpacks(tmp_path):
    table = read_csv(write(tmp_path, SMALL), target="label")
    assert isinstance(table, Table) and isinstance(table, tuple)
    assert table.X == [[1.0, 2.0], [3.0, 4.5], [-0.5, 6.0]]
    assert table.y == [0, 1, 0] and table.class_names == ["cat", "dog"] and table.feature_names == ["a", "b"]
    assert all(type(value) is float for row in table.X for value in row)


def test_integer_classes_are_ordered_by_number_so_0_to_k_keep_their_index(tmp_path):
    path = write(tmp_path, "x,c\n1,10\n2,2\n3,0\n4,1\n5,2\n")
    X, y, _, class_names = read_csv(path, target="c")
    assert class_names == ["0", "1", "2", "10"]
    assert y == [3, 2, 0, 1, 2]


def test_word_classes_are_ordered_by_name_whatever_the_row_order(tmp_path):
    one = read_csv(write(tmp_path, "x,c\n1,pear\n2,apple\n", "one.csv"), target="c")
    two = read_csv(write(tmp_path, "x,c\n2,apple\n1,pear\n", "two.csv"), target="c")
    assert one.class_names == two.class_names == ["apple", "pear"]


def test_whole_numbers_are_class_names_but_fractions_only_when_the_classes_are_given(tmp_path):
    whole = write(tmp_path, "x,grade\n1,1.0\n2,2.0\n", "whole.csv")
    assert read_csv(whole, target="grade").class_names == ["1.0", "2.0"]
    fractions = write(tmp_path, "x,grade\n1,1.5\n2,2.5\n", "fractions.csv")
    assert "is a measurement" in str(refusal(fractions, target="grade"))
    assert read_csv(fractions, target="grade", classes=["1.5", "2.5"]).y == [0, 1]


def test_given_classes_fix_the_order_and_refuse_others(tmp_path):
    path = write(tmp_path, "x,size\n1,small\n2,large\n3,medium\n")
    assert read_csv(path, target="size", classes=["small", "medium", "large"]).y == [0, 2, 1]
    # a file of one class is fine when the classes are given (a test file, say)
    assert read_csv(write(tmp_path, "x,size\n1,large\n", "one.csv"), target="size", classes=["small", "large"]).y == [1]
    error = refusal(path, target="size", classes=["small", "large"])
    assert str(error) == f"file {path!r}, line 4, column 'size': 'medium' is not one of the classes ['small', 'large']"


def test_a_regression_target_becomes_one_number_rows(tmp_path):
    path = write(tmp_path, "rooms,area,price\n3,70,250.5\n4,95,310\n")
    X, y, feature_names, class_names = read_csv(path, target="price", task="regression")
    assert X == [[3.0, 70.0], [4.0, 95.0]] and y == [[250.5], [310.0]]
    assert feature_names == ["rooms", "area"] and class_names is None
    error = refusal(write(tmp_path, "rooms,price\n3,cheap\n", "words.csv"), target="price", task="regression")
    assert error.line_number == 2 and error.column == "price" and "'cheap' is not a number" in str(error)


def test_features_pick_and_order_columns_and_the_rest_is_ignored(tmp_path):
    path = write(tmp_path, "name,a,b,label\nfirst,1,2,x\nsecond,3,4,y\n")
    table = read_csv(path, target="label", features=["b", "a"])
    assert table.X == [[2.0, 1.0], [4.0, 3.0]] and table.feature_names == ["b", "a"]
    # without features, the word column "name" is a feature and is refused
    assert refusal(path, target="label").column == "name"


def test_what_spreadsheets_write_is_read(tmp_path):
    # Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with \r\n; blank and empty rows trail;
    # a quoted class name may hold the delimiter; cells may have spaces around them.
    text = '\ufeffa, b ,label\r\n 1 ,2,"cat, black"\r\n3,4,dog\r\n\r\n,,\r\n'
    table = read_csv(write(tmp_path, text), target="label")
    assert table.feature_names == ["a", "b"] and table.X == [[1.0, 2.0], [3.0, 4.0]]
    assert table.class_names == ["cat, black", "dog"]
    # a European spreadsheet: ';' between values
    semicolons = write(tmp_path, "a;label\n1.5;x\n2;y\n", "semi.csv")
    assert read_csv(semicolons, target="label", delimiter=";").X == [[1.5], [2.0]]
    # another encoding, when asked for
    latin = read_csv(write(tmp_path, "a,label\n1,caf\u00e9\n2,th\u00e9\n", "latin.csv", "cp1252"), target="label",
                     encoding="cp1252")
    assert latin.class_names == ["caf\u00e9", "th\u00e9"]


def test_line_numbers_count_lines_of_the_file_not_rows(tmp_path):
    # a blank line and a quoted value over two lines: the error names the line an editor shows
    path = write(tmp_path, 'a,label\n1,"two\nlines"\n\n2,x\nheavy,y\n')
    assert refusal(path, target="label").line_number == 6


# --- what is refused, and what it says --------------------------------------------------------------

ERRORS = [
    # (file text, options, the message after "file 'PATH'")
    ("a,b,label\n1,2,cat\n3,heavy,dog\n", {}, ", line 3, column 'b': 'heavy' is not a number"),
    ("a,b,label\n1,,cat\n3,4,dog\n", {}, ", line 2, column 'b': the cell is empty (a missing value); fill it in or "
     "delete the row"),
    ("a,b,label\n1,nan,cat\n", {}, ", line 2, column 'b': 'nan' is not a finite number"),
    ("a,b,label\n1,-inf,cat\n", {}, ", line 2, column 'b': '-inf' is not a finite number"),
    ("a,b,label\n1,1e999,cat\n", {}, ", line 2, column 'b': '1e999' is not a finite number"),
    ("a,b,label\n1,2,cat\n3,4,5,dog\n", {}, ", line 3: 4 values, but the header names 3 columns (a stray ',' in a "
     "value? put the value in double quotes)"),
    ("a,b,label\n1,2,cat\n3,dog\n", {}, ", line 3: 2 values, but the header names 3 columns (is a value missing?)"),
    ("a,b,Fruit\n1,2,cat\n", {}, ": no column named 'fruit'; the header names 'a', 'b', 'Fruit'; did you mean "
     "'Fruit'?"),
    ("a;b;label\n1;2;cat\n", {}, ": no column named 'label'; the header names 'a;b;label'; the values seem separated "
     "by ';': pass delimiter=';'"),
    ("a;label\n1,5;cat\n", {"delimiter": ";"}, ", line 2, column 'a': '1,5' is not a number; a decimal comma? write "
     "'1.5' (purenet reads a decimal point)"),
    ("", {}, ": the file is empty; expected a header line naming the columns"),
    ("\n \n,,\n", {}, ": the file is empty; expected a header line naming the columns"),
    ("a,b,label\n", {}, ", line 1: the header is there but no rows of data follow it"),
    ("label\ncat\n", {}, ", line 1: the target 'label' is the only column; there is nothing to learn from"),
    (",a,label\n0,1,cat\n", {}, ", line 1: column 1 of the header has no name (pandas writes its index so: save "
     "with index=False)"),
    ("a,a,label\n1,2,cat\n", {}, ", line 1: columns 1 and 2 are both named 'a'; name each once"),
    ("a,label\n1,cat\n2,cat\n", {}, ", column 'label': every row has the class 'cat'; a classifier needs two or more"),
    ("a,label\n1,cat\n2,\n", {}, ", line 3, column 'label': the cell is empty; every sample needs its class"),
    ("rooms,label\n3,250\n4,310.5\n", {}, ", line 3, column 'label': '310.5' is a measurement, not a class name; "
     "to predict a number pass task=\"regression\" (or list the classes with classes=[...] to use such labels as "
     "classes)"),
    ('a,label\n1,"cat\n', {}, ", line 2: not valid CSV (unexpected end of data)"),
    ('a,label\n1,"cat"x\n', {}, ", line 2: not valid CSV (',' expected after '\"')"),
]


@pytest.mark.parametrize(("text", "options", "message"), ERRORS)
def test_a_bad_table_is_refused_naming_file_line_and_column(tmp_path, text, options, message):
    path = write(tmp_path, text)
    target = "fruit" if "Fruit" in text else "label"
    error = refusal(path, target=target, **options)
    assert isinstance(error, ValueError)
    assert str(error) == f"file {path!r}{message}"


def test_text_that_is_not_utf8_names_its_line_and_the_way_out(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("a,label\n1,cat\n2,caf\u00e9\n".encode("cp1252"))
    error = refusal(str(path), target="label")
    assert error.line_number == 3
    assert "byte 0xe9 is not utf-8 text" in str(error) and 'encoding="cp1252"' in str(error)


def test_a_long_cell_is_cut_in_the_message(tmp_path):
    error = refusal(write(tmp_path, "a,label\n" + "x" * 500 + ",cat\n"), target="label")
    assert str(error).endswith("'" + "x" * 40 + "...' is not a number")


def test_a_missing_file_is_the_usual_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_csv(tmp_path / "absent.csv", target="label")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"target": 3}, TypeError, "target must be a column name"),
        ({"target": ""}, TypeError, "target must be a column name"),
        ({"target": "label", "features": "a"}, TypeError, "features must be None"),
        ({"target": "label", "features": []}, TypeError, "features must be None"),
        ({"target": "label", "features": ["a", "a"]}, ValueError, "names a column twice"),
        ({"target": "label", "features": ["a", "label"]}, ValueError, "must not see the answer"),
        ({"target": "label", "task": "classes"}, ValueError, "task must be 'classification' or 'regression'"),
        ({"target": "label", "task": "regression", "classes": ["x"]}, ValueError, "a regression target has no"),
        ({"target": "label", "classes": "cat"}, TypeError, "classes must be None or a list"),
        ({"target": "label", "classes": ["cat", "cat"]}, ValueError, "names a class twice"),
        ({"target": "label", "delimiter": ", "}, ValueError, "delimiter must be one character"),
        ({"target": "label", "delimiter": '"'}, ValueError, "delimiter must be one character"),
        ({"target": "label", "encoding": "klingon"}, ValueError, "encoding 'klingon' is not one Python knows"),
        ({"target": "label", "encoding": None}, TypeError, "encoding must be a str"),
    ],
)
def test_wrong_arguments_name_the_argument(tmp_path, options, error, message):
    with pytest.raises(error, match=message):
        read_csv(write(tmp_path, SMALL), **options)


def test_a_path_that_is_not_a_path_is_refused():
    with pytest.raises(TypeError, match="path must be a str"):
        read_csv(b"bytes.csv", target="label")


# --- the fuzzer ---------------------------------------------------------------------------------

ODD_CELLS = ["", " ", "nan", "NaN", "inf", "-Infinity", "1e999", "-1e-400", "heavy", '"', '""', '"a,b"', "1,5",
             "\ufeff", "\x00", " 3 ", "1_000", "9" * 5000, "\u0661\u0662", "0x10", "--1", "1e", ".", "+.5", "\r",
             "\n", "cat", "apple", "x" * 200000]
BASE = FRUIT.read_text(encoding="utf-8").splitlines()[:13]  # the header and 12 rows: every class, quick to read


def mutate_cells(lines: list[str], rng: random.Random) -> str:
    """One to three edits of cells or lines: an odd value put in, a cell or line dropped or doubled."""
    lines = [line.split(",") for line in lines]
    for _ in range(rng.randint(1, 3)):
        row = lines[rng.randrange(len(lines))]
        kind = rng.randrange(6)
        if kind <= 1 and row:
            row[rng.randrange(len(row))] = rng.choice(ODD_CELLS)
        elif kind == 2 and row:
            del row[rng.randrange(len(row))]
        elif kind == 3:
            row.insert(rng.randrange(len(row) + 1), rng.choice(ODD_CELLS))
        elif kind == 4 and len(lines) > 1:
            del lines[rng.randrange(len(lines))]
        else:
            lines.insert(rng.randrange(len(lines) + 1), list(row))
    return "\n".join(",".join(row) for row in lines) + rng.choice(["\n", "\r\n", ""])


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flipped bits, a cut, or random bytes put in."""
    data = bytearray(data)
    kind = rng.randrange(3)
    if kind == 0:
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[rng.randrange(len(data)) :]
    else:
        spot = rng.randrange(len(data) + 1)
        data[spot:spot] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


def check_table(table: Table, options: dict) -> None:
    """A table that was read is well formed: rectangular finite floats, one label per row, in range."""
    X, y, feature_names, class_names = table
    assert X and len(X) == len(y) and all(len(row) == len(feature_names) for row in X)
    assert all(type(value) is float and math.isfinite(value) for row in X for value in row)
    if options.get("task") == "regression":
        assert class_names is None and all(len(row) == 1 and math.isfinite(row[0]) for row in y)
    else:
        assert len(class_names) >= 2 and all(0 <= label < len(class_names) for label in y)


def test_a_thousand_fuzzed_tables_are_read_or_refused_with_table_format_error(tmp_path):
    rng = random.Random("0:tables")
    counts = {"read": 0, "refused": 0}
    path = tmp_path / "fuzzed.csv"
    for case in range(1000):
        if rng.random() < 0.7:
            data = mutate_cells(BASE, rng).encode("utf-8")
        else:
            data = mutate_bytes(("\n".join(BASE) + "\n").encode("utf-8"), rng)
        path.write_bytes(data)
        options = rng.choice([
            {"target": "fruit"},
            {"target": "weight_g", "task": "regression", "features": ["width_cm", "height_cm"]},
            {"target": "fruit", "features": ["hue_deg", "width_cm"]},
            {"target": "fruit", "classes": ["apple", "lemon", "orange"]},
        ])
        try:
            table = read_csv(path, **options)
        except TableFormatError:
            counts["refused"] += 1
            continue
        except Exception as error:  # noqa: BLE001 (anything else is what the fuzzer looks for)
            pytest.fail(f"case {case}: {type(error).__name__}: {str(error)[:300]} for {data[:300]!r}")
        check_table(table, options)
        counts["read"] += 1
    # Both outcomes occur, or the mutations do not test what they claim to.
    assert counts["read"] >= 100 and counts["refused"] >= 500, counts
