"""No full resident ID in an exception message, str(), repr() or a public output (Order 36).

Every error class and every value type that can hold a person's id is built with one, and the
text it shows is searched for the whole ID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow import errors
from creditflow.book.book import CreditBook
from creditflow.core import Facts, ResidentId, Subject
from creditflow.core.identifiers import resident_id_check_character
from creditflow.core.privacy import (
    mask_name,
    mask_resident_id,
    mask_resident_ids,
    public_id,
)
from creditflow.licensing import Evaluation, Evaluations, check
from creditflow.rules import load_policy
from creditflow.supervision import Inspection, Inspector, PopulationEntry
from creditflow.workflows import Actor

PERSON = "11010519491231002X"
MASKED = "110105********002X"
MISTYPED = "110105194912310021"  # a wrong check character: still a person's ID
SHORT = "11010519491231002"  # one character missing
USCC = "91350100M000100Y43"
D = dt.date(2026, 5, 6)


class _Report:
    """Stands for an AnalysisReport: the problems it names."""

    def __init__(self, problem: errors.PolicyProblem) -> None:
        self._problem = problem

    def problems(self, source: str) -> list[errors.PolicyProblem]:
        return [self._problem]


def _error_cases() -> dict[str, Callable[[], errors.CreditflowError]]:
    """One instance of every error class, carrying the person's ID wherever it can."""
    problem = errors.PolicyProblem("pack.toml", "lists.serious", f"held by {PERSON}")
    return {
        "CreditflowError": lambda: errors.CreditflowError(f"subject {PERSON}"),
        "InvalidInput": lambda: errors.InvalidInput(f"subject_id {PERSON!r} is wrong"),
        "InvalidIdentifier": lambda: errors.InvalidIdentifier("resident ID", MISTYPED, "check"),
        "InvalidDate": lambda: errors.InvalidDate(PERSON, PERSON),
        "InvalidPeriod": lambda: errors.InvalidPeriod(PERSON, f"not {PERSON}"),
        "InvalidFacts": lambda: errors.InvalidFacts(f"facts of {PERSON}"),
        "InvalidRow": lambda: errors.InvalidRow("people.csv", 2, f"{PERSON} twice", field="id"),
        "DateBeforeBook": lambda: errors.DateBeforeBook(D, None),
        "UnknownName": lambda: errors.UnknownName("subject", PERSON, [PERSON], where=PERSON),
        "UnknownPolicy": lambda: errors.UnknownPolicy(PERSON, [PERSON]),
        "UnknownCase": lambda: errors.UnknownCase(f"listing-{PERSON}"),
        "UnknownSubject": lambda: errors.UnknownSubject(PERSON),
        "NoPolicyInForce": lambda: errors.NoPolicyInForce(PERSON, D, [PERSON]),
        "CalendarUnknown": lambda: errors.CalendarUnknown(D, (2020, 2026)),
        "PolicyError": lambda: errors.PolicyError("pack.toml", [problem]),
        "PolicyAnalysisError": lambda: errors.PolicyAnalysisError("pack.toml", _Report(problem)),
        "InfeasiblePlan": lambda: errors.InfeasiblePlan(f"subject {PERSON}", stratum=PERSON),
        "TransitionRefused": lambda: errors.TransitionRefused(
            f"actor {PERSON}", case_id=f"c-{PERSON}", basis=f"grounds {PERSON}"
        ),
        "NotPermitted": lambda: errors.NotPermitted(f"actor {PERSON} may not", case_id="c-1"),
        "Conflict": lambda: errors.Conflict(f"c-{PERSON}", 1, 2),
        "IdempotencyKeyReused": lambda: errors.IdempotencyKeyReused(
            f"key-{PERSON}", f"c-{PERSON}", "notify"
        ),
        "BookUnavailable": lambda: errors.BookUnavailable(f"/books/{PERSON}.sqlite", PERSON),
        "BookCorrupt": lambda: errors.BookCorrupt(f"bad {PERSON}", case_id=f"c-{PERSON}"),
        "EngineFailure": lambda: errors.EngineFailure(f"subject {PERSON}"),
        "MissingExtra": lambda: errors.MissingExtra("postgres", "psycopg", f"the book of {PERSON}"),
    }


def _shown(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), *map(str, error.args)])


def test_the_sweep_covers_every_error_class() -> None:
    classes = {n for n in errors.__all__ if n != "PolicyProblem"}
    assert classes <= set(_error_cases())


@pytest.mark.parametrize("name", sorted(_error_cases()))
def test_no_error_shows_a_whole_resident_id(name: str) -> None:
    error = _error_cases()[name]()
    shown = _shown(error)
    for whole in (PERSON, MISTYPED):
        assert whole not in shown, shown


def test_a_mistyped_resident_id_is_echoed_masked_but_kept_in_the_fields() -> None:
    for typed in (MISTYPED, SHORT, PERSON.lower(), "11010519491231002X9"):
        with pytest.raises(errors.InvalidIdentifier) as caught:
            ResidentId.parse(typed)
        assert typed not in _shown(caught.value)
        assert caught.value.value == typed  # the structured field keeps it for the caller
    with pytest.raises(errors.InvalidIdentifier) as caught:
        ResidentId.parse(MISTYPED)
    assert str(caught.value).startswith("invalid resident ID '110105********0021': check")


def test_the_reprs_of_values_holding_a_person_mask_the_id() -> None:
    policy = load_policy("national-transport@2026.1")
    book = CreditBook.memory(policy=policy)
    officer = Actor(PERSON, {"subject"})
    case = book.open_case(
        "commitment.voluntary",
        PERSON,
        on=D,
        actor=officer,
        domain="road_transport",
        summary=f"承诺人 {PERSON}",
    )
    evaluation = Evaluation(PERSON, "road_transport", 2026, 90, D)
    facts = Facts("road_transport", "B")
    credit_check = check(
        book,
        PERSON,
        purpose="licensing",
        on=D,
        domain="road_transport",
        evaluations=Evaluations([evaluation]),
    )
    values = {
        "ResidentId": ResidentId(PERSON),
        "Subject": Subject.person(PERSON, "张三"),
        "Actor": officer,
        "Case": book.get(case.case_id),
        "CreditStatus": book.status(PERSON, on=D),
        "CreditCheck": credit_check,
        "Evaluation": evaluation,
        "StoredEvent": next(iter(book.events())),
        "PopulationEntry": PopulationEntry.of(Subject.person(PERSON, "张三"), facts, "110105"),
        "Inspector": Inspector(PERSON, "李四", {"110105"}, {"road_transport"}, {PERSON}),
        "Inspection": Inspection(
            "2026",
            PERSON,
            "person",
            "张*",
            "110105",
            "road_transport",
            "B",
            "s",
            1,
            "ab",
            (PERSON,),
        ),
    }
    for name, value in values.items():
        assert PERSON not in repr(value), name
        assert MASKED in repr(value), name


def test_errors_raised_by_the_book_and_the_check_mask_the_id() -> None:
    policy = load_policy("national-transport@2026.1")
    book = CreditBook.memory(policy=policy)
    maker = Actor(USCC, {"subject"})
    book.open_case(
        "commitment.voluntary", USCC, on=D, actor=maker, domain="road_transport", summary="x"
    )
    with pytest.raises(errors.NotPermitted) as refused:
        book.open_case(
            "commitment.voluntary",
            USCC,
            on=D,
            actor=Actor(PERSON, {"case_officer"}),
            domain="road_transport",
            summary="x",
        )
    with pytest.raises(errors.UnknownSubject) as unknown:
        check(book, PERSON, purpose="licensing", on=D, domain="road_transport")
    for error in (refused.value, unknown.value):
        assert PERSON not in _shown(error)


def test_the_mask_is_the_documented_one() -> None:
    assert mask_resident_id(PERSON) == MASKED == ResidentId(PERSON).masked()
    assert mask_resident_id(SHORT) == "110105*******1002"  # 17 characters: 7 hidden
    assert mask_resident_id("1234") == "****"
    assert public_id(PERSON) == MASKED
    assert public_id(USCC) == USCC
    assert public_id(PERSON, "person") == MASKED
    assert mask_name("张三丰") == "张**"


def test_ids_in_free_text_are_masked_and_credit_codes_are_not() -> None:
    text = (
        f"当事人{PERSON}（身份证），误填{MISTYPED}；企业{USCC}；"
        f"id={PERSON.lower()}, hash 9f{PERSON}ab, seq 1{PERSON}"
    )
    masked = mask_resident_ids(text)
    assert MISTYPED not in masked
    assert f"当事人{MASKED}（身份证）" in masked
    assert f"误填{mask_resident_id(MISTYPED)}；" in masked
    assert f"企业{USCC}；" in masked
    assert f"id={mask_resident_id(PERSON.lower())}," in masked
    # a run inside a longer token (a hash, a longer number) is not an ID on its own
    assert f"9f{PERSON}ab" in masked and f"1{PERSON}" in masked


def _valid_ids() -> st.SearchStrategy[str]:
    first17 = st.from_regex(r"[1-8][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9])[0-9]{3}",
                            fullmatch=True)  # fmt: skip
    return first17.map(lambda head: head + resident_id_check_character(head))


@given(st.text(max_size=20), _valid_ids(), st.text(max_size=20))
def test_an_id_anywhere_in_text_between_non_alphanumerics_is_masked(
    before: str, person: str, after: str
) -> None:
    before = before + " "
    after = "，" + after
    masked = mask_resident_ids(before + person + after)
    assert person not in masked
    assert mask_resident_id(person) in masked


@pytest.mark.parametrize(
    "typed",
    ["11010519491231002", "110105194912310021X", "110105-19491231-002X", "11010519491231002Y",
     "1101051949123100"],
)  # fmt: skip
def test_a_mistyped_resident_id_of_any_shape_is_not_echoed(typed: str) -> None:
    """Found by review: a 16-20 character attempt at a resident ID came back whole."""
    import datetime as dt

    from creditflow.book.book import CreditBook

    with (
        CreditBook.memory(policy="national-transport") as book,
        pytest.raises(errors.InvalidIdentifier) as raised,
    ):
        book.status(typed, on=dt.date(2026, 6, 1))
    assert typed not in str(raised.value) and typed not in repr(raised.value)
    assert "19491231" not in str(raised.value)
    assert raised.value.value == typed
