"""One search for everything: slash commands, autocomplete, plain questions and the console.

Short fields (titles, names, stream names, nicknames) are matched fuzzily: an in-memory trigram
index picks a few hundred candidates, rapidfuzz re-ranks them. That keeps autocomplete at a few
milliseconds at 100k papers where a full rapidfuzz scan takes hundreds. Long text (abstracts,
stream descriptions) goes through SQLite FTS5 with bm25; user text reaches MATCH only as quoted
terms, so FTS syntax typed by a member is just words.

Ranking rule (used everywhere): higher score first; on a tie, more citations, then newer, then
A→Z by label. Scores are 0–100; below `CONFIDENT` an answer is 'no match' with suggestions.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .catalog import Catalog, Paper
from .text import STOPWORDS, clean, fold, slug

CONFIDENT = 80.0
"""Best score a reply may treat as the answer; below it we say 'no match' and offer suggestions."""
SUGGEST = 55.0
"""Lowest score worth offering as 'did you mean'."""
AMBIGUOUS_MARGIN = 4.0
"""Two entries closer than this are both shown rather than one picked silently (e.g. two Panickssery)."""


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    label: str
    key: str  # folded text, stopwords removed
    rank: tuple = ()  # tie-break: smaller sorts first


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    via: str = "name"  # name | author | text

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def label(self) -> str:
        return self.entry.label


def query_key(text: str | None) -> str:
    """What a query is matched as: cleaned, folded, stopwords dropped ('the' alone matches nothing)."""
    return " ".join(w for w in fold(clean(text)).split() if w not in STOPWORDS)


def _grams(key: str, prefix: bool = False) -> set[str]:
    grams: set[str] = set()
    parts = key.split()
    for i, word in enumerate(parts):
        padded = f" {word}" if (prefix and i == len(parts) - 1) else f" {word} "
        if len(padded) < 3:
            padded = padded + " "
        grams.update(padded[j : j + 3] for j in range(len(padded) - 2))
    return grams


def score(query: str, key: str, prefix: bool = False) -> float:
    """How well folded *query* names folded *key*, 0–100.

    token_set_ratio makes word order free and lets a query be a subset of a title; partial_ratio
    finds a typo'd phrase inside a long title. A prefix (autocomplete) also counts as a full hit.
    """
    if not query or not key:
        return 0.0
    s = fuzz.token_set_ratio(query, key)
    if len(query) >= 4:
        s = max(s, fuzz.partial_ratio(query, key) * (0.95 if len(key) > len(query) * 3 else 0.98))
    if prefix and key.startswith(query):
        s = max(s, 100.0)
    elif prefix and len(query) >= 3:
        s = max(s, fuzz.ratio(query, key[: len(query)]) * 0.92)
    return float(s)


class FuzzyIndex:
    """Trigram candidate index over the short names of one kind of entry."""

    MAX_CANDIDATES = 250
    SCAN_BUDGET = 40_000  # postings read at most per query: bounds the worst case at 100k entries

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = [e for e in entries if e.key]
        postings: dict[str, array] = {}
        for i, entry in enumerate(self.entries):
            for gram in _grams(entry.key):
                bucket = postings.get(gram)
                if bucket is None:
                    bucket = postings[gram] = array("i")
                bucket.append(i)
        self.postings = postings

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, key: str, prefix: bool) -> list[int]:
        if len(self.entries) <= self.MAX_CANDIDATES:
            return list(range(len(self.entries)))
        lists = sorted((p for g in _grams(key, prefix) if (p := self.postings.get(g)) is not None), key=len)
        counts: Counter[int] = Counter()
        scanned = 0
        for postings in lists:
            if scanned + len(postings) > self.SCAN_BUDGET and counts:
                break
            counts.update(postings)
            scanned += len(postings)
        return [i for i, _ in counts.most_common(self.MAX_CANDIDATES)]

    def search(self, text: str | None, limit: int = 25, prefix: bool = False, key: str | None = None) -> list[Hit]:
        """Best entries for *text*, one per id, ranked by the module's rule."""
        key = query_key(text) if key is None else key
        if not key:
            return []
        best: dict[str, Hit] = {}
        for i in self.candidates(key, prefix):
            entry = self.entries[i]
            s = score(key, entry.key, prefix)
            if s >= SUGGEST * 0.8 and (entry.id not in best or s > best[entry.id].score):
                best[entry.id] = Hit(entry, s)
        return ranked(best.values(), limit)


def ranked(hits: Iterable[Hit], limit: int) -> list[Hit]:
    return heapq.nsmallest(limit, hits, key=lambda h: (-round(h.score, 1), h.entry.rank, h.entry.label.casefold()))


def paper_rank(p: Paper) -> tuple:
    return (-p.citations, -p.date.toordinal())


_FTS_TERM = re.compile(r"[0-9a-z]+")


class Searcher:
    """All indexes of one catalog. Built once per catalog load; immutable afterwards."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        c = catalog
        self.papers = FuzzyIndex(Entry("paper", p.id, p.title, query_key(p.title), paper_rank(p))
                                 for p in c.papers.values())
        people = []
        for person in c.people.values():
            n = len(person.papers)
            people += [Entry("person", person.id, person.name, query_key(name), (-n,)) for name in person.names]
        self.people = FuzzyIndex(people)
        alumni_ids = {a.person_id for p in c.papers.values() for a in p.authors if a.alumnus}
        self.alumni = FuzzyIndex(e for e in people if e.id in alumni_ids)
        streams = []
        for s in c.streams.values():
            names = [s.name, *s.nicknames, *([s.organisation] if s.organisation else []), *(m.name for m in s.mentors)]
            streams += [Entry("stream", s.id, s.name, query_key(n)) for n in names]
        self.streams = FuzzyIndex(streams)
        mentors: dict[str, Entry] = {}
        for s in c.streams.values():
            for m in s.mentors:
                mentors.setdefault(slug(m.name), Entry("mentor", slug(m.name), m.name, query_key(m.name)))
        self.mentors = FuzzyIndex(mentors.values())
        self.tracks = FuzzyIndex(Entry("track", t.id, t.name, query_key(t.name)) for t in c.tracks.values())
        self.cadence = FuzzyIndex([*(Entry("cadence", f"stream:{e.id}", e.label, e.key) for e in streams),
                                   *(Entry("cadence", f"mentor:{e.id}", e.label, e.key) for e in mentors.values())])
        self.by_kind = {"paper": self.papers, "person": self.people, "alumnus": self.alumni,
                        "stream": self.streams, "mentor": self.mentors, "track": self.tracks,
                        "cadence": self.cadence}

    # -- autocomplete -------------------------------------------------------------------------
    def complete(self, kind: str, text: str | None, limit: int = 25) -> list[Hit]:
        """Choices for an autocomplete box: prefix-friendly; an empty box lists the most useful first."""
        index = self.by_kind[kind]
        if not query_key(text):
            unique: dict[str, Hit] = {}
            for e in index.entries:
                unique.setdefault(e.id, Hit(e, 0.0))
            return ranked(unique.values(), limit)
        return index.search(text, limit, prefix=True)

    # -- full search --------------------------------------------------------------------------
    def find(self, kind: str, text: str | None, limit: int = 10) -> list[Hit]:
        return self.by_kind[kind].search(text, limit)

    def papers_matching(self, text: str | None, limit: int = 50) -> list[Hit]:
        """Papers by title, by author and by abstract text, merged into one ranking."""
        key = query_key(text)
        if not key:
            return []
        merged: dict[str, Hit] = {}

        def add(hit: Hit) -> None:
            old = merged.get(hit.id)
            if old is None or hit.score > old.score:
                merged[hit.id] = hit if old is None else Hit(hit.entry, min(100.0, hit.score + 2), hit.via)
            else:
                merged[hit.id] = Hit(old.entry, min(100.0, old.score + 2), old.via)

        for hit in self.papers.search(None, limit, key=key):
            add(hit)
        entries = {e.id: e for e in self.papers.entries}
        for person in self.people.search(None, 3, key=key):
            if person.score >= CONFIDENT + 5:
                for pid in self.catalog.people[person.id].papers:
                    add(Hit(entries[pid], person.score - 3, "author"))
        for pid, coverage, position in self.fulltext(key, limit):
            add(Hit(entries[pid], 50 + 35 * coverage - min(position, 20) * 0.25, "text"))
        return ranked(merged.values(), limit)

    def fulltext(self, key: str, limit: int = 50) -> list[tuple[str, float, int]]:
        """(paper id, share of query words present, bm25 position) for abstract and title text."""
        terms = [t for t in dict.fromkeys(_FTS_TERM.findall(key)) if len(t) > 1][:8]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.catalog.fts(
            "SELECT p.id, p.title, p.abstract FROM papers_fts JOIN papers p ON p.rowid = papers_fts.rowid "
            "WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 3.0, 1.0) LIMIT ?", (match, limit))
        out = []
        for position, (pid, title, abstract) in enumerate(rows):
            words = set(fold(f"{title} {abstract}").split())
            out.append((pid, sum(t in words for t in terms) / len(terms), position))
        return out

    def streams_matching(self, text: str | None, limit: int = 10) -> list[Hit]:
        """Streams by name, nickname, mentor or description words."""
        key = query_key(text)
        if not key:
            return []
        merged = {h.id: h for h in self.streams.search(None, limit, key=key)}
        terms = [t for t in dict.fromkeys(_FTS_TERM.findall(key)) if len(t) > 2][:8]
        if terms:
            rows = self.catalog.fts(
                "SELECT s.id FROM streams_fts JOIN streams s ON s.rowid = streams_fts.rowid "
                "WHERE streams_fts MATCH ? ORDER BY bm25(streams_fts) LIMIT ?",
                (" OR ".join(f'"{t}"' for t in terms), limit))
            names = {e.id: e for e in self.streams.entries}
            for position, (sid,) in enumerate(rows):
                stream = self.catalog.streams[sid]
                words = set(fold(f"{stream.name} {stream.description}").split())
                coverage = sum(t in words for t in terms) / len(terms)
                hit = Hit(names[sid], 55 + 30 * coverage - position, "text")
                if sid not in merged or merged[sid].score < hit.score:
                    merged[sid] = hit
        return ranked(merged.values(), limit)


def decide(hits: list[Hit]) -> tuple[Hit | None, list[Hit]]:
    """The answer (if confident and unambiguous) and the alternatives worth suggesting."""
    if not hits or hits[0].score < CONFIDENT:
        return None, [h for h in hits if h.score >= SUGGEST][:5]
    top = hits[0]
    close = [h for h in hits[1:] if top.score - h.score < AMBIGUOUS_MARGIN]
    if close and top.score < 100:
        return None, [top, *close][:5]
    if close and all(h.score >= 100 for h in close):
        return None, [top, *close][:5]
    return top, [h for h in hits[1:] if h.score >= SUGGEST][:4]
