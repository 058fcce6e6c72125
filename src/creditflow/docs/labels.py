"""The label catalogue of the handbook and notices: every fixed text, in Chinese and English.

Policy content (domain, grade, measure, list names...) brings its own labels; the words around
it -- headings, column names, units -- live here and only here, so no text is typed twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from creditflow.calendar.periods import Period
from creditflow.core.labels import Label, Language
from creditflow.docs.workflow_words import WORKFLOW_WORDS

__all__ = ["TEXT", "UNITS", "join_labels", "period_text", "term", "text", "word"]

TEXT: dict[str, Label] = {
    "handbook": Label("信用监管规则手册", "Credit supervision handbook"),
    "policy": Label("适用规则", "Policy"),
    "effective": Label("施行日期", "In force"),
    "until": Label("至", "until"),
    "open_end": Label("至今", "until further notice"),
    "basis": Label("依据", "Basis"),
    "note_ref": Label("（注{n}）", " (note {n})"),
    "note_ref_marked": Label("（注{n}，{mark}）", " (note {n}, {mark})"),
    "basis_marked": Label("{basis}（来源：{mark}）", "{basis} (source: {mark})"),
    "note": Label("注{n}：{basis}", "Note {n}: {basis}"),
    "note_marked": Label("注{n}：{basis}（{mark}）", "Note {n}: {basis} ({mark})"),
    "source.copy": Label(
        "依据文件的转载或新闻报道，未见全文",
        "from a copy or news item of the document, not its full text",
    ),
    "source.copy.short": Label("转载", "copy"),
    "source.exam": Label(
        "依据考试题库的转述，可信度最低", "from an exam-bank paraphrase, the lowest confidence"
    ),
    "source.exam.short": Label("题库转述", "exam"),
    "source.configurable": Label(
        "本地可配置：未检索到全国统一规定", "configurable locally: no national rule was found"
    ),
    "source.configurable.short": Label("可配置", "configurable"),
    "sources_intro": Label(
        "每个数值后注明其依据的注号，注列于该表之下；未依据法规全文的数值另注明其来源：“可配置”为本地可配置的数值"
        "（未检索到全国统一规定），“转载”依据文件的转载或新闻报道，“题库转述”依据考试题库的转述。",
        "Every figure names the note under its table that gives its basis; a figure not taken "
        "from a full legal text also says what it rests on: configurable (a local choice, no "
        "national rule was found), copy (a copy or news item of the document) or exam (an "
        "exam-bank paraphrase).",
    ),
    "generated": Label(
        "本手册由规则包自动生成，与系统执行的规则一致。",
        "Generated from the policy pack that the system runs; it cannot drift from the rules.",
    ),
    "domains": Label("业务领域与信用等级", "Domains and grade scales"),
    "domain": Label("业务领域", "Domain"),
    "scale": Label("等级标准", "Grade scale"),
    "grade": Label("信用等级", "Grade"),
    "grades": Label("等级（由好到差）", "Grades (best first)"),
    "min_score": Label("最低分", "Minimum score"),
    "decisions": Label("分级分类监管措施", "Graded supervision"),
    "decisions_intro": Label(
        "未列入名单、无特别情形的主体按信用等级适用下列抽查比例和频次。",
        "Subjects on no list and with no flag get the ratio and frequency of their grade.",
    ),
    "rules": Label("决策规则", "Decision rules"),
    "rule": Label("规则", "Rule"),
    "reason": Label("说明", "Reason"),
    "ratio": Label("抽查比例", "Sampling ratio"),
    "frequency": Label("年检查次数", "Inspections a year"),
    "as_needed": Label("按需", "as needed"),
    "at_least": Label("不少于 {n} 次", "at least {n}"),
    "measures": Label("监管措施", "Measures"),
    "none": Label("无", "none"),
    "lists": Label("名单", "Lists"),
    "list_kind": Label("名单类别", "List"),
    "direction": Label("监管方向", "Direction"),
    "direction.adverse": Label("不利（不得降低监管）", "adverse (never less supervision)"),
    "direction.favourable": Label("有利（不得加重监管）", "favourable (never more supervision)"),
    "flags": Label("信用标志", "Flags"),
    "flag": Label("标志", "Flag"),
    "severity": Label("失信程度", "Severity"),
    "statement_period": Label("陈述申辩期", "Statement period"),
    "objection_window": Label("异议期", "Objection window"),
    "objection_answer": Label("异议答复期限", "Objection answered within"),
    "publication_deadline": Label("公示期限", "Publication deadline"),
    "duration": Label("列入期限", "Duration"),
    "early_removal_after": Label("可提前移出时间", "Early removal after"),
    "restarts_on_restore": Label("恢复列入后重新起算", "Restarts when restored"),
    "record_restarts_on_restore": Label(
        "恢复列入后信用记录重新公示", "Record published anew when restored"
    ),
    "severities": Label("信用记录公示期", "Publication of credit records"),
    "published": Label("公示", "Published"),
    "publication_min": Label("最短公示期", "Minimum publication"),
    "publication_max": Label("最长公示期", "Maximum publication"),
    "repair_after": Label("可修复时间", "Repairable"),
    "obligations_fulfilled": Label("履行义务后", "once obligations are fulfilled"),
    "minimum_period": Label("最短公示期满后", "after the minimum publication"),
    "yes": Label("是", "yes"),
    "no": Label("否", "no"),
    "repair": Label("信用修复", "Credit repair"),
    "setting": Label("事项", "Setting"),
    "value": Label("规定", "Value"),
    "acceptance_deadline": Label("受理期限", "Acceptance deadline"),
    "decision_deadline": Label("决定期限", "Decision deadline"),
    "extension": Label("延长期限", "Extension"),
    "max_extensions": Label("最多延长次数", "Extensions at most"),
    "materials": Label("申请材料", "Materials"),
    "fraud_ban": Label("虚假修复禁止期", "Ban after fraud"),
    "fraud_publication": Label("虚假修复公示期", "Publication after fraud"),
    "objections": Label("异议处理", "Objections"),
    "forward_deadline": Label("转送期限", "Forwarded within"),
    "check_deadline": Label("核查期限", "Checked within"),
    "inspection": Label("双随机抽查", "Double-random inspection"),
    "rounding": Label("抽取人数取整方式", "Rounding of the number drawn"),
    "rounding.ceil": Label("向上取整", "up (ceil)"),
    "rounding.floor": Label("向下取整", "down (floor)"),
    "rounding.half_up": Label("四舍五入", "to the nearest (half up)"),
    "overall_cap": Label("抽查比例总体上限", "Overall cap on the share drawn"),
    "inspectors_per_inspection": Label("每次检查执法人员数", "Inspectors per inspection"),
    "load_tolerance": Label("检查人员任务量最大差额", "Largest difference in inspector loads"),
    "low_risk_ratio": Label("低风险抽查比例上限", "Low-risk ratio (at most)"),
    "evaluation": Label("动态信用评价", "Dynamic evaluation"),
    "catalogue": Label("信用信息目录与双公示", "Credit information catalogue and dual publication"),
    "catalogue.deadline": Label(
        "双公示期限（自决定之日起）", "Dual publication due (from the decision)"
    ),
    "catalogue.kind": Label("信息类别", "Record kind"),
    "catalogue.dual": Label("双公示", "Dual publication"),
    "catalogue.required": Label("必填项", "Required fields"),
    "catalogue.published": Label("公示项", "Published fields"),
    "catalogue.categories": Label("处罚类别", "Penalty categories"),
    "catalogue.parties": Label("当事人类别", "Party"),
    "catalogue.amount": Label("罚款金额（元）", "Fine (yuan)"),
    "party.person": Label("自然人", "Natural person"),
    "party.organisation": Label("法人和其他组织", "Organisation"),
    "assessment": Label("评价指标", "Assessment indicators"),
    "assessment.item": Label("评测内容及标准", "Item and target"),
    "assessment.responsible": Label("责任单位", "Responsible units"),
    "assessment.measure": Label("计算方式", "Measured by"),
    "assessment.points": Label("分值", "Points"),
    "default_grade": Label("新设主体默认等级（无不良记录）", "Default grade (no bad record)"),
    "default_grade_with_record": Label(
        "新设主体默认等级（有不良记录）", "Default grade (with a bad record)"
    ),
    "serious_breach_grade": Label("严重失信直接评定等级", "Grade after a serious breach"),
    "serious_breach_period": Label("严重失信等级期限", "Serious-breach grade lasts"),
    "max_upgrade_per_year": Label("每年最多上调等级数", "Upgrade a year at most (grades)"),
    "validity": Label("评价结果有效期", "Evaluation valid for"),
    "purposes": Label("信用核查", "Credit checks"),
    "trigger": Label("触发情形", "When"),
    "trigger.measure": Label("监管措施", "measure"),
    "trigger.list": Label("列入名单", "on the list"),
    "trigger.flag": Label("存在情形", "flag"),
    "effect": Label("类别", "Kind"),
    "effect.restriction": Label("失信惩戒", "restriction"),
    "effect.incentive": Label("守信激励", "incentive"),
    "applies": Label("适用措施", "Applies"),
    "normal": Label("可正常办理", "Proceeds normally"),
    "commitments": Label("信用承诺", "Commitments"),
    "commitment_kind": Label("承诺类型", "Kind"),
    "verification_period": Label("核查期", "Verification period"),
    "breach_severity": Label("违诺失信程度", "Severity of a breach"),
    "breach_consequences": Label("违诺后果", "Consequences of a breach"),
    "workflows": Label("办理流程", "Workflows"),
    "workflows_intro": Label(
        "状态图中方括号内为条件；期限见各流程的期限表。",
        "Guards are in brackets on the arrows; deadlines are in each workflow's table.",
    ),
    "event": Label("事件", "Event"),
    "from": Label("起始状态", "From"),
    "to": Label("结果状态", "To"),
    "roles": Label("办理角色", "Roles"),
    "guards": Label("条件", "Guards"),
    "effects": Label("效果", "Effects"),
    "data": Label("所需信息", "Data"),
    "deadline": Label("期限", "Deadline"),
    "deadline_kind": Label("类型", "Kind"),
    "starts": Label("起算事件", "Starts"),
    "ends": Label("截止事件", "Ends"),
    "length": Label("长度", "Length"),
    "addresses": Label("规则地址", "Rule addresses"),
    "addresses_intro": Label(
        "每项条件、期限和效果按其所依据的规则包设置路径列出；拒绝办理时给出同一路径及其依据。",
        "Every guard, deadline and effect at the path of the policy setting it rests on; a "
        "refused event names the same path and its basis.",
    ),
    "workflow": Label("流程", "Workflow"),
    "part": Label("类别", "Part"),
    "name": Label("名称", "Name"),
    "code": Label("代码", "Code"),
    "part.guard": Label("条件", "Guard"),
    "part.deadline": Label("期限", "Deadline"),
    "part.effect": Label("效果", "Effect"),
    "length_field": Label("或依“{field}”所指的规定", "or the setting that {field} names"),
    "restarts_setting": Label("规则包规定重新起算", "the pack restarts it"),
    "machine.commitment": Label("信用承诺", "Commitment"),
    "machine.listing": Label("名单列入与移出", "Listing"),
    "machine.repair": Label("信用修复", "Repair"),
    "machine.objection": Label("异议处理", "Objection"),
    "machine.record": Label("信用记录公示", "Credit record"),
    "machine.licence": Label("行政许可", "Licence"),
    "transition": Label("新旧规则的适用", "Transitional rule between versions"),
    "transition.rule": Label("过渡规则", "Rule"),
    "transition.new": Label(
        "按较早版本作出决定的信用记录和名单，在本版本施行期间一律适用本版本的规定。",
        "A record or listing decided under an older version is judged by this version's "
        "rules on every date it is in force (new).",
    ),
    "transition.old": Label(
        "按较早版本作出决定的信用记录和名单，始终适用作出决定时施行的版本的规定。",
        "A record or listing decided under an older version keeps the rules of the version "
        "in force on its decision date (old).",
    ),
    "transition.old_unless_lighter": Label(
        "从旧兼从轻：按较早版本作出决定的信用记录和名单，逐项适用作出决定时施行的版本的规定，"
        "但本版本的规定对当事人较轻的，适用本版本的规定。较轻是指：",
        "A record or listing decided under an older version keeps the old version's rules, "
        "item by item, unless this version's are lighter for the party (old unless "
        "lighter, Administrative Penalty Law Art. 37; old_unless_lighter). Lighter means:",
    ),
    "transition.lighter.period": Label(
        "最短公示期、最长公示期和虚假修复禁止期：自决定之日（禁止期自撤销修复之日）起算，较早届满者较轻；",
        "minimum and maximum publication, and the ban after fraud: the one that ends earlier, "
        "counted from the decision (the ban from the revocation of the repair);",
    ),
    "transition.lighter.published": Label(
        "不予公示较公示轻；", "not published is lighter than published;"
    ),
    "transition.lighter.repair_after": Label(
        "履行义务后即可修复较最短公示期满后方可修复轻；",
        "repair once the obligations are fulfilled is lighter than repair after the minimum;",
    ),
    "transition.lighter.materials": Label(
        "修复材料：所需材料为另一版本的真子集者较轻，否则适用原规定。",
        "repair materials: fewer, a strict subset of the other version's; otherwise the old "
        "ones stay.",
    ),
    "transition.none": Label(
        "未设置过渡规则：信用记录和名单在各日期一律按当日施行的版本判断。",
        "No transitional rule is set: every record and listing is judged by the version in "
        "force on each date (new).",
    ),
    "transition.reading": Label(
        "本项为对法律的理解适用（类推适用《行政处罚法》第三十七条），属可配置事项，并非规章明文规定。",
        "This setting is a reading of the law (by analogy), a configurable choice, not a "
        "rule the regulation states.",
    ),
    "diff": Label("规则变更对照", "Changes between policy versions"),
    "diff_intro": Label("自 {old} 至 {new} 的变更：", "What changed from {old} to {new}:"),
    "diff_none": Label("两版规则内容相同。", "The two versions have the same content."),
    "diff_notes_left_out": Label(
        "规则包中供开发人员参考的英文注释的变更未列入本页，见英文版。",
        "Changes to the pack's developer notes are listed too (the Chinese page leaves them out).",
    ),
    "source.full.short": Label("法规全文", "full text"),
    "setting_words": Label("事项", "Setting"),
    "path.lists": Label("名单", "lists"),
    "path.domains": Label("业务领域", "domains"),
    "path.commitments": Label("信用承诺", "commitments"),
    "path.measures": Label("监管措施", "measures"),
    "path.severities": Label("失信程度", "severities"),
    "path.scales": Label("等级标准", "grade scales"),
    "path.purposes": Label("信用核查", "credit checks"),
    "path.flags": Label("特别情形", "flags"),
    "path.source": Label("来源", "source"),
    "path.text": Label("文字", "text"),
    "path.note": Label("注释", "note"),
    "path.title": Label("名称", "title"),
    "path.label": Label("名称", "label"),
    "path.zh": Label("中文", "Chinese"),
    "path.en": Label("英文", "English"),
    "path.value": Label("内容", "value"),
    "path.effective_from": Label("施行日期", "in force from"),
    "path.effective_to": Label("废止日期", "in force until"),
    "path.decisions": Label("分级分类监管规则", "decision rules"),
    "path": Label("事项路径", "Setting"),
    "old": Label("原规定", "Before"),
    "new": Label("新规定", "After"),
    "change": Label("变更", "Change"),
    "added": Label("新增", "added"),
    "removed": Label("删除", "removed"),
    "changed": Label("修改", "changed"),
    "notices": Label("信用信息公示", "Public credit notices"),
    "notice_date": Label("公示日期", "Date of the notice"),
    "notice_listings": Label("名单公示", "Listings in publication"),
    "notice_commitments": Label("信用承诺公示", "Commitments made public"),
    "notice_repairs": Label("信用修复结果公示", "Completed credit repairs"),
    "subject": Label("主体", "Subject"),
    "decided_on": Label("决定日期", "Decided on"),
    "published_on": Label("公示日期", "Published on"),
    "last_day": Label("公示截止日期", "Published until"),
    "made_on": Label("承诺日期", "Made on"),
    "state": Label("状态", "State"),
    "approved_on": Label("修复日期", "Repaired on"),
    "target": Label("修复对象", "Repaired"),
    "nothing": Label("（无）", "(none)"),
    "search": Label("搜索", "Search"),
    "all": Label("全部", "all"),
    "date_from": Label("自", "from"),
    "date_to": Label("至", "to"),
    "shown": Label("显示", "Shown"),
    "noscript": Label(
        "未启用JavaScript：以下列出全部公示信息，搜索和筛选不可用。",
        "JavaScript is off: every entry is listed below; search and filters need it.",
    ),
    "party": Label("当事人", "Party"),
    "party_name": Label("名称", "Name"),
    "party_code": Label("统一社会信用代码或身份证号码", "Code"),
    "grounds": Label("列入事由", "Grounds"),
    "measures_taken": Label("惩戒措施", "Measures"),
    "document_number": Label("决定文书号", "Decision document"),
    "authority": Label("决定机关", "Authority"),
    "removal_conditions": Label("移出条件和程序", "Removal conditions and procedure"),
    "remedies": Label("救济途径", "Remedies"),
    "unknown": Label("（账本未记载）", "(not in the book)"),
    "repaired": Label("修复事项", "Repaired"),
    "notice_footer": Label(
        "本公示于 {on} 依据规则包 {policy} 由信用账本生成，账本锚点 {anchor}。",
        "Generated on {on} under the pack {policy} from the credit book at anchor {anchor}.",
    ),
    "masking": Label(
        "自然人的身份证号码只显示前6位和后4位；已过公示期的信息不予公示。",
        "Resident IDs of persons show their first 6 and last 4 characters only; "
        "information past its publication window is not shown.",
    ),
    "policy_digest": Label("规则包摘要（SHA-256）", "Policy digest (SHA-256)"),
    "anchor": Label("账本锚点", "Book anchor"),
    "anchor_note": Label(
        "账本锚点是本公示所依据的信用账本末条记录的序号和哈希值；任何人日后可运行"
        " creditflow verify --db 账本文件 --anchor {anchor} 核验账本仍包含本公示所发布的内容。",
        "The book anchor is the sequence number and hash of the last event of the credit book "
        "this notice was made from; anyone can later run creditflow verify --db BOOK "
        "--anchor {anchor} to check that the book still contains what was published.",
    ),
    "contents": Label("目录", "Contents"),
    "term.credit_record": Label("记入信用记录", "a credit record"),
    "term.no_commit_and_approve": Label("不再适用告知承诺", "no more commit-and-approve"),
    "term.no_missing_documents": Label("不再适用容缺受理", "no more missing-documents acceptance"),
    "term.revoke_approval": Label("撤销许可", "the approval is revoked"),
    "term.more_inspections": Label("提高抽查比例和频次", "more inspections"),
    "term.correction_proof": Label("整改证明", "proof of rectification"),
    "term.commitment_letter": Label("信用承诺书", "commitment letter"),
    "term.repair_training": Label("信用修复培训", "credit repair training"),
    "term.credit_report": Label("信用报告", "credit report"),
    **WORKFLOW_WORDS,
}
"""Fixed texts by key; :func:`text` picks a language."""

UNITS: dict[str, Label] = {
    "days": Label("{n}日", "{n} days"),
    "workdays": Label("{n}个工作日", "{n} working days"),
    "weeks": Label("{n}周", "{n} weeks"),
    "months": Label("{n}个月", "{n} months"),
    "years": Label("{n}年", "{n} years"),
}
"""Period units, ``{n}`` standing for the amount."""


def text(key: str, lang: Language) -> str:
    """The fixed text ``key`` in ``lang`` (a KeyError names a missing key)."""
    return TEXT[key].get(lang)


def word(kind: str, name: str, lang: Language) -> str:
    """The workflow word ``kind.name`` (``word("event", "make", "zh")`` -> ``作出承诺``) in
    ``lang``; a name the catalogue does not know shows as it is (a test keeps none such)."""
    label = TEXT.get(f"{kind}.{name}")
    return name if label is None else label.get(lang)


def join_labels(labels: Iterable[Label], lang: Language) -> str:
    """Labels joined for one cell: by ", " in English; in Chinese by "、", or by "；" where a
    label itself holds a "、" (``提高抽查比例、频次；绿色通道``), so the reader sees where each
    ends; ``-`` for none."""
    shown = [x.get(lang) for x in labels]
    if lang == "en":
        return ", ".join(shown) or "-"
    return ("；" if any("、" in x for x in shown) else "、").join(shown) or "-"


def term(name: str) -> Label:
    """The label of a pack term without a label of its own (a consequence, a material);
    a term the catalogue does not know shows its name in both languages."""
    return TEXT.get(f"term.{name}", Label(name, name))


def period_text(period: Period | None, lang: Language) -> str:
    """``Period(3, "months")`` -> ``3个月`` / ``3 months`` (and "1 month" for one in English)."""
    if period is None:
        return "-"
    if lang == "en":
        return str(period)
    return UNITS[period.unit.value].get(lang).format(n=period.amount)
