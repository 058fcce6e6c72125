"""MkDocs hook: write the handbook of every built-in policy pack before the site is built.

The pages come from :mod:`creditflow.docs`, the same generator users run, so the published
handbook is always the packs the code ships. They are written to ``docs/handbook/`` (not
kept in git) in Chinese and English.
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
