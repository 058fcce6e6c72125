"""What the fuzz suite found, one test each: a hostile value gives a typed error, not a crash.

Each test failed before its fix; ``test_entry_points.py`` explores further.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from _hostile import deep_list

import creditflow
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


# ---------------------------------------------------------------- wrong types at the boundary

import _world as w  # noqa: E402

from creditflow import docs, licensing, rules, supervision, workflows  # noqa: E402
from creditflow.policy import builtin_versions  # noqa: E402

WRONG_TYPES: dict[str, Any] = {
    "Policy.in_force(None)": lambda: w.policy().in_force(None),
    "Policy.diff(None)": lambda: w.policy().diff(None),
    "PackVersion.in_force('x')": lambda: builtin_versions()[0].in_force("x"),
    "compile_table(None)": lambda: rules.compile_table(None),
    "reference_table(None)": lambda: rules.reference_table(None),
    "format_ratio(None)": lambda: rules.format_ratio(None),
    "machine_problems(None, ...)": lambda: workflows.machine_problems(None, [], []),
    "machine_problems(..., guards=None)": lambda: workflows.machine_problems(
        workflows.LISTING, None, []
    ),
    "Engine.decide_many(None)": lambda: w.engine().decide_many(None),
    "Facts(lists=[[1]])": lambda: creditflow.Facts("road_transport", "B", [[1]]),
    "Actor(roles=[[1]])": lambda: creditflow.Actor("officer-1", [[1]]),
    "grade_on(None, ...)": lambda: licensing.grade_on(
        None, w.status(), None, domain="road_transport", on=w.ON
    ),
    "grade_on(domain=bytearray)": lambda: licensing.grade_on(
        w.policy(), w.status(), None, domain=bytearray(b"x"), on=w.ON
    ),
    "score_grade(None, ...)": lambda: licensing.score_grade(None, "road_transport", 80),
    "score_grade(domain=[])": lambda: licensing.score_grade(w.policy(), [], 80),
    "check(domain=bytearray)": lambda: licensing.check(
        w.book(), "91350100M000100Y43", purpose="licensing", on=w.ON, domain=bytearray(b"x")
    ),
    "accept_with_missing_documents(missing=True)": lambda: licensing.accept_with_missing_documents(
        w.book(),
        w.uscc(7),
        on=w.ON,
        actor=w.OFFICER_ACTOR,
        application_id="A-1",
        domain="road_transport",
        missing=True,
        new_subject=True,
    ),
    "verify_commitment(None, ...)": lambda: licensing.verify_commitment(
        None, "commitment-1", fulfilled=True, on=w.ON, actor=w.OFFICER_ACTOR
    ),
    "overdue_commitments(None)": lambda: licensing.overdue_commitments(None, on=w.ON),
    "Evaluations(None)": lambda: licensing.Evaluations(None),
    "Evaluations.knows(bytearray)": lambda: licensing.Evaluations().knows(bytearray(b"x")),
    "mask_name(None)": lambda: supervision.mask_name(None),
    "public_subject(None)": lambda: supervision.public_subject(None),
    "round_count(None, ...)": lambda: supervision.round_count(None, 10, "ceil"),
    "round_count(..., size=None)": lambda: supervision.round_count(Fraction(1, 2), None, "ceil"),
    "PlanSettings.of(None)": lambda: supervision.PlanSettings.of(None),
    "PopulationEntry.of(None, ...)": lambda: supervision.PopulationEntry.of(
        None, creditflow.Facts("road_transport", "B"), "230123"
    ),
    "draw_plan(population=None)": lambda: supervision.draw_plan(
        None, engine=w.engine(), period=2026, seed="s", inspectors=w.inspectors()
    ),
    "draw_plan(inspectors=['x'])": lambda: supervision.draw_plan(
        w.population(), engine=w.engine(), period=2026, seed="s", inspectors=["x"]
    ),
    "verify_plan(None, ...)": lambda: supervision.verify_plan(None, [], []),
    "plan_to_json(None)": lambda: supervision.plan_to_json(None),
    "plan_to_csv(None)": lambda: supervision.plan_to_csv(None),
    "write_csv(plan, None)": lambda: supervision.write_csv(w.plan(), None),
    "render_notice(None)": lambda: supervision.render_notice(None),
    "read_population(None)": lambda: list(supervision.read_population(None, format="csv")),
    "read_population([1])": lambda: list(supervision.read_population([1], format="csv")),
    "read_population('')": lambda: list(supervision.read_population("", format="csv")),
    "extract_handbook(None)": lambda: docs.extract_handbook(None),
    "handbook_pages(None, 'zh')": lambda: docs.handbook_pages(None, "zh"),
    "extract_notices(None, ...)": lambda: docs.extract_notices(None, w.ON),
    "extract_notices(book, None)": lambda: docs.extract_notices(w.book(), None),
    "notice_page(None, 'zh')": lambda: docs.notice_page(None, "zh"),
    "page_markdown(None)": lambda: docs.page_markdown(None),
    "page_html(None)": lambda: docs.page_html(None, lang="zh"),
    "diff_page(None, ...)": lambda: docs.diff_page(None, w.policy(), "zh"),
    "site_pages(None, 'zh')": lambda: docs.site_pages(None, "zh"),
    "site_pages(previous=1)": lambda: docs.site_pages(w.policy(), "zh", previous=1),
    "CreditBook.fire(event=bytearray)": lambda: w.book().fire(
        "listing-1", bytearray(b"x"), on=w.ON, actor=w.OFFICER_ACTOR
    ),
    "CreditBook.policy_on(bytearray)": lambda: w.book().policy_on(bytearray(b"x")),
}


@pytest.mark.parametrize("call", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_wrong_type_is_invalid_input(call: Any) -> None:
    with pytest.raises(InvalidInput):
        call()


def test_a_non_event_is_no_event_of_a_machine() -> None:
    assert workflows.LISTING.transition(bytearray(b"x")) is None
    assert workflows.LISTING.deadlines_of(bytearray(b"x")) == ()


def test_a_population_file_that_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_bytes(b"subject_id,kind,name,region,domain,grade\n\xff,enterprise,x,1,a,B\n")
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        list(supervision.read_population(path))
