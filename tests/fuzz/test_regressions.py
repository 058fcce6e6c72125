"""What the fuzz suite found, one test each: a hostile value gives a typed error, not a crash.

Each test failed before its fix; ``test_entry_points.py`` explores further.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import creditflow
from _hostile import deep_list
from creditflow._repr import shown
from creditflow.calendar import Period
from creditflow.errors import CreditflowError, InvalidFacts, InvalidInput, InvalidPeriod


def test_shown_cuts_deep_and_long_values_and_keeps_ordinary_ones() -> None:
    assert shown(deep_list()).startswith("[[[[")
    assert len(shown(deep_list())) < 20
    assert len(shown("x" * 100_000)) < 100
    for ordinary in ("road_transport", 20260501, dt.date(2026, 5, 1), ["a", "b"], {"a": 1}):
        assert shown(ordinary) == repr(ordinary)
    assert shown(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)) == repr(
        dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    )


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def test_shown_survives_a_failing_repr() -> None:
    assert "BadRepr" in shown(BadRepr())


DEEP_CALLS: dict[str, tuple[Any, type[CreditflowError]]] = {
    "Facts(domain=deep)": (lambda v: creditflow.Facts(v, "B"), InvalidFacts),
    "Period.days(deep)": (lambda v: Period.days(v), InvalidPeriod),
    "load_policy(deep)": (lambda v: creditflow.load_policy(v), InvalidInput),
    "Actor(id=deep)": (lambda v: creditflow.Actor(v, {"case_officer"}), InvalidInput),
    "Subject(kind=deep)": (lambda v: creditflow.Subject(v, "x", "y"), InvalidInput),
}


@pytest.mark.parametrize(("call", "error"), DEEP_CALLS.values(), ids=DEEP_CALLS.keys())
def test_a_deep_value_in_an_error_message_is_no_recursion_error(
    call: Any, error: type[CreditflowError]
) -> None:
    with pytest.raises(error):
        call(deep_list())
