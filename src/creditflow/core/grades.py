"""Credit grades (信用等级) and grade scales with score cut-offs (信用评分)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import attrs

from creditflow._repr import a_type, shown
from creditflow.core.labels import Label
from creditflow.errors import InvalidInput, UnknownName

__all__ = ["Grade", "GradeScale", "Score", "to_fraction"]

Score = int | float | Decimal | Fraction


def to_fraction(value: object, name: str) -> Fraction:
    """An exact ``Fraction`` from an int, a Decimal, a Fraction or a float read as decimal text.

    A float is taken by its shortest decimal text (``92.5`` -> 185/2), so that ``0.1`` means
    one tenth and not the binary double next to it.
    """
    if isinstance(value, bool):
        raise InvalidInput(f"{name} must be a number, got {shown(value)} that is a bool")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal | float):
        if not math.isfinite(value):
            raise InvalidInput(f"{name} must be a finite number, got {shown(value)}")
        return Fraction(str(value))
    raise InvalidInput(f"{name} must be a number, got {shown(value)} that is {a_type(value)}")


def score_text(value: Fraction) -> str:
    """A score as people write it: ``100``, ``92.5``."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


@attrs.frozen
class Grade:
    """One grade of a scale: its name (``"AA"``), label and lowest score (inclusive).

    ``min_score`` is None for the lowest grade of a scale, which takes every score below the
    grade above it.
    """

    name: str
    label: Label
    min_score: Fraction | None


@attrs.frozen
class GradeScale:
    """An ordered grade scale, best grade first, e.g. AA > A > B > C > D.

    ``rank(grade)`` is 0 for the best grade; a larger rank is a worse grade. ``score_range``
    is ``(lowest, highest)`` possible score, both inclusive, when the pack declares it;
    :meth:`grade_for` then refuses a score outside it.
    """

    name: str
    label: Label
    grades: tuple[Grade, ...]
    score_range: tuple[Fraction, Fraction] | None = None
    _ranks: dict[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_ranks", {g.name: i for i, g in enumerate(self.grades)})

    def __iter__(self) -> Iterator[Grade]:
        return iter(self.grades)

    def __len__(self) -> int:
        return len(self.grades)

    def __contains__(self, grade: object) -> bool:
        return isinstance(grade, str) and grade in self._ranks

    @property
    def names(self) -> tuple[str, ...]:
        """The grade names, best first."""
        return tuple(g.name for g in self.grades)

    def rank(self, grade: str) -> int:
        """0 for the best grade, ``len(scale) - 1`` for the worst."""
        try:
            return self._ranks[grade]
        except (KeyError, TypeError):
            raise UnknownName(
                "grade", grade, self.names, where=f"scale {shown(self.name)}", ordered=True
            ) from None

    def is_worse(self, grade: str, than: str) -> bool:
        """True if ``grade`` is strictly worse than ``than``."""
        return self.rank(grade) > self.rank(than)

    def grade_for(self, score: Score) -> str:
        """The grade a score earns: the best grade whose ``min_score`` it reaches."""
        value = to_fraction(score, "score")
        if self.score_range is not None and not (
            self.score_range[0] <= value <= self.score_range[1]
        ):
            low, high = (score_text(v) for v in self.score_range)
            raise InvalidInput(
                f"score {score} is outside the range {low} to {high} of scale {shown(self.name)}"
            )
        for grade in self.grades:
            if grade.min_score is None or value >= grade.min_score:
                return grade.name
        raise InvalidInput(  # only a scale whose lowest grade has a floor gets here
            f"score {score} is below the lowest cut-off of scale {shown(self.name)} "
            f"({self.grades[-1].name} from {self.grades[-1].min_score})"
        )
