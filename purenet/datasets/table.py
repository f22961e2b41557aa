"""Numeric tables from CSV files: your own data, as a spreadsheet saves it, becomes ``X, y`` for ``fit``.

    from purenet.datasets import read_csv
    X, y, feature_names, class_names = read_csv("examples/data/fruit.csv", target="fruit")

A CSV file ("comma-separated values") is what a spreadsheet writes with
"Save as... CSV": a header line naming the columns, then one line per sample::

    weight_g,width_cm,height_cm,hue_deg,fruit
    171.2,7.64,7.02,14.1,apple
    118.5,5.71,8.23,56.0,lemon

``read_csv`` reads it with the standard library's ``csv`` module and returns
``Table(X, y, feature_names, class_names)``: the feature columns as rows of
floats (samples x features), and the ``target`` column as class indices with
the names they stand for (``task="classification"``), or as one-number rows
``[[2.5], [3.1], ...]`` for ``MeanSquaredError`` (``task="regression"``).

It is strict on purpose. A table with a word in a number column, an empty
cell, NaN or infinity, a row of the wrong length or a missing column is
refused with a :class:`TableFormatError` naming the file, the line and the
column, rather than read into numbers that would train a network on
something else than the learner thinks. docs/first-network.md shows every
message; tests/test_table.py checks them and fuzzes the reader.

The module is called ``table`` rather than ``csv`` so that it is never
mistaken for the standard library's ``csv``, which it uses.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
from typing import NamedTuple

__all__ = ["Table", "TableFormatError", "read_csv"]

TASKS = ("classification", "regression")


class TableFormatError(ValueError):
    """A CSV file that is not a numeric table; names the file, the line (from 1) and the column where known."""

    def __init__(self, path: str, line_number: int | None, column: str | None, problem: str) -> None:
        where = f"file {path!r}"
        if line_number is not None:
            where += f", line {line_number}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line_number = line_number
        self.column = column
        self.problem = problem


class Table(NamedTuple):
    """What ``read_csv`` returns; unpacks as ``X, y, feature_names, class_names``.

    X: samples x features, floats, in the order of ``feature_names``.
    y: class indices into ``class_names`` (classification), or one-number
        rows ``[value]`` (regression, ``class_names`` None).
    """

    X: list[list[float]]
    y: list
    feature_names: list[str]
    class_names: list[str] | None


def _short(text: str, limit: int = 40) -> str:
    """A cell for a message: quoted, and cut if long (a whole paragraph in one cell helps nobody)."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _decode(data: bytes, name: str, encoding: str) -> str:
    """The file's text. UTF-8 with or without the byte-order mark that spreadsheets write ("CSV UTF-8")."""
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableFormatError(
            name, line, None,
            f"byte 0x{data[error.start]:02x} is not {encoding} text; save the file from your spreadsheet as "
            f"\"CSV UTF-8\", or pass the encoding it was saved in (e.g. encoding=\"cp1252\")",
        ) from None


def _rows(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each row with a non-blank cell; a row's number is the line it ends on."""
    # newline="" keeps the line ends for csv, which splits on \n, \r and \r\n only (not on form feeds)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):  # blank lines (a spreadsheet often ends with some) hold no sample
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise TableFormatError(name, reader.line_num, None, f"not valid CSV ({error})") from None
    return rows


def _check_arguments(
    target: object, features: object, task: object, classes: object, delimiter: object, encoding: object
) -> None:
    if not isinstance(target, str) or not target:
        raise TypeError(f"read_csv: target must be a column name (a non-empty str), got {target!r}")
    if features is not None:
        if not isinstance(features, (list, tuple)) or not features or not all(
            isinstance(feature, str) and feature for feature in features
        ):
            raise TypeError(
                f"read_csv: features must be None (every other column) or a list of column names, got {features!r}"
            )
        if len(set(features)) != len(features):
            raise ValueError(f"read_csv: features names a column twice: {list(features)!r}")
        if target in features:
            raise ValueError(
                f"read_csv: the target {target!r} is also in features; a network must not see the answer"
            )
    if task not in TASKS:
        raise ValueError(f"read_csv: task must be 'classification' or 'regression', got {task!r}")
    if classes is not None:
        if task != "classification":
            raise ValueError("read_csv: classes is for task='classification'; a regression target has no classes")
        if not isinstance(classes, (list, tuple)) or not classes or not all(
            isinstance(label, str) and label for label in classes
        ):
            raise TypeError(f"read_csv: classes must be None or a list of class names (str), got {classes!r}")
        if len(set(classes)) != len(classes):
            raise ValueError(f"read_csv: classes names a class twice: {list(classes)!r}")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\"\r\n":
        raise ValueError(f"read_csv: delimiter must be one character such as ',' or ';', got {delimiter!r}")
    if not isinstance(encoding, str):
        raise TypeError(f"read_csv: encoding must be a str such as 'utf-8', got {encoding!r}")
    try:
        "".encode(encoding)
    except LookupError:
        raise ValueError(f"read_csv: encoding {encoding!r} is not one Python knows (e.g. 'utf-8', 'cp1252')") from None


def _header(rows: list, name: str) -> list[str]:
    """The header's column names: each one present and different from the others."""
    if not rows:
        raise TableFormatError(name, None, None, "the file is empty; expected a header line naming the columns")
    line, header = rows[0]
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            hint = " (pandas writes its index so: save with index=False)" if position == 1 else ""
            raise TableFormatError(name, line, None, f"column {position} of the header has no name{hint}")
        if column in seen:
            raise TableFormatError(
                name, line, None, f"columns {seen[column]} and {position} are both named {column!r}; name each once"
            )
        seen[column] = position
    return header


def _missing_column(name: str, header: list[str], column: str, delimiter: str) -> TableFormatError:
    """The error for a column the header lacks, with the nearest name or the likely delimiter."""
    hint = ""
    others = [other for other in ";\t|," if other != delimiter and len(header) == 1 and other in header[0]]
    close = [heading for heading in header if heading.lower() == column.lower()]
    close = close or difflib.get_close_matches(column, header, n=1, cutoff=0.6)
    if others:  # the whole header read as one name: the file uses another delimiter
        hint = f"; the values seem separated by {others[0]!r}: pass delimiter={others[0]!r}"
    elif close:
        hint = f"; did you mean {close[0]!r}?"
    columns = ", ".join(repr(heading) for heading in header)
    return TableFormatError(name, None, None, f"no column named {column!r}; the header names {columns}{hint}")


def _number(cell: str, name: str, line: int, column: str, delimiter: str) -> float:
    """A cell as a finite float, or the error that says why it is not one."""
    if not cell:
        raise TableFormatError(name, line, column, "the cell is empty (a missing value); fill it in or delete the row")
    try:
        value = float(cell)
    except ValueError:
        hint = ""
        if "," in cell and delimiter != ",":
            hint = f"; a decimal comma? write {cell.replace(',', '.')!r} (purenet reads a decimal point)"
        raise TableFormatError(name, line, column, f"{_short(cell)} is not a number{hint}") from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN, or overflowed like 1e999
        raise TableFormatError(name, line, column, f"{_short(cell)} is not a finite number")
    return value


def _is_fraction(label: str) -> bool:
    """Whether a label reads as a finite number that is not whole ("250.5"): a measurement, not a class name."""
    try:
        value = float(label)
    except ValueError:
        return False
    return math.isfinite(value) and value != math.floor(value)


def _class_order(labels: list[str]) -> list[str]:
    """The class names in a fixed order: by number if every label is an integer ("0", "1", "10"), else by name."""
    try:
        return sorted(set(labels), key=lambda label: (int(label), label))
    except ValueError:  # a word, or an integer too long for int(): order by name
        return sorted(set(labels))


def read_csv(
    path: str | os.PathLike,
    target: str,
    features: list[str] | None = None,
    task: str = "classification",
    classes: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Table:
    """Read a CSV file with a header line into ``Table(X, y, feature_names, class_names)``.

    Args:
        path: the file.
        target: the column to predict.
        features: the columns the network sees, in this order; None: every
            column but the target, in the file's order.
        task: "classification": the target holds class names (words or
            numbers, e.g. ``apple`` or ``3``), returned as class indices
            ``y[n]`` into ``class_names``; "regression": the target holds
            numbers, returned as rows ``[[value], ...]`` (what
            ``MeanSquaredError`` expects) with ``class_names`` None.
        classes: the class names in the order you want their indices (a
            label outside them is an error); None: every label found, ordered
            by number if all are integers, else alphabetically, and at least two.
        delimiter: the character between values (some spreadsheets write ';').
        encoding: of the file; UTF-8's byte-order mark is skipped.

    Every cell is stripped of surrounding spaces; lines with only empty cells
    are skipped. Feature cells (and a regression target) must be finite
    numbers as Python's ``float`` reads them. Columns not named are ignored.

    Raises :class:`TableFormatError` (a ValueError) naming the file, line and
    column for: an empty file, a header with an unnamed or repeated column, a
    missing column, a row with more or fewer values than the header, an empty
    cell, a cell that is not a number, NaN or infinity, a text encoding
    error, broken quoting, no rows of data, fewer than two classes, or (unless
    ``classes`` is given) a class that is a number with a fraction, like
    ``250.5``: a measurement, which ``task="regression"`` reads.
    Wrong arguments raise TypeError or ValueError naming the argument.
    """
    _check_arguments(target, features, task, classes, delimiter, encoding)
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"read_csv: path must be a str or os.PathLike naming a file, got {path!r}")
    with open(name, "rb") as file:
        data = file.read()
    rows = _rows(_decode(data, name, encoding), name, delimiter)
    header = _header(rows, name)
    feature_names = list(features) if features is not None else [column for column in header if column != target]
    for column in [target] + feature_names:
        if column not in header:
            raise _missing_column(name, header, column, delimiter)
    if not feature_names:
        raise TableFormatError(
            name, rows[0][0], None, f"the target {target!r} is the only column; there is nothing to learn from"
        )
    if len(rows) == 1:
        raise TableFormatError(name, rows[0][0], None, "the header is there but no rows of data follow it")
    feature_positions = [header.index(column) for column in feature_names]
    target_position = header.index(target)

    X: list[list[float]] = []
    targets: list[str] = []  # the class names as written (classification)
    values: list[list[float]] = []  # the numbers (regression)
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            count = f"{len(cells)} value{'' if len(cells) == 1 else 's'}"
            cause = (
                f"a stray {delimiter!r} in a value? put the value in double quotes"
                if len(cells) > len(header) else "is a value missing?"
            )
            raise TableFormatError(name, line, None, f"{count}, but the header names {len(header)} columns ({cause})")
        # The target first: a wrong target (a measurement read as classes) is the mistake to report, not what
        # follows from it (the other columns, a word among them, read as features).
        label = cells[target_position]
        if task == "regression":
            values.append([_number(label, name, line, target, delimiter)])
        elif not label:
            raise TableFormatError(name, line, target, "the cell is empty; every sample needs its class")
        elif classes is None and _is_fraction(label):
            # read as classes, a column of measurements would train a classifier with a class per value, silently
            raise TableFormatError(
                name, line, target,
                f"{_short(label)} is a measurement, not a class name; to predict a number pass "
                f"task=\"regression\" (or list the classes with classes=[...] to use such labels as classes)",
            )
        else:
            targets.append(label)
        X.append([_number(cells[index], name, line, header[index], delimiter) for index in feature_positions])

    if task == "regression":
        return Table(X, values, feature_names, None)
    if classes is None:
        class_names = _class_order(targets)
        if len(class_names) < 2:
            raise TableFormatError(
                name, None, target, f"every row has the class {class_names[0]!r}; a classifier needs two or more"
            )
    else:
        class_names = list(classes)
    index_of = {label: index for index, label in enumerate(class_names)}
    y = []
    for (line, _), label in zip(rows[1:], targets):
        if label not in index_of:
            raise TableFormatError(name, line, target, f"{_short(label)} is not one of the classes {class_names!r}")
        y.append(index_of[label])
    return Table(X, y, feature_names, class_names)
