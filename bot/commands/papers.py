"""/paper search, /paper show, /paper top, /paper count."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.catalog.model import Paper
from bot.commands.common import (
    ALUMNUS_NOTE,
    authors_line,
    list_pages,
    lookup,
    no_match,
    paper_summary,
    resolve,
)
from bot.commands.registry import Area, Option, UsageError
from bot.questions import facts
from bot.questions.topics import content_words, paper_topics
from bot.reply import Embed, Page, Reply
from bot.search.ranking import CONFIDENT, SUGGEST, Hit, ranked
from bot.search.searcher import Searcher
from bot.text import counted, neutral, quote, shorten, split_clean, words

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("papers")
AREA.group("paper", "Alumni papers: search, show, top, count")


TOPIC_FIRST = 0.5
"""Stemmed topic coverage from which the paraphrase search (bot.questions.topics) joins the ranking."""
TITLED = 90.0
"""A title match this good is what was searched for: the paraphrase search is not needed."""
TOPIC_BASE, TOPIC_SPAN = 55.0, 40.0
"""A paraphrase hit scores TOPIC_BASE + TOPIC_SPAN × its coverage (full coverage: 95)."""
SEARCH_LISTED = 25
"""Papers a search lists at most (5 pages of 5): past the first few, a better query beats paging."""
TOPIC_WORDS_HELD = 2
"""Words of a /paper top query a paper found by the topic search must hold (one rare word can cover half)."""
SHOWN_MIN = 70.0
"""A search result below this is not listed (it would be noise), though it may still be suggested."""


@AREA.command("paper search", "Find alumni papers by title, topic or author", "/paper search query:refusal direction",
         Option("query", "Words from the title, the abstract or an author's name", required=True))
def paper_search(app: App, query: str) -> Reply:
    hits = app.search.papers_matching(query, SEARCH_LISTED)
    titled = bool(hits) and hits[0].score >= TITLED and hits[0].via != "text"
    by_topic = [] if titled else paper_topics(app, content_words(words(query)), 10)
    if by_topic and by_topic[0].coverage >= TOPIC_FIRST:
        merged = {h.id: h for h in hits}
        for t in by_topic:
            score = TOPIC_BASE + TOPIC_SPAN * t.coverage
            if t.id not in merged or merged[t.id].score < score:
                merged[t.id] = Hit(app.search.paper_entries[t.id], score, "text")
        hits = ranked(merged.values(), SEARCH_LISTED)
    shown = [h for h in hits if h.score >= SHOWN_MIN]
    if not shown:
        others = app.search.find("person", query, 3) + app.search.streams_matching(query, 3)
        hint = ""
        if others and others[0].score >= CONFIDENT:
            best = others[0]
            cmd = "/person name:" if best.entry.kind == "person" else "/stream show name:"
            hint = f"**{neutral(best.label)}** is a {best.entry.kind} — try `{cmd}{best.label}`."
        return no_match("paper", query, [h for h in hits if h.score >= SUGGEST], "paper show", "title", hint)
    catalog = app.catalog
    items = [(neutral(catalog.papers[h.id].title), paper_summary(catalog, catalog.papers[h.id])) for h in shown]
    title = f"Papers matching “{quote(query, 60)}” ({len(shown)})"
    embeds = list_pages(title, items, per_page=5, footer=ALUMNUS_NOTE + " · best match first")
    first = catalog.papers[shown[0].id]
    more = f"; {len(shown) - 1} more below" if len(shown) > 1 else ""
    sentence = f"Best match: **{neutral(first.title)}** ({first.date:%-d %b %Y}){more}."
    return Reply([Page(sentence if i == 0 else "", [e]) for i, e in enumerate(embeds)])


FACT_ABSTRACT = 300
"""Characters of the abstract shown under a one-fact answer (the rest is on /paper show)."""
FIELDS = ("date", "citations", "authors", "alumni", "abstract")


def paper_sentence(app: App, paper: Paper, field: str | None) -> str:
    """The one sentence that answers a question about one field of a paper."""
    catalog = app.catalog
    title = f"*{neutral(paper.title)}*"
    when = f"{paper.date:%-d %b %Y}"
    if field == "date":
        return f"{title} came out on **{paper.date:%-d %B %Y}**."
    if field == "citations":
        return f"**{paper.citations} citation{'s' if paper.citations != 1 else ''}** — {title} ({when})."
    if field == "authors":
        n = len(paper.authors)
        return f"**{n} author{'s' if n != 1 else ''}** on {title}: {authors_line(catalog, paper, 900)}."
    if field == "alumni":
        names = [neutral(catalog.people[a.person_id].name) for a in paper.alumni if a.person_id in catalog.people]
        if not names:
            return f"The catalog lists no MATS alumni on {title}."
        return (f"Alumni on that paper ({len(names)}): " + ", ".join(f"**{n}**" for n in names) + ".")
    return f"{title} ({when}, {counted(paper.citations, 'citation')}) — the abstract is below."


def fact_sentence(app: App, paper: Paper, asked: str, number: bool = False) -> str:
    """The abstract's sentence that holds the asked words, quoted; or that the abstract does not say."""
    title = f"*{neutral(paper.title)}*"
    asked_words = content_words(words(asked))
    fact = facts.find(app, paper.id, asked_words, number)
    if fact.coverage < facts.FACT_COVERAGE:
        return (f"The abstract of {title} does not say anything about “{neutral(quote(asked, 60))}”; "
                "the whole abstract is below.")
    return f"From the abstract of {title}: “{neutral(shorten(fact.sentence, facts.SENTENCE_SHOWN))}”"


def _paper_reply(app: App, paper_id: str, field: str | None = None, note: str = "", find: str | None = None,
                 number: bool = False) -> Reply:
    catalog = app.catalog
    paper = catalog.papers[paper_id]
    if find and find.strip():
        field = "abstract"
    chunks = split_clean(neutral(paper.abstract), 2500)
    if field in ("date", "citations", "alumni"):  # one fact asked: the card stays on that fact
        chunks = [shorten(chunks[0], FACT_ABSTRACT)]
    first = Embed(title=neutral(paper.title), description=chunks[0], url=paper.url)
    if field != "alumni":
        first.add("Authors", authors_line(catalog, paper, 1000))
    alumni = ", ".join(neutral(catalog.people[a.person_id].name) for a in paper.alumni)
    first.add("MATS alumni", alumni or "none listed")
    first.add("Date", f"{paper.date:%-d %B %Y}", inline=True)
    first.add("Citations", str(paper.citations), inline=True)
    if paper.url:
        first.add("Link", paper.url, inline=True)
    first.footer = ALUMNUS_NOTE + (" · abstract continues on the next page" if len(chunks) > 1 else "")
    sentence = fact_sentence(app, paper, find, number) if find and find.strip() else paper_sentence(app, paper, field)
    pages = [Page("\n".join(x for x in (sentence, note) if x), [first])]
    for n, chunk in enumerate(chunks[1:], 2):
        pages.append(Page(embeds=[Embed(title=neutral(paper.title), description=chunk,
                                        footer=f"Abstract, part {n} of {len(chunks)}")]))
    return Reply(pages)


@AREA.command("paper show", "One paper: abstract, authors, alumni, date, citations; or one of them",
         "/paper show title:gradient routing field:alumni",
         Option("title", "The paper's title (autocompletes)", required=True, autocomplete="paper"),
         Option("field", "Answer just this: date, citations, authors, alumni or abstract", choices=FIELDS),
         Option("find", "Words to look for in the abstract: answers with the sentence that holds them"),
         Option("number", "With find: prefer a sentence that gives a number", type="boolean"))
def paper_show(app: App, title: str, field: str | None = None, find: str | None = None, number: bool = False
               ) -> Reply:
    if title in app.catalog.papers:
        return _paper_reply(app, title, field, find=find, number=number)
    found = lookup(app.search.find("paper", title, 6), "paper", title, "paper show", "title",
                   hint="Try `/paper search` with a few words from the topic.",
                   fallback=lambda: [h for h in app.search.papers_matching(title, 5) if h.score >= SUGGEST])
    if isinstance(found, Reply):
        return found
    hit, note = found
    return _paper_reply(app, hit.id, field, note, find, number)


def _date(text: str | None, end: bool) -> dt.date | None:
    """'2024', '2024-06' or '2024-06-17' as the first (or, with *end*, last) day it covers."""
    if not text or not text.strip():
        return None
    parts = text.strip().split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        last = calendar.monthrange(year, month)[1]
        day = int(parts[2]) if len(parts) > 2 else (last if end else 1)
        return dt.date(year, month, day)
    except (ValueError, IndexError, OverflowError):
        raise UsageError(f"'{quote(text, 20)}' is not a date: write 2024, 2024-06 or 2024-06-17.") from None


SORTS = ("citations", "date", "newest", "alumni", "authors")
ORDERS = ("most", "least")
COUNT_LIMIT = 10_000_000
"""Largest count a citation, author or alumni bound may be (Discord wants a maximum)."""


def _filter_options(*, counts: bool = True) -> tuple[Option, ...]:
    """The filters `/paper top` and `/paper count` share, declared once."""
    dates = (
        Option("year", "Only papers of this year", type="integer", min_value=1900, max_value=2100),
        Option("month", "Only papers of this month (1–12)", type="integer", min_value=1, max_value=12),
        Option("after", "Only papers on or after this date (2024, 2024-06 or 2024-06-17)"),
        Option("before", "Only papers on or before this date (2024, 2024-06 or 2024-06-17)"),
        Option("author", "Only papers of this person (autocompletes)", autocomplete="person"),
        Option("alumni", "Only papers with a MATS alumnus among the authors", type="boolean"),
        Option("query", "Only papers about this topic"),
    )
    bounds = tuple(
        Option(f"{side}_{what}", f"Only papers with at {'least' if side == 'min' else 'most'} this many {what}",
               type="integer", min_value=0, max_value=COUNT_LIMIT)
        for what in ("citations", "authors", "alumni") for side in ("min", "max"))
    return dates + (bounds if counts else ())


@dataclass(frozen=True)
class Bounds:
    """Inclusive bounds on a paper's citations, authors and MATS alumni (None: no bound)."""

    min_citations: int | None = None
    max_citations: int | None = None
    min_authors: int | None = None
    max_authors: int | None = None
    min_alumni: int | None = None
    max_alumni: int | None = None

    def keep(self, app: App, numbers: list[int]) -> list[int]:
        c = app.catalog.columns
        at, flags, cited = c.author_at, c.author_alumnus, c.citations
        checks: list[tuple[Callable[[int], int], int | None, int | None]] = [
            (cited.__getitem__, self.min_citations, self.max_citations),
            (lambda n: at[n + 1] - at[n], self.min_authors, self.max_authors),
            (lambda n: sum(flags[at[n] : at[n + 1]]), self.min_alumni, self.max_alumni),
        ]
        for value, low, high in checks:
            if low is not None or high is not None:
                lo, hi = low if low is not None else 0, high if high is not None else COUNT_LIMIT
                numbers = [n for n in numbers if lo <= value(n) <= hi]
        return numbers

    def said(self) -> str:
        """'with 10–50 citations', 'with 10+ authors', 'with exactly 1 alumnus'."""
        parts = []
        for what, one, low, high in (("citations", "citation", self.min_citations, self.max_citations),
                                     ("authors", "author", self.min_authors, self.max_authors),
                                     ("alumni", "alumnus", self.min_alumni, self.max_alumni)):
            if low is not None and high is not None:
                parts.append(counted(low, one, what) if low == high else f"{low}–{high} {what}")
            elif low is not None:
                parts.append(f"{low}+ {what}")
            elif high is not None:
                parts.append(f"at most {counted(high, one, what)}")
        return ("with " + ", ".join(parts)) if parts else ""


def _count(app: App, sort: str) -> Callable[[int], int]:
    """A paper number's count of authors or alumni (the key of sort:authors and sort:alumni)."""
    c = app.catalog.columns
    at, flags = c.author_at, c.author_alumnus
    if sort == "authors":
        return lambda n: at[n + 1] - at[n]
    return lambda n: sum(flags[at[n] : at[n + 1]])


@dataclass(frozen=True)
class Selection:
    """The papers that pass a list command's filters, in order, and how to say which they are."""

    numbers: list[int]
    scope: str


def _select(app: App, by_date: bool, least: bool, year: int | None, month: int | None, after: str | None,
            before: str | None, author: str | None, alumni: bool, query: str | None, bounds: Bounds,
            path: str) -> Selection | Reply:
    catalog = app.catalog
    start, end = _date(after, end=False), _date(before, end=True)
    person = None
    if author and author.strip():
        person = catalog.people.get(author)
        if person is None:
            found = resolve(app.search.find("person", author, 6), "person", author, path, "author")
            if isinstance(found, Reply):
                return found
            person = catalog.people[found.id]
    topic_ids: set[str] | None = None
    if query and query.strip():
        topic_ids = {h.id for h in app.search.papers_matching(query, 50) if h.score >= SHOWN_MIN}
        # The topic search (stems, acronyms learned from the abstracts: 'sae'), as /paper search uses it.
        asked = content_words(words(query))
        topic_ids |= {t.id for t in paper_topics(app, asked, 50)
                      if t.coverage >= TOPIC_FIRST and t.found >= min(TOPIC_WORDS_HELD, len(asked))}
    numbers = _ranked(app, by_date, least, person.papers if person else None, topic_ids,
                      _span(year, month, start, end), month if year is None else None, alumni)
    numbers = bounds.keep(app, numbers)
    scope = " ".join(x for x in (
        f"of {neutral(person.name)}" if person else "", f"about “{quote(query or '', 40)}”" if topic_ids is not None
        else "", "with MATS alumni" if alumni else "", bounds.said(), _when(year, month, start, end)) if x)
    return Selection(numbers, scope)


def _none_found(app: App, scope: str) -> Reply:
    dates = app.catalog.columns.dates
    first, last = (dt.date.fromordinal(min(dates)).year, dt.date.fromordinal(max(dates)).year) if len(dates) \
        else (None, None)
    span = ("There are none." if first is None else f"Every paper is from {first}." if first == last
            else f"Papers span {first}–{last}.")
    return Reply.text(f"**No papers** in the catalog {scope or 'at all'}. {span}", kind="no-match", ephemeral=True)


@AREA.command("paper top", "Papers ranked by citations, date, authors or alumni; filtered by dates, counts, "
              "author or topic", "/paper top sort:citations year:2024 limit:3",
         Option("sort", "citations (default), date, alumni or authors (how many on the paper)", choices=SORTS),
         Option("order", "most (default: most cited / newest) or least (fewest cited / oldest)", choices=ORDERS),
         Option("limit", "How many papers (1–25)", type="integer", min_value=1, max_value=25),
         *_filter_options())
def paper_top(app: App, sort: str = "citations", order: str = "most", limit: int | None = None,
              year: int | None = None, month: int | None = None, after: str | None = None,
              before: str | None = None, author: str | None = None, alumni: bool = False,
              query: str | None = None, min_citations: int | None = None, max_citations: int | None = None,
              min_authors: int | None = None, max_authors: int | None = None, min_alumni: int | None = None,
              max_alumni: int | None = None) -> Reply:
    catalog = app.catalog
    by_date = sort in ("date", "newest")
    least = order == "least"
    counted_sort = sort in ("alumni", "authors")
    bounds = Bounds(min_citations, max_citations, min_authors, max_authors, min_alumni, max_alumni)
    selected = _select(app, by_date, least and not counted_sort, year, month, after, before, author, alumni, query,
                       bounds, "paper top")
    if isinstance(selected, Reply):
        return selected
    numbers, scope = selected.numbers, selected.scope
    key: Callable[[int], int] | None = None
    if counted_sort:
        key = _count(app, sort)
        numbers = sorted(numbers, key=lambda n: key(n) if least else -key(n))  # stable: citations break ties
    tied = _tied(app, numbers, by_date, key)
    papers = [catalog.papers.at(n) for n in numbers[: max(limit or TOP_SHOWN, tied)]]
    noun = "alumnus" if sort == "alumni" else "author"
    if by_date:
        rule = ("oldest" if least else "newest") + " first; same day: more citations, then title A→Z"
        label = "Oldest" if least else "Newest"
    elif key is not None:
        rule = f"{'fewest' if least else 'most'} {sort} first; ties: more citations, then newer"
        label = f"{'Fewest' if least else 'Most'} {sort}:"
    else:
        rule = ("fewest" if least else "most") + " citations first; ties: newer, then title A→Z"
        label = "Least cited" if least else "Most cited"
    if not papers:
        return _none_found(app, scope)
    total = len(numbers)
    citations = catalog.columns.citations
    cites = sum(citations[n] for n in numbers)
    shown = papers
    top = shown[0]
    count = f"**{total} paper{'s' if total != 1 else ''}** {scope}".strip() + f", {cites} citation{'s' if cites != 1 else ''} in all"
    pick = ("oldest" if by_date and least else "newest" if by_date else
            f"{'fewest' if least else 'most'} {sort}" if key is not None else "fewest cited" if least else "most cited")
    fact = (f"{top.date:%-d %b %Y}" if by_date else counted(key(top.number), noun, sort) if key is not None
            else counted(top.citations, "citation"))
    sentence = f"{count}; {pick}: **{neutral(top.title)}** ({fact})."
    if tied > 1:
        names = " and ".join(f"**{neutral(p.title)}**" for p in shown[:tied])
        sentence = f"{count}; {pick}: {tied} tie {'on' if by_date else 'at'} {fact} — {names}."
    if limit == 1:
        head = f"{label} paper {scope}" if key is None else f"Paper with the {pick} {scope}"
        extra = f"{fact}, " if key is not None else ""
        sentence = (head.replace("  ", " ").strip() + f": **{neutral(top.title)}** — "
                    f"{extra}{counted(top.citations, 'citation')}, {top.date:%-d %b %Y}.")
        if tied > 1:
            names = " and ".join(f"**{neutral(p.title)}**" for p in shown[:tied])
            head = f"{label} papers {scope}" if key is None else f"Papers with the {pick} {scope}"
            sentence = head.replace("  ", " ").strip() + f": {tied} tie {'on' if by_date else 'at'} {fact} — {names}."
    items = [(neutral(p.title), paper_summary(catalog, p) + (f" · {counted(key(p.number), noun, sort)}"
                                                             if key is not None else "")) for p in shown]
    heading = f"Papers by {pick}" if key is not None else f"{label} papers"
    title = f"{heading} — {scope or 'all years'} ({len(shown)} of {total})" if limit else \
        f"{heading} — {scope or 'all years'} ({total})"
    embeds = list_pages(title, items, per_page=5, footer=f"{ALUMNUS_NOTE} · {rule}")
    return Reply([Page(sentence if i == 0 else "", [e]) for i, e in enumerate(embeds)])


GROUPS = ("month", "year")
GROUPS_NAMED = 4
"""A count per month or year names the other groups in its first line when there are at most this many."""


@AREA.command("paper count", "How many papers, per month or per year, with the filters of /paper top",
              "/paper count by:month",
         Option("by", "Count per month or per year (default: one count)", choices=GROUPS),
         Option("order", "With by: most (default) or least — which month or year the first line names",
                choices=ORDERS),
         *_filter_options())
def paper_count(app: App, by: str | None = None, order: str = "most", year: int | None = None,
                month: int | None = None, after: str | None = None, before: str | None = None,
                author: str | None = None, alumni: bool = False, query: str | None = None,
                min_citations: int | None = None, max_citations: int | None = None,
                min_authors: int | None = None, max_authors: int | None = None, min_alumni: int | None = None,
                max_alumni: int | None = None) -> Reply:
    bounds = Bounds(min_citations, max_citations, min_authors, max_authors, min_alumni, max_alumni)
    selected = _select(app, True, True, year, month, after, before, author, alumni, query, bounds, "paper count")
    if isinstance(selected, Reply):
        return selected
    numbers, scope = selected.numbers, selected.scope
    total = counted(len(numbers), "paper")
    if by not in GROUPS:
        if not numbers:
            return _none_found(app, scope)
        return Reply.text(f"**{total}** {scope}".strip() + ".")
    dates = app.catalog.columns.dates
    per: dict[tuple[int, int], int] = {}
    for n in numbers:
        d = dt.date.fromordinal(dates[n])
        group = (d.year, d.month if by == "month" else 0)
        per[group] = per.get(group, 0) + 1
    for group in _groups_between(by, _date(after, end=False), _date(before, end=True), year):
        per.setdefault(group, 0)  # a month or year asked about with no paper is said, not left out
    if not per:
        return _none_found(app, scope)

    def name(g: tuple[int, int]) -> str:
        return f"{calendar.month_name[g[1]]} {g[0]}" if by == "month" else str(g[0])

    least = order == "least"
    ranked_groups = sorted(per, key=lambda g: (per[g] if least else -per[g], g))
    best = per[ranked_groups[0]]
    winners = [g for g in ranked_groups if per[g] == best]
    every = sorted(per)
    which = " and ".join(f"**{name(g)}**" for g in winners)
    most = "fewest" if least else "most"
    sentence = (f"{which} {'tie for' if len(winners) > 1 else 'had'} the {most} papers: "
                f"**{counted(best, 'paper')}**{' each' if len(winners) > 1 else ''}")
    rest = [g for g in every if g not in winners]
    if rest and len(every) <= GROUPS_NAMED:
        sentence += " (" + "; ".join(f"{name(g)}: {counted(per[g], 'paper')}" for g in rest) + ")"
    sentence += f". In all: {total} {scope}".rstrip() + "."
    items = [(name(g), counted(per[g], "paper")) for g in every]
    embeds = list_pages(f"Papers per {by} — {scope or 'all years'}", items, per_page=12,
                        footer=f"{ALUMNUS_NOTE} · oldest {by} first")
    return Reply([Page(sentence if i == 0 else "", [e]) for i, e in enumerate(embeds)])


GROUPS_FILLED = 36
"""Months or years with no paper listed (at zero) at most, between the asked dates."""


def _groups_between(by: str, start: dt.date | None, end: dt.date | None, year: int | None
                    ) -> list[tuple[int, int]]:
    """The months (or years) of an asked range, so that one with no paper is counted as none."""
    if year is not None and start is None and end is None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start is None or end is None or end < start:
        return []
    out: list[tuple[int, int]] = []
    y, m = start.year, start.month
    while (y, m if by == "month" else 0) <= (end.year, end.month if by == "month" else 0) and len(out) < GROUPS_FILLED:
        out.append((y, m if by == "month" else 0))
        if by == "month":
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        else:
            y += 1
    return out


TOP_SHOWN = 100
"""Papers listed at most (20 pages of 5); the count and the citation total still cover every match."""
TIES_SHOWN = 5
"""Papers tied for the top (same citations, or same day) named at most: the rest are in the list."""


def _tied(app: App, numbers: list[int], by_date: bool, count: Callable[[int], int] | None = None) -> int:
    """How many of the first papers share the first one's citations (or date, or count of authors or
    alumni): a tie is never one winner.
    """
    if not numbers:
        return 0
    column = app.catalog.columns.dates if by_date else app.catalog.columns.citations
    key = count or column.__getitem__
    first = key(numbers[0])
    n = 1
    while n < min(len(numbers), TIES_SHOWN) and key(numbers[n]) == first:
        n += 1
    return n


_ORDERS: weakref.WeakKeyDictionary[Searcher, dict[tuple[bool, bool], list[int]]] = weakref.WeakKeyDictionary()


def _orders(app: App) -> dict[tuple[bool, bool], list[int]]:
    """Paper numbers in each of the four orders (by date?, least first?), sorted once per loaded catalog."""
    found = _ORDERS.get(app.search)
    if found is None:
        c = app.catalog.columns
        # Paper numbers are the tie order (most cited, newest, title A→Z, id), so each order is one
        # stable sort of them by date or citations alone (a tuple key per paper took 0.3 s at 100k).
        every = range(len(c.paper_ids))
        found = {
            (True, False): sorted(every, key=c.dates.__getitem__, reverse=True),
            (True, True): sorted(every, key=c.dates.__getitem__),
            (False, False): list(every),
            (False, True): sorted(every, key=c.citations.__getitem__),
        }
        _ORDERS[app.search] = found
    return found


def _span(year: int | None, month: int | None, start: dt.date | None, end: dt.date | None
          ) -> tuple[int, int] | None:
    """The ordinals (first, last) a year, a month of a year and an after/before range allow."""
    lo, hi = (start.toordinal() if start else None), (end.toordinal() if end else None)
    if year is not None:
        first = dt.date(year, month or 1, 1)
        last = dt.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
        lo = max(lo or 0, first.toordinal())
        hi = min(hi if hi is not None else last.toordinal(), last.toordinal())
    if lo is None and hi is None:
        return None
    return (lo or 0, hi if hi is not None else dt.date.max.toordinal())


def _ranked(app: App, by_date: bool, least: bool, person_papers: tuple[str, ...] | None, topic_ids: set[str] | None,
            span: tuple[int, int] | None, any_year_month: int | None, alumni: bool) -> list[int]:
    """Numbers of the papers that pass every filter, in the asked order (no paper object is made)."""
    catalog = app.catalog
    c = catalog.columns
    allowed: set[int] | None = None
    for ids in (person_papers, topic_ids):
        if ids is not None:
            numbers = {catalog.papers[i].number for i in ids if i in catalog.papers}
            allowed = numbers if allowed is None else allowed & numbers
    dates, flags, at = c.dates, c.author_alumnus, c.author_at
    orders = _orders(app)
    if span is not None and allowed is None:  # a date range: its papers by bisection of the date order
        ascending = orders[(True, True)]
        ordinals = _ordinals(app)
        allowed = set(ascending[bisect.bisect_left(ordinals, span[0]) : bisect.bisect_right(ordinals, span[1])])

    def keep(n: int) -> bool:
        if allowed is not None and n not in allowed:
            return False
        if span is not None and not span[0] <= dates[n] <= span[1]:
            return False
        if any_year_month is not None and dt.date.fromordinal(dates[n]).month != any_year_month:
            return False
        return not alumni or any(flags[at[n] : at[n + 1]])

    order = orders[(by_date, least)]
    if allowed is None and any_year_month is None and not alumni:
        return order
    if allowed is not None and len(allowed) * FEW_OF < len(order):
        rank = _ranks(app, (by_date, least))
        return [n for n in sorted(allowed, key=rank.__getitem__) if keep(n)]
    return [n for n in order if keep(n)]


FEW_OF = 8
"""Candidates fewer than 1/FEW_OF of all papers are sorted by rank instead of filtering the whole order."""
_RANKS: weakref.WeakKeyDictionary[Searcher, dict[tuple[bool, bool], list[int]]] = weakref.WeakKeyDictionary()
_ORDINALS: weakref.WeakKeyDictionary[Searcher, list[int]] = weakref.WeakKeyDictionary()


def _ranks(app: App, key: tuple[bool, bool]) -> list[int]:
    """Position of each paper number in one of the orders."""
    ranks = _RANKS.setdefault(app.search, {})
    if key not in ranks:
        order = _orders(app)[key]
        rank = [0] * len(order)
        for position, n in enumerate(order):
            rank[n] = position
        ranks[key] = rank
    return ranks[key]


def _ordinals(app: App) -> list[int]:
    """Dates (ordinals) in the oldest-first order, for bisecting a range."""
    found = _ORDINALS.get(app.search)
    if found is None:
        dates = app.catalog.columns.dates
        found = _ORDINALS[app.search] = [dates[n] for n in _orders(app)[(True, True)]]
    return found


def _when(year: int | None, month: int | None, start: dt.date | None, end: dt.date | None) -> str:
    parts = []
    if month and year:
        parts.append(f"from {calendar.month_name[month]} {year}")
    elif month:
        parts.append(f"from {calendar.month_name[month]} (any year)")
    elif year:
        parts.append(f"from {year}")
    if start and end and start == end:
        parts.append(f"on {start:%-d %b %Y}")
    elif start and end:
        parts.append(f"between {start:%-d %b %Y} and {end:%-d %b %Y}")
    elif start:
        parts.append(f"since {start:%-d %b %Y}")
    elif end:
        parts.append(f"until {end:%-d %b %Y}")
    return " ".join(parts)
