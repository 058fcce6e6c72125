"""Reading ``[purposes.<name>]`` (credit checks by purpose) and ``[evaluation]`` of a pack."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from creditflow._repr import shown
from creditflow.policy.model import Basis, Domain, EvaluationSettings, Purpose, PurposeRule
from creditflow.policy.reader import Reader

__all__ = ["read_evaluation", "read_purposes"]

_TRIGGERS = ("measure", "list", "flag")
_EFFECTS = ("restriction", "incentive")
_RULE_KEYS = ("id", *_TRIGGERS, "effect", "apply", "normal", "basis", "source", "note")


def read_purposes(
    r: Reader, data: dict[str, Any], known: Mapping[str, Iterable[str]]
) -> Mapping[str, Purpose]:
    """The purposes; ``known`` maps each trigger (and ``"apply"``) to the names it may use."""
    return r.named_tables(data, "purposes", lambda t, p, n: _purpose(r, t, p, n, known),
                          required=False)  # fmt: skip


def _purpose(
    r: Reader, t: dict[str, Any], path: str, name: str, known: Mapping[str, Iterable[str]]
) -> Purpose | None:
    r.only(t, path, ("label", "rules", "basis", "source", "note"))
    basis = r.basis(t, path)
    label = r.label(t, path)
    rows = r.get(t, path, "rules", list)
    if basis is None or label is None or rows is None:
        return None
    rules = [_rule(r, row, f"{path}.rules[{i}]", basis, known) for i, row in enumerate(rows)]
    ids = [rule.rule_id for rule in rules if rule is not None]
    if len(set(ids)) != len(ids):
        r.problem(f"{path}.rules", f"rule ids repeat: {sorted(ids)}")
    if any(rule is None for rule in rules):
        return None
    return Purpose(name, label, tuple(rule for rule in rules if rule is not None), basis)


def _rule(
    r: Reader, row: object, path: str, basis: Basis, known: Mapping[str, Iterable[str]]
) -> PurposeRule | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table, got {shown(row)}")
        return None
    r.only(row, path, _RULE_KEYS)
    triggers = [key for key in _TRIGGERS if key in row]
    if len(triggers) != 1:
        r.problem(path, f"needs exactly one of {', '.join(_TRIGGERS)}; got {triggers or 'none'}")
        return None
    trigger = triggers[0]
    name = _known_name(r, row, path, trigger, known[trigger])
    measure = _known_name(r, row, path, "apply", known["apply"])
    effect = r.get(row, path, "effect", str)
    if effect is not None and effect not in _EFFECTS:
        r.problem(f"{path}.effect", f"{shown(effect)} is not one of {', '.join(_EFFECTS)}")
        effect = None
    rule_id, normal = r.get(row, path, "id", str), r.get(row, path, "normal", bool)
    own = r.basis(row, path, default=basis)
    if None in (name, measure, effect, rule_id, normal, own):
        return None
    return PurposeRule(rule_id, trigger, name, effect, measure, normal, own)  # type: ignore[arg-type]


def _known_name(
    r: Reader, row: dict[str, Any], path: str, key: str, known: Iterable[str]
) -> str | None:
    value = r.name(row, path, key)
    allowed = sorted(known)
    if value is not None and value not in allowed:
        r.problem(f"{path}.{key}", f"unknown {key} {shown(value)}; known: {', '.join(allowed)}")
        return None
    return value


def read_evaluation(
    r: Reader, data: dict[str, Any], domains: Mapping[str, Domain]
) -> EvaluationSettings | None:
    """``[evaluation]`` (optional): grade names must exist in every domain's scale."""
    path = "evaluation"
    t = r.table(data, "", path, required=False)
    if t is None:
        return None
    keys = ("default_grade", "default_grade_with_record", "serious_breach_grade")
    periods = ("serious_breach_period", "validity")
    r.only(t, path, (*keys, *periods, "max_upgrade_per_year", "basis", "source", "note"))
    basis = r.basis(t, path)
    values: dict[str, Any] = {k: r.provision(t, path, k, basis, _grade_reader(r, domains))
                              for k in keys}  # fmt: skip
    values |= {k: r.provision(t, path, k, basis, r.read_period) for k in periods}
    values["max_upgrade_per_year"] = r.provision(
        t, path, "max_upgrade_per_year", basis, r.read_count
    )
    if basis is None or None in values.values():
        return None
    return EvaluationSettings(**values, basis=basis)


def _grade_reader(r: Reader, domains: Mapping[str, Domain]) -> Any:
    def read(path: str, raw: object) -> str | None:
        missing = [d for d, domain in sorted(domains.items()) if raw not in domain.scale]
        if not isinstance(raw, str) or missing:
            r.problem(path, f"grade {shown(raw)} is not in the scale of domains {missing}")
            return None
        return raw

    return read
