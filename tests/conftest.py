"""Shared fixtures: the real catalog sources built into a real SQLite file per test session."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from bot.app import App
from bot.config import Config

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PAGES = DATA / "pages"  # the catalog's source snapshot, kept in the repository (see its README)
RESEARCH_PAGE = PAGES / "research.txt"
TRACK_PAGE = PAGES / "empirical-track.txt"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

# Hypothesis fails an example slower than 200 ms by default: a timed assertion, and on a busy CI machine a
# flaky one. Speed is the benchmark's business; the property tests check behaviour only.
settings.register_profile("behaviour", deadline=None)
settings.load_profile("behaviour")


def make_config(tmp: Path, data_dir: Path = DATA, **kw) -> Config:
    return Config(root=tmp, data_dir=data_dir, catalog_db=tmp / "catalog.db", state_db=tmp / "state.db", **kw)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    """One App over the real data/ for read-only tests (building once keeps the suite fast)."""
    tmp = tmp_path_factory.mktemp("app")
    a = App(make_config(tmp), clock=lambda: NOW)
    a.open()
    yield a
    a.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, at the end of the run, when the Discord schema checks could not run (a plain clone)."""
    from tests.support.discord_contract import SPEC_MISSING_REASON, spec_available

    if not spec_available():
        terminalreporter.write_line(SPEC_MISSING_REASON)
