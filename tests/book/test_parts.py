"""The book's parts: one façade whose calls are the documented ones, and the transition
context built in one place."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
from pathlib import Path
from typing import Any

import creditflow.book
from _people import published_listing
from creditflow.book import CreditBook, MemoryStore
from creditflow.workflows import Case

BOOK = Path(creditflow.book.__file__).parent
DOCS = Path(__file__).resolve().parents[2] / "docs" / "book.md"


def _public_calls() -> set[str]:
    return {
        name
        for name, value in vars(CreditBook).items()
        if not name.startswith("_")
        and callable(getattr(CreditBook, name))
        and not isinstance(value, property)
    }


def _documented_calls() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Calls", 1)[1].lstrip("\n").split("\n\n", 1)[0]
    first_cells = [row.split(" | ")[0] for row in table.splitlines()[2:]]
    calls = {
        name
        for cell in first_cells
        for name in re.findall(r"`(?:with )?(?:CreditBook\.)?(\w+)\(", cell)
    }
    return calls | {"close", "policy_on"}  # documented in the text around the table


def test_the_facade_offers_the_documented_calls() -> None:
    assert _public_calls() == _documented_calls()


def test_every_call_of_the_facade_is_documented_on_the_class() -> None:
    for name in _public_calls():
        assert inspect.getdoc(getattr(CreditBook, name)), name


def test_the_transition_context_is_built_in_one_place() -> None:
    builders = [
        f"{path.name}:{node.lineno}"
        for path in sorted(BOOK.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("TransitionContext")
    ]
    assert len(builders) == 1 and builders[0].startswith("_transitions.py:"), builders


def test_each_part_is_a_small_module_that_says_its_job_first() -> None:
    for name in ("_commands", "_unit", "_queries", "_scheduler", "_log", "_repository",
                 "_transitions", "_policies", "_cases", "stores", "book"):  # fmt: skip
        text = (BOOK / f"{name}.py").read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text))
        assert doc, name
        assert len(text.splitlines()) < 300, f"{name}.py has grown past 300 lines: split it"


def test_run_due_fires_through_the_books_own_calls() -> None:
    """A book that extends ``fire`` (an audit log, say) sees the automatic ends too."""
    fired: list[str] = []

    class Audited(CreditBook):
        def fire(self, case_id: str, event: str, **kwargs: Any) -> Case:
            fired.append(event)
            return super().fire(case_id, event, **kwargs)

    with Audited(MemoryStore(), policy="national-transport") as book:
        published_listing(book, "watch")
        fired.clear()
        ends = book.run_due(on=dt.date(2030, 1, 1))
    assert len(ends) == len(fired) > 0
    assert set(fired) <= {"expire", "end"}
