"""Reading a policy pack: TOML -> validated :class:`Policy`, reporting every problem at once."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar

from creditflow._limits import TOO_DEEP, toml_too_deep_line, too_deep_key
from creditflow._repr import shown
from creditflow.calendar.periods import Period, PeriodUnit
from creditflow.core.grades import Grade, GradeScale, score_text, to_fraction
from creditflow.core.labels import Label
from creditflow.core.severity import Severity
from creditflow.errors import InvalidInput, PolicyError, PolicyProblem
from creditflow.policy.assessment import read_assessment
from creditflow.policy.catalogue import read_catalogue
from creditflow.policy.conditions import FieldSpec, check_condition
from creditflow.policy.duties import read_permissions, read_roles, read_separations
from creditflow.policy.model import (
    DIRECTIONS,
    Basis,
    CommitmentKind,
    DecisionRule,
    DecisionRules,
    Domain,
    Flag,
    HitPolicy,
    InspectionSettings,
    ListKind,
    Measure,
    ObjectionSettings,
    Policy,
    Provision,
    RepairSettings,
    SeverityRule,
)
from creditflow.policy.purposes import read_evaluation, read_purposes
from creditflow.policy.reader import NAME, Reader
from creditflow.policy.transition import read_transition

__all__ = [
    "BREACH_CONSEQUENCES",
    "FORMAT",
    "parse_policy_text",
    "policy_from_data",
    "signature_fields",
]

FORMAT = 1
"""The pack format version this library reads (``format = 1`` at the top of a pack)."""

BREACH_CONSEQUENCES = frozenset(
    {
        "credit_record",  # a credit record of the kind's breach severity is created
        "no_commit_and_approve",  # commit-and-approve eligibility is withdrawn until repaired
        "no_missing_documents",  # missing-documents acceptance is withdrawn until repaired
        "revoke_approval",  # the licensing system is told to revoke the approval
        "watch_list",  # a watch-list listing is proposed
        "more_inspections",  # the subject is flagged for more inspections
    }
)

_TOP = (
    "format",
    "pack",
    "measures",
    "flags",
    "scales",
    "domains",
    "decisions",
    "lists",
    "severities",
    "repair",
    "objections",
    "commitments",
    "inspection",
    "roles",
    "permissions",
    "separation",
    "purposes",
    "evaluation",
    "transition",
    "catalogue",
    "assessment",
)
_T = TypeVar("_T")


def parse_policy_text(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes a :class:`PolicyError` naming line and column,
    and so does nesting deeper than the limit (:mod:`creditflow._limits`)."""
    line = toml_too_deep_line(text)
    if line is not None:
        raise PolicyError(source, [PolicyProblem(source, "", f"line {line}: {TOO_DEEP}")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reader = Reader(source)
        reader.problem("", f"not valid TOML: {error}")
        raise PolicyError(source, reader.problems) from None
    except RecursionError:  # the scan above missed a bracket; never a traceback
        raise PolicyError(source, [PolicyProblem(source, "", TOO_DEEP)]) from None
    key = too_deep_key(data)
    if key is not None:
        raise PolicyError(source, [PolicyProblem(source, key, TOO_DEEP)])
    return data


def policy_from_data(data: dict[str, Any], source: str) -> Policy:
    """Validate parsed pack data and build the :class:`Policy`; raise every problem together."""
    r = Reader(source)
    r.only(data, "", _TOP)
    fmt = r.get(data, "", "format", int)
    if fmt is not None and fmt != FORMAT:
        r.problem("format", f"this version of creditflow reads format {FORMAT}, got {fmt}")
    pack = r.table(data, "", "pack") or {}
    r.only(
        pack,
        "pack",
        (
            "name",
            "version",
            "title",
            "effective_from",
            "effective_to",
            "extends",
            "basis",
            "source",
            "note",
        ),
    )
    name = r.get(pack, "pack", "name", str)
    if name is not None and not _is_pack_name(name):
        r.problem("pack.name", f"{shown(name)} is not a pack name (a-z, 0-9, _, -)")
    version = r.get(pack, "pack", "version", str)
    if version is not None and not _is_version(version):
        r.problem(
            "pack.version", f"{shown(version)} is not a version (not empty; no space, @ or #)"
        )
    effective_from = r.date(pack, "pack", "effective_from")
    effective_to = r.date(pack, "pack", "effective_to", required=False)
    if effective_from and effective_to and effective_to < effective_from:
        r.problem("pack.effective_to", f"{effective_to} is before effective_from {effective_from}")
    pack_basis = r.basis(pack, "pack")
    measures = r.named_tables(data, "measures", lambda t, p, n: _measure(r, t, p, n))
    flags = r.named_tables(data, "flags", lambda t, p, n: _flag(r, t, p, n))
    scales = r.named_tables(data, "scales", lambda t, p, n: _scale(r, t, p, n))
    domains = r.named_tables(data, "domains", lambda t, p, n: _domain(r, t, p, n, scales))
    lists = r.named_tables(data, "lists", lambda t, p, n: _list_kind(r, t, p, n))
    # Declared names, even of tables that failed: one typo must not cascade into the rules.
    fields = signature_fields(domains, _declared(data, "lists"), _declared(data, "flags"))
    fields["domain"] = FieldSpec(str, frozenset(_declared(data, "domains")))
    decisions = _decisions(r, data, fields, _declared(data, "measures"))
    severities = _severities(r, data)
    commitments = r.named_tables(data, "commitments", lambda t, p, n: _commitment(r, t, p, n))
    repair = _repair(r, data)
    objections = _objections(r, data)
    inspection = _inspection(r, data)
    roles = read_roles(r, data)
    permissions = read_permissions(r, data, _declared(data, "roles"), pack_basis)
    separations = read_separations(r, data)
    purposes = read_purposes(
        r,
        data,
        {
            "measure": _declared(data, "measures"),
            "apply": _declared(data, "measures"),
            "list": _declared(data, "lists"),
            "flag": _declared(data, "flags"),
        },
    )
    evaluation = read_evaluation(r, data, domains)
    transition = read_transition(r, data)
    catalogue = read_catalogue(r, data)
    assessment = read_assessment(
        r,
        data,
        {
            "domains": _declared(data, "domains"),
            "purposes": _declared(data, "purposes"),
            "lists": _declared(data, "lists"),
        },
    )
    title = r.label(pack, "pack", "title") if "title" in pack else None
    if r.problems:
        raise PolicyError(source, r.problems)
    values: dict[str, Any] = {
        "name": name,
        "version": version,
        "title": title or Label(str(name), str(name)),
        "effective_from": effective_from,
        "effective_to": effective_to,
        "basis": pack_basis,
        "measures": measures,
        "flags": flags,
        "scales": scales,
        "domains": domains,
        "decisions": decisions,
        "lists": lists,
        "severities": severities,
        "repair": repair,
        "objections": objections,
        "commitments": commitments,
        "inspection": inspection,
        "roles": roles,
        "permissions": permissions,
        "separations": separations,
        "purposes": purposes,
        "evaluation": evaluation,
        "transition": transition,
        "catalogue": catalogue,
        "assessment": assessment,
    }
    return Policy(**values, origin=source)


def signature_fields(
    domains: Mapping[str, Domain], lists: Iterable[str], flags: Iterable[str]
) -> dict[str, FieldSpec]:
    """The fields a decision rule may read, with their types and allowed values."""
    grades = {g for d in domains.values() for g in d.scale.names}
    longest = max((len(d.scale) for d in domains.values()), default=0)
    fields = {
        "domain": FieldSpec(str, frozenset(domains)),
        "grade": FieldSpec(str, frozenset(grades)),
        "grade_rank": FieldSpec(int, frozenset(range(longest))),
    }
    fields.update({f"list_{k}": FieldSpec(bool) for k in lists})
    fields.update({f"flag_{f}": FieldSpec(bool) for f in flags})
    return fields


def _declared(data: dict[str, Any], key: str) -> list[str]:
    tables = data.get(key)
    return [name for name in tables if NAME.match(name)] if isinstance(tables, dict) else []


def _is_pack_name(name: str) -> bool:
    return bool(NAME.match(name.replace("-", "_")))


def _is_version(version: str) -> bool:
    """``name@version`` keys a version and ``name@version#digest`` tags an event: a version
    holds neither separator, nor a space."""
    return bool(version) and not any(c.isspace() or c in "@#" for c in version)


def _measure(r: Reader, t: dict[str, Any], path: str, name: str) -> Measure | None:
    r.only(t, path, ("label", "kind"))
    label = r.label(t, path)
    kind = r.get(t, path, "kind", str)
    if kind not in (None, "restriction", "incentive", "supervision"):
        r.problem(
            f"{path}.kind", f"{shown(kind)} is not one of restriction, incentive, supervision"
        )
        return None
    return _build(r, path, Measure, name=name, label=label, kind=kind)


def _flag(r: Reader, t: dict[str, Any], path: str, name: str) -> Flag | None:
    r.only(t, path, ("label", "direction"))
    label = r.label(t, path)
    if isinstance(t.get("direction"), str):  # a flag table has no basis for it to take
        r.problem(
            f"{path}.direction",
            f"a flag has no basis of its own: write direction = {{ value = {shown(t['direction'])},"
            ' basis = "...", source = "..." }',
        )
        return None
    direction = _direction(r, t, path, None)
    return _build(r, path, Flag, name=name, label=label, direction=direction)


def _direction(
    r: Reader, t: dict[str, Any], path: str, basis: Basis | None
) -> Provision[Any] | None:
    """The required ``direction`` of a list kind or flag: ``adverse`` or ``favourable``."""
    if "direction" not in t:
        r.problem(
            f"{path}.direction",
            "missing; declare whether it raises supervision (adverse: the serious and watch "
            "lists, breach flags) or lowers it (favourable: the red list), with its basis",
        )
        return None

    def read(where: str, raw: object) -> str | None:
        if raw in DIRECTIONS:
            return str(raw)
        r.problem(where, f"{shown(raw)} is not one of {', '.join(DIRECTIONS)}")
        return None

    return r.provision(t, path, "direction", basis, read)


def _scale(r: Reader, t: dict[str, Any], path: str, name: str) -> Provision[GradeScale] | None:
    r.only(t, path, ("label", "grades", "score_range", "basis", "source", "note"))
    label = r.label(t, path)
    basis = r.basis(t, path)
    bounds = _score_range(r, t, path) if "score_range" in t else None
    rows = r.get(t, path, "grades", list) or []
    grades: list[Grade] = []
    for i, row in enumerate(rows):
        grade = _grade(r, row, f"{path}.grades[{i}]", last=i == len(rows) - 1)
        if grade is not None:
            grades.append(grade)
            _check_in_range(r, f"{path}.grades[{i}].min_score", grade.min_score, bounds)
    if not rows:
        r.problem(f"{path}.grades", "a scale needs at least one grade")
    names = [g.name for g in grades]
    for dup in {n for n in names if names.count(n) > 1}:
        r.problem(f"{path}.grades", f"grade {shown(dup)} appears twice")
    cutoffs = [g.min_score for g in grades if g.min_score is not None]
    if any(a <= b for a, b in itertools.pairwise(cutoffs)):
        r.problem(f"{path}.grades", "min_score must fall strictly from the best grade to the worst")
    if label is None or basis is None or len(grades) != len(rows) or _failed(r, path):
        return None
    return Provision(GradeScale(name, label, tuple(grades), bounds), basis)


def _score_range(r: Reader, t: dict[str, Any], path: str) -> tuple[Fraction, Fraction] | None:
    """``score_range = { min = 0, max = 100 }``: the possible scores, both inclusive."""
    where = f"{path}.score_range"
    table = r.table(t, path, "score_range")
    if table is None:
        return None
    r.only(table, where, ("min", "max"))
    bounds: list[Fraction] = []
    for key in ("min", "max"):
        if key not in table:
            r.problem(f"{where}.{key}", "missing; a number is required")
            continue
        try:
            bounds.append(to_fraction(table[key], key))
        except InvalidInput as error:
            r.problem(f"{where}.{key}", str(error))
    if len(bounds) != 2:
        return None
    low, high = bounds
    if low >= high:
        r.problem(where, f"min {score_text(low)} must be below max {score_text(high)}")
        return None
    return (low, high)


def _check_in_range(
    r: Reader, path: str, score: Fraction | None, bounds: tuple[Fraction, Fraction] | None
) -> None:
    if score is not None and bounds is not None and not bounds[0] <= score <= bounds[1]:
        low, high = (score_text(b) for b in bounds)
        r.problem(path, f"{score_text(score)} is outside the range {low} to {high}")


def _grade(r: Reader, row: object, path: str, *, last: bool) -> Grade | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table {{ name, label, min_score }}, got {shown(row)}")
        return None
    r.only(row, path, ("name", "label", "min_score"))
    name = r.get(row, path, "name", str)
    label = r.label(row, path)
    min_score: Fraction | None = None
    if "min_score" in row:
        try:
            min_score = to_fraction(row["min_score"], "min_score")
        except InvalidInput as error:
            r.problem(f"{path}.min_score", str(error))
            return None
    elif not last:
        r.problem(f"{path}.min_score", "missing; only the lowest grade may leave it out")
    if name is None or label is None:
        return None
    return Grade(name, label, min_score)


def _domain(
    r: Reader, t: dict[str, Any], path: str, name: str, scales: Mapping[str, Provision[GradeScale]]
) -> Domain | None:
    r.only(t, path, ("label", "scale", "basis", "source", "note"))
    label = r.label(t, path)
    scale_name = r.get(t, path, "scale", str)
    basis = r.basis(t, path)
    scale = scales[scale_name].value if scale_name and scale_name in scales else None
    if scale_name and scale is None:
        r.problem(f"{path}.scale", f"unknown scale {shown(scale_name)}; scales: {sorted(scales)}")
    if label is None or scale is None or basis is None:
        return None
    return Domain(name, label, scale, basis)


def _decisions(
    r: Reader,
    data: dict[str, Any],
    fields: Mapping[str, FieldSpec],
    measures: Iterable[str],
) -> DecisionRules | None:
    t = r.table(data, "", "decisions") or {}
    r.only(t, "decisions", ("hit_policy", "rules"))
    text = r.get(t, "decisions", "hit_policy", str)
    policy = None
    if text is not None:
        try:
            policy = HitPolicy(text)
        except ValueError:
            r.problem(
                "decisions.hit_policy", f"{shown(text)} is not one of unique, first, priority"
            )
    rows = r.get(t, "decisions", "rules", list) or []
    rules = [_rule(r, row, f"decisions.rules[{i}]", fields, measures) for i, row in enumerate(rows)]
    ids = [rule.rule_id for rule in rules if rule]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        r.problem("decisions.rules", f"rule id {shown(dup)} appears twice")
    if not rows:
        r.problem("decisions.rules", "a decision table needs at least one rule")
    if policy is None or None in rules:
        return None
    return DecisionRules(policy, tuple(rule for rule in rules if rule))


def _rule(
    r: Reader,
    row: object,
    path: str,
    fields: Mapping[str, FieldSpec],
    measures: Iterable[str],
) -> DecisionRule | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table, got {shown(row)}")
        return None
    r.only(
        row,
        path,
        (
            "id",
            "when",
            "sampling_ratio",
            "inspections_per_year",
            "measures",
            "priority",
            "reason",
            "basis",
            "source",
            "note",
        ),
    )
    rule_id = r.get(row, path, "id", str)
    when = r.get(row, path, "when", dict)
    if when is not None:
        for where, why in check_condition(when, f"{path}.when", fields):
            r.problem(where, why)
    ratio = r.read_ratio(f"{path}.sampling_ratio", row.get("sampling_ratio"))
    per_year = _per_year(r, row, path)
    names = r.names(row, path, "measures", measures) if "measures" in row else ()
    priority = r.get(row, path, "priority", int, required=False) or 0
    reason = r.label(row, path, "reason") if "reason" in row else None
    basis = r.basis(row, path)
    return _build(
        r,
        path,
        DecisionRule,
        rule_id=rule_id,
        when=when,
        sampling_ratio=ratio,
        inspections_per_year=per_year,
        measures=frozenset(names or ()),
        basis=basis,
        priority=priority,
        reason=reason,
    )


def _build(r: Reader, path: str, cls: Callable[..., _T], **values: Any) -> _T | None:
    """``cls(**values)``, or None when any problem was recorded at or below ``path``."""
    return None if _failed(r, path) else cls(**values)


def _failed(r: Reader, path: str) -> bool:
    return any(p.key == path or p.key.startswith((path + ".", path + "[")) for p in r.problems)


def _per_year(r: Reader, row: dict[str, Any], path: str) -> tuple[int, int | None] | None:
    where = f"{path}.inspections_per_year"
    t = r.table(row, path, "inspections_per_year")
    if t is None:
        return None
    r.only(t, where, ("min", "max"))
    low = r.read_count(f"{where}.min", t.get("min"))
    high = r.read_count(f"{where}.max", t["max"]) if "max" in t else None
    if low is None or ("max" in t and high is None):
        return None
    if high is not None and high < low:
        r.problem(f"{where}.max", f"max {high} is below min {low}")
        return None
    return (low, high)


def _list_kind(r: Reader, t: dict[str, Any], path: str, name: str) -> ListKind | None:
    r.only(
        t,
        path,
        (
            "label",
            "severity",
            "statement_period",
            "objection_window",
            "objection_answer",
            "publication_deadline",
            "duration",
            "early_removal_after",
            "restarts_on_restore",
            "record_restarts_on_restore",
            "direction",
            "basis",
            "source",
            "note",
        ),
    )
    label = r.label(t, path)
    basis = r.basis(t, path)
    severity = _severity(r, t, path, "severity", required=False)
    direction = _direction(r, t, path, basis)
    if severity is not None and direction is not None and direction.value != "adverse":
        r.problem(
            f"{path}.direction",
            f"{shown(direction.value)}, but a listing is a {severity.value} credit record: "
            "a list that punishes dishonesty is adverse",
        )
    period = r.read_period

    def optional(key: str) -> Any:
        return r.provision(t, path, key, basis, period, required=False)

    duration = r.provision(t, path, "duration", basis, period)
    early_removal = optional("early_removal_after")
    _check_not_longer(r, f"{path}.early_removal_after", early_removal, duration, "duration")
    return _build(
        r,
        path,
        ListKind,
        name=name,
        label=label,
        severity=severity,
        statement_period=optional("statement_period"),
        objection_window=optional("objection_window"),
        objection_answer=optional("objection_answer"),
        publication_deadline=r.provision(t, path, "publication_deadline", basis, period),
        duration=duration,
        early_removal_after=early_removal,
        basis=basis,
        direction=direction,
        restarts_on_restore=r.provision(
            t, path, "restarts_on_restore", basis, r.read_flag, required=False
        ),
        record_restarts_on_restore=r.provision(
            t, path, "record_restarts_on_restore", basis, r.read_flag, required=False
        ),
    )


def _severity(
    r: Reader, t: dict[str, Any], path: str, key: str, *, required: bool = True
) -> Severity | None:
    text = r.get(t, path, key, str, required=required)
    if text is None:
        return None
    if text not in {s.value for s in Severity}:
        r.problem(
            f"{path}.{key}", f"{shown(text)} is not a severity; one of minor, general, serious"
        )
        return None
    return Severity(text)


def _severities(r: Reader, data: dict[str, Any]) -> Mapping[Severity, SeverityRule]:
    tables = r.table(data, "", "severities") or {}
    result: dict[Severity, SeverityRule] = {}
    for severity in Severity:
        path = f"severities.{severity.value}"
        t = tables.get(severity.value)
        if not isinstance(t, dict):
            r.problem(path, "missing; every severity (minor, general, serious) needs a table")
            continue
        rule = _severity_rule(r, t, path, severity)
        if rule is not None:
            result[severity] = rule
    r.only(tables, "severities", [s.value for s in Severity])
    return MappingProxyType(result)


def _severity_rule(
    r: Reader, t: dict[str, Any], path: str, severity: Severity
) -> SeverityRule | None:
    r.only(
        t,
        path,
        (
            "label",
            "published",
            "publication_min",
            "publication_max",
            "repair_after",
            "basis",
            "source",
            "note",
        ),
    )
    basis = r.basis(t, path)
    repair_after = r.get(t, path, "repair_after", str)
    if repair_after not in (None, "obligations_fulfilled", "minimum_period"):
        r.problem(f"{path}.repair_after", "must be 'obligations_fulfilled' or 'minimum_period'")
    shortest = r.provision(t, path, "publication_min", basis, r.read_period)
    longest = r.provision(t, path, "publication_max", basis, r.read_period)
    _check_not_longer(r, f"{path}.publication_min", shortest, longest, "publication_max")
    return _build(
        r,
        path,
        SeverityRule,
        severity=severity,
        label=r.label(t, path),
        published=r.get(t, path, "published", bool),
        publication_min=shortest,
        publication_max=longest,
        repair_after=repair_after,
        basis=basis,
    )


def _check_not_longer(
    r: Reader, path: str, short: Provision[Any] | None, long: Provision[Any] | None, name: str
) -> None:
    """A problem if period ``short`` is longer than ``long`` (when their units compare)."""
    if short is None or long is None:
        return
    a, b = _length(short.value), _length(long.value)
    if a[0] == b[0] and a[1] > b[1]:
        r.problem(path, f"{short.value} is longer than {name} {long.value}")


_FAMILIES = {
    PeriodUnit.MONTHS: ("months", 1),
    PeriodUnit.YEARS: ("months", 12),
    PeriodUnit.DAYS: ("days", 1),
    PeriodUnit.WEEKS: ("days", 7),
    PeriodUnit.WORKDAYS: ("workdays", 1),
}


def _length(period: Period) -> tuple[str, int]:
    """Periods compare within a family: months with years, days with weeks, workdays alone."""
    family, size = _FAMILIES[period.unit]
    return (family, period.amount * size)


def _commitment(r: Reader, t: dict[str, Any], path: str, name: str) -> CommitmentKind | None:
    r.only(
        t,
        path,
        (
            "label",
            "verification_period",
            "breach_severity",
            "breach_consequences",
            "basis",
            "source",
            "note",
        ),
    )
    basis = r.basis(t, path)
    return _build(
        r,
        path,
        CommitmentKind,
        name=name,
        label=r.label(t, path),
        verification_period=r.provision(t, path, "verification_period", basis, r.read_period),
        breach_severity=_severity(r, t, path, "breach_severity"),
        breach_consequences=r.names(t, path, "breach_consequences", BREACH_CONSEQUENCES),
        basis=basis,
    )


def _repair(r: Reader, data: dict[str, Any]) -> RepairSettings | None:
    path = "repair"
    t = r.table(data, "", path) or {}
    r.only(
        t,
        path,
        (
            "acceptance_deadline",
            "decision_deadline",
            "extension",
            "max_extensions",
            "materials",
            "fraud_ban",
            "fraud_publication",
            "basis",
            "source",
            "note",
        ),
    )
    basis = r.basis(t, path)

    def period(key: str) -> Any:
        return r.provision(t, path, key, basis, r.read_period)

    return _build(
        r,
        path,
        RepairSettings,
        acceptance_deadline=period("acceptance_deadline"),
        decision_deadline=period("decision_deadline"),
        extension=period("extension"),
        max_extensions=r.provision(t, path, "max_extensions", basis, r.read_count),
        materials=r.provision(t, path, "materials", basis, r.read_names),
        fraud_ban=period("fraud_ban"),
        fraud_publication=period("fraud_publication"),
        basis=basis,
    )


def _objections(r: Reader, data: dict[str, Any]) -> ObjectionSettings | None:
    path = "objections"
    t = r.table(data, "", path) or {}
    r.only(t, path, ("forward_deadline", "check_deadline", "basis", "source", "note"))
    basis = r.basis(t, path)
    return _build(
        r,
        path,
        ObjectionSettings,
        forward_deadline=r.provision(t, path, "forward_deadline", basis, r.read_period),
        check_deadline=r.provision(t, path, "check_deadline", basis, r.read_period),
        basis=basis,
    )


def _inspection(r: Reader, data: dict[str, Any]) -> InspectionSettings | None:
    path = "inspection"
    t = r.table(data, "", path) or {}
    keys = ("rounding", "overall_cap", "inspectors_per_inspection", "load_tolerance")
    r.only(t, path, (*keys, "low_risk_ratio", "basis", "source", "note"))
    basis = r.basis(t, path)
    rounding = r.provision(t, path, "rounding", basis, _read_rounding(r))
    inspectors = r.provision(t, path, "inspectors_per_inspection", basis, r.read_count)
    if inspectors is not None and inspectors.value < 2:
        r.problem(
            f"{path}.inspectors_per_inspection",
            f"got {inspectors.value}: law-enforcement inspections need at least two officers",
        )
    return _build(
        r,
        path,
        InspectionSettings,
        rounding=rounding,
        overall_cap=r.provision(t, path, "overall_cap", basis, r.read_ratio, required=False),
        inspectors_per_inspection=inspectors,
        load_tolerance=r.provision(t, path, "load_tolerance", basis, r.read_count),
        low_risk_ratio=r.provision(t, path, "low_risk_ratio", basis, r.read_ratio, required=False),
        basis=basis,
    )


def _read_rounding(r: Reader) -> Callable[[str, object], str | None]:
    def read(path: str, raw: object) -> str | None:
        if raw in ("ceil", "floor", "half_up"):
            return str(raw)
        r.problem(path, f"{shown(raw)} is not one of ceil, floor, half_up")
        return None

    return read
