"""Every zh page of every built-in pack is in Chinese: no identifier outside code.

The pages rendered: the handbook (rules and workflows, diagrams drawn), the diff from the
previous version of the same pack, and the public notices of a book. An identifier is a name
from the declarations or the pack (``make``, ``case_officer``, ``known_domain``,
``road_transport``, ``workdays``...) or any ``snake_case`` word; it may appear only inside a
code span or a code block, which are for developers.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from _docbook import FIRM, PERSON, published_listing

from creditflow.book.book import CreditBook
from creditflow.calendar.periods import PeriodUnit
from creditflow.docs import (
    diff_page,
    extract_handbook,
    extract_notices,
    handbook_pages,
    notice_page,
    page_markdown,
)
from creditflow.docs.document import Code, Page, Paragraph, Rich
from creditflow.policy import builtin_versions
from creditflow.policy.model import Policy
from creditflow.rules.loading import load_policy
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.settings import case_kinds

KEYS = [f"{v.name}@{v.version}" for v in builtin_versions()]
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_TAG = re.compile(r"<[^>]*>")
_SNAKE = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z]+)+(?![\w.@/-])")


def identifiers(policy: Policy) -> set[str]:
    """Every name a zh page could leak: the workflows' and the pack's."""
    names = {u.value for u in PeriodUnit}
    for machine in MACHINES.values():
        names |= {machine.name, *machine.states, *case_kinds(policy, machine.kinds)}
        for t in machine.transitions:
            names |= {t.event, *t.guards, *t.effects, *t.required, *t.optional}
            names |= set(policy.permissions.roles(machine.name, t.event))
        names |= {d.name for d in machine.deadlines}
    names |= set(policy.domains) | set(policy.lists) | set(policy.commitments)
    names |= {rule.rule_id for rule in policy.decisions.rules} | set(policy.measures)
    names |= set(policy.purposes) | set(policy.flags)
    return {n for n in names if len(n) > 2}


def prose(markdown: str) -> str:
    """What a reader reads as text: no code block, code span or tag (an SVG's text stays)."""
    return _TAG.sub(" ", _CODE_SPAN.sub(" ", _FENCE.sub(" ", markdown)))


def leaks(page: Page, policy: Policy) -> list[str]:
    text = prose(page_markdown(page)).replace("\\_", "_")
    found = set(_SNAKE.findall(text))
    for name in identifiers(policy):
        if re.search(rf"(?<![\w.@/-]){re.escape(name)}(?![\w.@/-])", text):
            found.add(name)
    return sorted(found)


def zh_pages(key: str) -> list[Page]:
    policy = load_policy(key)
    pages = list(handbook_pages(extract_handbook(policy), "zh"))
    older = [v for v in builtin_versions() if v.name == policy.name and v.version != policy.version]
    pages += [diff_page(load_policy(f"{v.name}@{v.version}"), policy, "zh") for v in older]
    on = max(policy.effective_from, dt.date(2027, 5, 21))
    if policy.name == "national-transport" and policy.effective_to is None:
        book = CreditBook.memory(policy=key)
        published_listing(book, FIRM, "watch")
        published_listing(book, PERSON, "serious")
        pages.append(notice_page(extract_notices(book, on), "zh"))
    return pages


@pytest.mark.parametrize("key", KEYS)
def test_every_zh_page_shows_no_identifier_outside_code(key: str) -> None:
    policy = load_policy(key)
    for page in zh_pages(key):
        assert leaks(page, policy) == [], page.slug


def test_the_check_finds_an_identifier_left_in_prose() -> None:
    policy = load_policy(KEYS[0])
    shown = Page(
        "x",
        "x",
        (
            Paragraph(
                Rich(("经办人 ", Code("case_officer"))),
            ),
        ),
    )
    leaked = Page("x", "x", (Paragraph("由 case_officer 办理，30 workdays"),))
    assert leaks(shown, policy) == []
    assert leaks(leaked, policy) == ["case_officer", "workdays"]
