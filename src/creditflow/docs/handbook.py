"""The handbook pages of a :class:`~creditflow.docs.model.Handbook`, in one language."""

from __future__ import annotations

from collections.abc import Iterable

from creditflow._validation import ensure_instance
from creditflow.core.labels import Label, Language
from creditflow.docs.document import Block, Bullets, Diagram, Heading, Page, Paragraph, Table
from creditflow.docs.labels import period_text, text
from creditflow.docs.model import Handbook, MachineEntry

__all__ = ["frequency_text", "handbook_pages"]


def handbook_pages(handbook: Handbook, lang: Language) -> tuple[Page, Page]:
    """The rules page (``index``) and the workflows page (``workflows``)."""
    ensure_instance(handbook, Handbook, "handbook")
    return _rules_page(handbook, lang), _workflows_page(handbook, lang)


def frequency_text(frequency: tuple[int, int | None], lang: Language) -> str:
    """``(1, 1)`` -> ``1``; ``(1, 3)`` -> ``1-3``; ``(2, None)`` -> at least 2 / as needed."""
    low, high = frequency
    if high is None:
        return text("at_least", lang).format(n=low) if low else text("as_needed", lang)
    return str(low) if low == high else f"{low}-{high}"


def _names(labels: Iterable[Label], lang: Language) -> str:
    return ("、" if lang == "zh" else ", ").join(x.get(lang) for x in labels) or "-"


def _rules_page(h: Handbook, lang: Language) -> Page:
    title = f"{h.title.get(lang)} ({h.key})"
    blocks: list[Block] = [Heading(1, title), Bullets(_overview(h, lang))]
    sections = (_domains, _decisions, _lists, _severities, _repair, _transition, _commitments)
    for section in sections:
        blocks += section(h, lang)
    return Page("index", title, tuple(blocks))


def _overview(h: Handbook, lang: Language) -> tuple[str, ...]:
    end = h.effective_to.isoformat() if h.effective_to else text("open_end", lang)
    return (
        f"{text('policy', lang)}: {h.key}",
        f"{text('effective', lang)}: {h.effective_from.isoformat()} - {end}",
        f"{text('basis', lang)}: {h.basis}",
        text("generated", lang),
    )


def _domains(h: Handbook, lang: Language) -> list[Block]:
    blocks: list[Block] = [Heading(2, text("domains", lang))]
    header = (text("grade", lang), text("min_score", lang))
    for d in h.domains:
        blocks.append(Heading(3, f"{d.label.get(lang)} ({d.name}): {d.scale.get(lang)}"))
        rows = tuple((f"{g.name} {g.label.get(lang)}", g.min_score) for g in d.grades)
        blocks += [Table(header, rows), Paragraph(f"{text('basis', lang)}: {d.basis}")]
    return blocks


def _decisions(h: Handbook, lang: Language) -> list[Block]:
    keys = ("domain", "grade", "ratio", "frequency", "measures", "rule", "basis")
    rows = tuple(
        (
            d.domain.get(lang),
            f"{d.grade.name} {d.grade.label.get(lang)}",
            d.ratio,
            frequency_text(d.frequency, lang),
            _names(d.measures, lang),
            d.rule_id,
            d.basis,
        )
        for d in h.grade_decisions
    )
    rule_keys = ("rule", "reason", "ratio", "frequency", "measures", "basis")
    rule_rows = tuple(
        (
            r.rule_id,
            r.reason.get(lang) if r.reason else "-",
            r.ratio,
            frequency_text(r.frequency, lang),
            _names(r.measures, lang),
            r.basis,
        )
        for r in h.rules
    )
    return [
        Heading(2, text("decisions", lang)),
        Paragraph(text("decisions_intro", lang)),
        Table(_header(keys, lang), rows),
        Heading(3, text("rules", lang)),
        Table(_header(rule_keys, lang), rule_rows),
    ]


def _header(keys: Iterable[str], lang: Language) -> tuple[str, ...]:
    return tuple(text(k, lang) for k in keys)


def _lists(h: Handbook, lang: Language) -> list[Block]:
    keys = (
        "list_kind",
        "severity",
        "statement_period",
        "objection_window",
        "objection_answer",
        "publication_deadline",
        "duration",
        "early_removal_after",
        "basis",
    )
    rows = tuple(
        (
            f"{k.label.get(lang)} ({k.name})",
            k.severity.get(lang) if k.severity else "-",
            period_text(k.statement_period, lang),
            period_text(k.objection_window, lang),
            period_text(k.objection_answer, lang),
            period_text(k.publication_deadline, lang),
            period_text(k.duration, lang),
            period_text(k.early_removal_after, lang),
            k.basis,
        )
        for k in h.lists
    )
    return [Heading(2, text("lists", lang)), Table(_header(keys, lang), rows)]


def _severities(h: Handbook, lang: Language) -> list[Block]:
    keys = ("severity", "published", "publication_min", "publication_max", "repair_after")
    rows = tuple(
        (
            s.label.get(lang),
            text("yes" if s.published else "no", lang),
            period_text(s.publication_min, lang),
            period_text(s.publication_max, lang),
            text(s.repair_after, lang),
        )
        for s in h.severities
    )
    bases = tuple(f"{s.label.get(lang)}: {s.basis}" for s in h.severities)
    return [
        Heading(2, text("severities", lang)),
        Table(_header(keys, lang), rows),
        Paragraph(f"{text('basis', lang)}:"),
        Bullets(bases),
    ]


def _repair(h: Handbook, lang: Language) -> list[Block]:
    r = h.repair
    rows = (
        ("acceptance_deadline", period_text(r.acceptance_deadline, lang)),
        ("decision_deadline", period_text(r.decision_deadline, lang)),
        ("extension", period_text(r.extension, lang)),
        ("max_extensions", str(r.max_extensions)),
        ("materials", _names(r.materials, lang)),
        ("fraud_ban", period_text(r.fraud_ban, lang)),
        ("fraud_publication", period_text(r.fraud_publication, lang)),
    )
    return [
        Heading(2, text("repair", lang)),
        Table(_header(("setting", "value"), lang), tuple((text(k, lang), v) for k, v in rows)),
        Paragraph(f"{text('basis', lang)}: {r.basis}"),
    ]


def _transition(h: Handbook, lang: Language) -> list[Block]:
    """Which version's rules govern a record decided under an older one (从旧兼从轻)."""
    t = h.transition
    blocks: list[Block] = [Heading(2, text("transition", lang))]
    if t is None:
        return [*blocks, Paragraph(text("transition.none", lang))]
    blocks.append(Paragraph(text(f"transition.{t.rule}", lang)))
    if t.rule == "old_unless_lighter":
        items = ("period", "published", "repair_after", "materials")
        blocks.append(Bullets(tuple(text(f"transition.lighter.{i}", lang) for i in items)))
    if t.reading:
        blocks.append(Paragraph(text("transition.reading", lang)))
    return [*blocks, Paragraph(f"{text('basis', lang)}: {t.basis}")]


def _commitments(h: Handbook, lang: Language) -> list[Block]:
    keys = (
        "commitment_kind",
        "verification_period",
        "breach_severity",
        "breach_consequences",
        "basis",
    )
    rows = tuple(
        (
            f"{c.label.get(lang)} ({c.name})",
            period_text(c.verification_period, lang),
            c.breach_severity.get(lang),
            _names(c.breach_consequences, lang),
            c.basis,
        )
        for c in h.commitments
    )
    return [Heading(2, text("commitments", lang)), Table(_header(keys, lang), rows)]


def _workflows_page(h: Handbook, lang: Language) -> Page:
    title = f"{text('workflows', lang)} ({h.key})"
    blocks: list[Block] = [Heading(1, title), Paragraph(text("workflows_intro", lang))]
    for machine in h.machines:
        blocks += _machine(machine, lang)
    blocks += _addresses(h, lang)
    return Page("workflows", title, tuple(blocks))


def _addresses(h: Handbook, lang: Language) -> list[Block]:
    """Every guard, deadline and effect at its policy setting path, with its basis."""
    keys = ("path", "workflow", "part", "name", "event", "code", "basis")
    rows = tuple(
        (path, machine, text(f"part.{part}", lang), name, events, code, basis)
        for path, machine, part, name, events, code, basis in h.addresses
    )
    return [
        Heading(2, text("addresses", lang)),
        Paragraph(text("addresses_intro", lang)),
        Table(_header(keys, lang), rows),
    ]


def _machine(m: MachineEntry, lang: Language) -> list[Block]:
    events = ("event", "from", "to", "roles", "guards", "effects", "data")
    deadlines = ("deadline", "deadline_kind", "starts", "ends", "length", "basis")
    blocks: list[Block] = [
        Heading(2, f"{text(f'machine.{m.name}', lang)} ({m.name})"),
        Diagram(m.mermaid),
        Table(_header(events, lang), m.events),
    ]
    if m.deadlines:
        blocks.append(Table(_header(deadlines, lang), m.deadlines))
    return blocks
