"""The assessment table of a pack (信用交通市创建评价指标): ``[assessment]``, read and validated.

A city's credit work is scored item by item (seed 004's table, Ziyang 2022): each item has its
points, responsible units, target, and how it is measured:

- ``rate``: a rate of :mod:`creditflow.disclosure.rates` (``rate``) reaches ``target``;
- ``evidence_count``: at least ``min_count`` dated pieces of evidence in the period, and at least
  ``per_month`` in each of its months (news items: "不少于12条，且每月至少有一条");
- ``repairs``: at least ``per_domain`` approved repairs of records in each of ``domains``;
- ``credit_checks``: credit results applied (a credit check for one of ``purposes``) in each of
  ``domains``: ``points_per_domain`` each ("每应用于1个交通运输重点领域得1分"), up to ``points``;
- ``listings``: at least ``min_count`` listings of ``kinds`` published (reward or punishment
  cases reported);
- ``attested``: an officer attests it with evidence; it is listed, not computed.

See docs/disclosure.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Literal

import attrs

from creditflow._repr import shown
from creditflow.core.labels import Label
from creditflow.policy.model import Basis, Provision
from creditflow.policy.reader import Reader

__all__ = ["MEASURES", "RATES", "Assessment", "AssessmentItem", "Measure", "read_assessment"]

Measure = Literal["rate", "evidence_count", "repairs", "credit_checks", "listings", "attested"]
MEASURES: tuple[Measure, ...] = (
    "rate", "evidence_count", "repairs", "credit_checks", "listings", "attested",
)  # fmt: skip
"""How an item is measured (see the module docstring)."""
RATES = ("coverage", "compliance", "completeness", "timeliness")
"""The rates a ``rate`` item may name."""

_PARAMETERS: dict[str, tuple[str, ...]] = {
    "rate": ("rate", "target"),
    "evidence_count": ("min_count", "per_month"),
    "repairs": ("per_domain", "domains"),
    "credit_checks": ("purposes", "domains", "points_per_domain"),
    "listings": ("kinds", "min_count"),
    "attested": (),
}
_OPTIONAL = frozenset({"per_month"})
_COMMON = ("id", "group", "item", "responsible", "points", "measure", "basis", "source", "note")


@attrs.frozen
class AssessmentItem:
    """One indicator: what it asks (``item``), its group, the responsible units, its points,
    and how it is measured with the parameters of that measure (unused ones are empty)."""

    item_id: str
    group: Label
    item: Label
    responsible: Label
    points: Provision[int]
    measure: Measure
    basis: Basis
    rate: str = ""
    target: Fraction | None = None
    min_count: int = 0
    per_month: int = 0
    per_domain: int = 0
    points_per_domain: int = 0
    domains: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @property
    def computed(self) -> bool:
        """True unless an officer attests the item."""
        return self.measure != "attested"


@attrs.frozen
class Assessment:
    """The indicator table (评价指标表) and its title."""

    title: Label
    items: tuple[AssessmentItem, ...]
    basis: Basis


def read_assessment(
    r: Reader,
    data: dict[str, Any],
    known: dict[str, Iterable[str]],
) -> Assessment | None:
    """``[assessment]`` (optional); ``known`` names the pack's ``domains``, ``purposes`` and
    ``lists`` the items may refer to."""
    path = "assessment"
    t = r.table(data, "", path, required=False)
    if t is None:
        return None
    r.only(t, path, ("title", "items", "basis", "source", "note"))
    basis = r.basis(t, path)
    title = r.label(t, path, "title")
    rows = r.get(t, path, "items", list)
    if rows is None or basis is None:
        return None
    items = [_item(r, row, f"{path}.items[{i}]", basis, known) for i, row in enumerate(rows)]
    ids = [item.item_id for item in items if item is not None]
    if len(set(ids)) != len(ids):
        r.problem(f"{path}.items", f"item ids repeat: {sorted(ids)}")
        return None
    if title is None or None in items:
        return None
    return Assessment(title, tuple(i for i in items if i is not None), basis)


def _item(
    r: Reader, row: object, path: str, default: Basis, known: dict[str, Iterable[str]]
) -> AssessmentItem | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table, got {shown(row)}")
        return None
    measure = r.get(row, path, "measure", str)
    if measure is not None and measure not in MEASURES:
        r.problem(f"{path}.measure", f"{shown(measure)} is not one of {', '.join(MEASURES)}")
        measure = None
    parameters = _PARAMETERS.get(measure or "", ())
    r.only(row, path, (*_COMMON, *_all_parameters()))
    for key in _all_parameters():
        if measure and key in row and key not in parameters:
            r.problem(f"{path}.{key}", f"not a setting of measure {measure!r}")
    basis = r.basis(row, path, default=default)
    values: dict[str, Any] = {
        "item_id": r.get(row, path, "id", str),
        "group": r.label(row, path, "group"),
        "item": r.label(row, path, "item"),
        "responsible": r.label(row, path, "responsible"),
        "points": r.provision(row, path, "points", basis, r.read_count),
    }
    if measure is None or basis is None:
        return None
    for key in parameters:
        if key not in row and key in _OPTIONAL:
            continue
        value = _parameter(r, row, path, key, known)
        if value is None:
            return None
        values[key] = value
    if None in values.values():
        return None
    return AssessmentItem(**values, measure=measure, basis=basis)


def _all_parameters() -> tuple[str, ...]:
    return tuple(sorted({p for ps in _PARAMETERS.values() for p in ps}))


def _parameter(
    r: Reader, row: dict[str, Any], path: str, key: str, known: dict[str, Iterable[str]]
) -> Any:
    where = f"{path}.{key}"
    if key == "rate":
        value = r.get(row, path, key, str)
        if value is not None and value not in RATES:
            r.problem(where, f"{shown(value)} is not one of {', '.join(RATES)}")
            return None
        return value
    if key == "target":
        return r.read_ratio(where, row.get(key)) if key in row else r.problem(where, "missing")
    if key in ("domains", "purposes", "kinds"):
        names = r.names(row, path, key, known["lists" if key == "kinds" else key])
        if names is not None and not names:
            r.problem(where, "needs at least one name")
            return None
        return names
    if key not in row:
        r.problem(where, "missing")
        return None
    count = r.read_count(where, row[key])
    if count == 0 and key != "per_month":
        r.problem(where, "must be at least 1")
        return None
    return count
