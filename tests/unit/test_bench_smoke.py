"""The benchmark at a tiny size, so that `make bench` cannot rot: generator, build, measurement, table.

No timings are asserted (they mean nothing here); only that every piece runs and fits together.
"""

from __future__ import annotations

import random

from bench import report, synth
from bench.measure import make_queries, percentile, typo
from bench.worker import Plan, do_build, do_measure
from bot.catalog.model import open_catalog
from bot.text import fold


def test_generator_is_deterministic_and_valid_for_the_build():
    a, b = synth.generate(200), synth.generate(200)
    assert a == b
    assert len(a.papers) == 200
    assert len({fold(p["title"]) for p in a.papers}) == 200
    assert len({fold(p["name"]) for p in a.people}) == len(a.people)
    assert any(fold(p["name"]) != p["name"].lower() for p in a.people), "some names carry accents"
    assert all(set(p["alumni"]) <= set(p["authors"]) for p in a.papers)


def test_another_size_is_its_own_catalog_of_that_size():
    """The size is part of the seed: 201 papers are not 200 papers plus one (each size is a fresh draw)."""
    a, b = synth.generate(200), synth.generate(201)
    assert len(b.papers) == 201
    assert [p["title"] for p in b.papers[:5]] != [p["title"] for p in a.papers[:5]]


def test_typos_change_the_text_a_little():
    rng = random.Random(1)
    for text in ("Gradient Routing: Masking Gradients", "Jérémy Scheurer", "Axel Højmark"):
        for edits in (1, 2):
            changed = typo(text, rng, edits)
            assert changed != text
            assert abs(len(changed) - len(text)) <= edits


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([3.0], 99) == 3.0


def test_build_measure_and_table_at_200_papers(tmp_path):
    built = do_build(200, tmp_path)
    assert built["counts"]["papers"] == 200 and built["db_mb"] > 0
    catalog = open_catalog(tmp_path / "catalog.db")
    queries = make_queries(catalog, 20)
    catalog.close()
    assert len(queries.title_typo) == 20 and len(queries.full) == 20
    measured = do_measure(200, tmp_path, Plan(queries=20, fts_or=10, wratio=10, difflib=2, calibration_steps=1000))
    for key in ("title_prefix", "title_typo", "name_prefix", "name_typo", "full", "fts_or", "wratio", "difflib"):
        assert measured[key]["queries"] > 0
        assert 0.0 <= measured[key]["hit_rate"] <= 1.0
        assert measured[key]["p99_ms"] >= measured[key]["p50_ms"] >= 0
    assert measured["rss_mb"] > 0
    from bench.ask_bench import run as ask_run

    asked = ask_run(tmp_path, 20)
    assert asked["ask_n"] == 20 and asked["ask_p99_ms"] >= asked["ask_p50_ms"] > 0
    assert asked["show_p99_ms"] >= asked["show_p50_ms"] > 0
    assert built["rebuild_unchanged_s"] >= 0 and built["rebuild_streams_s"] >= 0
    from bench.startup import measure as startup

    started = startup(tmp_path, runs=1)
    assert started["startup_s"] >= started["startup_open_s"] > 0 and started["startup_first_answer_s"] > 0
    results = {200: {**built, **measured, **asked, **started}}
    table = report.text_table(results)
    assert "autocomplete p99" in table and "difflib" in table and "/ask" in table and "start-up" in table
    md = report.markdown(results, "test machine", 1.0)
    assert md.count("\n|") >= len(report.ROWS) + 2
    readme = f"intro\n{report.README_START}\nold table\n{report.README_END}\nafter\n"
    updated = report.in_readme(readme, results, "test machine", 1.0)
    assert "old table" not in updated and updated.startswith("intro\n") and updated.endswith(f"{report.README_END}\nafter\n")
    assert updated.count("\n|") == len(report.table_rows(results))
    assert report.in_readme("no markers here", results, "m", 1.0) == "no markers here"


def test_the_100k_goals_are_the_issues_baselines():
    """Issue 13: at 100k the p99 of autocomplete, full search and /ask must be no worse than before."""
    fast = {"title_prefix": {"p99_ms": 1.0}, "title_typo": {"p99_ms": 1.0}, "name_prefix": {"p99_ms": 1.0},
            "name_typo": {"p99_ms": 1.0}, "full": {"p99_ms": 5.0}, "ask_p99_ms": 11.0, "rss_mb": 150,
            "build_s": 10.0, "startup_s": 1.5}
    fast["title_typo"]["hit_rate"] = fast["name_typo"]["hit_rate"] = 1.0
    assert all(ok for _, ok in report.goals(100_000, fast))
    slow_ask = {**fast, "ask_p99_ms": 24.0}
    assert dict(report.goals(100_000, slow_ask))["ask"] is False
