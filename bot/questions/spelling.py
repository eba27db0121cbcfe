"""Slips of the thumb ('dose', 'trak', 'aply', 'wen') mended before a question is read.

A word the reader does not know, that is not a name and not an English word (pyspellchecker's
dictionary), and that is one edit (two for a long word) from a word of the question frames, a stop
word or a word of the program's pages, is read as that word. A rare English word that is a common
question word with two letters swapped or one dropped ('dose' → 'does', 'wen' → 'when') is mended
too; an ordinary word ('lunch', 'staff', 'fee') never is, so "is lunch provided" stays unanswerable.
Without this a slip is an unknown word: it derails the classifier and makes the answer "the pages
do not say anything about “dose”". The vocabulary is the frames and the pages, never the papers,
so the look-up stays the same size however large the catalog grows.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, replace

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from bot.questions.attributes import KEEP, OPENERS, PHRASINGS
from bot.questions.filters import MONTHS, NUMBER_WORDS
from bot.questions.lexicon import Lexicon, stem
from bot.questions.normalise import Question
from bot.search.searcher import Searcher
from bot.text import STOPWORDS, fold

SHORTEST = 3
"""Words shorter than this are never mended (too many words are one edit from 'ok' or 'u')."""
LONG_WORD = 8
"""A word this long may be two edits from the word meant; shorter ones only one."""
CANDIDATES = 12
"""Near words looked at per slip; the first in the tiers below wins."""
RARE = 0.01
"""An English word this much rarer than the question word it is a slip of is read as that word."""

FRAME_WORDS = frozenset(w for phrasings in PHRASINGS.values() for p in phrasings
                        for w in fold(p.replace("{", " ").replace("}", " ").replace("'", " ")).split())


@dataclass(frozen=True)
class Speller:
    tiers: tuple[tuple[str, ...], ...]  # question words, then frame words, then page words
    rank: dict[str, int]
    vocab: tuple[str, ...]
    stems: dict[str, str]  # stem → the best-ranked vocabulary word with it ('remotly' → 'remote')
    chatter: frozenset[str]  # stop words, openers, month names, number words: never mended

    def mend(self, word: str) -> str | None:
        """The word meant, or None when no known word is near enough."""
        same = self.stems.get(stem(word))
        if same is not None:
            return same
        limit = 2 if len(word) >= LONG_WORD else 1
        found = process.extract(word, self.vocab, scorer=OSA.distance, score_cutoff=limit, limit=CANDIDATES)
        if not found:
            return None
        best = min(found, key=lambda f: (f[1], self.rank[f[0]], abs(len(f[0]) - len(word)), f[0]))
        return best[0]

    def slip_of_question_word(self, word: str, english: SpellChecker) -> str | None:
        """The question word a rare English word is a slip of ('dose' → 'does'), else None."""
        for meant in self.tiers[0]:
            if not _swapped_or_dropped(word, meant):
                continue
            if english.word_usage_frequency(word) < RARE * english.word_usage_frequency(meant):
                return meant
        return None


def _swapped_or_dropped(word: str, meant: str) -> bool:
    if len(word) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(word, meant, strict=True)) if a != b]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == meant[diff[1]] \
            and word[diff[1]] == meant[diff[0]]
    return len(meant) == len(word) + 1 and any(meant[:i] + meant[i + 1:] == word for i in range(len(meant)))


_ENGLISH: list[SpellChecker] = []


def english() -> SpellChecker:
    """The English dictionary with word frequencies (loaded once: about a second)."""
    if not _ENGLISH:
        with _LOCK:
            if not _ENGLISH:
                _ENGLISH.append(SpellChecker(language="en", distance=1))
    return _ENGLISH[0]


_CACHE: weakref.WeakKeyDictionary[Searcher, Speller] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def speller(search: Searcher, lex: Lexicon) -> Speller:
    found = _CACHE.get(search)
    if found is None:
        with _LOCK:
            found = _CACHE.get(search)
            if found is None:
                found = _CACHE[search] = _build(lex)
    return found


def _build(lex: Lexicon) -> Speller:
    chatter = tuple(sorted({w for o in OPENERS for w in o.split()} | set(MONTHS) | set(NUMBER_WORDS) | STOPWORDS))
    # Plain stop words are not targets: a surname ('leike') one letter from 'like' is not a slip of it.
    tiers = (tuple(sorted(KEEP)), tuple(sorted(FRAME_WORDS - STOPWORDS)),
             tuple(sorted(lex.page_vocab - STOPWORDS)))
    rank: dict[str, int] = {}
    for i, tier in enumerate(tiers):
        for w in tier:
            if len(w) >= 2 and w.isalpha():
                rank.setdefault(w, i)
    stems: dict[str, str] = {}
    for w in sorted(rank, key=lambda w: (rank[w], w)):
        stems.setdefault(stem(w), w)
    return Speller(tiers, rank, tuple(sorted(rank)), stems, frozenset(chatter))


def _is_name_word(search: Searcher, lex: Lexicon, word: str) -> bool:
    return (word in search.people.postings or word in lex.first_names or word in lex.last_names
            or word in lex.mentors or word in lex.streams or word in lex.stream_words or word in lex.tracks)


def mend(search: Searcher, lex: Lexicon, q: Question) -> Question:
    """The question with its slips mended (names and words the catalog knows are never touched)."""
    spell = speller(search, lex)
    words = english()
    tokens = list(q.tokens)
    changed = False
    for i, word in enumerate(tokens):
        if (len(word) < SHORTEST or not word.isalpha() or word in spell.rank or word in spell.chatter or lex.knows(word)
                or _is_name_word(search, lex, word)
                or (i > 0 and tokens[i - 1] in lex.first_names)):  # 'jan leike': a surname the catalog lacks
            continue
        meant = spell.slip_of_question_word(word, words) if word in words else spell.mend(word)
        if meant is not None:
            tokens[i] = meant
            changed = True
    return replace(q, tokens=tuple(tokens)) if changed else q
