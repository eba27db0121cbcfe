"""The catalog's own names and words, arranged for reading questions (built once per catalog load).

Names are looked up as exact folded phrases first (so 'he he' and 'can rager', people whose names are
made of stop words, are found); single name words are indexed apart, because a lone first name or
surname is often an ordinary word ('price', 'can') and is only taken as a name in context (see
`linking`). The words of the program's pages (streams, tracks, editions) and of the papers are kept
by stem, so a question's 'fooled' finds the abstract's 'fool' and 'erase' finds 'erasing'. What comes
from the papers (names, the papers' words and their stems, acronyms) the build worked out and stored
(`bot.catalog.indexes`); the program's few pages are read here.
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.search.searcher import Searcher
from bot.text import STOPWORDS, fold, slug
from bot.text import stem as stem  # re-exported: its home was here

PREFIX_MIN = 5
"""A word this long or longer that begins a catalog word is known ('interp')."""
NAME_WORD = 1.0
"""Weight of a word of a stream's name when a question names the stream by one word ('the control stream')."""
NICKNAME_WORD = 0.8
"""Weight of a word of one of a stream's nicknames, for the same."""


@dataclass
class Lexicon:
    people: Mapping[str, set[str]] = field(default_factory=dict)  # folded name → person ids
    first_names: Mapping[str, set[str]] = field(default_factory=dict)
    last_names: Mapping[str, set[str]] = field(default_factory=dict)
    mentors: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # phrase → mentor ids
    streams: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # phrase → stream ids
    tracks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    stream_words: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))  # word → {id: w}
    page_stems: set[str] = field(default_factory=set)  # stems of the program pages' own words
    page_vocab: frozenset[str] = frozenset()  # the program pages' own words, as written (for spelling)
    paper_forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # stem → paper words
    longest: int = 4
    sorted_words: list[str] = field(default_factory=list)  # every known word and stem, for prefixes
    related: dict[str, set[str]] = field(default_factory=dict)  # acronym ↔ its words, learned from abstracts

    def knows(self, word: str) -> bool:
        """The catalog uses this word (by stem), or a word it begins ('interp' → interpretability)."""
        if self.paper_words_of(word) or stem(word) in self.page_stems:
            return True
        if len(word) < PREFIX_MIN:
            return False
        i = bisect.bisect_left(self.sorted_words, word)
        return i < len(self.sorted_words) and self.sorted_words[i].startswith(word)

    def paper_words_of(self, word: str) -> set[str]:
        """The papers' words that share *word*'s stem (itself included when the papers use it)."""
        return self.paper_forms.get(stem(word), set())


_CACHE: weakref.WeakKeyDictionary[Searcher, Lexicon] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def lexicon(search: Searcher) -> Lexicon:
    found = _CACHE.get(search)
    if found is None:
        with _LOCK:
            found = _CACHE.get(search)
            if found is None:
                found = _CACHE[search] = _build(search)
    return found


def _phrase(text: str) -> str:
    return " ".join(fold(text).split())


def _build(search: Searcher) -> Lexicon:
    c = search.catalog
    stored = c.words
    lex = Lexicon(people=stored.people, first_names=stored.first_names, last_names=stored.last_names)
    page_text: list[str] = []
    for s in c.streams.values():
        bare = re.sub(r"['’]s (?:mats )?stream$", "", s.name, flags=re.IGNORECASE)
        for name in {s.name, bare, *s.nicknames, *([s.organisation] if s.organisation else [])}:
            lex.streams[_phrase(name)].add(s.id)
        for weight, names in ((NAME_WORD, [s.name]), (NICKNAME_WORD, list(s.nicknames))):
            for name in names:
                for w in fold(name).split():
                    if w not in STOPWORDS and len(w) > 2:
                        lex.stream_words[w][s.id] = max(weight, lex.stream_words[w].get(s.id, 0.0))
        for m in s.mentors:
            words = fold(m.name).split()
            lex.mentors[" ".join(words)].add(slug(m.name))
            if len(words) > 1:
                lex.mentors[words[0]].add(slug(m.name))
        page_text += [s.name, s.description, s.cadence.text or "", s.requirements.text or "",
                      s.project_selection or "", s.extra or "", s.mentors_note or ""]
    for t in c.tracks.values():
        lex.tracks[_phrase(t.name)].add(t.id)
        lex.tracks[_phrase(t.name.replace("&", "and"))].add(t.id)
        page_text += [t.name, t.description or "", t.requirements or "", t.project_selection or ""]
    for e in c.editions.values():
        page_text += [e.label, e.description, e.mentors_blurb or "", e.eligibility or "", *e.application_stages]
    for kd in c.key_dates.values():
        page_text += [kd.name, kd.date_text or ""]
    lex.page_stems = {stem(w) for text in page_text for w in fold(text).split() if w not in STOPWORDS}
    lex.page_vocab = frozenset(page_words(page_text))
    for word, word_stem in zip(stored.vocabulary, stored.stems, strict=True):
        lex.paper_forms[word_stem].add(word)
    lex.related = stored.related
    lex.sorted_words = sorted({*lex.page_stems, *page_words(page_text), *stored.vocabulary})
    lex.longest = max([4, stored.longest_name, *(len(k.split()) for d in (lex.streams, lex.tracks) for k in d)])
    return lex


def page_words(texts: list[str]) -> set[str]:
    return {w for text in texts for w in fold(text).split() if w not in STOPWORDS}
