"""The ranking rule and the thresholds every search answer is judged by.

Ranking rule (used everywhere): higher score first (compared to one decimal); on a tie, papers with
more citations, then newer; people with more papers; then A→Z by label, then by id. Below
`CONFIDENT` an answer is 'no match' with suggestions.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from bot.catalog.model import Paper

CONFIDENT = 80.0
"""Best score a reply may treat as the answer; below it we say 'no match' and offer suggestions."""
SUGGEST = 55.0
"""Lowest score worth offering as 'did you mean'."""
AMBIGUOUS_MARGIN = 4.0
"""Two entries closer than this are both shown rather than one picked silently (e.g. two Panickssery)."""

FILLER = frozenset("paper papers article titled called named stream streams mentor mentors mentored dr prof "
                   "please find show search look".split())
"""Words a member adds around a name ('the refusal paper'): ignored unless the entry contains them."""

PREFIX_TYPING = 1.0
"""A word completed from its start, while typing (autocomplete): as good as the whole word."""
PREFIX_GIVEN = 0.9
"""A word completed from its start in a submitted query: probably meant, not certain."""
ACRONYM = 0.95
"""A short query word that is the initials of words in a row of the entry ('IOI')."""


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    id: str
    label: str
    key: str  # folded text, stopwords removed
    rank: tuple[float, ...] = ()  # tie-break: smaller sorts first


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float
    via: str = "name"  # name | author | text

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def label(self) -> str:
        return self.entry.label



def ranked(hits: Iterable[Hit], limit: int) -> list[Hit]:
    """The module's ranking rule: score (to one decimal), then the entry's rank, then label, then id."""
    return heapq.nsmallest(limit, hits, key=lambda h: (-round(h.score, 1), h.entry.rank,
                                                       h.entry.label.casefold(), h.entry.id))


def tie_order(e: Entry) -> tuple[tuple[float, ...], str, str]:
    return (e.rank, e.label.casefold(), e.id)


def paper_rank(p: Paper) -> tuple[float, ...]:
    return (-p.citations, -p.date.toordinal())


def decide(hits: list[Hit]) -> tuple[Hit | None, list[Hit]]:
    """The answer (if confident and unambiguous) and the alternatives worth suggesting."""
    if not hits or hits[0].score < CONFIDENT:
        return None, [h for h in hits if h.score >= SUGGEST][:5]
    top = hits[0]
    close = [h for h in hits[1:] if top.score - h.score < AMBIGUOUS_MARGIN]
    if close and top.score < 100:
        return None, [top, *close][:5]
    if close and all(h.score >= 100 for h in close):
        return None, [top, *close][:5]
    return top, [h for h in hits[1:] if h.score >= SUGGEST][:4]


LEAD_FLOOR = 62.0
"""Lowest score of a below-`CONFIDENT` candidate that may still be shown as the closest match."""
CLEAR_LEAD = 12.0
"""How far that candidate must be ahead of the next for the reply to show it ('closest to what you typed')."""


def clear_lead(hits: list[Hit]) -> Hit | None:
    """A candidate short of `CONFIDENT` but far ahead of every other: shown, and said to be the closest."""
    if not hits or hits[0].score < LEAD_FLOOR:
        return None
    second = hits[1].score if len(hits) > 1 else 0.0
    return hits[0] if hits[0].score - second >= CLEAR_LEAD else None
