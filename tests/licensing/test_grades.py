"""Grades from scores and the dynamic rules: defaults, serious breach, the upgrade cap."""

from __future__ import annotations

from fractions import Fraction

import pytest
from _licensing_world import OTHER, ROAD, SUBJECT, D, commitment, listing, new_book, record

from creditflow import load_policy
from creditflow.errors import InvalidDate, InvalidIdentifier, InvalidInput, PolicyError, UnknownName
from creditflow.licensing import Evaluation, Evaluations, grade_on, score_grade

POLICY = load_policy("national-transport", on=D(2026, 6, 1))


def _grade(evaluations: Evaluations, on: D, domain: str = ROAD) -> tuple[str, str]:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    status = book.status(SUBJECT, on=on)
    found = grade_on(POLICY, status, evaluations, domain=domain, on=on)
    return found.grade, found.how


@pytest.mark.parametrize(
    ("score", "grade"),
    [(90, "AA"), (Fraction(179, 2), "A"), (80, "A"), (60, "B"), (40, "C"), (39, "D")],
)
def test_a_score_becomes_a_grade_by_the_domains_scale(score: int | Fraction, grade: str) -> None:
    assert score_grade(POLICY, ROAD, score) == grade


def test_scales_differ_by_domain() -> None:
    assert score_grade(POLICY, "highway_construction", 90) == "A"
    assert score_grade(POLICY, "waterway_transport", 90) == "A"
    assert score_grade(POLICY, ROAD, 90) == "AA"


def test_an_upgrade_is_capped_at_one_grade_a_year() -> None:
    evaluations = Evaluations(
        [
            Evaluation(SUBJECT, ROAD, 2026, 45, D(2026, 6, 1)),  # C
            Evaluation(SUBJECT, ROAD, 2027, 95, D(2027, 6, 1)),  # earns AA
        ]
    )
    assert _grade(evaluations, D(2026, 7, 1)) == ("C", "evaluation")
    assert _grade(evaluations, D(2027, 7, 1)) == ("B", "capped_upgrade")


def test_a_gap_year_lifts_the_cap_and_a_downgrade_is_never_capped() -> None:
    gap = Evaluations(
        [Evaluation(SUBJECT, ROAD, 2025, 45, D(2025, 6, 1)),
         Evaluation(SUBJECT, ROAD, 2027, 95, D(2027, 6, 1))]
    )  # fmt: skip
    assert _grade(gap, D(2027, 7, 1)) == ("AA", "evaluation")
    down = Evaluations(
        [Evaluation(SUBJECT, ROAD, 2026, 95, D(2026, 6, 1)),
         Evaluation(SUBJECT, ROAD, 2027, 10, D(2027, 6, 1))]
    )  # fmt: skip
    assert _grade(down, D(2027, 7, 1)) == ("D", "evaluation")


def test_a_later_evaluation_of_the_same_year_replaces_the_earlier() -> None:
    evaluations = Evaluations([Evaluation(SUBJECT, ROAD, 2026, 10, D(2026, 6, 1))])
    evaluations.add(Evaluation(SUBJECT, ROAD, 2026, 85, D(2026, 6, 2)))
    assert len(evaluations) == 1
    assert _grade(evaluations, D(2026, 7, 1)) == ("A", "evaluation")


def test_an_evaluation_of_another_domain_does_not_count() -> None:
    evaluations = Evaluations([Evaluation(SUBJECT, "work_safety", 2026, 99, D(2026, 6, 1))])
    assert _grade(evaluations, D(2026, 7, 1)) == ("A", "default")
    assert _grade(evaluations, D(2026, 7, 1), "work_safety") == ("AA", "evaluation")


def test_defaults_and_breach_grades_name_their_basis() -> None:
    book = new_book()
    record(book, SUBJECT, "general", D(2026, 6, 1))
    status = book.status(SUBJECT, on=D(2026, 7, 1))
    found = grade_on(POLICY, status, None, domain=ROAD, on=D(2026, 7, 1))
    assert (found.grade, found.how) == ("B", "default_record")
    assert found.basis == POLICY.evaluation.default_grade_with_record.basis  # type: ignore[union-attr]
    _, published = listing(book, "serious", D(2026, 6, 1))
    listed = grade_on(POLICY, book.status(SUBJECT, on=published), None, domain=ROAD, on=published)
    assert (listed.grade, listed.how, listed.since) == ("D", "serious_list", D(2026, 6, 15))
    assert listed.case_id is not None and listed.case_id.startswith("listing-")


def test_a_serious_breach_beats_a_good_evaluation() -> None:
    book = new_book()
    record(book, SUBJECT, "serious", D(2026, 6, 10))
    evaluations = Evaluations([Evaluation(SUBJECT, ROAD, 2026, 99, D(2026, 6, 1))])
    status = book.status(SUBJECT, on=D(2026, 7, 1))
    found = grade_on(POLICY, status, evaluations, domain=ROAD, on=D(2026, 7, 1))
    assert (found.grade, found.how, found.since) == ("D", "serious_breach", D(2026, 6, 10))


def test_bad_evaluations_and_domains_are_refused() -> None:
    with pytest.raises(InvalidInput, match="year"):
        Evaluation(SUBJECT, ROAD, "2026", 90, D(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="score"):
        Evaluation(SUBJECT, ROAD, 2026, "90", D(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidDate):
        Evaluation(SUBJECT, ROAD, 2026, 90, "2026-06-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidIdentifier) as info:  # checked as every subject id is
        Evaluation("110105194912310021", ROAD, 2026, 90, D(2026, 6, 1))
    assert info.value.kind == "resident ID"
    with pytest.raises(InvalidIdentifier):
        Evaluations().knows("91350100M000100Y44")
    with pytest.raises(InvalidIdentifier):
        Evaluations().of("91350100M000100Y44", ROAD)
    book = new_book()
    status = book.status(OTHER, on=D(2026, 6, 1))
    with pytest.raises(UnknownName, match="unknown domain 'roads'"):
        grade_on(POLICY, status, None, domain="roads", on=D(2026, 6, 1))


def test_a_pack_without_evaluation_settings_cannot_grade() -> None:
    import attrs

    bare = attrs.evolve(POLICY, evaluation=None)
    status = new_book().status(OTHER, on=D(2026, 6, 1))
    with pytest.raises(PolicyError, match="evaluation"):
        grade_on(bare, status, None, domain=ROAD, on=D(2026, 6, 1))
