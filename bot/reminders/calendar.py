"""The deadlines as an .ics calendar (RFC 5545) with one alarm per reminder offset."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from bot.catalog.model import Catalog
from bot.reminders.state import Deadline


def calendar(deadlines: list[Deadline], catalog: Catalog, offsets: list[int], now: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//fellowship-bot//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Fellowship deadlines")
    for d in deadlines:
        event = Event()
        event.add("uid", f"deadline-{d.id}@fellowship-bot")
        event.add("dtstamp", now)
        event.add("summary", d.title)
        event.add("dtstart", d.due)
        event.add("dtend", d.due)
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
    for kd in catalog.key_dates.values():
        if kd.date is None:
            continue  # the pages give no full date: nothing to put in a calendar
        event = Event()
        event.add("uid", f"keydate-{kd.id}@fellowship-bot")
        event.add("dtstamp", now)
        event.add("summary", kd.name)
        event.add("dtstart", kd.date)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
