"""Filters and operations a question puts on a list: years, months, date ranges, alumni only, by a
person, within a topic; count, most/least, newest/oldest, top N, together.

Read by rules over the question's words: these are grammar ('top 3', 'since march 2024', 'fewest'),
not vocabulary, and a rule says exactly what it does.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Operation = Literal["show", "list", "count", "most", "least", "newest", "oldest", "sum"]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twenty": 20}
TOP_N_MAX = 25
"""The most papers a 'top N' answers with (a Discord embed holds 25 fields)."""
_YEAR = re.compile(r"^(19|20)\d\d$")

MOST = frozenset("most highest best top popular more".split())
LEAST = frozenset("least fewest lowest fewer".split())
NEWEST = frozenset("newest latest recent recently last".split())
OLDEST = frozenset("oldest earliest first".split())
COUNT = ("how many", "number of", "count of", "how much")
SUM = ("total", "add up", "sum", "altogether", "combined")


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    month: int | None = None
    after: dt.date | None = None  # inclusive
    before: dt.date | None = None  # inclusive
    limit: int | None = None
    alumni: bool = False
    min_citations: int | None = None

    @property
    def any_date(self) -> bool:
        return any(x is not None for x in (self.year, self.month, self.after, self.before))


def _month_at(tokens: list[str], i: int) -> int | None:
    w = tokens[i]
    if w in MONTHS and not (w == "may" and i + 1 < len(tokens) and tokens[i + 1] in ("i", "we", "you")):
        return MONTHS[w]
    return None


def read_filters(tokens: list[str]) -> Filters:
    year = month = limit = min_citations = None
    after = before = None
    for i, w in enumerate(tokens):
        if _YEAR.match(w):
            y = int(w)
            prev = tokens[i - 1] if i else ""
            prev2 = tokens[i - 2] if i > 1 else ""
            m = _month_at(tokens, i - 1) if i else None
            start = dt.date(y, m or 1, 1)
            end = dt.date(y, m or 12, calendar.monthrange(y, m or 12)[1])
            word = prev2 if m else prev
            ranged = any(t in ("to", "until", "till", "through", "and") for t in tokens[i + 1 : i + 3])
            if word == "from" and not ranged:
                word = "in"  # 'papers from june 2024' is a month, not a start
            if word == "between":
                word = "from"
            if word in ("since", "after", "from"):
                after = start if word != "after" else end + dt.timedelta(days=1)
            elif word in ("before", "until", "till", "to", "and", "through"):
                before = start - dt.timedelta(days=1) if word == "before" else end
            else:
                year = y
                month = m or month
        elif (m := _month_at(tokens, i)) is not None and not (i + 1 < len(tokens) and _YEAR.match(tokens[i + 1])):
            prev = tokens[i - 1] if i else ""
            if prev in ("since", "after") or prev in ("before", "until"):
                continue  # a month range without a year: too vague to guess the year
            month = m
        n_here = int(w) if w.isdigit() and len(w) <= 2 else NUMBER_WORDS.get(w)
        if n_here and i + 1 < len(tokens) and tokens[i + 1] in MOST | LEAST | NEWEST | OLDEST | {"cited"}:
            limit = min(n_here, TOP_N_MAX)  # '2 least cited papers', 'three newest'
        counted = i + 2 < len(tokens) and tokens[i + 1].isdigit() and tokens[i + 2].startswith(("citation", "cite"))
        said = w == "over" or (w == "than" and tokens[i - 1] == "more") or (w == "least" and tokens[i - 1] == "at")
        if counted and said:  # 'more than 100 citations', 'over 50 cites', 'at least 10 citations'
            min_citations = int(tokens[i + 1]) + (1 if w in ("than", "over") else 0)
        if w == "top" and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            n = int(nxt) if nxt.isdigit() else NUMBER_WORDS.get(nxt)
            if n:
                limit = min(n, TOP_N_MAX)
    if year is None and month is not None and (after or before):
        month = None
    return Filters(year, month, after, before, limit, alumni=any(w.startswith("alum") for w in tokens),
                   min_citations=min_citations)


def read_operation(folded: str, tokens: list[str]) -> Operation:
    padded = f" {folded} "
    words = set(tokens)
    if any(f" {p} " in padded for p in SUM):
        return "sum"
    if any(f" {p} " in padded for p in COUNT):
        return "count"
    if words & LEAST:
        return "least"
    if (words & OLDEST and "first" not in words) or "oldest" in words or "earliest" in words:
        return "oldest"
    if words & NEWEST:
        return "newest"
    if words & MOST or ("sorted" in words or "ranked" in words):
        return "most"
    return "list"
