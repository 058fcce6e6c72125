"""MkDocs hooks: write the handbook of every built-in policy pack before the site is built,
and draw the state diagrams of ``workflows.md``.

The pages come from :mod:`creditflow.docs`, the same generator users run, so the published
handbook is always the packs the code ships. They are written to ``docs/handbook/`` (not
kept in git) in Chinese and English, their state diagrams drawn as SVG by Graphviz.
``workflows.md`` keeps its Mermaid source in git (it reads on a code host and a test keeps it
current); on the site each diagram is replaced by the same machine drawn as SVG.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

PACKS = (
    "national-transport@2026.1",
    "national-transport@2019.1",
    "lindian-transport@2026.1",
    "ziyang-transport@2026.1",
)


def on_pre_build(config: Any, **_: Any) -> None:
    """Write ``docs/handbook/<pack>-<version>.<lang>[.workflows].md``."""
    source = Path(config["config_file_path"]).parent / "src"
    if str(source) not in sys.path:  # the source tree, installed or not
        sys.path.insert(0, str(source))
    import creditflow
    from creditflow.docs import extract_handbook, handbook_pages, page_markdown

    out = Path(config["docs_dir"]) / "handbook"
    out.mkdir(exist_ok=True)
    for key in PACKS:
        handbook = extract_handbook(creditflow.load_policy(key))
        for lang in ("zh", "en"):
            rules, workflows = handbook_pages(handbook, lang)
            name = key.replace("@", "-")
            (out / f"{name}.{lang}.md").write_text(page_markdown(rules), encoding="utf-8")
            text = page_markdown(workflows)
            (out / f"{name}.{lang}.workflows.md").write_text(text, encoding="utf-8")


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """On ``workflows.md``, each ```` ```mermaid ```` diagram, in the order of the machines,
    becomes that machine's SVG (kept as Mermaid where Graphviz is absent)."""
    if page.file.src_uri != "workflows.md":
        return markdown
    import creditflow
    from creditflow.docs import extract_handbook
    from creditflow.docs.diagrams import machine_diagram
    from creditflow.docs.document import Page
    from creditflow.docs.markdown import page_markdown

    machines = iter(extract_handbook(creditflow.load_policy("national-transport@2026.1")).machines)
    parts = markdown.split("```mermaid\n")
    out = [parts[0]]
    for part in parts[1:]:
        _, rest = part.split("\n```", 1)
        drawn = page_markdown(Page("x", "x", (machine_diagram(next(machines), "en"),)))
        out.append(drawn.rstrip("\n") + rest)
    return "".join(out)
