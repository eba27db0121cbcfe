"""Filters and operations a question puts on a list: years, months, days and date ranges, counts of
citations, authors or alumni, alumni only, grouping by month or year; count, most/least,
newest/oldest, top N, sum.

Read by rules over the question's words: these are grammar ('top 3', 'since march 2024', 'between
jul 19 and jul 21', '10 to 50 citations', '10+ authors', 'which month had the most'), not
vocabulary, and a rule says exactly what it does. A few marks are lost when words are folded ('+',
'>', the apostrophe of '24), so the cleaned text is read for them too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import weakref
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

Operation = Literal["show", "list", "count", "most", "least", "newest", "oldest", "sum"]
Counted = Literal["citations", "authors", "alumni"]
Group = Literal["month", "year"]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "fifty": 50,
                "hundred": 100, "zero": 0, "no": 0, "single": 1}
TOP_N_MAX = 25
"""The most papers a 'top N' answers with (a Discord embed holds 25 fields)."""
_YEAR = re.compile(r"^(19|20)\d\d$")
_DAY = re.compile(r"^([0-3]?\d)(?:st|nd|rd|th)?$")

MOST = frozenset("most highest best top popular more".split())
LEAST = frozenset("least fewest lowest fewer".split())
NEWEST = frozenset("newest latest recent recently last".split())
OLDEST = frozenset("oldest earliest first".split())
COUNT = ("how many", "number of", "count of", "how much")
SUM = ("total", "add up", "sum", "altogether", "combined")

COUNTED_NOUNS: dict[str, Counted] = {
    "citation": "citations", "citations": "citations", "cite": "citations", "cites": "citations",
    "author": "authors", "authors": "authors", "coauthors": "authors", "people": "authors", "writers": "authors",
    "alum": "alumni", "alums": "alumni", "alumni": "alumni", "alumnus": "alumni", "alumna": "alumni",
    "alumnae": "alumni",
}
"""The nouns a number in a list question counts: 'over 50 cites', '10+ authors', 'only one alum'."""
AT_LEAST = ("more than", "over", "above", "greater than", "at least", "min", "minimum")
AT_MOST = ("fewer than", "less than", "under", "below", "at most", "no more than", "up to", "max", "maximum")
STRICT = frozenset({"more than", "over", "above", "greater than", "fewer than", "less than", "under", "below"})
"""Comparisons that leave the number itself out ('more than 100' is 101 or more)."""
JOINERS = frozenset({"vs", "versus", "compared", "against"})
"""Words that set two dates side by side: the answer is a count for each ('2024 vs 2023')."""
GROUP_WORDS = {"month": "month", "months": "month", "monthly": "month", "year": "year", "years": "year",
               "yearly": "year", "annually": "year"}
LIST_FRAME = frozenset({"everything", "anything", "came", "come", "comes", "coming", "out", "published",
                        "released", "inclusive", "exclusive", "appeared", "dropped", "busiest", "quietest",
                        "half", "between", "vs", "versus", "compared", "total", "combined", "sum", "altogether"})
"""Words of a list question's frame ('what came out on jul 19', 'everything published in june'): never
a topic, and never a sign that the question is about something the pages do not cover."""

PAPER_WORDS = frozenset({"paper", "papers", "publication", "publications", "published", "research", "came",
                         "released", "appeared", "dropped", "anything", "everything", "one", "ones"})
"""Words that make a day or a grouping ('which month') a question about the papers, not the program."""

YearFor = Callable[[int], "int | None"]
"""The year to assume for a month named without one (the catalog's latest year with papers that month)."""


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    month: int | None = None
    after: dt.date | None = None  # inclusive
    before: dt.date | None = None  # inclusive
    limit: int | None = None
    alumni: bool = False
    min_citations: int | None = None
    max_citations: int | None = None
    min_authors: int | None = None
    max_authors: int | None = None
    min_alumni: int | None = None
    max_alumni: int | None = None
    sort: Counted | None = None  # 'the most alumni', 'fewest authors': ranked by that count
    group: Group | None = None  # 'which month had the most papers', '2024 vs 2023'
    precise: bool = False  # a day, a half month or a range of days was named: a list question by its grammar

    @property
    def any_date(self) -> bool:
        return any(x is not None for x in (self.year, self.month, self.after, self.before))

    @property
    def counts(self) -> bool:
        """A bound on citations, authors or alumni was stated."""
        return any(x is not None for x in (self.min_citations, self.max_citations, self.min_authors,
                                           self.max_authors, self.min_alumni, self.max_alumni))

    @property
    def structured(self) -> bool:
        """The question's grammar alone makes it a paper list (or count) that the classifier cannot weigh."""
        return self.counts or self.sort is not None or self.group is not None or self.precise

    def options(self) -> dict[str, str]:
        """These filters as `/paper top` (and `/paper count`) options; empty values are left out."""
        values: dict[str, object] = {
            "year": self.year, "month": self.month,
            "after": self.after.isoformat() if self.after else None,
            "before": self.before.isoformat() if self.before else None,
            "min_citations": self.min_citations, "max_citations": self.max_citations,
            "min_authors": self.min_authors, "max_authors": self.max_authors,
            "min_alumni": self.min_alumni, "max_alumni": self.max_alumni,
        }
        return {k: str(v) for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class _When:
    """A date named in a question: a year, a month, a day or half a month; the year may be missing."""

    start: int
    end: int  # token index after it
    year: int | None
    month: int | None
    day: int | None = None
    half: int | None = None  # 1: first half of the month, 2: second half

    def span(self) -> tuple[dt.date, dt.date] | None:
        if self.year is None:
            return None
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        last = calendar.monthrange(self.year, self.month)[1]
        if self.day is not None:
            day = dt.date(self.year, self.month, min(self.day, last))
            return day, day
        if self.half == 1:
            return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, HALF_MONTH)
        if self.half == 2:
            return dt.date(self.year, self.month, HALF_MONTH + 1), dt.date(self.year, self.month, last)
        return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, last)

    @property
    def whole(self) -> bool:
        return self.day is None and self.half is None


HALF_MONTH = 15
"""The last day of 'the first half of' a month."""


def _month_at(tokens: list[str], i: int) -> int | None:
    if not 0 <= i < len(tokens):
        return None
    w = tokens[i]
    if w in MONTHS and not (w == "may" and i + 1 < len(tokens) and tokens[i + 1] in ("i", "we", "you")):
        return MONTHS[w]
    return None


def _day(w: str) -> int | None:
    m = _DAY.match(w)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _short_years(text: str) -> set[str]:
    """Two-digit numbers written as years ("june '24")."""
    return set(re.findall(r"['’‘](\d\d)\b", text))


def _dates(tokens: list[str], text: str) -> list[_When]:
    """Every date the question names, in order."""
    short = _short_years(text)
    found: list[_When] = []
    i = 0
    while i < len(tokens):
        w = tokens[i]
        month = _month_at(tokens, i)
        half = None
        if month is not None and i >= 3 and tokens[i - 1] == "of" and tokens[i - 2] == "half":
            half = 1 if tokens[i - 3] == "first" else 2 if tokens[i - 3] in ("second", "last") else None
        if month is not None:
            j = i + 1
            day = None
            nxt = tokens[j] if j < len(tokens) else ""
            if nxt in short:
                found.append(_When(i, j + 1, 2000 + int(nxt), month, half=half))
                i = j + 1
                continue
            if (d := _day(nxt)) is not None and not _YEAR.match(nxt):
                day, j = d, j + 1
            elif i > 0 and (d := _day(tokens[i - 1])) is not None and (i < 2 or tokens[i - 2] not in ("top", "the")):
                day = d  # '19 july'
            year = None
            if j < len(tokens) and _YEAR.match(tokens[j]):
                year, j = int(tokens[j]), j + 1
            start = i - 1 if day is not None and j == i + 1 + (year is not None) and _day(tokens[i - 1] if i else "") \
                == day and not (i + 1 < len(tokens) and _day(tokens[i + 1])) else i
            found.append(_When(start, j, year, month, day, None if day is not None else half))
            i = j
            continue
        if _YEAR.match(w):
            found.append(_When(i, i + 1, int(w), None))
        i += 1
    return found


def _with_years(dates: list[_When], year_for: YearFor | None) -> list[_When]:
    """A date without a year takes the year of the next (or last) date that has one ('sep 1 and oct 31
    2024'); a day or a half month with none at all takes the year the catalog has that month.
    """
    out: list[_When] = []
    for k, d in enumerate(dates):
        if d.year is None and d.month is not None:
            later = [e.year for e in dates[k + 1 :] if e.year is not None]
            earlier = [e.year for e in dates[:k] if e.year is not None]
            year = later[0] if later else earlier[-1] if earlier else None
            if year is None and not d.whole and year_for is not None:
                year = year_for(d.month)
            d = replace(d, year=year)
        out.append(d)
    return out


@dataclass
class _Read:
    """What the dates of a question filter."""

    year: int | None = None
    month: int | None = None
    after: dt.date | None = None
    before: dt.date | None = None
    group: Group | None = None
    precise: bool = False


def _read_dates(tokens: list[str], text: str, year_for: YearFor | None) -> _Read:
    dates = _with_years(_dates(tokens, text), year_for)
    got = _Read()
    if not dates:
        return got
    if len(dates) >= 2:
        a, b = dates[0], dates[1]
        between = tokens[a.end : b.start]
        before_a = tokens[a.start - 1] if a.start else ""
        joined = set(between) & JOINERS
        ranged = (before_a in ("between", "from") and set(between) & {"and", "to", "till", "until", "through"}) or (
            set(between) & {"to", "till", "until", "through"})
        spans = a.span(), b.span()
        if (joined or ranged or set(between) & {"and", "or"}) and spans[0] and spans[1]:
            lo, hi = sorted([spans[0], spans[1]])
            got.after, got.before = lo[0], max(hi[1], lo[1])
            if joined and a.whole and b.whole and (a.month is None) == (b.month is None):
                got.group = "year" if a.month is None else "month"
            got.precise = not (a.whole and b.whole)
            return got
    d = dates[-1] if len(dates) == 1 else dates[0]
    prev = tokens[d.start - 1] if d.start else ""
    span = d.span()
    if span is None:
        if d.month is not None and d.whole and prev not in ("since", "after", "before", "until", "till"):
            got.month = d.month  # a month of any year
        return got
    start, end = span
    if prev in ("since", "after"):
        got.after = start if prev != "after" else end + dt.timedelta(days=1)
    elif prev in ("before", "until", "till", "through", "by"):
        got.before = start - dt.timedelta(days=1) if prev == "before" else end
    elif d.whole:
        got.year, got.month = d.year, d.month
    else:
        got.after, got.before, got.precise = start, end, True
    if (prev in ("since", "after", "before", "until", "till", "through", "by")) and not d.whole:
        got.precise = True
    return got


def _number(w: str) -> int | None:
    if w.isdigit() and len(w) <= 7:
        return int(w)
    return NUMBER_WORDS.get(w)


def _read_counts(tokens: list[str], text: str) -> dict[str, int]:
    """Bounds on citations, authors or alumni: '10 to 50 citations', '10+ authors', 'only one alum'."""
    plus = set(re.findall(r"(\d+)\s*\+", text))
    greater = set(re.findall(r">\s*=?\s*(\d+)", text))
    smaller = set(re.findall(r"<\s*=?\s*(\d+)", text))
    got: dict[str, int] = {}
    for j, w in enumerate(tokens):
        noun = COUNTED_NOUNS.get(w)
        k = j - 1
        if noun is None and w == "times" and "cited" in tokens[max(0, j - 5) : j]:
            noun = "citations"  # 'cited more than 100 times'
        if noun is None or k < 0:
            continue
        tail = ""
        if k >= 1 and tokens[k] in ("more", "fewer", "less", "over") and tokens[k - 1] == "or":
            tail, k = tokens[k], k - 2  # '50 or more citations'
        elif tokens[k] == "plus":
            tail, k = "more", k - 1
        if k < 0 or (n := _number(tokens[k])) is None:
            continue
        if tokens[k] == "no" and noun != "citations" and noun != "alumni":
            continue
        low: int | None
        high: int | None
        low = high = n
        before = " ".join(tokens[max(0, k - 3) : k])
        prev2 = " ".join(tokens[max(0, k - 2) : k])
        m_lo = _number(tokens[k - 2]) if k >= 2 and tokens[k - 1] in ("to", "and") else None
        m_lo = m_lo if m_lo is not None else (_number(tokens[k - 1]) if k >= 1 and tokens[k - 1].isdigit() else None)
        if tail in ("more", "over") or tokens[k] in plus or tokens[k] in greater:
            high = None
            if tokens[k] in greater and ">=" not in text:
                low = n + 1
        elif tail in ("fewer", "less") or tokens[k] in smaller:
            low = None
            if tokens[k] in smaller and "<=" not in text:
                high = n - 1
        elif m_lo is not None and m_lo <= n:
            low = m_lo  # '10 to 50 citations', 'between 10 and 50 citations', '10-50 citations'
        else:
            said = next((p for p in sorted(AT_LEAST + AT_MOST, key=len, reverse=True)
                         if before.endswith(p) or prev2.endswith(p)), None)
            if said in AT_LEAST:
                low, high = (n + 1 if said in STRICT else n), None
            elif said in AT_MOST:
                low, high = None, (n - 1 if said in STRICT else n)
            elif noun == "citations" and n > 0:
                high = None  # 'papers with 100 citations': citations are counted loosely, that many or more
        if low is not None:
            got[f"min_{noun}"] = low
        if high is not None:
            got[f"max_{noun}"] = high
    return {k: v for k, v in got.items() if v >= 0}


RANKS = frozenset({"most", "least", "fewest", "highest", "lowest", "largest", "biggest", "smallest", "longest",
                   "shortest"})
"""Words that rank by a count ('the most alumni'); 'more' and 'fewer' compare with a number instead."""


def _read_sort(tokens: list[str]) -> Counted | None:
    """'the paper with the most alumni', 'fewest authors': a ranking by that count."""
    for i, w in enumerate(tokens):
        if w in RANKS and i + 1 < len(tokens):
            noun = COUNTED_NOUNS.get(tokens[i + 1]) or (
                COUNTED_NOUNS.get(tokens[i + 2]) if i + 2 < len(tokens) and tokens[i + 1] in ("mats", "author") else None)
            if noun in ("authors", "alumni") and not ("paper" not in tokens and "papers" not in tokens
                                                     and "one" not in tokens and "which" not in tokens):
                return noun
            if tokens[i + 1] == "author" and i + 2 < len(tokens) and tokens[i + 2] in ("list", "lists"):
                return "authors"
    return None


def _read_group(tokens: list[str]) -> Group | None:
    """'which month had the most papers', 'papers per year', 'busiest month'."""
    for i, w in enumerate(tokens):
        unit = GROUP_WORDS.get(w)
        if unit is None:
            continue
        prev = tokens[i - 1] if i else ""
        if prev in ("which", "what", "per", "each", "every", "by", "busiest", "quietest", "busy") or w in (
                "monthly", "yearly"):
            if prev == "by" and i >= 2 and tokens[i - 2] in ("sorted", "ranked"):
                continue
            return unit  # type: ignore[return-value]
    return None


_YEARS: dict[int, tuple[weakref.ref[array[int]], dict[int, int]]] = {}


def year_for(dates: array[int]) -> YearFor:
    """For a month named without a year: the latest year the catalog (its date column) has papers in that
    month, worked out once per loaded catalog and only when a question needs it.
    """

    def year(month: int) -> int | None:
        held = _YEARS.get(id(dates))
        latest = held[1] if held is not None and held[0]() is dates else None
        if latest is None:
            latest = {}
            for ordinal in dates:
                d = dt.date.fromordinal(ordinal)
                if latest.get(d.month, 0) < d.year:
                    latest[d.month] = d.year
            _YEARS.clear()  # one catalog is loaded at a time: an older one's table is not kept
            _YEARS[id(dates)] = (weakref.ref(dates), latest)
        return latest.get(month)

    return year


def read_filters(tokens: list[str], text: str = "", year_for: YearFor | None = None) -> Filters:
    """The filters of a question: *text* is the cleaned question (for '+', '>' and '24), *year_for* the year
    to assume for a day or a range of a month named without one.
    """
    limit = None
    for i, w in enumerate(tokens):
        n_here = int(w) if w.isdigit() and len(w) <= 2 else NUMBER_WORDS.get(w) if w not in ("no", "single") else None
        if n_here and i + 1 < len(tokens) and tokens[i + 1] in MOST | LEAST | NEWEST | OLDEST | {"cited"}:
            limit = min(n_here, TOP_N_MAX)  # '2 least cited papers', 'three newest'
        if w == "top" and i + 1 < len(tokens):
            n = _number(tokens[i + 1])
            if n:
                limit = min(n, TOP_N_MAX)
    dates = _read_dates(tokens, text, year_for)
    counts = _read_counts(tokens, text)
    return Filters(
        year=dates.year, month=dates.month, after=dates.after, before=dates.before,
        limit=limit, alumni=any(w.startswith("alum") for w in tokens),
        sort=_read_sort(tokens), group=_read_group(tokens) or dates.group, precise=dates.precise,
        min_citations=counts.get("min_citations"), max_citations=counts.get("max_citations"),
        min_authors=counts.get("min_authors"), max_authors=counts.get("max_authors"),
        min_alumni=counts.get("min_alumni"), max_alumni=counts.get("max_alumni"),
    )


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
    if (words & MOST and not quantifies(tokens)) or ("sorted" in words or "ranked" in words):
        return "most"
    return "list"


CLAIM_VERBS = frozenset("found find finds show shows showed shown claim claims say says said that where argue "
                        "argues proved prove".split())
"""Verbs after which 'most X' is part of what a paper states ('found most heads … are polysemantic')."""


def quantifies(tokens: list[str]) -> bool:
    """'which paper found most heads in gpt2 small are polysemantic': 'most' says how many of something a paper
    found, it asks no ranking of papers; 'most cited', 'most papers' and a trailing 'the most' do.
    """
    for i, w in enumerate(tokens):
        if w in MOST and 0 < i < len(tokens) - 1 and tokens[i - 1] in CLAIM_VERBS:
            after = tokens[i + 1]
            if after not in PAPER_WORDS and not after.startswith(("cit", "pop", "recent", "influen", "read")):
                continue
        if w in MOST:
            return False
    return any(w in MOST for w in tokens)


def singular(tokens: list[str]) -> bool:
    """'which paper …' asks for one paper, 'which papers …' for a list."""
    return not any(w.endswith("s") and w[:-1] in ("paper", "one", "publication") for w in tokens) and any(
        w in ("paper", "one", "publication") for w in tokens)


def list_command(filters: Filters, operation: Operation, tokens: list[str], author: str = "", who: str = ""
                 ) -> tuple[str, str, dict[str, str]] | None:
    """The `/paper top` or `/paper count` a question's grammar makes of it, with how to say it back; None
    when its filters are ones the classifier's own readings carry (years, months, top N).
    """
    f = filters
    if not f.structured or not (PAPER_WORDS & set(tokens) or f.counts):
        return None
    options = f.options()
    if author:
        options["author"] = author
    if f.alumni and not author and not (f.min_alumni or f.max_alumni is not None or f.sort == "alumni"):
        options["alumni"] = "true"
    if f.group is not None:
        options["by"] = f.group
        if operation == "least":
            options["order"] = "least"
        return f"papers per {f.group}" + (f" of {who}" if who else ""), "paper count", options
    sort, order = "citations", "most"
    if f.sort is not None:
        sort = f.sort
        order = "least" if operation == "least" or {"fewest", "least", "smallest", "shortest"} & set(tokens) else "most"
    elif operation in ("newest", "oldest"):
        sort, order = "date", "most" if operation == "newest" else "least"
    elif operation == "least":
        order = "least"
    limit = f.limit or (1 if (operation in ("most", "least", "newest", "oldest") or f.sort) and singular(tokens)
                        else None)
    options = {"sort": sort, "order": order, **({"limit": str(limit)} if limit else {}), **options}
    what = {"citations": "cited", "date": "recent", "authors": "authors", "alumni": "alumni"}[sort]
    label = f"papers by {'fewest' if order == 'least' else 'most'} {what}" if sort in ("authors", "alumni") else \
        f"{'least' if order == 'least' else 'most'} {what} papers"
    bounds = _said(f)
    label += f" of {who}" if who else ""
    return f"{label} ({bounds})" if bounds else label, "paper top", options


def _said(f: Filters) -> str:
    """The filters in a few words, for 'Read as:' ('on 2024-07-19', '10–50 citations', '1 alumni')."""
    parts = []
    if f.after and f.before:
        parts.append(f"on {f.after}" if f.after == f.before else f"{f.after} to {f.before}")
    elif f.after or f.before:
        parts.append(f"since {f.after}" if f.after else f"until {f.before}")
    elif f.year or f.month:
        parts.append(f"{calendar.month_name[f.month] if f.month else ''} {f.year or ''}".strip())
    for what in ("citations", "authors", "alumni"):
        low, high = getattr(f, f"min_{what}"), getattr(f, f"max_{what}")
        if low is not None and high is not None:
            parts.append(f"{low} {what}" if low == high else f"{low}–{high} {what}")
        elif low is not None:
            parts.append(f"{low}+ {what}")
        elif high is not None:
            parts.append(f"at most {high} {what}")
    return ", ".join(parts)
