"""Facts stated in a paper's abstract: the sentence that answers 'how much faster', 'which layer',
'what model sizes'.

The catalog holds no table of a paper's results, only its abstract: so a question about a named paper
that asks for something its date, citations and authors cannot answer is answered with the abstract's
own sentence that holds the question's words, quoted and said to be from the abstract (the member reads
the number in its context). The words are matched by stem ('positives' finds 'positive') and weighted
by rarity, as the topic search does; a word the rest of the abstract holds counts for part (it names
the paper, like 'U-SOPHISTRY', more than the fact). When no sentence holds enough of them, the answer
is that the abstract does not say, never the nearest sentence.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.questions.lexicon import lexicon, stem
from bot.questions.thesaurus import related
from bot.search.fulltext import words_finder
from bot.text import STOPWORDS, fold

if TYPE_CHECKING:
    from bot.app import App

FACT_COVERAGE = 0.5
"""Share of the question's (rarity-weighted) fact words a sentence must hold to be the answer."""
FACT_HELD = 2
"""Fact words a sentence must hold itself (or all of them, when fewer are asked) to be the answer."""
ELSEWHERE = 0.5
"""What a fact word counts when the abstract holds it outside the sentence (it names the paper)."""
FACT_SURE = 0.85
"""How sure an abstract-sentence reading is, times how sure the paper is (above the paper's card alone)."""
SENTENCE_SHOWN = 450
"""Characters of the quoted sentence at most (the whole abstract is in the card below)."""
FACT_WORDS_MAX = 6
"""Fact words matched at most: a longer question is a topic description, not a fact asked."""

NOT_FACTS = frozenset("""much many far number amount exactly roughly approx approximately big bigger large larger go
    went goes up down did does get got say says said paper papers one ones study they their them it its whole
    try tried use used using make made making look looked looking see saw give gave take took have has had
    link url abstract summary summarise summarize about tell describe explain mean means""".split())
"""Words of the question's frame: never a fact to look for in the abstract."""
FIELD_WORDS = frozenset("""cite cites cited citation citations citing author authors wrote written writer writers
    coauthor coauthors alum alums alumni alumnus alumna fellow fellows date dated published publish publication
    released release came come drop dropped appear appeared when who whos old""".split())
"""Words that ask for a field the card answers itself (date, citations, authors, alumni): such a question is
not about the abstract, even when other words of it are ('has anyone cited the mamba IOI paper')."""
QUANTITY = (("how", "many"), ("how", "much"), ("what", "percent"), ("what", "percentage"), ("number", "of"),
            ("which", "layer"), ("how", "accurate"), ("how", "big"), ("how", "large"), ("how", "fast"),
            ("how", "far"))
"""Question frames that ask for a number: a sentence with a digit in it is then preferred."""
ASKING = frozenset({"how", "which", "what", "whats", "why"})
"""A fact is asked with one of these ('the paper where models hide capabilities' describes a paper instead)."""
NUMBER_FIRST = 0.15
"""Coverage added to a sentence holding a digit when the question asks for a number."""
NOT_FACT_STEMS = frozenset(stem(w) for w in NOT_FACTS | FIELD_WORDS)

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“'])")


@dataclass(frozen=True)
class Fact:
    sentence: str  # "" when no sentence holds the words
    coverage: float


ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.", "fig.", "eq.", "approx.", "resp.")
"""Endings with a full stop that do not end a sentence."""


def sentences(abstract: str) -> list[str]:
    """An abstract's sentences: one ends at '.', '!' or '?' before a capital or a digit ('3.5' does not end
    one), except after an abbreviation ('e.g. Pythia').
    """
    out: list[str] = []
    for piece in (s.strip() for s in _SENTENCE.split(abstract)):
        if not piece:
            continue
        if out and out[-1].lower().endswith(ABBREVIATIONS):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def fact_words(words: list[str], title: str) -> list[str]:
    """The question's words that ask for a fact: not the paper's title words, not frame or field words."""
    titled = {stem(w) for w in fold(title).split()}
    out = [w for w in dict.fromkeys(words) if not w.isdigit() and stem(w) not in titled
           and w not in NOT_FACTS and stem(w) not in NOT_FACT_STEMS]
    return out


def asks_number(tokens: list[str]) -> bool:
    """'how many VLMs', 'by how much', 'which layer': the answer is a number."""
    return any(pair in QUANTITY for pair in itertools.pairwise(tokens))


def find(app: App, paper_id: str, words: list[str], number: bool = False) -> Fact:
    """The abstract's sentence that best holds *words* (by stem, rarity-weighted), with its coverage; with
    *number*, a sentence holding a digit goes first among those that hold the words.
    """
    lex = lexicon(app.search)
    # A lay word counts by the technical words it stands for too ('ahead': the abstract's 'in advance').
    groups = [tuple(sorted(forms)) for w in words
              if (forms := lex.paper_words_of(w).union(*(lex.paper_words_of(r) for r in related(w))))]
    abstract = app.catalog.abstracts([paper_id]).get(paper_id, "")
    if not groups or not abstract:
        return Fact("", 0.0)
    text = app.search.paper_text
    df = text.df([f for g in groups for f in g])
    total = max(1, text.total)
    weight = [math.log(1 + total / max(1, sum(df[f] for f in g))) for g in groups]
    unknown = len(words) - len(groups)  # words no paper uses: the abstract cannot hold them
    whole = sum(weight) * (1 + unknown / len(weight))  # an unknown word weighs as much as an average one
    found = words_finder(groups)
    everywhere = found(abstract)
    best, rank = Fact("", 0.0), 0.0
    for sentence in sentences(abstract):
        here = found(sentence)
        got = sum(w if any(f in here for f in g) else ELSEWHERE * w if any(f in everywhere for f in g) else 0.0
                  for g, w in zip(groups, weight, strict=True))
        held = sum(any(f in here for f in g) for g in groups)
        bonus = NUMBER_FIRST if number and any(ch.isdigit() for ch in sentence) else 0.0
        if held >= min(FACT_HELD, len(groups)) and got / whole >= FACT_COVERAGE and got / whole + bonus > rank:
            best, rank = Fact(sentence, got / whole), got / whole + bonus
    return best


PAPER_WORDS = frozenset("paper papers study benchmark dataset".split())
"""Words that say the question is about a paper, when none of its title's words is in it."""
DESCRIBED_SURE = 0.75
"""How sure a paper found by its topic (not named by title words) must be for its abstract to be asked."""


TITLE_RARE = 0.05
"""A title word shared by at most this share of the titles (or two) names its paper ('transcoders');
a common one ('models') does not."""


def names_paper(app: App, tokens: list[str], title: str, described: bool, sure: float) -> bool:
    """The question names this paper: by a rare word of its title, or as 'the … paper' found surely by
    its topic.
    """
    postings = app.search.papers.postings
    rare = max(2, int(TITLE_RARE * len(app.catalog.papers)))
    titled = {stem(w) for w in fold(title).split() if w not in STOPWORDS and len(w) > 2
              and len(postings.get(w, ())) <= rare}
    if any(stem(t) in titled for t in tokens if t not in STOPWORDS):
        return True
    return bool(PAPER_WORDS & set(tokens)) and sure >= DESCRIBED_SURE


RARE_WORDS_TRIED = 3
"""Question words that are rare title words looked up at most, to find the paper a fact question names."""


def named_by_rare_words(app: App, words: list[str]) -> list[tuple[str, float]]:
    """Papers a rare title word of the question names ('what model sizes did they train the transcoders on':
    'transcoders'), when the question's words as a whole match no title well enough.
    """
    postings = app.search.papers.postings
    rare = max(2, int(TITLE_RARE * len(app.catalog.papers)))
    tried = [w for w in words if 0 < len(postings.get(w, ())) <= rare][:RARE_WORDS_TRIED]
    found: dict[str, float] = {}
    for w in tried:
        for hit in app.search.find("paper", w, 2):
            if hit.score >= TITLE_WORD_SCORE:
                found[hit.id] = max(found.get(hit.id, 0.0), min(1.0, hit.score / 100))
    return list(found.items())


TITLE_WORD_SCORE = 90.0
"""Title-search score of one rare word at which the title holds it (the fuzzy search scores a held word ~100)."""


def asks_fact(tokens: list[str]) -> bool:
    """How, which, what or why, and no word of a field the card answers itself (date, citations, authors)."""
    words = set(tokens)
    return bool(ASKING & words) and not FIELD_WORDS & words


def abstract_reading(app: App, papers: list[tuple[str, float]], described: bool, words: list[str],
                     tokens: list[str]) -> tuple[str, str, dict[str, str], float] | None:
    """A question about a named paper whose other words one abstract sentence holds: that sentence is asked
    for (`/paper show field:abstract find:…`), as (label, path, options, weight). *papers*: the paper the
    reader found, or the candidates its title search gave; more than one of them fitting is no reading.
    """
    if not papers or not asks_fact(tokens):
        return None
    fits = [r for pid, sure in papers if (r := _reading(app, pid, sure, described, words, tokens))]
    return fits[0] if len(fits) == 1 else None


def _reading(app: App, pid: str, sure: float, described: bool, words: list[str], tokens: list[str]
             ) -> tuple[str, str, dict[str, str], float] | None:
    title = app.catalog.papers[pid].title
    if not names_paper(app, tokens, title, described, sure):
        return None
    asked = fact_words(words, title)
    if not asked or len(asked) > FACT_WORDS_MAX:
        return None
    number = asks_number(tokens)
    fact = find(app, pid, asked, number)
    if fact.coverage < FACT_COVERAGE:
        return None
    said = " ".join(asked)
    options = {"title": pid, "field": "abstract", "find": said} | ({"number": "true"} if number else {})
    return f"the abstract of “{title}” on “{said}”", "paper show", options, FACT_SURE * sure
