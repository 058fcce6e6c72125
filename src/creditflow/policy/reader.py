"""A reader of parsed TOML that collects every problem with its key path instead of stopping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar

from creditflow._repr import shown
from creditflow.calendar.periods import Period
from creditflow.core.labels import Label
from creditflow.errors import InvalidPeriod, PolicyProblem
from creditflow.policy.model import Basis, Provision, Source

__all__ = ["NAME", "Reader"]

T = TypeVar("T")

NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_RATIO = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?:(?P<pct>%)|/(?P<den>\d+))?\Z")


class Reader:
    """Reads values out of nested tables; every failure becomes a problem, never an exception.

    Each method returns None when the value is missing or wrong, after recording why.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[PolicyProblem] = []

    def problem(self, path: str, reason: str) -> None:
        """Record one problem at ``path``."""
        self.problems.append(PolicyProblem(self.source, path, reason))

    def only(self, table: dict[str, Any], path: str, allowed: Iterable[str]) -> None:
        """Report keys of ``table`` that the format does not know (typos, mostly)."""
        known = set(allowed)
        for key in table:
            if key not in known:
                self.problem(_join(path, key), f"unknown key; expected one of {sorted(known)}")

    def get(
        self, table: dict[str, Any], path: str, key: str, kind: type[T], *, required: bool = True
    ) -> T | None:
        """``table[key]`` if it is a ``kind``; a problem if missing (when required) or mistyped."""
        where = _join(path, key)
        if key not in table:
            if required:
                self.problem(where, f"missing; {_a(_kind_name(kind))} is required")
            return None
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(
                where,
                f"must be {_a(_kind_name(kind))}, got {shown(value)} ({_kind_name(type(value))})",
            )
            return None
        return value

    def table(
        self, table: dict[str, Any], path: str, key: str, *, required: bool = True
    ) -> dict[str, Any] | None:
        """A sub-table."""
        return self.get(table, path, key, dict, required=required)

    def named_tables(
        self,
        data: dict[str, Any],
        key: str,
        build: Callable[[dict[str, Any], str, str], T | None],
        *,
        required: bool = True,
    ) -> Mapping[str, T]:
        """Read ``[key.<name>]`` tables with ``build(table, path, name)`` into a read-only
        mapping, name by name."""
        tables = self.table(data, "", key, required=required) or {}
        result: dict[str, T] = {}
        for name, table in tables.items():
            path = f"{key}.{name}"
            if not self.check_name(path, name):
                continue
            if not isinstance(table, dict):
                self.problem(path, f"must be a table, got {shown(table)}")
                continue
            value = build(table, path, name)
            if value is not None:
                result[name] = value
        return MappingProxyType(result)

    def name(self, table: dict[str, Any], path: str, key: str) -> str | None:
        """An identifier: lower case letters, digits and underscores."""
        value = self.get(table, path, key, str)
        if value is not None and not NAME.match(value):
            self.problem(_join(path, key), f"{shown(value)} is not a name (a-z, 0-9, _)")
            return None
        return value

    def check_name(self, path: str, value: str) -> bool:
        """True if ``value`` (a table key) is a valid name; a problem otherwise."""
        if NAME.match(value):
            return True
        self.problem(path, f"{shown(value)} is not a name (a-z, 0-9, _)")
        return False

    def label(self, table: dict[str, Any], path: str, key: str = "label") -> Label | None:
        """``{ zh = "...", en = "..." }``."""
        value = self.table(table, path, key)
        if value is None:
            return None
        where = _join(path, key)
        self.only(value, where, ("zh", "en"))
        texts = {lang: self.get(value, where, lang, str) for lang in ("zh", "en")}
        for lang, text in texts.items():
            if text is not None and not text.strip():
                self.problem(_join(where, lang), "must not be empty")
        zh, en = texts["zh"], texts["en"]
        return Label(zh, en) if zh and zh.strip() and en and en.strip() else None

    def date(
        self, table: dict[str, Any], path: str, key: str, *, required: bool = True
    ) -> dt.date | None:
        """A TOML local date (``2026-04-01``), not a date-time."""
        value = table.get(key)
        if isinstance(value, dt.datetime):
            self.problem(_join(path, key), f"must be a date like 2026-04-01, got date-time {value}")
            return None
        return self.get(table, path, key, dt.date, required=required)

    def basis(self, table: dict[str, Any], path: str, default: Basis | None = None) -> Basis | None:
        """``basis`` and ``source`` (and an optional ``note``) of a table; each inherits from
        ``default`` when given and left out."""
        text = self.get(table, path, "basis", str, required=default is None)
        source_text = self.get(table, path, "source", str, required=default is None)
        note = self.get(table, path, "note", str, required=False)
        source = self._source(_join(path, "source"), source_text)
        if default is not None:
            text = default.text if text is None else text
            source = default.source if source_text is None else source
            note = default.note if note is None else note
        if text is None or source is None:
            return None
        return Basis(text, source, note or "")

    def _source(self, path: str, text: str | None) -> Source | None:
        if text is None:
            return None
        try:
            return Source(text)
        except ValueError:
            self.problem(path, f"{shown(text)} is not a source; one of {[s.value for s in Source]}")
            return None

    def provision(
        self,
        table: dict[str, Any],
        path: str,
        key: str,
        basis: Basis | None,
        read: Any,
        *,
        required: bool = True,
    ) -> Provision[Any] | None:
        """A setting, bare (inheriting its table's basis) or as ``{ value, basis, source }``."""
        where = _join(path, key)
        if key not in table:
            if required:
                self.problem(where, "missing")
            return None
        raw = table[key]
        own_basis = basis
        if isinstance(raw, dict):
            self.only(raw, where, ("value", "basis", "source", "note"))
            own_basis = self.basis(raw, where, default=basis)
            if "value" not in raw:
                self.problem(_join(where, "value"), "missing")
                return None
            raw = raw["value"]
            where = _join(where, "value")
        value = read(where, raw)
        if value is None or own_basis is None:
            return None
        return Provision(value, own_basis)

    def read_period(self, path: str, raw: object) -> Period | None:
        """A period text such as ``"3 months"`` or ``"5 workdays"``."""
        if not isinstance(raw, str):
            self.problem(path, f"must be a period text like '3 months', got {shown(raw)}")
            return None
        try:
            return Period.parse(raw)
        except InvalidPeriod as error:
            self.problem(path, error.reason)
            return None

    def read_ratio(self, path: str, raw: object) -> Fraction | None:
        """A ratio: ``"5%"``, ``"0.5%"`` or ``"1/20"``, between 0 and 1, kept exact."""
        match = _RATIO.match(raw) if isinstance(raw, str) else None
        if match is None:
            self.problem(path, f"must be a ratio like '5%' or '1/20', got {shown(raw)}")
            return None
        value = Fraction(match["num"])
        if match["pct"]:
            value /= 100
        elif match["den"]:
            if int(match["den"]) == 0:
                self.problem(path, f"ratio {shown(raw)} divides by zero")
                return None
            value /= int(match["den"])
        if not 0 <= value <= 1:
            self.problem(path, f"ratio {shown(raw)} must lie between 0% and 100%")
            return None
        return value

    def read_flag(self, path: str, raw: object) -> bool | None:
        """``true`` or ``false``."""
        if not isinstance(raw, bool):
            self.problem(path, f"must be true or false, got {shown(raw)}")
            return None
        return raw

    def read_count(self, path: str, raw: object) -> int | None:
        """A non-negative whole number."""
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            self.problem(path, f"must be a whole number >= 0, got {shown(raw)}")
            return None
        return raw

    def names(
        self, table: dict[str, Any], path: str, key: str, known: Iterable[str] | None = None
    ) -> tuple[str, ...] | None:
        """A list of names, each one of ``known`` when given."""
        if key not in table:
            self.problem(_join(path, key), "missing; an array is required")
            return None
        return self.read_names(_join(path, key), table[key], known)

    def read_names(
        self, path: str, raw: object, known: Iterable[str] | None = None
    ) -> tuple[str, ...] | None:
        """An array of names (a-z, 0-9, _), each one of ``known`` when given."""
        if not isinstance(raw, list):
            self.problem(path, f"must be an array of names, got {shown(raw)}")
            return None
        allowed = None if known is None else set(known)
        result: list[str] = []
        for i, value in enumerate(raw):
            where = f"{path}[{i}]"
            if not isinstance(value, str) or not NAME.match(value):
                self.problem(where, f"{shown(value)} is not a name (a-z, 0-9, _)")
            elif allowed is not None and value not in allowed:
                self.problem(where, f"{shown(value)} is not declared; declared: {sorted(allowed)}")
            else:
                result.append(value)
        return tuple(result) if len(result) == len(raw) else None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _a(noun: str) -> str:
    """``"a string"``, ``"an array"``."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _kind_name(kind: type) -> str:
    return {
        str: "string",
        int: "integer",
        bool: "boolean",
        dict: "table",
        list: "array",
        float: "float",
        dt.date: "date",
    }.get(kind, kind.__name__)
