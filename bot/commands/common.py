"""Pieces every answer uses: 'no match' replies, suggestion buttons, short paper lines."""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog.model import Catalog, Paper
from bot.reply import Embed, Reply, Suggestion
from bot.search.ranking import CONFIDENT, Hit, clear_lead, decide
from bot.text import neutral, quote, shorten


def no_match(what: str, query: str, suggestions: list[Hit], command: str, option: str,
             hint: str = "") -> Reply:
    """An ephemeral 'no match' with 'did you mean' buttons that run *command* on the suggestion."""
    lines = [f"I found no {what} matching “{quote(query)}”."]
    if suggestions:
        lines.append("Did you mean: " + ", ".join(f"**{neutral(h.label)}**" for h in suggestions[:5]) + "?")
    if hint:
        lines.append(hint)
    buttons = [Suggestion(shorten(h.label, 80), command, ((option, h.id),)) for h in suggestions[:5]]
    return Reply.text("\n".join(lines), ephemeral=True, kind="no-match", suggestions=buttons)


def which_one(what: str, query: str, hits: list[Hit], command: str, option: str) -> Reply:
    """Several entries fit equally well: never merge them, let the member pick."""
    names = ", ".join(f"**{neutral(h.label)}**" for h in hits[:5])
    text = f"“{quote(query)}” fits more than one {what}: {names}. Which one did you mean?"
    buttons = [Suggestion(shorten(h.label, 80), command, ((option, h.id),)) for h in hits[:5]]
    return Reply.text(text, ephemeral=True, kind="asked-back", suggestions=buttons)


def resolve(hits: list[Hit], what: str, query: str, command: str, option: str, *, hint: str = "",
            fallback: Callable[[], list[Hit]] | None = None) -> Hit | Reply:
    """The one entry *query* names, or the reply that says why not: several fit equally well (the
    member picks), or none is close enough ('no match' with suggestions, from *fallback* when the
    lookup itself has none).
    """
    best, others = decide(hits)
    if best is not None:
        return best
    if others and others[0].score >= CONFIDENT:
        return which_one(what, query, others, command, option)
    return no_match(what, query, others or (fallback() if fallback else []), command, option, hint)


def lookup(hits: list[Hit], what: str, query: str, command: str, option: str, *, hint: str = "",
           fallback: Callable[[], list[Hit]] | None = None) -> tuple[Hit, str] | Reply:
    """Like `resolve`, but one candidate short of confident and far ahead of the rest is shown, with a
    note saying it is the closest ('Showing **Neel Nanda** — closest to what you typed.').
    """
    best, others = decide(hits)
    if best is not None:
        return best, ""
    lead = clear_lead(others)
    if lead is not None:
        return lead, f"Showing **{neutral(lead.label)}** — closest to what you typed."
    found = resolve(hits, what, query, command, option, hint=hint, fallback=fallback)
    return (found, "") if isinstance(found, Hit) else found


def authors_line(catalog: Catalog, paper: Paper, limit: int = 400) -> str:
    names = []
    for a in paper.authors:  # as the page lists them on this paper; the one person they are, when spelled otherwise
        person = catalog.people[a.person_id].name if a.person_id in catalog.people else a.credited_as
        name = neutral(a.credited_as) + (f" (= {neutral(person)})" if person != a.credited_as else "")
        names.append(f"{name} ★" if a.alumnus else name)
    return shorten(", ".join(names), limit)


def paper_summary(catalog: Catalog, paper: Paper) -> str:
    return (f"{paper.date:%-d %b %Y} · {paper.citations} citation{'s' if paper.citations != 1 else ''}\n"
            f"{authors_line(catalog, paper, 700)}")


def list_pages(title: str, items: list[tuple[str, str]], per_page: int = 5, footer: str = "",
               description: str = "") -> list[Embed]:
    """Embeds of (field name, field value) items, *per_page* to a page, numbered."""
    pages = []
    total = len(items)
    for start in range(0, total, per_page):
        chunk = items[start : start + per_page]
        embed = Embed(title=title, description=description)
        for n, (name, value) in enumerate(chunk, start + 1):
            embed.add(f"{n}. {name}", value or "—")
        embed.footer = footer
        pages.append(embed)
    return pages or [Embed(title=title, description=description, footer=footer)]


ALUMNUS_NOTE = "★ = MATS alumnus on that paper"
