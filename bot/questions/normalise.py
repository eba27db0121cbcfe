"""Before reading: what a member typed, minus what is not part of the question.

Mentions, role pings, code fences, pasted SQL statements and Discord markup are dropped (they are never what is asked);
a very long message is read by its last question, since that is where people put the ask after
the background. Possessives are kept as a mark on the word ('sara price's' → 'sara price' + 's),
never as a separate word 's' that a name like 'Buck S' could match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import clean, fold

LONG_QUESTION = 280
"""A message longer than this (characters) is read by its last question sentence."""
SHORT_SENTENCE = 40
"""A last sentence shorter than this is read together with the one before it."""
MAX_READ = 600
"""Characters of a message that are read at all (after the long-message rule)."""

_FENCE = re.compile(r"```.*?```", re.DOTALL)
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b|<a?:\w+:\d+>", re.IGNORECASE)
_MARKUP = re.compile(r"[*_~|`>#]+|</?\w+>")
_POSSESSIVE = re.compile(r"(\w)['’]s\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_SQL = re.compile(r"\b(?:select\b[^;?]*?\bfrom\b|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b"
                  r"|drop\s+(?:table|database)\b|union\s+(?:all\s+)?select\b)[^;?]*;|--(?=\s|$)", re.IGNORECASE)
"""A pasted SQL statement ending in ';' or a comment marker: never part of what is asked ("'; SELECT * FROM
papers; -- ok but which papers have more than 100 citations")."""


@dataclass(frozen=True)
class Question:
    """A question ready to read: folded words, and which of them carried a possessive 's."""

    text: str  # cleaned, readable (shown back to the member)
    tokens: tuple[str, ...]
    possessive: frozenset[int]  # indexes of tokens that ended in 's

    @property
    def folded(self) -> str:
        return " ".join(self.tokens)


def focus(text: str) -> str:
    """The part of a long message that holds the ask: its last question sentence."""
    if len(text) <= LONG_QUESTION:
        return text
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    asks = [i for i, s in enumerate(sentences) if s.rstrip().endswith("?")]
    last = asks[-1] if asks else len(sentences) - 1
    chosen = sentences[last]
    if len(chosen) < SHORT_SENTENCE and last > 0:
        chosen = sentences[last - 1] + " " + chosen
    return chosen


def normalise(raw: str) -> Question:
    text = _FENCE.sub(" ", raw or "")
    text = _MENTION.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _SQL.sub(" ", text)
    text = clean(focus(clean(text, 10_000)), MAX_READ)
    tokens: list[str] = []
    possessive: set[int] = set()
    for piece in text.split():
        marked = _POSSESSIVE.sub(r"\1", piece)
        words = fold(marked).split()
        tokens += words
        if marked != piece and words:
            possessive.add(len(tokens) - 1)
    return Question(text, tuple(tokens), frozenset(possessive))
