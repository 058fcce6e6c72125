"""The demo report as a page of the HTML site (``report.html``): the same sections as the text
report (:data:`creditflow.demo.report_text.SECTIONS`) as tables, and the charts."""

from __future__ import annotations

from collections.abc import Sequence

from creditflow.demo.report import DemoReport
from creditflow.demo.report_labels import both, label
from creditflow.demo.report_text import Section, report_sections
from creditflow.docs.document import Block, Bullets, Figure, Heading, Page, Paragraph, Table

__all__ = ["report_page"]


def report_page(
    report: DemoReport,
    charts: Sequence[str] = (),
    note: str = "",
    more: Sequence[Section] = (),
) -> Page:
    """The report page; ``charts`` are chart files (``charts/grades.svg``...) relative to the
    page, ``note`` says why there are none; ``more`` are sections after :data:`SECTIONS`
    (collection and disclosure)."""
    r = report
    title = both(label("title"))
    blocks: list[Block] = [
        Heading(1, title),
        Bullets((f"{r.subjects} subjects, seed {r.seed}, {r.events} events",)),
    ]
    if charts or note:
        blocks.append(Heading(2, both(label("charts"))))
        blocks += [Figure(src, both(label(f"chart.{_name(src)}"))) for src in charts]
        blocks += [Paragraph(note)] if note else []
    for section in (*report_sections(report), *more):
        blocks.append(Heading(2, both(label(section.title))))
        if section.rows:
            header = section.header or ("",) * len(section.rows[0])
            blocks.append(Table(header, section.rows))
        if section.lines:
            blocks.append(Bullets(section.lines))
    blocks.append(Paragraph(f"Book anchor (账本锚点): {r.anchor} — creditflow verify --db BOOK "
                            f"--anchor {r.anchor}"))  # fmt: skip
    return Page("report", title, tuple(blocks))


def _name(src: str) -> str:
    return src.rsplit("/", 1)[-1].removesuffix(".svg")
