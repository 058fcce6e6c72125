"""The words of the workflows in Chinese and English: states, events, guards, effects, roles,
event data, deadlines (part of the label catalogue, :data:`creditflow.docs.labels.TEXT`).

The identifiers (``make``, ``case_officer``, ``known_domain``) are the declarations' names, for
developers; a page for people shows these labels, and the identifier only in a code span.
"""

from __future__ import annotations

from creditflow.core.labels import Label

__all__ = ["WORKFLOW_WORDS"]

_STATES = {
    "made": Label("已承诺", "made"),
    "fulfilled": Label("已践诺", "fulfilled"),
    "breached": Label("已违诺", "breached"),
    "withdrawn": Label("已撤回", "withdrawn"),
    "proposed": Label("拟列入", "proposed"),
    "notified": Label("已事先告知", "notified"),
    "objected": Label("已提出异议", "objected"),
    "decided": Label("已决定列入", "decided"),
    "published": Label("公示中", "published"),
    "removed": Label("已移出", "removed"),
    "dropped": Label("不予列入", "dropped"),
    "applied": Label("已申请", "applied"),
    "accepted": Label("已受理", "accepted"),
    "rejected": Label("不予受理", "rejected"),
    "approved": Label("准予修复", "approved"),
    "denied": Label("不予修复", "denied"),
    "revoked": Label("已撤销", "revoked"),
    "filed": Label("已提出", "filed"),
    "forwarded": Label("已转送核查", "forwarded"),
    "upheld": Label("异议成立", "upheld"),
    "dismissed": Label("异议不成立", "dismissed"),
    "ended": Label("已终止公示", "ended"),
}

_EVENTS = {
    "make": Label("作出承诺", "make"),
    "fulfil": Label("确认践诺", "fulfil"),
    "breach": Label("认定违诺", "breach"),
    "withdraw": Label("撤回承诺", "withdraw"),
    "propose": Label("拟列入", "propose"),
    "notify": Label("事先告知", "notify"),
    "waive": Label("放弃陈述申辩", "waive"),
    "object": Label("提出异议", "object"),
    "dismiss_objection": Label("驳回异议", "dismiss objection"),
    "accept_objection": Label("采纳异议", "accept objection"),
    "decide": Label("作出列入决定", "decide"),
    "publish": Label("公示", "publish"),
    "expire": Label("期满移出", "expire"),
    "remove_early": Label("提前移出", "remove early"),
    "revoke": Label("撤销", "revoke"),
    "annul": Label("因异议成立撤销", "annul"),
    "restore": Label("恢复", "restore"),
    "drop": Label("终止列入程序", "drop"),
    "apply": Label("申请修复", "apply"),
    "accept": Label("受理", "accept"),
    "reject": Label("不予受理", "reject"),
    "extend": Label("延长审核期限", "extend"),
    "approve": Label("准予修复", "approve"),
    "deny": Label("不予修复", "deny"),
    "file": Label("提出异议", "file"),
    "forward": Label("转送核查", "forward"),
    "uphold": Label("认定异议成立", "uphold"),
    "dismiss": Label("认定异议不成立", "dismiss"),
    "enter": Label("记入信用记录", "enter"),
    "end": Label("终止公示", "end"),
}

_GUARDS = {
    "approval_named": Label("注明所涉许可", "approval named"),
    "decision_date": Label("决定日期有效", "decision date valid"),
    "end_undone": Label("尚未终止公示", "publication not ended"),
    "expiry_reached": Label("列入期限届满", "expiry reached"),
    "extension_available": Label("尚可延长", "extension available"),
    "known_domain": Label("业务领域有效", "known domain"),
    "minimum_listing_passed": Label("已满最短列入期", "minimum listing passed"),
    "objection_target": Label("异议对象有效", "valid objection target"),
    "objection_upheld": Label("异议已成立", "objection upheld"),
    "publication_over": Label("公示期已满", "publication over"),
    "publication_window": Label("公示期有效", "valid publication window"),
    "repair_approved": Label("已准予修复", "repair approved"),
    "repair_eligible": Label("符合修复条件", "repair eligible"),
    "repair_revoked": Label("修复已撤销", "repair revoked"),
    "revocation_grounds": Label("撤销理由成立", "grounds for revocation"),
    "statement_done": Label("陈述申辩期已过或已放弃", "statement period over or waived"),
    "statement_required": Label("须告知陈述申辩权利", "statement required"),
    "within_objection_window": Label("在异议期内", "within the objection window"),
}

_EFFECTS = {
    "annul_target": Label("撤销异议对象", "annul the target"),
    "breach_consequences": Label("违诺后果", "breach consequences"),
    "breach_record": Label("记入失信记录", "breach record"),
    "count_extension": Label("计入延长次数", "count the extension"),
    "end_listing_record": Label("终止名单记录公示", "end the listing record"),
    "fraud_record": Label("记入虚假修复记录", "fraud record"),
    "listing_record": Label("记入名单记录", "listing record"),
    "mark_decided": Label("记录决定日期", "mark decided"),
    "mark_ended": Label("记录移出日期", "mark ended"),
    "mark_published": Label("记录公示日期", "mark published"),
    "mark_waived": Label("记录放弃陈述申辩", "mark waived"),
    "repair_target": Label("修复对象终止公示", "repair the target"),
    "restore_listing_record": Label("恢复名单记录", "restore the listing record"),
    "restore_target": Label("恢复修复对象", "restore the target"),
    "revoke_repairs": Label("撤销相关修复", "revoke repairs"),
}

_ROLES = {
    "approving_official": Label("审批负责人", "approving official"),
    "case_officer": Label("经办人", "case officer"),
    "reviewer": Label("复核人", "reviewer"),
    "subject": Label("当事人", "subject"),
    "system": Label("系统自动", "system"),
}

_FIELDS = {
    "approval_id": Label("许可编号", "approval id"),
    "authority": Label("决定机关", "authority"),
    "basis": Label("依据", "basis"),
    "cause": Label("原因案件", "cause"),
    "commitment_case": Label("承诺案件", "commitment case"),
    "decided_on": Label("决定日期", "decided on"),
    "document_number": Label("决定文书号", "document number"),
    "domain": Label("业务领域", "domain"),
    "grounds": Label("事由", "grounds"),
    "materials": Label("修复材料", "materials"),
    "measures": Label("惩戒措施", "measures"),
    "objection_case": Label("异议案件", "objection case"),
    "obligations_fulfilled": Label("已履行义务", "obligations fulfilled"),
    "reason": Label("理由", "reason"),
    "record_kind": Label("记录类别", "record kind"),
    "remedies": Label("救济途径", "remedies"),
    "removal_conditions": Label("移出条件", "removal conditions"),
    "repair_case": Label("修复案件", "repair case"),
    "restart": Label("重新起算", "restart"),
    "source_case": Label("来源案件", "source case"),
    "subject_name": Label("当事人名称", "party's name"),
    "summary": Label("说明", "summary"),
    "target": Label("对象", "target"),
    "window": Label("公示期规定", "window"),
}

_DEADLINES = {
    "acceptance": Label("受理期限", "acceptance"),
    "check": Label("核查期限", "check"),
    "decision": Label("审核决定期限", "decision"),
    "early_removal": Label("提前移出等待期", "early removal"),
    "expiry": Label("列入期限", "expiry"),
    "forwarding": Label("转送期限", "forwarding"),
    "objection_answer": Label("异议答复期限", "objection answer"),
    "objection_window": Label("异议期", "objection window"),
    "publication": Label("公示期限", "publication"),
    "publication_end": Label("最长公示期", "end of publication"),
    "statement": Label("陈述申辩期", "statement"),
    "verification": Label("核查期", "verification"),
}

_OTHER = {
    "deadline_kind.due": Label("办理时限", "due"),
    "deadline_kind.wait": Label("等待期", "wait"),
    "deadline_kind.length": Label("持续期", "length"),
    "target.record": Label("信用记录", "record"),
    "target.listing": Label("名单", "listing"),
    "opens": Label("（立案）", "(opens)"),
    "same": Label("（不变）", "(same)"),
    "runs_again": Label("{events}后重新计算", "runs again on {events}"),
    "anew_where": Label("（{what}时重新起算）", " (anew where {what})"),
    "none_for_kind": Label("无", "none"),
    "optional": Label("{name}（可选）", "{name}?"),
    "diagram_start": Label("开始", "start"),
    "diagram_end": Label("结束", "end"),
}

WORKFLOW_WORDS: dict[str, Label] = {
    **{f"state.{k}": v for k, v in _STATES.items()},
    **{f"event.{k}": v for k, v in _EVENTS.items()},
    **{f"guard.{k}": v for k, v in _GUARDS.items()},
    **{f"effect.{k}": v for k, v in _EFFECTS.items()},
    **{f"role.{k}": v for k, v in _ROLES.items()},
    **{f"field.{k}": v for k, v in _FIELDS.items()},
    **{f"deadline.{k}": v for k, v in _DEADLINES.items()},
    **_OTHER,
}
"""Every word of the workflows by ``kind.name`` (``state.made``, ``event.make``...)."""
