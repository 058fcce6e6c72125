"""Annual evaluations (信用评价): a subject's score in a domain for a year, and their register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_date, ensure_iterable, ensure_str
from creditflow.core.grades import to_fraction
from creditflow.core.identifiers import subject_id
from creditflow.core.privacy import masked_repr
from creditflow.errors import InvalidInput

__all__ = ["Evaluation", "Evaluations"]


def _score(value: object) -> Fraction:
    return to_fraction(value, "Evaluation.score")


def _subject(value: object) -> str:
    return subject_id(value)


def _domain(value: object) -> str:
    return ensure_str(value, "Evaluation.domain")


def _date(value: object) -> dt.date:
    return ensure_date(value, "Evaluation.evaluated_on")


def _year(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 9999:
        raise InvalidInput(f"Evaluation.year must be a year like 2026, got {shown(value)}")


@masked_repr
@attrs.frozen
class Evaluation:
    """One annual evaluation: ``score`` of ``subject_id`` (a unified social credit code or
    resident ID, checked) in ``domain`` for ``year``, made on ``evaluated_on`` (the grade
    holds from that day for the pack's ``evaluation.validity``).

    The score becomes a grade by the domain's scale when a grade is asked for.
    """

    subject_id: str = attrs.field(converter=_subject)
    domain: str = attrs.field(converter=_domain)
    year: int = attrs.field(validator=_year)
    score: Fraction = attrs.field(converter=_score)
    evaluated_on: dt.date = attrs.field(converter=_date)


class Evaluations:
    """A register of evaluations, one per subject, domain and year (a later one replaces it).

    Evaluations are kept beside the book, not in it: the book's event log holds workflow cases,
    and an evaluation is a result imported from the grading system each year.
    """

    def __init__(self, evaluations: Iterable[Evaluation] = ()) -> None:
        ensure_iterable(evaluations, "evaluations")
        self._by_subject: dict[str, dict[tuple[str, int], Evaluation]] = {}
        for evaluation in evaluations:
            self.add(evaluation)

    def add(self, evaluation: Evaluation) -> None:
        """Record ``evaluation``, replacing one of the same subject, domain and year."""
        if not isinstance(evaluation, Evaluation):
            raise InvalidInput(f"expected an Evaluation, got {shown(evaluation)}")
        key = (evaluation.domain, evaluation.year)
        self._by_subject.setdefault(evaluation.subject_id, {})[key] = evaluation

    def knows(self, subject_id: str) -> bool:
        """True if any evaluation of the subject is registered (the id is checked)."""
        return _subject(subject_id) in self._by_subject

    def of(self, subject_id: str, domain: str) -> tuple[Evaluation, ...]:
        """The subject's evaluations in ``domain``, oldest year first (the id is checked)."""
        ensure_str(domain, "domain")
        found = self._by_subject.get(_subject(subject_id), {})
        return tuple(e for (d, _), e in sorted(found.items()) if d == domain)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_subject.values())
