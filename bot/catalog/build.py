"""Build the catalog database from data/*.yaml, all or nothing.

The database is a cache of the YAML: it is written to a temporary file and renamed over the old one
only when every check passed, so a bad edit never leaves the bot with half a catalog. The bot's own
state (staff deadlines, reminders) lives in a different file and is never touched here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.catalog import schema
from bot.catalog.schema import parse_date, person_keys
from bot.catalog.sources import Document, Problem, SourceError, load
from bot.text import fold

SOURCE_FILES = {"papers": "papers.yaml", "streams": "streams.yaml", "program": "program.yaml"}
SPECS = {"papers": schema.PAPERS_FILE, "streams": schema.STREAMS_FILE, "program": schema.PROGRAM_FILE}


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    seconds: float


def load_sources(data_dir: Path) -> dict[str, Document]:
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    for key, name in SOURCE_FILES.items():
        try:
            docs[key] = load(data_dir / name)
        except SourceError as exc:
            problems += exc.problems
    if problems:
        raise SourceError(problems)
    return docs


def check_sources(docs: dict[str, Document]) -> list[Problem]:
    """Shape first; cross-references only when the shapes are right (else they would only echo)."""
    problems = [p for key, doc in docs.items() for p in schema.check(doc, SPECS[key])]
    if problems:
        return problems
    papers, streams, program = docs["papers"], docs["streams"], docs["program"]
    problems += schema.check_ids(papers, papers.data["papers"], "papers")
    problems += schema.check_ids(papers, papers.data["people"], "people")
    problems += schema.check_ids(streams, streams.data["tracks"], "tracks")
    problems += schema.check_ids(streams, streams.data["streams"], "streams")
    problems += schema.check_ids(program, program.data["editions"], "editions")
    problems += schema.check_ids(program, program.data["key_dates"], "key_dates")

    owner: dict[str, str] = {}
    for i, person in enumerate(papers.data["people"]):
        for key in person_keys(person):
            if key in owner and owner[key] != person["id"]:
                problems.append(papers.problem(("people", i), f"'{key}' also names person '{owner[key]}'"))
            owner[key] = person["id"]
    titles: dict[str, int] = {}
    for i, paper in enumerate(papers.data["papers"]):
        title = fold(paper["title"])
        if title in titles:
            problems.append(papers.problem(("papers", i, "title"), f"same title as papers[{titles[title]}]"))
        titles.setdefault(title, i)
        authors = {fold(a) for a in paper["authors"]}
        for j, name in enumerate(paper["authors"]):
            if fold(name) not in owner:
                problems.append(papers.problem(("papers", i, "authors", j), f"'{name}' is not in people"))
        for j, name in enumerate(paper.get("alumni") or []):
            if fold(name) not in authors:
                problems.append(papers.problem(("papers", i, "alumni", j), f"'{name}' is not among the authors"))

    editions = {e["id"]: e for e in program.data["editions"]}
    tracks = {t["id"]: t for t in streams.data["tracks"]}
    for i, track in enumerate(streams.data["tracks"]):
        for j, ed in enumerate(track["editions"]):
            if ed not in editions:
                problems.append(streams.problem(("tracks", i, "editions", j), f"no edition '{ed}' in program.yaml"))
            elif track["id"] not in editions[ed]["tracks"]:
                problems.append(streams.problem(("tracks", i, "editions", j),
                                                f"edition '{ed}' does not list track '{track['id']}'"))
    for i, stream in enumerate(streams.data["streams"]):
        if stream["track"] not in tracks:
            problems.append(streams.problem(("streams", i, "track"), f"no track '{stream['track']}'"))
    for i, edition in enumerate(program.data["editions"]):
        for j, track in enumerate(edition["tracks"]):
            if track not in tracks:
                problems.append(program.problem(("editions", i, "tracks", j), f"no track '{track}' in streams.yaml"))
    for i, kd in enumerate(program.data["key_dates"]):
        if kd["edition"] not in editions:
            problems.append(program.problem(("key_dates", i, "edition"), f"no edition '{kd['edition']}'"))
    return problems


def check(data_dir: Path) -> dict[str, Document]:
    docs = load_sources(data_dir)
    problems = check_sources(docs)
    if problems:
        raise SourceError(problems)
    return docs


def build(data_dir: Path, db_path: Path) -> BuildResult:
    """Validate and write the catalog database atomically; raises SourceError and writes nothing on any problem."""
    started = time.perf_counter()
    docs = check(data_dir)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        counts = write(sqlite_utils.Database(tmp), docs)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return BuildResult(db_path, counts, time.perf_counter() - started)


def _table(db: sqlite_utils.Database, name: str) -> sqlite_utils.db.Table:
    """A table of the catalog being written (never a view: the build creates only tables)."""
    table = db.table(name)
    assert isinstance(table, sqlite_utils.db.Table), name
    return table


def _j(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def write(db: sqlite_utils.Database, docs: dict[str, Document]) -> dict[str, int]:
    papers_doc, streams_doc, program_doc = docs["papers"].data, docs["streams"].data, docs["program"].data
    db.conn.execute("PRAGMA journal_mode=OFF")
    db.conn.execute("PRAGMA synchronous=OFF")

    people = papers_doc["people"]
    owner = {k: p["id"] for p in people for k in person_keys(p)}
    _table(db, "people").insert_all(
        ({"id": p["id"], "name": p["name"], "aliases": _j(p.get("aliases") or []), "note": p.get("note")}
         for p in people), pk="id", batch_size=5000)
    paper_rows, authorship = [], []
    for paper in papers_doc["papers"]:
        date = parse_date(paper["date"])
        assert date is not None
        paper_rows.append({
            "id": paper["id"], "title": paper["title"], "abstract": paper["abstract"], "date": date.isoformat(),
            "year": date.year, "month": date.month, "citations": paper["citations"], "url": paper.get("url"),
            "note": paper.get("note"),
        })
        alumni = {fold(a) for a in paper.get("alumni") or []}
        for pos, name in enumerate(paper["authors"]):
            authorship.append({"paper_id": paper["id"], "position": pos, "person_id": owner[fold(name)],
                               "credited_as": name, "alumnus": fold(name) in alumni})
    # Most cited (then newest) first: where FTS ranks only the first rows a query matches, they are these.
    paper_rows.sort(key=lambda r: (-r["citations"], -dt.date.fromisoformat(r["date"]).toordinal()))
    _table(db, "papers").insert_all(paper_rows, pk="id", batch_size=5000)
    _table(db, "authorship").insert_all(authorship, pk=("paper_id", "position"), batch_size=10000,
                                foreign_keys=[("paper_id", "papers", "id"), ("person_id", "people", "id")])
    _table(db, "authorship").create_index(["person_id"])
    _table(db, "papers").enable_fts(["title", "abstract"], tokenize="unicode61 remove_diacritics 2")
    # How many papers have each indexed word: search leaves the commonest words out of FTS queries.
    db.conn.execute("CREATE VIRTUAL TABLE temp.papers_vocab USING fts5vocab(main, papers_fts, row)")
    db.conn.execute("CREATE TABLE papers_terms (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID")
    db.conn.execute("INSERT INTO papers_terms SELECT term, doc FROM temp.papers_vocab")

    _table(db, "tracks").insert_all(
        ({"id": t["id"], "name": t["name"], "description": t.get("description"),
          "requirements": t.get("requirements"), "project_selection": t.get("project_selection")}
         for t in streams_doc["tracks"]), pk="id")
    stream_rows, mentor_rows = [], []
    for s in streams_doc["streams"]:
        c, r = s["cadence"], s["requirements"]
        stream_rows.append({
            "id": s["id"], "name": s["name"], "nicknames": _j(s.get("nicknames") or []), "track_id": s["track"],
            "mentors_note": s.get("mentors_note"), "organisation": s.get("organisation"),
            "description": s["description"], "project_selection": s.get("project_selection"), "extra": s.get("extra"),
            **{f"cadence_{k}": c.get(k) for k in schema.CADENCE.fields or {}},
            **{f"req_{k}": (_j(r.get(k)) if k != "text" else r.get(k)) for k in schema.REQUIREMENTS.fields or {}},
        })
        for pos, m in enumerate(s["mentors"]):
            mentor_rows.append({"stream_id": s["id"], "position": pos, "name": m["name"], "role": m["role"]})
    _table(db, "streams").insert_all(stream_rows, pk="id", foreign_keys=[("track_id", "tracks", "id")])
    _table(db, "stream_mentors").insert_all(mentor_rows, pk=("stream_id", "position"),
                                    columns={"stream_id": str, "position": int, "name": str, "role": str})
    _table(db, "streams").enable_fts(["name", "description"], tokenize="unicode61 remove_diacritics 2")

    editions = program_doc["editions"]
    _table(db, "editions").insert_all(
        ({k: e.get(k) for k in ("id", "label", "source", "weeks", "description", "mentors_blurb", "eligibility")}
         for e in editions), pk="id")
    _table(db, "edition_tracks").insert_all(
        ({"edition_id": e["id"], "position": i, "track_id": t} for e in editions for i, t in enumerate(e["tracks"])),
        pk=("edition_id", "position"))
    _table(db, "application_stages").insert_all(
        ({"edition_id": e["id"], "position": i, "text": s}
         for e in editions for i, s in enumerate(e["application_stages"])),
        pk=("edition_id", "position"), columns={"edition_id": str, "position": int, "text": str})
    _table(db, "key_dates").insert_all(
        ({"id": k["id"], "edition_id": k["edition"], "name": k["name"],
          "date": d.isoformat() if (d := parse_date(k["date"])) else None,
          "date_text": k.get("date_text"), "note": k.get("note")} for k in program_doc["key_dates"]),
        pk="id", columns={"id": str, "edition_id": str, "name": str, "date": str, "date_text": str, "note": str})

    counts = {"papers": len(paper_rows), "people": len(people), "streams": len(stream_rows),
              "tracks": len(streams_doc["tracks"]), "editions": len(editions),
              "key_dates": len(program_doc["key_dates"])}
    _table(db, "meta").insert_all(
        [{"key": "built_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
         {"key": "counts", "value": json.dumps(counts)}], pk="key")
    db.conn.commit()
    db.conn.execute("VACUUM")
    db.conn.close()
    return counts
