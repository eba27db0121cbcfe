"""/deadline list, calendar, mine and forget-me: the staff-made deadlines, as members see and follow them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.commands.program import dates_embed
from bot.commands.registry import Area, Option
from bot.reminders.calendar import calendar, feed_url
from bot.reminders.follows import follow_control, forget_me, mine
from bot.reminders.planner import offsets
from bot.reply import Attachment, Embed, Page, Reply, stamp
from bot.text import counted, fold, neutral, quote

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("deadlines")
AREA.group("deadline", "Program dates and deadlines")


DEADLINE_MATCH = 70.0
"""Lowest closeness (rapidfuzz partial ratio) of a deadline's title to the name asked for."""


@AREA.command("deadline list", "Upcoming deadlines and program dates", "/deadline list",
         Option("past", "Include deadlines that have passed", type="boolean"),
         Option("name", "Only deadlines whose title is close to this"))
def deadline_list(app: App, past: bool = False, name: str | None = None) -> Reply:
    now = app.now()
    staff = sorted((d for d in app.state.deadlines() if past or d.due >= now), key=lambda d: d.due)
    sentence = (f"Next deadline: **{neutral(staff[0].title)}** — {stamp(staff[0].due)}." if staff
                else "No upcoming deadlines have been posted by staff; the program's pages give no full dates.")
    if name and name.strip():
        key = fold(name)
        close = [d for d in staff if fuzz.partial_ratio(key, fold(d.title)) >= DEADLINE_MATCH]
        if close:
            staff = close
            sentence = f"**{neutral(close[0].title)}** is due {stamp(close[0].due)}."
        else:
            sentence = (f"No staff deadline is called “{quote(name, 60)}”. " + sentence)
    embed = Embed(title="Deadlines")
    if staff:
        lines = [f"**{neutral(d.title)}** — {stamp(d.due)}" + (f"\n{neutral(d.description)}" if d.description else "")
                 for d in staff[:20]]
        embed.description = "\n".join(lines)
    else:
        embed.description = "No upcoming deadlines have been posted by staff." if not past else \
            "No deadlines have been posted by staff."
    dates = dates_embed(app)
    embed.fields = dates.fields
    embed.footer = "Times show in your own time zone." + (" 🔔 Remind me: a direct message before it." if staff else "")
    controls = [follow_control(d.id, d.title) for d in staff if d.due >= now]
    return Reply([Page(sentence, [embed])], controls=controls)


@AREA.command("deadline calendar", "All deadlines as a calendar file (.ics) with reminders", "/deadline calendar",
         defer=True)
def deadline_calendar(app: App) -> Reply:
    now = app.now()
    upcoming = [d for d in app.state.deadlines() if d.due >= now]
    data = calendar(upcoming, app.catalog, offsets(app.state, app.config), now)
    text = (f"{counted(len(upcoming), 'upcoming deadline')}. Open the file to add them to your calendar."
            if upcoming else "No upcoming deadlines have been posted yet; the program's pages give no full dates.")
    webcal, http = feed_url(app.config), feed_url(app.config, "http")
    if webcal and http:
        text += ("\nTo keep your calendar current (edits and cancellations included), subscribe instead: "
                 f"`{webcal}` (or <{http}>).")
    return Reply([Page(text)], attachments=[Attachment("deadlines.ics", data, "Fellowship deadlines")])


@AREA.command("deadline mine", "The deadlines you follow (🔔 Remind me), with a way to stop each", "/deadline mine",
              member=True)
def deadline_mine(app: App, member_id: int | None = None) -> Reply:
    return mine(app, member_id)


@AREA.command("deadline forget-me", "Delete everything the bot stores about you (your reminders)",
              "/deadline forget-me", member=True)
def deadline_forget_me(app: App, member_id: int | None = None) -> Reply:
    return forget_me(app, member_id)
