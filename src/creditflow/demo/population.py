"""A synthetic population of supervised subjects (监管对象) with valid identifiers and grades."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import overload

import attrs

from creditflow.core.grades import Grade
from creditflow.core.identifiers import (
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.core.subjects import Subject, SubjectKind
from creditflow.errors import InvalidInput
from creditflow.policy.model import Policy

__all__ = ["DOMAINS", "GRADE_SHARES", "REGIONS", "Member", "Population", "build_population"]

DOMAINS = (
    "road_transport",
    "waterway_transport",
    "highway_construction",
    "waterway_construction",
    "work_safety",
)
"""The five business domains of the national pack."""

DOMAIN_SHARES = (0.55, 0.12, 0.13, 0.08, 0.12)
"""Road transport operators far outnumber the others, as in any provincial directory."""

GRADE_SHARES = {"AA": 0.12, "A": 0.38, "B": 0.40, "C": 0.07, "D": 0.03}
"""The published evaluations put most firms at A or B and a few per cent at C and D."""

REGIONS = ("350102", "350103", "350104", "350105", "350111")
"""County codes of Fuzhou: the areas whose inspectors may inspect a subject."""

PERSON_SHARE = 0.08
"""Individual operators (个体工商户经营者) in road transport, identified by resident ID."""

_SYLLABLES = "安达恒通顺远航路港运泰华兴联盛海路桥建川闽榕鑫"
_NAME_ENDS = (
    "运输有限公司",
    "物流有限公司",
    "航运有限公司",
    "路桥工程有限公司",
    "建设集团有限公司",
)


@attrs.frozen
class Member:
    """One subject of the demo population: its domain, region and starting evaluation score."""

    subject: Subject
    domain: str
    region: str
    score: Fraction
    grade: str


_GRADES = tuple(GRADE_SHARES)
_SCORES = tuple(Fraction(score) for score in range(101))
"""Shared score values: a member's score is one byte, its Fraction made once."""


class Population(Sequence[Member]):
    """The demo population, compact: per subject its :class:`Subject` and three bytes (domain,
    grade, score); a :class:`Member` is made when it is asked for.

    About 250 bytes a subject (the id and name text and the Subject that holds them), against
    about 1 KB for a list of members: a million subjects fit in some 250 MB.
    """

    def __init__(self) -> None:
        self._subjects: list[Subject] = []
        self._domains = bytearray()
        self._grades = bytearray()
        self._scores = bytearray()
        self._persons: dict[str, int] = {}

    def append(self, subject: Subject, domain: str, score: Fraction, grade: str) -> None:
        """Add the next subject; its region follows its number (:data:`REGIONS`)."""
        index = len(self._subjects)
        self._subjects.append(subject)
        self._domains.append(DOMAINS.index(domain))
        self._grades.append(_GRADES.index(grade))
        self._scores.append(int(score))
        if subject.kind is SubjectKind.PERSON:
            self._persons[subject.id] = index

    def __len__(self) -> int:
        return len(self._subjects)

    @overload
    def __getitem__(self, index: int) -> Member: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Member]: ...

    def __getitem__(self, index: int | slice) -> Member | Sequence[Member]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        subject = self._subjects[index]  # IndexError as a list's
        index %= len(self._subjects)
        return Member(subject, DOMAINS[self._domains[index]], REGIONS[index % len(REGIONS)],
                      _SCORES[self._scores[index]], _GRADES[self._grades[index]])  # fmt: skip

    def __iter__(self) -> Iterator[Member]:
        return (self[i] for i in range(len(self._subjects)))

    def subject(self, index: int) -> Subject:
        """The subject numbered ``index``."""
        return self._subjects[index]

    def domain(self, index: int) -> str:
        """The domain of the subject numbered ``index``."""
        return DOMAINS[self._domains[index]]

    def grade(self, index: int) -> str:
        """The starting grade of the subject numbered ``index``."""
        return _GRADES[self._grades[index]]

    def score(self, index: int) -> Fraction:
        """The starting score of the subject numbered ``index``."""
        return _SCORES[self._scores[index]]

    def index_of(self, subject_id: str) -> int | None:
        """The number of the subject ``subject_id``, or None if it is not in the population.

        An enterprise's number is in its code (``M`` and seven digits, :func:`_enterprise`);
        persons, a few per cent, are looked up."""
        index = self._persons.get(subject_id)
        if index is None and subject_id[9:16].isdigit():
            index = int(subject_id[9:16])
        if index is None or index >= len(self._subjects):
            return None
        return index if self._subjects[index].id == subject_id else None


def build_population(policy: Policy, size: int, rng: random.Random) -> Population:
    """``size`` subjects across the five domains, graded by the domains' scales."""
    if size >= 10_000_000:  # an enterprise's number is seven digits of its code
        raise InvalidInput(f"the demo population holds at most 9,999,999 subjects, got {size}")
    domains = rng.choices(range(len(DOMAINS)), weights=DOMAIN_SHARES, k=size)
    population = Population()
    seen: set[str] = set()  # persons' ids: an enterprise's is unique by its number
    for index, domain in enumerate(domains):
        member = _member(policy, index, DOMAINS[domain], rng)
        subject = member.subject
        if subject.kind is SubjectKind.PERSON:
            if subject.id in seen:  # two persons born the same day: make it a firm
                subject = _enterprise(index, member.region, rng)
            else:
                seen.add(subject.id)
        population.append(subject, member.domain, member.score, member.grade)
    return population


def _member(policy: Policy, index: int, domain: str, rng: random.Random) -> Member:
    region = REGIONS[index % len(REGIONS)]
    grade = rng.choices(tuple(GRADE_SHARES), weights=tuple(GRADE_SHARES.values()))[0]
    score = _score_in(policy, domain, grade, rng)
    person = domain == "road_transport" and rng.random() < PERSON_SHARE
    subject = _person(index, region, rng) if person else _enterprise(index, region, rng)
    return Member(subject, domain, region, score, grade)


def _score_in(policy: Policy, domain: str, grade: str, rng: random.Random) -> Fraction:
    """A whole score within ``grade``'s band on the domain's scale."""
    bounds = _bands(policy.domains[domain].scale.grades)
    low, high = bounds[grade]
    return Fraction(rng.randint(low, high))


def _bands(grades: Sequence[Grade]) -> dict[str, tuple[int, int]]:
    """Score bands ``{grade: (lowest, highest)}``, best grade first, on a 0-100 scale."""
    bands: dict[str, tuple[int, int]] = {}
    ceiling = 100
    for grade in grades:
        low = int(grade.min_score) if grade.min_score is not None else max(0, ceiling - 30)
        bands[grade.name] = (low, max(low, ceiling))
        ceiling = low - 1
    return bands


def _enterprise(index: int, region: str, rng: random.Random) -> Subject:
    body = f"M{index:07d}"
    first17 = f"91{region}{body}{organisation_code_check_character(body)}"
    name = "福州" + "".join(rng.choices(_SYLLABLES, k=2)) + rng.choice(_NAME_ENDS)
    return Subject(SubjectKind.ENTERPRISE, first17 + uscc_check_character(first17), name)


def _person(index: int, region: str, rng: random.Random) -> Subject:
    born = f"{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"{region}{born}{index % 1000:03d}"
    name = rng.choice("陈林黄郑王李张吴") + "".join(rng.choices(_SYLLABLES, k=1)) + "某"
    return Subject(SubjectKind.PERSON, first17 + resident_id_check_character(first17), name)
