"""The demo end to end: a small year, its report's invariants checked against the book."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from creditflow.book.book import CreditBook
from creditflow.demo import DemoReport, DemoSettings, run_demo
from creditflow.demo.inspections import DrawnPlan
from creditflow.demo.report import check_invariants
from creditflow.demo.simulation import Outcome
from creditflow.docs import extract_notices
from creditflow.errors import InvalidInput
from creditflow.supervision import plan_from_json

SUBJECTS = 400
SEED = 11
YEAR_END = dt.date(2026, 12, 31)
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoReport, Path, Path]:
    folder = tmp_path_factory.mktemp("demo")
    settings = DemoSettings(SUBJECTS, SEED, folder / "book.sqlite", folder / "out")
    return run_demo(settings), settings.db, settings.out


def test_every_invariant_of_the_report_holds(demo: tuple[DemoReport, Path, Path]) -> None:
    report, _, _ = demo
    assert report.ok, report.to_text()
    assert [i.name for i in report.invariants] == [
        "chain verifies",
        "no listing removed early without an approved repair",
        "published notices within their windows",
        "inspection plans verify",
    ]


def test_the_year_exercises_every_workflow(demo: tuple[DemoReport, Path, Path]) -> None:
    report, _, _ = demo
    assert set(report.states) == {
        "commitment", "licence", "listing", "objection", "record", "repair",
    }  # fmt: skip
    assert report.states["commitment"].keys() >= {"fulfilled", "breached"}
    assert report.states["listing"].keys() >= {"published", "removed"}
    assert report.states["record"].keys() >= {"published", "ended"}
    assert report.tally["listing.proposed.watch"] + report.tally["listing.proposed.serious"] > 0
    assert report.tally["repair.applied"] > 0
    assert report.tally["inspection.done"] > 0
    assert sum(report.grades_after.values()) == SUBJECTS
    assert {row.grade for row in report.grades} <= {"AA", "A", "B", "C", "D"}


def test_the_book_agrees_with_the_report(demo: tuple[DemoReport, Path, Path]) -> None:
    report, db, _ = demo
    with CreditBook.open(db) as book:
        chain = book.verify()
        assert chain.ok and (chain.events, chain.head) == (report.events, report.head)
        counted: dict[str, int] = {}
        for case in book.cases():
            counted[case.machine] = counted.get(case.machine, 0) + 1
        assert counted == {m: sum(s.values()) for m, s in report.states.items()}


def test_no_listing_left_before_its_expiry_without_an_approved_repair(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    _, db, _ = demo
    with CreditBook.open(db) as book:
        removed = [c for c in book.cases(machine="listing") if c.state == "removed"]
        assert removed
        for case in removed:
            last = book.get(case.case_id).history[-1]
            expiry = case.deadline("expiry")
            assert expiry is not None
            if last.on <= expiry.last_day:
                assert last.event == "remove_early", case.case_id
                assert book.get(last.data["repair_case"]).state == "approved"
            else:
                assert last.event == "expire"


def test_every_published_notice_is_within_its_window(demo: tuple[DemoReport, Path, Path]) -> None:
    _, db, _ = demo
    with CreditBook.open(db) as book:
        notices = extract_notices(book, YEAR_END)
        assert notices.listings
        for notice in notices.listings:
            assert notice.decided_on <= notice.published_on <= YEAR_END <= notice.last_day
            assert book.get(notice.case_id).state == "published"


def test_the_output_folder_holds_site_notices_and_plans(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    _, _, out = demo
    assert (out / "site" / "index.md").is_file()
    assert (out / "site" / "notices.md").is_file()
    assert {p.name for p in (out / "notices").iterdir()} == {
        "notices-2026-12-31.zh.md",
        "notices-2026-12-31.en.md",
    }
    for quarter in range(1, 5):
        plan = plan_from_json((out / "plans" / f"2026-Q{quarter}" / "plan.json").read_text())
        assert plan.year == 2026 and plan.periods[0] == "2026-Q1"
    assert "Invariants:" in (out / "report.txt").read_text(encoding="utf-8")


def test_every_output_made_from_the_book_prints_its_anchor(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    report, db, out = demo
    with CreditBook.open(db) as book:
        seq, head = book.head()
    anchor = f"{seq}:{head}"
    assert report.anchor == anchor and (seq, head) == (report.events, report.head)
    text = (out / "report.txt").read_text(encoding="utf-8")
    assert f"Book anchor (账本锚点): {anchor}\n" in text
    assert f"creditflow verify --db BOOK --anchor {anchor}" in text
    for page in (out / "site" / "notices.md", *(out / "notices").iterdir()):
        assert anchor in page.read_text(encoding="utf-8"), page


def test_the_same_seed_gives_the_same_book(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path
) -> None:
    report, _, _ = demo
    again = run_demo(DemoSettings(SUBJECTS, SEED, tmp_path / "again.sqlite", tmp_path / "o1"))
    other = run_demo(DemoSettings(SUBJECTS, SEED + 1, tmp_path / "other.sqlite", tmp_path / "o2"))
    assert (again.events, again.head) == (report.events, report.head)
    assert other.head != report.head


def test_the_carried_over_cases_written_in_parts_make_the_book_one_append_makes(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, _, _ = demo
    monkeypatch.setattr("creditflow.demo.simulation.CARRY_CHUNK", 37)  # many parts, one uneven
    parts = run_demo(DemoSettings(SUBJECTS, SEED, tmp_path / "parts.sqlite", tmp_path / "o"))
    assert (parts.events, parts.head) == (report.events, report.head)


def test_overdue_reads_only_the_cases_that_can_be_overdue_and_finds_what_every_case_gives(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    _, db, _ = demo
    listed = 0
    with CreditBook.open(db, policy="national-transport") as book:
        cases = list(book.cases())
        for day in [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(0, 400, 9)]:
            every = sorted(
                ((c.case_id, d) for c in cases for d in c.overdue(day)),
                key=lambda item: (item[1].last_day, item[0]),
            )
            found = book.overdue(on=day)
            assert [(c.case_id, d) for c, d in found] == every, day
            listed += len(found)
    assert listed


def test_an_existing_book_is_refused_unless_forced(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path
) -> None:
    _, db, _ = demo
    copy = tmp_path / "book.sqlite"
    shutil.copy(db, copy)
    with pytest.raises(InvalidInput, match="use --force"):
        run_demo(DemoSettings(50, SEED, copy, tmp_path / "out"))
    assert run_demo(DemoSettings(50, SEED, copy, tmp_path / "out", force=True)).ok


def test_a_refuted_plan_fails_the_report(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path
) -> None:
    _, db, _ = demo
    outcome = Outcome(2026)
    with CreditBook.open(db) as book:
        good = check_invariants(book, list(book.cases()), outcome)
    assert all(i.ok for i in good)
    plan = plan_from_json((demo[2] / "plans" / "2026-Q1" / "plan.json").read_text())
    outcome.plans.append(DrawnPlan(1, dt.date(2026, 1, 5), plan, verified=False).summary())
    with CreditBook.open(db) as book:
        bad = check_invariants(book, list(book.cases()), outcome)
    assert [i.name for i in bad if not i.ok] == ["inspection plans verify"]
    assert "2026-Q1" in bad[-1].detail


# ---------------------------------------------------------------- the command line


def creditflow(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "creditflow", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_demo_and_verify_on_the_command_line(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path
) -> None:
    report, _, _ = demo
    size, seed = str(SUBJECTS), str(SEED)
    ran = creditflow("demo", "--subjects", size, "--seed", seed, "--progress", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "[ok] inspection plans verify" in ran.stdout
    assert "2026-12-31 365/365" in ran.stderr  # the progress bar, forced
    book = tmp_path / "creditflow-demo.sqlite"
    assert (tmp_path / "creditflow-demo" / "report.txt").is_file()
    verified = creditflow("verify", "--db", str(book), cwd=tmp_path)
    assert verified.returncode == 0
    # another process, another hash seed: the same book as in this process
    assert verified.stdout.startswith(f"ok: {report.events} events, ")
    assert verified.stdout.endswith(f"; head {report.events}:{report.head}\n")
    again = creditflow("demo", "--subjects", "300", cwd=tmp_path)
    assert again.returncode == 2
    assert "use --force" in again.stderr


def test_demo_refuses_policy_and_on_rather_than_ignore_them(tmp_path: Path) -> None:
    for args in (("demo", "--policy", "national-transport@2019.1"), ("--on", "2026-01-01", "demo")):
        ran = creditflow(*args, "--subjects", "20", cwd=tmp_path)
        assert ran.returncode == 2
        assert "cannot be used: the demo runs national-transport" in ran.stderr
    assert not (tmp_path / "creditflow-demo.sqlite").exists()


def test_verify_names_the_broken_link_of_a_tampered_book(
    demo: tuple[DemoReport, Path, Path], tmp_path: Path
) -> None:
    _, db, _ = demo
    tampered = tmp_path / "tampered.sqlite"
    shutil.copy(db, tampered)
    with sqlite3.connect(tampered) as connection:
        connection.execute("UPDATE events SET actor = 'officer-99' WHERE seq = 42")
    connection.close()
    ran = creditflow("verify", "--db", str(tampered), cwd=tmp_path)
    assert ran.returncode == 1
    assert ran.stdout.startswith("broken at seq 42")
    missing = creditflow("verify", "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert missing.returncode == 2


def test_the_report_lists_grades_in_scale_order_and_ratios_as_percents(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    report, _, _ = demo
    order = ["AA", "A", "B", "C", "D"]
    rows = [row.grade for row in report.grades]
    assert rows == [g for g in order if g in rows]
    assert list(report.grades_before) == [g for g in order if g in report.grades_before]
    text = report.to_text()
    assert "(policy 1%/5%)" in text or "AA" not in rows
    evaluated = text.split("before -> after")[1].splitlines()[1:3]
    assert [line.split()[0] for line in evaluated] == order[:2]


def test_the_report_shows_the_rates_the_overdue_publications_and_the_assessment(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    report, db, out = demo
    text = report.to_text()
    section = text.split("Collection and disclosure (归集与双公示):")[1]
    assert "5 rejected" in section.splitlines()[1]  # the bad rows planted on purpose
    for rule in ("valid_until: order", "unit: type.unit", "amount: type.amount",
                 "grounds: required", "document_number: pattern"):  # fmt: skip
        assert rule in section
    assert "Rates (三率与及时率)" in section and "2026-Q4" in section
    assert "Overdue publications (逾期未公示) on the last day:" in section
    assert "Self-assessment (信用交通市自评, ziyang-transport):" in section
    assert section.index("Self-assessment") < text.index("Book anchor")
    folder = out / "disclosure"
    names = ("rates-2026.zh.html", "rates-2026.en.md", "assessment-2026.zh.md",
             "assessment-2026.en.html", "dual-publication.jsonl", "rejected.jsonl")  # fmt: skip
    for name in names:
        assert (folder / name).is_file(), name
    assert report.anchor in (folder / "rates-2026.zh.md").read_text("utf-8")
    with CreditBook.open(db, read_only=True) as book:
        late = [d for _, d in book.overdue(on=YEAR_END) if d.name == "disclosure"]
    assert late  # some publications were late on purpose


# ---------------------------------------------------------------- the report for people


def test_the_report_names_things_in_chinese_and_english_not_code_keys(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    report, _, _ = demo
    text = report.to_text()
    for key in report.tally:  # the simulation's keys, e.g. licensing.restricted.False
        assert key not in text, key
    for key in report.deadlines:  # commitment.verification
        assert key not in text, key
    assert "已践诺 fulfilled" in text and "信用承诺·核查期 Commitment: verification" in text
    assert "核查发现限制 checks with restrictions" in text
    assert "行政处罚·一般失信 penalty: General" in text


def test_the_report_tables_are_aligned_by_display_width(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    from creditflow.demo.report_text import width

    report, _, _ = demo
    text = report.to_text()
    block = text.split("Grades per domain after the evaluation:\n")[1].split("\n\n")[0]
    lines = block.splitlines()
    assert len(lines) == 1 + len(report.grades_by_domain)
    assert len({width(line) for line in lines}) == 1  # numbers right-aligned to one edge
    header = lines[0].split()
    order = ["AA", "A", "B", "C", "D"]
    assert header == [g for g in order if g in header]  # scale order, not alphabetical


def test_the_demo_writes_the_html_site_with_the_report_and_its_charts(
    demo: tuple[DemoReport, Path, Path],
) -> None:
    _, _, out = demo
    site = out / "site"
    for page in ("report", "index", "workflows", "notices"):
        assert (site / f"{page}.html").is_file(), page
    report = (site / "report.html").read_text(encoding="utf-8")
    for chart in ("grades", "listings", "deadlines", "inspections"):
        path = site / "charts" / f"{chart}.svg"
        assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml"), chart
        assert f'src="charts/{chart}.svg"' in report
    assert "<svg" in (site / "workflows.html").read_text(encoding="utf-8")  # drawn diagrams
    assert 'type="search"' in (site / "notices.html").read_text(encoding="utf-8")
    # collection and disclosure is a section of the page, its rates and assessment linked
    assert "归集与双公示" in report and "上报合规率" in report and "逾期未公示" in report
    assert "信用交通市自评" in report
    for page in ("rates", "assessment"):
        assert (site / f"{page}.html").is_file(), page
        assert f'href="{page}.html"' in report, page


def test_without_matplotlib_the_demo_writes_everything_but_the_charts(tmp_path: Path) -> None:
    """matplotlib made unimportable in a fresh interpreter: the demo says so and goes on."""
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from creditflow.cli import main; raise SystemExit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    ran = subprocess.run(
        [sys.executable, "-c", code, "demo", "--subjects", "60", "--seed", "3"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "pip install 'creditflow[demo]'" in ran.stderr
    site = tmp_path / "creditflow-demo" / "site"
    assert "pip install &#x27;creditflow[demo]&#x27;" in (site / "report.html").read_text("utf-8")
    assert not (site / "charts").exists()
