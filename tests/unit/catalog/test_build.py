"""Building the catalog: validation names file, line and field; a failed build writes nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.catalog.build import build, check
from bot.catalog.sources import SourceError
from bot.cli import main
from bot.reminders.state import State


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(SourceError) as exc:
        check(data_dir)
    return [str(p) for p in exc.value.problems]


def test_real_catalog_builds_with_every_entity(tmp_path):
    result = build(Path(__file__).parents[3] / "data", tmp_path / "c.db")
    assert result.counts["papers"] == 20
    assert result.counts["streams"] >= 7
    assert result.counts["editions"] == 2
    db = sqlite3.connect(tmp_path / "c.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"papers", "people", "authorship", "tracks", "streams", "stream_mentors", "editions", "key_dates",
            "papers_fts", "streams_fts"} <= tables
    # one row per person: the accented and plain spellings are one person
    rows = db.execute("SELECT id FROM people WHERE name LIKE '%Scheurer%'").fetchall()
    assert rows == [("jeremy-scheurer",)]
    credited = {r[0] for r in db.execute("SELECT credited_as FROM authorship WHERE person_id='jeremy-scheurer'")}
    assert credited == {"Jérémy Scheurer", "Jeremy Scheurer"}
    panick = db.execute("SELECT COUNT(*) FROM people WHERE name LIKE '%Panickssery'").fetchone()[0]
    assert panick == 2


def test_unknown_key_names_file_line_and_field(data_copy):
    papers = data_copy / "papers.yaml"
    edit(papers, "  citations: 14\n", "  citations: 14\n  citatons: 15\n")
    [msg] = problems(data_copy)
    assert msg.startswith(f"{papers}:{line_of(papers, 'citatons')}: papers[1].citatons: unknown key")


def test_missing_field(data_copy):
    streams = data_copy / "streams.yaml"
    text = streams.read_text(encoding="utf-8")
    start = text.index("  - id: ", text.index("streams:"))
    line = text.count("\n", 0, start) + 1
    edit(streams, text[start:].split("\n", 2)[1] + "\n", "")  # drop the first stream's name line
    msgs = problems(data_copy)
    assert any(f"streams.yaml:{line}: streams[0]: missing field 'name'" in m for m in msgs), msgs


def test_impossible_date(data_copy):
    papers = data_copy / "papers.yaml"
    edit(papers, "date: 2024-10-06", "date: 2024-02-30")
    [msg] = problems(data_copy)
    assert f"papers.yaml:{line_of(papers, '2024-02-30')}: papers[1].date: '2024-02-30' is not a real date" in msg


def test_duplicate_id(data_copy):
    papers = data_copy / "papers.yaml"
    edit(papers, "id: gradient-routing-masking-gradients-to-localize", "id: adversarial-circuit-evaluation")
    msgs = problems(data_copy)
    assert any("papers[8].id: duplicate id 'adversarial-circuit-evaluation'" in m for m in msgs), msgs


def test_dangling_author_and_track(data_copy):
    edit(data_copy / "papers.yaml", "  - Wilson Wu\n  - Louis Jaburi", "  - Wilson Wuu\n  - Louis Jaburi")
    edit(data_copy / "streams.yaml", "track: empirical", "track: empiricle")
    msgs = problems(data_copy)
    assert any("papers[0].authors[0]: 'Wilson Wuu' is not in people" in m for m in msgs), msgs
    assert any("streams[0].track: no track 'empiricle'" in m for m in msgs), msgs


def test_broken_yaml_syntax_names_the_line(data_copy):
    program = data_copy / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    [msg] = problems(data_copy)
    assert "program.yaml:" in msg and "not valid YAML" in msg


def test_failed_build_leaves_the_previous_database(tmp_path, data_copy):
    db = tmp_path / "catalog.db"
    build(data_copy, db)
    before = db.read_bytes()
    edit(data_copy / "papers.yaml", "citations: 14", "citations: -1")
    with pytest.raises(SourceError):
        build(data_copy, db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_rebuild_never_touches_the_state_database(tmp_path, data_copy):
    state = State(tmp_path / "state.db")
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC).isoformat()
    state.conn.execute("INSERT INTO deadlines (id, title, due_utc, timezone, description, link, created_by, created_at,"
                       " updated_at) VALUES ('d1','Final report',?, 'UTC','', NULL, 'staff', ?, ?)",
                       (now, now, now))
    build(data_copy, tmp_path / "catalog.db")
    build(data_copy, tmp_path / "catalog.db")
    assert [d.id for d in state.deadlines()] == ["d1"]


def test_catalog_check_command_exit_codes(tmp_path, data_copy, capsys):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"catalog:\n  data_dir: {data_copy}\n  database: {tmp_path / 'c.db'}\n", encoding="utf-8")
    assert main(["--config", str(cfg), "catalog", "check"]) == 0
    edit(data_copy / "papers.yaml", "citations: 14", "citations: many")
    assert main(["--config", str(cfg), "catalog", "build"]) == 2
    err = capsys.readouterr().err
    assert "papers[1].citations: must be a whole number" in err
    assert not (tmp_path / "c.db").exists()
