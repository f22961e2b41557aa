"""Tests for purenet.progress: the text bar and the progress line on terminals and in logs."""

import io

import pytest

from purenet.progress import ProgressBar, bar


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


@pytest.mark.parametrize(
    "fraction, expected",
    [
        (0.0, "[>" + "." * 23 + "]"),
        (0.5, "[" + "=" * 12 + ">" + "." * 11 + "]"),
        (1.0, "[" + "=" * 24 + "]"),
        (-3.0, "[>" + "." * 23 + "]"),  # clamped to 0
        (7.0, "[" + "=" * 24 + "]"),  # clamped to 1
        (0.99, "[" + "=" * 23 + ">" + "]"),  # 23.76 cells filled: 23 and the head
    ],
)
def test_bar_shapes(fraction, expected):
    assert bar(fraction) == expected
    assert len(bar(fraction)) == 24 + 2


def test_bar_width():
    assert bar(0.25, width=8) == "[==>.....]"
    assert bar(1.0, width=3) == "[===]"
    for width in (1, 5, 40):
        for step in range(11):
            assert len(bar(step / 10, width=width)) == width + 2


def test_non_terminal_writes_only_on_finish():
    stream = io.StringIO()
    progress = ProgressBar("epoch 1/3", 4, stream)
    assert not progress.interactive
    for done in range(1, 5):
        progress.update(done, f"loss {done}")
    assert stream.getvalue() == ""
    progress.finish("loss 0.1234")
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert "\r" not in text
    assert text.startswith("epoch 1/3 [" + "=" * 24 + "] ")
    assert text.rstrip("\n").endswith("loss 0.1234")
    assert "s loss" in text  # the elapsed time, e.g. "0.0s"


def test_fake_terminal_gets_carriage_return_updates():
    stream = FakeTerminal()
    progress = ProgressBar("epoch 2/5", 4, stream)
    assert progress.interactive
    progress.update(1, "loss 0.5")
    first = stream.getvalue()
    assert first.startswith("\repoch 2/5 [" + "=" * 6 + ">")
    assert "1/4 loss 0.5" in first
    assert "\n" not in first
    progress.update(2, "loss 0.4")
    progress.finish("done")
    text = stream.getvalue()
    assert text.count("\r") == 3  # two updates and the final line
    assert text.count("\n") == 1 and text.endswith("\n")
    assert "2/4 loss 0.4" in text
    assert visible_lines(text)[-1].endswith("s done")


def test_stream_without_isatty_is_treated_as_a_log():
    class Plain:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

        def flush(self):
            pass

    stream = Plain()
    progress = ProgressBar("x", 2, stream)
    progress.update(1)
    assert stream.parts == []
    progress.finish()
    assert len(stream.parts) == 1 and stream.parts[0].startswith("x [")


def test_default_stream_is_stderr(capsys):
    ProgressBar("epoch 1/1", 1).finish("ok")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("epoch 1/1 [") and captured.err.endswith("ok\n")


def visible_lines(written):
    """What a terminal shows: a carriage return moves to column 0 and later characters overwrite."""
    lines, current, column = [], [], 0
    for character in written:
        if character == "\r":
            column = 0
        elif character == "\n":
            lines.append("".join(current))
            current, column = [], 0
        else:
            if column < len(current):
                current[column] = character
            else:
                current.append(character)
            column += 1
    if current:
        lines.append("".join(current))
    return [line.rstrip() for line in lines]


def test_terminal_emulator_by_hand():
    assert visible_lines("abcdef\rxy\n") == ["xycdef"]
    assert visible_lines("abc   \rxy \n") == ["xy"]


def test_final_line_on_a_terminal_leaves_no_leftovers_of_a_longer_progress_line():
    # The last update ("100/100 loss 0.6931") is longer than the summary ("0.0s loss 0.1"):
    # the summary must erase it, or the terminal shows "loss 0.1931".
    stream = FakeTerminal()
    progress = ProgressBar("epoch 1/1", 100, stream)
    progress.update(100, "loss 0.6931")
    progress.finish("loss 0.1")
    shown = visible_lines(stream.getvalue())
    assert len(shown) == 1
    assert shown[0].startswith("epoch 1/1 [" + "=" * 24 + "] ")
    assert shown[0].endswith("s loss 0.1"), repr(shown[0])


@pytest.mark.parametrize("total, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)])
def test_total_must_be_a_positive_integer(total, error):
    with pytest.raises(error, match=rf"ProgressBar: total must be a positive integer, got {total!r}"):
        ProgressBar("epoch 1/1", total, io.StringIO())
