"""Writing decisions: JSON lines or an aligned table, chunk by chunk, to a text stream."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TextIO

from creditflow.cli.requests import Request
from creditflow.core.facts import Facts
from creditflow.core.labels import Language
from creditflow.rules.decision import Decision, format_ratio
from creditflow.rules.trace import Trace

__all__ = ["DecisionWriter", "JsonLinesWriter", "TableWriter", "table_cells"]

Tracer = Callable[[Facts], Trace]
"""``Engine.trace``: given to a writer, each decision is followed by its trace."""

TABLE_HEADER = ("domain", "grade", "lists", "flags", "ratio", "inspections", "rule", "measures")


class DecisionWriter(Protocol):
    """Writes the decisions of a chunk of requests, in order."""

    def write(self, requests: Sequence[Request], decisions: Sequence[Decision]) -> None:
        """Write one decision per request and flush."""


class JsonLinesWriter:
    """One JSON object per decision: ``id`` first when the request has one, then
    :meth:`Decision.to_dict`, then ``explanation`` when a language is given, then ``trace``
    (:meth:`Trace.to_dict <creditflow.rules.Trace.to_dict>`) with a tracer.

    Decisions are shared by every request with the same facts, so each is serialised once.
    """

    def __init__(
        self, out: TextIO, explain: Language | None = None, trace: Tracer | None = None
    ) -> None:
        self._out = out
        self._explain = explain
        self._trace = trace
        self._bodies: dict[int, str] = {}

    def write(self, requests: Sequence[Request], decisions: Sequence[Decision]) -> None:
        """Write one line per decision and flush."""
        self._out.write("".join(self._line(r, d) for r, d in zip(requests, decisions, strict=True)))
        self._out.flush()

    def _line(self, request: Request, decision: Decision) -> str:
        body = self._bodies.get(id(decision))
        if body is None:
            body = self._bodies[id(decision)] = self._body(decision)
        if request.has_id:
            key = request.id
            shown = str(key) if type(key) is int else _dumps(key)
            return f'{{"id": {shown}, {body[1:]}\n'
        return body + "\n"

    def _body(self, decision: Decision) -> str:
        data = decision.to_dict()
        if self._explain is not None:
            data["explanation"] = decision.explain(self._explain)
        if self._trace is not None:
            data["trace"] = self._trace(decision.facts).to_dict()
        return _dumps(data)


class TableWriter:
    """Aligned columns, one row per decision, with a header before the first row.

    Column widths are those of the widest value any decision of the table can show, so rows
    written chunk by chunk stay aligned. With a language, each row is followed by its
    explanation, indented; with a tracer, by its trace (:meth:`Trace.to_text
    <creditflow.rules.Trace.to_text>`), indented.
    """

    def __init__(
        self,
        out: TextIO,
        every: Iterable[Decision],
        explain: Language | None = None,
        trace: Tracer | None = None,
    ) -> None:
        self._out = out
        self._explain = explain
        self._trace = trace
        self._cells = {id(d): table_cells(d) for d in every}
        rows = [TABLE_HEADER, *self._cells.values()]
        self._widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_HEADER) - 1)]
        self._started = False

    def write(self, requests: Sequence[Request], decisions: Sequence[Decision]) -> None:
        """Write one row per decision (the header first, once) and flush."""
        if not decisions:
            return
        lines = [] if self._started else [self._row(TABLE_HEADER)]
        self._started = True
        for decision in decisions:
            cells = self._cells.get(id(decision)) or table_cells(decision)
            lines.append(self._row(cells))
            if self._explain is not None:
                lines.append(f"  {decision.explain(self._explain)}")
            if self._trace is not None:
                text = self._trace(decision.facts).to_text()
                lines += [f"  {line}" for line in text.splitlines()]
        self._out.write("\n".join(lines) + "\n")
        self._out.flush()

    def _row(self, cells: Sequence[str]) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells, self._widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()


def table_cells(decision: Decision) -> tuple[str, ...]:
    """The cells of one table row: inspections as ``1-2``, ``2+`` (no maximum) or ``1``."""
    facts = decision.facts
    return (
        facts.domain,
        facts.grade,
        ",".join(sorted(facts.lists)) or "-",
        ",".join(sorted(facts.flags)) or "-",
        format_ratio(decision.sampling_ratio),
        _inspections(decision.inspections_per_year),
        decision.rule_id,
        ",".join(sorted(decision.measures)) or "-",
    )


def _inspections(span: tuple[int, int | None]) -> str:
    low, high = span
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}-{high}"


_dumps = json.JSONEncoder(ensure_ascii=False).encode
