"""The workflow pages in docs/ are generated from the declarations and kept current."""

from __future__ import annotations

from pathlib import Path

import creditflow
from creditflow.workflows import LISTING
from creditflow.workflows.render import mermaid, workflows_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def test_the_docs_page_is_what_the_declarations_render() -> None:
    expected = workflows_markdown(creditflow.load_policy("national-transport@2026.1"))
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/workflows.md is stale: regenerate it with workflows_markdown"
    )


def test_the_diagram_has_every_transition_with_its_guards() -> None:
    diagram = mermaid(LISTING)
    assert diagram.startswith("stateDiagram-v2\n    [*] --> proposed: propose")
    assert "    notified --> decided: decide [statement_done]" in diagram
    assert "    published --> removed: remove_early [minimum_listing_passed, repair_approved]" in (
        diagram
    )
    assert "    dropped --> [*]" in diagram
