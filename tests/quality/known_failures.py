"""Known failures of a quality suite: listed cases with their reasons, printed, and only ever shrinking.

A suite keeps a YAML mapping `case id: reason`. `judge` runs one case's check:
- not listed: the check decides (a failure fails the run);
- listed and still failing: reported as an expected failure with its reason;
- listed but passing: fails the run, saying to take the case off the list — so the list can only shrink.
Adding a case to the list is a visible edit with a reason, never a silent lowering of a bar.
The listed cases are printed at the end of the run (pytest's terminal summary).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

NAME = "quality-known-failures"
LISTED: dict[str, tuple[Path, dict[str, str]]] = {}
"""suite name → (its file, its known failures), for the summary."""


def load(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path}: expected a mapping of case id to reason")
    return data


def judge(case: str, known: dict[str, str], path: Path, check: Callable[[], None]) -> None:
    reason = known.get(case)
    try:
        check()
    except AssertionError as exc:
        if reason is None:
            raise
        pytest.xfail(f"known failure ({reason}): {exc}")
    if reason is not None:
        pytest.fail(f"{case!r} passes now: remove it from {path.name} (the list may only shrink)")


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    for suite, (path, known) in sorted(LISTED.items()):
        terminalreporter.write_sep("-", f"{suite} quality: known failures ({path.name})")
        if not known:
            terminalreporter.write_line("none")
        for case, reason in known.items():
            terminalreporter.write_line(f"{case}  —  {reason}")


def register(config: pytest.Config, suite: str, path: Path, known: dict[str, str]) -> None:
    import sys

    LISTED[suite] = (path, known)
    manager = config.pluginmanager
    module = sys.modules[__name__]
    if not manager.is_registered(module) and manager.get_plugin(NAME) is None:
        manager.register(module, NAME)
