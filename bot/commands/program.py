"""/program and /deadline list: the two editions the pages describe, labelled, and every date we know.

The research page and the Empirical track page describe different editions (12 vs 10 weeks,
different dates and track lists). Answers give both, each with its label, and never merge them.
A blank date on a page stays 'not announced'.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.catalog.model import KeyDate
from bot.commands.registry import Area, Option
from bot.reply import Embed, Page, Reply, stamp
from bot.text import neutral

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("program")


TOPICS = ("overview", "dates", "tracks", "application")


def key_date_text(kd: KeyDate) -> str:
    if kd.date is not None:
        at = dt.datetime.combine(kd.date, dt.time(12), dt.UTC)
        return f"{kd.date:%-d %B %Y} ({stamp(at).split(' (')[1]}"
    if kd.date_text:
        return f"{neutral(kd.date_text)} (no year given)" if "year" in (kd.note or "") else neutral(kd.date_text)
    return "not announced"


def dates_embed(app: App) -> Embed:
    embed = Embed(title="Program dates", description="The two public pages describe two editions; both are listed.")
    for edition in app.catalog.editions.values():
        dates = [kd for kd in app.catalog.key_dates.values() if kd.edition_id == edition.id]
        lines = [f"**{neutral(kd.name)}:** {key_date_text(kd)}" for kd in dates]
        embed.add(f"{neutral(edition.label)}, {edition.weeks} weeks", "\n".join(lines) or "No dates given.")
    return embed


@AREA.command("program", "The program: overview, dates, tracks or application",
         "/program topic:dates",
         Option("topic", "overview (default), dates, tracks or application", choices=TOPICS))
def program(app: App, topic: str = "overview") -> Reply:
    catalog = app.catalog
    editions = list(catalog.editions.values())
    if topic == "dates":
        return Reply([Page(embeds=[dates_embed(app)])])
    if topic == "tracks":
        embed = Embed(title="Tracks", description="Each page lists its edition's tracks.")
        for e in editions:
            names = [neutral(catalog.tracks[t].name) for t in e.tracks if t in catalog.tracks]
            embed.add(f"{neutral(e.label)} ({neutral(e.source)})", ", ".join(names) or "none listed")
        embed.footer = "/stream list track:… for a track's streams (only the Empirical track page lists streams)"
        return Reply([Page(embeds=[embed])])
    if topic == "application":
        embed = Embed(title="How to apply")
        for e in editions:
            stages = "\n".join(f"{i}. {neutral(s)}" for i, s in enumerate(e.application_stages, 1))
            embed.add(f"{neutral(e.label)}: stages", stages or "The page lists no stages.")
        for e in editions:
            embed.add(f"Who can apply — {neutral(e.label)}", neutral(e.eligibility) if e.eligibility else None)
        opens = [kd for kd in catalog.key_dates.values() if "appl" in kd.id and kd.date is None and not kd.date_text]
        if opens:
            embed.footer = "Application dates: not announced on the program's pages."
        return Reply([Page(embeds=[embed])])
    pages = []
    for e in editions:
        embed = Embed(title=f"{neutral(e.label)}, {e.weeks} weeks", description=neutral(e.description))
        embed.add("Mentors", neutral(e.mentors_blurb) if e.mentors_blurb else None)
        embed.footer = f"Described on the {e.source}"
        pages.append(Page(embeds=[embed]))
    if pages:
        pages[0].content = (f"The program's pages describe {len(editions)} editions: "
                            + "; ".join(f"{neutral(e.label)} ({e.weeks} weeks)" for e in editions) + ".")
    return Reply(pages or [Page("The catalog has no program information.")])
