"""The words of the demo report in Chinese and English: its headings, series and activities.

Workflow words (machines, states, deadlines) come from the docs catalogue
(:mod:`creditflow.docs.labels`), the policy's names (domains, grades, lists, severities) from
the pack; this module holds only what is the report's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from creditflow.core.labels import Label
from creditflow.docs.labels import TEXT

__all__ = ["REPORT_TEXT", "activity_label", "both", "label"]

REPORT_TEXT: dict[str, Label] = {
    "title": Label("信用监管演示年度报告", "creditflow demo: a year of credit supervision"),
    "states": Label("各流程案件状态", "Cases per state"),
    "deadlines": Label("办理时限", "Deadlines"),
    "met": Label("按时", "met"),
    "missed": Label("逾期", "missed"),
    "open": Label("未到期", "open"),
    "inspections": Label("各信用等级抽查（第四季度计划，对照规则比例）", "Inspections per grade"),
    "subjects": Label("主体数", "subjects"),
    "drawn": Label("抽中", "drawn"),
    "share": Label("抽查比例", "share"),
    "policy_ratio": Label("规则比例", "policy"),
    "grades": Label("年终信用评价前后的等级", "Grades before -> after the year-end evaluation"),
    "before": Label("评价前", "before"),
    "after": Label("评价后", "after"),
    "by_domain": Label("各业务领域等级分布（评价后）", "Grades per domain after the evaluation"),
    "activity": Label("年度业务量", "Activity"),
    "count": Label("数量", "count"),
    "charts": Label("图表", "Charts"),
    "disclosure": Label("归集与双公示", "Collection and disclosure"),
    "disclosure.period": Label("统计期", "Period"),
    "invariants": Label("一致性检查", "Invariants"),
    "anchor": Label("账本锚点", "Book anchor"),
    "month": Label("月份", "month"),
    "quarter": Label("季度", "quarter"),
    "chart.grades": Label("各业务领域信用等级分布", "Grade distribution per domain"),
    "chart.listings": Label("名单公示、移出与信用修复（按月）", "Listings and repairs per month"),
    "chart.deadlines": Label("办理时限按时与逾期（按月）", "Deadlines met and missed per month"),
    "chart.inspections": Label("各季度抽查", "Inspections per quarter"),
    "series.listings_published": Label("名单公示", "listings published"),
    "series.listings_removed": Label("名单移出", "listings removed"),
    "series.repairs_approved": Label("准予修复", "repairs approved"),
    "series.deadlines_met": Label("按时办结", "met in time"),
    "series.deadlines_missed": Label("逾期", "missed"),
    "series.drawn": Label("抽中主体", "subjects drawn"),
    "series.inspections": Label("检查次数", "inspections"),
    "act.carried.listing": Label("上年结转名单", "carried-over listing"),
    "act.carried.record": Label("上年结转信用记录", "carried-over credit records"),
    "act.ended": Label("终止", "ended"),
    "act.inspection.done": Label("完成检查", "inspections done"),
    "act.inspection.finding": Label("检查发现问题", "inspections with findings"),
    "act.licensing.checked": Label("许可信用核查", "licensing credit checks"),
    "act.licensing.normal_procedure": Label("按一般程序审批", "normal procedure"),
    "act.licensing.restricted.True": Label("核查发现限制", "checks with restrictions"),
    "act.licensing.restricted.False": Label("核查无限制", "checks without restrictions"),
    "act.licensing": Label("许可", "licensing"),
    "act.listing.proposed": Label("拟列入", "listing proposed"),
    "act.listing.published": Label("名单公示", "listings published"),
    "act.penalty": Label("行政处罚", "penalty"),
    "act.repair.applied": Label("信用修复申请", "repair applications"),
    "act.refused": Label("被拒绝的操作", "refused"),
    "notes.charts_missing": Label(
        "未绘制图表：需安装 matplotlib（pip install 'creditflow[demo]'）",
        "charts not drawn: matplotlib is missing (pip install 'creditflow[demo]')",
    ),
}
"""The report's own words."""


def label(key: str, names: Mapping[str, Label] | None = None) -> Label:
    """A word of the report, of the docs catalogue, or a policy name from ``names``."""
    found = REPORT_TEXT.get(key) or TEXT.get(key) or (names or {}).get(key)
    return found if found is not None else Label(key, key)


def both(text: Label) -> str:
    """``公示中 published``: the Chinese and the English, once where they are the same."""
    return text.zh if text.zh == text.en else f"{text.zh} {text.en}"


def activity_label(key: str, names: Mapping[str, Label]) -> Label:
    """A tally key of the simulation (``penalty.general``) as words: the activity, then the
    policy's name of its kind (``行政处罚·一般失信 penalty: general``)."""
    if key in ("carried.record", "inspection.done", "inspection.finding", "licensing.checked",
               "licensing.normal_procedure", "licensing.restricted.True",
               "licensing.restricted.False", "listing.published", "repair.applied"):  # fmt: skip
        return REPORT_TEXT[f"act.{key}"]
    head, _, kind = key.rpartition(".")
    base = {"carried.listing": "act.carried.listing", "listing.proposed": "act.listing.proposed",
            "penalty": "act.penalty", "licensing": "act.licensing"}.get(head)  # fmt: skip
    if base is not None:
        order = ("severity", "list") if head == "penalty" else ("list", "severity")
        found = [names.get(f"{n}.{kind}") for n in (*order, "commitment")]
        what = next((x for x in found if x is not None), Label(kind, kind))
        return _joined(REPORT_TEXT[base], what)
    if head.startswith("ended."):
        machine = head.split(".", 1)[1]
        named = names.get(f"list.{kind}") or names.get(f"severity.{kind}") or Label(kind, kind)
        return _joined(REPORT_TEXT["act.ended"], _joined(label(f"machine.{machine}"), named))
    if head == "refused" or key.startswith("refused."):
        return _joined(REPORT_TEXT["act.refused"], Label(key[8:], key[8:]))
    return Label(key, key)


def _joined(first: Label, second: Label) -> Label:
    return Label(f"{first.zh}·{second.zh}", f"{first.en}: {second.en}")
