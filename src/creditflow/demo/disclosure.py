"""The demo's collection and disclosure: a year of 双公示 decisions ingested, rated and assessed.

After the simulated year, the units' licensing and penalty decisions of the year (synthetic,
fixed by the seed) are written as CSV files and ingested into the book. A few rows are bad on
purpose (an amount that is no number, a missing ground, a document number in the wrong form, an
unknown unit) and a few publications are late or missing, so that the rates are not all 100 %
and the overdue list is not empty. Then the rates of the year and of each quarter, the overdue
publications on the last day, the 双公示 feed and the self-assessment by the Ziyang indicator
table are written under ``disclosure/`` in the output folder, and summed up in the report.

Units follow the member's domain (:data:`UNIT_OF_DOMAIN`); every licence implies a credit check
for licensing in its domain, which is the log the assessment reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from creditflow.book import CreditBook
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.labels import LANGUAGES
from creditflow.core.subjects import SubjectKind
from creditflow.demo.population import Member, Population
from creditflow.demo.report_labels import both, label
from creditflow.demo.report_text import Section
from creditflow.disclosure import (
    RATE_NAMES,
    CreditCheckEntry,
    Evidence,
    RatesReport,
    RejectedRow,
    assess,
    compute_rates,
    dual_publication_feed,
    ingest,
)
from creditflow.docs.disclosure_pages import (
    assessment_page,
    feed_page,
    rates_html,
    rates_markdown,
    rates_page,
    render,
)
from creditflow.docs.document import Page
from creditflow.docs.markdown import page_markdown_parts
from creditflow.rules import load_policy

__all__ = ["UNIT_OF_DOMAIN", "DisclosureSection", "run_disclosure"]

UNIT_OF_DOMAIN = {
    "road_transport": "road_transport",
    "waterway_transport": "waterway",
    "highway_construction": "highway",
    "waterway_construction": "waterway",
    "work_safety": "enforcement",
}
"""The reporting unit (上报单位) of the national catalogue that reports each domain's decisions."""

LICENCES_PER_SUBJECT = 0.15
PENALTIES_PER_SUBJECT = 0.08
LATE = 0.04  # published after the 7 working days
NEVER = 0.01  # not published at all
_PENALTY_COLUMNS = (
    "document_number", "title", "category", "grounds", "basis", "party", "party_name", "result",
    "amount", "decided_on", "authority", "unit", "domain", "published_on",
)  # fmt: skip
_LICENCE_COLUMNS = (
    "document_number", "item", "category", "content", "party", "party_name", "decided_on",
    "valid_from", "valid_until", "authority", "unit", "domain", "published_on",
)  # fmt: skip
_PENALTIES = (  # category, title, amount range (yuan)
    ("warning", "警告", (0, 0)),
    ("fine", "罚款", (500, 2_999)),
    ("fine", "罚款", (3_000, 50_000)),
    ("fine", "罚款", (100_000, 300_000)),
    ("confiscation", "没收违法所得", (0, 0)),
    ("licence_suspension", "暂扣许可证件", (0, 0)),
)
_AUTHORITY = "某市交通运输局"
_PARTIES = (SubjectKind.ENTERPRISE, SubjectKind.PERSON)
_CHUNK = 1_000
"""Rows entered per transaction: a file whole is one unit of work holding all its cases (the
same book comes out either way); a unit of work holds some 10 KB a row until it is saved."""


@attrs.frozen
class DisclosureSection:
    """What the demo's report says of collection and disclosure."""

    rows: int
    entered: int
    rejected: tuple[RejectedRow, ...]
    rates: tuple[tuple[str, tuple[str, ...]], ...]
    """The year's and each quarter's: the period and its rates (:data:`RATE_NAMES`) as
    percents. The reports themselves, whose failing rows can be most of the population, are
    written and let go."""
    overdue: tuple[tuple[str, str, dt.date, bool], ...]  # case, number, last day, provisional
    score: str
    folder: Path
    site: tuple[Page, ...] = ()
    """The rates of the year and the self-assessment as pages of the HTML site (zh)."""

    def section(self) -> Section:
        """The section of the HTML report page: the rates of the year and each quarter as a
        table, then the rejected rows, the overdue publications and the assessment's score."""
        rows = tuple((period, *percents) for period, percents in self.rates)
        lines = [f"{self.rows} decisions read, {self.entered} entered, "
                 f"{len(self.rejected)} rejected"]  # fmt: skip
        lines += [
            f"{Path(r.source).name} line {r.line}: "
            + "; ".join(f"{p.field}: {p.rule}" for p in r.problems)
            for r in self.rejected
        ]
        lines.append(f"Overdue publications (逾期未公示) on the last day: {len(self.overdue)}")
        lines += [f"{case_id} {number} due by {last_day}" + (" (provisional)" if prov else "")
                  for case_id, number, last_day, prov in self.overdue[:10]]  # fmt: skip
        lines.append(f"Self-assessment (信用交通市自评, ziyang-transport): {self.score}")
        header = (both(label("disclosure.period")), "coverage 覆盖率", "compliance 上报合规率",
                  "completeness 完整率", "timeliness 公示及时率")  # fmt: skip
        return Section("disclosure", header, rows, (False,) + (True,) * 4, tuple(lines))

    def pages(self) -> tuple[Page, ...]:
        """The rates of the year and the self-assessment as pages of the HTML site (zh)."""
        return self.site

    def to_text(self) -> str:
        """The section of the demo report (English with the Chinese terms)."""
        lines = ["", "Collection and disclosure (归集与双公示):"]
        lines.append(f"  {self.rows} decisions read, {self.entered} entered, "
                     f"{len(self.rejected)} rejected")  # fmt: skip
        for row in self.rejected:
            rules = "; ".join(f"{p.field}: {p.rule}" for p in row.problems)
            lines.append(f"    {Path(row.source).name} line {row.line}: {rules}")
        lines += ["", "Rates (三率与及时率)   coverage     compliance   completeness timeliness"]
        for period, percents in self.rates:
            cells = "".join(f" {percent:>12}" for percent in percents)
            lines.append(f"  {period:<20}{cells}")
        lines += ["", f"Overdue publications (逾期未公示) on the last day: {len(self.overdue)}"]
        for case_id, number, last_day, provisional in self.overdue[:10]:
            flag = " (provisional)" if provisional else ""
            lines.append(f"  {case_id:<16} {number:<22} due by {last_day}{flag}")
        if len(self.overdue) > 10:
            lines.append(f"  ... {len(self.overdue) - 10} more")
        lines += ["", f"Self-assessment (信用交通市自评, ziyang-transport): {self.score}",
                  f"  reports in {self.folder}"]  # fmt: skip
        return "\n".join(lines)


def run_disclosure(
    book: CreditBook, members: Population, *, seed: int, year: int, out: Path
) -> DisclosureSection:
    """Write, ingest, rate and assess a year of decisions (see the module docstring)."""
    folder = out / "disclosure"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"creditflow-demo-{seed}-disclosure")
    calendar = WorkdayCalendar.china()
    parties: Sequence[Member] = members
    if any(members.subject(i).kind not in _PARTIES for i in range(len(members))):
        parties = [m for m in members if m.subject.kind in _PARTIES]
    checks: list[CreditCheckEntry] = []
    licences = _write(folder / f"licensing-{year}.csv", _LICENCE_COLUMNS,
                      _licences(parties, rng, calendar, year, checks))  # fmt: skip
    penalties = _write(folder / f"penalties-{year}.csv", _PENALTY_COLUMNS,
                       _penalties(parties, rng, calendar, year))  # fmt: skip
    last_day = dt.date(year, 12, 31)
    reports = [
        ingest(book, licences, kind="licensing", on=last_day, chunk=_CHUNK),
        ingest(book, penalties, kind="penalty", on=last_day, chunk=_CHUNK),
    ]
    book.run_due(on=last_day)  # the scheduler's year-end run: windows ended before the ingest
    rejected = tuple(row for report in reports for row in report.rejected)
    for report in reports:
        report.write_rejected(folder / "rejected.jsonl")
    population = {members.subject(i).id: UNIT_OF_DOMAIN[members.domain(i)]
                  for i in range(len(members))}  # fmt: skip
    rates = compute_rates(book, population, str(year), rejected=rejected, on=last_day)
    for lang in ("zh", "en"):
        (folder / f"rates-{year}.{lang}.md").write_text(rates_markdown(rates, lang), "utf-8")
        (folder / f"rates-{year}.{lang}.html").write_text(rates_html(rates, lang), "utf-8")
    percents = [_percents(rates)]
    for q in range(1, 5):  # one at a time: a quarter's failing rows can be most subjects
        quarter = compute_rates(book, population, f"{year}-Q{q}", rejected=rejected, on=last_day)
        percents.append(_percents(quarter))
        del quarter
    site_rates = rates_page(rates, "zh")
    del rates
    feed = dual_publication_feed(book, on=last_day)
    with (folder / "dual-publication.jsonl").open("w", encoding="utf-8") as lines:
        lines.writelines(feed.jsonl_lines())
    with (folder / "dual-publication.zh.md").open("w", encoding="utf-8") as page:
        page.writelines(page_markdown_parts(feed_page(feed, "zh")))
    del feed
    overdue = tuple(
        (
            case.case_id,
            str(case.data["decision"]["document_number"]),
            deadline.last_day,
            deadline.provisional,
        )
        for case, deadline in book.overdue(on=last_day)
        if deadline.name == "disclosure" and deadline.met_on is None
    )
    assessment = assess(book, load_policy("ziyang-transport", on=last_day), str(year),
                        population=population, rejected=rejected,
                        evidence=_evidence(year), checks=checks)  # fmt: skip
    for lang in LANGUAGES:
        for form in ("md", "html"):
            path = folder / f"assessment-{year}.{lang}.{form}"
            path.write_text(render(assessment_page(assessment, lang), form, lang), "utf-8")
    score = (f"{float(assessment.score):g} of {assessment.computable_points} computed points; "
             f"{assessment.attested_points} attested points left to the assessors")  # fmt: skip
    entered = sum(r.entered for r in reports)
    return DisclosureSection(sum(r.rows for r in reports), entered, rejected, tuple(percents),
                             overdue, score, folder,
                             (site_rates, assessment_page(assessment, "zh")))  # fmt: skip


def _percents(report: RatesReport) -> tuple[str, tuple[str, ...]]:
    """The period of ``report`` and its region's rates as percents, in :data:`RATE_NAMES` order."""
    region = report.unit("").rates
    return report.period.label, tuple(region[name].percent() for name in RATE_NAMES)


def _write(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _days(rng: random.Random, calendar: WorkdayCalendar, year: int, n: int) -> list[dt.date]:
    """``n`` working days of ``year``, in order (decisions are made on working days)."""
    start = dt.date(year, 1, 1)
    days = [start + dt.timedelta(d) for d in range(365)]
    workdays = [d for d in days if calendar.is_workday(d)]
    return sorted(rng.choice(workdays) for _ in range(n))


def _published(rng: random.Random, calendar: WorkdayCalendar, decided: dt.date) -> str:
    roll = rng.random()
    if roll < NEVER:
        return ""
    if roll < NEVER + LATE:
        late = calendar.add_workdays(decided, rng.randint(8, 15), provisional=True).date
        return late.isoformat() if late.year == decided.year else ""
    day = calendar.add_workdays(decided, rng.randint(1, 7), provisional=True).date
    return day.isoformat() if day.year == decided.year else ""  # not yet published


def _licences(
    parties: Sequence[Member],
    rng: random.Random,
    calendar: WorkdayCalendar,
    year: int,
    checks: list[CreditCheckEntry],
) -> Iterator[dict[str, str]]:
    """The year's licences, a row at a time; each implies a credit check, added to ``checks``."""
    count = max(5, int(len(parties) * LICENCES_PER_SUBJECT))
    for n, day in enumerate(_days(rng, calendar, year, count), start=1):
        member = rng.choice(parties)
        until = day + dt.timedelta(days=4 * 365)  # a four-year licence
        row = {
            "document_number": f"榕交许〔{year}〕{n}号", "item": "道路运输经营许可",
            "category": "ordinary", "content": "准予从事道路运输经营",
            "party": member.subject.id, "party_name": member.subject.name,
            "decided_on": day.isoformat(), "valid_from": day.isoformat(),
            "valid_until": until.isoformat(), "authority": _AUTHORITY,
            "unit": UNIT_OF_DOMAIN[member.domain], "domain": member.domain,
            "published_on": _published(rng, calendar, day),
        }  # fmt: skip
        if n == 2:
            row["valid_until"] = "2020-01-01"  # bad on purpose: validity ends before the decision
        elif n == 4:
            row["unit"] = "harbour"  # bad on purpose: no such reporting unit
        checks.append(CreditCheckEntry("licensing", member.domain, day))
        yield row


def _penalties(
    parties: Sequence[Member], rng: random.Random, calendar: WorkdayCalendar, year: int
) -> Iterator[dict[str, str]]:
    """The year's penalties, a row at a time."""
    count = max(5, int(len(parties) * PENALTIES_PER_SUBJECT))
    for n, day in enumerate(_days(rng, calendar, year, count), start=1):
        member = rng.choice(parties)
        category, title, (low, high) = rng.choice(_PENALTIES)
        amount = rng.randint(low, high) if high else 0
        row = {
            "document_number": f"榕交罚〔{year}〕{n}号", "title": title, "category": category,
            "grounds": "未按规定从事道路运输经营", "basis": "《道路运输条例》",
            "party": member.subject.id, "party_name": member.subject.name,
            "result": f"{title}{amount}元" if amount else title,
            "amount": str(amount) if amount else "", "decided_on": day.isoformat(),
            "authority": _AUTHORITY, "unit": UNIT_OF_DOMAIN[member.domain],
            "domain": member.domain, "published_on": _published(rng, calendar, day),
        }  # fmt: skip
        if n == 1:
            row["amount"] = "五千"  # bad on purpose: not a number
        elif n == 3:
            row["grounds"] = ""  # bad on purpose: a required field left empty
        elif n == 5:
            row["document_number"] = f"榕交罚{year}-5"  # bad on purpose: not 机关代字〔年份〕序号号
        yield row


def _evidence(year: int) -> list[Evidence]:
    """What the bureau's officers attest: a news item a month, two meetings, a training."""
    news = [
        Evidence("news", dt.date(year, month, 15), f"信用交通工作动态（{month}月）", "officer-1")
        for month in range(1, 13)
    ]
    return [
        *news,
        Evidence("group_meetings", dt.date(year, 3, 10), "领导小组第一次会议纪要", "officer-1"),
        Evidence("group_meetings", dt.date(year, 9, 8), "领导小组第二次会议纪要", "officer-1"),
        Evidence("training", dt.date(year, 6, 18), "信用专题培训通知及签到表", "officer-2"),
    ]
