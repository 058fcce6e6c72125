"""Every public entry point of creditflow, with a valid value for each of its parameters.

An :class:`Entry` names a callable and, for each parameter the fuzz suite feeds, a factory of
a valid value. The suite keeps some parameters valid and makes others hostile, so that a bad
value reaches as deep as a caller's would. ``tests/fuzz/test_entry_points.py`` checks that the
list covers every callable in the ``__all__`` of creditflow and its subpackages, but for
those in :data:`NOT_ENTRY_POINTS`, which say why.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

import _world as w

import creditflow
from _people import OFFICER, OFFICIAL, SUBJECT
from creditflow import book as cbook
from creditflow import (
    core,
    demo,
    disclosure,
    docs,
    licensing,
    rules,
    service,
    supervision,
    workflows,
)
from creditflow import scale as cscale
from creditflow.calendar import Period, WorkdayCalendar
from creditflow.core import GradeScale, Label, ResidentId, Severity, Subject, Uscc

Factory = Callable[[], Any]


class Entry(NamedTuple):
    """A public callable (``call``) and a factory of a valid value for each of its parameters."""

    name: str
    call: Callable[..., Any]
    good: dict[str, Factory]


def value(v: Any) -> Factory:
    return lambda: v


ON = value(w.ON)
POLICY = w.policy
SUBJECT_ID = value(SUBJECT)
RESIDENT = "110101199003074477"
LISTING = "listing-1"


def on_book(method: str) -> Callable[..., Any]:
    """Call ``method`` of a fresh book holding one published listing."""

    def call(**kwargs: Any) -> Any:
        with w.book() as opened:
            result = getattr(opened, method)(**kwargs)
            return list(result) if method in ("cases", "events") else result

    call.__name__ = method
    return call


def calendar_method(method: str) -> Callable[..., Any]:
    return lambda **kwargs: getattr(WorkdayCalendar.china(), method)(**kwargs)


def of(make: Callable[[], Any], method: str) -> Callable[..., Any]:
    return lambda **kwargs: getattr(make(), method)(**kwargs)


def evaluation() -> Any:
    return licensing.Evaluation(SUBJECT, "road_transport", 2025, 90, dt.date(2026, 1, 10))


def scale() -> GradeScale:
    return w.policy().domains["road_transport"].scale


def auth_file() -> str:
    """An auth file with one officer's token (written once per process)."""
    global _AUTH
    if _AUTH is None:
        handle, _AUTH = tempfile.mkstemp(suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(
                f'[[tokens]]\nactor = "officer-1"\nroles = ["case_officer"]\n'
                f'sha256 = "{service.hash_token("cf_token")}"\n'
            )
    return _AUTH


_AUTH: str | None = None


def read(reader: Callable[..., Any]) -> Callable[..., Any]:
    return lambda **kwargs: list(reader(**kwargs))


ENTRIES: tuple[Entry, ...] = (
    # ---------------------------------------------------------------- core
    Entry("Uscc", Uscc, {"code": SUBJECT_ID}),
    Entry("Uscc.parse", Uscc.parse, {"text": SUBJECT_ID}),
    Entry("ResidentId", ResidentId, {"code": value(RESIDENT)}),
    Entry("ResidentId.parse", ResidentId.parse, {"text": value(RESIDENT)}),
    Entry(
        "ResidentId.masked",
        of(lambda: ResidentId.parse(RESIDENT), "masked"),
        {"keep_start": value(6), "keep_end": value(4)},
    ),
    Entry("is_valid_uscc", creditflow.is_valid_uscc, {"code": SUBJECT_ID}),
    Entry("is_valid_resident_id", creditflow.is_valid_resident_id, {"code": value(RESIDENT)}),
    Entry("uscc_check_character", core.uscc_check_character, {"first17": value(SUBJECT[:17])}),
    Entry(
        "resident_id_check_character",
        core.resident_id_check_character,
        {"first17": value(RESIDENT[:17])},
    ),
    Entry(
        "organisation_code_check_character",
        core.organisation_code_check_character,
        {"body": value("00000001")},
    ),
    Entry(
        "Subject",
        Subject,
        {"kind": value(core.SubjectKind.ENTERPRISE), "id": SUBJECT_ID, "name": value("顺达")},
    ),
    Entry("Subject.enterprise", Subject.enterprise, {"uscc": SUBJECT_ID, "name": value("顺达")}),
    Entry("Subject.person", Subject.person, {"resident_id": value(RESIDENT), "name": value("张")}),
    Entry("Subject.vehicle", Subject.vehicle, {"plate": value("黑A12345"), "name": value("车")}),
    Entry(
        "Subject.vessel", Subject.vessel, {"vessel_id": value("CN20161234567"), "name": value("船")}
    ),
    Entry("Severity.parse", Severity.parse, {"value": value("serious")}),
    Entry("Label", Label, {"zh": value("中"), "en": value("en")}),
    Entry("Label.get", of(lambda: Label("中", "en"), "get"), {"lang": value("zh")}),
    Entry(
        "Facts",
        creditflow.Facts,
        {
            "domain": value("road_transport"),
            "grade": value("B"),
            "lists": value(()),
            "flags": value(()),
        },
    ),
    Entry(
        "CreditRecord",
        creditflow.CreditRecord,
        {
            "record_id": value("r-1"),
            "subject_id": SUBJECT_ID,
            "domain": value("road_transport"),
            "kind": value("penalty"),
            "severity": value("serious"),
            "decided_on": ON,
        },
    ),
    Entry("GradeScale.rank", of(scale, "rank"), {"grade": value("B")}),
    Entry("GradeScale.is_worse", of(scale, "is_worse"), {"grade": value("B"), "than": value("C")}),
    Entry("GradeScale.grade_for", of(scale, "grade_for"), {"score": value(80)}),
    # ---------------------------------------------------------------- calendar
    Entry("Period", Period, {"amount": value(3), "unit": value("months")}),
    Entry("Period.parse", Period.parse, {"text": value("3 months")}),
    Entry("Period.days", Period.days, {"amount": value(3)}),
    Entry("Period.workdays", Period.workdays, {"amount": value(3)}),
    Entry("Period.weeks", Period.weeks, {"amount": value(3)}),
    Entry("Period.months", Period.months, {"amount": value(3)}),
    Entry("Period.years", Period.years, {"amount": value(3)}),
    Entry("WorkdayCalendar.china", WorkdayCalendar.china, {"published_through": value(2026)}),
    Entry("WorkdayCalendar.is_published", calendar_method("is_published"), {"year": value(2026)}),
    Entry(
        "WorkdayCalendar.prepare",
        calendar_method("prepare"),
        {"first": value(2025), "last": value(2027)},
    ),
    Entry(
        "WorkdayCalendar.is_workday",
        calendar_method("is_workday"),
        {"d": ON, "provisional": value(False)},
    ),
    Entry(
        "WorkdayCalendar.add_workdays",
        calendar_method("add_workdays"),
        {"d": ON, "n": value(5), "provisional": value(False)},
    ),
    Entry(
        "WorkdayCalendar.workdays_between",
        calendar_method("workdays_between"),
        {"a": ON, "b": value(dt.date(2026, 7, 1)), "provisional": value(False)},
    ),
    Entry(
        "WorkdayCalendar.add_period",
        calendar_method("add_period"),
        {"d": ON, "period": value(Period.parse("3 months")), "provisional": value(False)},
    ),
    # ---------------------------------------------------------------- policy
    Entry("load_policy", creditflow.load_policy, {"source": value("national-transport"), "on": ON}),
    Entry("read_policy", creditflow.read_policy, {"source": value("national-transport"), "on": ON}),
    Entry(
        "check_policy", creditflow.check_policy, {"source": value("national-transport"), "on": ON}
    ),
    Entry("builtin_versions", creditflow.builtin_versions, {}),
    Entry("pack_schema_path", creditflow.policy.pack_schema_path, {}),
    Entry("Policy.in_force", of(POLICY, "in_force"), {"on": ON}),
    Entry("Policy.diff", of(POLICY, "diff"), {"other": w.old_policy}),
    Entry(
        "PackVersion.in_force", of(lambda: creditflow.builtin_versions()[0], "in_force"), {"on": ON}
    ),
    # ---------------------------------------------------------------- rules
    Entry("Engine", creditflow.Engine, {"policy": POLICY}),
    Entry(
        "Engine.decide",
        of(w.engine, "decide"),
        {"facts": value(creditflow.Facts("road_transport", "B"))},
    ),
    Entry(
        "Engine.decide_many",
        of(w.engine, "decide_many"),
        {"facts": value([creditflow.Facts("road_transport", "B")])},
    ),
    Entry(
        "Engine.trace",
        of(w.engine, "trace"),
        {"facts": value(creditflow.Facts("road_transport", "B", lists={"watch"}))},
    ),
    Entry(
        "Decision.explain",
        of(lambda: w.engine().decide(creditflow.Facts("road_transport", "B")), "explain"),
        {"lang": value("en")},
    ),
    Entry("compile_table", rules.compile_table, {"policy": POLICY}),
    Entry("analyse_policy", workflows.analyse_policy, {"policy": POLICY}),
    Entry("reference_table", rules.reference_table, {"policy": POLICY}),
    Entry("format_ratio", rules.format_ratio, {"ratio": value(Fraction(1, 20))}),
    # ---------------------------------------------------------------- workflows
    Entry("Actor", workflows.Actor, {"id": value("officer-1"), "roles": value({"case_officer"})}),
    Entry("Case.deadline", of(lambda: w.book().get(LISTING), "deadline"), {"name": value("x")}),
    Entry(
        "DeadlineState.overdue",
        of(lambda: w.book().get(LISTING).deadlines[0], "overdue"),
        {"on": ON},
    ),
    Entry("Machine.transition", of(lambda: workflows.LISTING, "transition"), {"event": value("x")}),
    Entry(
        "Machine.deadlines_of", of(lambda: workflows.LISTING, "deadlines_of"), {"event": value("x")}
    ),
    Entry(
        "DeadlineRule.setting_for",
        of(lambda: workflows.LISTING.deadlines[0], "setting_for"),
        {"data": value({})},
    ),
    Entry(
        "addresses",
        workflows.addresses,
        {"policy": POLICY, "path": value("repair.fraud_ban")},
    ),
    Entry(
        "machine_problems",
        workflows.machine_problems,
        {
            "machine": value(workflows.LISTING),
            "guards": value(workflows.GUARDS),
            "effects": value(workflows.EFFECTS),
        },
    ),
    # ---------------------------------------------------------------- book
    Entry(
        "CreditBook",
        cbook.CreditBook,
        {"store": cbook.MemoryStore, "policy": POLICY, "calendar": WorkdayCalendar.china},
    ),
    Entry("CreditBook.memory", cbook.CreditBook.memory, {"policy": value("national-transport")}),
    Entry(
        "CreditBook.open_case",
        on_book("open_case"),
        {
            "kind": value("record.general"),
            "subject": SUBJECT_ID,
            "on": ON,
            "actor": value(OFFICER),
            "idempotency_key": value("k"),
            "domain": value("road_transport"),
            "record_kind": value("penalty"),
            "decided_on": value(dt.date(2026, 5, 30)),
            "summary": value("罚款"),
            "decision": value({"amount": "5000", "items": ["罚款"]}),  # any JSON: nested values
        },
    ),
    Entry(
        "CreditBook.fire",
        on_book("fire"),
        {
            "case_id": value(LISTING),
            "event": value("remove_early"),
            "on": value(dt.date(2027, 6, 1)),
            "actor": value(OFFICIAL),
            "expected_version": value(4),
            "idempotency_key": value("k"),
            "summary": value("x"),
        },
    ),
    Entry("CreditBook.get", on_book("get"), {"case_id": value(LISTING)}),
    Entry(
        "CreditBook.cases",
        on_book("cases"),
        {"subject_id": SUBJECT_ID, "machine": value("listing"), "open_only": value(True)},
    ),
    Entry("CreditBook.knows", on_book("knows"), {"subject_id": SUBJECT_ID}),
    Entry("CreditBook.status", on_book("status"), {"subject_id": SUBJECT_ID, "on": ON}),
    Entry("CreditBook.overdue", on_book("overdue"), {"on": ON}),
    Entry("CreditBook.run_due", on_book("run_due"), {"on": ON}),
    Entry("CreditBook.policy_on", on_book("policy_on"), {"on": ON}),
    Entry("CreditBook.events", on_book("events"), {"case_id": value(LISTING), "after": value(1)}),
    Entry(
        "CreditBook.verify",
        on_book("verify"),
        {"anchors": value([f"0:{'0' * 64}"]), "deep": value(True)},
    ),
    Entry("Anchor.parse", cbook.Anchor.parse, {"text": value(f"0:{'0' * 64}")}),
    Entry("Anchor", cbook.Anchor, {"seq": value(0), "hash": value("0" * 64)}),
    Entry(
        "MemoryStore.cases",
        of(cbook.MemoryStore, "cases"),
        {"subject_id": SUBJECT_ID, "machine": value("listing"), "open_only": value(True)},
    ),
    Entry(
        "MemoryStore.events",
        lambda **kwargs: list(cbook.MemoryStore().events(**kwargs)),
        {"case_id": value(LISTING), "after": value(1)},
    ),
    # ---------------------------------------------------------------- privacy, escaping, ids
    Entry("subject_id", core.subject_id, {"text": SUBJECT_ID}),
    Entry("mask_resident_id", core.mask_resident_id, {"code": value(RESIDENT)}),
    Entry("mask_resident_ids", core.mask_resident_ids, {"text": value(f"身份证 {RESIDENT}")}),
    Entry("public_id", core.public_id, {"subject_id": value(RESIDENT), "kind": value("person")}),
    Entry("escape_markdown", core.escape_markdown, {"text": value("a|b"), "in_cell": value(True)}),
    Entry("markdown_code", core.markdown_code, {"text": value("`x`")}),
    Entry("csv_cell", core.csv_cell, {"value": value("=1+1")}),
    # ---------------------------------------------------------------- licensing
    Entry(
        "check",
        creditflow.check,
        {
            "book": w.book,
            "subject_id": SUBJECT_ID,
            "purpose": value("licensing"),
            "on": ON,
            "domain": value("road_transport"),
            "new_subject": value(False),
        },
    ),
    Entry(
        "CreditCheck.applies",
        of(
            lambda: creditflow.check(
                w.book(), SUBJECT, purpose="licensing", on=w.ON, domain="road_transport"
            ),
            "applies",
        ),
        {"measure": value("x")},
    ),
    Entry(
        "grade_on",
        creditflow.grade_on,
        {
            "policy": POLICY,
            "status": w.status,
            "evaluations": value(None),
            "domain": value("road_transport"),
            "on": ON,
        },
    ),
    Entry(
        "approve_on_commitment",
        creditflow.approve_on_commitment,
        {
            "book": w.book,
            "subject_id": value(w.uscc(7)),
            "on": ON,
            "actor": value(OFFICER),
            "approval_id": value("A-1"),
            "domain": value("road_transport"),
            "new_subject": value(True),
        },
    ),
    Entry(
        "accept_with_missing_documents",
        creditflow.accept_with_missing_documents,
        {
            "book": w.book,
            "subject_id": value(w.uscc(7)),
            "on": ON,
            "actor": value(OFFICER),
            "application_id": value("A-1"),
            "domain": value("road_transport"),
            "missing": value(["x"]),
            "new_subject": value(True),
        },
    ),
    Entry(
        "verify_commitment",
        creditflow.verify_commitment,
        {
            "book": w.book,
            "case_id": value(LISTING),
            "fulfilled": value(True),
            "on": ON,
            "actor": value(OFFICER),
        },
    ),
    Entry(
        "find_commitment",
        creditflow.find_commitment,
        {"book": w.book, "approval_id": value("A-1"), "subject_id": value(None)},
    ),
    Entry(
        "overdue_commitments",
        licensing.overdue_commitments,
        {"book": w.book, "on": ON, "kind": value("approval_substitute")},
    ),
    Entry(
        "score_grade",
        licensing.score_grade,
        {"policy": POLICY, "domain": value("road_transport"), "score": value(80)},
    ),
    Entry(
        "Evaluation",
        licensing.Evaluation,
        {
            "subject_id": SUBJECT_ID,
            "domain": value("road_transport"),
            "year": value(2025),
            "score": value(90),
            "evaluated_on": value(dt.date(2026, 1, 10)),
        },
    ),
    Entry("Evaluations", licensing.Evaluations, {"evaluations": lambda: [evaluation()]}),
    Entry("Evaluations.add", of(licensing.Evaluations, "add"), {"evaluation": evaluation}),
    Entry("Evaluations.knows", of(licensing.Evaluations, "knows"), {"subject_id": SUBJECT_ID}),
    Entry(
        "Evaluations.of",
        of(licensing.Evaluations, "of"),
        {"subject_id": SUBJECT_ID, "domain": value("road_transport")},
    ),
    # ---------------------------------------------------------------- supervision
    Entry(
        "check_subject_id",
        supervision.check_subject_id,
        {"kind": value(core.SubjectKind.ENTERPRISE), "subject_id": SUBJECT_ID},
    ),
    Entry(
        "is_valid_subject_id",
        supervision.is_valid_subject_id,
        {"kind": value(core.SubjectKind.ENTERPRISE), "subject_id": SUBJECT_ID},
    ),
    Entry("check_entry", supervision.check_entry, {"entry": lambda: w.population()[0]}),
    Entry("mask_name", supervision.mask_name, {"name": value("张三")}),
    Entry(
        "public_subject",
        supervision.public_subject,
        {"inspection": lambda: w.plan().inspections[0]},
    ),
    Entry(
        "round_count",
        supervision.round_count,
        {"ratio": value(Fraction(1, 20)), "size": value(100), "rounding": value("up")},
    ),
    Entry(
        "PopulationEntry",
        supervision.PopulationEntry,
        {
            "kind": value(core.SubjectKind.ENTERPRISE),
            "subject_id": SUBJECT_ID,
            "name": value("顺达"),
            "region": value("230123"),
            "facts": value(creditflow.Facts("road_transport", "B")),
        },
    ),
    Entry(
        "PopulationEntry.of",
        supervision.PopulationEntry.of,
        {
            "subject": value(Subject.enterprise(SUBJECT, "顺达")),
            "facts": value(creditflow.Facts("road_transport", "B")),
            "region": value("230123"),
            "last_inspected": ON,
        },
    ),
    Entry(
        "Inspector",
        supervision.Inspector,
        {
            "inspector_id": value("ZF1"),
            "name": value("执法"),
            "regions": value(("230123",)),
            "domains": value(("road_transport",)),
        },
    ),
    Entry(
        "PlanSettings.of", supervision.PlanSettings.of, {"settings": lambda: w.policy().inspection}
    ),
    Entry(
        "impact",
        supervision.impact,
        {"new": POLICY, "old": w.old_policy, "population": w.population},
    ),
    Entry(
        "draw_plan",
        supervision.draw_plan,
        {
            "population": w.population,
            "engine": w.engine,
            "period": value(2026),
            "seed": value("s"),
            "inspectors": w.inspectors,
            "quarters": value(False),
            "allow_over_cap": value(False),
        },
    ),
    Entry(
        "verify_plan",
        supervision.verify_plan,
        {"plan": w.plan, "population": w.population, "inspectors": w.inspectors},
    ),
    Entry(
        "first_difference",
        supervision.first_difference,
        {"published": lambda: w.plan().to_data(), "drawn": lambda: w.plan().to_data()},
    ),
    Entry(
        "InspectionPlan.from_data",
        supervision.InspectionPlan.from_data,
        {"data": lambda: w.plan().to_data()},
    ),
    Entry(
        "plan_from_json",
        supervision.plan_from_json,
        {"text": lambda: supervision.plan_to_json(w.plan())},
    ),
    Entry("plan_to_json", supervision.plan_to_json, {"plan": w.plan}),
    Entry("plan_to_csv", supervision.plan_to_csv, {"plan": w.plan}),
    Entry("write_csv", supervision.write_csv, {"plan": w.plan, "out": io.StringIO}),
    Entry(
        "render_notice",
        supervision.render_notice,
        {"plan": w.plan, "policy": POLICY, "lang": value("zh")},
    ),
    Entry(
        "read_population",
        read(supervision.read_population),
        {"source": w.population_csv, "format": value("csv")},
    ),
    Entry(
        "read_inspectors",
        read(supervision.read_inspectors),
        {
            "source": lambda: io.StringIO(
                "inspector_id,name,regions,domains\nZF1,执法,230123,road_transport\n"
            ),
            "format": value("csv"),
        },
    ),
    Entry("read_partitions", read(supervision.read_partitions), {"source": w.population_folder}),
    # ---------------------------------------------------------------- scale
    Entry(
        "write_parquet",
        cscale.write_parquet,
        {"columns": value({"a": ["x", None]}), "path": w.parquet_path},
    ),
    # ---------------------------------------------------------------- docs
    Entry("extract_handbook", docs.extract_handbook, {"policy": POLICY}),
    Entry("handbook_pages", docs.handbook_pages, {"handbook": w.handbook, "lang": value("zh")}),
    Entry("extract_notices", docs.extract_notices, {"book": w.book, "on": ON}),
    Entry("notice_page", docs.notice_page, {"notices": w.notices, "lang": value("zh")}),
    Entry("page_markdown", docs.page_markdown, {"page": w.page}),
    Entry("page_html", docs.page_html, {"page": w.page, "lang": value("zh")}),
    Entry("diff_page", docs.diff_page, {"old": w.old_policy, "new": POLICY, "lang": value("zh")}),
    Entry(
        "site_pages",
        docs.site_pages,
        {"policy": POLICY, "lang": value("zh"), "previous": value(None), "on": ON},
    ),
    # ---------------------------------------------------------------- disclosure
    Entry(
        "ingest",
        disclosure.ingest,
        {
            "book": w.book,
            "source": w.penalties_csv,
            "kind": value("penalty"),
            "format": value("csv"),
            "on": ON,
            "chunk": value(None),
        },
    ),
    Entry(
        "read_rows", read(disclosure.read_rows), {"source": w.penalties_csv, "format": value("csv")}
    ),
    Entry(
        "check_row",
        disclosure.check_row,
        {
            "kind": lambda: w.policy().catalogue.kinds["penalty"],
            "row": w.penalty_row,
            "source": value("in.csv"),
            "line": value(2),
            "units": value(frozenset({"enforcement"})),
            "domains": value(frozenset({"road_transport"})),
        },
    ),
    Entry(
        "penalty_severity",
        disclosure.penalty_severity,
        {"catalogue": lambda: w.policy().catalogue, "values": w.penalty_row},
    ),
    Entry(
        "compute_rates",
        disclosure.compute_rates,
        {
            "book": w.book,
            "population": value({SUBJECT: "enforcement"}),
            "period": value("2026-Q2"),
            "rejected": value(()),
            "on": ON,
        },
    ),
    Entry("ReportingPeriod.parse", disclosure.ReportingPeriod.parse, {"text": value("2026-Q3")}),
    Entry(
        "read_population_units",
        disclosure.read_population_units,
        {"source": lambda: io.StringIO(f"subject_id,unit\n{SUBJECT},enforcement\n")},
    ),
    Entry("read_rejected", disclosure.read_rejected, {"source": lambda: io.StringIO("")}),
    Entry(
        "read_evidence",
        disclosure.read_evidence,
        {
            "source": lambda: io.StringIO(
                '{"item": "news", "on": "2026-01-02", "evidence": "e", "officer": "o"}\n'
            )
        },
    ),
    Entry(
        "read_credit_checks",
        disclosure.read_credit_checks,
        {
            "source": lambda: io.StringIO(
                '{"purpose": "bidding", "domain": "road_transport", "on": "2026-01-02"}\n'
            )
        },
    ),
    Entry("dual_publication_feed", disclosure.dual_publication_feed, {"book": w.book, "on": ON}),
    Entry(
        "assess",
        disclosure.assess,
        {
            "book": w.book,
            "policy": lambda: creditflow.load_policy("ziyang-transport@2026.1"),
            "period": value("2026"),
            "population": value({SUBJECT: ""}),
            "rejected": value(()),
            "evidence": value(()),
            "checks": value(()),
        },
    ),
    # ---------------------------------------------------------------- service
    Entry("hash_token", service.hash_token, {"token": value("cf_token")}),
    Entry("new_token", service.new_token, {}),
    Entry("read_auth_file", service.read_auth_file, {"path": auth_file}),
    Entry("openapi_document", service.openapi_document, {}),
    Entry("openapi_text", service.openapi_text, {}),
    # ---------------------------------------------------------------- demo
    Entry(
        "DemoSettings",
        demo.DemoSettings,
        {"subjects": value(10), "seed": value(1), "force": value(False)},
    ),
)
"""The entry points; :func:`creditflow.cli.main` is fuzzed apart, with argv and files."""

NOT_ENTRY_POINTS: dict[str, str] = {
    # results and records the library builds and hands out; their constructors do not validate
    **dict.fromkeys(
        (
            "ActiveListing",
            "Address",
            "AnalysisReport",
            "CalendarDate",
            "Case",
            "CaseRow",
            "ClosedRows",
            "ChainReport",
            "Change",
            "CommitmentApproval",
            "Consequence",
            "CreditCheck",
            "CreditStatus",
            "Decision",
            "DecisionTable",
            "DirectionViolation",
            "DeadlineState",
            "DemoReport",
            "Effect",
            "Gap",
            "GroupImpact",
            "GradeInForce",
            "GradeRow",
            "Handbook",
            "HistoryEntry",
            "ImpactReport",
            "InspectionPlan",
            "Inspection",
            "InspectorLoad",
            "Invariant",
            "NewEvent",
            "Notices",
            "OrderViolation",
            "Overlap",
            "PackVersion",
            "Page",
            "PlanCount",
            "PlanSettings",
            "PublishedRecord",
            "RuleMatch",
            "RepairEligibility",
            "StoredEvent",
            "Stratum",
            "Trace",
            "CommitmentVerification",
            "Overdue",
            "PlanVerification",
            "WorkdayCount",
            "AssessmentReport",
            "CheckedRow",
            "CreditCheckEntry",
            "Evidence",
            "FailingRow",
            "Feed",
            "FeedEntry",
            "IngestReport",
            "ItemResult",
            "Rate",
            "RatesReport",
            "RejectedRow",
            "RowProblem",
            "UnitRates",
        ),
        "a result type: built by creditflow, not from a caller's input",
    ),
    # policy model types: built by the loader from a validated pack, never by callers
    **dict.fromkeys(
        (
            "Basis",
            "CommitmentKind",
            "DecisionRule",
            "DecisionRules",
            "Domain",
            "Flag",
            "Grade",
            "GradeScale",
            "InspectionSettings",
            "ListKind",
            "Measure",
            "ObjectionSettings",
            "Policy",
            "Provision",
            "RepairSettings",
            "SeverityRule",
            "DeadlineRule",
            "Machine",
            "Transition",
            "Severity",
            "Source",
            "HitPolicy",
            "Assessment",
            "AssessmentItem",
            "Catalogue",
            "CatalogueField",
            "RecordKind",
        ),
        "a policy or machine declaration: built and validated by the loader or the module",
    ),
    "EventStore": "a Protocol",
    "PopulationFiles": "what read_partitions returns (fuzzed); its paths are checked there",
    "TableResult": "a result type: built by creditflow, not from a caller's input",
    "Progress": "a type of callback, not a callable of creditflow",
    **dict.fromkeys(
        ("draw_plan", "verify_plan", "decide_table", "grade_table", "local_client"),
        "these of creditflow.scale need a running Dask cluster: tests/scale drives them, bad "
        "inputs and rows included, on a LocalCluster (and draw_plan, verify_plan of "
        "supervision are fuzzed here)",
    ),
    "open_store": "opens or creates a database file: its arguments are checked in "
    "tests/book/test_stores.py, as write_plan's are through the CLI",
    "SqliteStore": "store internals are the lead's (issue 13); its filters are fuzzed through "
    "CreditBook and MemoryStore and tested in tests/book/test_argument_types.py",
    "MemoryStore": "its cases/events are entries; its other methods take rows from the book",
    "WorkdayCalendar": "built by china() (an entry); from_days takes the holiday data itself",
    "run_demo": "runs for seconds per call; DemoSettings is fuzzed, and the demo by tests/demo",
    "write_plan": "writes files: test_cli_fuzz drives it through `creditflow plan`",
    "write_site": "writes files: test_cli_fuzz drives it through `creditflow docs`",
    "main": "fuzzed apart with argv and files (test_cli_fuzz.py)",
    "AuthFile": "a result type: read_auth_file builds it (an entry)",
    "Principal": "a result type: read_auth_file builds it (an entry)",
    "JwtSettings": "a result type: read_auth_file builds it from the [jwt] table (an entry)",
    "ServiceSettings": "plain settings that create_app reads; tests/service drive every value "
    "through `creditflow serve` and schemathesis",
    "create_app": "starts nothing until served; tests/service serve it on loopback and fuzz "
    "every operation with schemathesis",
    "serve": "runs a server until interrupted: tests/service start it as `creditflow serve`",
}
"""Public callables that are not fuzzed as entry points, and why."""
