"""State diagrams drawn by Graphviz into the pages, in the page's language, with a fallback to
Mermaid that is said once on stderr where ``dot`` is absent.

CI installs Graphviz (.ci/run); a missing ``dot`` fails these tests there rather than skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from creditflow.core.labels import Label
from creditflow.docs import extract_handbook, handbook_pages, page_html, page_markdown
from creditflow.docs.diagrams import machine_dot
from creditflow.docs.document import Diagram
from creditflow.docs.handbook import _names
from creditflow.docs.labels import word
from creditflow.rules.loading import load_policy

SRC = Path(__file__).resolve().parents[2] / "src"
KEY = "national-transport@2026.1"


def _dot() -> None:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is not installed: apt-get install graphviz (.ci/run does)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_machine_is_drawn_as_svg_labelled_in_the_page_language(lang: str) -> None:
    _dot()
    handbook = extract_handbook(load_policy(KEY))
    _, workflows = handbook_pages(handbook, lang)  # type: ignore[arg-type]
    diagrams = [b for b in workflows.blocks if isinstance(b, Diagram)]
    assert len(diagrams) == len(handbook.machines) >= 5
    for machine, diagram in zip(handbook.machines, diagrams, strict=True):
        assert diagram.svg is not None and diagram.svg.startswith("<svg")
        drawn = set(re.findall(r"<text[^>]*>([^<]*)</text>", diagram.svg))
        states = {word("state", s, lang) for s in machine.states}  # type: ignore[arg-type]
        assert states <= drawn, states - drawn
        assert "<!--" not in diagram.svg and "<?xml" not in diagram.svg  # embeds in a page
    markdown, html = page_markdown(workflows), page_html(workflows, lang=lang)  # type: ignore[arg-type]
    assert "```mermaid" not in markdown and 'class="mermaid"' not in html
    assert markdown.count('<figure class="diagram"') == len(diagrams)
    assert "\n\n" not in markdown.split('<figure class="diagram"')[1].split("</figure>")[0]


def test_the_dot_source_names_states_by_neutral_ids_and_labels_them() -> None:
    handbook = extract_handbook(load_policy(KEY))
    listing = next(m for m in handbook.machines if m.name == "listing")
    source = machine_dot(listing, "zh")
    assert '[label="拟列入"]' in source and "作出列入决定\\n[陈述申辩期已过或已放弃]" in source
    assert "proposed" not in source and "statement_done" not in source


def test_without_dot_the_pages_fall_back_to_mermaid_and_say_so_once(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()  # a PATH with no dot on it: the real program cannot be found
    env = {**os.environ, "PATH": str(bare), "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "creditflow", "docs", "--format", "html", "-o", "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "creditflow: note: Graphviz's dot is not installed (apt-get install graphviz): state "
        "diagrams are shown as Mermaid source and tables"
    ]
    page = (tmp_path / "out" / "workflows.html").read_text(encoding="utf-8")
    assert page.count('<pre class="mermaid">stateDiagram-v2') >= 5 and "<svg" not in page


def test_zh_labels_that_hold_a_list_comma_are_joined_by_a_semicolon() -> None:
    labels = (Label("无事不扰、减少现场检查", "Fewer checks"), Label("绿色通道", "Fast track"))
    assert _names(labels, "zh") == "无事不扰、减少现场检查；绿色通道"
    assert _names(labels[1:] * 2, "zh") == "绿色通道、绿色通道"
    assert _names(labels, "en") == "Fewer checks, Fast track"
