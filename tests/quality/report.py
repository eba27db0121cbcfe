"""Pytest plugin: prints the search-quality table (Recall@1 and MRR per kind) at the end of the run.

tests/quality/test_search_quality.py registers it when it is not registered already, so the table shows in
`make test` (pytest -q) with or without `-s`. To register it statically instead, add to
tests/conftest.py:

    pytest_plugins = ["tests.quality.report"]
"""

from __future__ import annotations

import pytest

NAME = "search-quality-report"
ROWS: list[tuple[str, int, float, float, float]] = []
"""(kind, cases, Recall@1, MRR, bar) for the table; filled by the suite's metrics test."""


def render() -> list[str]:
    lines = [f"{'kind':<10} {'cases':>5} {'Recall@1':>9} {'MRR':>6} {'bar':>5}"]
    for kind, n, r1, mrr, bar in ROWS:
        mark = "" if r1 >= bar else "  BELOW BAR"
        lines.append(f"{kind:<10} {n:>5} {r1:>9.3f} {mrr:>6.3f} {bar:>5.2f}{mark}")
    return lines


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if not ROWS:
        return
    terminalreporter.write_sep("-", "search quality (tests/quality/test_search_quality.py)")
    for line in render():
        terminalreporter.write_line(line)


def ensure_registered(config: pytest.Config) -> None:
    import sys

    manager = config.pluginmanager
    module = sys.modules[__name__]
    if not manager.is_registered(module) and manager.get_plugin(NAME) is None:
        manager.register(module, NAME)
