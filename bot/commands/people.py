"""/person and /alumni: a person's papers, marking where they were a MATS alumnus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.catalog.model import Person
from bot.commands.common import list_pages, lookup
from bot.commands.registry import Area, Option
from bot.reply import Page, Reply
from bot.text import counted, neutral

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("people")


NICKNAMES = {"joe": "joseph", "alex": "alexander", "sam": "samuel", "tom": "thomas", "max": "maximilian",
             "dan": "daniel", "nick": "nicholas", "mike": "michael", "ben": "benjamin", "will": "william",
             "bob": "robert", "rob": "robert", "jim": "james", "jamie": "james", "chris": "christopher",
             "matt": "matthew", "dani": "danielle", "ed": "edward", "liz": "elizabeth", "kate": "katherine"}
"""Common English short forms of first names: 'Joe Miller' is looked up as 'Joseph Miller' too."""


TIES_NAMED = 5
"""Alumni tied for the most papers named at most in the first line."""
LISTED = 250
"""Alumni listed at most (25 pages): a large catalog's full list is a search, not a message."""
def person_sentence(app: App, person: Person) -> str:
    papers = [app.catalog.papers[pid] for pid in person.papers]
    as_alumnus = sum(1 for p in papers if any(a.person_id == person.id and a.alumnus for a in p.authors))
    titles = ", ".join(f"*{neutral(p.title)}*" for p in papers[:3]) + (" …" if len(papers) > 3 else "")
    alum = f", {as_alumnus} as a MATS alumnus" if as_alumnus else ""
    return f"**{neutral(person.name)}**: {len(papers)} paper{'s' if len(papers) != 1 else ''}{alum} — {titles}."


def person_reply(app: App, person: Person, content: str = "") -> Reply:
    catalog = app.catalog
    papers = [catalog.papers[pid] for pid in person.papers]
    as_alumnus = sum(1 for p in papers if any(a.person_id == person.id and a.alumnus for a in p.authors))
    lines = []
    for p in papers:
        credit = next(a for a in p.authors if a.person_id == person.id)
        mark = " — **as MATS alumnus**" if credit.alumnus else ""
        spelled = f" (credited as {neutral(credit.credited_as)})" if credit.credited_as != person.name else ""
        lines.append((neutral(p.title), f"{p.date:%-d %b %Y} · {counted(p.citations, 'citation')}{mark}{spelled}"))
    summary = f"{len(papers)} paper{'s' if len(papers) != 1 else ''} in the catalog"
    summary += f", {as_alumnus} as a MATS alumnus." if as_alumnus else "; not listed as a MATS alumnus on any."
    if person.aliases:
        summary += "\nAlso written: " + ", ".join(neutral(a) for a in person.aliases)
    mentoring = catalog.mentors_named(person.name)
    if mentoring:
        summary += "\nMentors: " + ", ".join(neutral(s.name) for s, _ in mentoring)
    embeds = list_pages(neutral(person.name), lines, per_page=8, description=summary, footer="newest first")
    first = content or person_sentence(app, person)
    return Reply([Page(first if i == 0 else "", [e]) for i, e in enumerate(embeds)])


def _find(app: App, kind: str, name: str, command_path: str) -> Reply | tuple[Person, str]:
    """The person meant, with a note when they are only the closest match; or the reply saying why not."""
    if name in app.catalog.people:
        return app.catalog.people[name], ""
    hits = app.search.find(kind, name, 6)
    words = name.strip().split()
    if words and words[0].casefold() in NICKNAMES:
        longer = " ".join([NICKNAMES[words[0].casefold()], *words[1:]])
        hits = sorted({h.id: h for h in [*app.search.find(kind, longer, 6), *hits]}.values(), key=lambda h: -h.score)
    found = lookup(hits, "alumnus" if kind == "alumnus" else "person", name, command_path, "name",
                   hint="I only know authors of the catalog's papers; mentors are under `/mentor`.")
    if isinstance(found, Reply):
        return found
    hit, note = found
    return app.catalog.people[hit.id], note


@AREA.command("person", "A person's papers in the catalog, marking where they were an alumnus",
         "/person name:Marius Hobbhahn",
         Option("name", "Any author's name (autocompletes)", required=True, autocomplete="person"))
def person(app: App, name: str) -> Reply:
    found = _find(app, "person", name, "person")
    if isinstance(found, Reply):
        return found
    who, note = found
    return person_reply(app, who, note and f"{note}\n{person_sentence(app, who)}")


@AREA.command("alumni", "MATS alumni and their papers; with a name, whether and where they were an alumnus",
         "/alumni name:Arjun Panickssery",
         Option("name", "An alumnus' name (autocompletes); leave empty to list all", autocomplete="alumnus"),
         Option("min_papers", "Only alumni on at least this many papers", type="integer", min_value=1, max_value=100))
def alumni(app: App, name: str | None = None, min_papers: int | None = None) -> Reply:
    catalog = app.catalog
    if name and name.strip():
        found = _find(app, "person", name, "alumni")
        if isinstance(found, Reply):
            return found
        who, note = found
        as_alumnus = [p for p in (catalog.papers[pid] for pid in who.papers)
                      if any(a.person_id == who.id and a.alumnus for a in p.authors)]
        mentoring = catalog.mentors_named(who.name)
        if as_alumnus:
            sentence = (f"Yes — **{neutral(who.name)}** is a MATS alumnus on {len(as_alumnus)} of "
                        f"{len(who.papers)} paper{'s' if len(who.papers) != 1 else ''} in the catalog.")
        else:
            sentence = f"**{neutral(who.name)}** is in the catalog as a co-author, not as a MATS alumnus."
        if mentoring:
            sentence += " On the program's pages they are a mentor: " + ", ".join(
                neutral(s.name) for s, _ in mentoring) + "."
        return person_reply(app, who, "\n".join(x for x in (note, sentence) if x))
    counts = catalog.alumni_counts
    every = len(counts)
    least = min_papers or 1
    people = [pid for pid in catalog.alumni_ranked if counts[pid] >= least]  # most first, then by name
    items = [(neutral(catalog.people[pid].name), f"{counts[pid]} paper{'s' if counts[pid] != 1 else ''} as alumnus")
             for pid in people[:LISTED]]
    if not every:
        return Reply.text("The catalog lists no alumni yet.", ephemeral=True, kind="no-match")
    papers = catalog.papers_with_alumni
    if least > 1:
        names = ", ".join(f"**{neutral(catalog.people[pid].name)}** ({counts[pid]})" for pid in people[:10])
        sentence = (f"{len(people)} of the {every} alumni are on {least} or more papers: {names}." if people
                    else f"None of the {every} alumni is on {least} or more papers.")
    else:
        sentence = f"**{every} alumni** are listed across {papers} paper{'s' if papers != 1 else ''} in the catalog"
        most = counts[people[0]] if people else 0
        leaders = [pid for pid in people[:TIES_NAMED] if counts[pid] == most]
        sentence += ("; most papers: " + " and ".join(f"**{neutral(catalog.people[pid].name)}**" for pid in leaders)
                     + f" ({most} each)." if len(leaders) > 1 else
                     f"; most papers: **{neutral(catalog.people[leaders[0]].name)}** ({most})." if leaders else ".")
    embeds = list_pages(f"MATS alumni in the catalog ({len(people)})", items, per_page=10,
                        footer="most papers first, then A→Z · /alumni name:… for one alumnus' papers")
    return Reply([Page(sentence if i == 0 else "", [e]) for i, e in enumerate(embeds)])


@AREA.command("coauthors", "Who a person wrote with; with a second name, their papers together",
         "/coauthors name:Thomas Kwa",
         Option("name", "An author's name (autocompletes)", required=True, autocomplete="person"),
         Option("other", "A second author: only the papers they wrote together", autocomplete="person"))
def coauthors(app: App, name: str, other: str | None = None) -> Reply:
    catalog = app.catalog
    found = _find(app, "person", name, "coauthors")
    if isinstance(found, Reply):
        return found
    who, note = found
    other_name = other
    if other_name and other_name.strip():
        second = _find(app, "person", other_name, "coauthors")
        if isinstance(second, Reply):
            return second
        partner, note2 = second
        shared = [catalog.papers[pid] for pid in who.papers if pid in set(partner.papers)]
        if shared:
            titles = "; ".join(f"*{neutral(p.title)}*" for p in shared)
            sentence = (f"**{len(shared)} paper{'s' if len(shared) != 1 else ''}** together by "
                        f"{neutral(who.name)} and {neutral(partner.name)}: {titles}.")
        else:
            sentence = (f"**No paper** in the catalog has both {neutral(who.name)} and {neutral(partner.name)} "
                        f"as authors ({counted(len(who.papers), 'paper')} and {counted(len(partner.papers), 'paper')} of their own).")
        items = [(neutral(p.title), f"{p.date:%-d %b %Y} · {counted(p.citations, 'citation')}") for p in shared]
        embeds = list_pages(f"{neutral(who.name)} + {neutral(partner.name)}", items, per_page=8,
                            footer="newest first")
        head = "\n".join(x for x in (note, note2, sentence) if x)
        return Reply([Page(head if i == 0 else "", [e]) for i, e in enumerate(embeds)])
    counts: dict[str, int] = {}
    for pid in who.papers:
        for a in catalog.papers[pid].authors:
            if a.person_id != who.id:
                counts[a.person_id] = counts.get(a.person_id, 0) + 1
    ranked = sorted(counts, key=lambda pid: (-counts[pid], catalog.people[pid].name.casefold()
                                             if pid in catalog.people else pid))
    if not ranked:
        return Reply.text(f"The catalog lists no co-authors of {neutral(who.name)}.", kind="no-match", ephemeral=True)
    top = counts[ranked[0]]
    most = [pid for pid in ranked if counts[pid] == top]

    def label(pid: str) -> str:
        return neutral(catalog.people[pid].name) if pid in catalog.people else pid

    sentence = (f"**{neutral(who.name)}** has written with {len(ranked)} people; most often with "
                + ", ".join(f"**{label(pid)}**" for pid in most[:5])
                + f" ({top} paper{'s' if top != 1 else ''}).")
    items = [(label(pid), f"{counts[pid]} paper{'s' if counts[pid] != 1 else ''} together") for pid in ranked]
    embeds = list_pages(f"Co-authors of {neutral(who.name)} ({len(ranked)})", items, per_page=10,
                        footer="most shared papers first, then A→Z")
    head = "\n".join(x for x in (note, sentence) if x)
    return Reply([Page(head if i == 0 else "", [e]) for i, e in enumerate(embeds)])


AUTHORS_LISTED = 100
"""Authors listed at most (10 pages): a ranking, not the whole catalog."""


@AREA.command("authors", "The authors with the most papers in the catalog (ties named together)",
         "/authors limit:5",
         Option("limit", "How many authors (1–100)", type="integer", min_value=1, max_value=AUTHORS_LISTED))
def authors(app: App, limit: int | None = None) -> Reply:
    catalog = app.catalog
    ranked = catalog.most_papers
    if not ranked:
        return Reply.text("The catalog lists no authors yet.", ephemeral=True, kind="no-match")
    shown = ranked[: limit or AUTHORS_LISTED]
    top = ranked[0][1]
    most = [pid for pid, n in ranked if n == top][:5]
    names = " and ".join(f"**{neutral(catalog.people[pid].name)}**" for pid in most)
    verb = "has" if len(most) == 1 else "tie with"
    sentence = f"{names} {verb} the most papers in the catalog: {top} paper{'s' if top != 1 else ''}" + (
        " each." if len(most) > 1 else ".")
    alumni = catalog.alumni_counts
    items = [(neutral(catalog.people[pid].name),
              f"{n} paper{'s' if n != 1 else ''}" + (f", {alumni[pid]} as MATS alumnus" if pid in alumni else ""))
             for pid, n in shown]
    embeds = list_pages(f"Authors with the most papers ({len(shown)} of {len(ranked)})", items, per_page=10,
                        footer="most papers first, then A→Z · /person name:… for one author's papers")
    return Reply([Page(sentence if i == 0 else "", [e]) for i, e in enumerate(embeds)])
