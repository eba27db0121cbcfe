"""/person and /alumni: a person's papers, marking where they were a MATS alumnus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.catalog.model import Person
from bot.commands.common import list_pages, resolve
from bot.commands.registry import Area, Option
from bot.reply import Page, Reply
from bot.search.ranking import decide
from bot.text import neutral

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("people")


def person_reply(app: App, person: Person) -> Reply:
    catalog = app.catalog
    papers = [catalog.papers[pid] for pid in person.papers]
    as_alumnus = sum(1 for p in papers if any(a.person_id == person.id and a.alumnus for a in p.authors))
    lines = []
    for p in papers:
        credit = next(a for a in p.authors if a.person_id == person.id)
        mark = " — **as MATS alumnus**" if credit.alumnus else ""
        spelled = f" (credited as {neutral(credit.credited_as)})" if credit.credited_as != person.name else ""
        lines.append((neutral(p.title), f"{p.date:%-d %b %Y} · {p.citations} citations{mark}{spelled}"))
    summary = f"{len(papers)} paper{'s' if len(papers) != 1 else ''} in the catalog"
    summary += f", {as_alumnus} as a MATS alumnus." if as_alumnus else "; not listed as a MATS alumnus on any."
    if person.aliases:
        summary += "\nAlso written: " + ", ".join(neutral(a) for a in person.aliases)
    mentoring = catalog.mentors_named(person.name)
    if mentoring:
        summary += "\nMentors: " + ", ".join(neutral(s.name) for s, _ in mentoring)
    embeds = list_pages(neutral(person.name), lines, per_page=8, description=summary, footer="newest first")
    return Reply([Page(embeds=[e]) for e in embeds])


def _find(app: App, kind: str, name: str, command_path: str) -> Reply | Person:
    if name in app.catalog.people:
        return app.catalog.people[name]
    found = resolve(app.search.find(kind, name, 6), "alumnus" if kind == "alumnus" else "person", name,
                    command_path, "name",
                    hint="I only know authors of the catalog's papers; mentors are under `/mentor`.")
    return found if isinstance(found, Reply) else app.catalog.people[found.id]


@AREA.command("person", "A person's papers in the catalog, marking where they were an alumnus",
         "/person name:Marius Hobbhahn",
         Option("name", "Any author's name (autocompletes)", required=True, autocomplete="person"))
def person(app: App, name: str) -> Reply:
    found = _find(app, "person", name, "person")
    return found if isinstance(found, Reply) else person_reply(app, found)


@AREA.command("alumni", "MATS alumni and their papers; with a name, one alumnus",
         "/alumni name:Arjun Panickssery",
         Option("name", "An alumnus' name (autocompletes); leave empty to list all", autocomplete="alumnus"))
def alumni(app: App, name: str | None = None) -> Reply:
    catalog = app.catalog
    if name and name.strip():
        as_alumnus, _ = decide(app.search.find("alumnus", name, 6))
        as_person, _ = decide(app.search.find("person", name, 6))
        if name not in catalog.people and as_alumnus is None and as_person is not None:
            who = catalog.people[as_person.id]
            if not any(a.person_id == who.id and a.alumnus for p in catalog.papers.values() for a in p.authors):
                reply = person_reply(app, who)
                reply.pages[0].content = (f"{neutral(who.name)} is in the catalog as a co-author, "
                                          "not as a MATS alumnus.")
                return reply
        found = _find(app, "alumnus", name, "alumni")
        return found if isinstance(found, Reply) else person_reply(app, found)
    counts: dict[str, int] = {}
    for p in catalog.papers.values():
        for a in p.alumni:
            counts[a.person_id] = counts.get(a.person_id, 0) + 1
    people = sorted(counts, key=lambda pid: catalog.people[pid].name.casefold())
    items = [(neutral(catalog.people[pid].name), f"{counts[pid]} paper{'s' if counts[pid] != 1 else ''} as alumnus")
             for pid in people]
    if not items:
        return Reply.text("The catalog lists no alumni yet.", ephemeral=True, kind="no-match")
    embeds = list_pages(f"MATS alumni in the catalog ({len(items)})", items, per_page=10,
                        footer="A→Z · /alumni name:… for one alumnus' papers")
    return Reply([Page(embeds=[e]) for e in embeds])

