"""The catalog's large tables in load-ready form: a few arrays and string lists instead of objects.

At 100k papers one Python object per paper, author and abstract cost about 280 MB and seconds to
load. What answers and indexes need to hold is much less: ids, titles, search keys, dates, citations
and who wrote what. The build computes these columns once and stores each as one blob (arrays as
little-endian int32, string lists NUL-separated, lists of tuples as JSON), so start-up reads a few
dozen rows instead of half a million; abstracts, urls and notes stay in their tables and are read
when a reply shows them. The search indexes' word postings of titles and names, and the people
index's entries in tie order, are stored the same way: start-up does not sort or count them again.

Papers are numbered 0… in tie order (most cited, then newest, then title A→Z, then id) — the order
of the papers table's rowids (rowid = number + 1), which full-text search relies on too. People
are numbered in the order of papers.yaml.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import accumulate, chain, compress, count, filterfalse, repeat
from operator import itemgetter, neg
from typing import Any

from bot.catalog.schema import parse_date, person_keys
from bot.text import STOPWORDS, entry_key, fold, once, word_postings

TABLE = "packed"
"""name → blob, one row per column."""
_SEPARATED = b"\x00"
"""First byte of a string list stored NUL-separated (a JSON list begins with '['): splitting one
string is several times faster than parsing JSON, and NUL is in no catalog text (else: JSON)."""


def _ints(values: Iterable[int]) -> array[int]:
    return array("i", values)


def int_blob(values: Iterable[int]) -> bytes:
    copy = array("i", values)
    if sys.byteorder == "big":
        copy.byteswap()
    return copy.tobytes()


def blob_ints(blob: bytes) -> array[int]:
    a = array("i")
    a.frombytes(blob)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def string_blob(strings: Sequence[str]) -> bytes:
    joined = "\x00".join(strings)
    if strings and joined.count("\x00") == len(strings) - 1:  # no NUL within a string
        return _SEPARATED + joined.encode()
    return json.dumps(list(strings), ensure_ascii=False, separators=(",", ":")).encode()


def blob_strings(blob: bytes) -> list[str]:
    if blob[:1] == _SEPARATED:
        return blob[1:].decode().split("\x00")
    found: list[str] = json.loads(blob)
    return found


def _postings(keys: Sequence[str]) -> tuple[list[str], array[int], array[int]]:
    """`text.word_postings` of *keys* as three columns: words, where each one's entries begin, entries."""
    postings = word_postings(keys)
    at = [0]
    for posting in postings.values():
        at.append(at[-1] + len(posting))
    flat = array("i")
    for posting in postings.values():
        flat += posting
    return list(postings), _ints(at), flat


def _unpacked(words: list[str], at: array[int], flat: array[int]) -> dict[str, array[int]]:
    return {word: flat[at[i]:at[i + 1]] for i, word in enumerate(words)}


_NONE: frozenset[str] = frozenset()

TieOrder = tuple[list[dict[str, Any]], list[int]]
"""Papers in tie order, and the date of each as a proleptic ordinal."""


def tie_order(papers: Sequence[dict[str, Any]]) -> TieOrder:
    """Validated papers in tie order (most cited, then newest, then title A→Z, then id): their
    numbers, and the papers table's rowids (the build writes that table before making the columns).
    """
    ordinals = _ordinals(list(map(itemgetter("date"), papers)))
    key = list(zip(map(neg, map(itemgetter("citations"), papers)), map(neg, ordinals),
                   map(str.casefold, map(itemgetter("title"), papers)), map(itemgetter("id"), papers), strict=True))
    order = sorted(range(len(papers)), key=key.__getitem__)
    return list(map(papers.__getitem__, order)), list(map(ordinals.__getitem__, order))


def _ordinals(values: list[Any]) -> list[int]:
    """The ordinal of each date (`schema.parse_date`; 0 for none), text parsed as one column when it is
    all valid text.
    """
    if all(map(isinstance, values, repeat(str))):
        try:
            return list(map(dt.date.toordinal, map(dt.date.fromisoformat, map(str.strip, values))))
        except ValueError:
            pass
    return [date.toordinal() if (date := parse_date(v)) else 0 for v in values]


@dataclass(frozen=True, slots=True)
class Columns:
    paper_ids: list[str]
    titles: list[str]
    title_keys: list[str]  # the title's search key (`text.entry_key`)
    dates: array[int]  # proleptic ordinals
    citations: array[int]
    catalog_order: array[int]  # paper numbers newest first (then most cited, then title): how lists read
    author_at: array[int]  # paper i's authors are author_* [author_at[i]:author_at[i + 1]]
    author_person: array[int]  # person number
    author_alumnus: bytes  # 1 when that author was a MATS alumnus on that paper
    author_spelling: array[int]  # index into spellings: the name as that paper credits it
    spellings: list[str]
    person_ids: list[str]
    person_names: list[str]
    person_aliases: list[tuple[str, ...]]
    person_keys: list[tuple[str, ...]]  # search key of the name, then of each alias
    person_paper_at: array[int]  # person j's papers are person_papers[person_paper_at[j]:…[j + 1]]
    person_papers: array[int]  # paper numbers, newest first
    # The title word index's postings (`text.word_postings` of the non-empty title keys): word i is in
    # the titles title_word_papers[title_word_at[i]:title_word_at[i + 1]].
    title_words: list[str]
    title_word_at: array[int]
    title_word_papers: array[int]
    # The people index: one entry per non-empty name key (a person's name, then each alias), in tie
    # order (most papers, then name A→Z, then id): entry e is key person_entry_key[e] of person
    # person_entry_person[e]. Its word postings, as above, and the same for the alumni index (the
    # entries of people who wrote as MATS alumni).
    person_entry_person: array[int]
    person_entry_key: array[int]
    person_words: list[str]
    person_word_at: array[int]
    person_word_entries: array[int]
    alumni_entry_person: array[int]
    alumni_entry_key: array[int]
    alumni_words: list[str]
    alumni_word_at: array[int]
    alumni_word_entries: array[int]

    # -- writing ----------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, bytes]]:
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, array):
                blob = int_blob(value)
            elif isinstance(value, bytes):
                blob = value
            elif f.type == "list[str]":
                blob = string_blob(value)
            else:
                blob = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
            out.append((f.name, blob))
        return out

    # -- reading ----------------------------------------------------------------------------
    @classmethod
    def read(cls, conn: sqlite3.Connection) -> Columns:
        return cls.load({r[0]: r[1] for r in conn.execute(f"SELECT name, data FROM {TABLE}")})

    @classmethod
    def load(cls, blobs: dict[str, bytes]) -> Columns:
        """From the packed table's rows (other rows there are ignored)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            blob = blobs.get(f.name)
            if blob is None:
                raise sqlite3.DatabaseError(f"the catalog database has no column {f.name}: built by another version")
            if f.type.startswith("array"):
                values[f.name] = blob_ints(blob)
            elif f.type == "bytes":
                values[f.name] = bytes(blob)
            elif f.type == "list[str]":
                values[f.name] = blob_strings(blob)
            else:
                values[f.name] = json.loads(blob)
        # Tuples, not lists: immutable, the empty one shared, and no work for the cycle collector.
        values["person_aliases"] = [tuple(a) if a else () for a in values["person_aliases"]]
        values["person_keys"] = [tuple(k) for k in values["person_keys"]]
        # Most credited spellings are the person's own name: one string object for both.
        names = {n: n for n in values["person_names"]}
        values["spellings"] = [names.get(s, s) for s in values["spellings"]]
        return cls(**values)

    # -- computing --------------------------------------------------------------------------
    @classmethod
    def of(cls, papers: Sequence[dict[str, Any]], people: Sequence[dict[str, Any]],
           folded: dict[str, str] | None = None, order: TieOrder | None = None) -> Columns:
        """The columns of validated papers.yaml data (every author is a known person); *folded*
        holds names already folded by the checks, *order* their `tie_order` when already made.
        """
        fold_once = once(fold, {} if folded is None else folded)

        person_at = {p["id"]: j for j, p in enumerate(people)}
        owner = {key: person_at[p["id"]] for p in people for key in person_keys(p, fold_once)}
        tie, dates = order or tie_order(papers)
        citations = list(map(itemgetter("citations"), tie))
        titles = list(map(itemgetter("title"), tie))
        newest_key = list(zip(map(neg, dates), map(neg, citations), titles, strict=True))
        newest = sorted(range(len(tie)), key=newest_key.__getitem__)
        # Who wrote what, a column at a time (400k credits at 100k papers; C loops, no Python per credit):
        # the credits in tie order, each spelling numbered in order of first use, then each distinct
        # spelling's person and folded key once.
        credited = list(map(itemgetter("authors"), tie))
        lengths = list(map(len, credited))
        author_at = [0, *accumulate(lengths)]
        credits = list(chain.from_iterable(credited))
        spellings = list(dict.fromkeys(credits))
        spelling_number = dict(zip(spellings, count()))
        author_spelling = array("i", map(spelling_number.__getitem__, credits))
        spelling_keys = list(map(fold_once, spellings))
        author_person = array("i", map(list(map(owner.__getitem__, spelling_keys)).__getitem__, author_spelling))
        # An author is an alumnus on a paper when their credit folds like one of its alumni.
        alumni_keys = [frozenset(map(fold_once, a)) if a else _NONE for a in map(dict.get, tie, repeat("alumni"))]
        alumnus = bytes(map(frozenset.__contains__, chain.from_iterable(map(repeat, alumni_keys, lengths)),
                            map(spelling_keys.__getitem__, author_spelling)))
        by_person: list[list[int]] = [[] for _ in people]
        for i in newest:
            for k in range(author_at[i], author_at[i + 1]):
                by_person[author_person[k]].append(i)
        paper_at = [0, *accumulate(map(len, by_person))]
        person_papers = _ints(chain.from_iterable(by_person))
        # A title's search key is its folded words less stopwords (`text.entry_key`, from the fold the
        # checks already made).
        stopword = STOPWORDS.__contains__
        title_keys = [" ".join(filterfalse(stopword, words)) for words in map(str.split, map(fold_once, titles))]
        title_words, title_word_at, title_word_papers = _postings([k for k in title_keys if k])
        cache: dict[str, str] = {}
        keys = [tuple(entry_key(n, cache) for n in (p["name"], *(p.get("aliases") or []))) for p in people]
        # The people index's tie order (`search.ranking.tie_order` of its entries): most papers, then
        # name, then id; a person's keys in their own order (the sort is stable).
        tie_key = [(paper_at[j] - paper_at[j + 1], p["name"].casefold(), p["id"]) for j, p in enumerate(people)]
        entries = sorted(((j, k) for j, ks in enumerate(keys) for k, key in enumerate(ks) if key),
                         key=lambda e: tie_key[e[0]])
        alumni_people = set(compress(author_person, alumnus))
        alumni_entries = [e for e in entries if e[0] in alumni_people]
        person_words, person_word_at, person_word_entries = _postings([keys[j][k] for j, k in entries])
        alumni_words, alumni_word_at, alumni_word_entries = _postings([keys[j][k] for j, k in alumni_entries])
        return cls(
            paper_ids=list(map(itemgetter("id"), tie)), titles=titles, title_keys=title_keys,
            dates=_ints(dates), citations=_ints(citations),
            catalog_order=_ints(newest), author_at=_ints(author_at), author_person=author_person,
            author_alumnus=alumnus, author_spelling=author_spelling, spellings=spellings,
            person_ids=[p["id"] for p in people], person_names=[p["name"] for p in people],
            person_aliases=[tuple(p.get("aliases") or ()) for p in people],
            person_keys=keys,
            person_paper_at=_ints(paper_at), person_papers=person_papers,
            title_words=title_words, title_word_at=title_word_at, title_word_papers=title_word_papers,
            person_entry_person=_ints(j for j, _ in entries), person_entry_key=_ints(k for _, k in entries),
            person_words=person_words, person_word_at=person_word_at, person_word_entries=person_word_entries,
            alumni_entry_person=_ints(j for j, _ in alumni_entries), alumni_entry_key=_ints(k for _, k in alumni_entries),
            alumni_words=alumni_words, alumni_word_at=alumni_word_at, alumni_word_entries=alumni_word_entries,
        )

    def title_postings(self) -> dict[str, array[int]]:
        """The stored postings of the title word index, as `text.word_postings` made them."""
        return _unpacked(self.title_words, self.title_word_at, self.title_word_papers)

    def person_postings(self) -> dict[str, array[int]]:
        """The same for the people index (entries as numbered by person_entry_*)."""
        return _unpacked(self.person_words, self.person_word_at, self.person_word_entries)

    def alumni_postings(self) -> dict[str, array[int]]:
        """The same for the alumni index (entries as numbered by alumni_entry_*)."""
        return _unpacked(self.alumni_words, self.alumni_word_at, self.alumni_word_entries)
