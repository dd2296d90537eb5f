"""Screening evidence: every answer says which lists (versions, load times), which threshold
and when; lists older than the configured age are named in one warning."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.test_screen_cmd import run as run_cli
from tests.store.conftest import make_snapshot

from chipexport.determine.memo import memo
from chipexport.store import Store
from chipexport.store.evidence import (
    SettingError,
    evidence,
    evidence_lines,
    stale_days,
    stale_warnings,
)


def _loaded(store: Store, el_version: str, sdn_version: str) -> None:
    store.replace_lists([make_snapshot("EL", ["Acme Widgets Ltd"], el_version),
                         make_snapshot("SDN", ["Bad Actor Trading"], sdn_version)])


def test_evidence_names_lists_versions_threshold_and_time(store: Store) -> None:
    today = datetime.now(UTC).date()
    _loaded(store, today.isoformat(), (today - timedelta(days=45)).isoformat())
    at = datetime.now(UTC)
    ev = evidence(store.list_status(), 0.8, at=at, max_days=30)
    assert [x["source"] for x in ev["lists"]] == ["EL", "SDN"]
    assert ev["lists"][1]["version"] == (today - timedelta(days=45)).isoformat()
    assert ev["threshold"] == 0.8 and ev["screened_at"].startswith(at.date().isoformat())
    assert all(x["loaded_at"] and x["entries"] == 1 for x in ev["lists"])
    (warning,) = ev["stale_lists"]
    assert "SDN of" in warning and "45 days old" in warning and "EL" not in warning
    only = evidence(store.list_status(), 0.9, sources={"EL"}, at=at, max_days=30)
    assert [x["source"] for x in only["lists"]] == ["EL"] and only["stale_lists"] == []
    lines = evidence_lines(ev)
    assert lines[0].startswith("Screened against 2 lists: EL ") and "threshold 0.80" in lines[1]
    assert lines[2].startswith("Warning: Lists older than 30 days")


def test_the_age_is_configurable_and_a_bad_value_is_one_line(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _loaded(store, "2026-01-01", "2026-01-01")
    today = date(2026, 3, 2)  # 60 days later
    monkeypatch.setenv("CHIPEXPORT_STALE_LIST_DAYS", "90")
    assert stale_days() == 90 and stale_warnings(store.list_status(), today=today) == []
    monkeypatch.setenv("CHIPEXPORT_STALE_LIST_DAYS", "59")
    assert "EL, SDN of 2026-01-01 (60 days old)" in stale_warnings(store.list_status(),
                                                                   today=today)[0]
    monkeypatch.setenv("CHIPEXPORT_STALE_LIST_DAYS", "soon")
    with pytest.raises(SettingError, match="CHIPEXPORT_STALE_LIST_DAYS"):
        stale_days()


def test_the_memo_says_what_was_screened_even_without_a_match() -> None:
    result = {"id": "t", "outcome": "NLR", "jurisdictions": {},
              "screening": [{"party": 0, "name": "Quiet Meadow", "matches": []}],
              "screening_evidence": {"screened_at": "2026-12-04T10:00:00+00:00",
                                     "threshold": 0.8, "stale_lists": [],
                                     "lists": [{"source": "EL", "version": "2026-07-31",
                                                "loaded_at": "2026-08-01T09:00:00+00:00",
                                                "entries": 3}]}}
    text = memo(result)
    assert "party 1 (Quiet Meadow): no list match at or above the threshold" in text
    assert "Screened against 1 list: EL 2026-07-31." in text
    assert "Lists loaded 2026-08-01 09:00 UTC; threshold 0.80; screened 2026-12-04 10:00" in text


def test_cli_screen_and_lists_status_carry_the_evidence(
        chipexport_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from chipexport.cli.app import _Exit

    # ``screen NAME`` asks the console script to end the process at once; monkeypatch puts
    # the flag back, so a later test that runs the entry point is not cut short.
    monkeypatch.setattr(_Exit, "quick", False)
    chipexport_home.mkdir(parents=True, exist_ok=True)
    with Store() as store:
        _loaded(store, "2020-01-01", datetime.now(UTC).date().isoformat())

    def run(*args: str) -> tuple[int, str, str]:
        return run_cli(monkeypatch, capsys, *args)

    code, out, _ = run("screen", "Quiet Meadow Bakery", "--json")
    ev = json.loads(out)["screening_evidence"]
    assert code == 0 and [x["source"] for x in ev["lists"]] == ["EL", "SDN"]
    assert ev["threshold"] > 0 and "EL of 2020-01-01" in ev["stale_lists"][0]
    code, out, _ = run("screen", "Quiet Meadow Bakery")
    assert "No list match" in out and "Screened against 2 lists" in out
    code, out, err = run("lists", "status")
    assert code == 0 and "EL of 2020-01-01" in err and "SDN" not in err
    code, out, _ = run("lists", "status", "--json")
    assert {r["source"]: r["stale"] for r in json.loads(out)} == {"EL": True, "SDN": False}
