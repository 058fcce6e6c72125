"""Every figure of every built-in pack is on the handbook page with its own basis and mark.

The figures are walked from the policy itself (every provision, every decision rule's ratio
and frequency, every other value of a table under the table's basis), not from the handbook
model, and looked up on the rendered page, Markdown and HTML, in both languages: the cell that
shows the figure names a note, and that note gives the figure's own basis and, for a figure
not taken from a full legal text, its source mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from html.parser import HTMLParser

import attrs
import pytest

from creditflow.calendar.periods import Period
from creditflow.core.labels import LANGUAGES, Label, Language
from creditflow.core.severity import Severity
from creditflow.docs import extract_handbook, handbook_pages, page_html, page_markdown
from creditflow.docs.handbook import frequency_text
from creditflow.docs.labels import period_text, term, text
from creditflow.policy import builtin_versions
from creditflow.policy.model import Basis, Policy, Provision, Source
from creditflow.rules.decision import format_ratio
from creditflow.rules.loading import load_policy
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.settings import case_kinds, resolve

KEYS = [v.key for v in builtin_versions()]


def figures(policy: Policy, lang: Language) -> Iterator[tuple[str, str, Basis]]:
    """``(where, figure as shown, its own basis)`` for every figure of ``policy``: every
    provision, every decision rule's ratio and frequency, every purpose rule's measure and
    whether the matter proceeds normally, and the other values of a table under its basis."""
    start, end = policy.effective_from, policy.effective_to
    until = end.isoformat() if end else text("open_end", lang)
    yield "pack dates", f"{start.isoformat()} - {until}", policy.basis
    for name, domain in policy.domains.items():
        yield f"domains.{name}.scale", domain.scale.label.get(lang), domain.basis
        scale = policy.scales[domain.scale.name]
        for grade in scale.value.grades:
            score = "-" if grade.min_score is None else str(grade.min_score)
            yield f"scales.{domain.scale.name}.{grade.name}", score, scale.basis
    for rule in policy.decisions.rules:
        where = f"decisions.rules[{rule.rule_id}]"
        yield where, format_ratio(rule.sampling_ratio), rule.basis
        yield where, frequency_text(rule.inspections_per_year, lang), rule.basis
    for name, kind in policy.lists.items():
        if kind.severity is not None:
            yield (
                f"lists.{name}.severity",
                policy.severities[kind.severity].label.get(lang),
                kind.basis,
            )
        yield from _provisions(f"lists.{name}", kind, lang)
    for name, flag in policy.flags.items():
        yield from _provisions(f"flags.{name}", flag, lang)
    for severity, rule in policy.severities.items():
        where = f"severities.{severity.value}"
        yield f"{where}.published", text("yes" if rule.published else "no", lang), rule.basis
        yield f"{where}.repair_after", text(rule.repair_after, lang), rule.basis
        yield from _provisions(where, rule, lang)
    yield from _provisions("repair", policy.repair, lang)
    yield from _provisions("objections", policy.objections, lang)
    for name, kind in policy.commitments.items():
        where = f"commitments.{name}"
        severity = policy.severities[kind.breach_severity].label.get(lang)
        yield f"{where}.breach_severity", severity, kind.basis
        consequences = [term(c) for c in kind.breach_consequences]
        yield f"{where}.breach_consequences", _names(consequences, lang), kind.basis
        yield from _provisions(where, kind, lang)
    yield from _provisions("inspection", policy.inspection, lang)
    if policy.evaluation is not None:
        yield from _provisions("evaluation", policy.evaluation, lang)
    if policy.transition is not None:
        yield from _provisions("transition", policy.transition, lang)
    if policy.catalogue is not None:
        yield from _provisions("catalogue", policy.catalogue, lang)
        severity = policy.catalogue.severity
        if severity is not None:
            for row in severity.rows:
                where = f"catalogue.severity.rules[{row.rule_id}]"
                yield where, policy.severities[row.severity].label.get(lang), row.basis
            label = policy.severities[severity.default.value].label.get(lang)
            yield "catalogue.severity.default", label, severity.default.basis
    if policy.assessment is not None:
        for index, item in enumerate(policy.assessment.items):
            points = item.points
            yield f"assessment.items[{index}].points", str(points.value), points.basis
    for name, purpose in policy.purposes.items():
        for row in purpose.rules:
            where = f"purposes.{name}.rules[{row.rule_id}]"
            yield where, policy.measures[row.measure].label.get(lang), row.basis
            yield where, text("yes" if row.normal else "no", lang), row.basis


def _provisions(where: str, table: object, lang: Language) -> Iterator[tuple[str, str, Basis]]:
    for field in attrs.fields(type(table)):  # type: ignore[arg-type]
        value = getattr(table, field.name)
        if isinstance(value, Provision):
            yield f"{where}.{field.name}", _shown(field.name, value.value, lang), value.basis


def _shown(name: str, value: object, lang: Language) -> str:
    if isinstance(value, bool):
        return text("yes" if value else "no", lang)
    if isinstance(value, Period):
        return period_text(value, lang)
    if isinstance(value, Fraction):
        return format_ratio(value)
    if name == "materials":
        return _names([term(m) for m in value], lang)  # type: ignore[attr-defined]
    if name == "rounding":
        return text(f"rounding.{value}", lang)
    if name == "direction":
        return text(f"direction.{value}", lang)
    return str(value)


def _names(labels: list[Label], lang: Language) -> str:
    return ("、" if lang == "zh" else ", ").join(x.get(lang) for x in labels) or "-"


# ---------------------------------------------------------------- reading the rendered page


class _Lines(HTMLParser):
    """The text of every cell, heading, paragraph and list item of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th", "li", "p", "h1", "h2", "h3"):
            self.lines.append("")
            self._open = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "li", "p", "h1", "h2", "h3"):
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.lines[-1] += data


def _markdown_texts(markdown: str) -> list[str]:
    """Every cell, heading, paragraph and list item of the Markdown, escapes and code spans
    undone (an identifier shown as code is still the figure)."""
    texts: list[str] = []
    for line in re.sub(r"`([^`]*)`", r"\1", markdown).splitlines():
        if line.startswith("|"):
            texts += [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        else:
            texts.append(re.sub(r"^(#+|-) ", "", line))
    return [
        re.sub(r"\\(.)", r"\1", t).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for t in texts
    ]


def _cited(texts: list[str], lang: Language) -> set[tuple[str, str, str]]:
    """``(figure, basis, mark)`` for every cited figure, its note looked up in the section.

    A section runs from one heading to the next; its notes follow its tables.
    """
    ref = re.compile(r"(.*?)（注(\d+)(?:，([^）]+))?）$" if lang == "zh" else
                     r"(.*?) \(note (\d+)(?:, ([^)]+))?\)$")  # fmt: skip
    note = re.compile(r"注(\d+)：(.*)$" if lang == "zh" else r"Note (\d+): (.*)$")
    found: set[tuple[str, str, str]] = set()
    pending: list[tuple[str, str, str]] = []  # figure, number, short mark
    notes: dict[str, str] = {}

    def settle() -> None:
        for figure, number, mark in pending:
            found.add((figure, notes.get(number, "?"), mark))
        pending.clear()
        notes.clear()

    for t in texts:
        if n := note.match(t):
            notes[n.group(1)] = n.group(2)
            continue
        if notes:  # the notes of a table are over: settle its figures
            settle()
        for part in re.split(r"; |: |；|：", t):
            if m := ref.match(part.strip()):
                pending.append((m.group(1).strip(), m.group(2), m.group(3) or ""))
    settle()
    return found


def _mark(basis: Basis, lang: Language) -> tuple[str, str]:
    """The short mark in the cell and the full one at the end of the note."""
    if basis.source is Source.FULL:
        return "", ""
    return text(f"source.{basis.source.value}.short", lang), text(
        f"source.{basis.source.value}", lang
    )


def _note(basis: Basis, lang: Language) -> str:
    _, long = _mark(basis, lang)
    if not long:
        return basis.text
    return f"{basis.text}（{long}）" if lang == "zh" else f"{basis.text} ({long})"


def deadlines(policy: Policy, lang: Language) -> Iterator[tuple[str, str, Basis]]:
    """Every deadline length of every workflow, case kind by case kind."""
    for machine in MACHINES.values():
        for rule in machine.deadlines:
            for kind in case_kinds(policy, machine.kinds):
                provision = resolve(policy, rule.setting, kind)
                if provision is not None:
                    where = f"{machine.name}.{rule.name}[{kind}]"
                    yield where, period_text(provision.value, lang), provision.basis


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("slug", ["index", "workflows"])
def test_every_figure_is_on_the_page_with_its_own_basis_and_mark(
    key: str, lang: Language, slug: str
) -> None:
    policy = load_policy(key)
    page = {p.slug: p for p in handbook_pages(extract_handbook(policy), lang)}[slug]
    expected = list((figures if slug == "index" else deadlines)(policy, lang))
    assert len(expected) > 10
    rendered = {
        "md": _markdown_texts(page_markdown(page)),
        "html": _html_texts(page_html(page, lang=lang)),
    }
    for form, texts in rendered.items():
        cited = _cited(texts, lang)
        missing = [
            (where, shown, basis.text, basis.source.value)
            for where, shown, basis in expected
            if (shown, _note(basis, lang), _mark(basis, lang)[0]) not in cited
        ]
        assert not missing, f"{key} {lang} {form}: figures without their own basis: {missing}"


def _html_texts(html: str) -> list[str]:
    reader = _Lines()
    reader.feed(html)
    return reader.lines


def test_the_serious_lists_duration_names_order_44_and_is_marked_configurable() -> None:
    """The review's case: "3 years" appeared under 交政研发〔2018〕181号, which sets no duration."""
    page = page_markdown(handbook_pages(extract_handbook(load_policy(KEYS[0])), "zh")[0])
    section = page[page.index("## 名单") : page.index("## 信用记录公示期")]
    row = next(line for line in section.splitlines() if "`serious`" in line)
    duration = row.split(" | ")[6]
    number = re.fullmatch(r"3年（注(\d+)，可配置）", duration)
    assert number, duration
    note = next(line for line in section.splitlines() if line.startswith(f"- 注{number[1]}："))
    assert "参照市场监管总局令第44号" in note
    assert note.endswith("（本地可配置：未检索到全国统一规定）")


def _every_provision(value: object, path: str) -> Iterator[str]:
    """The path of every provision in ``value``, however deep, found without knowing the model."""
    if isinstance(value, Provision):
        yield path
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[misc]
            yield from _every_provision(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = key.value if isinstance(key, Severity) else str(key)
            yield from _every_provision(item, f"{path}.{name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _every_provision(item, f"{path}[{index}]")


@pytest.mark.parametrize("key", KEYS)
def test_the_walk_misses_no_provision_of_the_model(key: str) -> None:
    """A provision added to the model later is walked (and so checked on the page) too."""
    policy = load_policy(key)
    walked = {where for where, _, _ in figures(policy, "en")}
    found = [p.removeprefix(".") for p in _every_provision(policy, "")]
    assert len(found) > 40
    missing = [p for p in found if not any(w == p or w.startswith(f"{p}.") for w in walked)]
    assert not missing
