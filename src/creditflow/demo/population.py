"""A synthetic population of supervised subjects (监管对象) with valid identifiers and grades."""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction

import attrs

from creditflow.core.grades import Grade
from creditflow.core.identifiers import (
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.core.subjects import Subject, SubjectKind
from creditflow.policy.model import Policy

__all__ = ["DOMAINS", "GRADE_SHARES", "REGIONS", "Member", "build_population"]

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


def build_population(policy: Policy, size: int, rng: random.Random) -> list[Member]:
    """``size`` subjects across the five domains, graded by the domains' scales."""
    domains = rng.choices(DOMAINS, weights=DOMAIN_SHARES, k=size)
    members: list[Member] = []
    seen: set[str] = set()
    for index, domain in enumerate(domains):
        member = _member(policy, index, domain, rng)
        if member.subject.id in seen:  # two persons born the same day: make it a firm
            member = attrs.evolve(member, subject=_enterprise(index, member.region, rng))
        seen.add(member.subject.id)
        members.append(member)
    return members


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
