"""The three rates (三率: coverage, compliance, completeness) and timeliness, per reporting unit.

Seed 004 asks that the three rates reach 100 % ("全覆盖、全合格、全完整"); no national formula
was found, so each is defined here as a numerator over a denominator, with the rows that fail
it listed (docs/disclosure.md gives the definitions):

- **coverage** (覆盖率): subjects of the population that have at least one case in the book
  opened on or before the period's end / subjects of the population (per unit: those the
  population assigns to it);
- **compliance** (上报合规率): rows of decisions dated in the period that passed every
  catalogue rule (entered into the book) / every row submitted (entered + rejected; a
  rejected row counted once, and not at all once its document number is in the book);
- **completeness** (完整率): required fields present / required fields, over every row
  submitted in the period (an entered row has all of them);
- **timeliness** (及时率): 双公示 decisions of the period disclosed by their last day /
  those whose disclosure is due by the date of the rates (last day passed, or disclosed).

An empty denominator gives no rate (None, shown as "-"), never 100 %.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Literal, NamedTuple

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_date, ensure_instance, ensure_iterable, ensure_str
from creditflow.book import CreditBook
from creditflow.core.identifiers import subject_id as checked_subject_id
from creditflow.core.labels import Label
from creditflow.core.privacy import public_id
from creditflow.errors import InvalidInput, InvalidRow, NoPolicyInForce
from creditflow.supervision.readers import Source, _lines, _name
from creditflow.workflows.case import Case

from .ingest import RejectedRow
from .periods import ReportingPeriod

__all__ = [
    "RATE_NAMES",
    "FailingRow",
    "Rate",
    "RateName",
    "RatesReport",
    "UnitRates",
    "compute_rates",
    "read_population_units",
    "read_rejected",
]

RateName = Literal["coverage", "compliance", "completeness", "timeliness"]
RATE_NAMES: tuple[RateName, ...] = ("coverage", "compliance", "completeness", "timeliness")
"""The rates, in the order reports show them."""

_RULE_ZH = {
    "required": "必填项缺失", "type": "类型或取值不符", "pattern": "格式不符", "max_length": "超长",
    "unknown_field": "含目录外字段", "order": "日期先后不符", "future": "日期晚于导入日",
    "duplicate": "文书号重复", "changed": "文书号已入账且内容不同", "format": "无法解析",
    "no_policy": "决定日无适用规则", "refused": "入账被拒",
}  # fmt: skip
"""The row rules (their first part: ``type.date`` -> ``type``) in Chinese, for the zh pages."""

ALL_UNITS = ""
"""The unit name of the row for the whole region (every unit together)."""


@attrs.frozen
class FailingRow:
    """A row that fails a rate: where to find it (a book case id, or file and line), its key
    (document number, or the subject for coverage; persons masked), its unit, and why;
    ``provisional`` when the last day it is judged against was counted in a year whose
    holiday schedule is not yet published (the reason says so too)."""

    where: str
    key: str
    unit: str
    reason: str
    provisional: bool = False
    zh: str = ""
    """The reason in Chinese, for the zh pages (``""``: as ``reason``)."""
    where_zh: str = ""
    """Where to find it in Chinese, for the zh pages (``""``: as ``where``)."""


@attrs.frozen
class Rate:
    """One rate: ``numerator`` / ``denominator`` and the rows that fail it."""

    name: RateName
    numerator: int
    denominator: int
    failing: tuple[FailingRow, ...] = ()

    @property
    def value(self) -> Fraction | None:
        """The rate as an exact fraction; None when the denominator is 0 (nothing to rate)."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def percent(self) -> str:
        """``"87.5%"`` (one decimal), or ``"-"`` when there is nothing to rate."""
        value = self.value
        return "-" if value is None else f"{float(value) * 100:.1f}%"


@attrs.frozen
class UnitRates:
    """The four rates of one reporting unit (``""``: the whole region)."""

    unit: str
    rates: Mapping[RateName, Rate]


@attrs.frozen
class RatesReport:
    """The rates of a period per unit, the region's first, computed ``on`` a date from the
    book at ``anchor`` (its head, ``SEQ:HASH``)."""

    period: ReportingPeriod
    on: dt.date
    anchor: str
    units: tuple[UnitRates, ...]
    unit_labels: Mapping[str, Label] = attrs.field(factory=dict)
    """The reporting units' names in words (the catalogue in force at the period's end)."""

    def unit(self, name: str) -> UnitRates:
        """The rates of unit ``name`` (``""`` for the region); ``InvalidInput`` if none."""
        for rates in self.units:
            if rates.unit == name:
                return rates
        raise InvalidInput(f"no rates for unit {shown(name)}")

    def to_json(self) -> dict[str, object]:
        """The report as JSON-ready data (every failing row included)."""
        return {
            "period": self.period.label,
            "on": self.on.isoformat(),
            "anchor": self.anchor,
            "units": [
                {
                    "unit": u.unit or "all",
                    **{
                        name: {
                            "numerator": r.numerator,
                            "denominator": r.denominator,
                            "rate": None if r.value is None else float(r.value),
                            "failing": [attrs.asdict(f) for f in r.failing],
                        }
                        for name, r in u.rates.items()
                    },
                }
                for u in self.units
            ],
        }


def read_population_units(source: Source) -> dict[str, str]:
    """``{subject_id: unit}`` from a CSV or JSON lines file with a ``subject_id`` column and
    an optional ``unit`` column (other columns, as in a plan's population file, are ignored).
    A bad or repeated subject id raises :class:`~creditflow.errors.InvalidRow`."""
    name = _name(source)
    found: dict[str, str] = {}
    for line, row in _population_rows(source, name):
        text = row.get("subject_id")
        try:
            subject = checked_subject_id(text)
        except InvalidInput as error:
            raise InvalidRow(name, line, str(error), field="subject_id") from None
        if subject in found:
            raise InvalidRow(name, line, f"{public_id(subject)} appears twice", field="subject_id")
        unit = row.get("unit") or ""
        found[subject] = unit if isinstance(unit, str) else str(unit)
    return found


def _population_rows(source: Source, name: str) -> Iterator[tuple[int, Mapping[str, object]]]:
    with _lines(source) as lines:
        if name.lower().endswith((".jsonl", ".ndjson")):
            for line, text in enumerate(lines, start=1):
                if text.strip():
                    try:
                        data = json.loads(text)
                    except json.JSONDecodeError as error:
                        raise InvalidRow(name, line, f"invalid JSON: {error.msg}") from None
                    if not isinstance(data, dict):
                        raise InvalidRow(name, line, "expected a JSON object")
                    yield line, data
            return
        reader = csv.DictReader(lines)
        if reader.fieldnames is not None and "subject_id" not in reader.fieldnames:
            raise InvalidRow(name, 1, "missing column 'subject_id'", field="subject_id")
        for row in reader:
            yield reader.line_num, row


def read_rejected(source: Source) -> list[RejectedRow]:
    """The rejected rows written by :meth:`~creditflow.disclosure.IngestReport.write_rejected`,
    each once: a row written again (the same file ingested again) is the same source, line
    and key, and is kept once."""
    name = _name(source)
    rows = []
    with _lines(source) as lines:
        for line, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                rows.append(RejectedRow.from_json(json.loads(text)))
            except (json.JSONDecodeError, InvalidInput) as error:
                raise InvalidRow(name, line, f"not a rejected row: {error}") from None
    return _distinct(rows)


def _distinct(rows: Iterable[RejectedRow]) -> list[RejectedRow]:
    """``rows`` without repeats of a (source, line, kind, key), the first kept."""
    seen: set[tuple[str, int, str, str]] = set()
    kept = []
    for row in rows:
        where = (row.source, row.line, row.kind, row.key)
        if where not in seen:
            seen.add(where)
            kept.append(row)
    return kept


class _Decision(NamedTuple):
    """An ingested decision in the book, as the rates read it."""

    case_id: str
    key: str
    unit: str
    decided_on: dt.date
    required: int
    disclosure: tuple[dt.date, dt.date | None, bool] | None  # (last day, met on, provisional)


def compute_rates(
    book: CreditBook,
    population: Mapping[str, str],
    period: ReportingPeriod | str,
    *,
    rejected: Iterable[RejectedRow] = (),
    on: dt.date | None = None,
) -> RatesReport:
    """The rates of ``period`` per reporting unit (see the module docstring). ``population``
    maps each subject of the region to its unit (``""`` when none); ``rejected`` are the rows
    refused at ingest, each (source, line, kind, key) counted once and none whose document
    number is now in the book (a corrected resubmission); ``on`` (default: the period's end)
    is the date timeliness is judged on."""
    ensure_instance(book, CreditBook, "book")
    population = _population(population)
    if not isinstance(period, ReportingPeriod):
        period = ReportingPeriod.parse(period)
    on = period.end if on is None else ensure_date(on, "on")
    rejected = [ensure_instance(r, RejectedRow, "rejected row")
                for r in ensure_iterable(rejected, "rejected")]  # fmt: skip
    anchor = str(book.anchor())
    covered: set[str] = set()
    decisions: list[_Decision] = []
    in_book: set[tuple[str, str]] = set()
    required_of: dict[tuple[str, dt.date], int] = {}
    for case in book.cases():
        if case.opened_on <= period.end:
            covered.add(case.subject_id)
        decision = _decision(book, case, required_of)
        if decision is not None:
            in_book.add(("licensing" if case.machine == "licence" else "penalty", decision.key))
            if decision.decided_on in period:
                decisions.append(decision)
    # a rejected row whose document is now in the book was corrected and resubmitted
    refused = [r for r in _distinct(rejected)
               if r.decided_on in period and (r.kind, r.key) not in in_book]  # fmt: skip
    # each unit's subjects as a list (the population maps them to their units already)
    by_unit: dict[str, tuple[list[str], list[_Decision], list[RejectedRow]]] = {}
    for subject, unit in population.items():
        by_unit.setdefault(unit, ([], [], []))[0].append(subject)
    for decision in decisions:
        by_unit.setdefault(decision.unit, ([], [], []))[1].append(decision)
    for row in refused:
        by_unit.setdefault(row.unit, ([], [], []))[2].append(row)
    # each subject without information fails coverage in the region and in its unit: one
    # row, shared (a province can have hundreds of thousands)
    uncovered = {s: _uncovered(s, u) for s, u in population.items() if s not in covered}
    del covered
    report = [_unit_rates(ALL_UNITS, population, uncovered, decisions, refused, on)]
    for unit in sorted(set(by_unit) - {ALL_UNITS}):
        mine, decided, refused_here = by_unit[unit]
        report.append(_unit_rates(unit, mine, uncovered, decided, refused_here, on))
    try:
        catalogue = book.policy_on(period.end).catalogue
    except NoPolicyInForce:
        catalogue = None
    labels = {} if catalogue is None else {n: u.label for n, u in catalogue.units.items()}
    return RatesReport(period, on, anchor, tuple(report), labels)


def _population(population: object) -> dict[str, str]:
    if not isinstance(population, Mapping):
        raise InvalidInput(f"population must map subject ids to units, got {shown(population)}")
    for subject, unit in population.items():
        ensure_str(subject, "population subject")
        ensure_instance(unit, str, "population unit")
    # read, never changed: a dict is used as it is (a million subjects need no copy)
    return population if type(population) is dict else dict(population)


def _decision(
    book: CreditBook, case: Case, required_of: dict[tuple[str, dt.date], int]
) -> _Decision | None:
    values = case.data.get("decision")
    if case.machine not in ("record", "licence") or not isinstance(values, Mapping):
        return None
    kind = "licensing" if case.machine == "licence" else "penalty"
    decided = dt.date.fromisoformat(str(values.get("decided_on")))
    required = required_of.get((kind, decided))
    if required is None:
        try:
            catalogue = book.policy_on(decided).catalogue
        except NoPolicyInForce:
            catalogue = None
        record_kind = catalogue.kinds.get(kind) if catalogue else None
        required = sum(f.required for f in record_kind.fields) if record_kind else 0
        required_of[kind, decided] = required
    deadline = case.deadline("disclosure")
    disclosure = (
        None if deadline is None else (deadline.last_day, deadline.met_on, deadline.provisional)
    )
    key = str(values.get("document_number") or values.get("reference") or case.case_id)
    return _Decision(case.case_id, key, str(values.get("unit", "")), decided, required, disclosure)


def _uncovered(subject: str, unit: str) -> FailingRow:
    """The coverage row of a subject of ``unit`` of whom the book holds nothing."""
    return FailingRow("population", public_id(subject), unit, "no credit information collected",
                      zh="未归集信用信息", where_zh="主体名录")  # fmt: skip


def _unit_rates(
    unit: str,
    subjects: Collection[str],
    uncovered: Mapping[str, FailingRow],
    decisions: list[_Decision],
    refused: list[RejectedRow],
    on: dt.date,
) -> UnitRates:
    """The rates of ``unit`` and its ``subjects``; ``uncovered`` holds the coverage row of
    every subject of the population the book holds nothing of."""
    missing = tuple(row for s in subjects if (row := uncovered.get(s)) is not None)
    coverage = Rate("coverage", len(subjects) - len(missing), len(subjects), missing)
    compliance = Rate(
        "compliance", len(decisions), len(decisions) + len(refused),
        tuple(FailingRow(f"{r.source} line {r.line}", r.key, r.unit,
                         "; ".join(f"{p.field}: {p.rule}" for p in r.problems),
                         zh="；".join(_RULE_ZH.get(p.rule.split(".")[0], "不合规")
                                     for p in r.problems),
                         where_zh=f"{r.source} 第{r.line}行") for r in refused),
    )  # fmt: skip
    present = sum(d.required for d in decisions) + sum(r.present for r in refused)
    fields = sum(d.required for d in decisions) + sum(r.required for r in refused)
    incomplete = [r for r in refused if r.present < r.required]
    completeness = Rate(
        "completeness", present, fields,
        tuple(FailingRow(f"{r.source} line {r.line}", r.key, r.unit,
                         f"{r.required - r.present} of {r.required} required fields missing",
                         zh=f"{r.required}项必填项缺{r.required - r.present}项",
                         where_zh=f"{r.source} 第{r.line}行")
              for r in incomplete),
    )  # fmt: skip
    return UnitRates(unit, {"coverage": coverage, "compliance": compliance,
                            "completeness": completeness,
                            "timeliness": _timeliness(decisions, on)})  # fmt: skip


def _timeliness(decisions: list[_Decision], on: dt.date) -> Rate:
    due = on_time = 0
    failing = []
    for d in decisions:
        if d.disclosure is None:
            continue
        last_day, met, provisional = d.disclosure
        met = met if met is not None and met <= on else None
        if met is None and last_day >= on:
            continue  # not due yet
        due += 1
        if met is not None and met <= last_day:
            on_time += 1
            continue
        reason = (
            f"disclosed {met}, due by {last_day}" if met else f"not disclosed, due by {last_day}"
        )
        zh = f"{met}公示，应于{last_day}前公示" if met else f"未公示，应于{last_day}前公示"
        reason += " (provisional)" if provisional else ""
        zh += "（期限为暂定）" if provisional else ""
        failing.append(FailingRow(d.case_id, d.key, d.unit, reason, provisional, zh))
    return Rate("timeliness", on_time, due, tuple(failing))
