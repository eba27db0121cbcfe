"""The loaded catalog: what indexes and answers need in memory, the rest read from the database.

Autocomplete and rankings read memory only (Discord gives autocomplete 3 seconds and a phone user
much less patience): papers and people are the compact columns of `bot.catalog.columns`, seen through
small `Paper` and `Person` views made when asked for. Display text a reply shows — an abstract, a
url — is read from the built database when the reply is made (microseconds: a primary-key look-up
on a read-only connection shared by every thread, the same one full-text search uses). Streams,
tracks, editions and key dates are a few dozen entries and stay plain immutable objects.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, ValuesView
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from bot.catalog.columns import TABLE, Columns
from bot.catalog.indexes import PaperWords
from bot.catalog.sources import no_gc
from bot.text import fold

V = TypeVar("V")


@dataclass(frozen=True)
class Author:
    person_id: str
    credited_as: str
    alumnus: bool


class Paper:
    """One paper of a catalog: a view of its columns; `abstract` and `url` are read from the database."""

    __slots__ = ("_catalog", "number")

    def __init__(self, catalog: Catalog, number: int):
        self._catalog = catalog
        self.number = number  # tie order: 0 is the most cited

    @property
    def id(self) -> str:
        return self._catalog.columns.paper_ids[self.number]

    @property
    def title(self) -> str:
        return self._catalog.columns.titles[self.number]

    @property
    def date(self) -> dt.date:
        return dt.date.fromordinal(self._catalog.columns.dates[self.number])

    @property
    def citations(self) -> int:
        return self._catalog.columns.citations[self.number]

    @property
    def authors(self) -> tuple[Author, ...]:
        c = self._catalog.columns
        ids, names = c.person_ids, c.spellings
        return tuple(Author(ids[c.author_person[k]], names[c.author_spelling[k]], bool(c.author_alumnus[k]))
                     for k in range(c.author_at[self.number], c.author_at[self.number + 1]))

    @property
    def alumni(self) -> tuple[Author, ...]:
        return tuple(a for a in self.authors if a.alumnus)

    @property
    def abstract(self) -> str:
        return self._catalog.paper_text(self.number)[0]

    @property
    def url(self) -> str | None:
        return self._catalog.paper_text(self.number)[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Paper) and other._catalog is self._catalog and other.number == self.number

    def __hash__(self) -> int:
        return hash(("paper", self.id))

    def __repr__(self) -> str:
        return f"Paper({self.id!r})"


class Person:
    """One author of the catalog's papers: a view of the people columns."""

    __slots__ = ("_catalog", "number")

    def __init__(self, catalog: Catalog, number: int):
        self._catalog = catalog
        self.number = number  # order of papers.yaml

    @property
    def id(self) -> str:
        return self._catalog.columns.person_ids[self.number]

    @property
    def name(self) -> str:
        return self._catalog.columns.person_names[self.number]

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(self._catalog.columns.person_aliases[self.number])

    @property
    def papers(self) -> tuple[str, ...]:
        """Paper ids, newest first."""
        c = self._catalog.columns
        ids = c.paper_ids
        return tuple(ids[i] for i in c.person_papers[c.person_paper_at[self.number]:c.person_paper_at[self.number + 1]])

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and other._catalog is self._catalog and other.number == self.number

    def __hash__(self) -> int:
        return hash(("person", self.id))

    def __repr__(self) -> str:
        return f"Person({self.id!r})"


class _InOrder(ValuesView[V]):
    """values() without a look-up per entry (the mapping makes each view straight from its number)."""

    def __init__(self, mapping: Mapping[str, V], values: Callable[[], Iterator[V]]):
        super().__init__(mapping)
        self._values = values

    def __iter__(self) -> Iterator[V]:
        return self._values()


class Papers(Mapping[str, Paper]):
    """id → Paper, iterated newest first (then most cited, then title), as the catalog always listed them."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog
        self._number = {pid: i for i, pid in enumerate(catalog.columns.paper_ids)}

    def __getitem__(self, paper_id: str) -> Paper:
        return Paper(self._catalog, self._number[paper_id])

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._number

    def __iter__(self) -> Iterator[str]:
        ids = self._catalog.columns.paper_ids
        return (ids[i] for i in self._catalog.columns.catalog_order if ids[i] in self._number)

    def __len__(self) -> int:
        return len(self._number)

    def at(self, number: int) -> Paper:
        return Paper(self._catalog, number)

    def at_id(self, paper_id: str) -> int:
        """The number of the paper with this id (KeyError if none)."""
        return self._number[paper_id]

    def clear(self) -> None:
        """Forget every paper (see `People.clear`)."""
        self._number.clear()

    def values(self) -> ValuesView[Paper]:
        return _InOrder(self, self.in_order)

    def in_order(self) -> Iterator[Paper]:
        """Every paper, newest first: like values(), without a look-up per paper."""
        if len(self._number) != len(self._catalog.columns.paper_ids):
            return (self[pid] for pid in self)
        return (Paper(self._catalog, i) for i in self._catalog.columns.catalog_order)


class People(Mapping[str, Person]):
    """id → Person, in the order of papers.yaml."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog
        self._number = {pid: j for j, pid in enumerate(catalog.columns.person_ids)}

    def __getitem__(self, person_id: str) -> Person:
        return Person(self._catalog, self._number[person_id])

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._number

    def __iter__(self) -> Iterator[str]:
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)

    def at(self, number: int) -> Person:
        return Person(self._catalog, number)

    def values(self) -> ValuesView[Person]:
        return _InOrder(self, self._in_order)

    def _in_order(self) -> Iterator[Person]:
        if len(self._number) != len(self._catalog.columns.person_ids):
            return (self[pid] for pid in self)
        return (Person(self._catalog, j) for j in range(len(self._number)))

    def clear(self) -> None:
        """Forget every person: ids the search indexes still hold then raise KeyError, as a dict's would
        (how tests make a command fail for real).
        """
        self._number.clear()


@dataclass(frozen=True)
class Mentor:
    name: str
    role: str  # mentor | example-primary-mentor


@dataclass(frozen=True, kw_only=True)
class Cadence:
    text: str | None
    frequency: str | None
    duration_minutes: int | None
    format: str | None
    ad_hoc: bool | None
    async_channel: str | None
    reply_time: str | None
    notes: str | None

    @property
    def known(self) -> bool:
        return self.text is not None


@dataclass(frozen=True, kw_only=True)
class Requirements:
    essential: tuple[str, ...] | None
    preferred: tuple[str, ...] | None
    not_a_good_fit: tuple[str, ...] | None
    text: str | None
    headings_without_content: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Stream:
    id: str
    name: str
    nicknames: tuple[str, ...]
    track_id: str
    mentors: tuple[Mentor, ...]
    mentors_note: str | None
    organisation: str | None
    description: str
    cadence: Cadence
    requirements: Requirements
    project_selection: str | None
    extra: str | None


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    description: str | None
    requirements: str | None
    project_selection: str | None
    editions: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    id: str
    label: str
    source: str
    weeks: int
    description: str
    mentors_blurb: str | None
    eligibility: str | None
    tracks: tuple[str, ...]
    application_stages: tuple[str, ...]


@dataclass(frozen=True)
class KeyDate:
    id: str
    edition_id: str
    name: str
    date: dt.date | None
    date_text: str | None
    note: str | None


class Catalog:
    def __init__(self, columns: Columns, words: PaperWords, streams: dict[str, Stream], tracks: dict[str, Track],
                 editions: dict[str, Edition], key_dates: dict[str, KeyDate], built_at: str,
                 path: Path | None = None, conn: sqlite3.Connection | None = None):
        self.columns = columns
        self.words = words  # the papers' names and words for the question reader
        self.papers = Papers(self)
        self.people = People(self)
        self.streams = streams
        self.tracks = tracks
        self.editions = editions
        self.key_dates = key_dates
        self.built_at = built_at
        self.path = path
        self._conn = conn
        self._lock = threading.Lock()

    @property
    def counts(self) -> dict[str, int]:
        return {"papers": len(self.papers), "people": len(self.people), "streams": len(self.streams),
                "tracks": len(self.tracks), "editions": len(self.editions), "key_dates": len(self.key_dates)}

    def fts(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """Run a read-only full-text query; one connection, serialised, shared by all callers."""
        if self._conn is None:
            return []
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    @cached_property
    def alumni_counts(self) -> dict[str, int]:
        """Person id → how many papers they wrote as a MATS alumnus (only people with at least one)."""
        c = self.columns
        counted = Counter(itertools.compress(c.author_person, c.author_alumnus))  # in order of first credit
        return {c.person_ids[j]: n for j, n in counted.items()}

    @cached_property
    def alumni_ranked(self) -> list[str]:
        """Ids of `alumni_counts`, most papers as alumnus first, then by name: ranked once per catalog."""
        counts, names = self.alumni_counts, self.columns.person_names
        number = self.people._number
        return sorted(counts, key=lambda pid: (-counts[pid], names[number[pid]].casefold()))

    @cached_property
    def most_papers(self) -> list[tuple[str, int]]:
        """(person id, papers) of every author, most papers first, then by name: ranked once per catalog."""
        c = self.columns
        counts: dict[int, int] = {}
        for k in c.author_person:
            counts[k] = counts.get(k, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], self.people[c.person_ids[kv[0]]].name.casefold()))
        return [(c.person_ids[k], n) for k, n in ranked]

    @cached_property
    def papers_with_alumni(self) -> int:
        """How many papers list at least one MATS alumnus."""
        c = self.columns
        flags = c.author_alumnus
        return sum(1 for n in range(len(c.paper_ids)) if any(flags[c.author_at[n]:c.author_at[n + 1]]))

    def paper_text(self, number: int) -> tuple[str, str | None]:
        """(abstract, url) of paper *number*, from the database."""
        rows = self.fts("SELECT abstract, url FROM papers WHERE rowid = ?", (number + 1,))
        return (rows[0][0], rows[0][1]) if rows else ("", None)

    def abstracts(self, paper_ids: Iterable[str]) -> dict[str, str]:
        """Id → abstract of several papers, in one query."""
        number = self.papers._number
        # By rowid (= number + 1): the table's own b-tree, not the id index and then the table.
        rowids = [number[pid] + 1 for pid in dict.fromkeys(paper_ids) if pid in number]
        ids = self.columns.paper_ids
        out: dict[str, str] = {}
        for start in range(0, len(rowids), 500):  # SQLite takes a bounded number of parameters
            chunk = tuple(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            out.update((ids[r[0] - 1], r[1])
                       for r in self.fts(f"SELECT rowid, abstract FROM papers WHERE rowid IN ({marks})", chunk))
        return out

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def mentors_named(self, name: str) -> list[tuple[Stream, Mentor]]:
        key = fold(name)
        return [(s, m) for s in self.streams.values() for m in s.mentors if fold(m.name) == key]


def _tuple(raw: str | None) -> tuple[str, ...] | None:
    return None if raw is None else tuple(json.loads(raw))


def open_catalog(path: Path) -> Catalog:
    """Load the catalog's columns and small tables; keep a read-only connection for text and FTS."""
    uri = f"file:{path.resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    q = conn.execute
    packed = {r[0]: r[1] for r in q(f"SELECT name, data FROM {TABLE}")}  # one pass: the columns and words
    with no_gc():  # large containers, no garbage: a collection would only walk them
        columns = Columns.load(packed)
        words = PaperWords.load(packed, columns.person_ids)
    del packed
    mentors: dict[str, list[Mentor]] = {}
    for r in q("SELECT * FROM stream_mentors ORDER BY stream_id, position"):
        mentors.setdefault(r["stream_id"], []).append(Mentor(r["name"], r["role"]))
    streams = {}
    for r in q("SELECT * FROM streams"):
        streams[r["id"]] = Stream(
            id=r["id"], name=r["name"], nicknames=_tuple(r["nicknames"]) or (), track_id=r["track_id"],
            mentors=tuple(mentors.get(r["id"], ())), mentors_note=r["mentors_note"],
            organisation=r["organisation"], description=r["description"],
            cadence=Cadence(
                text=r["cadence_text"], frequency=r["cadence_frequency"],
                duration_minutes=r["cadence_duration_minutes"], format=r["cadence_format"],
                ad_hoc=None if r["cadence_ad_hoc"] is None else bool(r["cadence_ad_hoc"]),
                async_channel=r["cadence_async_channel"], reply_time=r["cadence_reply_time"],
                notes=r["cadence_notes"]),
            requirements=Requirements(
                essential=_tuple(r["req_essential"]), preferred=_tuple(r["req_preferred"]),
                not_a_good_fit=_tuple(r["req_not_a_good_fit"]), text=r["req_text"],
                headings_without_content=_tuple(r["req_headings_without_content"]) or ()),
            project_selection=r["project_selection"], extra=r["extra"])
    edition_tracks: dict[str, list[str]] = {}
    track_editions: dict[str, list[str]] = {}
    for r in q("SELECT * FROM edition_tracks ORDER BY edition_id, position"):
        edition_tracks.setdefault(r["edition_id"], []).append(r["track_id"])
        track_editions.setdefault(r["track_id"], []).append(r["edition_id"])
    tracks = {r["id"]: Track(r["id"], r["name"], r["description"], r["requirements"], r["project_selection"],
                             tuple(track_editions.get(r["id"], ())))
              for r in q("SELECT * FROM tracks")}
    stages: dict[str, list[str]] = {}
    for r in q("SELECT * FROM application_stages ORDER BY edition_id, position"):
        stages.setdefault(r["edition_id"], []).append(r["text"])
    editions = {r["id"]: Edition(r["id"], r["label"], r["source"], r["weeks"], r["description"], r["mentors_blurb"],
                                 r["eligibility"], tuple(edition_tracks.get(r["id"], ())),
                                 tuple(stages.get(r["id"], ())))
                for r in q("SELECT * FROM editions")}
    key_dates = {r["id"]: KeyDate(r["id"], r["edition_id"], r["name"],
                                  dt.date.fromisoformat(r["date"]) if r["date"] else None, r["date_text"], r["note"])
                 for r in q("SELECT * FROM key_dates")}
    built_at = q("SELECT value FROM meta WHERE key='built_at'").fetchone()[0]
    return Catalog(columns, words, streams, tracks, editions, key_dates, built_at, path, conn)
