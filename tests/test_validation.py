"""The argument checks of purenet/validation.py: what passes, and what each refusal says."""

import math

import pytest

from purenet import validation
from purenet.validation import ArgumentTypeError


def test_is_finite_counts_an_int_beyond_float_range_as_not_finite_instead_of_raising():
    assert validation.is_finite(3) and validation.is_finite(-2.5) and validation.is_finite(10**300)
    assert not validation.is_finite(10**400)
    assert not validation.is_finite(-(10**400))
    assert not validation.is_finite(math.nan)
    assert not validation.is_finite(math.inf)


def test_a_wrong_type_is_a_type_error_and_still_a_value_error_for_older_callers():
    with pytest.raises(TypeError):
        validation.check_integer(2.0, "size", minimum=1)
    with pytest.raises(ValueError):
        validation.check_integer(2.0, "size", minimum=1)
    assert issubclass(ArgumentTypeError, TypeError) and issubclass(ArgumentTypeError, ValueError)


@pytest.mark.parametrize(
    "value, minimum, optional, error, message",
    [
        (0, 1, False, ValueError, r"^Dense: in_features must be a positive integer, got 0$"),
        (True, 1, False, ArgumentTypeError, r"^Dense: in_features must be a positive integer, got True$"),
        ("4", 1, False, ArgumentTypeError, r"^Dense: in_features must be a positive integer, got '4'$"),
        (-1, 0, False, ValueError, r"^Dense: in_features must be a non-negative integer, got -1$"),
        (2, 3, False, ValueError, r"^Dense: in_features must be an integer >= 3, got 2$"),
        (1.5, None, False, ArgumentTypeError, r"^Dense: in_features must be an integer, got 1\.5$"),
        (0, 1, True, ValueError, r"^Dense: in_features must be a positive integer or None, got 0$"),
    ],
)
def test_check_integer_names_the_argument_what_was_expected_and_what_came(value, minimum, optional, error, message):
    with pytest.raises(error, match=message):
        validation.check_integer(value, "Dense: in_features", minimum=minimum, optional=optional)


def test_check_integer_returns_what_it_accepts():
    assert validation.check_integer(5, "n", minimum=1) == 5
    assert validation.check_integer(0, "n", minimum=0) == 0
    assert validation.check_integer(-7, "n") == -7
    assert validation.check_integer(None, "n", minimum=1, optional=True) is None


@pytest.mark.parametrize(
    "value, minimum, below, error, message",
    [
        (math.nan, 0.0, None, ValueError, r"^lr must be a finite number, got nan$"),
        (math.inf, 0.0, None, ValueError, r"^lr must be a finite number, got inf$"),
        (10**400, 0.0, None, ValueError, r"^lr must be a finite number, got 1000"),
        ("0.1", 0.0, None, ArgumentTypeError, r"^lr must be a finite number, got '0\.1'$"),
        (True, 0.0, None, ArgumentTypeError, r"^lr must be a finite number, got True$"),
        (None, 0.0, None, ArgumentTypeError, r"^lr must be a finite number, got None$"),
        (-0.5, 0.0, None, ValueError, r"^lr must be >= 0\.0, got -0\.5$"),
        (1.0, 0.0, 1.0, ValueError, r"^lr must be in \[0\.0, 1\.0\), got 1\.0$"),
        (2.0, None, 1.0, ValueError, r"^lr must be < 1\.0, got 2\.0$"),
    ],
)
def test_check_number_refuses_non_finite_values_wrong_types_and_values_out_of_range(
    value, minimum, below, error, message
):
    with pytest.raises(error, match=message):
        validation.check_number(value, "lr", minimum=minimum, below=below)


def test_check_number_returns_a_float_and_keeps_the_lower_bound_inclusive_and_the_upper_exclusive():
    assert validation.check_number(0, "lr", minimum=0.0, below=1.0) == 0.0
    assert isinstance(validation.check_number(3, "lr"), float)
    assert validation.check_number(0.999, "beta", minimum=0.0, below=1.0) == pytest.approx(0.999, abs=0.0)
    assert validation.check_number(-1e300, "x") == pytest.approx(-1e300, rel=1e-15)


@pytest.mark.parametrize("value", [1, 2, 4, 8, 1024, 2**70])
def test_check_power_of_two_accepts_every_power_of_two(value):
    assert validation.check_power_of_two(value, "size") == value


@pytest.mark.parametrize(
    "value, minimum, error, message",
    [
        (3, 1, ValueError, r"^factor must be a power of two \(1, 2, 4, .*\), got 3$"),
        (0, 1, ValueError, r"^factor must be a power of two .*, got 0$"),
        (-4, 1, ValueError, r"^factor must be a power of two .*, got -4$"),
        (2, 4, ValueError, r"^factor must be a power of two >= 4 \(4, 8, 16, .*\), got 2$"),
        (12, 4, ValueError, r"^factor must be a power of two >= 4 .*, got 12$"),
        (4.0, 1, ArgumentTypeError, r"^factor must be an int, got float \(4\.0\)$"),
        (True, 1, ArgumentTypeError, r"^factor must be an int, got bool \(True\)$"),
    ],
)
def test_check_power_of_two_refuses_other_numbers_and_types(value, minimum, error, message):
    with pytest.raises(error, match=message):
        validation.check_power_of_two(value, "factor", minimum=minimum)


def test_check_seed_accepts_any_int_and_refuses_everything_else_with_a_type_error():
    assert validation.check_seed(-3) == -3
    assert validation.check_seed(2**80) == 2**80
    for value, shown in ((1.0, "float 1.0"), (True, "bool True"), (None, "NoneType None"), ("7", "str '7'")):
        with pytest.raises(TypeError, match=rf"^fit: seed must be an int \(runs are reproducible\), got {shown}$"):
            validation.check_seed(value, "fit: seed")
