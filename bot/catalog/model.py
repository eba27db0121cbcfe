"""The loaded catalog: plain, immutable objects read once from the built database.

Answers and autocomplete read these objects from memory (Discord gives autocomplete 3 seconds and a
phone user much less patience); SQLite is consulted only for full-text search over long text.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.text import fold


@dataclass(frozen=True)
class Author:
    person_id: str
    credited_as: str
    alumnus: bool


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    abstract: str
    date: dt.date
    citations: int
    authors: tuple[Author, ...]
    url: str | None = None

    @property
    def alumni(self) -> tuple[Author, ...]:
        return tuple(a for a in self.authors if a.alumnus)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    papers: tuple[str, ...]  # paper ids, newest first

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


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


@dataclass
class Catalog:
    papers: dict[str, Paper]
    people: dict[str, Person]
    streams: dict[str, Stream]
    tracks: dict[str, Track]
    editions: dict[str, Edition]
    key_dates: dict[str, KeyDate]
    built_at: str
    path: Path | None = None
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
    """Load the whole catalog into memory; keep a read-only connection for FTS."""
    uri = f"file:{path.resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    q = conn.execute
    authors: dict[str, list[Author]] = {}
    for r in q("SELECT paper_id, person_id, credited_as, alumnus FROM authorship ORDER BY paper_id, position"):
        authors.setdefault(r["paper_id"], []).append(Author(r["person_id"], r["credited_as"], bool(r["alumnus"])))
    papers = {
        r["id"]: Paper(r["id"], r["title"], r["abstract"], dt.date.fromisoformat(r["date"]), r["citations"],
                       tuple(authors.get(r["id"], ())), r["url"])
        for r in q("SELECT * FROM papers ORDER BY date DESC, citations DESC, title")
    }
    by_person: dict[str, list[str]] = {}
    for pid, paper in papers.items():
        for a in paper.authors:
            by_person.setdefault(a.person_id, []).append(pid)
    people = {r["id"]: Person(r["id"], r["name"], tuple(json.loads(r["aliases"] or "[]")),
                              tuple(by_person.get(r["id"], ())))
              for r in q("SELECT * FROM people")}
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
    return Catalog(papers, people, streams, tracks, editions, key_dates, built_at, path, conn)
