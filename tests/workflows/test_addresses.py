"""One address per rule: every guard refuses under a policy setting path, with the pack's basis
at that path; every guard, deadline and effect has an address the handbook shows.

A seeded refusal's test id names its pack, path and guard: ``pytest -k lists.serious.duration``
runs the refusals under that setting.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import creditflow
from _people import DECISION, ME, OFFICER, OFFICIAL, SUBJECT
from creditflow.book.book import SYSTEM, CreditBook
from creditflow.core.escaping import markdown_code
from creditflow.core.labels import Language
from creditflow.docs import extract_handbook, handbook_pages, page_markdown
from creditflow.docs.citations import source_mark
from creditflow.docs.document import Code, Rich, Table, plain
from creditflow.docs.labels import text
from creditflow.errors import NotPermitted, TransitionRefused
from creditflow.policy.model import Policy
from creditflow.workflows import GUARDS, MACHINES, addresses
from creditflow.workflows.effects import EFFECT_PATHS, EFFECTS
from creditflow.workflows.guards import GUARD_PATHS

PACKS = {  # each built-in pack, and a day it is in force
    "national-transport@2026.1": dt.date(2026, 5, 6),
    "national-transport@2019.1": dt.date(2024, 5, 6),
    "lindian-transport@2026.1": dt.date(2026, 5, 6),
}
DAY = dt.timedelta(days=1)


def expected_basis(policy: Policy, path: str) -> str:
    """The pack's basis at ``path``, read from its plain data (not the library's lookup):
    the deepest table or value on the path that has one."""
    node: Any = policy.to_data()
    basis = node["basis"]["text"]
    for part in path.split("."):
        if part not in node and "events" in node:  # permissions.<machine>.<event>
            node = node["events"]
        node = node[part]
        if node is None:
            break
        if isinstance(node, dict) and isinstance(node.get("basis"), dict):
            basis = node["basis"]["text"]
    return str(basis)


# ---------------------------------------------------------------- seeds: one refusal per guard


def _listing(book: CreditBook, on: dt.date, kind: str = "serious", publish: bool = True) -> str:
    case = book.open_case(
        f"listing.{kind}", SUBJECT, on=on, actor=OFFICER, domain="road_transport",
        grounds="g", basis="b",
    ).case_id  # fmt: skip
    if kind != "red":
        book.fire(case, "notify", on=on, actor=OFFICER)
    if publish:
        book.fire(case, "decide", on=on + 14 * DAY, actor=OFFICIAL, **DECISION)
        book.fire(case, "publish", on=on + 15 * DAY, actor=OFFICER)
    return case


def _record(book: CreditBook, on: dt.date, decided: dt.date, **data: Any) -> str:
    fields = {"domain": "road_transport", "record_kind": "penalty", "decided_on": decided,
              "summary": "罚款"}  # fmt: skip
    return book.open_case(
        "record.general", SUBJECT, on=on, actor=OFFICER, **(fields | data)
    ).case_id


def _repair(book: CreditBook, target: str, on: dt.date) -> str:
    promise = book.open_case(
        "commitment.repair", SUBJECT, on=on, actor=ME, domain="road_transport", summary="承诺"
    ).case_id
    materials = list(book.policy_on(on).repair.materials.value)
    return book.open_case(
        "repair", SUBJECT, on=on, actor=ME, target=target, materials=materials,
        obligations_fulfilled=True, commitment_case=promise,
    ).case_id  # fmt: skip


def _accepted_repair(book: CreditBook, on: dt.date) -> str:
    repair = _repair(book, _record(book, on, on - 200 * DAY), on)
    book.fire(repair, "accept", on=on, actor=OFFICER)
    return repair


def _approved_repair(book: CreditBook, on: dt.date) -> str:
    repair = _accepted_repair(book, on)
    book.fire(repair, "approve", on=on, actor=OFFICIAL)
    return repair


def _commitment(domain: str, **data: Any) -> Callable[[CreditBook, dt.date], object]:
    def seed(book: CreditBook, on: dt.date) -> object:
        return book.open_case(
            "commitment.approval_substitute", SUBJECT, on=on, actor=ME, domain=domain,
            summary="告知承诺", **data,
        )  # fmt: skip

    return seed


def _expire_too_early(book: CreditBook, on: dt.date) -> object:
    return book.fire(_listing(book, on), "expire", on=on + 30 * DAY, actor=SYSTEM)


def _remove_too_early(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on)
    return book.fire(listing, "remove_early", on=on + 30 * DAY, actor=SYSTEM, repair_case="x")


def _remove_without_repair(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on)
    return book.fire(listing, "remove_early", on=on + 400 * DAY, actor=SYSTEM, repair_case="x")


def _restore_without_revoked_repair(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on)
    book.fire(listing, "revoke", on=on + 20 * DAY, actor=OFFICIAL, summary="撤销")
    return book.fire(listing, "restore", on=on + 21 * DAY, actor=SYSTEM, repair_case="x")


def _annul_without_objection(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on)
    return book.fire(listing, "annul", on=on + 20 * DAY, actor=SYSTEM, objection_case="x")


def _end_record_early(book: CreditBook, on: dt.date) -> object:
    record = _record(book, on, on)
    return book.fire(record, "end", on=on + DAY, actor=SYSTEM, reason="r")


def _restore_record_without_cause(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on)
    book.fire(listing, "revoke", on=on + 20 * DAY, actor=OFFICIAL, summary="撤销")
    record = f"{listing}.record"
    return book.fire(record, "restore", on=on + 21 * DAY, actor=SYSTEM, reason="r", cause="x")


def _extend_too_often(book: CreditBook, on: dt.date) -> object:
    repair = _accepted_repair(book, on)
    for _ in range(book.policy_on(on).repair.max_extensions.value):
        book.fire(repair, "extend", on=on, actor=OFFICIAL, summary="延期")
    return book.fire(repair, "extend", on=on, actor=OFFICIAL, summary="延期")


def _system_revokes_without_breach(book: CreditBook, on: dt.date) -> object:
    return book.fire(_approved_repair(book, on), "revoke", on=on, actor=SYSTEM, summary="撤销")


def _repair_too_early(book: CreditBook, on: dt.date) -> object:
    repair = _repair(book, _record(book, on, on), on + DAY)
    return book.fire(repair, "accept", on=on + DAY, actor=OFFICER)


def _object_to_a_proposal(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on, publish=False)
    return book.open_case("objection", SUBJECT, on=on, actor=ME, target=listing, summary="异议")


def _object_too_late(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on, publish=False)
    return book.fire(listing, "object", on=on + 20 * DAY, actor=ME, summary="异议")


def _decide_too_early(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on, "watch", publish=False)
    return book.fire(listing, "decide", on=on + DAY, actor=OFFICIAL, **DECISION)


def _notify_red(book: CreditBook, on: dt.date) -> object:
    listing = _listing(book, on, "red", publish=False)
    return book.fire(listing, "notify", on=on, actor=OFFICER)


def _record_decided_later(book: CreditBook, on: dt.date) -> object:
    return _record(book, on, on + DAY)


def _record_with_fraud_window(book: CreditBook, on: dt.date) -> object:
    return _record(book, on, on, window="repair.fraud_publication")


def _licence(book: CreditBook, on: dt.date, **data: Any) -> str:
    fields = {"domain": "road_transport", "document_number": "资交许〔2026〕1号",
              "item": "道路运输经营许可", "decided_on": on}  # fmt: skip
    return book.open_case(
        "licence.ordinary", SUBJECT, on=on, actor=OFFICER, **(fields | data)
    ).case_id


def _licence_decided_later(book: CreditBook, on: dt.date) -> object:
    return _licence(book, on, decided_on=on + DAY)


def _expire_valid_licence(book: CreditBook, on: dt.date) -> object:
    licence = _licence(book, on, valid_until=on + 30 * DAY)
    return book.fire(licence, "expire", on=on + 30 * DAY, actor=OFFICER)


def _revoke_for_no_commitment(book: CreditBook, on: dt.date) -> object:
    licence = _licence(book, on)
    return book.fire(licence, "revoke", on=on, actor=OFFICIAL, summary="违诺撤销",
                     commitment_case="no-such-case")  # fmt: skip


SEEDS: dict[tuple[str, str], Callable[[CreditBook, dt.date], object]] = {
    ("known_domain", "domains"): _commitment("nowhere", approval_id="A-1"),
    ("approval_named", "commitments.approval_substitute.breach_consequences"): _commitment(
        "road_transport"
    ),
    ("decision_date", "severities.general.publication_max"): _record_decided_later,
    ("publication_window", "repair.fraud_publication"): _record_with_fraud_window,
    ("statement_required", "lists.red.statement_period"): _notify_red,
    ("statement_done", "lists.watch.statement_period"): _decide_too_early,
    ("within_objection_window", "lists.serious.objection_window"): _object_too_late,
    ("expiry_reached", "lists.serious.duration"): _expire_too_early,
    ("minimum_listing_passed", "lists.serious.early_removal_after"): _remove_too_early,
    ("repair_approved", "repair"): _remove_without_repair,
    ("repair_revoked", "repair"): _restore_without_revoked_repair,
    ("objection_upheld", "objections"): _annul_without_objection,
    ("publication_over", "severities.general.publication_max"): _end_record_early,
    ("end_undone", "severities.serious.publication_max"): _restore_record_without_cause,
    ("repair_eligible", "severities.general.publication_min"): _repair_too_early,
    ("extension_available", "repair.max_extensions"): _extend_too_often,
    ("revocation_grounds", "repair"): _system_revokes_without_breach,
    ("objection_target", "objections"): _object_to_a_proposal,
    ("licence_dates", "catalogue.kinds.licensing"): _licence_decided_later,
    ("validity_over", "catalogue.kinds.licensing"): _expire_valid_licence,
    ("breached_commitment", "catalogue.kinds.licensing"): _revoke_for_no_commitment,
}


def _matches(template: str, path: str) -> bool:
    pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^.]+", re.escape(template))
    return re.fullmatch(pattern, path) is not None


@pytest.mark.parametrize(
    ("key", "guard", "path"),
    [(key, guard, path) for key in PACKS for guard, path in SEEDS],
    ids=[f"{key}:{path}:{guard}" for key in PACKS for guard, path in SEEDS],
)
def test_every_guard_refuses_with_the_basis_at_its_path(key: str, guard: str, path: str) -> None:
    policy = creditflow.load_policy(key)
    with CreditBook.memory(policy=policy) as book, pytest.raises(TransitionRefused) as info:
        SEEDS[guard, path](book, PACKS[key])
    refused = info.value
    assert not isinstance(refused, NotPermitted), str(refused)
    assert (refused.guard, refused.path, refused.rule) == (guard, path, path), str(refused)
    assert refused.basis is not None
    assert refused.basis == expected_basis(policy, path)
    assert any(_matches(t, path) for t in GUARD_PATHS[guard])
    assert f"rule {path}; basis: {refused.basis}" in str(refused)


def test_every_guard_is_seeded_and_has_an_address() -> None:
    assert {guard for guard, _ in SEEDS} == set(GUARDS)
    assert set(GUARD_PATHS) == set(GUARDS)
    assert set(EFFECT_PATHS) == set(EFFECTS)
    assert all(GUARD_PATHS.values()) and all(EFFECT_PATHS.values())


@pytest.mark.parametrize("key", PACKS)
def test_every_address_resolves_to_the_packs_basis(key: str) -> None:
    """Every guard, deadline and effect of every machine, expanded over the pack's kinds."""
    policy = creditflow.load_policy(key)
    found = addresses(policy)
    for machine in MACHINES.values():
        named = {a.name for a in found if a.machine == machine.name}
        assert named >= {g for t in machine.transitions for g in (*t.guards, *t.effects)}
        assert named >= {d.name for d in machine.deadlines}
    for address in found:
        assert address.basis.text == expected_basis(policy, address.path), address
        assert "{" not in address.path
        assert _matches(address.template, address.path)


@pytest.mark.parametrize("key", PACKS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handbook_shows_every_address_with_its_basis(key: str, lang: Language) -> None:
    policy = creditflow.load_policy(key)
    _, workflows = handbook_pages(extract_handbook(policy), lang)
    (table,) = [b for b in workflows.blocks if isinstance(b, Table) and len(b.header) == 7
                and b.header[0] == text("path", lang)]  # fmt: skip
    # path and name are identifiers (code), the workflow its label in the page's language
    shown = {(plain(row[0]), row[1], _code(row[3])): row[-1] for row in table.rows}
    for address in addresses(policy):
        mark = source_mark(address.basis.source, lang, short=True)
        marked = text("basis_marked", lang).format(basis=address.basis.text, mark=mark)
        expected = marked if mark else address.basis.text  # not from a full text: marked
        machine = text(f"machine.{address.machine}", lang)
        assert shown[address.path, machine, address.name] == expected
    page = page_markdown(workflows)
    for address in addresses(policy):
        assert markdown_code(address.path) in page


def _code(cell: object) -> str:
    """The identifier shown as code in a cell (a word for people comes before it)."""
    if isinstance(cell, str):  # the word is the identifier
        return cell
    assert isinstance(cell, Rich)
    (code,) = [p for p in cell.parts if isinstance(p, Code)]
    return code.text


def test_the_workflows_page_shows_every_address() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "workflows.md").read_text("utf-8")
    for address in addresses(creditflow.load_policy("national-transport@2026.1")):
        assert f"| `{address.path}` | {address.machine} | {address.part} | {address.name} |" in (
            page
        )


def test_addresses_of_one_path() -> None:
    policy = creditflow.load_policy("national-transport@2026.1")
    found = addresses(policy, "commitments.approval_substitute.breach_consequences")
    assert {(a.part, a.name) for a in found} == {
        ("guard", "approval_named"),
        ("effect", "breach_consequences"),
    }
    assert {a.code for a in found} == {
        "creditflow.workflows.guards.approval_named",
        "creditflow.workflows.effects.breach_consequences",
    }


def test_a_refusal_by_the_roles_has_the_permissions_path() -> None:
    policy = creditflow.load_policy("national-transport@2026.1")
    on = PACKS[policy.key]
    with CreditBook.memory(policy=policy) as book:
        listing = _listing(book, on, publish=False)
        with pytest.raises(NotPermitted) as info:
            book.fire(listing, "decide", on=on + 20 * DAY, actor=OFFICER, **DECISION)
    path = "permissions.listing.decide"
    assert (info.value.path, info.value.rule) == (path, path)
    assert info.value.basis == expected_basis(policy, path)


def test_guards_refuse_only_through_the_one_helper() -> None:
    """``refuse`` is the only place a guard's Refusal is built, so none can skip the basis."""
    from creditflow.workflows import guards

    source = inspect.getsource(guards)
    assert source.count("Refusal(") == 1
    assert "return Refusal(reason, compared=compared, rule=where, basis=basis.text)" in source
