"""Reading the population and the inspector directory from CSV or JSON lines, row by row.

A row that cannot be read (bad CSV or JSON, a missing or unknown column, an unknown kind, a
malformed date, an empty domain or grade) raises :class:`~creditflow.errors.InvalidRow` with
the file, the 1-based line and the field. Population rows are read lazily, so that a file of
any size streams through :func:`~creditflow.supervision.draw_plan`, which checks the rest
(identifiers, names the policy does not know, duplicates, inspector pools) and names the row
too. The formats are in ``docs/inspection-plans.md``.

:func:`read_population` returns a :class:`PopulationFile`: iterated, it gives the entries;
:func:`~creditflow.supervision.draw_plan` reads the rows of a CSV file itself instead, and
makes an entry only of a row unlike those before it (see :mod:`.selection`), with the same
checks and the same errors.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

from creditflow._limits import json_line_problem
from creditflow._repr import a_type, shown
from creditflow.core.facts import Facts
from creditflow.core.subjects import SubjectKind
from creditflow.errors import CreditflowError, InvalidInput, InvalidRow, MissingExtra
from creditflow.supervision.entries import (
    Inspector,
    PopulationEntry,
    check_name,
    check_token,
    to_names,
)

if TYPE_CHECKING:
    import _csv

__all__ = [
    "INSPECTOR_COLUMNS",
    "POPULATION_COLUMNS",
    "CsvTable",
    "Format",
    "PopulationFile",
    "PopulationFiles",
    "PopulationRows",
    "Source",
    "population_entries",
    "read_inspectors",
    "read_partitions",
    "read_population",
    "read_rows",
    "table_rows",
]

POPULATION_COLUMNS = (
    "subject_id",
    "kind",
    "name",
    "region",
    "domain",
    "grade",
    "lists",
    "flags",
    "last_inspected",
)
"""The columns (CSV) or keys (JSON lines) of a population row; the last three are optional."""
INSPECTOR_COLUMNS = ("inspector_id", "name", "regions", "domains", "conflicts")
"""The columns or keys of an inspector row; ``conflicts`` is optional."""

Format = Literal["csv", "jsonl", "parquet"]
Source = str | os.PathLike[str] | IO[str]
_OPTIONAL = frozenset({"lists", "flags", "last_inspected", "conflicts"})
_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TOKEN = re.compile(r"[^\s|]+")  # as check_token takes a value
_NAMES = re.compile(r"[^\s|;]+(?:;[^\s|;]+)*")  # names separated by ';', as _names takes them
# An inspector row's id, regions, domains and conflicts (maybe none) joined by '|': no field
# holds a '|', so this is each field's check (_TOKEN, _NAMES) at once.
_INSPECTOR_ROW = re.compile(
    rf"{_TOKEN.pattern}\|{_NAMES.pattern}\|{_NAMES.pattern}\|(?:{_NAMES.pattern})?"
)
_NO_NAMES: frozenset[str] = frozenset()
_KINDS = {kind.value: kind for kind in SubjectKind}
_CACHED = 4096  # distinct raw facts kept; real files repeat a few hundred
_checked_inspector = Inspector._checked
_new_entry = tuple.__new__  # PopulationEntry's fields, without a Python-level __new__ call
_T = TypeVar("_T")
# Makes a value from a row: its 1-based line and its values in the order of the columns.
_Make = Callable[[int, Sequence[Any]], _T]


def read_population(source: Source, *, format: Format | None = None) -> Iterator[PopulationEntry]:
    """The entries of a population file, one per row (检查对象名录库), read lazily.

    ``source`` is a path or an open text stream; ``format`` is ``"csv"``, ``"jsonl"`` or
    ``"parquet"`` (a path only; the ``dask`` extra's pyarrow reads it), by default told from
    the file name (``.csv``, ``.jsonl``, ``.ndjson``, ``.parquet``). In CSV, ``lists`` and
    ``flags`` hold names separated by ``;``; ``last_inspected`` is ``YYYY-MM-DD`` or empty.
    A Parquet row's "line" is its number in the file, from 1.
    """
    name = _name(source)
    return PopulationFile(source, name, _format(name, format))


def read_inspectors(source: Source, *, format: Format | None = None) -> Iterator[Inspector]:
    """The inspectors of a directory file, one per row (执法检查人员名录库).

    ``regions``, ``domains`` and ``conflicts`` (the subject ids the inspector must not
    inspect, 回避) hold values separated by ``;`` in CSV and arrays in JSON lines.
    """
    name = _name(source)

    def make(line: int, values: Sequence[Any]) -> Inspector:
        return _inspector(name, line, values)

    return _READERS[_format(name, format)](source, name, INSPECTOR_COLUMNS, make)


class PopulationFile(Iterator[PopulationEntry]):
    """The entries of a population file, read lazily: what :func:`read_population` returns.

    Iterated, it gives an entry per row. :meth:`rows` lets the pass of
    :func:`~creditflow.supervision.draw_plan` read the rows of a CSV file itself, without
    making an entry of every row (:mod:`creditflow.supervision.selection`).
    """

    def __init__(self, source: Source, name: str, format: Format) -> None:
        self.name = name
        self._source = source
        self._format = format
        self._entries: Iterator[PopulationEntry] | None = None

    def __next__(self) -> PopulationEntry:
        if self._entries is None:
            read, parse = _READERS[self._format], _EntryParser(self.name)
            self._entries = read(self._source, self.name, POPULATION_COLUMNS, parse)
        return next(self._entries)

    @contextlib.contextmanager
    def rows(self) -> Iterator[PopulationRows | None]:
        """The rows of a CSV file not read yet, as the ``csv`` module reads them; else None
        (JSON lines, or a file already being iterated: iterate it then).

        The file is read from here on: iterating it afterwards gives nothing more.
        """
        if self._format != "csv" or self._entries is not None:
            yield None
            return
        self._entries = iter(())
        with _csv_table(self._source, self.name, POPULATION_COLUMNS) as table:
            yield None if table is None else PopulationRows(table, _EntryParser(self.name))


def read_partitions(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: Format | None = None,
) -> PopulationFiles:
    """The population of several files (partitions), one after the other, re-readable.

    ``source`` is a directory, whose population files (``.csv``, ``.jsonl``, ``.ndjson``,
    ``.parquet``) are taken sorted by name, or the paths of the files in their order. Drawn in
    one process, a plan from these files is the plan of their rows one after the other; the
    errors name the file and line, as for one file.
    """
    if isinstance(source, str | os.PathLike):
        folder = Path(source)
        try:
            paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES)
        except (OSError, ValueError):  # ValueError: a NUL in the path
            raise InvalidInput(f"{shown(source)}: not a directory of population files") from None
        if not paths:
            known = ", ".join(_SUFFIXES)
            raise InvalidInput(f"{folder}: no population file in it (suffixes {known})")
    elif isinstance(source, bytes | bytearray) or not isinstance(source, Iterable):
        raise InvalidInput(f"source must be a directory or paths, got {shown(source)}")
    else:
        paths = []
        for item in source:
            if not isinstance(item, str | os.PathLike):
                raise InvalidInput(f"a population file must be a path, got {shown(item)}")
            paths.append(Path(item))
    for path in paths:
        _format(str(path), format)
    return PopulationFiles(tuple(paths), format)


def read_rows(
    source: Source, columns: Sequence[str], *, format: Format | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV, JSON lines or Parquet file with these columns (every one present,
    in any order), as their line and their values in the order of ``columns``."""
    name = _name(source)
    return _READERS[_format(name, format)](source, name, columns, _numbered)


def _numbered(line: int, values: Sequence[Any]) -> tuple[int, list[Any]]:
    return line, list(values)


def population_entries(
    name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[PopulationEntry]:
    """The entries of population rows given as values under ``header`` (a data frame's
    partition, say), checked as a file's rows are; errors name ``name`` and the row from 1."""
    return table_rows(name, header, POPULATION_COLUMNS, rows, _EntryParser(name))


class PopulationFiles(Iterable[PopulationEntry]):
    """Population files read one after the other: what :func:`read_partitions` returns.

    Iterated (as often as needed), it gives the entries of every file in order; :meth:`parts`
    gives each file as :func:`read_population` reads it.
    """

    def __init__(self, paths: tuple[Path, ...], format: Format | None = None) -> None:
        self.paths = paths
        self.format = format

    def parts(self) -> Iterator[PopulationFile]:
        """Each file, read lazily, in order."""
        for path in self.paths:
            yield PopulationFile(path, str(path), _format(str(path), self.format))

    def __iter__(self) -> Iterator[PopulationEntry]:
        for part in self.parts():
            yield from part

    def __len__(self) -> int:
        return len(self.paths)


class PopulationRows:
    """The rows of a CSV population file, read by the caller, and the entry of any row.

    ``lines`` gives the text lines after the header, the ``line`` first of them already read
    (the header's); :meth:`parse` reads the fields of a row from its first line as the ``csv``
    module does; :meth:`values` picks a row's values in the order of
    :data:`POPULATION_COLUMNS` (with ``in_order``, a row of ``width`` fields is its values
    already); ``days`` holds the dates of the ``last_inspected`` values read so far (only
    valid ones). :meth:`entry` makes the entry of a row, exactly as iterating the file would,
    raising for a row that cannot be read.
    """

    __slots__ = ("_parse", "_table", "days", "in_order", "line", "lines", "name", "values", "width")

    def __init__(self, table: CsvTable, parse: _EntryParser) -> None:
        self.name = table.name
        self._table = table
        self._parse = parse
        self.lines = table.lines
        self.line = table.reader.line_num
        self.values = table.pick
        self.width = table.width
        self.in_order = table.in_order
        self.days = parse.days

    def parse(self, text: str, line: int) -> tuple[list[str], int]:
        """The fields of the row whose first line is ``text``, line ``line``, as the ``csv``
        module reads them (a quoted field may go on over the next lines), and the row's last
        line. A row that is not valid CSV raises InvalidRow naming that line."""
        reader = csv.reader(itertools.chain((text,), self.lines), strict=True)
        try:
            row = next(reader)
        except csv.Error as error:
            reason = f"not valid CSV: {error}"
            raise InvalidRow(self.name, line - 1 + reader.line_num, reason) from None
        return row, line - 1 + reader.line_num

    def entry(self, row: list[str], line: int) -> PopulationEntry | None:
        """The entry of the row whose last line is ``line``, or None for a blank row."""
        if len(row) != self.width and self._table.is_blank(row, line):
            return None
        return self._parse(line, self.values(row))


# ---------------------------------------------------------------- rows from CSV or JSON


def _name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def _format(name: str, format: Format | None) -> Format:
    kind = format or _SUFFIXES.get(Path(name).suffix.lower())
    if kind == "csv" or kind == "jsonl" or kind == "parquet":
        return kind
    raise InvalidInput(f"cannot tell the format of {name}: pass format='csv', 'jsonl' or 'parquet'")


@contextlib.contextmanager
def _lines(source: Source) -> Iterator[Iterable[str]]:
    """The text lines of a path (opened and closed here) or a stream, without a byte order mark.

    A file that cannot be opened or is not UTF-8, and a source that is no path or stream of
    text, raise :class:`~creditflow.errors.InvalidInput` naming it.
    """
    name = _name(source)
    try:
        if isinstance(source, str | os.PathLike):
            try:
                stream = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115
            except (OSError, ValueError) as error:  # ValueError: a NUL or surrogate in the path
                reason = error.strerror if isinstance(error, OSError) else str(error)
                raise InvalidInput(f"{name}: cannot read: {reason}") from None
            with stream:
                yield stream
        elif isinstance(source, bytes | bytearray) or not isinstance(source, Iterable):
            raise InvalidInput(
                f"source must be a path or a text stream, got {shown(source)} "
                f"that is {a_type(source)}"
            )
        else:
            yield _text_lines(source, name)
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{name}: not valid UTF-8 text ({error.reason})") from None


def _text_lines(source: Iterable[object], name: str) -> Iterator[str]:
    for number, text in enumerate(source):
        if not isinstance(text, str):
            raise InvalidInput(f"{name}: line {number + 1} is not text: {shown(text)}")
        yield text.removeprefix("\ufeff") if number == 0 else text


def _csv_rows(source: Source, name: str, columns: Sequence[str], make: _Make[_T]) -> Iterator[_T]:
    with _csv_table(source, name, columns) as table:
        if table is None:
            return
        reader, pick, width = table.reader, table.pick, table.width
        for row in reader:
            if len(row) != width and table.is_blank(row):
                continue
            yield make(reader.line_num, pick(row))


class CsvTable:
    """The rows of a CSV file after its header, as the ``csv`` module reads them.

    ``pick`` gives a row's values in the order of the columns asked for (``""`` for an absent
    optional column); a row is ``width`` fields long unless :meth:`is_blank`. ``lines`` are
    the text lines ``reader`` reads.
    """

    __slots__ = ("in_order", "lines", "name", "pick", "reader", "width")

    def __init__(
        self,
        name: str,
        reader: _csv.Reader,
        pick: Callable[[list[str]], Any],
        width: int,
        in_order: bool = False,
        lines: Iterator[str] | None = None,
    ) -> None:
        self.name = name
        self.lines = iter(()) if lines is None else lines
        self.reader = reader
        self.pick = pick
        self.width = width
        self.in_order = in_order  # the header is the columns asked for: a row is its values

    def is_blank(self, row: list[str], line: int | None = None) -> bool:
        """For a row not ``width`` fields long, ending on ``line`` (by default the reader's
        line): true if it is blank (it is skipped), else raise."""
        if not row:
            return True
        reason = f"expected {self.width} fields as in the header, got {len(row)}"
        raise InvalidRow(self.name, self.reader.line_num if line is None else line, reason)


@contextlib.contextmanager
def _csv_table(source: Source, name: str, columns: Sequence[str]) -> Iterator[CsvTable | None]:
    """The table of a CSV source (None if it is empty); a CSV error in it names its line."""
    with _lines(source) as text:
        lines = iter(text)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                yield None
            else:
                pick, in_order = _picker(name, header, columns), header == [*columns]
                yield CsvTable(name, reader, pick, len(header), in_order, lines)
        except csv.Error as error:
            raise InvalidRow(name, reader.line_num, f"not valid CSV: {error}") from None


def _picker(name: str, header: list[str], columns: Sequence[str]) -> Callable[[list[str]], Any]:
    """A function from a CSV row to its values in the order of ``columns`` ("" if absent)."""
    for column in header:
        if column not in columns:
            known = ", ".join(columns)
            raise InvalidRow(
                name, 1, f"unknown column {shown(column)}; known: {known}", field=column
            )
    if len(set(header)) != len(header):
        raise InvalidRow(name, 1, "a column appears twice")
    for column in columns:
        if column not in header and column not in _OPTIONAL:
            raise InvalidRow(name, 1, f"missing column {shown(column)}", field=column)
    if all(c in header for c in columns):
        return operator.itemgetter(*(header.index(c) for c in columns))
    index = [header.index(c) if c in header else None for c in columns]
    return lambda row: [row[i] if i is not None else "" for i in index]


def _json_rows(source: Source, name: str, columns: Sequence[str], make: _Make[_T]) -> Iterator[_T]:
    with _lines(source) as lines:
        for line, text in enumerate(lines, start=1):
            if text.strip():
                yield make(line, _json_values(name, line, text, columns))


def _parquet_rows(
    source: Source, name: str, columns: Sequence[str], make: _Make[_T]
) -> Iterator[_T]:
    """The rows of a Parquet file, a batch of columns at a time; a row's line is its number."""
    if not isinstance(source, str | os.PathLike):
        raise InvalidInput(f"{name}: a Parquet file is read from a path, not a stream")
    try:
        import pyarrow.parquet as parquet
    except ModuleNotFoundError:
        raise MissingExtra("dask", "pyarrow", "reading Parquet") from None
    try:
        table = parquet.ParquetFile(source)
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{name}: cannot read as Parquet: {error}") from None
    with table:
        names = table.schema_arrow.names
        batches = (
            zip(*(b.column(c).to_pylist() for c in names), strict=True)
            for b in table.iter_batches(batch_size=_PARQUET_BATCH, columns=names)
        )
        yield from table_rows(name, names, columns, (r for rows in batches for r in rows), make)


def table_rows(
    name: str,
    header: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    make: _Make[_T],
) -> Iterator[_T]:
    """The rows of a table with named columns (Parquet, a data frame), lines counted from 1;
    its columns are checked as a CSV header is (an unknown or missing column names line 1)."""
    pick = _picker(name, [str(c) for c in header], columns)
    for line, row in enumerate(rows, start=1):
        yield make(line, [_frozen(v) for v in pick(list(row))])


_PARQUET_BATCH = 65_536
_READERS = {"csv": _csv_rows, "jsonl": _json_rows, "parquet": _parquet_rows}


def _json_values(name: str, line: int, text: str, columns: Sequence[str]) -> list[Any]:
    beyond = json_line_problem(text)
    if beyond is not None:
        raise InvalidRow(name, line, beyond)
    try:
        data = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        reason = f"invalid JSON: {error.msg} at column {error.colno}"
        raise InvalidRow(name, line, reason) from None
    if not isinstance(data, dict):
        raise InvalidRow(name, line, "expected a JSON object")
    for key in data:
        if key not in columns:
            raise InvalidRow(name, line, f"unknown key {shown(key)}; known: {', '.join(columns)}")
    for key in columns:
        if key not in data and key not in _OPTIONAL:
            raise InvalidRow(name, line, f"missing key {shown(key)}", field=key)
    return [_frozen(data.get(c)) for c in columns]


def _frozen(value: Any) -> Any:
    """A JSON array as a tuple, so that the values of a row can be a dictionary key."""
    return tuple(value) if isinstance(value, list) else value


# ---------------------------------------------------------------- values


def _field(name: str, line: int, field: str, convert: Callable[[Any], _T], value: Any) -> _T:
    """``convert(value)``, with an error naming the row and the field."""
    try:
        return convert(value)
    except CreditflowError as error:
        raise InvalidRow(name, line, str(error), field=field) from None


def _names(value: Any, field: str) -> frozenset[str]:
    """Names from a CSV cell (``a;b``), a JSON array (read as a tuple), or nothing."""
    if value is None or value == "":
        return frozenset()
    if isinstance(value, str):
        return to_names(value.split(";"), field)
    if isinstance(value, tuple):
        return to_names(value, field)
    raise InvalidInput(f"{field} must be names separated by ';' or an array, got {shown(value)}")


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{field} must be a non-empty string, got {shown(value)}")
    return value


def _kind(value: Any) -> SubjectKind:
    kind = _KINDS.get(value) if isinstance(value, str) else None
    if kind is None:
        raise InvalidInput(f"unknown kind {shown(value)}; known: {', '.join(_KINDS)}")
    return kind


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if type(value) is dt.date:  # a Parquet date column
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"must be a date YYYY-MM-DD, got {shown(value)}")


class _EntryParser:
    """Turns the values of one population row into a PopulationEntry; Facts are cached."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._facts: dict[tuple[Any, ...], Facts] = {}
        self.days: dict[str, dt.date] = {}

    def __call__(self, line: int, values: Sequence[Any]) -> PopulationEntry:
        subject_id, kind, name, region, domain, grade, lists, flags, last = values
        raw = (domain, grade, lists, flags)
        try:
            facts = self._facts[raw]
        except (KeyError, TypeError):
            facts = self._new_facts(line, raw)
        known = _KINDS.get(kind) if type(kind) is str else None
        return _new_entry(
            PopulationEntry,
            (
                known or _field(self._name, line, "kind", _kind, kind),
                subject_id,
                name,
                region,
                facts,
                self._day(line, last) if last else None,
                self._name,
                line,
            ),
        )

    def _day(self, line: int, text: Any) -> dt.date | None:
        """The date of a ``last_inspected`` value; the few hundred distinct ones are cached."""
        try:
            return self.days[text]
        except (KeyError, TypeError):
            day = _field(self._name, line, "last_inspected", _day, text)
        if day is not None and isinstance(text, str) and len(self.days) < _CACHED:
            self.days[text] = day
        return day

    def _new_facts(self, line: int, raw: tuple[Any, ...]) -> Facts:
        domain, grade, lists, flags = raw
        facts = Facts(
            _field(self._name, line, "domain", lambda v: _text(v, "domain"), domain),
            _field(self._name, line, "grade", lambda v: _text(v, "grade"), grade),
            _field(self._name, line, "lists", lambda v: _names(v, "lists"), lists),
            _field(self._name, line, "flags", lambda v: _names(v, "flags"), flags),
        )
        try:
            if len(self._facts) >= _CACHED:
                self._facts.clear()
            self._facts[raw] = facts
        except TypeError:  # an unhashable value (a JSON object) where a name is due
            pass
        return facts


def _inspector(name: str, line: int, values: Sequence[Any]) -> Inspector:
    """The inspector of a row's values in the order of :data:`INSPECTOR_COLUMNS`."""
    inspector_id, person, regions, domains, conflicts = values
    if (
        type(inspector_id) is str
        and type(person) is str
        and type(regions) is str
        and type(domains) is str
        and type(conflicts) is str
        and person.strip()
        and _INSPECTOR_ROW.fullmatch(f"{inspector_id}|{regions}|{domains}|{conflicts}")
    ):  # a CSV row as the fields below would take it: checked here at once, in one match
        return _checked_inspector(
            inspector_id,
            person,
            frozenset(regions.split(";")),
            frozenset(domains.split(";")),
            frozenset(conflicts.split(";")) if conflicts else _NO_NAMES,
            name,
            line,
        )
    row = dict(zip(INSPECTOR_COLUMNS, values, strict=True))

    def get(field: str, convert: Callable[[Any], _T]) -> _T:
        return _field(name, line, field, convert, row[field])

    return Inspector(
        get("inspector_id", lambda v: check_token(v, "inspector_id")),
        get("name", check_name),
        get("regions", lambda v: _non_empty(_names(v, "regions"), "regions")),
        get("domains", lambda v: _non_empty(_names(v, "domains"), "domains")),
        get("conflicts", lambda v: _names(v, "conflicts")),
        source=name,
        line=line,
    )


def _non_empty(names: frozenset[str], field: str) -> frozenset[str]:
    if not names:
        raise InvalidInput(f"no {field}: an inspector with no eligible pool can never be drawn")
    return names
