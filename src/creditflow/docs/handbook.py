"""The handbook pages of a :class:`~creditflow.docs.model.Handbook`, in one language."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from creditflow._validation import ensure_instance
from creditflow.calendar.periods import Period
from creditflow.core.labels import Label, Language
from creditflow.docs.citations import Notes, source_mark
from creditflow.docs.diagrams import machine_diagram
from creditflow.docs.document import (
    Block,
    Bullets,
    Code,
    Heading,
    Page,
    Paragraph,
    Rich,
    Table,
    Text,
)
from creditflow.docs.labels import TEXT, join_labels, period_text, text, word
from creditflow.docs.model import (
    Cited,
    DeadlineEntry,
    EventEntry,
    Handbook,
    MachineEntry,
    SettingEntry,
)
from creditflow.policy.model import Source
from creditflow.rules.decision import format_ratio

__all__ = ["frequency_text", "handbook_pages"]


def handbook_pages(handbook: Handbook, lang: Language, *, draw: bool = True) -> tuple[Page, Page]:
    """The rules page (``index``) and the workflows page (``workflows``); with ``draw``, the
    state diagrams are drawn as SVG by Graphviz (:mod:`creditflow.docs.diagrams`; where
    ``dot`` is absent, said once on stderr, they stay Mermaid source)."""
    ensure_instance(handbook, Handbook, "handbook")
    return _rules_page(handbook, lang), _workflows_page(handbook, lang, draw)


def frequency_text(frequency: tuple[int, int | None], lang: Language) -> str:
    """``(1, 1)`` -> ``1``; ``(1, 3)`` -> ``1-3``; ``(2, None)`` -> at least 2 / as needed."""
    low, high = frequency
    if high is None:
        return text("at_least", lang).format(n=low) if low else text("as_needed", lang)
    return str(low) if low == high else f"{low}-{high}"


def _named(label: str, name: str) -> Rich:
    """A label for people followed by its identifier as code: ``道路运输 `road_transport` ``."""
    return Rich((f"{label} ", Code(name)))


def _names(labels: Iterable[Label], lang: Language) -> str:
    return join_labels(labels, lang)


def _rules_page(h: Handbook, lang: Language) -> Page:
    title = f"{h.title.get(lang)} ({h.key})"
    blocks: list[Block] = [Heading(1, _named(h.title.get(lang), h.key))]
    sections = (
        _overview,
        _domains,
        _decisions,
        _lists,
        _flags,
        _severities,
        _repair,
        _objections,
        _transition,
        _commitments,
        _inspection,
        _evaluation,
        _purposes,
        _catalogue,
        _assessment,
    )
    for section in sections:
        blocks += section(h, lang)
    return Page("index", title, tuple(blocks))


def _overview(h: Handbook, lang: Language) -> list[Block]:
    notes = Notes(lang)
    start, end = h.effective.value
    until = end.isoformat() if end else text("open_end", lang)
    dates = notes.cite(f"{start.isoformat()} - {until}", h.effective)
    items = (
        Rich((f"{text('policy', lang)}: ", Code(h.key))),
        f"{text('effective', lang)}: {dates}",
        text("generated", lang),
        text("sources_intro", lang),
    )
    return [Bullets(items), *notes.blocks()]


def _domains(h: Handbook, lang: Language) -> list[Block]:
    blocks: list[Block] = [Heading(2, text("domains", lang))]
    header = (text("grade", lang), text("min_score", lang))
    for d in h.domains:
        notes = Notes(lang)
        scale = notes.cite(d.scale.value.get(lang), d.scale)
        blocks.append(Heading(3, Rich((f"{d.label.get(lang)} ", Code(d.name), f": {scale}"))))
        rows = tuple(
            (f"{g.name} {g.label.get(lang)}", notes.cite(g.min_score, d.grades))
            for g in d.grades.value
        )
        blocks += [Table(header, rows), *notes.blocks()]
    return blocks


def _decisions(h: Handbook, lang: Language) -> list[Block]:
    notes = Notes(lang)
    keys = ("domain", "grade", "ratio", "frequency", "measures", "rule")
    rows = tuple(
        (
            d.domain.get(lang),
            f"{d.grade.name} {d.grade.label.get(lang)}",
            notes.cite(d.ratio.value, d.ratio),
            notes.cite(frequency_text(d.frequency.value, lang), d.frequency),
            _names(d.measures, lang),
            Rich((Code(d.rule_id),)),
        )
        for d in h.grade_decisions
    )
    rule_notes = Notes(lang)
    rule_keys = ("rule", "reason", "ratio", "frequency", "measures")
    rule_rows = tuple(
        (
            Rich((Code(r.rule_id),)),
            r.reason.get(lang) if r.reason else "-",
            rule_notes.cite(r.ratio.value, r.ratio),
            rule_notes.cite(frequency_text(r.frequency.value, lang), r.frequency),
            _names(r.measures, lang),
        )
        for r in h.rules
    )
    return [
        Heading(2, text("decisions", lang)),
        Paragraph(text("decisions_intro", lang)),
        Table(_header(keys, lang), rows),
        *notes.blocks(),
        Heading(3, text("rules", lang)),
        Table(_header(rule_keys, lang), rule_rows),
        *rule_notes.blocks(),
    ]


def _header(keys: Iterable[str], lang: Language) -> tuple[str, ...]:
    return tuple(text(k, lang) for k in keys)


def _period(notes: Notes, figure: Cited[Period] | None, lang: Language) -> str:
    return "-" if figure is None else notes.cite(period_text(figure.value, lang), figure)


def _yes_no(notes: Notes, figure: Cited[bool] | None, lang: Language) -> str:
    return (
        "-" if figure is None else notes.cite(text("yes" if figure.value else "no", lang), figure)
    )


def _lists(h: Handbook, lang: Language) -> list[Block]:
    notes = Notes(lang)
    keys = (
        "list_kind",
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
    )
    rows = tuple(
        (
            _named(k.label.get(lang), k.name),
            notes.cite(k.severity.value.get(lang), k.severity) if k.severity else "-",
            _period(notes, k.statement_period, lang),
            _period(notes, k.objection_window, lang),
            _period(notes, k.objection_answer, lang),
            _period(notes, k.publication_deadline, lang),
            _period(notes, k.duration, lang),
            _period(notes, k.early_removal_after, lang),
            _yes_no(notes, k.restarts_on_restore, lang),
            _yes_no(notes, k.record_restarts_on_restore, lang),
            _direction(notes, k.direction, lang),
        )
        for k in h.lists
    )
    return [Heading(2, text("lists", lang)), Table(_header(keys, lang), rows), *notes.blocks()]


def _direction(notes: Notes, figure: Cited[str] | None, lang: Language) -> str:
    return "-" if figure is None else notes.cite(text(f"direction.{figure.value}", lang), figure)


def _flags(h: Handbook, lang: Language) -> list[Block]:
    """The flags the decision rules read, each with its direction and that direction's basis."""
    if not h.flags:
        return []
    notes = Notes(lang)
    rows = tuple(
        (_named(f.label.get(lang), f.name), _direction(notes, f.direction, lang)) for f in h.flags
    )
    header = _header(("flag", "direction"), lang)
    return [Heading(2, text("flags", lang)), Table(header, rows), *notes.blocks()]


def _severities(h: Handbook, lang: Language) -> list[Block]:
    notes = Notes(lang)
    keys = ("severity", "published", "publication_min", "publication_max", "repair_after")
    rows = tuple(
        (
            s.label.get(lang),
            _yes_no(notes, s.published, lang),
            _period(notes, s.publication_min, lang),
            _period(notes, s.publication_max, lang),
            notes.cite(text(s.repair_after.value, lang), s.repair_after),
        )
        for s in h.severities
    )
    return [Heading(2, text("severities", lang)), Table(_header(keys, lang), rows), *notes.blocks()]


def _repair(h: Handbook, lang: Language) -> list[Block]:
    r = h.repair
    notes = Notes(lang)
    rows = (
        ("acceptance_deadline", _period(notes, r.acceptance_deadline, lang)),
        ("decision_deadline", _period(notes, r.decision_deadline, lang)),
        ("extension", _period(notes, r.extension, lang)),
        ("max_extensions", notes.cite(str(r.max_extensions.value), r.max_extensions)),
        ("materials", notes.cite(_names(r.materials.value, lang), r.materials)),
        ("fraud_ban", _period(notes, r.fraud_ban, lang)),
        ("fraud_publication", _period(notes, r.fraud_publication, lang)),
    )
    return [
        Heading(2, text("repair", lang)),
        Table(_header(("setting", "value"), lang), tuple((text(k, lang), v) for k, v in rows)),
        *notes.blocks(),
    ]


def _setting_text(value: Period | Fraction | int | str, lang: Language) -> str:
    if isinstance(value, Period):
        return period_text(value, lang)
    if isinstance(value, Fraction):
        return format_ratio(value)
    if isinstance(value, str) and f"rounding.{value}" in TEXT:
        return text(f"rounding.{value}", lang)
    return str(value)


def _settings(heading: str, entries: tuple[SettingEntry, ...], lang: Language) -> list[Block]:
    if not entries:
        return []
    notes = Notes(lang)
    rows = tuple(
        (text(e.key, lang), notes.cite(_setting_text(e.value.value, lang), e.value))
        for e in entries
    )
    return [
        Heading(2, text(heading, lang)),
        Table(_header(("setting", "value"), lang), rows),
        *notes.blocks(),
    ]


def _objections(h: Handbook, lang: Language) -> list[Block]:
    return _settings("objections", h.objections, lang)


def _inspection(h: Handbook, lang: Language) -> list[Block]:
    return _settings("inspection", h.inspection, lang)


def _evaluation(h: Handbook, lang: Language) -> list[Block]:
    return _settings("evaluation", h.evaluation, lang)


def _catalogue(h: Handbook, lang: Language) -> list[Block]:
    """The credit information catalogue: the 双公示 deadline, the record kinds, and how a
    penalty's severity follows from its category and amount (see docs/disclosure.md)."""
    c = h.catalogue
    if c is None:
        return []
    notes = Notes(lang)
    deadline = _period(notes, c.publication_deadline, lang)
    rows = tuple(
        (
            _named(k.label.get(lang), k.name),
            text("yes" if k.dual_publication else "no", lang),
            _codes(k.required),
            _codes(k.published),
        )
        for k in c.kinds
    )
    severities = tuple(
        (
            Rich((Code(r.rule_id),)),
            _codes(r.categories),
            _parties(r.parties, lang),
            _amounts(r.amounts),
            notes.cite(r.severity.value.get(lang), r.severity),
        )
        for r in c.severities
    )
    keys = ("catalogue.kind", "catalogue.dual", "catalogue.required", "catalogue.published")
    blocks: list[Block] = [
        Heading(2, text("catalogue", lang)),
        Paragraph(f"{text('catalogue.deadline', lang)}: {deadline}"),
        Table(_header(keys, lang), rows),
    ]
    if severities:
        columns = ("rule", "catalogue.categories", "catalogue.parties", "catalogue.amount",
                   "severity")  # fmt: skip
        header = _header(columns, lang)
        blocks.append(Table(header, severities))
    return [*blocks, *notes.blocks()]


def _codes(names: Iterable[str]) -> Rich | str:
    """Identifiers as code, separated by commas (``-`` for none)."""
    parts: list[str | Code] = []
    for name in names:
        parts += [", ", Code(name)] if parts else [Code(name)]
    return Rich(tuple(parts)) if parts else "-"


def _assessment(h: Handbook, lang: Language) -> list[Block]:
    """The assessment table (评价指标): every item with its points and how it is measured."""
    if not h.assessment:
        return []
    notes = Notes(lang)
    rows = tuple(
        (
            Rich((Code(a.item_id),)),
            a.item.get(lang),
            a.responsible.get(lang),
            Rich((Code(a.measure),)),
            notes.cite(str(a.points.value), a.points),
        )
        for a in h.assessment
    )
    keys = (
        "rule",
        "assessment.item",
        "assessment.responsible",
        "assessment.measure",
        "assessment.points",
    )
    return [
        Heading(2, text("assessment", lang)),
        Table(_header(keys, lang), rows),
        *notes.blocks(),
    ]


def _parties(parties: tuple[str, ...], lang: Language) -> str:
    """The kinds of party a severity rule is for, by name (``-``: any party)."""
    separator = "、" if lang == "zh" else ", "
    return separator.join(text(f"party.{p}", lang) for p in parties) if parties else "-"


def _amounts(bounds: tuple[str | None, str | None]) -> str:
    low, high = bounds
    if low is None and high is None:
        return "-"
    if low is None:
        return f"<= {high}"
    return f">= {low}" if high is None else f"{low} - {high}"


def _purposes(h: Handbook, lang: Language) -> list[Block]:
    """Credit checks (信用核查): per purpose, the restrictions and incentives and their bases."""
    if not h.purposes:
        return []
    blocks: list[Block] = [Heading(2, text("purposes", lang))]
    keys = ("rule", "trigger", "effect", "applies", "normal")
    for purpose in h.purposes:
        notes = Notes(lang)
        rows = tuple(
            (
                Rich((Code(r.rule_id),)),
                f"{text(f'trigger.{r.trigger}', lang)}: {r.trigger_label.get(lang)}",
                text(f"effect.{r.effect}", lang),
                notes.cite(r.measure.value.get(lang), r.measure),
                _yes_no(notes, r.normal, lang),
            )
            for r in purpose.rules
        )
        blocks += [
            Heading(3, _named(purpose.label.get(lang), purpose.name)),
            Table(_header(keys, lang), rows),
            *notes.blocks(),
        ]
    return blocks


def _transition(h: Handbook, lang: Language) -> list[Block]:
    """Which version's rules govern a record decided under an older one (从旧兼从轻)."""
    t = h.transition
    blocks: list[Block] = [Heading(2, text("transition", lang))]
    if t is None:
        return [*blocks, Paragraph(text("transition.none", lang))]
    notes = Notes(lang)
    blocks.append(Paragraph(text(f"transition.{t.rule.value}", lang)))
    if t.rule.value == "old_unless_lighter":
        items = ("period", "published", "repair_after", "materials")
        blocks.append(Bullets(tuple(text(f"transition.lighter.{i}", lang) for i in items)))
    if t.reading:
        blocks.append(Paragraph(text("transition.reading", lang)))
    rule = Rich((f"{text('transition.rule', lang)}: ", Code(t.rule.value), notes.cite("", t.rule)))
    return [*blocks, Paragraph(rule), *notes.blocks()]


def _commitments(h: Handbook, lang: Language) -> list[Block]:
    notes = Notes(lang)
    keys = ("commitment_kind", "verification_period", "breach_severity", "breach_consequences")
    rows = tuple(
        (
            _named(c.label.get(lang), c.name),
            _period(notes, c.verification_period, lang),
            notes.cite(c.breach_severity.value.get(lang), c.breach_severity),
            notes.cite(_names(c.breach_consequences.value, lang), c.breach_consequences),
        )
        for c in h.commitments
    )
    return [
        Heading(2, text("commitments", lang)),
        Table(_header(keys, lang), rows),
        *notes.blocks(),
    ]


def _workflows_page(h: Handbook, lang: Language, draw: bool) -> Page:
    title = f"{text('workflows', lang)} ({h.key})"
    heading = _named(text("workflows", lang), h.key)
    blocks: list[Block] = [Heading(1, heading), Paragraph(text("workflows_intro", lang))]
    for machine in h.machines:
        blocks += _machine(machine, lang, draw)
    blocks += _addresses(h, lang)
    return Page("workflows", title, tuple(blocks))


def _addresses(h: Handbook, lang: Language) -> list[Block]:
    """Every guard, deadline and effect at its policy setting path, with its basis: a table
    for developers, its identifiers in code."""
    keys = ("path", "workflow", "part", "name", "event", "code", "basis")
    rows = tuple(
        (Rich((Code(path),)), text(f"machine.{machine}", lang), text(f"part.{part}", lang),
         _word_code(part, name, lang), _words("event", events.split(", "), lang),
         Rich((Code(code),)), _marked(basis, Source(source), lang))
        for path, machine, part, name, events, code, basis, source in h.addresses
    )  # fmt: skip
    return [
        Heading(2, text("addresses", lang)),
        Paragraph(text("addresses_intro", lang)),
        Table(_header(keys, lang), rows),
    ]


def _marked(basis: str, source: Source, lang: Language) -> str:
    """A basis shown in a cell with its source mark, unless it is a full legal text."""
    mark = source_mark(source, lang, short=True)
    return text("basis_marked", lang).format(basis=basis, mark=mark) if mark else basis


def _sep(lang: Language) -> str:
    return "、" if lang == "zh" else ", "


def _words(kind: str, names: Iterable[str], lang: Language) -> str:
    """Workflow words joined for a cell (``-`` for none)."""
    return _sep(lang).join(word(kind, n, lang) for n in names if n) or "-"


def _word_code(kind: str, name: str, lang: Language) -> Text:
    """A workflow word followed by its identifier as code: ``作出承诺 `make` `` (the word
    alone where it is the identifier: ``make``)."""
    shown = word(kind, name, lang)
    return shown if shown == name else Rich((f"{shown} ", Code(name)))


def _machine(m: MachineEntry, lang: Language, draw: bool) -> list[Block]:
    events = ("event", "from", "to", "roles", "guards", "effects", "data")
    deadlines = ("deadline", "deadline_kind", "starts", "ends", "length")
    blocks: list[Block] = [
        Heading(2, Rich((f"{text(f'machine.{m.name}', lang)} ", Code(m.name)))),
        machine_diagram(m, lang, draw=draw),
        Table(_header(events, lang), tuple(_event_row(e, lang) for e in m.events)),
    ]
    if m.deadlines:
        notes = Notes(lang)
        rows = tuple((*_deadline_cells(d, lang), _lengths(notes, m, d, lang)) for d in m.deadlines)
        blocks += [Table(_header(deadlines, lang), rows), *notes.blocks()]
    return blocks


def _event_row(e: EventEntry, lang: Language) -> tuple[Text, ...]:
    optional = [text("optional", lang).format(name=word("field", o, lang)) for o in e.optional]
    data = _sep(lang).join([*(word("field", r, lang) for r in e.required), *optional]) or "-"
    return (
        _word_code("event", e.event, lang),
        _words("state", e.sources, lang) if e.sources else text("opens", lang),
        word("state", e.target, lang) if e.target else text("same", lang),
        _words("role", e.roles, lang),
        _words("guard", e.guards, lang),
        _words("effect", e.effects, lang),
        data,
    )


def _deadline_cells(d: DeadlineEntry, lang: Language) -> tuple[Text, ...]:
    kind = text(f"deadline_kind.{d.kind}", lang)
    if not d.rolls:
        kind += _sep(lang) + text("deadline_kind.length", lang)
    starts = word("event", d.starts, lang)
    if d.reopened_by:
        again = text("runs_again", lang).format(events=_words("event", d.reopened_by, lang))
        starts += ("；" if lang == "zh" else "; ") + again
        if d.restarted_by:
            starts += text("anew_where", lang).format(what=word("field", d.restarted_by, lang))
        if d.restarted_if:
            starts += text("anew_where", lang).format(what=text("restarts_setting", lang))
    return (_word_code("deadline", d.name, lang), kind, starts, _words("event", d.until, lang))


def _lengths(notes: Notes, m: MachineEntry, deadline: DeadlineEntry, lang: Language) -> str:
    """``严重失信主体名单：3年（注2，可配置）；守信激励名单：无``: the length for each case
    kind, cited."""
    labels = dict(m.kinds)
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    lengths = sep.join(
        f"{labels[kind].get(lang) if kind in labels else kind}{colon}"
        f"{_period(notes, length, lang) if length else text('none_for_kind', lang)}"
        for kind, length in deadline.lengths
    )
    if deadline.setting_field:
        field = word("field", deadline.setting_field, lang)
        lengths += sep + text("length_field", lang).format(field=field)
    return lengths
