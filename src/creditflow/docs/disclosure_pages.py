"""Pages of collection and disclosure: the 双公示 feed and the rates report (md / html, zh / en).

Built as :class:`~creditflow.docs.document.Page` values and rendered by the one Markdown and
HTML renderers, so every text is escaped and every resident ID masked there. The rates report
draws its bar chart as a small hand-written SVG in the HTML page (every label escaped) and as
bars of block characters in the Markdown table.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape as html_escape

from creditflow.core.labels import Label, Language
from creditflow.core.privacy import mask_resident_ids
from creditflow.disclosure.assessment import AssessmentReport, ItemResult
from creditflow.disclosure.feed import Feed
from creditflow.disclosure.rates import RATE_NAMES, Rate, RatesReport
from creditflow.docs.document import Block, Heading, Page, Paragraph, Table
from creditflow.docs.html import page_html
from creditflow.docs.markdown import page_markdown

__all__ = [
    "FAILING_SHOWN",
    "assessment_page",
    "feed_page",
    "rates_html",
    "rates_markdown",
    "rates_page",
    "render",
]

FAILING_SHOWN = 200
"""Failing rows listed per unit and rate in a rates page (the JSON output lists them all)."""

_TEXT: dict[str, Label] = {
    "feed.title": Label("双公示信息（{on}）", "Dual publication ({on})"),
    "feed.intro": Label(
        "本页列出截至{on}公示中的行政许可和行政处罚决定；自然人信息已隐去。账本锚点：{anchor}。",
        "Licensing and penalty decisions published on {on}; persons are masked. "
        "Book anchor: {anchor}.",
    ),
    "kind.licensing": Label("行政许可", "Licensing decisions"),
    "kind.penalty": Label("行政处罚", "Penalty decisions"),
    "none": Label("无。", "None."),
    "disclosed_on": Label("公示日期", "Published on"),
    "severity": Label("失信程度", "Severity"),
    "published_until": Label("公示截止", "Published until"),
    "rates.title": Label("信用信息“三率”报告（{period}）", "Credit information rates ({period})"),
    "rates.intro": Label(
        "统计期{start}至{end}，按{on}判断及时率；账本锚点：{anchor}。无分母的比率记为“-”。",
        "Period {start} to {end}; timeliness judged on {on}; book anchor: {anchor}. A rate with "
        "nothing to count is shown as '-'.",
    ),
    "unit": Label("上报单位", "Reporting unit"),
    "all": Label("全部", "All units"),
    "coverage": Label("覆盖率", "Coverage"),
    "compliance": Label("上报合规率", "Compliance"),
    "completeness": Label("完整率", "Completeness"),
    "timeliness": Label("公示及时率", "Timeliness"),
    "failing": Label("{rate}未达标的记录", "Rows failing {rate}"),
    "where": Label("位置", "Where"),
    "key": Label("文书号或主体", "Document or subject"),
    "reason": Label("原因", "Reason"),
    "more": Label("另有{n}条，见 JSON 输出。", "{n} more rows: see the JSON output."),
    "definitions": Label(
        "定义见 docs/disclosure.md：覆盖率=已归集信用信息的主体数/主体总数；"
        "上报合规率=通过目录校验的记录数/上报记录数；"
        "完整率=已填必填项数/应填必填项数；公示及时率=按期公示数/应公示数。",
        "Definitions in docs/disclosure.md: coverage = subjects with credit information / "
        "subjects; compliance = rows passing the catalogue / rows submitted; completeness = "
        "required fields present / required fields; timeliness = disclosed in time / due.",
    ),
    "assess.intro": Label(
        "自评期{period}（{start}至{end}），依据{pack}；账本锚点：{anchor}。可计算项得分{score}/{max}；"
        "证明类项目共{attested}分，由评估组依所列证明材料评分。",
        "Period {period} ({start} to {end}), by {pack}; book anchor: {anchor}. Computed items: "
        "{score} of {max} points; attested items ({attested} points) are scored by the "
        "assessors from the evidence listed.",
    ),
    "assess.computed": Label("可计算项目", "Computed items"),
    "assess.attested": Label("证明类项目", "Attested items"),
    "group": Label("指标", "Group"),
    "item": Label("评测内容及标准", "Item and target"),
    "responsible": Label("责任单位", "Responsible units"),
    "measure": Label("计算方式", "Measured by"),
    "found": Label("实际", "Found"),
    "score": Label("得分/分值", "Score / points"),
    "points": Label("分值", "Points"),
    "evidence": Label("证明材料", "Evidence"),
    "no_evidence": Label("尚无证明材料", "No evidence yet"),
}


_MEASURES: dict[str, Label] = {
    "attested": Label("证明材料", "attested"),
    "rate": Label("按比率计算", "rate"),
    "evidence_count": Label("按材料条数计算", "evidence count"),
    "repairs": Label("按信用修复数计算", "repairs"),
    "credit_checks": Label("按信用核查记录计算", "credit checks"),
    "listings": Label("按名单公示数计算", "listings"),
}
"""How an assessment item is measured, in words."""


def _t(key: str, lang: Language, **values: object) -> str:
    return _TEXT[key].get(lang).format(**values)


def feed_page(feed: Feed, lang: Language) -> Page:
    """The 双公示 feed as a page: one table per kind of decision."""
    title = _t("feed.title", lang, on=feed.on.isoformat())
    blocks: list[Block] = [
        Heading(1, title),
        Paragraph(_t("feed.intro", lang, on=feed.on.isoformat(), anchor=feed.anchor)),
    ]
    for kind in ("licensing", "penalty"):
        entries = [e for e in feed.entries if e.kind == kind]
        blocks.append(Heading(2, _t(f"kind.{kind}", lang)))
        if not entries:
            blocks.append(Paragraph(_t("none", lang)))
            continue
        header = [label.get(lang) for _, label, _ in entries[0].fields]
        header.append(_t("disclosed_on", lang))
        if kind == "penalty":
            header += [_t("severity", lang), _t("published_until", lang)]
        rows = []
        for e in entries:
            row = [_word(e.words, name, value, lang) or "-" for name, _, value in e.fields]
            row.append(e.disclosed_on.isoformat())
            if kind == "penalty":
                until = e.published_until.isoformat() if e.published_until else "-"
                row += [_word(e.words, "severity", e.severity or "", lang) or "-", until]
            rows.append(tuple(row))
        blocks.append(Table(tuple(header), tuple(rows)))
    return Page("dual-publication", title, tuple(blocks))


def _word(words: Mapping[str, Label], name: str, value: str, lang: Language) -> str:
    """``value`` of field ``name`` in words when the feed has them, else as it is."""
    label = words.get(name)
    return value if label is None else label.get(lang)


def _bar(rate: Rate, width: int = 10) -> str:
    value = rate.value
    if value is None:
        return ""
    full = round(float(value) * width)
    return " " + "█" * full + "░" * (width - full)


def _cell(rate: Rate, *, bars: bool) -> str:
    shown = f"{rate.numerator}/{rate.denominator} = {rate.percent()}"
    return shown + _bar(rate) if bars else shown


def rates_page(report: RatesReport, lang: Language, *, bars: bool = True) -> Page:
    """The rates report as a page: a table of units x rates, then the failing rows."""
    p = report.period
    title = _t("rates.title", lang, period=p.label)
    intro = _t("rates.intro", lang, start=p.start.isoformat(), end=p.end.isoformat(),
               on=report.on.isoformat(), anchor=report.anchor)  # fmt: skip
    header = (_t("unit", lang), *(_t(name, lang) for name in RATE_NAMES))
    rows = tuple(
        (_unit(report, u.unit, lang), *(_cell(u.rates[n], bars=bars) for n in RATE_NAMES))
        for u in report.units
    )
    blocks: list[Block] = [Heading(1, title), Paragraph(intro), Table(header, rows)]
    region = report.units[0]  # its failing rows are every unit's, each naming its unit
    for name in RATE_NAMES:
        failing = region.rates[name].failing
        if not failing:
            continue
        cells = tuple((_unit(report, f.unit, lang, "-"),
                       f.where_zh if lang == "zh" and f.where_zh else f.where, f.key,
                       f.zh if lang == "zh" and f.zh else f.reason)
                      for f in failing[:FAILING_SHOWN])  # fmt: skip
        header = (_t("unit", lang), _t("where", lang), _t("key", lang), _t("reason", lang))
        blocks += [Heading(2, _t("failing", lang, rate=_t(name, lang))), Table(header, cells)]
        if len(failing) > FAILING_SHOWN:
            blocks.append(Paragraph(_t("more", lang, n=len(failing) - FAILING_SHOWN)))
    blocks.append(Paragraph(_t("definitions", lang)))
    return Page("rates", title, tuple(blocks))


def _unit(report: RatesReport, unit: str, lang: Language, none: str = "") -> str:
    """A reporting unit in words (its catalogue label), the region for ``""``."""
    if not unit:
        return none or _t("all", lang)
    label = report.unit_labels.get(unit)
    return unit if label is None else label.get(lang)


def rates_markdown(report: RatesReport, lang: Language) -> str:
    """The rates report as Markdown, bars drawn with block characters."""
    return page_markdown(rates_page(report, lang))


def rates_html(report: RatesReport, lang: Language) -> str:
    """The rates report as one HTML page with an SVG bar chart of every unit's rates."""
    html = page_html(rates_page(report, lang, bars=False), lang=lang)
    return html.replace("<main>\n", f"<main>\n{_chart(report, lang)}\n", 1)


_COLOURS = {"coverage": "#4e79a7", "compliance": "#59a14f", "completeness": "#f28e2b",
            "timeliness": "#b07aa1"}  # fmt: skip


def _chart(report: RatesReport, lang: Language) -> str:
    """Horizontal bars, one group per unit, one bar per rate (0-100 %), labels escaped."""
    bar, gap, left, width = 12, 10, 160, 300
    rows = len(report.units) * (len(RATE_NAMES) * bar + gap)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 80}" '
             f'height="{rows + 20}" font-size="11">']  # fmt: skip
    y = 10
    for u in report.units:
        name = html_escape(mask_resident_ids(_unit(report, u.unit, lang)))
        parts.append(f'<text x="0" y="{y + bar}">{name}</text>')
        for rate_name in RATE_NAMES:
            rate = u.rates[rate_name]
            length = 0 if rate.value is None else round(float(rate.value) * width)
            label = html_escape(f"{_t(rate_name, lang)} {rate.percent()}")
            parts.append(
                f'<rect x="{left}" y="{y}" width="{length}" height="{bar - 2}" '
                f'fill="{_COLOURS[rate_name]}"><title>{label}</title></rect>'
                f'<text x="{left + length + 4}" y="{y + bar - 3}">{label}</text>'
            )
            y += bar
        y += gap
    parts.append("</svg>")
    return "".join(parts)


def render(page: Page, form: str, lang: Language) -> str:
    """``page`` as ``md`` or ``html``."""
    return page_markdown(page) if form == "md" else page_html(page, lang=lang)


def _points(value: object) -> str:
    from fractions import Fraction

    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.2f}".rstrip("0")
    return str(value)


def _evidence(result: ItemResult, lang: Language) -> str:
    if not result.evidence:
        return _t("no_evidence", lang)
    return "; ".join(f"{e.on.isoformat()} {e.officer}: {e.text}" for e in result.evidence)


def assessment_page(report: AssessmentReport, lang: Language) -> Page:
    """The self-assessment report: the computed items with their scores, then the attested
    items with their evidence."""
    p = report.period
    title = f"{report.title.get(lang)} ({p.label})"
    intro = _t("assess.intro", lang, period=p.label, start=p.start.isoformat(),
               end=p.end.isoformat(), pack=report.policy_key, anchor=report.anchor,
               score=_points(report.score), max=report.computable_points,
               attested=report.attested_points)  # fmt: skip
    computed = tuple(
        (r.item.group.get(lang), r.item.item.get(lang), r.item.responsible.get(lang),
         _MEASURES[r.item.measure].get(lang) if r.item.measure in _MEASURES else r.item.measure,
         r.found_zh if lang == "zh" and r.found_zh else r.found,
         f"{_points(r.score)}/{r.item.points.value}")
        for r in report.results if r.item.computed
    )  # fmt: skip
    attested = tuple(
        (r.item.group.get(lang), r.item.item.get(lang), r.item.responsible.get(lang),
         str(r.item.points.value), _evidence(r, lang))
        for r in report.results if not r.item.computed
    )  # fmt: skip
    keys = ("group", "item", "responsible", "measure", "found", "score")
    blocks: list[Block] = [
        Heading(1, title),
        Paragraph(intro),
        Heading(2, _t("assess.computed", lang)),
        Table(tuple(_t(k, lang) for k in keys), computed),
        Heading(2, _t("assess.attested", lang)),
        Table(
            tuple(_t(k, lang) for k in ("group", "item", "responsible", "points", "evidence")),
            attested,
        ),
    ]
    return Page("assessment", title, tuple(blocks))
