"""/paper search, /paper show, /paper top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import ALUMNUS_NOTE, authors_line, list_pages, no_match, paper_summary, resolve
from bot.commands.registry import Area, Option
from bot.reply import Embed, Page, Reply
from bot.search.ranking import CONFIDENT, SUGGEST
from bot.text import neutral, quote, split_clean

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("papers")
AREA.group("paper", "Alumni papers: search, show, top")


SHOWN_MIN = 70.0
"""A search result below this is not listed (it would be noise), though it may still be suggested."""


@AREA.command("paper search", "Find alumni papers by title, topic or author", "/paper search query:refusal direction",
         Option("query", "Words from the title, the abstract or an author's name", required=True))
def paper_search(app: App, query: str) -> Reply:
    hits = app.search.papers_matching(query, 50)
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
    return Reply([Page(embeds=[e]) for e in embeds])


def _paper_reply(app: App, paper_id: str) -> Reply:
    catalog = app.catalog
    paper = catalog.papers[paper_id]
    chunks = split_clean(neutral(paper.abstract), 2500)
    first = Embed(title=neutral(paper.title), description=chunks[0], url=paper.url)
    first.add("Authors", authors_line(catalog, paper, 1000))
    alumni = ", ".join(neutral(catalog.people[a.person_id].name) for a in paper.alumni)
    first.add("MATS alumni", alumni or "none listed")
    first.add("Date", f"{paper.date:%-d %B %Y}", inline=True)
    first.add("Citations", str(paper.citations), inline=True)
    first.footer = ALUMNUS_NOTE + (" · abstract continues on the next page" if len(chunks) > 1 else "")
    pages = [Page(embeds=[first])]
    for n, chunk in enumerate(chunks[1:], 2):
        pages.append(Page(embeds=[Embed(title=neutral(paper.title), description=chunk,
                                        footer=f"Abstract, part {n} of {len(chunks)}")]))
    return Reply(pages)


@AREA.command("paper show", "One paper: abstract, authors, alumni, date, citations",
         "/paper show title:gradient routing",
         Option("title", "The paper's title (autocompletes)", required=True, autocomplete="paper"))
def paper_show(app: App, title: str) -> Reply:
    if title in app.catalog.papers:
        return _paper_reply(app, title)
    found = resolve(app.search.find("paper", title, 6), "paper titled", title, "paper show", "title",
                    hint="Try `/paper search` with a few words from the topic.",
                    fallback=lambda: [h for h in app.search.papers_matching(title, 5) if h.score >= SUGGEST])
    return found if isinstance(found, Reply) else _paper_reply(app, found.id)


@AREA.command("paper top", "Most cited or newest papers, optionally of one year or month",
         "/paper top sort:citations year:2024",
         Option("sort", "citations (default) or newest", choices=("citations", "newest")),
         Option("year", "Only papers of this year", type="integer", min_value=1900, max_value=2100),
         Option("month", "Only papers of this month (1–12; with a year)", type="integer", min_value=1, max_value=12))
def paper_top(app: App, sort: str = "citations", year: int | None = None, month: int | None = None) -> Reply:
    papers = [p for p in app.catalog.papers.values()
              if (year is None or p.date.year == year) and (month is None or p.date.month == month)]
    if sort == "newest":
        papers.sort(key=lambda p: (-p.date.toordinal(), -p.citations, p.title.casefold()))
        rule = "newest first; same day: more citations, then title A→Z"
    else:
        papers.sort(key=lambda p: (-p.citations, -p.date.toordinal(), p.title.casefold()))
        rule = "most cited first; ties: newer, then title A→Z"
    when = f"{year}" if month is None else f"{month:02d}/{year}" if year else f"month {month} of any year"
    if year is None and month is None:
        when = "all years"
    if not papers:
        years = sorted({p.date.year for p in app.catalog.papers.values()})
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return Reply.text(f"No papers in the catalog for {when}. Papers span {span}.", ephemeral=True,
                          kind="no-match")
    label = "Most cited" if sort != "newest" else "Newest"
    items = [(neutral(p.title), paper_summary(app.catalog, p)) for p in papers]
    embeds = list_pages(f"{label} papers — {when} ({len(papers)})", items, per_page=5,
                        footer=f"{ALUMNUS_NOTE} · {rule}")
    return Reply([Page(embeds=[e]) for e in embeds])
