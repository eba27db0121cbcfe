"""Topic search that survives paraphrase: the question's content words, by stem, against the papers.

'fooled' finds 'fool', 'erase' finds 'erasing' (Snowball stems of the catalog's own words), and the
words of a question that are chatter or part of the question's frame ('is there a paper about') are
not searched. A paper's score is the share of the searched words its title and abstract hold,
weighted by how rare each word is in the catalog (a rare word like 'sokoban' says more than
'model'), so a paraphrase with several shared rare words wins over one common shared word.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.questions.lexicon import lexicon, stem
from bot.questions.thesaurus import related as lay_related
from bot.search.fulltext import words_finder
from bot.search.searcher import Searcher
from bot.text import STOPWORDS, fold

if TYPE_CHECKING:
    from bot.app import App

CHATTER = frozenset("""hey hi hello bot quick q question pls please thanks lol lmao ok okay so like really actually
    just anyone tell give show find me something anything stuff thing things one ones any paper papers
    research work study studies publication publications about on regarding there where which whats what
    is are was were does did do can could would should i im wanna want looking look get got into esp
    especially even kind sort bit wait hmm um also maybe someone people way mats sorry dumb but dont don
    isnt arent btw guys folks page pages site website anyway story cut nah yeah yep nope plz thx ur yeah yes no zero worth honestly basically literally curious wondering idk
    theyre thats smth sth fr ngl tbh imo iirc afaik rn u catalog catalogue database db
    whens wheres hows whos whys""".split())
"""Words that frame a question rather than name its topic."""
SEARCHED = 8
"""Content words searched at most (the rarest first)."""
CANDIDATES = 15
"""Papers (or streams) ranked by bm25 whose coverage is then measured."""


@dataclass(frozen=True)
class TopicHit:
    id: str
    coverage: float  # rarity-weighted share of the searched words found
    found: int  # how many searched words were found
    searched: int
    evidence: float = 0.0  # rarity (idf, in nats) of the words found, summed: how much the match says


CHATTER_AFTER = {"know": frozenset({"anyone", "you", "u", "ya", "i", "we", "does", "do", "dont", "don", "idk",
                                    "somebody", "someone", "who", "guys", "folks"})}
"""Words that are chatter only after these ('does anyone know'), content otherwise ('models know they are')."""


def content_words(tokens: list[str], drop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    chatter = {t for i, t in enumerate(tokens) if t in CHATTER_AFTER and (i == 0 or tokens[i - 1] in CHATTER_AFTER[t])}
    return [t for t in dict.fromkeys(tokens) if t not in STOPWORDS and t not in CHATTER and t not in drop
            and t not in chatter and len(t) > 1]


_MEMO: weakref.WeakKeyDictionary[Searcher, OrderedDict[tuple[str, ...], list[TopicHit]]] = weakref.WeakKeyDictionary()
MEMO_SIZE = 256
"""Topic searches remembered per catalog: the reader and the command it becomes ask the same one."""


def paper_topics(app: App, words: list[str], limit: int = 5) -> list[TopicHit]:
    memo = _MEMO.setdefault(app.search, OrderedDict())
    key = tuple(words)
    if key not in memo:
        memo[key] = _paper_topics(app, words)
        if len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return memo[key][:limit]


def _paper_topics(app: App, words: list[str], limit: int = CANDIDATES) -> list[TopicHit]:
    lex = lexicon(app.search)
    groups = []
    for w in words:
        forms = set(lex.paper_words_of(w))
        for related in (*lay_related(w), *lex.related.get(w, ())):
            forms |= lex.paper_words_of(related)
        if forms:
            groups.append(tuple(sorted(forms)))
    if not groups:
        return []
    text = app.search.paper_text
    df = _small_df(app) if text.total <= text.ROWS else text.df([f for g in groups for f in g])
    total = max(1, text.total)
    weight = [math.log(1 + total / max(1, sum(df[f] for f in g))) for g in groups]
    order = sorted(range(len(groups)), key=lambda i: -weight[i])[:SEARCHED]
    groups = [groups[i] for i in order]
    weight = [weight[i] for i in order]
    rows = text.search_groups(groups, CANDIDATES)
    found = words_finder(groups)
    out = []
    abstracts = app.catalog.abstracts(pid for pid, _ in rows)  # one query, not one per row
    for pid, _position in rows:
        paper = app.catalog.papers[pid]
        present = found(paper.title) | found(abstracts.get(pid, ""))
        hits = [i for i, g in enumerate(groups) if any(f in present for f in g)]
        cov = sum(weight[i] for i in hits) / sum(weight)
        out.append(TopicHit(pid, cov, len(hits), len(groups), sum(weight[i] for i in hits)))
    out.sort(key=lambda h: (-h.coverage, h.id))
    return out[:limit]


_DF: weakref.WeakKeyDictionary[Searcher, Counter[str]] = weakref.WeakKeyDictionary()


def _small_df(app: App) -> Counter[str]:
    """Papers holding each word, counted once per catalog: the full-text index does not count them for
    a catalog this small (it needs no pruning there), yet rarity is what tells 'sokoban' from 'only'.
    """
    df = _DF.get(app.search)
    if df is None:
        df = Counter()
        abstracts = app.catalog.abstracts(app.catalog.papers)
        for pid, paper in app.catalog.papers.items():
            df.update(set(fold(f"{paper.title} {abstracts.get(pid, '')}").split()))
        _DF[app.search] = df
    return df


def known_share(app: App, words: list[str]) -> float:
    """Share of *words* the catalog's pages or papers use at all (by stem)."""
    if not words:
        return 1.0
    lex = lexicon(app.search)
    known = sum(1 for w in words if lex.paper_words_of(w) or stem(w) in lex.page_stems)
    return known / len(words)


def stream_topics(app: App, words: list[str], limit: int = 5) -> list[TopicHit]:
    """Streams whose name, nicknames, description, requirements or projects share the words (by stem)."""
    if not words:
        return []
    stems = [stem(w) for w in words]
    out = []
    for sid, have in _stream_stems(app):
        hits = [st for st in stems if st in have or any(h.startswith(st) for h in have if len(st) >= 5)]
        if hits:
            out.append(TopicHit(sid, len(hits) / len(stems), len(hits), len(stems)))
    out.sort(key=lambda h: (-h.coverage, h.id))
    return out[:limit]


_STREAM_STEMS: weakref.WeakKeyDictionary[Searcher, list[tuple[str, frozenset[str]]]] = weakref.WeakKeyDictionary()


def _stream_stems(app: App) -> list[tuple[str, frozenset[str]]]:
    """(stream id, the stems of its words), once per catalog: folding and stemming every stream's
    texts again for each question took a millisecond with the program's seven streams.
    """
    search = app.search  # read once: a reload in another thread may swap it (and its catalog) meanwhile
    found = _STREAM_STEMS.get(search)
    if found is None:
        found = []
        for s in search.catalog.streams.values():
            text = " ".join([s.name, *s.nicknames, s.description, s.requirements.text or "",
                             s.project_selection or "", s.extra or ""])
            found.append((s.id, frozenset(stem(w) for w in fold(text).split() if w not in STOPWORDS)))
        _STREAM_STEMS[search] = found
    return found
