"""The deadlines as an iCalendar (RFC 5545): the /deadline calendar file and the subscribable feed.

Both are the same document, so an event imported from the file and the same event seen through the
feed share a UID. What keeps a subscribed calendar app current:
- UIDs are stable (`deadline-<id>@fellowship-bot`), whatever staff change;
- SEQUENCE is the deadline's edit count, kept in the state database, so an app takes an edit as newer;
- a removed deadline stays in the feed as STATUS:CANCELLED with a raised SEQUENCE (apps that only
  drop vanished events and apps that honour cancellations both end up without it);
- DTSTAMP and LAST-MODIFIED are the last edit, not the time of the request, so an unchanged state
  gives byte-identical output and the feed's ETag only changes when something did.
Staff deadlines are written in UTC: every app shows them in the reader's own zone, and an AoE
deadline cannot drift by the zone's inverted sign. Alarms are the reminder offsets, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from bot.catalog.model import Catalog
from bot.reminders.state import Deadline

if TYPE_CHECKING:
    from bot.config import Config

FEED_PATH = "/calendar/deadlines.ics"
CANCELLED_KEPT = dt.timedelta(days=180)  # a removed deadline is served as cancelled this long after its removal


def uid(deadline_id: str) -> str:
    return f"deadline-{deadline_id}@fellowship-bot"


def _stamped(event: Event, d: Deadline, fallback: dt.datetime) -> None:
    changed = d.updated or fallback
    event.add("uid", uid(d.id))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    if d.created is not None:
        event.add("created", d.created)
    event.add("sequence", d.sequence)
    event.add("summary", d.title)
    event.add("dtstart", d.due)
    event.add("dtend", d.due)


def calendar(deadlines: list[Deadline], catalog: Catalog, offsets: list[int], now: dt.datetime,
             removed: list[Deadline] | None = None) -> bytes:
    """*now* is only used for deadlines without a stored edit time (never for stored ones)."""
    cal = Calendar()
    cal.add("prodid", "-//fellowship-bot//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Fellowship deadlines")
    for d in deadlines:
        event = Event()
        _stamped(event, d, now)
        event.add("status", "CONFIRMED")
        if d.description:
            event.add("description", d.description)
        if d.link:
            event.add("url", d.link)
        for off in offsets:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", d.title)
            alarm.add("trigger", dt.timedelta(seconds=-off))
            event.add_component(alarm)
        cal.add_component(event)
    for d in removed or []:
        if d.updated is not None and now - d.updated > CANCELLED_KEPT:
            continue
        event = Event()
        _stamped(event, d, now)
        event.add("status", "CANCELLED")
        cal.add_component(event)
    built = dt.datetime.fromisoformat(catalog.built_at) if catalog.built_at else now
    if built.tzinfo is None:
        built = built.replace(tzinfo=dt.UTC)
    for kd in catalog.key_dates.values():
        if kd.date is None:
            continue  # the pages give no full date: nothing to put in a calendar
        event = Event()
        event.add("uid", f"keydate-{kd.id}@fellowship-bot")
        event.add("dtstamp", built)
        event.add("summary", kd.name)
        event.add("dtstart", kd.date)
        cal.add_component(event)
    return bytes(cal.to_ical())


def etag(body: bytes) -> str:
    """A strong validator of the exact bytes served."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def feed_url(config: Config, scheme: str = "webcal") -> str | None:
    """The feed's address ("webcal://…" for subscribing, or scheme "http"/"https" as served), or None
    when the feed is off.

    `web.public_url` is what members can reach (the reverse proxy's https address); without it the
    listen address is used, which only works on the bot's own network.
    """
    if not config.web.listen:
        return None
    base = (config.web.public_url or f"http://{config.web.listen}").rstrip("/")
    served, _, rest = base.partition("://")
    return f"{served if scheme == 'http' else scheme}://{rest}{FEED_PATH}"
