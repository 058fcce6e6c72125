"""The creditflow pytest plugin: a policy from the command line, books, a calendar, a clock.

Installed through the ``pytest11`` entry point (or ``-p creditflow.testing.plugin``)::

    pytest --creditflow-policy packs/my-region.toml

Fixtures: ``creditflow_policy``, ``memory_book``, ``sqlite_book``, ``postgres_book``,
``workday_calendar`` and ``fixed_clock``. The books use the policy, the calendar and the clock.
``postgres_cluster`` is a throwaway PostgreSQL server started once per session (and stopped at
its end, also after a failure); ``postgres_url`` a fresh, empty book database on it per test
(:mod:`creditflow.testing.postgres`).

``--creditflow-coverage`` counts every decision the session's engines make and prints, at
the end, the rules of each pack that decided, those that never did and the signatures never
decided (:mod:`creditflow.testing.coverage`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from creditflow.book.book import CreditBook
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.errors import CreditflowError
from creditflow.policy.model import Policy
from creditflow.rules.loading import load_policy
from creditflow.testing.coverage import Coverage, record_coverage
from creditflow.testing.postgres import PostgresCluster

__all__ = [
    "CALENDAR_YEARS",
    "FIXED_TIME",
    "creditflow_policy",
    "fixed_clock",
    "memory_book",
    "postgres_book",
    "postgres_cluster",
    "postgres_url",
    "prepare_calendars",
    "pytest_addoption",
    "pytest_configure",
    "pytest_terminal_summary",
    "pytest_unconfigure",
    "sqlite_book",
    "workday_calendar",
]

FIXED_TIME = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)
"""What ``fixed_clock`` always returns: 2026-06-01 09:00 Beijing time, in UTC."""

_OPTION = "--creditflow-policy"
_COVERAGE = pytest.StashKey[tuple[contextlib.ExitStack, Coverage]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--creditflow-policy PATH_OR_NAME`` (default: the default pack in force today) and
    ``--creditflow-coverage``."""
    parser.addoption(
        "--creditflow-coverage",
        dest="creditflow_coverage",
        action="store_true",
        default=False,
        help="report the rules of each creditflow pack the session's decisions hit, the rules "
        "never hit and the signatures never decided",
    )
    parser.addoption(
        _OPTION,
        dest="creditflow_policy",
        default=None,
        metavar="PATH_OR_NAME",
        help="creditflow policy pack for the creditflow_policy fixture: a .toml path, a "
        "built-in name or name@version (default: the default pack in force today)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Build the China calendar once for the session (see :func:`prepare_calendars`); with
    ``--creditflow-coverage``, start counting decisions for the whole session."""
    prepare_calendars()
    if config.getoption("creditflow_coverage", default=False):
        stack = contextlib.ExitStack()
        config.stash[_COVERAGE] = (stack, stack.enter_context(record_coverage()))


CALENDAR_YEARS = (2001, 2040)
"""The years whose working-day tables the plugin builds before the first test."""


def prepare_calendars() -> None:
    """Build the shared China calendars (the default one and :func:`workday_calendar`'s) for
    :data:`CALENDAR_YEARS`, once: the first ``CreditBook.memory()`` of a session would
    otherwise spend 100-200 ms loading the ``holidays`` package inside some test, enough to
    break Hypothesis' 200 ms deadline on a slow machine."""
    for calendar in (WorkdayCalendar.china(), WorkdayCalendar.china(published_through=2030)):
        calendar.prepare(*CALENDAR_YEARS)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print the coverage of the ``--creditflow-policy`` pack (if given) and of every pack
    some engine decided for."""
    if _COVERAGE not in config.stash:
        return
    coverage = config.stash[_COVERAGE][1]
    named: str | None = config.getoption("creditflow_policy")
    packs = list(coverage.policies)
    terminalreporter.write_sep("-", "creditflow coverage")
    if named is not None:
        try:
            policy = _policy(config)
        except CreditflowError as error:
            terminalreporter.write_line(f"{_OPTION} {named}: {error}")
        else:
            packs = [policy, *(p for p in packs if p != policy)]
    if not packs:
        terminalreporter.write_line("no creditflow decision was made")
    for policy in packs:
        terminalreporter.write_line(coverage.report(policy).to_text())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop counting decisions."""
    if _COVERAGE in config.stash:
        config.stash[_COVERAGE][0].close()
        del config.stash[_COVERAGE]


@pytest.fixture(scope="session")
def creditflow_policy(pytestconfig: pytest.Config) -> Policy:
    """The pack named by ``--creditflow-policy``, loaded and analysed (a path is read relative
    to the directory pytest was started in)."""
    return _policy(pytestconfig)


def _policy(config: pytest.Config) -> Policy:
    source: str | None = config.getoption("creditflow_policy")
    if source is not None and (source.endswith(".toml") or "/" in source):
        path = Path(source)
        source = str(path if path.is_absolute() else config.invocation_params.dir / path)
    return load_policy(source)


@pytest.fixture(scope="session")
def workday_calendar() -> WorkdayCalendar:
    """The China workday calendar, with holiday schedules taken as published through 2030."""
    return WorkdayCalendar.china(published_through=2030)


@pytest.fixture
def fixed_clock() -> Callable[[], dt.datetime]:
    """A clock that always says :data:`FIXED_TIME`, for reproducible ``recorded_at`` stamps."""
    return lambda: FIXED_TIME


@pytest.fixture
def memory_book(
    creditflow_policy: Policy,
    workday_calendar: WorkdayCalendar,
    fixed_clock: Callable[[], dt.datetime],
) -> Iterator[CreditBook]:
    """An empty credit book in memory under ``creditflow_policy``, closed after the test."""
    with CreditBook.memory(
        policy=creditflow_policy, calendar=workday_calendar, clock=fixed_clock
    ) as book:
        yield book


@pytest.fixture
def sqlite_book(
    creditflow_policy: Policy,
    workday_calendar: WorkdayCalendar,
    fixed_clock: Callable[[], dt.datetime],
    tmp_path: Path,
) -> Iterator[CreditBook]:
    """An empty credit book on a SQLite file in ``tmp_path``, closed after the test."""
    with CreditBook.open(
        tmp_path / "book.sqlite3",
        policy=creditflow_policy,
        calendar=workday_calendar,
        clock=fixed_clock,
    ) as book:
        yield book


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL server of the session's own (initdb in a temporary directory, a free
    loopback port), stopped and removed at the end of the session."""
    with PostgresCluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a fresh database holding an empty book (dropped after the test)."""
    postgres_cluster.start()  # a test may have crashed it
    url = postgres_cluster.create_database()
    yield url
    if postgres_cluster.running:
        postgres_cluster.drop_database(url)


@pytest.fixture
def postgres_book(
    creditflow_policy: Policy,
    workday_calendar: WorkdayCalendar,
    fixed_clock: Callable[[], dt.datetime],
    postgres_url: str,
) -> Iterator[CreditBook]:
    """An empty credit book on a fresh PostgreSQL database, closed after the test."""
    with CreditBook.open(
        postgres_url, policy=creditflow_policy, calendar=workday_calendar, clock=fixed_clock
    ) as book:
        yield book
