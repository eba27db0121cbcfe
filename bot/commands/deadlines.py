"""/deadline list and /deadline calendar: the staff-made deadlines, as members see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.program import dates_embed
from bot.commands.registry import Area, Option
from bot.reminders.calendar import calendar, feed_url
from bot.reminders.planner import offsets
from bot.reply import Attachment, Embed, Page, Reply, stamp
from bot.text import neutral

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("deadlines")
AREA.group("deadline", "Program dates and deadlines")


@AREA.command("deadline list", "Upcoming deadlines and program dates", "/deadline list",
         Option("past", "Include deadlines that have passed", type="boolean"))
def deadline_list(app: App, past: bool = False) -> Reply:
    now = app.now()
    staff = [d for d in app.state.deadlines() if past or d.due >= now]
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
    embed.footer = "Times show in your own time zone."
    return Reply([Page(embeds=[embed])])


@AREA.command("deadline calendar", "All deadlines as a calendar file (.ics) with reminders", "/deadline calendar",
         defer=True)
def deadline_calendar(app: App) -> Reply:
    now = app.now()
    upcoming = [d for d in app.state.deadlines() if d.due >= now]
    data = calendar(upcoming, app.catalog, offsets(app.state, app.config), now)
    text = (f"{len(upcoming)} upcoming deadline(s). Open the file to add them to your calendar."
            if upcoming else "No upcoming deadlines have been posted yet; the program's pages give no full dates.")
    webcal, http = feed_url(app.config), feed_url(app.config, "http")
    if webcal and http:
        text += ("\nTo keep your calendar current (edits and cancellations included), subscribe instead: "
                 f"`{webcal}` (or <{http}>).")
    return Reply([Page(text)], attachments=[Attachment("deadlines.ics", data, "Fellowship deadlines")])
