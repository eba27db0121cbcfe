"""The catalog's large tables in load-ready form: a few arrays and string lists instead of objects.

At 100k papers one Python object per paper, author and abstract cost about 280 MB and seconds to
load. What answers and indexes need to hold is much less: ids, titles, search keys, dates, citations
and who wrote what. The build computes these columns once and stores each as one blob (arrays as
little-endian int32, strings as a JSON list), so start-up reads a dozen rows instead of half a
million; abstracts, urls and notes stay in their tables and are read when a reply shows them.

Papers are numbered 0… in tie order (most cited, then newest, then title A→Z, then id) — the order
of the papers table's rowids (rowid = number + 1), which full-text search relies on too. People
are numbered in the order of papers.yaml.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from bot.catalog.schema import parse_date, person_keys
from bot.text import STOPWORDS, entry_key, fold, once, word_postings

TABLE = "packed"
"""name → blob, one row per column."""


def _ints(values: Iterable[int]) -> array[int]:
    return array("i", values)


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

    # -- writing ----------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, bytes]]:
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, array):
                copy = array("i", value)
                if sys.byteorder == "big":
                    copy.byteswap()
                blob = copy.tobytes()
            elif isinstance(value, bytes):
                blob = value
            else:
                blob = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
            out.append((f.name, blob))
        return out

    # -- reading ----------------------------------------------------------------------------
    @classmethod
    def read(cls, conn: sqlite3.Connection) -> Columns:
        blobs = {r[0]: r[1] for r in conn.execute(f"SELECT name, data FROM {TABLE}")}
        values: dict[str, Any] = {}
        for f in fields(cls):
            blob = blobs.get(f.name)
            if blob is None:
                raise sqlite3.DatabaseError(f"the catalog database has no column {f.name}: built by another version")
            if f.type.startswith("array"):
                a = array("i")
                a.frombytes(blob)
                if sys.byteorder == "big":
                    a.byteswap()
                values[f.name] = a
            elif f.type == "bytes":
                values[f.name] = bytes(blob)
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
           folded: dict[str, str] | None = None) -> Columns:
        """The columns of validated papers.yaml data (every author is a known person); *folded*
        holds names already folded by the checks.
        """
        fold_once = once(fold, {} if folded is None else folded)

        person_at = {p["id"]: j for j, p in enumerate(people)}
        owner = {key: person_at[p["id"]] for p in people for key in person_keys(p, fold_once)}
        dated = [(paper, parse_date(paper["date"])) for paper in papers]
        ordinals = {id(paper): d.toordinal() for paper, d in dated if d is not None}
        tie = sorted(papers, key=lambda p: (-p["citations"], -ordinals[id(p)], p["title"].casefold(), p["id"]))
        newest = sorted(range(len(tie)), key=lambda i: (-ordinals[id(tie[i])], -tie[i]["citations"], tie[i]["title"]))
        cache: dict[str, str] = {}
        author_at, author_person, alumnus, author_spelling = [0], [], bytearray(), []
        spelling_at: dict[str, int] = {}
        for paper in tie:
            alumni = {fold_once(a) for a in paper.get("alumni") or []}
            for name in paper["authors"]:
                key = fold_once(name)
                author_person.append(owner[key])
                alumnus.append(key in alumni)
                author_spelling.append(spelling_at.setdefault(name, len(spelling_at)))
            author_at.append(len(author_person))
        by_person: list[list[int]] = [[] for _ in people]
        for i in newest:
            for k in range(author_at[i], author_at[i + 1]):
                by_person[author_person[k]].append(i)
        paper_at = [0]
        for found in by_person:
            paper_at.append(paper_at[-1] + len(found))
        # A title's search key is its folded words less stopwords (`text.entry_key`, from the fold the
        # checks already made).
        title_keys = [" ".join(w for w in fold_once(p["title"]).split() if w not in STOPWORDS) for p in tie]
        postings = word_postings([k for k in title_keys if k])
        word_at = [0]
        for posting in postings.values():
            word_at.append(word_at[-1] + len(posting))
        return cls(
            paper_ids=[p["id"] for p in tie], titles=[p["title"] for p in tie], title_keys=title_keys,
            dates=_ints(ordinals[id(p)] for p in tie), citations=_ints(p["citations"] for p in tie),
            catalog_order=_ints(newest), author_at=_ints(author_at), author_person=_ints(author_person),
            author_alumnus=bytes(alumnus), author_spelling=_ints(author_spelling), spellings=list(spelling_at),
            person_ids=[p["id"] for p in people], person_names=[p["name"] for p in people],
            person_aliases=[tuple(p.get("aliases") or ()) for p in people],
            person_keys=[tuple(entry_key(n, cache) for n in (p["name"], *(p.get("aliases") or []))) for p in people],
            person_paper_at=_ints(paper_at), person_papers=_ints(i for found in by_person for i in found),
            title_words=list(postings), title_word_at=_ints(word_at),
            title_word_papers=_ints(i for posting in postings.values() for i in posting),
        )

    def title_postings(self) -> dict[str, array[int]]:
        """The stored postings of the title word index, as `text.word_postings` made them."""
        at, flat = self.title_word_at, self.title_word_papers
        return {word: flat[at[i]:at[i + 1]] for i, word in enumerate(self.title_words)}
