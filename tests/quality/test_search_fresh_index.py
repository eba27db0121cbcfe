"""The search quality cases against an index built inside the test, not by the shared session fixture.

The suite's `app` is built once per session, so a change to index building (Searcher, FuzzyIndex,
FullText constructors) shows in whichever test happened to build it first; mutmut maps the builders
to that one test only, and their mutants survived. Building here ties the builders to every case.
"""

from __future__ import annotations

from bot.app import App
from tests.conftest import NOW, make_config
from tests.quality.test_search_quality import CASES, KNOWN, case_id, check


def test_a_freshly_built_index_passes_every_case_that_is_not_a_known_failure(tmp_path):
    app = App(make_config(tmp_path), clock=lambda: NOW)
    app.open()
    try:
        failures = []
        for case in CASES:
            if case_id(case) in KNOWN:
                continue
            try:
                check(app, case)
            except AssertionError as exc:
                failures.append(f"{case_id(case)}: {exc}")
        assert not failures, "\n".join(failures[:10])
    finally:
        app.close()
