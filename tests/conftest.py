"""Fixtures every test folder may use."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real public lists, read in place (CC BY-NC files are never copied)."""
    path = SHARED / "data"
    assert path.is_dir(), f"{path} missing: tests expect ../shared beside the repository"
    return path


@pytest.fixture()
def chipexport_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty CHIPEXPORT_HOME and default (SQLite) database for one test."""
    monkeypatch.setenv("CHIPEXPORT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHIPEXPORT_DATABASE_URL", raising=False)
    return tmp_path / "home"
