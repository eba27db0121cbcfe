"""Entity linking: which catalog names a question mentions, with the usual collisions handled.

Rules, each for a collision seen in real questions:
- A full name (or alias) typed as the catalog folds it is a person even when its words are stop
  words ('he he', 'can rager'). A near spelling of two or three words is found fuzzily.
- A lone first name or surname is a person only with a sign that a person is meant: a possessive
  ('nanda's'), 'by'/'with'/'and' before it, or being the only person of that name who is not also an
  ordinary word of the pages ('adria'). 'price' in 'the price of mats' stays a word.
- Mentor first names ('neel', 'arthur') are mentors; a mentor is also the stream they mentor.
- 'MATS', 'the program', 'fellowship' name the program, never a stream whose name contains 'MATS'.
- A word that is both a track and part of a stream's name ('empirical') is the track when 'track'
  is said, the stream when 'stream' is said.
- Longer mentions win over the shorter ones inside them ('ethan perez' over mentor 'ethan').
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.questions.attributes import TEMPLATE_STEMS
from bot.questions.lexicon import NAME_WORD, Lexicon, lexicon, stem
from bot.questions.normalise import Question
from bot.search.ranking import FILLER
from bot.text import STOPWORDS

if TYPE_CHECKING:
    from bot.app import App

Kind = Literal["person", "mentor", "stream", "track", "program", "edition"]

EXACT = 100.0
"""Score of a name typed as the catalog folds it."""
FUZZY_NAME = 88.0
"""Lowest fuzzy score for a two- or three-word person or stream name with a slip in it."""
LONE_NAME = 90.0
"""Score of a lone first name or surname taken as a person (a sign of a person was present)."""
MENTOR_FIRST = 96.0
"""Score of a mentor's first name alone ('neel'): the pages themselves call mentors so."""
STREAM_WORD = 86.0
"""Score of a stream named by some words of its name ('the security stream')."""
STREAM_WORD_LEAD = 0.15
"""How much more of those words one stream must hold than the next to be the one meant."""
PERSON_SIGNS = frozenset({"by", "with", "and", "from", "wrote", "written", "authored", "published"})
"""Words right before a lone name that say a person is meant."""
PERSON_AFTER = frozenset({"and", "et", "pubs", "papers", "paper", "publications", "published", "wrote", "written", "alum", "alumnus",
                          "alumni", "work", "worked", "co", "coauthored", "collaborated"})
"""Words right after a lone name that say a person is meant."""
PROGRAM_WORDS = frozenset({"mats", "program", "programme", "fellowship", "cohort"})
MODIFIED = frozenset({"paper", "papers", "alum", "alumni", "alumnus", "fellow", "fellows", "scholar", "scholars",
                      "publication", "publications", "pubs", "stream", "streams", "mentor", "mentors"})
"""Words 'MATS' qualifies when it comes right before them ('the newest mats paper'): it names no program then."""
PAPER_KIND = frozenset({"papers", "pubs", "publications"})
"""Words that say a name is meant as an author, not as the mentor or stream of that name ('which papers is neel
nanda on'); 'the transcoder paper with neel' names one paper, and is not read so."""
PAPER_NOUNS = frozenset({"paper", "papers", "pubs", "publication", "publications", "cited", "citations"})
STREAM_NOUNS = frozenset({"stream", "streams", "mentor", "mentors", "mentored", "mentoring", "track", "tracks"})
"""A question that says one of the first and none of the second is about papers, not a stream."""
TRACK_WORD = 86.0
"""Score of a track named by one word of its name when the question says 'track' ('the security track')."""
SUMMER = frozenset({"summer", "june", "july", "august", "jun", "jul", "aug", "12", "twelve"})
AUTUMN = frozenset({"fall", "autumn", "september", "october", "november", "december", "sep", "sept", "oct", "nov",
                    "dec", "10", "ten"})
"""Words that name an edition by its season, months or weeks ('the sep 28 - dec 4 edition')."""
EDITION_LENGTHS = frozenset({"10", "ten", "12", "twelve"})
"""Numbers of weeks that name an edition when 'week' follows ('the 12 week one')."""
WEEK_WORDS = frozenset({"week", "weeks", "wk", "wks"})
"""Words that make an edition's length its name, with the number before them."""


@dataclass(frozen=True)
class Mention:
    kind: Kind
    id: str
    start: int
    end: int  # exclusive
    score: float

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Links:
    mentions: tuple[Mention, ...]
    used: frozenset[int]  # token indexes inside a chosen mention

    def of(self, kind: Kind) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def ids(self, kind: Kind) -> list[str]:
        return list(dict.fromkeys(m.id for m in self.of(kind)))


def _spans(n: int, longest: int) -> list[tuple[int, int]]:
    return [(i, i + k) for k in range(min(longest, n), 0, -1) for i in range(n - k + 1)]


def link(app: App, q: Question) -> Links:
    lex = lexicon(app.search)
    tokens = list(q.tokens)
    n = len(tokens)
    found: list[Mention] = []
    for start, end in _spans(n, lex.longest):
        phrase = " ".join(tokens[start:end])
        single = end - start == 1
        for pid in lex.people.get(phrase, ()) if not single else ():
            found.append(Mention("person", pid, start, end, EXACT + (end - start)))
        for sid in lex.streams.get(phrase, ()):
            if single and (phrase in STOPWORDS or phrase in PROGRAM_WORDS):
                continue
            found.append(Mention("stream", sid, start, end, EXACT + (end - start)))
        for mid in lex.mentors.get(phrase, ()):
            found.append(Mention("mentor", mid, start, end, (EXACT if not single else MENTOR_FIRST) + (end - start)))
        for tid in lex.tracks.get(phrase, ()):
            found.append(Mention("track", tid, start, end, EXACT + (end - start)))
    found += _lone_names(lex, q)
    if {"track", "tracks"} & set(tokens):
        found += _track_words(lex, tokens, {m.span for m in found if m.kind == "track"})
    said = set(tokens)
    if not any(m.kind == "stream" for m in found) and not (said & PAPER_NOUNS and not said & STREAM_NOUNS):
        # 'best paper on interpretability': a word of a stream's name in a question about papers is their topic.
        found += _stream_words(lex, tokens)
    found += _fuzzy(app, lex, tokens, {m.span for m in found})
    people = {m.id for m in found if m.kind == "person"}
    for m in [m for m in found if m.kind == "mentor"]:
        if m.id in app.catalog.people and m.id not in people:  # a mentor who is also an author
            found.append(Mention("person", m.id, m.start, m.end, m.score - 1))
    said = set(tokens)
    if said & PAPER_KIND and not said & {"stream", "streams", "mentor", "mentors", "mentored", "mentoring"}:
        # 'which papers is neel nanda on': the person, not the mentor or the stream of the same name.
        people_spans = {m.span for m in found if m.kind == "person"}
        found = [m for m in found if not (m.kind in ("mentor", "stream") and m.span in people_spans)]
    spans_of = {kind: {m.span for m in found if m.kind == kind} for kind in ("track", "stream")}
    if "track" in said and "stream" not in said:
        found = [m for m in found if not (m.kind == "stream" and m.span in spans_of["track"])]
    elif "stream" in said and "track" not in said:
        found = [m for m in found if not (m.kind == "track" and m.span in spans_of["stream"])]
    for i, w in enumerate(tokens):
        if w in PROGRAM_WORDS and not modifier(tokens, i):
            found.append(Mention("program", "mats", i, i + 1, EXACT))
        if w in SUMMER or w in AUTUMN:
            # 'the 12 week one': the edition is named by both words, so 'week' is no topic of its own.
            end = i + 2 if i + 1 < len(tokens) and tokens[i + 1] in WEEK_WORDS and w in EDITION_LENGTHS else i + 1
            found.append(Mention("edition", "summer" if w in SUMMER else "autumn", i, end, EXACT))
    return _resolve(found, tokens)


def _lone_names(lex: Lexicon, q: Question) -> list[Mention]:
    out = []
    tokens = q.tokens
    for i, w in enumerate(tokens):
        if w in STOPWORDS or len(w) < 3:
            continue
        firsts, lasts = lex.first_names.get(w, set()), lex.last_names.get(w, set())
        if not (firsts or lasts):
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        sign = i in q.possessive or before in PERSON_SIGNS or after in PERSON_AFTER
        ordinary = stem(w) in lex.page_stems
        # 'chris olah': a first name followed by a word the catalog does not know is someone else.
        stranger = bool(after) and after not in STOPWORDS and after not in PERSON_AFTER and not (
            lex.paper_words_of(after) or stem(after) in lex.page_stems)
        # With a sign, every person of that first name or surname ('thomas's papers': Thomas Kwa and Drake
        # Thomas) is a candidate, and the member is asked which.
        ids = (firsts | lasts) if sign else (firsts if not ordinary and not stranger else set())
        if len(ids) == 1:
            out.append(Mention("person", next(iter(ids)), i, i + 1, LONE_NAME))
        elif sign and len(ids) > 1:
            out += [Mention("person", pid, i, i + 1, LONE_NAME - 5) for pid in sorted(ids)]
    return out


def _stream_words(lex: Lexicon, tokens: list[str]) -> list[Mention]:
    """A stream named by some words of its name or nicknames ('the control stream', 'the cyber incidents people'):
    the stream holding most of the question's such words, when one holds clearly more than the rest.
    """
    totals: dict[str, float] = {}
    where: dict[str, list[int]] = {}
    for i, w in enumerate(tokens):
        if w in ("stream", "streams", "mentors", "mentor") or w in PROGRAM_WORDS:
            continue
        for sid, weight in lex.stream_words.get(w, {}).items():
            totals[sid] = totals.get(sid, 0.0) + weight
            where.setdefault(sid, []).append(i)
    if not totals:
        return []
    ranked = sorted(totals.items(), key=lambda x: (-x[1], x[0]))
    if not STREAM_NOUNS & set(tokens) and ranked[0][1] < NAME_WORD:
        # One word of a nickname and no 'stream' said ('reward hacking' beside 'hacking real-world AI
        # deployments'): a topic, not a stream.
        return []
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < STREAM_WORD_LEAD:
        return [Mention("stream", sid, where[sid][0], where[sid][0] + 1, STREAM_WORD - 5) for sid, _ in ranked[:2]]
    sid = ranked[0][0]
    return [Mention("stream", sid, where[sid][0], where[sid][0] + 1, STREAM_WORD)]


def modifier(tokens: list[str] | tuple[str, ...], i: int) -> bool:
    """'mats' right before 'paper', 'alumni', 'stream'…: it says whose, it is not the program asked about."""
    return tokens[i] == "mats" and i + 1 < len(tokens) and tokens[i + 1] in MODIFIED


def _track_words(lex: Lexicon, tokens: list[str], exact: set[tuple[int, int]]) -> list[Mention]:
    """A track named by a word of its name when the question says 'track' ('is the security track…':
    Systems Security). A word of several tracks' names ('governance') gives each, to be asked back.
    """
    if exact:
        return []
    out = []
    for i, w in enumerate(tokens):
        if w in STOPWORDS or len(w) < 4 or w in ("track", "tracks") or w in PROGRAM_WORDS:
            continue
        ids = sorted({tid for name, tids in lex.tracks.items() if w in name.split() for tid in tids})
        if len(ids) == 1:
            out.append(Mention("track", ids[0], i, i + 1, TRACK_WORD))
        else:
            out += [Mention("track", tid, i, i + 1, TRACK_WORD - 5) for tid in ids]
    return out


def _frame(word: str) -> bool:
    """A word of a question's frame ('papers', 'mentors', 'who'): never the edge of a fuzzy name."""
    return word in STOPWORDS or word in FILLER or stem(word) in TEMPLATE_STEMS


def _fuzzy(app: App, lex: Lexicon, tokens: list[str], exact: set[tuple[int, int]]) -> list[Mention]:
    out = []
    people_words = app.search.people.postings
    for start, end in _spans(len(tokens), 3):
        if (start, end) in exact or (end - start < 2 and len(tokens[start]) < 6):
            continue
        gram = tokens[start:end]
        if _frame(gram[0]) or _frame(gram[-1]):
            continue
        if end - start == 1 and lex.knows(gram[0]):
            continue  # one ordinary word ('control') is a topic, not a misspelt name
        text = " ".join(gram)
        # A name with a slip still has one word spelt as the catalog spells it (the same rule as
        # papers_matching): that keeps the fuzzy look-ups few in a catalog of 100k people.
        if end - start >= 2 and any(w in people_words for w in gram):
            for hit in app.search.find("person", text, 3):
                if hit.score >= FUZZY_NAME:
                    out.append(Mention("person", hit.id, start, end, hit.score))
        for hit in app.search.find("stream", text, 2):
            if hit.score >= FUZZY_NAME and (end - start >= 2 or hit.score >= 95):
                out.append(Mention("stream", hit.id, start, end, hit.score - 1))
    return out


def _resolve(found: list[Mention], tokens: list[str]) -> Links:
    """Longer mentions first; a mention inside a longer chosen one is dropped (same span: all kept)."""
    chosen: list[Mention] = []
    used: set[int] = set()
    spans: set[tuple[int, int]] = set()
    for m in sorted(found, key=lambda m: (-(m.end - m.start), -m.score, m.start, m.kind, m.id)):
        inside = set(range(m.start, m.end))
        if m.span in spans or not (inside & used):
            if m.kind in ("program", "edition") and inside & used:
                continue
            chosen.append(m)
            if m.kind not in ("program", "edition"):
                used |= inside
            spans.add(m.span)
    best: dict[tuple[Kind, str], Mention] = {}
    for m in chosen:
        key = (m.kind, m.id)
        if key not in best or m.score > best[key].score:
            best[key] = m
    ordered = sorted(best.values(), key=lambda m: (-m.score, m.start))
    return Links(tuple(ordered), frozenset(used))
