"""The credit information catalogue (信用信息目录) of a pack: ``[catalogue]``, read and validated.

A bureau collects credit information "按照交通运输信用信息目录" (seed 004 §三): record kinds
(licensing and penalty decisions, commitments, evaluation results, list entries, repairs) with
their fields, each field's type and format, which fields are required and which are published,
the reporting units (上报单位) that send the records, and the publication deadline of the
decisions published under 双公示 (7 working days, with its basis). Penalties become credit
records whose severity the catalogue's ``[catalogue.severity]`` rules give (Order 36 classes).
See docs/disclosure.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Literal, TypeVar

import attrs

from creditflow._repr import shown
from creditflow.calendar.periods import Period
from creditflow.core.labels import Label, Language
from creditflow.core.severity import Severity
from creditflow.policy.model import Basis, Provision
from creditflow.policy.reader import Reader

__all__ = [
    "FIELD_TYPES",
    "INGESTED_FIELDS",
    "Catalogue",
    "CatalogueField",
    "FieldType",
    "RecordKind",
    "ReportingUnit",
    "SeverityRuleRow",
    "SeverityRules",
    "read_catalogue",
]

FieldType = Literal[
    "text", "date", "uscc", "party", "party_name", "document_number", "enum", "amount", "unit",
    "domain",
]  # fmt: skip
"""What a field holds: free ``text``; a ``date`` (YYYY-MM-DD); an enterprise's ``uscc``; a
``party`` (a credit code or a resident ID, masked when published); the ``party_name`` (a
person's masked when published); a ``document_number`` (文书号, matched by ``pattern``); one of
``values`` (``enum``); an ``amount`` in yuan (a decimal >= 0); a reporting ``unit`` of the
catalogue; a business ``domain`` of the pack."""

FIELD_TYPES: tuple[FieldType, ...] = (
    "text", "date", "uscc", "party", "party_name", "document_number", "enum", "amount", "unit",
    "domain",
)  # fmt: skip
"""Every field type a catalogue may declare (see :data:`FieldType`)."""

_T = TypeVar("_T")

INGESTED_FIELDS: dict[str, dict[str, str]] = {
    "licensing": {"document_number": "document_number", "item": "text", "category": "enum",
                  "party": "party", "decided_on": "date", "unit": "unit", "domain": "domain"},
    "penalty": {"document_number": "document_number", "party": "party", "decided_on": "date",
                "unit": "unit", "domain": "domain"},
}  # fmt: skip
"""The required fields (and their types) the kinds ``licensing`` and ``penalty`` must have:
ingest enters their rows into the book by them (docs/disclosure.md)."""

_FIELD_KEYS = ("name", "label", "type", "required", "published", "values", "value_labels",
               "pattern", "max_length")  # fmt: skip
_KIND_KEYS = ("label", "dual_publication", "key", "fields", "basis", "source", "note")
_RULE_KEYS = ("id", "categories", "parties", "min_amount", "max_amount", "severity", "basis",
              "source", "note")  # fmt: skip
PARTY_KINDS = ("person", "organisation")
"""The kinds of party a severity rule may be limited to: a natural person (公民, a resident
ID) or an organisation (a unified social credit code)."""


@attrs.frozen
class CatalogueField:
    """One field of a record kind: its type and format, whether a row must have it
    (``required``) and whether 双公示 publishes it (``published``)."""

    name: str
    label: Label
    type: FieldType
    required: bool
    published: bool
    values: tuple[str, ...] = ()
    pattern: str | None = None
    max_length: int | None = None
    value_labels: Mapping[str, Label] = attrs.field(factory=dict)
    """An enum field's values in words (``fine`` -> 罚款 / Fine), for the published pages."""

    def shown(self, value: str, lang: Language) -> str:
        """``value`` in words in ``lang`` when the field labels it, else as it is."""
        label = self.value_labels.get(value)
        return value if label is None else label.get(lang)


@attrs.frozen
class RecordKind:
    """A kind of credit information the catalogue collects (licensing decision 行政许可决定,
    penalty decision 行政处罚决定, ...). ``key`` names the field that identifies a record (the
    decision document number: re-ingesting it is a no-op). ``dual_publication``: published
    under 双公示 within the catalogue's publication deadline."""

    name: str
    label: Label
    dual_publication: bool
    key: str
    fields: tuple[CatalogueField, ...]
    basis: Basis

    def field(self, name: str) -> CatalogueField | None:
        """The field called ``name``, or None."""
        return next((f for f in self.fields if f.name == name), None)


@attrs.frozen
class ReportingUnit:
    """A unit that reports credit information (上报单位): a department or agency."""

    name: str
    label: Label


@attrs.frozen
class SeverityRuleRow:
    """Penalties of one of ``categories`` with an amount from ``min_amount`` to ``max_amount``,
    both included (either bound may be None), are of ``severity``; with ``parties``, only
    penalties of a party of one of those kinds (``person``, ``organisation``).

    Both bounds include the amount because the regulations' 以上 and 以下 do (Civil Code
    art. 1259: 以上、以下、以内、届满包括本数): a fine of 三千元以下 includes 3000 yuan.
    """

    rule_id: str
    categories: tuple[str, ...]
    min_amount: Decimal | None
    max_amount: Decimal | None
    severity: Severity
    basis: Basis
    parties: tuple[str, ...] = ()

    def matches(self, category: str, amount: Decimal, party: str | None = None) -> bool:
        """True if a penalty of ``category`` with ``amount`` on a party of kind ``party``
        (``person``, ``organisation``, None: unknown) falls under this row."""
        if category not in self.categories:
            return False
        if self.parties and party not in self.parties:
            return False
        if self.min_amount is not None and amount < self.min_amount:
            return False
        return self.max_amount is None or amount <= self.max_amount


@attrs.frozen
class SeverityRules:
    """How a penalty decision's severity follows from its category (warning, fine, licence
    revocation...) and amount: the first matching row, else ``default``."""

    category_field: str
    amount_field: str
    rows: tuple[SeverityRuleRow, ...]
    default: Provision[Severity]
    basis: Basis

    def severity(
        self, category: str, amount: Decimal, party: str | None = None
    ) -> tuple[Severity, str, Basis]:
        """The severity of a penalty on a party of kind ``party`` (``person``,
        ``organisation``, None: unknown), the id of the row that gave it and its basis."""
        for row in self.rows:
            if row.matches(category, amount, party):
                return row.severity, row.rule_id, row.basis
        return self.default.value, "default", self.default.basis


@attrs.frozen
class Catalogue:
    """The credit information catalogue: record kinds, reporting units, the 双公示 publication
    deadline and the severity rules of penalties."""

    kinds: Mapping[str, RecordKind]
    units: Mapping[str, ReportingUnit]
    publication_deadline: Provision[Period]
    severity: SeverityRules | None
    basis: Basis


def read_catalogue(r: Reader, data: dict[str, Any]) -> Catalogue | None:
    """``[catalogue]`` (optional): kinds, units, ``publication_deadline`` and ``severity``."""
    path = "catalogue"
    t = r.table(data, "", path, required=False)
    if t is None:
        return None
    r.only(t, path, ("kinds", "units", "publication_deadline", "severity", "basis", "source",
                     "note"))  # fmt: skip
    basis = r.basis(t, path)
    deadline = r.provision(t, path, "publication_deadline", basis, r.read_period)
    units = _named(r, t, "units", lambda u, p, n: _unit(r, u, p, n))
    unit_names = _declared(t, "units")
    kinds = _named(r, t, "kinds", lambda k, p, n: _kind(r, k, p, n, basis, unit_names))
    severity = _severity_rules(r, t, basis, kinds.get("penalty"))
    if basis is None or deadline is None or len(kinds) != len(_declared(t, "kinds")):
        return None
    if len(units) != len(unit_names):
        return None
    if "severity" in t and severity is None:
        return None
    return Catalogue(kinds, units, deadline, severity, basis)


def _named(
    r: Reader, t: dict[str, Any], key: str, build: Callable[[dict[str, Any], str, str], _T | None]
) -> Mapping[str, _T]:
    """``[catalogue.<key>.<name>]`` tables built name by name (as ``Reader.named_tables``)."""
    path = f"catalogue.{key}"
    tables = r.table(t, "catalogue", key) or {}
    result: dict[str, _T] = {}
    for name, table in tables.items():
        where = f"{path}.{name}"
        if not r.check_name(where, name):
            continue
        if not isinstance(table, dict):
            r.problem(where, f"must be a table, got {shown(table)}")
            continue
        value = build(table, where, name)
        if value is not None:
            result[name] = value
    return MappingProxyType(result)


def _declared(t: dict[str, Any], key: str) -> list[str]:
    value = t.get(key)
    return list(value) if isinstance(value, dict) else []


def _unit(r: Reader, t: dict[str, Any], path: str, name: str) -> ReportingUnit | None:
    r.only(t, path, ("label",))
    label = r.label(t, path)
    return None if label is None else ReportingUnit(name, label)


def _kind(
    r: Reader,
    t: dict[str, Any],
    path: str,
    name: str,
    default: Basis | None,
    units: list[str],
) -> RecordKind | None:
    r.only(t, path, _KIND_KEYS)
    label = r.label(t, path)
    basis = r.basis(t, path, default=default) if default else r.basis(t, path)
    dual = r.get(t, path, "dual_publication", bool)
    key = r.name(t, path, "key")
    rows = r.get(t, path, "fields", list)
    if rows is None:
        return None
    fields = [_field(r, row, f"{path}.fields[{i}]", units) for i, row in enumerate(rows)]
    names = [f.name for f in fields if f is not None]
    if len(set(names)) != len(names):
        r.problem(f"{path}.fields", f"field names repeat: {sorted(names)}")
        return None
    if key is not None and key not in names and None not in fields:
        r.problem(f"{path}.key", f"{shown(key)} is not one of the kind's fields {names}")
        return None
    keyed = next((f for f in fields if f is not None and f.name == key), None)
    if keyed is not None and not keyed.required:
        r.problem(f"{path}.key", f"the key field {shown(key)} must be required")
        return None
    if None in (label, basis, dual, key) or None in fields:
        return None
    for needed, wanted in INGESTED_FIELDS.get(name, {}).items():
        found = next((f for f in fields if f is not None and f.name == needed), None)
        if found is None or found.type != wanted or not found.required:
            r.problem(f"{path}.fields", f"a {name} kind needs a required {wanted} field {needed!r}")
            return None
    return RecordKind(name, label, dual, key, tuple(f for f in fields if f), basis)  # type: ignore[arg-type]


def _field(r: Reader, row: object, path: str, units: list[str]) -> CatalogueField | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table, got {shown(row)}")
        return None
    r.only(row, path, _FIELD_KEYS)
    name = r.name(row, path, "name")
    label = r.label(row, path)
    kind = r.get(row, path, "type", str)
    if kind is not None and kind not in FIELD_TYPES:
        r.problem(f"{path}.type", f"{shown(kind)} is not one of {', '.join(FIELD_TYPES)}")
        kind = None
    required = r.get(row, path, "required", bool)
    published = r.get(row, path, "published", bool)
    values = _values(r, row, path, kind)
    words = _value_labels(r, row, path, values or ())
    pattern = _pattern(r, row, path, kind)
    max_length = r.get(row, path, "max_length", int, required=False)
    if max_length is not None and max_length < 1:
        r.problem(f"{path}.max_length", f"must be at least 1, got {max_length}")
        return None
    if kind == "unit" and not units:
        r.problem(f"{path}.type", "a unit field needs [catalogue.units]")
        return None
    if None in (name, label, kind, required, published, values) or pattern is False:
        return None
    if words is None:
        return None
    shape = str(pattern) if pattern else None
    return CatalogueField(name, label, kind, required, published, values,  # type: ignore[arg-type]
                          shape, max_length, words)  # fmt: skip


def _value_labels(
    r: Reader, row: dict[str, Any], path: str, values: tuple[str, ...]
) -> dict[str, Label] | None:
    """``value_labels = { fine = { zh, en }, ... }``: words for an enum's values."""
    if "value_labels" not in row:
        return {}
    table = r.table(row, path, "value_labels")
    if table is None:
        return None
    words: dict[str, Label] = {}
    for value in table:
        if value not in values:
            r.problem(f"{path}.value_labels.{value}", f"{shown(value)} is not one of the values")
            return None
        label = r.label(table, f"{path}.value_labels", value)
        if label is None:
            return None
        words[value] = label
    return words


def _values(r: Reader, row: dict[str, Any], path: str, kind: str | None) -> tuple[str, ...] | None:
    if kind != "enum":
        if "values" in row:
            r.problem(f"{path}.values", "only an enum field has values")
            return None
        return ()
    names = r.names(row, path, "values")
    if names is not None and not names:
        r.problem(f"{path}.values", "an enum needs at least one value")
        return None
    return names


def _pattern(r: Reader, row: dict[str, Any], path: str, kind: str | None) -> str | bool:
    """The pattern text ('' when none), or False after a problem."""
    text = r.get(row, path, "pattern", str, required=kind == "document_number")
    if text is None:
        return False if kind == "document_number" else ""
    if kind not in ("document_number", "text"):
        r.problem(f"{path}.pattern", "only a document_number or text field has a pattern")
        return False
    try:
        re.compile(text)
    except re.error as error:
        r.problem(f"{path}.pattern", f"not a regular expression: {error}")
        return False
    return text


def _severity_rules(
    r: Reader, t: dict[str, Any], default: Basis | None, penalty: RecordKind | None
) -> SeverityRules | None:
    path = "catalogue.severity"
    s = r.table(t, "catalogue", "severity", required=False)
    if s is None:
        return None
    r.only(s, path, ("category_field", "amount_field", "rules", "default", "basis", "source",
                     "note"))  # fmt: skip
    basis = r.basis(s, path, default=default) if default else r.basis(s, path)
    category = r.name(s, path, "category_field")
    amount = r.name(s, path, "amount_field")
    if penalty is None:
        r.problem(path, "severity rules need a penalty kind in [catalogue.kinds.penalty]")
        return None
    categories = _typed_field(r, penalty, path, "category_field", category, "enum")
    _typed_field(r, penalty, path, "amount_field", amount, "amount")
    severe = r.provision(s, path, "default", basis, _severity_reader(r))
    rows = r.get(s, path, "rules", list)
    if rows is None or basis is None:
        return None
    read = [_rule(r, row, f"{path}.rules[{i}]", basis, categories) for i, row in enumerate(rows)]
    ids = [row.rule_id for row in read if row is not None]
    if len(set(ids)) != len(ids):
        r.problem(f"{path}.rules", f"rule ids repeat: {sorted(ids)}")
        return None
    if None in read or None in (category, amount, severe) or categories is None:
        return None
    return SeverityRules(category, amount, tuple(read), severe, basis)  # type: ignore[arg-type]


def _typed_field(
    r: Reader, kind: RecordKind, path: str, key: str, name: str | None, wanted: str
) -> tuple[str, ...] | None:
    field = kind.field(name) if name else None
    if name is not None and (field is None or field.type != wanted):
        r.problem(f"{path}.{key}", f"{shown(name)} is not an {wanted} field of the penalty kind")
        return None
    return None if field is None else field.values


def _severity_reader(r: Reader) -> Any:
    def read(where: str, raw: object) -> Severity | None:
        allowed = [s.value for s in Severity]
        if raw not in allowed:
            r.problem(where, f"{shown(raw)} is not a severity; one of {allowed}")
            return None
        return Severity(raw)

    return read


def _rule(
    r: Reader, row: object, path: str, basis: Basis, categories: tuple[str, ...] | None
) -> SeverityRuleRow | None:
    if not isinstance(row, dict):
        r.problem(path, f"must be a table, got {shown(row)}")
        return None
    r.only(row, path, _RULE_KEYS)
    rule_id = r.get(row, path, "id", str)
    names = r.names(row, path, "categories", categories)
    parties = r.names(row, path, "parties", PARTY_KINDS) if "parties" in row else ()
    low, high = _amount(r, row, path, "min_amount"), _amount(r, row, path, "max_amount")
    if isinstance(low, Decimal) and isinstance(high, Decimal) and high <= low:
        r.problem(f"{path}.max_amount", f"must be above min_amount {low}, got {high}")
        return None
    severity = _severity_reader(r)(f"{path}.severity", row.get("severity"))
    own = r.basis(row, path, default=basis)
    if None in (rule_id, names, severity, own) or parties is None or False in (low, high):
        return None
    return SeverityRuleRow(rule_id, names, low, high, severity, own,  # type: ignore[arg-type]
                           parties)  # fmt: skip


def _amount(r: Reader, row: dict[str, Any], path: str, key: str) -> Decimal | bool | None:
    """An amount in yuan written as a string (``"3000"``), None when absent, False if wrong."""
    if key not in row:
        return None
    raw = row[key]
    try:
        value = Decimal(raw) if isinstance(raw, str) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        r.problem(f"{path}.{key}", f"must be an amount in yuan like '3000', got {shown(raw)}")
        return False
    return value
