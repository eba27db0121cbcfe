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
from bot.text import counted, neutral, quote, shorten, slug

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("streams")
AREA.group("stream", "Research streams: show one, list them")


NOT_NAMED = "The page does not name this stream's mentor."
TOPIC_SHOWN = 70.0
"""A stream below this search score is not listed as being about a topic."""
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


def cadence_text(stream: Stream, *, with_summary: bool = True) -> str:
    """The page's sentence, under its summary unless the reply's first line already says it."""
    c = stream.cadence
    if not c.known:
        return "The page does not give this stream's meeting cadence."
    summary = cadence_summary(c) if with_summary else ""
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
            lines.append(f"**{label}:** the page shows this heading but does not list anything under it.")
    if r.text:
        lines.append(neutral(r.text))
    return "\n".join(lines)


STREAM_FIELDS = ("mentors", "cadence", "format", "requirements", "projects", "about", "application")
SECTIONS = {"essential": "Essential", "preferred": "Preferred", "not_a_good_fit": "Not a good fit"}
"""The headings a stream's requirements may be listed under on the track page."""


def section_sentence(stream: Stream, section: str) -> str:
    """One heading of a stream's requirements: what is listed under it, or that nothing is."""
    name = f"**{neutral(stream.name)}**"
    label = SECTIONS[section]
    r = stream.requirements
    items = getattr(r, section)
    if items:
        return f"{name}, **{label}:** " + "; ".join(neutral(i) for i in items)
    if section in r.headings_without_content:
        return f"The page does not list anything under **{label}** for {name}: it shows the heading only."
    said = f"; what it says: {neutral(r.text)}" if r.text else "."
    return f"The page has no **{label}** heading for {name}{said}"


def stream_sentence(app: App, stream: Stream, field: str | None, section: str | None = None) -> str:
    """One sentence answering one field of a stream; where the page is silent, it says so."""
    name = f"**{neutral(stream.name)}**"
    if field == "mentors":
        if stream.mentors:
            named = ", ".join(f"**{neutral(m.name)}**" for m in stream.mentors)
            examples = any(m.role == "example-primary-mentor" for m in stream.mentors)
            first_only = [m for m in stream.mentors if len(m.name.split()) < 2 or len(m.name.split()[-1]) < 2]
            return (f"{name}: the page names {named}" + (" as examples of primary mentors" if examples else "")
                    + (f" ({neutral(stream.mentors_note)})" if stream.mentors_note and examples else "") + "."
                    + (" It does not give their full names." if first_only else ""))
        return f"The pages do not name a mentor for {name}" + (
            f": {neutral(stream.mentors_note)}" if stream.mentors_note else ".")
    if field == "format":
        c = stream.cadence
        if c.format:
            return f"How {name} meets: **{FORMATS.get(c.format, c.format)}** ({cadence_summary(c)})."
        stated = f"; it says: {cadence_summary(c) or neutral(c.text)}" if c.known else ""
        return f"The page does not say whether {name} meets 1:1 or as a group{stated}."
    if field == "cadence":
        c = stream.cadence
        if not c.known:
            return f"The pages do not say how often {name} meets."
        return f"{name} meets: {cadence_summary(c) or neutral(c.text)}."
    if field == "requirements" and section in SECTIONS:
        return section_sentence(stream, section)
    r = stream.requirements
    if field == "requirements" and r.text and not any(getattr(r, key) for key in SECTIONS):
        # Nothing listed under the headings: the page's own sentence is the answer, the empty headings a note.
        empty = [SECTIONS[key] for key in SECTIONS if key in r.headings_without_content]
        if not empty:
            return f"{name} asks for: {neutral(r.text)}"
        headings = ", ".join(empty[:-1]) + (" or " if len(empty) > 1 else "") + empty[-1]
        return (f"The page does not list anything under {name}'s {headings} "
                f"heading{'s' if len(empty) > 1 else ''}; what it says: {neutral(r.text)}")
    if field == "requirements":
        text = requirements_text(stream)
        if not text:
            return f"The pages do not list requirements for {name}."
        return f"{name} asks for: " + text.split("\n")[0]
    if field == "application":
        said = [neutral(x) for x in (stream.extra, stream.mentors_note) if x and "appl" in x.casefold()]
        if not said:
            return (f"The pages do not say how applying to {name} works beyond the general application "
                    "(`/program topic:application`).")
        return f"Applying to {name}: " + " ".join(said)
    if field == "projects":
        if not stream.project_selection:
            return f"The pages do not say how projects are chosen in {name}."
        return f"How projects are chosen in {name}: {neutral(stream.project_selection)}"
    track = app.catalog.tracks.get(stream.track_id)
    return f"{name} ({neutral(track.name) if track else stream.track_id} track): {neutral(stream.description)}"


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


@AREA.command("stream show", "A research stream: mentors, cadence, requirements, project choice; or one of them",
         "/stream show name:Asymmetric Security field:cadence",
         Option("name", "Stream, mentor or topic (autocompletes)", required=True, autocomplete="stream"),
         Option("field", "Just this: mentors, cadence, format (1:1/group), requirements, projects, about, application",
                choices=STREAM_FIELDS),
         Option("section", "With field:requirements: just the essential, preferred or not-a-good-fit list",
                choices=tuple(SECTIONS)))
def stream_show(app: App, name: str, field: str | None = None, section: str | None = None) -> Reply:
    found = find_stream(app, name, "stream show")
    if isinstance(found, Reply):
        return found
    if section and not field:
        field = "requirements"  # a section is one heading of the requirements: asked alone, it means them
    return stream_reply(app, found, stream_sentence(app, found, field, section))


@AREA.command("stream list", "All research streams, optionally of one track or about a topic",
         "/stream list track:empirical",
         Option("track", "Only this track", autocomplete="track"),
         Option("query", "Only streams about this topic"),
         Option("names", "Only these streams, side by side (ids, comma-separated)"))
def stream_list(app: App, track: str | None = None, query: str | None = None, names: str | None = None) -> Reply:
    catalog = app.catalog
    streams = sorted(catalog.streams.values(), key=lambda s: s.name.casefold())
    title = f"Research streams ({len(streams)})"
    sentence = f"The Empirical track page lists **{len(streams)} streams**."
    if names and names.strip():
        picked = [catalog.streams[i.strip()] for i in names.split(",") if i.strip() in catalog.streams]
        if picked:
            streams = picked
            title = " vs ".join(neutral(s.name) for s in picked)
            sentence = " ".join(f"**{neutral(s.name)}**: {neutral(shorten(s.description, 300))}" for s in picked)
    if query and query.strip():
        hits = [h for h in app.search.streams_matching(query, 10) if h.score >= TOPIC_SHOWN]
        if not hits:
            return Reply.text(f"No stream on the pages is about “{quote(query, 60)}”. "
                              "`/stream list` shows them all.", kind="no-match", ephemeral=True)
        streams = [catalog.streams[h.id] for h in hits]
        title = f"Streams about “{quote(query, 60)}” ({len(streams)})"
        sentence = (f"**{len(streams)} stream{'s' if len(streams) != 1 else ''}** about “{quote(query, 60)}”: "
                    + ", ".join(f"**{neutral(s.name)}**" + (f" ({', '.join(neutral(m.name) for m in s.mentors)})"
                                                             if s.mentors else "") for s in streams) + ".")
    if track and track.strip():
        t = catalog.tracks.get(track)
        if t is None:
            found = resolve(app.search.find("track", track, 5), "track", track, "stream list", "track")
            if isinstance(found, Reply):
                return found
            t = catalog.tracks[found.id]
        streams = [s for s in streams if s.track_id == t.id]
        title = f"{neutral(t.name)} track: streams ({len(streams)})"
        sentence = f"The {neutral(t.name)} track has **{len(streams)} streams** on the pages."
        if not streams:
            return Reply.text(f"The pages do not list any streams for the {neutral(t.name)} track; "
                              "only the Empirical track page describes streams.", kind="no-match", ephemeral=True)
    embed = Embed(title=title)
    side_by_side = bool(names and names.strip())
    for s in streams[:25]:
        mentors = ", ".join(neutral(m.name) for m in s.mentors) or "mentor not named"
        embed.add(neutral(s.name), f"{mentors} · {cadence_summary(s.cadence) or 'cadence not given'}\n"
                  f"{neutral(shorten(s.description, 200))}")
        if side_by_side:  # a comparison: what sets each apart is in how projects are chosen and applied for
            embed.add(f"{neutral(s.name)}: projects", neutral(s.project_selection) if s.project_selection else None)
            embed.add(f"{neutral(s.name)}: also", neutral(s.extra) if s.extra else None)
    embed.footer = "/stream show name:… for details"
    return Reply([Page(sentence, [embed])])


@AREA.command("track", "A research track: what it is, what it asks of fellows, its streams", "/track name:Empirical",
         Option("name", "A track's name (autocompletes)", required=True, autocomplete="track"))
def track(app: App, name: str) -> Reply:
    catalog = app.catalog
    t = catalog.tracks.get(name)
    if t is None:
        best, others = decide(app.search.find("track", name, 5))
        if best is None:
            return no_match("track", name, others, "track", "name")
        t = catalog.tracks[best.id]
    editions = [catalog.editions[e].label for e in t.editions if e in catalog.editions]
    streams = [s for s in catalog.streams.values() if s.track_id == t.id]
    embed = Embed(title=f"{neutral(t.name)} track", description=neutral(t.description) if t.description else
                  "The pages only name this track in a track list; they do not describe it.")
    embed.add("What it asks of fellows", neutral(t.requirements) if t.requirements else None)
    embed.add("Projects", neutral(t.project_selection) if t.project_selection else None)
    embed.add("Editions", ", ".join(neutral(e) for e in editions) or None)
    embed.add(f"Streams ({len(streams)})", ", ".join(neutral(s.name) for s in streams)
              or "The pages do not list any streams for this track.")
    first = (t.description or "").split(". ")[0].rstrip(".")
    sentence = (f"**{neutral(t.name)}**: {neutral(first)}." if first else
                f"The pages do not say anything about the **{neutral(t.name)}** track beyond its name.")
    return Reply([Page(sentence, [embed])])


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
                f"{counted(unnamed, 'stream')} {'does' if unnamed == 1 else 'do'} not name their mentor.")
        return no_match("mentor", name, others, "mentor", "name", hint)
    streams = [s for s in catalog.streams.values() if any(slug(m.name) == best.id for m in s.mentors)]
    embed = Embed(title=neutral(best.label),
                  description=f"Mentor in {len(streams)} stream{'s' if len(streams) != 1 else ''} on the Empirical track page.")
    for s in streams:
        role = next(m.role for m in s.mentors if slug(m.name) == best.id)
        note = " (named as an example of a primary mentor)" if role == "example-primary-mentor" else ""
        embed.add(neutral(s.name) + note, cadence_text(s))
        if s.requirements.text:  # how they work with fellows, in their words ('I enjoy being pretty involved')
            embed.add(f"{neutral(s.name)}: what they look for", neutral(s.requirements.text))
    person = next((p for p in catalog.people.values() if slug(p.name) == best.id), None)
    if person is not None:
        embed.footer = f"Also an author of {counted(len(person.papers), 'paper')}: /person name:{person.name}"
    extra = " ".join(neutral(s.extra) for s in streams if s.extra)
    sentence = (f"**{neutral(best.label)}** mentors " + ", ".join(f"**{neutral(s.name)}**" for s in streams) + "."
                + (f" {extra}" if extra else ""))
    return Reply([Page(sentence, [embed])])


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
    for s in streams:  # the first line states each summary: the fields quote the page, once
        embed.add(neutral(s.name), cadence_text(s, with_summary=False))
    return Reply([Page(" ".join(stream_sentence(app, s, "cadence") for s in streams), [embed])])
