"""The licence workflow: a revocation for a breached commitment names one that is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _decisions import LICENCE_COLUMNS, licence, write_csv

from _people import ME, OFFICER, OFFICIAL, SUBJECT
from creditflow.book import CreditBook
from creditflow.disclosure import ingest
from creditflow.errors import TransitionRefused

ON = dt.date(2026, 8, 3)


def test_a_revocation_names_a_breached_commitment_of_the_same_subject(tmp_path: Path) -> None:
    rows = [licence(1, party=SUBJECT, decided_on="2026-05-06", published_on="2026-05-07")]
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "l.csv", rows, LICENCE_COLUMNS), kind="licensing")
        [granted] = book.cases(machine="licence")
        kept = book.open_case("commitment.repair", SUBJECT, on=ON, actor=ME,
                              domain="road_transport", summary="承诺").case_id  # fmt: skip
        for named, why in (("no-such-case", "not a commitment case"), (kept, "not breached"),
                           (granted.case_id, "not a commitment case")):  # fmt: skip
            with pytest.raises(TransitionRefused) as refused:
                book.fire(granted.case_id, "revoke", on=ON, actor=OFFICIAL, summary="违诺撤销",
                          commitment_case=named)  # fmt: skip
            assert refused.value.guard == "breached_commitment"
            assert why in str(refused.value)
            assert refused.value.rule == "catalogue.kinds.licensing" and refused.value.basis
        assert book.get(granted.case_id).state == "granted"
        book.fire(kept, "breach", on=ON, actor=OFFICER, summary="违诺")
        book.fire(granted.case_id, "revoke", on=ON, actor=OFFICIAL, summary="违诺撤销",
                  commitment_case=kept)  # fmt: skip
        assert book.get(granted.case_id).state == "revoked"
