"""Building the catalog: validation names file, line and field; a failed build writes nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalog import schema
from bot.catalog.build import build, check
from bot.catalog.model import open_catalog
from bot.catalog.sources import Document, SourceError, load, parse, parse_with_lines
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



def test_titles_alumni_and_spellings_are_checked_across_the_papers(data_copy):
    papers = data_copy / "papers.yaml"
    # An alumnus spelled without accents or case still names that paper's author: accepted.
    edit(papers, "  alumni:\n  - Wilson Wu\n", "  alumni:\n  - WILSON WÜ\n")
    check(data_copy)
    # A title given twice (folded alike), an alumnus who is not an author: each named with its line.
    edit(papers, "  alumni:\n  - WILSON WÜ\n", "  alumni:\n  - Jason Grosse\n")
    edit(papers, "title: Towards a unified and verified understanding of group-operation networks",
         "title: 'Towards a Unified and Verified Understanding of Group-Operation Networks'")
    text = papers.read_text(encoding="utf-8")
    second = text.split("\n  title: ")[2].split("\n")[0]
    edit(papers, f"  title: {second}\n", "  title: TOWARDS A UNIFIED AND VERIFIED UNDERSTANDING OF GROUP OPERATION NETWORKS\n")
    msgs = problems(data_copy)
    assert [m.split("/")[-1] for m in msgs] == [
        f"papers.yaml:{line_of(papers, '- Jason Grosse')}: papers[0].alumni[0]: 'Jason Grosse' is not among the authors",
        f"papers.yaml:{line_of(papers, 'GROUP OPERATION NETWORKS')}: papers[1].title: same title as papers[0]"]


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


def test_unchanged_sources_are_not_rebuilt(tmp_path, data_copy):
    db = tmp_path / "catalog.db"
    first = build(data_copy, db)
    assert first.reused == ()
    before = db.read_bytes()
    for f in data_copy.glob("*.yaml"):  # touched by a git checkout, content the same
        f.write_bytes(f.read_bytes())
    again = build(data_copy, db)
    assert set(again.reused) == {"papers", "streams", "program"}
    assert again.counts == first.counts
    assert db.read_bytes() == before


def test_an_edit_of_streams_rebuilds_streams_and_keeps_the_papers(tmp_path, data_copy):
    db = tmp_path / "catalog.db"
    build(data_copy, db)
    streams = data_copy / "streams.yaml"
    name = load(streams).data["streams"][0]["name"]
    edit(streams, f"name: {name}\n", f"name: {name} Renamed\n")
    result = build(data_copy, db)
    assert result.reused == ("papers",)
    catalog = open_catalog(db)
    try:
        assert f"{name} Renamed" in [s.name for s in catalog.streams.values()]
        assert len(catalog.papers) == 20
        source = load(data_copy / "papers.yaml").data["papers"][0]
        assert catalog.papers[source["id"]].abstract == source["abstract"]
        hits = catalog.fts("SELECT rowid FROM streams_fts WHERE streams_fts MATCH ?", ('"renamed"',))
        assert len(hits) == 1
    finally:
        catalog.close()


def test_an_edit_of_papers_rebuilds_the_papers(tmp_path, data_copy):
    db = tmp_path / "catalog.db"
    build(data_copy, db)
    edit(data_copy / "papers.yaml", "citations: 14\n", "citations: 15\n")
    result = build(data_copy, db)
    assert "papers" not in result.reused
    paper = load(data_copy / "papers.yaml").data["papers"][1]
    catalog = open_catalog(db)
    try:
        assert catalog.papers[paper["id"]].citations == 15 == paper["citations"]
    finally:
        catalog.close()


def test_a_bad_edit_after_a_skipped_build_still_writes_nothing(tmp_path, data_copy):
    db = tmp_path / "catalog.db"
    build(data_copy, db)
    before = db.read_bytes()
    edit(data_copy / "streams.yaml", "track: empirical", "track: empiricle")
    with pytest.raises(SourceError):
        build(data_copy, db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_duplicate_and_non_text_keys_name_their_line(data_copy):
    papers = data_copy / "papers.yaml"
    edit(papers, "  citations: 14\n", "  citations: 14\n  citations: 16\n")
    [msg] = problems(data_copy)
    assert f"papers.yaml:{line_of(papers, 'citations: 16')}: papers[1].citations: duplicate key" in msg
    edit(papers, "  citations: 16\n", "  3: 16\n")
    [msg] = problems(data_copy)
    assert f"papers.yaml:{line_of(papers, '  3: 16')}: papers[1]: key 3 must be text" in msg


FILES = [Path(__file__).parents[3] / "data" / n for n in ("papers.yaml", "streams.yaml", "program.yaml")]
TRICKY = """\
a: 1
b: 1.5
c: ~
d: null
e: true
f: 'x'
g: "3"
h:
i: [1, two, 0x1F, .inf, 2024-01-01, yes, No, '', 2024-02-30]
j: {k: -2, l: +3}
m: !!str 5
n: 1_000
o: >
  folded
  text
p: &anchor [1]
q: *anchor
"""


@pytest.mark.parametrize("text", [*(f.read_text(encoding="utf-8") for f in FILES), TRICKY])
def test_the_fast_parse_reads_what_the_line_tracking_parse_reads(text):
    fast = parse(text, "f.yaml")
    slow = parse_with_lines(text, "f.yaml")
    assert fast.data == slow.data
    assert fast.lines == slow.lines  # found on demand, by parsing again


VALUES = st.sampled_from([None, "", "  ", "x", "a-b", "A B", 0, -1, 3, True, 2.5, [], ["x"], ["x", 1], {},
                          "2024-01-01", "2024-02-30", dt.date(2024, 1, 2)])


@given(st.dictionaries(st.sampled_from([*(schema.PAPER.fields or {}), "extra"]), VALUES))
def test_the_quick_shape_check_agrees_with_the_full_one(record):
    doc = Document("p.yaml", {"papers": [record], "people": []})
    assert schema.valid(schema.PAPERS_FILE)(doc.data) == (schema.check(doc, schema.PAPERS_FILE) == [])
    full: list[schema.Problem] = []
    schema._check(doc, doc.data, schema.PAPERS_FILE, (), full)
    assert (full == []) == schema.valid(schema.PAPERS_FILE)(doc.data)



def _paths(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@pytest.mark.parametrize("name, spec", [("streams.yaml", schema.STREAMS_FILE), ("program.yaml", schema.PROGRAM_FILE),
                                        ("papers.yaml", schema.PAPERS_FILE)])
@given(data=st.data())
def test_the_quick_check_agrees_with_the_full_one_after_any_edit(name, spec, data):
    # The real files, each with up to three values replaced, removed or given a sibling anywhere: the
    # quick check reads each field of all the records of a list as one column, the full one walks them.
    doc = parse((Path(__file__).parents[3] / "data" / name).read_text(encoding="utf-8"), name)
    assert schema.valid(spec)(doc.data) and schema.check(doc, spec) == []
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc.data)[1:]
        if not paths:  # every top-level key removed already ('editions', then 'key_dates')
            break
        path = data.draw(st.sampled_from(paths))
        parent = doc.data
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(VALUES)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "note", "aliases", "text"]))] = data.draw(VALUES)
        else:
            parent.append(data.draw(VALUES))
    full: list[schema.Problem] = []
    schema._check(doc, doc.data, spec, (), full)
    assert (full == []) == schema.valid(spec)(doc.data)


def test_every_table_and_column_holds_what_the_yaml_says(tmp_path):
    """The build's rows and columns against a plain paper-by-paper reading of the same YAML: a
    synthetic catalog with accents, aliases credited and alumni spelled otherwise than their credit.
    """
    import json

    from bench import synth
    from bot.catalog.columns import Columns
    from bot.text import STOPWORDS, fold, word_postings

    catalog = synth.generate(300)
    for paper in catalog.papers[::7]:
        paper["alumni"] = [name.upper() for name in paper["alumni"]]  # folds like the credit
    synth.write_sources(catalog, tmp_path / "data")
    db_path = tmp_path / "catalog.db"
    build(tmp_path / "data", db_path)
    papers, people = catalog.papers, catalog.people

    owner = {fold(n): p["id"] for p in people for n in (p["name"], *(p.get("aliases") or []))}
    date = {p["id"]: dt.date.fromisoformat(str(p["date"])) for p in papers}
    tie = sorted(papers, key=lambda p: (-p["citations"], -date[p["id"]].toordinal(), p["title"].casefold(), p["id"]))
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT rowid, * FROM papers ORDER BY rowid").fetchall() == [
        (n, p["id"], p["title"], p["abstract"], date[p["id"]].isoformat(), date[p["id"]].year, date[p["id"]].month,
         p["citations"], p.get("url"), p.get("note")) for n, p in enumerate(tie, 1)]
    assert db.execute("SELECT * FROM people ORDER BY rowid").fetchall() == [
        (p["id"], p["name"], json.dumps(p.get("aliases") or [], ensure_ascii=False), p.get("note")) for p in people]
    credits = sorted((p["id"], j, owner[fold(name)], name, int(fold(name) in {fold(a) for a in p["alumni"]}))
                     for p in papers for j, name in enumerate(p["authors"]))
    assert db.execute("SELECT * FROM authorship ORDER BY paper_id, position").fetchall() == credits
    assert any(flag for *_, flag in credits) and not all(flag for *_, flag in credits)
    db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")  # raises if it does not match
    db.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, papers_fts, row)")
    assert db.execute("SELECT * FROM papers_terms ORDER BY term").fetchall() == \
        db.execute("SELECT term, doc FROM temp.v ORDER BY term").fetchall()

    c = Columns.read(db)
    number = {p["id"]: n for n, p in enumerate(tie)}
    assert c.paper_ids == [p["id"] for p in tie] and c.person_ids == [p["id"] for p in people]
    newest = sorted(range(len(tie)), key=lambda n: (-date[tie[n]["id"]].toordinal(), -tie[n]["citations"], tie[n]["title"]))
    assert list(c.catalog_order) == newest
    for n, paper in enumerate(tie):
        at = range(c.author_at[n], c.author_at[n + 1])
        assert [c.spellings[c.author_spelling[k]] for k in at] == paper["authors"]
        assert [c.person_ids[c.author_person[k]] for k in at] == [owner[fold(a)] for a in paper["authors"]]
        assert [c.author_alumnus[k] for k in at] == [int(fold(a) in {fold(x) for x in paper["alumni"]})
                                                       for a in paper["authors"]]
    for j, person in enumerate(people):
        wrote = [number[p["id"]] for p in papers for a in p["authors"] if owner[fold(a)] == person["id"]]
        assert list(c.person_papers[c.person_paper_at[j]:c.person_paper_at[j + 1]]) == \
            sorted(wrote, key=newest.index)
    keys = [" ".join(w for w in fold(p["title"]).split() if w not in STOPWORDS) for p in tie]
    assert c.title_keys == keys
    assert {w: list(p) for w, p in c.title_postings().items()} == \
        {w: list(p) for w, p in word_postings([k for k in keys if k]).items()}
