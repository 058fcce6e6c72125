"""Builders for the supervision tests: valid identifiers, populations, inspectors, packs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

import creditflow
from creditflow import Facts, SubjectKind
from creditflow.core import (
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.policy.model import Provision
from creditflow.supervision import Inspector, PopulationEntry

REGIONS = ("230123", "230124")
DOMAINS = ("road_transport", "work_safety")
GRADES = ("AA", "A", "B", "C", "D")


def uscc(number: int, region: str = "230123") -> str:
    """A valid unified social credit code, unique per ``number`` below 10**8."""
    body = f"{number:08d}"
    first = f"91{region}{body}{organisation_code_check_character(body)}"
    return first + uscc_check_character(first)


def resident_id(number: int) -> str:
    """A valid resident ID, unique per ``number`` below 365,000."""
    born = dt.date(1980, 1, 1) + dt.timedelta(days=number % 3650)
    first = f"230123{born:%Y%m%d}{number // 3650:03d}"
    return first + resident_id_check_character(first)


def enterprise(
    number: int,
    domain: str = "road_transport",
    grade: str = "B",
    *,
    region: str = "230123",
    lists: Iterable[str] = (),
    flags: Iterable[str] = (),
    last_inspected: dt.date | None = None,
) -> PopulationEntry:
    """An enterprise entry named 企业<number>."""
    return PopulationEntry(
        SubjectKind.ENTERPRISE,
        uscc(number),
        f"企业{number}",
        region,
        Facts(domain, grade, lists, flags),
        last_inspected,
    )


def person(number: int, domain: str = "road_transport", grade: str = "B") -> PopulationEntry:
    """A person (a driver) named 张<number>."""
    return PopulationEntry(
        SubjectKind.PERSON,
        resident_id(number),
        f"张{number}",
        "230123",
        Facts(domain, grade),
    )


def stratum(size: int, grade: str = "B", *, start: int = 0, **kwargs: Any) -> list[PopulationEntry]:
    """``size`` enterprises with the same facts."""
    return [enterprise(start + n, grade=grade, **kwargs) for n in range(size)]


def officers(
    count: int,
    regions: Sequence[str] = REGIONS,
    domains: Sequence[str] = DOMAINS,
    conflicts: dict[int, Iterable[str]] | None = None,
) -> list[Inspector]:
    """``count`` inspectors ZF000.., each qualified for every region and domain given."""
    conflicts = conflicts or {}
    return [
        Inspector(f"ZF{n:03d}", f"执法{n}", regions, domains, conflicts.get(n, ()))
        for n in range(count)
    ]


def with_inspection(policy: creditflow.Policy, **values: Any) -> creditflow.Policy:
    """The policy with some ``[inspection]`` settings replaced (a bare value keeps the basis)."""
    settings = policy.inspection
    changes = {
        name: None if value is None else Provision(value, settings.basis)
        for name, value in values.items()
    }
    return attrs.evolve(policy, inspection=attrs.evolve(settings, **changes))


def ratio(text: str) -> Fraction:
    return Fraction(text)
