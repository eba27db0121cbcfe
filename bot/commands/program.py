"""/program and /deadline list: the two editions the pages describe, labelled, and every date we know.

The research page and the Empirical track page describe different editions (12 vs 10 weeks,
different dates and track lists). Answers give both, each with its label, and never merge them.
A blank date on a page stays 'not announced'.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from bot.catalog.model import Edition, KeyDate
from bot.commands.registry import Area, Option
from bot.questions import passages
from bot.questions.gaps import missing
from bot.questions.normalise import normalise
from bot.reply import Embed, Page, Reply, stamp
from bot.text import neutral, shorten

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("program")


TOPICS = ("overview", "dates", "tracks", "application", "location", "length", "eligibility", "application-dates",
          "mentors", "outcomes")
PLACE = re.compile(r"[^.]*\b(?:community|based|located|held|takes place) in ([A-Z][a-z]+)[^.]*\.")
"""A sentence of the pages that places the program somewhere: 'join a vibrant community in Berkeley'."""


STREAMS_IN_TRACKS = re.compile(r"\bstreams within (?:those|the|their) tracks\b")
"""The pages' one statement of how streams and tracks relate (an application stage: 'streams within those tracks')."""


def key_date_text(kd: KeyDate) -> str:
    if kd.date is not None:
        at = dt.datetime.combine(kd.date, dt.time(12), dt.UTC)
        return f"{kd.date:%-d %B %Y} ({stamp(at).split(' (')[1]}"
    if kd.date_text:
        return f"{neutral(kd.date_text)} (no year given)" if "year" in (kd.note or "") else neutral(kd.date_text)
    return "not announced"


def dates_embed(app: App, only: str = "", editions: list[Edition] | None = None) -> Embed:
    """Every key date of both editions, or of *editions* when the member named one (the other edition's
    dates beside the answer read as a contradiction of it); *only*: just the dates whose id holds it
    ('appl': application dates, so an answer about applying never shows program dates as if they were
    application dates).
    """
    shown = list(app.catalog.editions.values()) if editions is None else editions
    embed = Embed(title="Application dates" if only else "Program dates",
                  description=("The two public pages describe two editions; both are listed." if len(shown) > 1
                               else "The edition you asked about; `/program topic:dates` lists both."))
    for edition in shown:
        dates = [kd for kd in app.catalog.key_dates.values() if kd.edition_id == edition.id and only in kd.id]
        lines = [f"**{neutral(kd.name)}:** {key_date_text(kd)}" for kd in dates]
        # Application dates are named by the edition's length and page: its label holds its program dates.
        name = (f"{edition.weeks}-week edition ({neutral(edition.source)})" if only
                else f"{neutral(edition.label)}, {edition.weeks} weeks")
        embed.add(name, "\n".join(lines) or "No dates given.")
    return embed


def _dates_sentence(app: App, editions: list[Edition]) -> str:
    parts, silent = [], []
    for e in editions:
        dates = [kd for kd in app.catalog.key_dates.values() if kd.edition_id == e.id]
        start = next((kd for kd in dates if "start" in kd.id), None)
        end = next((kd for kd in dates if kd.id.endswith("program-end")), None)
        parts.append(f"the {neutral(e.label)} runs from **{key_date_text(start) if start else 'not announced'}** "
                     f"to **{key_date_text(end) if end else 'not announced'}**")
        if any("extension" in kd.id for kd in dates) and not any("extension-end" in kd.id for kd in dates):
            silent.append(e.label)
    text = "The pages give: " + "; ".join(parts) + "."
    if silent:
        text += " They do not say how long the extension phase lasts or when it ends."
    if not any(kd.date for kd in app.catalog.key_dates.values()):
        text += " No year is given."
    return text


def _application_dates(app: App) -> str:
    blank = [kd for kd in app.catalog.key_dates.values() if "appl" in kd.id and kd.date is None and not kd.date_text]
    if blank:
        return ("Application dates are **not announced** on the program's pages: the 'Application:' key date is "
                "blank on both, and they do not say when offers go out. Staff deadlines: `/deadline list`.")
    return "The application dates the pages give are listed below."


WANTED = {"who": "who", "how many": "how many (they give no number)",
          "exactly how many": "exactly how many (they give no exact number)", "when": "when (they give no time)",
          "where": "where", "other": ""}
"""What a question asked that its best sentence does not hold, as said after 'The pages do not say'."""


def pages_answer(app: App, query: str) -> Reply:
    """What the pages' own sentences say about *query*: the best sentence quoted with its section, its
    section in full below; below the match threshold, that the pages do not say (and what is closest).
    A detail the catalog never holds (gaps.py) is said missing first, whatever matches.
    """
    idx = passages.index(app.search)
    tokens = normalise(query).tokens
    hits = idx.search(tokens)
    lacking = missing(tokens, "program query")
    matched = bool(hits) and passages.strong(hits[0])
    if not matched and not lacking:
        text = "The program's pages do not say anything about that."
        if hits:
            text += f" The closest they come ({neutral(hits[0].passage.section)}): “{neutral(hits[0].passage.text)}”"
        return Reply.text(text, kind="no-match", ephemeral=True)
    if not matched:
        text = f"The pages do not say {lacking[0]}."
        if hits and hits[0].topical and hits[0].coverage >= passages.NEARBY:
            text += f" What they say nearby ({neutral(hits[0].passage.section)}): “{neutral(hits[0].passage.text)}”"
        return Reply.text(text)
    best = hits[0].passage
    kind = passages.asked(tokens)
    twins = [h.passage.section for h in hits[1:] if h.passage.text == best.text and h.coverage == hits[0].coverage]
    where = " and ".join(neutral(s) for s in [best.section, *twins])
    if lacking:
        first = f"The pages do not say {lacking[0]}. What they say nearby ({where}): “{neutral(best.text)}”"
    elif passages.holds(kind, best.text, idx.names):
        first = f"The pages say ({where}): “{neutral(best.text)}”"
    else:
        first = f"The pages do not say {WANTED[kind]}. What they say nearby ({where}): “{neutral(best.text)}”"
    embed = Embed(title="What the pages say")
    seen: set[str] = set()
    for h in hits:
        if h.passage.section in seen or h.coverage < hits[0].coverage * passages.CONTEXT_SHARE:
            continue
        seen.add(h.passage.section)
        embed.add(neutral(h.passage.section), neutral(shorten(h.passage.paragraph, 1000)))
    embed.footer = "Quoted from the program's pages"
    return Reply([Page(first, [embed])])


@AREA.command("program", "The program: overview, dates, tracks, application, location, length, eligibility…",
         "/program topic:dates",
         Option("topic", "overview (default), dates, tracks, application, location, length, eligibility…",
                choices=TOPICS),
         Option("edition", "Only this edition: summer (12 weeks) or autumn (10 weeks)", choices=("summer", "autumn")),
         Option("query", "What the pages' own words say about this (quoted with their section)"))
def program(app: App, topic: str = "overview", edition: str | None = None, query: str | None = None) -> Reply:
    if query and query.strip():
        return pages_answer(app, query)
    catalog = app.catalog
    editions = [e for e in catalog.editions.values() if edition is None or e.id == edition]
    if topic == "dates":
        return Reply([Page(_dates_sentence(app, editions), [dates_embed(app, editions=editions)])])
    if topic == "application-dates":
        return Reply([Page(_application_dates(app), [dates_embed(app, only="appl")])])
    if topic == "length":
        both = " and ".join(f"**{e.weeks} weeks** ({neutral(e.label)}, {neutral(e.source)})" for e in editions)
        return Reply([Page(f"The pages describe {len(editions)} edition{'s' if len(editions) != 1 else ''}: {both}.",
                           [dates_embed(app, editions=editions)])])
    if topic == "location":
        found = [m for e in editions if (m := PLACE.search(e.description))]
        if not found:
            return Reply.text("The program's pages do not say where it takes place.", kind="answer")
        place = found[0].group(1)
        return Reply.text(f"The program is in **{neutral(place)}**: “{neutral(found[0].group(0).strip())}” "
                          "The pages do not say whether it can be done remotely.")
    if topic == "tracks":
        embed = Embed(title="Tracks", description="Each page lists its edition's tracks.")
        for e in editions:
            names = [neutral(catalog.tracks[t].name) for t in e.tracks if t in catalog.tracks]
            embed.add(f"{neutral(e.label)} ({neutral(e.source)})", ", ".join(names) or "none listed")
        largest = [t for t in catalog.tracks.values() if t.description and "largest track" in t.description]
        embed.footer = "/track name:… for one track · only the Empirical track page lists streams"
        counts = "; ".join(f"the {neutral(e.label)} lists **{len(e.tracks)} tracks**" for e in editions)
        sentence = counts[0].upper() + counts[1:] + "."
        if largest:
            sentence += f" The largest, per the pages: **{neutral(largest[0].name)}**."
        within = next((m.group(0) for e in editions for stage in e.application_stages
                       if (m := STREAMS_IN_TRACKS.search(stage))), None)
        if within:
            sentence += f" Streams sit within tracks: applicants apply to “{neutral(within)}”."
        return Reply([Page(sentence, [embed])])
    if topic in ("application", "eligibility"):
        embed = Embed(title="How to apply")
        for e in editions:
            stages = "\n".join(f"{i}. {neutral(s)}" for i, s in enumerate(e.application_stages, 1))
            embed.add(f"{neutral(e.label)}: stages", stages or "The page lists no stages.")
        for e in editions:
            embed.add(f"Who can apply — {neutral(e.label)}", neutral(e.eligibility) if e.eligibility else None)
        opens = [kd for kd in catalog.key_dates.values() if "appl" in kd.id and kd.date is None and not kd.date_text]
        if opens:
            embed.footer = "Application dates: not announced on the program's pages."
        if topic == "eligibility":
            sentence = " ".join(f"{neutral(e.label)}: {neutral(e.eligibility)}" for e in editions if e.eligibility)
        else:
            sentence = "; ".join(f"the {neutral(e.label)} lists **{len(e.application_stages)} stages**"
                                 for e in editions)
            sentence = "Applying: " + sentence + " — general application, then evaluations, interviews and offers."
        return Reply([Page(sentence, [embed])])
    if topic == "mentors":
        blurbs = [f"{neutral(e.label)}: {neutral(e.mentors_blurb)}" for e in editions if e.mentors_blurb]
        return Reply.text(" ".join(blurbs) if blurbs else "The pages do not describe the mentors as a group.")
    if topic == "outcomes":
        embed = Embed(title="What fellows get and make")
        for t in catalog.tracks.values():
            embed.add(f"{neutral(t.name)} track: projects", neutral(t.project_selection) if t.project_selection else None)
        first = editions[0] if editions else None
        sentence = neutral(first.description.split(". ")[1]) + "." if first and ". " in first.description else ""
        return Reply([Page(sentence or "The pages describe outcomes per track below.", [embed])])
    pages = []
    for e in editions:
        embed = Embed(title=neutral(e.label) if "week" in e.label else f"{neutral(e.label)}, {e.weeks} weeks",
                      description=neutral(e.description))
        embed.add("Mentors", neutral(e.mentors_blurb) if e.mentors_blurb else None)
        embed.footer = f"Described on the {e.source}"
        pages.append(Page(embeds=[embed]))
    if pages:
        lead = editions[0].description.split(". ")[0].rstrip(".")
        pages[0].content = (f"{neutral(lead)}. The pages describe {len(editions)} edition"
                            f"{'s' if len(editions) != 1 else ''}: "
                            + "; ".join(neutral(e.label) if "week" in e.label else f"{neutral(e.label)} ({e.weeks} weeks)"
                                         for e in editions) + ".")
    return Reply(pages or [Page("The catalog has no program information.")])
