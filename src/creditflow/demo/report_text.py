"""The demo report as sections, one function per section, and its text rendering: labels in
Chinese and English, tables aligned by display width (a Chinese character takes two columns).

A section is a function ``(report) -> Section | None`` in :data:`SECTIONS`; the text report
and the HTML report page (:mod:`creditflow.demo.report_page`) render the same sections. A new
part of the report (say, the three rates) is one more function added there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

import attrs

from creditflow.core.labels import Label
from creditflow.demo.report import DemoReport
from creditflow.demo.report_labels import activity_label, both, label
from creditflow.docs.labels import word
from creditflow.rules.decision import format_ratio

__all__ = ["SECTIONS", "Section", "align", "report_sections", "report_text", "width"]


@attrs.frozen
class Section:
    """A part of the report: a ``title`` (a label key), a table (``header`` may be empty,
    ``right`` marks the columns of numbers) and lines of text after it."""

    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    right: tuple[bool, ...] = ()
    lines: tuple[str, ...] = ()


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def align(
    rows: Sequence[Sequence[str]], right: Sequence[bool] = (), indent: str = "  "
) -> list[str]:
    """Rows as lines of aligned columns; ``right[i]`` right-aligns column ``i`` (numbers)."""
    if not rows:
        return []
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i < len(right) and right[i] else cell + pad)
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _state(name: str) -> Label:
    return Label(word("state", name, "zh"), word("state", name, "en"))


def _states(r: DemoReport) -> Section:
    rows = tuple(
        (both(label(f"machine.{machine}")) if i == 0 else "", both(_state(s)), str(n))
        for machine, states in r.states.items()
        for i, (s, n) in enumerate(sorted(states.items()))
    )
    header = (both(label("workflow")), both(label("state")), both(label("count")))
    return Section("states", header, rows, (False, False, True))


def _deadlines(r: DemoReport) -> Section:
    header = ("", *(both(label(k)) for k in ("met", "missed", "open")))
    rows = []
    for name, (met, missed, pending) in sorted(r.deadlines.items()):
        machine, deadline = name.split(".", 1)
        m = label(f"machine.{machine}")
        shown = both(Label(f"{m.zh}·{word('deadline', deadline, 'zh')}",
                           f"{m.en}: {word('deadline', deadline, 'en')}"))  # fmt: skip
        rows.append((shown, str(met), str(missed), str(pending)))
    return Section("deadlines", header, tuple(rows), (False, True, True, True))


def _inspections(r: DemoReport) -> Section:
    header = ("", *(both(label(k)) for k in ("subjects", "drawn", "share", "policy_ratio")))
    rows = []
    for row in r.grades:
        share = row.drawn / row.subjects if row.subjects else 0.0
        ratios = "/".join(format_ratio(x) for x in row.ratios)
        rows.append((row.grade, str(row.subjects), str(row.drawn), f"{share:.1%}",
                     f"(policy {ratios})"))  # fmt: skip
    return Section("inspections", header, tuple(rows), (False, True, True, True, False))


def _grades(r: DemoReport) -> Section:
    rows = tuple(
        (grade, str(r.grades_before.get(grade, 0)), "->", str(r.grades_after.get(grade, 0)))
        for grade in dict.fromkeys([*r.grades_before, *r.grades_after])
    )
    return Section("grades", rows=rows, right=(False, True, False, True))


def _by_domain(r: DemoReport) -> Section | None:
    if not r.grades_by_domain:
        return None
    grades = list(dict.fromkeys(g for counts in r.grades_by_domain.values() for g in counts))
    rows = tuple(
        (both(label(f"domain.{domain}", r.labels)), *(str(counts.get(g, 0)) for g in grades))
        for domain, counts in r.grades_by_domain.items()
    )
    return Section("by_domain", ("", *grades), rows, (False, *([True] * len(grades))))


def _activity(r: DemoReport) -> Section:
    rows = tuple((both(activity_label(k, r.labels)), str(n)) for k, n in sorted(r.tally.items()))
    return Section("activity", ("", both(label("count"))), rows, (False, True))


def _invariants(r: DemoReport) -> Section:
    lines = tuple(f"[{'ok' if i.ok else 'FAILED'}] {i.name}: {i.detail}" for i in r.invariants)
    return Section("invariants", lines=lines)


SECTIONS: tuple[Callable[[DemoReport], Section | None], ...] = (
    _states,
    _deadlines,
    _inspections,
    _grades,
    _by_domain,
    _activity,
    _invariants,
)
"""The sections of the report, in order (the title and the anchor frame them)."""


def report_sections(report: DemoReport) -> list[Section]:
    """Every section of :data:`SECTIONS` that has something to show."""
    return [s for make in SECTIONS if (s := make(report)) is not None]


def report_text(report: DemoReport) -> str:
    """The whole text report: the title, every section, the book anchor."""
    r = report
    lines = [f"{both(label('title'))}: {r.subjects} subjects, seed {r.seed}, "
             f"{r.events} events in {r.seconds:.1f} s"]  # fmt: skip
    for section in report_sections(report):
        title = label(section.title)
        lines += ["", f"{title.zh} {title.en}:"]
        table = [section.header, *section.rows] if section.header else list(section.rows)
        lines += align(table, section.right)
        lines += [f"  {line}" for line in section.lines]
    lines += list(r.sections)  # more sections, as text (collection and disclosure)
    lines += [
        "",
        f"Book anchor (账本锚点): {r.anchor}",
        f"  the head of the book this report was made from ({r.events} events); anyone "
        "can later check",
        f"  that the book still contains it: creditflow verify --db BOOK --anchor {r.anchor}",
    ]
    return "\n".join(lines)
