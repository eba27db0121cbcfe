"""The papers' names and words as the question reader looks them up, worked out once by the build.

The reader finds people by the folded phrase of a name, a lone first name or surname, the papers'
words by stem, and acronyms the abstracts define ('sparse autoencoders (SAEs)'). At 100k papers,
deriving these at start-up (folding 60k names, stemming the vocabulary, scanning 2,000 abstracts)
took over a second before the first answer. They depend on papers.yaml alone, so the build stores
them as rows of the packed table beside the columns (copied with them when only the program files
change) and start-up loads them with the columns, in the same pass.
"""

from __future__ import annotations

import json
import re
import sqlite3
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.catalog.columns import Columns, blob_ints, blob_strings, int_blob, string_blob
from bot.text import STOPWORDS, fold, once, stem

PREFIX = "words."
"""Names of these rows in the packed table (the columns' own rows have no dot)."""
PAPER_VOCAB_LIMIT = 200_000
"""Paper words kept for stemming at most (the rarest beyond are dropped at very large catalogs)."""
ACRONYM_PAPERS = 2_000
"""Abstracts (most cited first) read for 'long form (ACRONYM)' definitions: enough to learn the field's."""
_WORD = re.compile(r"[0-9a-z]+")


class NameTable(Mapping[str, set[str]]):
    """Folded name phrase → ids of the people it names: a dict's look-ups over three flat columns
    (a dict of 60k sets took a tenth of a second to make; one look-up makes one small set).
    """

    def __init__(self, phrases: list[str], at: array[int], people: array[int], ids: list[str]):
        self._row = dict(zip(phrases, range(len(phrases)), strict=True))
        self._at, self._people, self._ids = at, people, ids

    def __getitem__(self, phrase: str) -> set[str]:
        row = self._row[phrase]
        return {self._ids[j] for j in self._people[self._at[row]:self._at[row + 1]]}

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


@dataclass(frozen=True)
class PaperWords:
    """What `bot.questions.lexicon` takes from the papers (see the module docstring)."""

    people: NameTable  # a whole name, folded ('he he', 'jeremy scheurer')
    first_names: NameTable  # the first word of a name of two words or more
    last_names: NameTable  # its last word, and for three words or more its words after the first
    longest_name: int  # words in the longest name phrase
    vocabulary: list[str]  # the papers' words (the full-text index's terms, most used first)
    stems: list[str]  # the stem of each
    related: dict[str, set[str]]  # acronym ↔ the words it stands for

    @classmethod
    def load(cls, blobs: Mapping[str, bytes], person_ids: list[str]) -> PaperWords:
        """From the packed table's rows; a catalog built by an older version has none of them."""
        def blob(name: str) -> bytes:
            found = blobs.get(PREFIX + name)
            if found is None:
                raise sqlite3.DatabaseError(f"the catalog database has no {PREFIX + name}: built by another version")
            return found

        def table(name: str) -> NameTable:
            return NameTable(blob_strings(blob(f"{name}.phrases")), blob_ints(blob(f"{name}.at")),
                             blob_ints(blob(f"{name}.people")), person_ids)

        meta = json.loads(blob("meta"))
        related = json.loads(blob("related"))
        return cls(people=table("people"), first_names=table("first_names"), last_names=table("last_names"),
                   longest_name=meta["longest_name"], vocabulary=blob_strings(blob("vocabulary")),
                   stems=blob_strings(blob("stems")), related={k: set(v) for k, v in related.items()})


def rows(conn: sqlite3.Connection, columns: Columns, folded: dict[str, str] | None = None) -> list[tuple[str, bytes]]:
    """The rows to store, from the papers just written through *conn* (their text and full-text
    terms) and their *columns*; *folded* holds names already folded by the checks.
    """
    fold_once = once(fold, {} if folded is None else folded)
    maps: dict[str, dict[str, list[int]]] = {"people": {}, "first_names": {}, "last_names": {}}
    people, firsts, lasts = maps["people"], maps["first_names"], maps["last_names"]
    for j, (name, aliases) in enumerate(zip(columns.person_names, columns.person_aliases, strict=True)):
        for text in (name, *aliases):
            words = fold_once(text).split()
            if not words:
                continue
            _add(people, " ".join(words), j)
            if len(words) > 1:
                _add(firsts, words[0], j)
                _add(lasts, words[-1], j)
                if len(words) > 2:  # 'Adrià Garriga-Alonso' → also 'garriga alonso'
                    _add(lasts, " ".join(words[1:]), j)
    out: list[tuple[str, bytes]] = []
    for name, table in maps.items():
        at = [0]
        for found in table.values():
            at.append(at[-1] + len(found))
        out += [(f"{PREFIX}{name}.phrases", string_blob(list(table))), (f"{PREFIX}{name}.at", int_blob(at)),
                (f"{PREFIX}{name}.people", int_blob(j for found in table.values() for j in found))]
    terms = conn.execute("SELECT term FROM papers_terms ORDER BY doc DESC LIMIT ?", (PAPER_VOCAB_LIMIT,)).fetchall()
    vocabulary = [t for (t,) in terms if _WORD.fullmatch(t)]
    texts = conn.execute("SELECT title, abstract FROM papers WHERE rowid <= ? ORDER BY rowid", (ACRONYM_PAPERS,))
    related = acronyms(f"{title}. {abstract}" for title, abstract in texts)
    longest = max((len(p.split()) for p in people), default=0)
    out += [(f"{PREFIX}vocabulary", string_blob(vocabulary)), (f"{PREFIX}stems", string_blob([stem(w) for w in vocabulary])),
            (f"{PREFIX}related", json.dumps({k: sorted(v) for k, v in related.items()}).encode()),
            (f"{PREFIX}meta", json.dumps({"longest_name": longest}).encode())]
    return out


def _add(table: dict[str, list[int]], phrase: str, j: int) -> None:
    """*j* once under *phrase*; people are added in order (j never decreases), so only the last one
    can be *j* already (a list scan took a second at 100k papers: 300 people share a first name).
    """
    found = table.setdefault(phrase, [])
    if not found or found[-1] != j:
        found.append(j)


# -- acronyms -----------------------------------------------------------------------------
DEFINED = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,6})\(([A-Z][A-Za-z]{1,7}?)s?\)")
"""'long form words (ACRONYM)': up to six words, then the acronym in brackets (a plural 's' aside)."""
_BRACKETED = re.compile(r"\(([A-Z][A-Za-z]{1,7}?)s?\)")
_LONG_FORM = re.compile(r"(?:[A-Za-z][\w-]*\s+){1,6}\Z")
_NOT_IN_WORDS = re.compile(r"[^\w\s-]")


def definitions(text: str) -> Iterator[tuple[str, str]]:
    """(long form, acronym) of each match of `DEFINED` in *text*, as `DEFINED.finditer` finds them, in a
    fraction of its time: that tries six words at every letter of an abstract; this looks back from
    each bracketed acronym only. A long form is made of word and space characters, so it begins after
    the last other character before the bracket (and after the previous match).
    """
    breaks: list[int] | None = None
    pos = 0
    for m in _BRACKETED.finditer(text):
        q = m.start()
        if q < pos:
            continue
        if breaks is None:
            breaks = [b.start() for b in _NOT_IN_WORDS.finditer(text)]
        start = pos
        before = bisect_left(breaks, q)  # breaks[before - 1] is the last one before the bracket
        if before:
            start = max(start, breaks[before - 1] + 1)
        words = _LONG_FORM.search(text, start, q)
        if words is not None:
            yield words.group(0), m.group(1)
            pos = m.end()


def acronyms(texts: Iterable[str], fold_text: Callable[[str], str] = fold) -> dict[str, set[str]]:
    """Related words the catalog teaches itself: 'sparse autoencoders (SAEs)' makes 'sae' stand for
    'sparse' and 'autoencoders' and each of those for 'sae'; the initials must match the last words.
    """
    related: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for long_form, acronym in definitions(text):
            words = fold_text(long_form).split()
            short = fold_text(acronym)
            for k in range(len(short), 0, -1):
                tail = words[-k:]
                if len(tail) == k and "".join(w[0] for w in tail) == short[: len(tail)] and len(tail) >= 2:
                    for w in tail:
                        if w not in STOPWORDS:
                            related[short].add(w)
                            related[short + "s"].add(w)
                            related[w].add(short)
                    break
    return dict(related)
