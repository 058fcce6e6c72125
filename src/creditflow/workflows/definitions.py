"""The six workflows of credit supervision, declared as data.

commitment 信用承诺, listing 名单 (serious / watch / red), repair 信用修复, objection 异议,
record 信用记录 (the publication of one piece of credit information; a penalty decision's
record is also disclosed under 双公示 within the catalogue's deadline), and licence 行政许可
(granted, amended, revoked or expired; disclosed under 双公示 like a penalty). The docs render these
declarations; the book runs them; the checks below run at import.
"""

from __future__ import annotations

from creditflow.workflows.machine import DeadlineRule as D
from creditflow.workflows.machine import Machine
from creditflow.workflows.machine import Transition as T

__all__ = ["COMMITMENT", "LICENCE", "LISTING", "MACHINES", "OBJECTION", "RECORD", "REPAIR"]

COMMITMENT = Machine(
    name="commitment",
    kinds="commitments",
    states=("made", "fulfilled", "breached", "withdrawn"),
    finals=frozenset({"fulfilled", "breached", "withdrawn"}),
    transitions=(
        T(
            "make",
            (),
            "made",
            guards=("known_domain", "approval_named"),
            required=("domain", "summary"),
            optional=("approval_id", "subject_name"),
        ),
        T("fulfil", ("made",), "fulfilled", optional=("summary",)),
        T(
            "breach",
            ("made",),
            "breached",
            effects=("breach_record", "breach_consequences", "revoke_repairs"),
            required=("summary",),
        ),
        T("withdraw", ("made",), "withdrawn", optional=("summary",)),
    ),
    deadlines=(
        D(
            "verification",
            "make",
            "commitments.{kind}.verification_period",
            ("fulfil", "breach", "withdraw"),
        ),
    ),
)

LISTING = Machine(
    name="listing",
    kinds="lists",
    states=("proposed", "notified", "objected", "decided", "published", "removed", "dropped"),
    finals=frozenset({"removed", "dropped"}),
    transitions=(
        T(
            "propose",
            (),
            "proposed",
            guards=("known_domain",),
            required=("domain", "grounds", "basis"),
            optional=("summary", "subject_name"),
        ),
        T("notify", ("proposed",), "notified", guards=("statement_required",)),
        T("waive", ("notified",), None, effects=("mark_waived",), optional=("summary",)),
        T(
            "object",
            ("notified",),
            "objected",
            guards=("within_objection_window",),
            required=("summary",),
        ),
        T("dismiss_objection", ("objected",), "notified", optional=("summary",)),
        T("accept_objection", ("objected",), "dropped", optional=("summary",)),
        T(
            "decide",
            ("proposed", "notified"),
            "decided",
            guards=("statement_done",),
            effects=("mark_decided",),
            required=("measures", "removal_conditions", "remedies"),
            optional=("document_number", "authority"),
        ),
        T("publish", ("decided",), "published", effects=("mark_published", "listing_record")),
        T(
            "expire",
            ("published",),
            "removed",
            guards=("expiry_reached",),
            effects=("mark_ended", "end_listing_record"),
        ),
        T(
            "remove_early",
            ("published",),
            "removed",
            guards=("minimum_listing_passed", "repair_approved"),
            required=("repair_case",),
            effects=("mark_ended", "end_listing_record"),
        ),
        T(
            "revoke",
            ("decided", "published"),
            "removed",
            required=("summary",),
            effects=("mark_ended", "end_listing_record"),
        ),
        T(
            "annul",
            ("decided", "published"),
            "removed",
            guards=("objection_upheld",),
            required=("objection_case",),
            effects=("mark_ended", "end_listing_record"),
        ),
        T(
            "restore",
            ("removed",),
            "published",
            guards=("repair_revoked",),
            required=("repair_case",),
            effects=("mark_published", "restore_listing_record"),
        ),
        T("drop", ("proposed", "notified"), "dropped", optional=("summary",)),
    ),
    deadlines=(
        D("statement", "notify", "lists.{kind}.statement_period", ("decide", "drop"), "wait"),
        D(
            "objection_window",
            "notify",
            "lists.{kind}.objection_window",
            ("decide", "drop"),
            "wait",
        ),
        D(
            "objection_answer",
            "object",
            "lists.{kind}.objection_answer",
            ("dismiss_objection", "accept_objection"),
        ),
        D(
            "publication",
            "decide",
            "lists.{kind}.publication_deadline",
            ("publish", "revoke", "annul"),
        ),
        D(
            "expiry",
            "decide",
            "lists.{kind}.duration",
            ("expire", "remove_early", "revoke", "annul"),
            rolls=False,
            reopened_by=("restore",),
            restarted_if="lists.{kind}.restarts_on_restore",
        ),
        D(
            "early_removal",
            "decide",
            "lists.{kind}.early_removal_after",
            ("remove_early",),
            "wait",
            rolls=False,
            reopened_by=("restore",),
            restarted_if="lists.{kind}.restarts_on_restore",
        ),
    ),
)

REPAIR = Machine(
    name="repair",
    kinds="repair_targets",
    states=("applied", "accepted", "rejected", "approved", "denied", "revoked"),
    finals=frozenset({"rejected", "denied", "revoked"}),
    transitions=(
        T(
            "apply",
            (),
            "applied",
            required=("target", "materials", "obligations_fulfilled", "commitment_case"),
        ),
        T("accept", ("applied",), "accepted", guards=("repair_eligible",)),
        T("reject", ("applied",), "rejected", required=("summary",)),
        T(
            "extend",
            ("accepted",),
            None,
            guards=("extension_available",),
            effects=("count_extension",),
            required=("summary",),
        ),
        T(
            "approve",
            ("accepted",),
            "approved",
            guards=("repair_eligible",),
            effects=("repair_target",),
        ),
        T("deny", ("accepted",), "denied", required=("summary",)),
        T(
            "revoke",
            ("approved",),
            "revoked",
            guards=("revocation_grounds",),
            required=("summary",),
            optional=("commitment_case",),
            effects=("restore_target", "fraud_record"),
        ),
    ),
    deadlines=(
        D("acceptance", "apply", "repair.acceptance_deadline", ("accept", "reject")),
        D(
            "decision",
            "accept",
            "repair.decision_deadline",
            ("approve", "deny"),
            extended_by="extend",
            extension="repair.extension",
        ),
    ),
)

OBJECTION = Machine(
    name="objection",
    kinds="objection_targets",
    states=("filed", "forwarded", "upheld", "dismissed"),
    finals=frozenset({"upheld", "dismissed"}),
    transitions=(
        T("file", (), "filed", guards=("objection_target",), required=("target", "summary")),
        T("forward", ("filed",), "forwarded"),
        T("uphold", ("forwarded",), "upheld", effects=("annul_target",), required=("summary",)),
        T("dismiss", ("forwarded",), "dismissed", required=("summary",)),
    ),
    deadlines=(
        D("forwarding", "file", "objections.forward_deadline", ("forward",)),
        D("check", "forward", "objections.check_deadline", ("uphold", "dismiss")),
    ),
)

RECORD = Machine(
    name="record",
    kinds="severities",
    states=("published", "ended"),
    finals=frozenset({"ended"}),
    transitions=(
        T(
            "enter",
            (),
            "published",
            guards=("known_domain", "decision_date", "publication_window"),
            required=("domain", "record_kind", "decided_on", "summary"),
            optional=("basis", "source_case", "window", "dual_publication", "decision"),
        ),
        T("disclose", ("published", "ended"), None, optional=("url",)),
        T(
            "end",
            ("published",),
            "ended",
            guards=("publication_over",),
            effects=("mark_ended",),
            required=("reason",),
            optional=("cause",),
        ),
        T(
            "restore",
            ("ended",),
            "published",
            guards=("end_undone",),
            effects=("mark_published",),
            required=("reason", "cause"),
            optional=("restart",),
        ),
    ),
    deadlines=(
        D(
            "publication_end",
            "enter",
            "severities.{kind}.publication_max",
            ("end",),
            base="decided_on",
            reopened_by=("restore",),
            restarted_by="restart",
            setting_field="window",
            rolls=False,
        ),
        D(
            "disclosure",
            "enter",
            "catalogue.publication_deadline",
            ("disclose",),
            base="decided_on",
            when="dual_publication",
        ),
    ),
)

LICENCE = Machine(
    name="licence",
    kinds="licence_categories",
    states=("granted", "amended", "revoked", "expired"),
    finals=frozenset({"revoked", "expired"}),
    transitions=(
        T(
            "grant",
            (),
            "granted",
            guards=("known_domain", "licence_dates"),
            required=("domain", "document_number", "item", "decided_on"),
            optional=("valid_until", "decision", "summary"),
        ),
        T(
            "amend",
            ("granted", "amended"),
            "amended",
            guards=("licence_dates",),
            required=("summary",),
            optional=("valid_until", "decision"),
        ),
        T("disclose", ("granted", "amended", "revoked", "expired"), None, optional=("url",)),
        T(
            "revoke",
            ("granted", "amended"),
            "revoked",
            guards=("breached_commitment",),
            required=("summary",),
            optional=("commitment_case",),
        ),
        T("expire", ("granted", "amended"), "expired", guards=("validity_over",)),
    ),
    deadlines=(
        D(
            "disclosure",
            "grant",
            "catalogue.publication_deadline",
            ("disclose",),
            base="decided_on",
        ),
    ),
)

MACHINES = {m.name: m for m in (COMMITMENT, LISTING, REPAIR, OBJECTION, RECORD, LICENCE)}
"""Every machine by name."""
