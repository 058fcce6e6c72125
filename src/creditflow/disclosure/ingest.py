"""Ingest of licensing and penalty decisions (双公示) into the book, row by row, checked.

:func:`ingest` reads a file (CSV, JSON lines, or Parquet when ``pyarrow`` is installed),
checks every row against the catalogue of the pack in force on the row's decision date
(:func:`~creditflow.disclosure.rows.check_row`), and enters every valid row:

- a penalty decision (行政处罚决定) as a credit record (``record.<severity>``) whose severity
  the catalogue's rules give from its category and amount (Order 36 classes), dated on its
  decision, with its 双公示 publication due within the catalogue's deadline whatever its
  severity (Order 36's classes govern only how long it stays in publication);
- a licensing decision (行政许可决定) as a licence (``licence.<category>``), likewise.

A row with ``published_on`` is also disclosed (the ``disclose`` event) on that date. Rows are
keyed by their document number (the kind's ``key``): ingesting a row again enters nothing, and
a row whose key is in the book with other content is a problem (rule ``changed``). The rows
are entered in one transaction (``chunk=None``) or in transactions of ``chunk`` rows: a failure
leaves whole chunks, and running the ingest again completes it. A row the book refuses (a
guard) is a problem of that row and leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_date, ensure_instance
from creditflow.book import CreditBook
from creditflow.core.identifiers import is_valid_uscc
from creditflow.core.privacy import mask_resident_ids
from creditflow.core.severity import Severity
from creditflow.errors import (
    IdempotencyKeyReused,
    InvalidInput,
    MissingExtra,
    NoPolicyInForce,
    TransitionRefused,
)
from creditflow.policy.catalogue import Catalogue, RecordKind
from creditflow.policy.model import Policy
from creditflow.supervision.readers import Source, _lines, _name
from creditflow.workflows.case import Actor, Case

from .rows import CheckedRow, RowProblem, check_row

__all__ = [
    "INGESTED_KINDS",
    "IngestFormat",
    "IngestReport",
    "RejectedRow",
    "ingest",
    "penalty_severity",
    "read_rows",
]

INGESTED_KINDS = ("licensing", "penalty")
"""The record kinds :func:`ingest` enters into the book."""

IngestFormat = Literal["csv", "jsonl", "parquet"]
_SUFFIXES: dict[str, IngestFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                                      ".parquet": "parquet"}  # fmt: skip
_INGESTER = Actor("disclosure-ingest", frozenset({"system"}))
_UNREADABLE = "\x00unreadable"  # the key of a row the reader could not split into fields


@attrs.frozen
class RejectedRow:
    """A row refused at ingest, as the rates count it: where it is, its key (document number,
    ``""`` if unreadable), its reporting unit and decision date where readable (else ``""`` and
    the ingest date), how many required fields it has and how many of them are present, and its
    problems."""

    source: str
    line: int
    kind: str
    key: str
    unit: str
    decided_on: dt.date
    required: int
    present: int
    problems: tuple[RowProblem, ...]

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (one line of :meth:`IngestReport.write_rejected`)."""
        data = attrs.asdict(self, recurse=True)
        data["decided_on"] = self.decided_on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RejectedRow:
        """The row a line written by :meth:`IngestReport.write_rejected` holds."""
        try:
            problems = tuple(RowProblem(**p) for p in data["problems"])
            values = {k: data[k] for k in ("source", "line", "kind", "key", "unit", "required",
                                           "present")}  # fmt: skip
            return cls(**values, decided_on=dt.date.fromisoformat(data["decided_on"]),
                       problems=problems)  # fmt: skip
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(f"not a rejected row: {shown(error)}") from None


@attrs.frozen
class IngestReport:
    """What :func:`ingest` did: rows read, entered (new cases), already in the book, disclosed
    (publication dates recorded), and the rows rejected with their problems."""

    source: str
    kind: str
    rows: int
    entered: int
    already: int
    disclosed: int
    rejected: tuple[RejectedRow, ...]

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        """Every problem of every rejected row, in file order."""
        return tuple(p for row in self.rejected for p in row.problems)

    def write_rejected(self, path: str | os.PathLike[str]) -> None:
        """Append the rejected rows to ``path`` as JSON lines (persons' IDs masked in the
        messages), for ``creditflow rates --rejected``."""
        with open(path, "a", encoding="utf-8") as out:
            for row in self.rejected:
                out.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")


def read_rows(
    source: Source, *, format: IngestFormat | None = None
) -> Iterator[tuple[int, dict[str, object]]]:
    """``(line, row)`` for every row of a CSV, JSON lines or Parquet file (1-based line; for
    Parquet the row number). A file that cannot be read raises
    :class:`~creditflow.errors.InvalidInput` naming it and the line."""
    name = _name(source)
    if format is not None and format not in ("csv", "jsonl", "parquet"):
        raise InvalidInput(f"format {shown(format)}: one of csv, jsonl, parquet")
    kind = format or _SUFFIXES.get(Path(name).suffix.lower())
    if kind == "csv":
        return _csv_rows(source, name)
    if kind == "jsonl":
        return _json_rows(source, name)
    if kind == "parquet":
        return _parquet_rows(source, name)
    raise InvalidInput(f"cannot tell the format of {name}: pass format='csv', 'jsonl' or 'parquet'")


def _csv_rows(source: Source, name: str) -> Iterator[tuple[int, dict[str, object]]]:
    import csv

    with _lines(source) as lines:
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise InvalidInput(f"{name} line {reader.line_num}: not valid CSV: {error}") from None
        if header is None:
            return
        if len(set(header)) != len(header):
            raise InvalidInput(f"{name} line 1: a column appears twice")
        while True:
            start = reader.line_num + 1  # a quoted field may run over several lines
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # that record only: the reader goes on after it
                yield start, {_UNREADABLE: f"not valid CSV: {error}"}
                continue
            if not row:
                continue
            if len(row) != len(header):
                width = f"{len(row)} fields, the header has {len(header)}"
                yield reader.line_num, {_UNREADABLE: width}
                continue
            yield reader.line_num, dict(zip(header, row, strict=True))


def _json_rows(source: Source, name: str) -> Iterator[tuple[int, dict[str, object]]]:
    with _lines(source) as lines:
        for line, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                yield line, {_UNREADABLE: f"invalid JSON: {error.msg} at column {error.colno}"}
                continue
            yield line, data if isinstance(data, dict) else {_UNREADABLE: "expected a JSON object"}


def _parquet_rows(source: Source, name: str) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise MissingExtra("dask", "pyarrow", f"reading the Parquet file {name}") from None
    line = 0
    for batch in pq.ParquetFile(source).iter_batches():
        for row in batch.to_pylist():
            line += 1
            yield line, {k: v for k, v in row.items() if v is not None}


def ingest(
    book: CreditBook,
    source: Source,
    *,
    kind: str,
    format: IngestFormat | None = None,
    on: dt.date | None = None,
    actor: Actor = _INGESTER,
    chunk: int | None = None,
) -> IngestReport:
    """Check every row of ``source`` (decisions of record ``kind``: ``licensing`` or
    ``penalty``) and enter the valid ones into ``book`` (see the module docstring). ``on`` is
    the ingest date (default today): a row whose date cannot be read is counted on it."""
    ensure_instance(book, CreditBook, "book")
    ensure_instance(actor, Actor, "actor")
    on = None if on is None else ensure_date(on, "on")
    if not isinstance(kind, str) or kind not in INGESTED_KINDS:
        raise InvalidInput(f"kind {shown(kind)}: only {', '.join(INGESTED_KINDS)} are ingested")
    if format is not None and format not in ("csv", "jsonl", "parquet"):
        raise InvalidInput(f"format {shown(format)}: one of csv, jsonl, parquet")
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise InvalidInput(f"chunk must be a whole number >= 1 or None, got {shown(chunk)}")
    name = _name(source)
    today = on or dt.date.today()
    run = _Run(book, name, kind, actor, today)
    pending: list[tuple[CheckedRow, Policy]] = []
    count = 0
    for line, raw in read_rows(source, format=format):
        count += 1
        checked = run.check(line, raw)
        if checked is not None:
            pending.append(checked)
        if chunk is not None and len(pending) >= chunk:
            run.enter(pending)
            pending = []
    run.enter(pending)
    return IngestReport(name, kind, count, run.entered, run.already, run.disclosed,
                        tuple(run.rejected))  # fmt: skip


class _Run:
    """The state of one ingest: keys seen, counts, rejected rows."""

    def __init__(self, book: CreditBook, name: str, kind: str, actor: Actor, today: dt.date):
        self.book, self.name, self.kind, self.actor, self.today = book, name, kind, actor, today
        self.seen: dict[str, int] = {}
        self.names: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self.entered = self.already = self.disclosed = 0
        self.rejected: list[RejectedRow] = []

    def check(self, line: int, raw: dict[str, object]) -> tuple[CheckedRow, Policy] | None:
        if _UNREADABLE in raw:
            problem = RowProblem(self.name, line, "", "format", str(raw[_UNREADABLE]))
            self._reject(line, raw, None, (problem,))
            return None
        policy = self._policy(line, raw)
        if policy is None:
            return None
        catalogue = policy.catalogue
        assert catalogue is not None  # _policy refuses a pack without one
        record_kind = catalogue.kinds[self.kind]
        units, domains = self._names(policy)
        checked, problems = check_row(record_kind, raw, source=self.name, line=line, units=units,
                                      domains=domains, on=self.today)  # fmt: skip
        if checked is not None:
            key = checked.values[record_kind.key]
            first = self.seen.setdefault(key, line)
            if first != line:
                problems = (RowProblem(self.name, line, record_kind.key, "duplicate",
                                       f"{key} is also on line {first}"),)  # fmt: skip
                checked = None
        if checked is None:
            self._reject(line, raw, record_kind, problems, units)
            return None
        return checked, policy

    def _names(self, policy: Policy) -> tuple[frozenset[str], frozenset[str]]:
        """The reporting units and domains of ``policy``, kept per version."""
        names = self.names.get(policy.digest)
        if names is None:
            assert policy.catalogue is not None
            names = frozenset(policy.catalogue.units), frozenset(policy.domains)
            self.names[policy.digest] = names
        return names

    def _policy(self, line: int, raw: Mapping[str, object]) -> Policy | None:
        """The pack in force on the row's decision date (today's if unreadable)."""
        decided = _date(raw.get("decided_on")) or self.today
        try:
            policy = self.book.policy_on(decided)
        except NoPolicyInForce as error:
            problem = RowProblem(self.name, line, "decided_on", "no_policy", str(error))
            self._reject(line, raw, None, (problem,))
            return None
        if policy.catalogue is None or self.kind not in policy.catalogue.kinds:
            raise InvalidInput(f"{policy.key} has no catalogue kind {self.kind!r}")
        return policy

    def _reject(
        self,
        line: int,
        raw: Mapping[str, object],
        kind: RecordKind | None,
        problems: tuple[RowProblem, ...],
        units: frozenset[str] = frozenset(),
    ) -> None:
        """Keep a rejected row; its unit only if it is one of ``units`` (else ``""``)."""
        unit = _plain(raw.get("unit"))
        required = [f.name for f in kind.fields if f.required] if kind else []
        present = [f for f in required if _filled(raw.get(f))]
        key = _plain(raw.get(kind.key)) if kind else ""
        self.rejected.append(
            RejectedRow(
                self.name, line, self.kind, mask_resident_ids(key), unit if unit in units else "",
                _date(raw.get("decided_on")) or self.today, len(required), len(present),
                problems,
            )
        )  # fmt: skip

    def enter(self, rows: list[tuple[CheckedRow, Policy]]) -> None:
        if not rows:
            return
        counts = (self.entered, self.already, self.disclosed)
        rejected = len(self.rejected)
        try:
            with self.book.batch():
                for row, policy in rows:
                    self._enter_one(row, policy)
        except BaseException:
            self.entered, self.already, self.disclosed = counts
            del self.rejected[rejected:]
            raise

    def _enter_one(self, row: CheckedRow, policy: Policy) -> None:
        catalogue = policy.catalogue
        assert catalogue is not None
        record_kind = catalogue.kinds[self.kind]
        values = row.values
        key = f"disclosure:{self.kind}:{values[record_kind.key]}"
        case_kind, data = _case(self.kind, catalogue, policy, values)
        decided = dt.date.fromisoformat(values["decided_on"])
        try:
            case = self.book.open_case(case_kind, values["party"], on=decided, actor=self.actor,
                                       idempotency_key=key, **data)  # fmt: skip
            fresh = not case.history  # a replayed key returns the case with its history
            if not fresh:
                case = self.book.get(case.case_id)  # as it stands now, not as it was opened
            if not _same_decision(case.data.get("decision"), data["decision"], record_kind):
                other = f"{values[record_kind.key]} is in the book with other content"
                self._refused(row, record_kind.key, "changed", other)
                return
            if fresh:
                self.entered += 1
            else:
                self.already += 1
            self._disclose(case, row, key)
        except IdempotencyKeyReused:  # the key is in the book for another party or kind
            other = f"{values[record_kind.key]} is in the book with other content"
            self._refused(row, record_kind.key, "changed", other)
        except TransitionRefused as error:
            self._refused(row, error.guard or "", "refused", str(error))

    def _disclose(self, case: Case, row: CheckedRow, key: str) -> None:
        deadline = case.deadline("disclosure")
        if row.published_on is None or deadline is None or deadline.met_on is not None:
            return
        self.book.fire(case.case_id, "disclose", on=row.published_on, actor=self.actor,
                       idempotency_key=f"{key}:disclose")  # fmt: skip
        self.disclosed += 1

    def _refused(self, row: CheckedRow, field: str, rule: str, message: str) -> None:
        problem = RowProblem(self.name, row.line, field, rule, mask_resident_ids(message))
        catalogue = self.book.policy_on(dt.date.fromisoformat(row.values["decided_on"])).catalogue
        assert catalogue is not None
        kind, units = catalogue.kinds[self.kind], frozenset(catalogue.units)
        self._reject(row.line, row.values, kind, (problem,), units)


def _same_decision(stored: object, given: Mapping[str, str], kind: RecordKind) -> bool:
    """The decision in the book is the one given: the same fields with the same values, an
    amount compared as a number (``5000`` and ``5000.00`` are one amount)."""
    if stored == given:
        return True
    if not isinstance(stored, Mapping) or stored.keys() != given.keys():
        return False
    amounts = {f.name for f in kind.fields if f.type == "amount"}
    return all(
        stored[name] == value or (name in amounts and _same_amount(stored[name], value))
        for name, value in given.items()
    )


def _same_amount(stored: object, given: str) -> bool:
    try:
        return Decimal(str(stored)) == Decimal(given)
    except InvalidOperation:  # not an amount in the book: another decision
        return False


def _case(
    kind: str, catalogue: Catalogue, policy: Policy, values: Mapping[str, str]
) -> tuple[str, dict[str, Any]]:
    """The case kind and opening data for a checked row of ``kind``."""
    decision = dict(values)
    if kind == "licensing":
        data: dict[str, Any] = {
            "domain": values["domain"],
            "document_number": values["document_number"],
            "item": values["item"],
            "decided_on": values["decided_on"],
            "summary": values.get("content", ""),
            "decision": decision,
        }
        if "valid_until" in values:
            data["valid_until"] = values["valid_until"]
        return f"licence.{values['category']}", data
    severity = penalty_severity(catalogue, values)
    data = {
        "domain": values["domain"],
        "record_kind": "penalty",
        "decided_on": values["decided_on"],
        "summary": values.get("result") or values.get("title", ""),
        "basis": values.get("basis", ""),
        # every penalty decision is published (双公示) within the deadline, whatever its class
        "dual_publication": catalogue.kinds[kind].dual_publication,
        "decision": decision,
    }
    return f"record.{severity.value}", data


def penalty_severity(catalogue: Catalogue, values: Mapping[str, str]) -> Severity:
    """The severity of a checked penalty row by the catalogue's rules (general without any)."""
    ensure_instance(catalogue, Catalogue, "catalogue")
    if not isinstance(values, Mapping):
        raise InvalidInput(f"values must be a mapping, got {shown(values)}")
    rules = catalogue.severity
    if rules is None:
        return Severity.GENERAL
    try:
        amount = Decimal(str(values.get(rules.amount_field) or "0"))
    except ArithmeticError:
        raise InvalidInput(f"amount {shown(values.get(rules.amount_field))} is no amount") from None
    if not amount.is_finite():
        raise InvalidInput(f"amount {shown(values.get(rules.amount_field))} is no amount")
    party = str(values.get("party", ""))
    kind = "organisation" if is_valid_uscc(party) else "person" if party else None
    return rules.severity(str(values.get(rules.category_field, "")), amount, kind)[0]


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if day.isoformat() == value.strip() else None


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _plain(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
