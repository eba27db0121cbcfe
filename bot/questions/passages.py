"""The program pages' own sentences, found by a question's content words (the answer of last resort).

Most questions about the program have a structured home (dates, tracks, a stream's cadence). Many do
not: "what do co-mentors do", "is there research management", "which mentor prefers short meetings".
The pages answer them in one sentence somewhere, so every sentence the catalog keeps from the pages
(editions, tracks, streams: the text fields, copied verbatim from the pages) is indexed with the
section it belongs to. A question is matched by the rarity-weighted share of its content words a
sentence holds (words of the section's name count too: 'in the anthropic stream' picks that stream's
copy of a sentence the Megastream shares). Below `MATCHED` the pages are taken to be silent.

A passage that matches is still not an answer to every question: a 'who' question needs a name in it,
a 'how many' a number, a 'when' a time. When the best sentence has none, the reply says the pages do
not say, and quotes the sentence as what they say nearby. Deterministic; built once per catalog, a
question costs a few set look-ups per sentence (the pages have about a hundred).
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.questions.lexicon import stem
from bot.questions.thesaurus import related
from bot.questions.topics import CHATTER
from bot.text import STOPWORDS, fold

if TYPE_CHECKING:
    from bot.catalog.model import Catalog
    from bot.search.searcher import Searcher

Owner = Literal["edition", "track", "stream"]

MATCHED = 0.6
"""Least rarity-weighted share of the question's content words a sentence must hold to be its answer."""
MATCHED_WORDS = 1
"""Least number of distinct content words a sentence must share with the question."""
NEARBY = 0.4
"""Least share of the question's words a sentence must hold to be quoted as what the pages say near a detail
they never give (below it the sentence shares a stray word: 'executive' and 'executing')."""
CLEAR = 0.8
"""Share of the question's words a sentence must hold to be quoted instead of a structured reply that
does not contain it (the structured reading answered something else: 'which mentor interviews people
from Neel's sprint' is not a question about Neel)."""
CLEAR_WORDS = 2
"""Words beside the names that such a sentence must share with the question."""
SECTION_WEIGHT = 0.6
"""A word found only in the section's name ('Anthropic Stream — meetings') counts this much of its weight:
it says where the sentence is, not what it says."""
UNKNOWN_IDF = 3.0
"""Weight of a question word no sentence of the pages uses, as much as a rare word they do use: what it
asks for is likely what the pages do not hold ('how do I track my application status')."""
SHOWN = 3
CONTEXT_SHARE = 0.6
"""A runner-up passage's section is shown under the answer when it matches at least this share as well."""
"""Passages quoted under the answer, best first (the section's other sentences give the context)."""

FRAME = frozenset("""mean means meant difference different differ vs versus right true exactly exact specifically
    tell know need needs want wants like kind kinda sort type thing things happen happens happening after before
    then once done side version lots lot instead same extra ok okay count counts favour favor else prob not
    probably wont will would whats many much some more most own using use used take takes get gets make makes
    go goes going went usual usually actually really still ever every each other another way ways good bad
    big small new old able may might must shall our we sure possible""".split())
"""Ordinary words that frame a question about the pages rather than say what it is about."""
STRUCTURE = frozenset("""track tracks stream streams mentor mentors program programme edition editions page pages
    fellow fellows scholar scholars""".split())
"""The pages' own structural words: they count in a match but do not make a sentence *about* the question
('list the streams in the empirical track' is not answered by any sentence holding 'streams' and 'track')."""
_SENTENCE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+(?=[A-Z“\"(])")
_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"), (re.compile(r"our$"), "or"))
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
                     r"several|few)\b", re.IGNORECASE)
_EXACT_NUMBER = re.compile(r"(?<![~\d.])\d+(?![\d-])")
EXACT = frozenset({"exact", "exactly", "precise", "precisely"})
"""Words that ask for an exact number: 'dozens' or '~60' does not answer them."""
_TIME = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                   r"week|weeks|day|days|daily|weekly|start|starts|end|ends)\b",
                   re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|from) [A-Z][a-z]+")

NAME_WORDS = 4
"""Longest name (in words) looked for in a sentence that should answer 'who'."""

Asked = Literal["who", "how many", "exactly how many", "when", "where", "other"]


@dataclass(frozen=True)
class Passage:
    """One sentence of the pages, with where it is."""

    text: str
    section: str  # 'Anthropic Stream — meetings'
    paragraph: str  # the whole text of the section, for context
    owner: Owner
    owner_id: str
    field: str  # about, meetings, requirements, projects, also, mentors, eligibility, application
    stems: frozenset[str]
    section_stems: frozenset[str]


@dataclass(frozen=True)
class Match:
    passage: Passage
    coverage: float
    shared: int  # question words the sentence (or its section's name) holds
    topical: int  # of them, words that are not part of a name the question uses


@dataclass
class Index:
    passages: list[Passage]
    idf: dict[str, float]
    names: frozenset[str]  # who a sentence can name: mentors, organisations, authors (folded)

    def expand(self, word: str) -> set[str]:
        """The stems a question word stands for: its own, and those of the everyday words' field terms
        ('test' → evaluation) when the pages use them.
        """
        own = stem(_american(word))
        terms = {stem(r) for r in related(word)} & self.idf.keys()
        return {own, *terms}

    def _weight(self, word: str, group: set[str]) -> float:
        """How telling the word is: its own stem's rarity, else its field terms' (the rarest of them)."""
        own = self.idf.get(stem(_american(word)))
        return own if own is not None else max((self.idf.get(s, UNKNOWN_IDF) for s in group), default=UNKNOWN_IDF)

    def search(self, tokens: tuple[str, ...] | list[str], named: frozenset[str] = frozenset(),
               limit: int = SHOWN) -> list[Match]:
        """Sentences best first by the share of the question's words they hold (rarer words weigh more).
        Words in *named* are part of a name the question uses: they count, but a sentence must share
        some other word to be *about* what is asked (`Match.topical`).
        """
        words = question_words(tokens)
        groups = [self.expand(w) for w in words]
        if not groups:
            return []
        weights = [self._weight(w, g) for w, g in zip(words, groups, strict=True)]
        is_name = [w in named for w in words]
        total = sum(weights)
        out = []
        for p in self.passages:
            got = 0.0
            shared = topical = 0
            for word, g, w, name in zip(words, groups, weights, is_name, strict=True):
                if g & p.stems:
                    got += w
                elif g & p.section_stems:
                    got += w * SECTION_WEIGHT
                else:
                    continue
                shared += 1
                topical += not name and word not in STRUCTURE
            if shared:
                out.append(Match(p, got / total, shared, topical))
        out.sort(key=lambda m: (-m.coverage, -m.shared, m.passage.section, m.passage.text))
        return out[:limit]


def strong(m: Match) -> bool:
    """The sentence answers a question that nothing structured answered."""
    return m.coverage >= MATCHED and m.shared >= MATCHED_WORDS and m.topical >= 1


def clear(m: Match, words: int = CLEAR_WORDS) -> bool:
    """The sentence answers the question better than a structured reply that does not quote it (or than
    saying the pages are silent, with *words* 1).
    """
    return m.coverage >= CLEAR and m.topical >= words


def question_words(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """The question's content words: no stop words, chatter or question frame."""
    return [t for t in dict.fromkeys(tokens) if len(t) > 1 and t not in STOPWORDS and t not in CHATTER
            and t not in FRAME and not t.isdigit()]


def _american(word: str) -> str:
    """'centralised' → 'centralized', 'favour' → 'favor': the pages spell the American way."""
    for pattern, repl in _BRITISH:
        if len(word) > 5:
            word = pattern.sub(repl, word)
    return word


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(_american(w)) for w in fold(text).split() if w not in STOPWORDS and len(w) > 1)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


def _sections(catalog: Catalog) -> list[tuple[str, Owner, str, str, str]]:
    """(text, owner kind, owner id, field, section title) for every page text the catalog keeps."""
    out: list[tuple[str, Owner, str, str, str]] = []
    for e in catalog.editions.values():
        out.append((e.description, "edition", e.id, "about", f"{e.label} — about the program"))
        if e.mentors_blurb:
            out.append((e.mentors_blurb, "edition", e.id, "mentors", f"{e.label} — mentors"))
        if e.eligibility:
            out.append((e.eligibility, "edition", e.id, "eligibility", f"{e.label} — who can apply"))
        for i, stage in enumerate(e.application_stages, 1):
            out.append((stage, "edition", e.id, "application", f"{e.label} — applying, step {i}"))
    for kd in catalog.key_dates.values():
        edition = catalog.editions.get(kd.edition_id)
        if edition is not None:
            out.append((f"{kd.name}: {kd.date_text or 'not announced'}.", "edition", edition.id, "dates",
                        f"{edition.label} — key dates"))
    for t in catalog.tracks.values():
        for text, fld, what in ((t.description, "about", "about"), (t.requirements, "requirements",
                                "what it asks of fellows"), (t.project_selection, "projects", "projects")):
            if text:
                out.append((text, "track", t.id, fld, f"{t.name} track — {what}"))
    for s in catalog.streams.values():
        for text, fld, what in ((s.description, "about", "about"), (s.cadence.text, "meetings", "meetings"),
                                (s.requirements.text, "requirements", "requirements"),
                                (s.project_selection, "projects", "how projects are chosen"),
                                (s.extra, "also", "also")):
            if text:
                out.append((text, "stream", s.id, fld, f"{s.name} — {what}"))
    return out


def build(catalog: Catalog) -> Index:
    passages: list[Passage] = []
    for text, owner, owner_id, fld, section in _sections(catalog):
        title = section.split(" — ")[0]
        for sentence in sentences(text):
            passages.append(Passage(sentence, section, " ".join(text.split()), owner, owner_id, fld, _stems(sentence),
                                    _stems(section) | _stems(title)))
    df: dict[str, int] = {}
    for p in {p.text: p for p in passages}.values():  # a sentence two sections share counts once
        for s in p.stems:
            df[s] = df.get(s, 0) + 1
    n = max(1, len({p.text for p in passages}))
    idf = {s: math.log(1 + n / d) for s, d in df.items()}
    names = frozenset({*(fold(m.name) for s in catalog.streams.values() for m in s.mentors),
                       *(fold(s.organisation) for s in catalog.streams.values() if s.organisation),
                       *catalog.words.people})  # every author's names, folded by the build
    return Index(passages, idf, names)


_CACHE: weakref.WeakKeyDictionary[Searcher, Index] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def index(search: Searcher) -> Index:
    """The passages of this catalog (built on first use; a reload brings a new searcher and a new index)."""
    found = _CACHE.get(search)
    if found is None:
        with _LOCK:
            found = _CACHE.get(search)
            if found is None:
                found = _CACHE[search] = build(search.catalog)
    return found


def asked(tokens: tuple[str, ...] | list[str]) -> Asked:
    """What kind of answer the question wants, from its question words."""
    t = list(tokens)
    for a, b in itertools.pairwise(t):
        if a == "how" and b in ("many", "much"):
            return "exactly how many" if EXACT & set(t) else "how many"
    for w in t[:4]:
        if w in ("who", "whom", "whos", "whose"):
            return "who"
        if w in ("when", "whens"):
            return "when"
        if w in ("where", "wheres"):
            return "where"
    return "other"


def holds(kind: Asked, text: str, names: frozenset[str]) -> bool:
    """Whether this sentence holds the kind of answer asked: a name, a number, a time, a place."""
    if kind == "how many":
        return _NUMBER.search(text) is not None
    if kind == "exactly how many":
        return _EXACT_NUMBER.search(text) is not None
    if kind == "when":
        return _TIME.search(text) is not None
    if kind == "where":
        return _PLACE.search(text) is not None
    if kind == "who":
        w = fold(text).split()
        return any(" ".join(w[i:i + k]) in names for k in range(1, NAME_WORDS + 1) for i in range(len(w) - k + 1))
    return True
