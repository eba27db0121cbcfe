"""/stream show, /stream list, /mentor, /cadence: research streams as the track page describes them.

Where the page is silent (an unnamed mentor, no cadence, an empty 'Essential:' list) the reply says
so in words; it never fills the gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.catalog.model import Cadence, Stream
from bot.commands.common import no_match, resolve
from bot.commands.registry import Area, Option
from bot.reply import Embed, Page, Reply
from bot.search.ranking import decide
from bot.text import neutral, slug

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("streams")
AREA.group("stream", "Research streams: show one, list them")


NOT_NAMED = "The page does not name this stream's mentor."
FORMATS = {"one-on-one": "1:1", "group": "group meetings", "one-on-one-or-group": "1:1 or group",
           "project-meetings": "project meetings with mentors and collaborators"}


def mentors_text(stream: Stream) -> str:
    named = [neutral(m.name) + (" (example)" if m.role == "example-primary-mentor" else "") for m in stream.mentors]
    note = neutral(stream.mentors_note) if stream.mentors_note else ("" if named else NOT_NAMED)
    return "; ".join(x for x in (", ".join(named), note) if x)


def cadence_summary(c: Cadence) -> str:
    """The structured cadence in one line, only from what the page states."""
    parts = []
    if c.frequency or c.duration_minutes:
        length = f"{c.duration_minutes} min" if c.duration_minutes and c.duration_minutes < 60 else (
            f"{c.duration_minutes // 60} h" if c.duration_minutes else "")
        parts.append(" ".join(x for x in (c.frequency or "", length) if x))
    if c.format:
        parts.append(FORMATS.get(c.format, c.format))
    if c.ad_hoc:
        parts.append("plus ad hoc meetings")
    if c.async_channel:
        parts.append(f"async on {c.async_channel}" + (f", replies {c.reply_time}" if c.reply_time else ""))
    elif c.reply_time:
        parts.append(f"async replies {c.reply_time}")
    return " · ".join(parts)


def cadence_text(stream: Stream) -> str:
    c = stream.cadence
    if not c.known:
        return "The page does not give this stream's meeting cadence."
    summary = cadence_summary(c)
    text = f"“{neutral(c.text)}”"
    if c.notes:
        text += f"\n{neutral(c.notes)}"
    return f"**{summary}**\n{text}" if summary else text


def requirements_text(stream: Stream) -> str:
    r = stream.requirements
    lines = []
    for key, label in (("essential", "Essential"), ("preferred", "Preferred"), ("not_a_good_fit", "Not a good fit")):
        items = getattr(r, key)
        if items:
            lines.append(f"**{label}:** " + "; ".join(neutral(i) for i in items))
        elif key in r.headings_without_content:
            lines.append(f"**{label}:** the page shows this heading but lists nothing under it.")
    if r.text:
        lines.append(neutral(r.text))
    return "\n".join(lines)


def stream_reply(app: App, stream: Stream, content: str = "") -> Reply:
    track = app.catalog.tracks.get(stream.track_id)
    embed = Embed(title=neutral(stream.name), description=neutral(stream.description))
    embed.add("Track", neutral(track.name) if track else stream.track_id, inline=True)
    if stream.organisation:
        embed.add("Organisation", neutral(stream.organisation), inline=True)
    embed.add("Mentors", mentors_text(stream))
    embed.add("Meeting cadence", cadence_text(stream))
    embed.add("Requirements", requirements_text(stream) or "The page lists no requirements for this stream.")
    embed.add("How projects are chosen", neutral(stream.project_selection) if stream.project_selection
              else "The page does not say.")
    if stream.extra:
        embed.add("Also", neutral(stream.extra))
    embed.footer = "From the program's Empirical track page"
    return Reply([Page(content, [embed])])


def find_stream(app: App, name: str, command_path: str) -> Stream | Reply:
    if name in app.catalog.streams:
        return app.catalog.streams[name]
    found = resolve(app.search.streams_matching(name, 6), "stream", name, command_path, "name",
                    hint="`/stream list` shows them all.")
    return found if isinstance(found, Reply) else app.catalog.streams[found.id]


@AREA.command("stream show", "A research stream: mentors, cadence, requirements, project choice",
         "/stream show name:Asymmetric Security",
         Option("name", "Stream, mentor or topic (autocompletes)", required=True, autocomplete="stream"))
def stream_show(app: App, name: str) -> Reply:
    found = find_stream(app, name, "stream show")
    return found if isinstance(found, Reply) else stream_reply(app, found)


@AREA.command("stream list", "All research streams, optionally of one track", "/stream list track:empirical",
         Option("track", "Only this track", autocomplete="track"))
def stream_list(app: App, track: str | None = None) -> Reply:
    catalog = app.catalog
    streams = sorted(catalog.streams.values(), key=lambda s: s.name.casefold())
    title = f"Research streams ({len(streams)})"
    if track and track.strip():
        t = catalog.tracks.get(track)
        if t is None:
            best, others = decide(app.search.find("track", track, 5))
            if best is None:
                return no_match("track", track, others, "stream list", "track")
            t = catalog.tracks[best.id]
        streams = [s for s in streams if s.track_id == t.id]
        title = f"{neutral(t.name)} track: streams ({len(streams)})"
        if not streams:
            return Reply.text(f"The pages list no streams for the {neutral(t.name)} track; "
                              "only the Empirical track page describes streams.", kind="no-match", ephemeral=True)
    embed = Embed(title=title)
    for s in streams[:25]:
        mentors = ", ".join(neutral(m.name) for m in s.mentors) or "mentor not named"
        embed.add(neutral(s.name), f"{mentors} · {cadence_summary(s.cadence) or 'cadence not given'}")
    embed.footer = "/stream show name:… for details"
    return Reply([Page(embeds=[embed])])


@AREA.command("mentor", "A mentor's stream and how they meet fellows", "/mentor name:Arthur Conmy",
         Option("name", "A mentor's name (autocompletes)", required=True, autocomplete="mentor"))
def mentor(app: App, name: str) -> Reply:
    catalog = app.catalog
    hits = app.search.find("mentor", name, 6)
    exact = [h for h in hits if h.id == name]
    best, others = (exact[0], []) if exact else decide(hits)
    if best is None:
        named = sorted({m.name for s in catalog.streams.values() for m in s.mentors})
        unnamed = sum(1 for s in catalog.streams.values() if not s.mentors)
        hint = (f"Mentors the page names: {', '.join(neutral(n) for n in named)}. "
                f"{unnamed} stream(s) do not name their mentor.")
        return no_match("mentor", name, others, "mentor", "name", hint)
    streams = [s for s in catalog.streams.values() if any(slug(m.name) == best.id for m in s.mentors)]
    embed = Embed(title=neutral(best.label),
                  description=f"Mentor in {len(streams)} stream{'s' if len(streams) != 1 else ''} on the Empirical track page.")
    for s in streams:
        role = next(m.role for m in s.mentors if slug(m.name) == best.id)
        note = " (named as an example of a primary mentor)" if role == "example-primary-mentor" else ""
        embed.add(neutral(s.name) + note, cadence_text(s))
    person = next((p for p in catalog.people.values() if slug(p.name) == best.id), None)
    if person is not None:
        embed.footer = f"Also an author of {len(person.papers)} paper(s): /person name:{person.name}"
    return Reply([Page(embeds=[embed])])


@AREA.command("cadence", "How often a stream or mentor meets fellows", "/cadence name:Neel Nanda",
         Option("name", "A stream or a mentor (autocompletes)", required=True, autocomplete="cadence"))
def cadence(app: App, name: str) -> Reply:
    catalog = app.catalog
    kind, _, ident = name.partition(":")
    if kind == "stream" and ident in catalog.streams:
        streams = [catalog.streams[ident]]
    elif kind == "mentor":
        streams = [s for s in catalog.streams.values() if any(slug(m.name) == ident for m in s.mentors)]
    else:
        found = find_stream(app, name, "cadence")
        if isinstance(found, Reply):
            return found
        streams = [found]
    if not streams:
        return no_match("stream or mentor", name, [], "cadence", "name")
    embed = Embed(title="Meeting cadence")
    for s in streams:
        embed.add(neutral(s.name), cadence_text(s))
    return Reply([Page(embeds=[embed])])
