"""Run reports: one self-contained HTML file that shows how a training run went.

``python -m purenet train spiral --report run.html`` writes one. The page
holds everything inline (charts as SVG, images as PNG in ``data:`` URLs, the
style in a ``<style>`` element): no script, no font and no request to any
other address, so it opens offline and can be mailed or archived as it is.

A report is a list of sections, each a heading and a fragment of HTML, put
on one page by :func:`html_page`. This module holds the parts every task
shares (the loss and accuracy curves, the model summary and the command,
the confusion matrix, the decision regions of a 2-D task, the worst
classified held-out samples); an application adds its own sections (the
square detector's are in ``purenet/squares/run_report.py``). Reading the charts:
docs/watching.md.
"""

from __future__ import annotations

import html
import os
import platform

from . import __version__, plot
from .metrics import confusion_matrix
from .model import Sequential
from .serialization import write_atomically
from .validation import check_integer

Section = tuple[str, str]
"""A heading and a fragment of HTML (already escaped) beneath it."""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
pre { background: #f5f5f5; padding: 0.8em; overflow-x: auto; font-size: 0.9em; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f5f5f5; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } svg { max-width: 100%; height: auto; } .note { color: #555; font-size: 0.9em; }
"""


def text(content: str) -> str:
    """``content`` as a paragraph, escaped."""
    return f"<p>{html.escape(content)}</p>"


def code(content: str) -> str:
    """``content`` as preformatted text (a command, a model summary), escaped."""
    return f"<pre>{html.escape(content)}</pre>"


def figure(svg: str, caption: str = "") -> str:
    """An SVG chart from ``purenet.plot``, inline, with an optional caption.

    The XML declaration is dropped: inside HTML it is not allowed.
    """
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :]
    svg = svg.strip()
    shown = f"<figcaption class='note'>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{shown}</figure>"


def table(header: list[str], rows: list[list[object]]) -> str:
    """A table: numbers that are floats are shown with 4 significant digits, everything escaped."""

    def cell(value: object) -> str:
        return html.escape(f"{value:.4g}" if isinstance(value, float) else str(value))

    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def worst_examples(model: Sequential, X: list[list[float]], y: list[int], count: int = 8) -> list[dict]:
    """The ``count`` samples the model finds hardest: the lowest probability given to the true class.

    That probability p is what the cross-entropy punishes (the sample's loss
    is -log p), so these are the samples that add most to the loss. Returns
    dicts ``{"index", "true", "predicted", "probability"}`` (the probability
    of the true class), hardest first; ties keep the samples' order.
    """
    check_integer(count, "worst_examples: count", minimum=1)
    probabilities = model.predict_proba(X)
    entries = [
        {
            "index": index,
            "true": label,
            "predicted": max(range(len(row)), key=row.__getitem__),
            "probability": row[label],
        }
        for index, (row, label) in enumerate(zip(probabilities, y))
    ]
    return sorted(entries, key=lambda entry: entry["probability"])[:count]


def curves_section(history: dict) -> Section:
    """Loss and accuracy per epoch, training solid and validation dashed."""
    epochs = len(history.get("loss", []))
    final = ", ".join(
        f"{name} {values[-1]:.4f}" for name, values in history.items() if values and values[-1] is not None
    )
    return (
        "Loss and accuracy per epoch",
        figure(
            plot.history(history),
            f"{epochs} epoch{'s' * (epochs != 1)}; at the end: {final}" if epochs else "no epochs ran",
        ),
    )


def model_section(model: Sequential, command: str) -> Section:
    """The exact command that made the run, and the model's summary."""
    versions = f"purenet {__version__}, Python {platform.python_version()}"
    return ("The run", text("Command:") + code(command) + text(f"Model ({versions}):") + code(model.summary()))


def confusion_section(matrix: list[list[int]], class_names: list[str], where: str) -> Section:
    """The confusion matrix (rows: true class, columns: prediction) on the held-out samples ``where``."""
    total = sum(map(sum, matrix))
    correct = sum(matrix[index][index] for index in range(len(matrix)))
    return (
        "Confusion matrix",
        figure(
            plot.confusion_matrix_chart(matrix, class_names),
            f"{where}: {correct} of {total} right ({correct / total:.2%}); rows are the true class, "
            "columns the prediction",
        ),
    )


def regions_section(model: Sequential, X: list[list[float]], y: list[int], class_names: list[str]) -> Section:
    """What a 2-D classifier says over the whole plane, with the held-out samples on top."""
    return (
        "Decision regions",
        figure(
            plot.decision_regions(model, X, y, class_names=class_names, resolution=80),
            "the class the model gives at every point; a sample on another class's tint is one it gets wrong",
        ),
    )


def worst_points_section(
    model: Sequential, X: list[list[float]], y: list[int], class_names: list[str], count: int = 10
) -> Section:
    """The held-out points of a 2-D task the model finds hardest, as a table."""
    rows = [
        [
            entry["index"],
            f"({X[entry['index']][0]:.3f}, {X[entry['index']][1]:.3f})",
            class_names[entry["true"]],
            class_names[entry["predicted"]],
            entry["probability"],
        ]
        for entry in worst_examples(model, X, y, count)
    ]
    return (
        "The worst-classified held-out samples",
        table(["sample", "point", "true class", "predicted", "p(true class)"], rows),
    )


def html_page(title: str, sections: list[Section]) -> str:
    """One self-contained HTML page: the title, then each section's heading and fragment."""
    body = "".join(f"<section><h2>{html.escape(heading)}</h2>{fragment}</section>" for heading, fragment in sections)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )


def classification_report(
    title: str,
    model: Sequential,
    history: dict,
    command: str,
    X_test: list[list[float]],
    y_test: list[int],
    class_names: list[str],
) -> str:
    """The report of a classifier: curves, the run, the confusion matrix on the held-out samples and the
    worst of them; for 2-D inputs, the decision regions too."""
    matrix = confusion_matrix(model.predict(X_test), y_test, classes=len(class_names))
    sections = [
        curves_section(history),
        model_section(model, command),
        confusion_section(matrix, class_names, f"{len(X_test)} held-out samples"),
    ]
    if len(X_test[0]) == 2:
        sections += [
            regions_section(model, X_test, y_test, class_names),
            worst_points_section(model, X_test, y_test, class_names),
        ]
    return html_page(title, sections)


def write_report(path: str | os.PathLike, page: str) -> None:
    """Write the HTML ``page`` to ``path`` atomically: a crash leaves any old file whole."""
    write_atomically(path, page)
