"""Build the catalog database from data/*.yaml, all or nothing, and only what changed.

The database is a cache of the YAML: it is written to a temporary file and renamed over the old one
only when every check passed, so a bad edit never leaves the bot with half a catalog. The bot's own
state (staff deadlines, reminders) lives in a different file and is never touched here.

A build is fast at 100k papers because the YAML is read with libyaml (lines only for problems, see
`sources`), every row goes in with `executemany` in one transaction, and the work for a part whose
files did not change since the last good build is skipped: the database records each file's
content hash, so an edit of streams.yaml copies the papers tables instead of re-reading 100 MB, and a
`git pull` that changed nothing rebuilds nothing. papers.yaml refers to nothing outside itself, and
streams.yaml and program.yaml only to each other: those are the two parts (`PARTS`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, count, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.catalog import indexes, schema
from bot.catalog.columns import TABLE as PACKED
from bot.catalog.columns import Columns, tie_order
from bot.catalog.schema import parse_date, person_keys
from bot.catalog.sources import Document, Problem, SourceError, no_gc, parse
from bot.text import fold_fast, once

SOURCE_FILES = {"papers": "papers.yaml", "streams": "streams.yaml", "program": "program.yaml"}
SPECS = {"papers": schema.PAPERS_FILE, "streams": schema.STREAMS_FILE, "program": schema.PROGRAM_FILE}
PARTS = {"papers": ("papers",), "program": ("streams", "program")}
"""Files validated and written together; a part whose files are unchanged is copied, not rebuilt."""
PROGRAM_TABLES = ("tracks", "streams", "stream_mentors", "streams_fts", "editions", "edition_tracks",
                  "application_stages", "key_dates")
FORMAT = "4"
"""The database layout's version: a database of another layout is never reused, whatever its hashes."""
TOKENIZE = "unicode61 remove_diacritics 2"
BUILD_CACHE_KB = 256 * 1024
"""SQLite page cache of the build's connection (KiB): the whole database of 100k papers fits."""


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    seconds: float
    reused: tuple[str, ...] = field(default=())  # source files unchanged since the last good build


def _read(path: Path) -> bytes | Problem:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return Problem(str(path), None, "", "file not found")
    except OSError as exc:
        return Problem(str(path), None, "", f"cannot read: {exc}")


def load_sources(data_dir: Path, keys: tuple[str, ...] = tuple(SOURCE_FILES),
                 raw: dict[str, bytes | Problem] | None = None) -> dict[str, Document]:
    """Parse the source files named by *keys* (their bytes in *raw* when already read)."""
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    for key in keys:
        path = data_dir / SOURCE_FILES[key]
        data = raw[key] if raw is not None and key in raw else _read(path)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        try:
            docs[key] = parse(data.decode("utf-8"), str(path))
        except UnicodeDecodeError as exc:
            problems.append(Problem(str(path), None, "", f"cannot read: {exc}"))
        except SourceError as exc:
            problems += exc.problems
    if problems:
        raise SourceError(problems)
    return docs


def check_sources(docs: dict[str, Document], folded: dict[str, str] | None = None) -> list[Problem]:
    """Every problem of the given parts' files (see `PARTS`)."""
    problems = []
    if "papers" in docs:
        problems += check_papers(docs["papers"], folded)
    if "streams" in docs or "program" in docs:
        problems += check_program(docs["streams"], docs["program"])
    return problems


def check_papers(papers: Document, folded: dict[str, str] | None = None) -> list[Problem]:
    """Shape first; cross-references only when the shapes are right (else they would only echo).
    *folded* keeps each name's folded form for the build (100k papers credit 60k people 400k times).
    """
    problems = schema.check(papers, SPECS["papers"])
    if problems:
        return problems
    problems += schema.check_ids(papers, papers.data["papers"], "papers")
    problems += schema.check_ids(papers, papers.data["people"], "people")
    # `fold_fast` is `fold` (the same text: *folded* is shared with `Columns.of`), twice as fast on ASCII.
    fold_once = once(fold_fast, {} if folded is None else folded)

    owner: dict[str, str] = {}
    for i, person in enumerate(papers.data["people"]):
        for key in person_keys(person, fold_once):
            if key in owner and owner[key] != person["id"]:
                problems.append(papers.problem(("people", i), f"'{key}' also names person '{owner[key]}'"))
            owner[key] = person["id"]
    if not _references_hold(papers.data["papers"], owner, fold_once):
        problems += _reference_problems(papers, owner, fold_once)
    return problems


def _references_hold(papers: list[dict[str, Any]], owner: dict[str, str], fold_once: Callable[[str], str]) -> bool:
    """Whether `_reference_problems` would find nothing, asked of each distinct name once instead of
    each of the 400k credits of 100k papers (they name 60k people).
    """
    titles = set(map(fold_once, map(itemgetter("title"), papers)))
    if len(titles) != len(papers):
        return False
    credited = list(map(itemgetter("authors"), papers))
    # An alumnus is credited as spelled in the authors (the common case, asked of all papers at once),
    # or folds like one of them.
    try:
        spelled_so = all(map(set.issuperset, map(set, credited), map(dict.get, papers, repeat("alumni"), repeat(()))))
    except TypeError:  # alumni: null
        spelled_so = False
    if not spelled_so:
        for paper in papers:
            alumni = paper.get("alumni")
            if alumni and not all(name in paper["authors"] or fold_once(name) in set(map(fold_once, paper["authors"]))
                                  for name in alumni):
                return False
    return all(map(owner.__contains__, map(fold_once, set(chain.from_iterable(credited)))))


def _reference_problems(papers: Document, owner: dict[str, str], fold_once: Callable[[str], str]) -> list[Problem]:
    """Titles given twice, authors not in people, alumni not among the authors: each with its line."""
    problems = []
    titles: dict[str, int] = {}
    for i, paper in enumerate(papers.data["papers"]):
        title = fold_once(paper["title"])
        if title in titles:
            problems.append(papers.problem(("papers", i, "title"), f"same title as papers[{titles[title]}]"))
        titles.setdefault(title, i)
        authors = {fold_once(a) for a in paper["authors"]}
        for j, name in enumerate(paper["authors"]):
            if fold_once(name) not in owner:
                problems.append(papers.problem(("papers", i, "authors", j), f"'{name}' is not in people"))
        for j, name in enumerate(paper.get("alumni") or []):
            if fold_once(name) not in authors:
                problems.append(papers.problem(("papers", i, "alumni", j), f"'{name}' is not among the authors"))
    return problems


def check_program(streams: Document, program: Document) -> list[Problem]:
    """streams.yaml and program.yaml name each other's tracks and editions: checked together."""
    problems = schema.check(streams, SPECS["streams"]) + schema.check(program, SPECS["program"])
    if problems:
        return problems
    problems += schema.check_ids(streams, streams.data["tracks"], "tracks")
    problems += schema.check_ids(streams, streams.data["streams"], "streams")
    problems += schema.check_ids(program, program.data["editions"], "editions")
    problems += schema.check_ids(program, program.data["key_dates"], "key_dates")

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


def _digest(data: bytes | Problem) -> str | None:
    return None if isinstance(data, Problem) else hashlib.sha256(data).hexdigest()


def _previous(db_path: Path) -> dict[str, Any] | None:
    """The last good build's meta (format, source hashes, counts), or None when there is none to reuse."""
    if not db_path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if meta.get("format") != FORMAT or "sources" not in meta:
        return None
    return {"sources": json.loads(meta["sources"]), "counts": json.loads(meta["counts"])}


def build(data_dir: Path, db_path: Path) -> BuildResult:
    """Validate and write the catalog database atomically; raises SourceError and writes nothing on any
    problem. Parts whose files have the content of the last good build are not read again.
    """
    started = time.perf_counter()
    with no_gc():
        raw = {key: _read(data_dir / name) for key, name in SOURCE_FILES.items()}
        hashes = {key: _digest(data) for key, data in raw.items()}
        old = _previous(db_path)
        same = {part for part, keys in PARTS.items()
                if old is not None and all(hashes[k] is not None and old["sources"].get(k) == hashes[k] for k in keys)}
        if same == set(PARTS):
            assert old is not None
            os.utime(db_path)  # up to date: newer than its sources again
            return BuildResult(db_path, old["counts"], time.perf_counter() - started, tuple(SOURCE_FILES))
        # Only the papers are worth copying; when they changed, the small files are read again too.
        reused = PARTS["papers"] if "papers" in same else ()
        todo = tuple(k for k in SOURCE_FILES if k not in reused)
        docs = load_sources(data_dir, todo, raw)
        folded: dict[str, str] = {}
        problems = check_sources(docs, folded)
        if problems:
            raise SourceError(problems)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            if reused:
                assert old is not None
                _copy(db_path, tmp)
                counts = write(_database(tmp), docs, hashes, old["counts"])
            else:
                counts = write(_database(tmp), docs, hashes, folded=folded)
            os.replace(tmp, db_path)
        finally:
            tmp.unlink(missing_ok=True)
    return BuildResult(db_path, counts, time.perf_counter() - started, reused)


def _database(path: Path) -> sqlite_utils.Database:
    """The database being built; its connection may be handed to the indexing thread (`_write_papers`),
    one thread at a time.
    """
    return sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))


def _copy(db_path: Path, tmp: Path) -> None:
    """A copy of the last good database to rewrite a part of (SQLite's backup: consistent while read)."""
    source = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _table(db: sqlite_utils.Database, name: str) -> sqlite_utils.db.Table:
    """A table of the catalog being written (never a view: the build creates only tables)."""
    table = db.table(name)
    assert isinstance(table, sqlite_utils.db.Table), name
    return table


def _j(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _insert(db: sqlite_utils.Database, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        marks = ",".join("?" * len(rows[0]))
        db.conn.executemany(f"INSERT INTO [{table}] VALUES ({marks})", rows)


def write(db: sqlite_utils.Database, docs: dict[str, Document], hashes: dict[str, str | None],
          kept_counts: dict[str, int] | None = None, folded: dict[str, str] | None = None) -> dict[str, int]:
    """Write the parts in *docs* into *db*: a new file, or a copy of the last good one whose other
    part is kept (then *kept_counts* are its counts). Tables first, then every row in one transaction.
    """
    db.conn.execute("PRAGMA journal_mode=OFF")
    db.conn.execute("PRAGMA synchronous=OFF")
    # Index b-trees (ids, authorship, full text) take rows in no particular order: with SQLite's
    # default 2 MB page cache every insert at 100k papers would miss it and go to the file.
    db.conn.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KB}")
    counts = dict(kept_counts or {})
    if "papers" in docs:
        _create_papers(db)
    else:
        for name in PROGRAM_TABLES[::-1]:
            db.conn.execute(f"DROP TABLE IF EXISTS [{name}]")
    _create_program(db)
    if "meta" not in db.table_names():
        _table(db, "meta").create({"key": str, "value": str}, pk="key")
    with db.conn:  # one transaction
        if "papers" in docs:
            counts |= _write_papers(db, docs["papers"].data, folded)
        counts |= _write_program(db, docs["streams"].data, docs["program"].data)
        meta = {"built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "format": FORMAT,
                "counts": json.dumps(counts), "sources": json.dumps(hashes)}
        db.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    db.conn.close()
    return counts


def _create_papers(db: sqlite_utils.Database) -> None:
    _table(db, "people").create({"id": str, "name": str, "aliases": str, "note": str}, pk="id")
    # The ids' unique index is made after the rows are in (`_index_papers`): one sort instead of 100k
    # inserts at random places of its b-tree.
    _table(db, "papers").create(
        {"id": str, "title": str, "abstract": str, "date": str, "year": int, "month": int, "citations": int,
         "url": str, "note": str}, not_null={"id"})
    # Who wrote what, for SQL readers (the bot itself loads it from the packed columns): one b-tree.
    db.conn.execute("CREATE TABLE authorship (paper_id TEXT NOT NULL REFERENCES papers(id), position INTEGER NOT NULL, "
                    "person_id TEXT NOT NULL REFERENCES people(id), credited_as TEXT NOT NULL, alumnus INTEGER NOT NULL, "
                    "PRIMARY KEY (paper_id, position)) WITHOUT ROWID")
    _table(db, "papers").enable_fts(["title", "abstract"], tokenize=TOKENIZE)
    db.conn.execute("CREATE TABLE papers_terms (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID")
    db.conn.execute(f"CREATE TABLE {PACKED} (name TEXT PRIMARY KEY, data BLOB NOT NULL)")


def _write_papers(db: sqlite_utils.Database, doc: dict[str, Any], folded: dict[str, str] | None) -> dict[str, int]:
    people, papers = doc["people"], doc["papers"]
    order = tie, dates = tie_order(papers)
    days: dict[int, tuple[str, int, int]] = {}  # 100k papers have a few thousand dates
    for ordinal in set(dates):
        date = dt.date.fromordinal(ordinal)
        days[ordinal] = (date.isoformat(), date.year, date.month)
    # rowid = tie order: most cited (then newest) first, so that where FTS ranks only the first
    # rows a query matches, they are these.
    db.conn.executemany(
        "INSERT INTO papers (rowid, id, title, abstract, date, year, month, citations, url, note) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(n, p["id"], p["title"], p["abstract"], *days[ordinal], p["citations"], p.get("url"), p.get("note"))
         for n, p, ordinal in zip(count(1), tie, dates)])
    # Full-text indexing is SQLite's own work, a few long statements: a thread runs them while this
    # one makes the columns and the other tables' rows (sqlite3 lets go of the GIL while a statement
    # runs). One thread at a time uses the connection: this one waits for the indexing to write again.
    with ThreadPoolExecutor(1, thread_name_prefix="catalog-fts") as pool:
        indexed = pool.submit(_index_papers, db.conn)
        columns = Columns.of(papers, people, folded, order)
        people_rows = [(p["id"], p["name"], _j(aliases) if (aliases := p.get("aliases")) else "[]", p.get("note"))
                       for p in people]
        at, ids, person = columns.author_at, columns.paper_ids, columns.author_person
        person_ids, spellings, spelling, alumnus = columns.person_ids, columns.spellings, columns.author_spelling, \
            columns.author_alumnus
        # In the table's key order (paper id, position): the b-tree is filled left to right.
        authorship = [(ids[n], k - at[n], person_ids[person[k]], spellings[spelling[k]], alumnus[k])
                      for n in sorted(range(len(ids)), key=ids.__getitem__) for k in range(at[n], at[n + 1])]
        packed = columns.rows()
        indexed.result()
    _insert(db, "people", people_rows)
    # Who wrote what, for SQL readers (the bot itself loads it from the packed columns).
    _insert(db, "authorship", authorship)
    # The columns, and the names and words the question reader derives from the papers (`indexes`:
    # it reads papers_terms).
    db.conn.executemany(f"INSERT INTO {PACKED} VALUES (?, ?)", [*packed, *indexes.rows(db.conn, columns, folded)])
    return {"papers": len(papers), "people": len(people)}


def _index_papers(conn: sqlite3.Connection) -> None:
    """The papers' id index and full-text index, and how many papers have each indexed word (search
    leaves the commonest words out of FTS queries).
    """
    conn.execute("CREATE UNIQUE INDEX papers_id ON papers (id)")
    conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
    conn.execute("CREATE VIRTUAL TABLE temp.papers_vocab USING fts5vocab(main, papers_fts, row)")
    conn.execute("INSERT INTO papers_terms SELECT term, doc FROM temp.papers_vocab")
    conn.execute("DROP TABLE temp.papers_vocab")


def _create_program(db: sqlite_utils.Database) -> None:
    _table(db, "tracks").create({"id": str, "name": str, "description": str, "requirements": str,
                                 "project_selection": str}, pk="id")
    stream_columns: dict[str, Any] = {
        "id": str, "name": str, "nicknames": str, "track_id": str, "mentors_note": str, "organisation": str,
        "description": str, "project_selection": str, "extra": str}
    for k, spec in (schema.CADENCE.fields or {}).items():
        stream_columns[f"cadence_{k}"] = int if spec.kind in ("int", "bool") else str
    for k in schema.REQUIREMENTS.fields or {}:
        stream_columns[f"req_{k}"] = str
    _table(db, "streams").create(stream_columns, pk="id", foreign_keys=[("track_id", "tracks", "id")])
    _table(db, "stream_mentors").create({"stream_id": str, "position": int, "name": str, "role": str},
                                        pk=("stream_id", "position"))
    _table(db, "streams").enable_fts(["name", "description"], tokenize=TOKENIZE)
    _table(db, "editions").create({"id": str, "label": str, "source": str, "weeks": int, "description": str,
                                   "mentors_blurb": str, "eligibility": str}, pk="id")
    _table(db, "edition_tracks").create({"edition_id": str, "position": int, "track_id": str},
                                        pk=("edition_id", "position"))
    _table(db, "application_stages").create({"edition_id": str, "position": int, "text": str},
                                            pk=("edition_id", "position"))
    _table(db, "key_dates").create({"id": str, "edition_id": str, "name": str, "date": str, "date_text": str,
                                    "note": str}, pk="id")


def _write_program(db: sqlite_utils.Database, streams_doc: dict[str, Any],
                   program_doc: dict[str, Any]) -> dict[str, int]:
    tracks, streams = streams_doc["tracks"], streams_doc["streams"]
    _insert(db, "tracks", [(t["id"], t["name"], t.get("description"), t.get("requirements"),
                            t.get("project_selection")) for t in tracks])
    stream_rows, mentor_rows = [], []
    for s in streams:
        c, r = s["cadence"], s["requirements"]
        stream_rows.append((
            s["id"], s["name"], _j(s.get("nicknames") or []), s["track"], s.get("mentors_note"),
            s.get("organisation"), s["description"], s.get("project_selection"), s.get("extra"),
            *(c.get(k) for k in schema.CADENCE.fields or {}),
            *((_j(r.get(k)) if k != "text" else r.get(k)) for k in schema.REQUIREMENTS.fields or {}),
        ))
        mentor_rows += [(s["id"], pos, m["name"], m["role"]) for pos, m in enumerate(s["mentors"])]
    _insert(db, "streams", stream_rows)
    _insert(db, "stream_mentors", mentor_rows)
    db.conn.execute("INSERT INTO streams_fts (streams_fts) VALUES ('rebuild')")
    editions = program_doc["editions"]
    _insert(db, "editions", [tuple(e.get(k) for k in ("id", "label", "source", "weeks", "description",
                                                       "mentors_blurb", "eligibility")) for e in editions])
    _insert(db, "edition_tracks", [(e["id"], i, t) for e in editions for i, t in enumerate(e["tracks"])])
    _insert(db, "application_stages", [(e["id"], i, text) for e in editions
                                       for i, text in enumerate(e["application_stages"])])
    _insert(db, "key_dates", [(k["id"], k["edition"], k["name"],
                               d.isoformat() if (d := parse_date(k["date"])) else None,
                               k.get("date_text"), k.get("note")) for k in program_doc["key_dates"]])
    return {"streams": len(streams), "tracks": len(tracks), "editions": len(editions),
            "key_dates": len(program_doc["key_dates"])}
