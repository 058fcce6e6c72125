"""The [catalogue] table: read into the model, every rule of its format refused where it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from _decisions import PERSON, penalty

import creditflow
from _packs import national_data
from creditflow.calendar.periods import Period
from creditflow.core.severity import Severity
from creditflow.disclosure import penalty_severity
from creditflow.errors import PolicyAnalysisError, PolicyError
from creditflow.policy.loader import policy_from_data
from creditflow.policy.model import Source
from creditflow.workflows.soundness import analyse_policy


def problems_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(PolicyError) as info:
        policy_from_data(data, "test.toml")
    return {p.key: p.reason for p in info.value.problems}


def penalty_fields(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["catalogue"]["kinds"]["penalty"]["fields"]  # type: ignore[no-any-return]


def field(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in penalty_fields(data) if f["name"] == name)


@pytest.mark.parametrize("key", ["national-transport@2026.1", "national-transport@2019.1"])
def test_the_national_packs_carry_the_catalogue(key: str) -> None:
    catalogue = creditflow.load_policy(key).catalogue
    assert catalogue is not None
    assert list(catalogue.kinds) == [
        "licensing", "penalty", "commitment", "evaluation", "list_entry", "repair",
    ]  # fmt: skip
    deadline = catalogue.publication_deadline
    assert deadline.value == Period.parse("7 workdays")
    assert deadline.basis.source is Source.COPY
    assert "国发〔2016〕33号" in deadline.basis.text and "7个工作日" in deadline.basis.text
    assert set(catalogue.units) == {"bureau", "road_transport", "highway", "waterway",
                                    "enforcement"}  # fmt: skip
    for name in ("licensing", "penalty"):
        kind = catalogue.kinds[name]
        assert kind.dual_publication and kind.key == "document_number"
        assert not kind.field("unit").published  # type: ignore[union-attr]
    assert not catalogue.kinds["commitment"].dual_publication


def test_the_published_fields_are_those_of_the_local_notice() -> None:
    catalogue = creditflow.load_policy("national-transport@2026.1").catalogue
    assert catalogue is not None
    published = {
        name: {f.name for f in catalogue.kinds[name].fields if f.published}
        for name in ("licensing", "penalty")
    }
    licensing = {"document_number", "item", "category", "content", "party", "party_name",
                 "decided_on", "valid_until", "authority"}  # fmt: skip
    penalty = {"document_number", "title", "category", "grounds", "basis", "party", "result",
               "decided_on", "authority"}  # fmt: skip
    assert published["licensing"] >= licensing
    assert published["penalty"] >= penalty


@pytest.mark.parametrize(
    ("category", "amount", "severity", "rule"),
    [
        ("warning", "0", Severity.MINOR, "warning"),
        ("fine", "2999.99", Severity.MINOR, "small-fine"),
        ("fine", "3000", Severity.MINOR, "small-fine"),
        ("fine", "3000.01", Severity.GENERAL, "default"),
        ("fine", "99999.99", Severity.GENERAL, "default"),
        ("fine", "100000", Severity.SERIOUS, "very-large-fine"),
        ("confiscation", "0", Severity.GENERAL, "default"),
        ("licence_revocation", "0", Severity.SERIOUS, "licence"),
        ("closure", "0", Severity.SERIOUS, "business"),
    ],
)
def test_the_severity_of_a_penalty_follows_the_first_matching_rule(
    category: str, amount: str, severity: Severity, rule: str
) -> None:
    rules = creditflow.load_policy("national-transport@2026.1").catalogue.severity  # type: ignore[union-attr]
    assert rules is not None
    found, rule_id, basis = rules.severity(category, Decimal(amount), "organisation")
    assert (found, rule_id) == (severity, rule)
    assert basis.text


@pytest.mark.parametrize(
    ("amount", "severity", "rule"),
    [
        ("199", Severity.MINOR, "small-fine-person"),
        ("200", Severity.MINOR, "small-fine-person"),
        ("200.01", Severity.GENERAL, "default"),
        ("2999", Severity.GENERAL, "default"),
    ],
)
def test_a_person_is_fined_small_only_up_to_the_limit_for_citizens(
    amount: str, severity: Severity, rule: str
) -> None:
    # Administrative Penalty Law Art. 51: 二百元以下 for a citizen, 三千元以下 for an
    # organisation; 以下 includes the amount itself (Civil Code art. 1259)
    policy = creditflow.load_policy("national-transport@2026.1")
    assert policy.catalogue is not None
    row = penalty(1, party=PERSON, party_name="张三", amount=amount)
    assert penalty_severity(policy.catalogue, row) == severity
    rules = policy.catalogue.severity
    assert rules is not None
    assert rules.severity("fine", Decimal(amount), "person")[:2] == (severity, rule)


def test_a_pack_without_a_catalogue_loads_and_keeps_its_digest() -> None:
    data = national_data()
    del data["catalogue"]
    policy = policy_from_data(data, "test.toml")
    assert policy.catalogue is None
    assert "catalogue" not in policy.to_data()


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        (
            lambda d: d["catalogue"].pop("publication_deadline"),
            "catalogue.publication_deadline",
            "missing",
        ),
        (
            lambda d: d["catalogue"].update(publication_deadline="7 wrkdays"),
            "catalogue.publication_deadline",
            "unit",
        ),
        (lambda d: d["catalogue"].pop("basis"), "catalogue.basis", "missing"),
        (lambda d: d["catalogue"].update(colour="red"), "catalogue.colour", "unknown key"),
        (
            lambda d: d["catalogue"]["units"].update(Bad={"label": {"zh": "x", "en": "x"}}),
            "catalogue.units.Bad",
            "not a name",
        ),
        (
            lambda d: d["catalogue"]["units"]["bureau"].pop("label"),
            "catalogue.units.bureau.label",
            "missing",
        ),
        (
            lambda d: d["catalogue"]["kinds"]["penalty"].pop("key"),
            "catalogue.kinds.penalty.key",
            "missing",
        ),
        (
            lambda d: d["catalogue"]["kinds"]["penalty"].update(key="nothing"),
            "catalogue.kinds.penalty.key",
            "not one of the kind's fields",
        ),
        (
            lambda d: field(d, "document_number").update(required=False),
            "catalogue.kinds.penalty.key",
            "must be required",
        ),
        (
            lambda d: d["catalogue"]["kinds"]["penalty"].update(dual_publication="yes"),
            "catalogue.kinds.penalty.dual_publication",
            "boolean",
        ),
        (
            lambda d: field(d, "title").update(type="money"),
            "catalogue.kinds.penalty.fields[1].type",
            "not one of",
        ),
        (
            lambda d: field(d, "title").pop("published"),
            "catalogue.kinds.penalty.fields[1].published",
            "missing",
        ),
        (
            lambda d: field(d, "title").update(values=["a"]),
            "catalogue.kinds.penalty.fields[1].values",
            "only an enum",
        ),
        (
            lambda d: field(d, "category").update(values=[]),
            "catalogue.kinds.penalty.fields[2].values",
            "at least one value",
        ),
        (
            lambda d: field(d, "document_number").pop("pattern"),
            "catalogue.kinds.penalty.fields[0].pattern",
            "missing",
        ),
        (
            lambda d: field(d, "document_number").update(pattern="(["),
            "catalogue.kinds.penalty.fields[0].pattern",
            "not a regular expression",
        ),
        (
            lambda d: field(d, "decided_on").update(pattern="x"),
            "catalogue.kinds.penalty.fields[9].pattern",
            "only a document_number or text",
        ),
        (
            lambda d: field(d, "title").update(max_length=0),
            "catalogue.kinds.penalty.fields[1].max_length",
            "at least 1",
        ),
        (
            lambda d: penalty_fields(d).append(dict(field(d, "title"))),
            "catalogue.kinds.penalty.fields",
            "repeat",
        ),
        (
            lambda d: penalty_fields(d).append("title"),
            "catalogue.kinds.penalty.fields[13]",
            "must be a table",
        ),
        (
            lambda d: d["catalogue"]["severity"].update(category_field="title"),
            "catalogue.severity.category_field",
            "not an enum field",
        ),
        (
            lambda d: d["catalogue"]["severity"].update(amount_field="category"),
            "catalogue.severity.amount_field",
            "not an amount field",
        ),
        (
            lambda d: d["catalogue"]["severity"].update(default="grave"),
            "catalogue.severity.default",
            "not a severity",
        ),
        (
            lambda d: d["catalogue"]["severity"]["rules"][0].update(categories=["scolding"]),
            "catalogue.severity.rules[0].categories[0]",
            "not declared",
        ),
        (
            lambda d: d["catalogue"]["severity"]["rules"][1].update(max_amount="-5"),
            "catalogue.severity.rules[1].max_amount",
            "amount in yuan",
        ),
        (
            lambda d: d["catalogue"]["severity"]["rules"][1].update(min_amount="5000"),
            "catalogue.severity.rules[1].max_amount",
            "above min_amount",
        ),
        (
            lambda d: d["catalogue"]["severity"]["rules"][1].update(id="warning"),
            "catalogue.severity.rules",
            "repeat",
        ),
        (lambda d: d["catalogue"]["kinds"].pop("penalty"), "catalogue.severity", "penalty kind"),
    ],
)
def test_every_catalogue_mistake_is_named_where_it_is(change: Any, where: str, says: str) -> None:
    data = national_data()
    change(data)
    problems = problems_of(data)
    assert where in problems, problems
    assert says in problems[where], problems[where]


def test_a_zero_publication_deadline_fails_the_one_check() -> None:
    data = national_data()
    data["catalogue"]["publication_deadline"] = "0 workdays"
    policy = policy_from_data(data, "test.toml")
    report = analyse_policy(policy)
    assert any(p.key == "catalogue.publication_deadline" for p in report.policy_problems)
    with pytest.raises(PolicyAnalysisError):
        creditflow.CreditBook.memory(policy=policy).policy_on(dt.date(2026, 5, 6))


def test_the_licence_kinds_are_the_catalogues_approval_categories() -> None:
    from creditflow.workflows.settings import case_kinds

    policy = creditflow.load_policy("national-transport@2026.1")
    assert case_kinds(policy, "licence_categories") == (
        "ordinary", "franchise", "recognition", "approval", "registration", "other",
    )  # fmt: skip
    data = national_data()
    del data["catalogue"]
    assert case_kinds(policy_from_data(data, "t.toml"), "licence_categories") == ()
