"""One search for everything: slash commands, autocomplete, plain questions and the console.

A `Searcher` holds every index of one catalog (see `fuzzy`, `fulltext` and `ranking`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import overload

from bot.catalog.model import Catalog
from bot.search import fulltext
from bot.search.fulltext import FullText
from bot.search.fuzzy import FuzzyIndex, query_key
from bot.search.ranking import CONFIDENT, Entry, Hit, ranked
from bot.text import entry_key, slug

TEXT_BASE = 50.0
"""A paper found only in its abstract starts here: below CONFIDENT, so text alone never answers."""
TEXT_COVERAGE = 35.0
"""Added in proportion to the share of the query's words the title and abstract contain."""
TEXT_POSITION_STEP = 0.25
TEXT_POSITION_CAP = 20
"""bm25 order counts a little: each place down costs this much, up to this many places."""
STREAM_TEXT_BASE = 55.0
STREAM_TEXT_COVERAGE = 30.0
"""The same for streams (few, long descriptions): a fully covered query reaches CONFIDENT."""


def text_score(coverage: float, position: int) -> float:
    """Score of a paper found by full text, from word coverage and its bm25 position."""
    return TEXT_BASE + TEXT_COVERAGE * coverage - min(position, TEXT_POSITION_CAP) * TEXT_POSITION_STEP


class PaperEntries(Sequence[Entry]):
    """The index entries of a catalog's papers, made when asked for: by paper number (the tie order)
    or, through `[id]`, by paper id.
    """

    def __init__(self, catalog: Catalog):
        self._catalog = catalog
        self._c = catalog.columns

    @overload
    def __getitem__(self, at: int) -> Entry: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[Entry]: ...

    @overload
    def __getitem__(self, at: str) -> Entry: ...

    def __getitem__(self, at: int | slice | str) -> Entry | Sequence[Entry]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        c = self._c
        i = self._catalog.papers.at_id(at) if isinstance(at, str) else at
        if not -len(c.paper_ids) <= i < len(c.paper_ids):
            raise IndexError(i)
        return Entry("paper", c.paper_ids[i], c.titles[i], c.title_keys[i], (-c.citations[i], -c.dates[i]))

    def __len__(self) -> int:
        return len(self._c.paper_ids)


class PersonEntries(Sequence[Entry]):
    """The entries of the people (or alumni) index, in its tie order as the build stored it, made when
    asked for: entry e is key *key*[e] (0: the name, then the aliases) of person *person*[e].
    """

    def __init__(self, catalog: Catalog, person: array[int], key: array[int]):
        self._c = catalog.columns
        self._person, self._key = person, key
        keys = self._c.person_keys
        self.keys = [keys[j][k] for j, k in zip(person, key, strict=True)]

    @overload
    def __getitem__(self, at: int) -> Entry: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[Entry]: ...

    def __getitem__(self, at: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        c, j = self._c, self._person[at]
        return Entry("person", c.person_ids[j], c.person_names[j], self.keys[at],
                     (c.person_paper_at[j] - c.person_paper_at[j + 1],))

    def __len__(self) -> int:
        return len(self._person)


class Searcher:
    """All indexes of one catalog. Built once per catalog load; immutable afterwards."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        c = catalog
        # Papers and people: entries straight from the catalog's columns, whose search keys the build
        # computed and whose paper order is already the tie order (nothing to fold or sort at start-up).
        cols = c.columns
        entries = PaperEntries(c)
        if all(cols.title_keys):
            self.papers = FuzzyIndex(entries, ordered=True, keys=cols.title_keys, postings=cols.title_postings())
        else:  # a title of stopwords only has no key and no place in the index
            self.papers = FuzzyIndex(list(entries), ordered=True, postings=cols.title_postings())
        self.paper_entries = entries
        # People and alumni likewise: the build stored their entries in tie order, and their postings.
        people = PersonEntries(c, cols.person_entry_person, cols.person_entry_key)
        self.people = FuzzyIndex(people, ordered=True, keys=people.keys, postings=cols.person_postings())
        alumni = PersonEntries(c, cols.alumni_entry_person, cols.alumni_entry_key)
        self.alumni = FuzzyIndex(alumni, ordered=True, keys=alumni.keys, postings=cols.alumni_postings())
        streams = []
        for s in c.streams.values():
            names = [s.name, *s.nicknames, *([s.organisation] if s.organisation else []), *(m.name for m in s.mentors)]
            streams += [Entry("stream", s.id, s.name, entry_key(n)) for n in names]
        self.streams = FuzzyIndex(streams)
        self.stream_entries = {e.id: e for e in self.streams.entries}
        mentors: dict[str, Entry] = {}
        for s in c.streams.values():
            for m in s.mentors:
                mentors.setdefault(slug(m.name), Entry("mentor", slug(m.name), m.name, entry_key(m.name)))
        self.mentors = FuzzyIndex(mentors.values())
        self.tracks = FuzzyIndex(Entry("track", t.id, t.name, entry_key(t.name)) for t in c.tracks.values())
        self.cadence = FuzzyIndex([*(Entry("cadence", f"stream:{e.id}", e.label, e.key) for e in streams),
                                   *(Entry("cadence", f"mentor:{e.id}", e.label, e.key) for e in mentors.values())])
        dates = []
        for kd in c.key_dates.values():
            edition = c.editions.get(kd.edition_id)
            words = [kd.name, *([f"{edition.weeks} week edition {edition.id}"] if edition else []),
                     kd.date_text or "", kd.date.strftime("%B %-d %Y") if kd.date else ""]
            label = f"{kd.name} — {edition.label}" if edition else kd.name
            dates.append(Entry("date", kd.id, label, entry_key(" ".join(words))))
        self.dates = FuzzyIndex(dates)
        self.by_kind = {"paper": self.papers, "person": self.people, "alumnus": self.alumni,
                        "stream": self.streams, "mentor": self.mentors, "track": self.tracks,
                        "cadence": self.cadence, "date": self.dates}
        self.paper_text = FullText(c, "papers_fts", "papers", ", 3.0, 1.0", len(c.papers), ids=cols.paper_ids)
        self.stream_text = FullText(c, "streams_fts", "streams", "", len(c.streams))

    # -- autocomplete -------------------------------------------------------------------------
    def complete(self, kind: str, text: str | None, limit: int = 25) -> list[Hit]:
        """Choices for an autocomplete box: prefix-friendly; an empty box lists the most useful first."""
        index = self.by_kind[kind]
        if not query_key(text):
            return index.first(limit)
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
            if old is None:
                merged[hit.id] = hit
            else:  # found two ways: the better way, a little more sure
                top = hit if hit.score > old.score else old
                merged[hit.id] = Hit(top.entry, min(100.0, top.score + 2), top.via)

        for hit in self.papers.search(None, limit, key=key):
            add(hit)
        words = key.split()
        # A name is at most four words and one of them, at least, is spelt as the catalog spells it.
        named = len(words) <= 4 and any(w in self.people.postings for w in words)
        for person in self.people.search(None, 3, key=key) if named else ():
            if person.score >= CONFIDENT + 5:
                for pid in self.catalog.people[person.id].papers[:limit]:
                    add(Hit(self.paper_entries[pid], person.score - 3, "author"))
        for pid, coverage, position in self.fulltext(key, limit):
            add(Hit(self.paper_entries[pid], text_score(coverage, position), "text"))
        return ranked(merged.values(), limit)

    def fulltext(self, key: str, limit: int = 50) -> list[tuple[str, float, int]]:
        """(paper id, share of query words present, bm25 position) for abstract and title text."""
        groups, rows = self.paper_text.search(key, limit)
        abstracts = self.catalog.abstracts(pid for pid, _ in rows)
        titles, number = self.catalog.columns.titles, self.catalog.papers.at_id
        return [(pid, fulltext.covered(groups, (titles[number(pid)], abstracts.get(pid, ""))), position)
                for pid, position in rows]

    def streams_matching(self, text: str | None, limit: int = 10) -> list[Hit]:
        """Streams by name, nickname, mentor or description words."""
        key = query_key(text)
        if not key:
            return []
        merged = {h.id: h for h in self.streams.search(None, limit, key=key)}
        groups, rows = self.stream_text.search(" ".join(t for t in key.split() if len(t) > 2), limit)
        for sid, position in rows:
            stream = self.catalog.streams[sid]
            coverage = fulltext.covered(groups, (stream.name, stream.description))
            hit = Hit(self.stream_entries[sid], STREAM_TEXT_BASE + STREAM_TEXT_COVERAGE * coverage - position, "text")
            if sid not in merged or merged[sid].score < hit.score:
                merged[sid] = hit
        return ranked(merged.values(), limit)

