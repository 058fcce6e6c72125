"""The demo's evaluations (信用评价), held by member number rather than one object a member."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from creditflow.core.identifiers import subject_id as checked_id
from creditflow.demo.population import Population
from creditflow.licensing import Evaluation, Evaluations

__all__ = ["MemberEvaluations"]

_NONE = 255
_SCORES = tuple(Fraction(score) for score in range(101))


class MemberEvaluations(Evaluations):
    """The evaluations of a :class:`~creditflow.demo.population.Population`: each member's
    evaluation in its domain for last year (its starting score, made on last year's last day)
    and, once added, this year's; any other evaluation is kept as the register keeps it.

    Both are made when they are read, from a score byte per member (a whole score made on
    the year's last day, as the demo's are): a million members cost a few MB here, not the GB
    a register of two million evaluations takes.
    """

    def __init__(self, population: Population, year: int) -> None:
        super().__init__()
        self._population = population
        self._year = year
        self._previous_on = dt.date(year - 1, 12, 31)
        self._made_on = dt.date(year, 12, 31)
        self._made = bytearray(b"\xff") * len(population)  # this year's score, 255 for none
        self._made_count = 0

    def add(self, evaluation: Evaluation) -> None:
        """Record ``evaluation`` (a later one of the same subject, domain and year replaces it)."""
        index = self._member(evaluation) if isinstance(evaluation, Evaluation) else None
        if index is None:
            super().add(evaluation)
            return
        self._made_count += self._made[index] == _NONE
        self._made[index] = int(evaluation.score)

    def knows(self, subject_id: str) -> bool:
        """True if any evaluation of the subject is registered (the id is checked)."""
        return self._population.index_of(checked_id(subject_id)) is not None or super().knows(
            subject_id
        )

    def of(self, subject_id: str, domain: str) -> tuple[Evaluation, ...]:
        """The subject's evaluations in ``domain``, oldest year first (the id is checked)."""
        found = super().of(subject_id, domain)
        index = self._population.index_of(subject_id)
        if index is None or self._population.domain(index) != domain:
            return found
        by_year = {self._year - 1: self._previous(index)}
        by_year.update((e.year, e) for e in found)
        if self._made[index] != _NONE:
            by_year[self._year] = self._evaluation(index, self._year, self._made[index])
        return tuple(by_year[year] for year in sorted(by_year))

    def __len__(self) -> int:
        return len(self._population) + self._made_count + super().__len__()

    def _previous(self, index: int) -> Evaluation:
        return self._evaluation(index, self._year - 1, int(self._population.score(index)))

    def _evaluation(self, index: int, year: int, score: int) -> Evaluation:
        on = self._previous_on if year < self._year else self._made_on
        return Evaluation(self._population.subject(index).id, self._population.domain(index),
                          year, _SCORES[score], on)  # fmt: skip

    def _member(self, evaluation: Evaluation) -> int | None:
        """The member number of this year's evaluation of a member in its own domain, made on
        the year's last day with a whole score from 0 to 100."""
        score = evaluation.score
        if evaluation.year != self._year or evaluation.evaluated_on != self._made_on:
            return None
        if score.denominator != 1 or not 0 <= score <= 100:
            return None
        index = self._population.index_of(evaluation.subject_id)
        if index is None or self._population.domain(index) != evaluation.domain:
            return None
        return index
