"""The demo report's charts, drawn by matplotlib (the ``demo`` extra) as SVG files.

matplotlib is imported only here, when charts are drawn: ``import creditflow`` and the rest of
the demo never need it. Without it, :func:`draw_charts` raises ``ModuleNotFoundError`` naming
the extra to install. Labels are in Chinese and English; the first Chinese font installed is
used (Debian: ``fonts-noto-cjk`` or ``fonts-wqy-microhei``). The SVGs carry no date, so the same
run draws the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from creditflow.demo.report import DemoReport
from creditflow.demo.report_labels import both, label

__all__ = ["CHARTS", "FONTS", "draw_charts"]

FONTS = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", "DejaVu Sans"]
"""Fonts asked for, Chinese first."""

_MONTHS = [f"{m}月" for m in range(1, 13)]
_COLOURS = ["#2f6690", "#3a7ca5", "#81c3d7", "#d9a441", "#c0504d", "#6b8e23"]


def _pyplot() -> Any:
    try:
        import matplotlib
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "the demo's charts need matplotlib: pip install 'creditflow[demo]'", name="matplotlib"
        ) from error
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {"font.sans-serif": FONTS, "font.family": "sans-serif", "axes.unicode_minus": False,
         "svg.hashsalt": "creditflow", "figure.dpi": 100}
    )  # fmt: skip
    return plt


def _grades(plt: Any, r: DemoReport) -> Any:
    """Grade distribution per domain: grouped bars, grades in scale order."""
    domains = list(r.grades_by_domain)
    grades = list(dict.fromkeys(g for counts in r.grades_by_domain.values() for g in counts))
    figure, axes = plt.subplots(figsize=(9, 4.2))
    step = 0.8 / max(len(grades), 1)
    for i, grade in enumerate(grades):
        xs = [d + i * step for d in range(len(domains))]
        ys = [r.grades_by_domain[d].get(grade, 0) for d in domains]
        axes.bar(xs, ys, step, label=grade, color=_COLOURS[i % len(_COLOURS)])
    axes.set_xticks([d + 0.4 - step / 2 for d in range(len(domains))])
    axes.set_xticklabels([label(f"domain.{d}", r.labels).zh for d in domains])
    axes.set_ylabel(both(label("subjects")))
    axes.legend(title=both(label("grade")), ncols=len(grades))
    return figure


def _listings(plt: Any, r: DemoReport) -> Any:
    """Listings published and removed, repairs approved, month by month."""
    figure, axes = plt.subplots(figsize=(9, 3.8))
    for i, key in enumerate(("listings_published", "listings_removed", "repairs_approved")):
        axes.plot(_MONTHS, r.monthly.get(key, (0,) * 12), marker="o", color=_COLOURS[i * 2 % 6],
                  label=both(label(f"series.{key}")))  # fmt: skip
    axes.set_ylabel(both(label("count")))
    axes.legend()
    return figure


def _deadlines(plt: Any, r: DemoReport) -> Any:
    """Deadlines met in time and missed, by the month of their last day (stacked)."""
    met = r.monthly.get("deadlines_met", (0,) * 12)
    missed = r.monthly.get("deadlines_missed", (0,) * 12)
    figure, axes = plt.subplots(figsize=(9, 3.8))
    axes.bar(_MONTHS, met, color=_COLOURS[1], label=both(label("series.deadlines_met")))
    axes.bar(_MONTHS, missed, bottom=met, color=_COLOURS[4],
             label=both(label("series.deadlines_missed")))  # fmt: skip
    axes.set_ylabel(both(label("count")))
    axes.legend()
    return figure


def _inspections(plt: Any, r: DemoReport) -> Any:
    """Subjects drawn and inspections held, per quarter."""
    quarters = [q for q, _, _ in r.quarters]
    figure, axes = plt.subplots(figsize=(6, 3.8))
    xs = range(len(quarters))
    axes.bar([x - 0.2 for x in xs], [d for _, d, _ in r.quarters], 0.4, color=_COLOURS[0],
             label=both(label("series.drawn")))  # fmt: skip
    axes.bar([x + 0.2 for x in xs], [n for _, _, n in r.quarters], 0.4, color=_COLOURS[3],
             label=both(label("series.inspections")))  # fmt: skip
    axes.set_xticks(list(xs))
    axes.set_xticklabels(quarters)
    axes.legend()
    return figure


CHARTS: tuple[tuple[str, Callable[[Any, DemoReport], Any]], ...] = (
    ("grades", _grades),
    ("listings", _listings),
    ("deadlines", _deadlines),
    ("inspections", _inspections),
)
"""Each chart: its name (the file ``<name>.svg``, the title ``chart.<name>``) and its drawing."""


def draw_charts(report: DemoReport, folder: Path) -> list[Path]:
    """Draw every chart of :data:`CHARTS` into ``folder`` as SVG; return the files."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in CHARTS:
        figure = draw(plt, report)
        figure.suptitle(both(label(f"chart.{name}")))
        figure.tight_layout()
        path = folder / f"{name}.svg"
        figure.savefig(path, format="svg", metadata={"Date": None})
        plt.close(figure)
        written.append(path)
    return written
