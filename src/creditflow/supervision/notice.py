"""The public notice of a plan (抽查计划公示) in Markdown, with persons masked.

Information about natural persons is in principle not published (NDRC Order 36): a person's
resident ID shows its first 6 and last 4 characters and a person's name its first character only
(``张三`` -> ``张*``), by the one rule of :mod:`creditflow.core.privacy`. Enterprises, vehicles and
vessels are shown as they are, and so are the inspectors, who act in their public office.

Every text from the plan (names, ids, notes, the seed) is untrusted: it is escaped by
:mod:`creditflow.core.escaping` (the seed and the digest as code spans, the rest as text), and
any resident ID in it is masked, whoever it belongs to.
"""

from __future__ import annotations

from creditflow._validation import ensure_instance
from creditflow.core.escaping import escape_markdown, markdown_code
from creditflow.core.labels import Language, ensure_language
from creditflow.core.privacy import mask_name, mask_resident_ids, public_id
from creditflow.core.subjects import SubjectKind
from creditflow.policy.model import Policy
from creditflow.rules.decision import format_ratio
from creditflow.supervision.plan import Inspection, InspectionPlan

__all__ = ["mask_name", "public_id", "public_subject", "render_notice"]

_TEXT: dict[Language, dict[str, str]] = {
    "zh": {
        "title": "{year}年度“双随机、一公开”抽查计划公示",
        "seed": "随机种子",
        "policy": "适用规则",
        "policy_digest": "规则包摘要（SHA-256）",
        "digest": "计划摘要（SHA-256）",
        "summary": "名录库主体 {size} 个，抽取 {drawn} 个，检查 {count} 次，"
        "每次执法检查人员 {per} 名",
        "ratios": "抽查比例",
        "strata": "业务领域|信用等级|规则|抽查比例|名录数|年内已检查|抽取数|年检查次数",
        "inspections": "检查对象|名称|业务领域|信用等级|执法检查人员",
        "notes": "说明",
        "sep": "、",
        "colon": "：",
        "officer": "{name}（{id}）",
        "masking": "自然人的身份证号码只显示前6位和后4位，姓名只显示第一个字。",
        "verify": "任何人可依据随机种子、适用规则和名录库重新抽取，核对本计划"
        "（见 docs/inspection-plans.md）。",
    },
    "en": {
        "title": "Double-random inspection plan for {year}",
        "seed": "Seed",
        "policy": "Policy",
        "policy_digest": "Policy digest (SHA-256)",
        "digest": "Plan digest (SHA-256)",
        "summary": "{drawn} of {size} subjects drawn, {count} inspections, {per} inspectors each",
        "ratios": "Sampling ratios",
        "strata": "Domain|Grade|Rule|Ratio|Subjects|Inspected this year|Drawn|Visits a year",
        "inspections": "Subject|Name|Domain|Grade|Inspectors",
        "notes": "Notes",
        "sep": ", ",
        "colon": ": ",
        "officer": "{name} ({id})",
        "masking": "Resident IDs of persons show their first 6 and last 4 characters only, "
        "and names their first character only.",
        "verify": "Anyone can draw the plan again from the seed, the policy and the directories "
        "and compare (see docs/inspection-plans.md).",
    },
}


def public_subject(inspection: Inspection) -> tuple[str, str]:
    """The id and name fit for publication: masked for a person, as they are otherwise."""
    ensure_instance(inspection, Inspection, "inspection")
    subject_id = public_id(inspection.subject_id, inspection.kind)
    if inspection.kind == SubjectKind.PERSON.value:
        return subject_id, mask_name(inspection.name)
    return subject_id, inspection.name


def render_notice(
    plan: InspectionPlan, *, policy: Policy | None = None, lang: Language = "zh"
) -> str:
    """The public notice: seed, policy, digest, the ratio of every stratum, and the
    inspections of each period with their inspectors. ``policy`` gives domain labels."""
    ensure_instance(plan, InspectionPlan, "plan")
    if policy is not None:
        ensure_instance(policy, Policy, "policy")
    text = _TEXT[ensure_language(lang)]
    lines = [f"# {text['title'].format(year=plan.year)}", "", *_header(plan, text), ""]
    lines += [f"## {text['ratios']}", "", *_table(text["strata"], _strata_rows(plan, policy, lang))]
    names = {i.inspector_id: i.name for i in plan.inspectors}
    ordered = sorted(plan.inspections, key=lambda i: (i.domain, i.subject_id, i.visit))
    for period in plan.periods:
        rows = [
            _inspection_row(i, policy, lang, names, text) for i in ordered if i.period == period
        ]
        lines += ["", f"## {_cell(period)}", "", *_table(text["inspections"], rows)]
    notes = [*plan.notes, text["masking"], text["verify"]]
    lines += ["", f"## {text['notes']}", "", *(f"- {_cell(n)}" for n in notes)]
    return "\n".join(lines) + "\n"


def _header(plan: InspectionPlan, text: dict[str, str]) -> list[str]:
    summary = text["summary"].format(
        size=plan.population_size,
        drawn=plan.drawn,
        count=len(plan.inspections),
        per=plan.settings.inspectors_per_inspection,
    )
    colon = text["colon"]
    return [
        f"- {text['seed']}{colon}{markdown_code(plan.seed)}",
        f"- {text['policy']}{colon}{_cell(plan.policy_key)}",
        f"- {text['policy_digest']}{colon}{markdown_code(plan.policy_digest)}",
        f"- {text['digest']}{colon}{markdown_code(plan.digest)}",
        f"- {summary}",
    ]


def _domain(domain: str, policy: Policy | None, lang: Language) -> str:
    if policy is not None and domain in policy.domains:
        return policy.domains[domain].label.get(lang)
    return domain


def _strata_rows(plan: InspectionPlan, policy: Policy | None, lang: Language) -> list[list[str]]:
    return [
        [
            _domain(s.domain, policy, lang),
            s.grade,
            s.rule_id,
            format_ratio(s.sampling_ratio),
            str(s.size + s.exempt),
            str(s.exempt),
            str(s.drawn),
            str(s.visits),
        ]
        for s in plan.strata
    ]


def _inspection_row(
    i: Inspection,
    policy: Policy | None,
    lang: Language,
    names: dict[str, str],
    text: dict[str, str],
) -> list[str]:
    subject_id, name = public_subject(i)
    officer = text["officer"]
    officers = text["sep"].join(officer.format(name=names.get(o, o), id=o) for o in i.inspectors)
    return [subject_id, name, _domain(i.domain, policy, lang), i.grade, officers]


def _table(header: str, rows: list[list[str]]) -> list[str]:
    columns = header.split("|")
    lines = [f"| {' | '.join(columns)} |", "|" + "---|" * len(columns)]
    return lines + [f"| {' | '.join(_cell(c, in_cell=True) for c in row)} |" for row in rows]


def _cell(text: str, *, in_cell: bool = False) -> str:
    """Untrusted text as Markdown text, any resident ID in it masked."""
    return escape_markdown(mask_resident_ids(text), in_cell=in_cell)
