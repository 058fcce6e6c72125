"""An inspection plan (抽查计划) as a frozen value: what was drawn, from what, and its digest.

:meth:`InspectionPlan.to_data` is the plan as JSON-ready data; the digest is the SHA-256 of
that data written canonically (keys sorted, no spaces, UTF-8); :meth:`InspectionPlan.from_data`
reads it back. Equal content gives an equal digest, wherever the plan came from.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from fractions import Fraction
from itertools import repeat
from json.encoder import encode_basestring as _encode
from typing import Any, NamedTuple

import attrs

from creditflow._gc import gc_paused
from creditflow._repr import shown
from creditflow._validation import ensure_instance
from creditflow.core.privacy import masked_repr
from creditflow.core.subjects import SubjectKind
from creditflow.errors import InvalidInput
from creditflow.policy.model import InspectionSettings, Rounding
from creditflow.supervision.strata import Stratum

__all__ = [
    "FORMAT",
    "Inspection",
    "InspectionPlan",
    "InspectorLoad",
    "PlanSettings",
    "canonical_json",
]

FORMAT = 1
"""The version of the plan's data format."""


def canonical_json(data: object) -> bytes:
    """The bytes the digest is taken of: JSON with sorted keys, no spaces, UTF-8 (no escapes)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@masked_repr
class Inspection(NamedTuple):
    """One inspection (检查) of the plan: the subject, the period, and the inspectors drawn.

    ``kind`` is the subject's kind by its value (``"person"``; :attr:`subject_kind` gives the
    :class:`~creditflow.core.SubjectKind`); ``visit`` numbers the subject's inspections in the
    year from 1; ``key`` is the subject's random key in hex; ``inspectors`` are inspector ids
    in the order they were drawn. A named tuple of strings: a plan holds hundreds of
    thousands, and a tuple is the smallest and quickest value to build.
    """

    period: str
    subject_id: str
    kind: str
    name: str
    region: str
    domain: str
    grade: str
    stratum: str
    visit: int
    key: str
    inspectors: tuple[str, ...]

    @property
    def subject_kind(self) -> SubjectKind:
        """The kind of the subject inspected."""
        return SubjectKind(self.kind)


@attrs.frozen
class InspectorLoad:
    """An inspector of the directory and the number of inspections the plan gives them."""

    inspector_id: str
    name: str
    load: int


@attrs.frozen
class PlanSettings:
    """The values of the pack's ``[inspection]`` settings (:class:`InspectionSettings`) used."""

    rounding: Rounding
    overall_cap: Fraction | None
    inspectors_per_inspection: int
    load_tolerance: int
    low_risk_ratio: Fraction | None

    @classmethod
    def of(cls, settings: InspectionSettings) -> PlanSettings:
        """The values of a pack's provisions."""
        ensure_instance(settings, InspectionSettings, "settings")
        cap, low = settings.overall_cap, settings.low_risk_ratio
        return cls(
            rounding=settings.rounding.value,
            overall_cap=cap.value if cap is not None else None,
            inspectors_per_inspection=settings.inspectors_per_inspection.value,
            load_tolerance=settings.load_tolerance.value,
            low_risk_ratio=low.value if low is not None else None,
        )


@masked_repr
@attrs.frozen
class InspectionPlan:
    """A double-random inspection plan (双随机、一公开): subjects and inspectors drawn at random
    from a published seed, to be published so that anyone can re-draw it and compare.

    ``strata`` are sorted by name; ``inspections`` are in the order inspectors were drawn
    (period; subjects with a declared conflict first; subject key; visit); ``inspectors`` lists
    the whole directory with each
    officer's load; ``notes`` records what the caller accepted (an overall cap exceeded).
    """

    seed: str
    year: int
    periods: tuple[str, ...]
    policy_key: str
    policy_digest: str
    settings: PlanSettings
    population_size: int
    strata: tuple[Stratum, ...]
    inspections: tuple[Inspection, ...]
    inspectors: tuple[InspectorLoad, ...]
    notes: tuple[str, ...] = ()

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 (hex) of :func:`canonical_json` of :meth:`to_data`.

        Hashed as it is written, a batch of inspections at a time: the plan's JSON is never
        held whole (at ten million subjects it would take a gigabyte)."""
        return _digest(self)

    @property
    def drawn(self) -> int:
        """The number of subjects drawn (a subject inspected twice counts once)."""
        return sum(s.drawn for s in self.strata)

    def to_data(self) -> dict[str, Any]:
        """The plan as JSON-ready data: ratios as ``"1/20"``, kinds by value, tuples as lists."""
        return self._data([_inspection_data(i) for i in self.inspections])

    def _data(self, inspections: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seed": self.seed,
            "year": self.year,
            "periods": list(self.periods),
            "policy": {"key": self.policy_key, "digest": self.policy_digest},
            "settings": _settings_data(self.settings),
            "population_size": self.population_size,
            "strata": [_stratum_data(s) for s in self.strata],
            "inspections": inspections,
            "inspectors": [
                {"inspector_id": i.inspector_id, "name": i.name, "load": i.load}
                for i in self.inspectors
            ],
            "notes": list(self.notes),
        }

    @classmethod
    def from_data(cls, data: object) -> InspectionPlan:
        """Read :meth:`to_data` back (a ``digest`` key is ignored: compare it yourself)."""
        try:
            return _plan(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            if isinstance(error, InvalidInput):
                raise
            raise InvalidInput(f"not an inspection plan: {type(error).__name__}: {error}") from None


def _digest(plan: InspectionPlan) -> str:
    """SHA-256 of :func:`canonical_json` of ``plan.to_data()``, fed a batch at a time."""
    head = canonical_json(plan._data([]))
    # Sorted, the keys start "format" (a number), "inspections": the first such text is it.
    start = head.index(b'"inspections":[') + len(b'"inspections":[')
    state = hashlib.sha256(head[:start])
    inspections = plan.inspections
    with gc_paused():
        for at in range(0, len(inspections), _BATCH):
            batch = inspections[at : at + _BATCH]
            state.update(b"," if at else b"")
            state.update(_inspections_json(batch))
    state.update(head[start:])
    return state.hexdigest()


_BATCH = 8192
# One inspection as canonical_json writes _inspection_data of it: keys sorted, no spaces.
_INSPECTION = (
    '{"domain":%s,"grade":%s,"inspectors":[%s],"key":%s,"kind":%s,"name":%s,"period":%s,'
    '"region":%s,"stratum":%s,"subject_id":%s,"visit":%s}'
)


def _inspections_json(batch: Sequence[Inspection]) -> bytes:
    """The inspections as :func:`canonical_json` writes them in a list, without the brackets.

    Each value is written by the json module's own string encoder, column by column; a
    batch holding anything but text and an int visit is written by :func:`canonical_json`.
    """
    try:
        periods, ids, kinds, names, regions, domains, grades, strata, visits, keys, drawn = zip(
            *batch, strict=True
        )
        if set(map(type, visits)) == {int}:
            joined = map(",".join, map(map, repeat(_encode), drawn))
            columns = (domains, grades, None, keys, kinds, names, periods, regions, strata, ids)
            values = [joined if c is None else map(_encode, c) for c in columns]
            values.append(map(int.__repr__, visits))
            return ",".join(map(_INSPECTION.__mod__, zip(*values, strict=True))).encode()
    except (TypeError, ValueError):  # not the plain values of a drawn plan: the long way
        pass
    return canonical_json([_inspection_data(i) for i in batch])[1:-1]


def _ratio(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _settings_data(s: PlanSettings) -> dict[str, Any]:
    data = attrs.asdict(s)
    data.update(overall_cap=_ratio(s.overall_cap), low_risk_ratio=_ratio(s.low_risk_ratio))
    return data


def _stratum_data(s: Stratum) -> dict[str, Any]:
    low, high = s.inspections_per_year
    data = attrs.asdict(s)
    data.update(sampling_ratio=str(s.sampling_ratio), inspections_per_year=[low, high])
    return data


def _inspection_data(i: Inspection) -> dict[str, Any]:
    data = i._asdict()
    data["inspectors"] = list(i.inspectors)
    return data


def _fraction(value: object) -> Fraction | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"a ratio must be written as text such as '1/20', got {shown(value)}")
    return Fraction(value)


def _plan(data: Any) -> InspectionPlan:
    if data.get("format") != FORMAT:
        raise InvalidInput(f"plan format {shown(data.get('format'))} is not {FORMAT}")
    s = data["settings"]
    settings = PlanSettings(
        rounding=s["rounding"],
        overall_cap=_fraction(s["overall_cap"]),
        inspectors_per_inspection=s["inspectors_per_inspection"],
        load_tolerance=s["load_tolerance"],
        low_risk_ratio=_fraction(s["low_risk_ratio"]),
    )
    return InspectionPlan(
        seed=data["seed"],
        year=data["year"],
        periods=tuple(data["periods"]),
        policy_key=data["policy"]["key"],
        policy_digest=data["policy"]["digest"],
        settings=settings,
        population_size=data["population_size"],
        strata=tuple(_stratum(s) for s in data["strata"]),
        inspections=tuple(_inspection(i) for i in data["inspections"]),
        inspectors=tuple(InspectorLoad(**i) for i in data["inspectors"]),
        notes=tuple(data["notes"]),
    )


def _stratum(s: dict[str, Any]) -> Stratum:
    low, high = s["inspections_per_year"]
    ratio = _fraction(s["sampling_ratio"])
    return Stratum(**{**s, "sampling_ratio": ratio, "inspections_per_year": (low, high)})


def _inspection(i: dict[str, Any]) -> Inspection:
    SubjectKind(i["kind"])  # a ValueError for an unknown kind
    return Inspection(**{**i, "inspectors": tuple(i["inspectors"])})
