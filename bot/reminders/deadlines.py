"""Reading what staff type for a deadline: when, in which timezone, called what, reminded when.

Each error names the field, so a staff member on a phone knows what to fix; nothing is written
until everything parses. 'AoE' (Anywhere on Earth, UTC−12) is the classic trap: in the IANA
database it is 'Etc/GMT+12' — the sign is inverted — and getting it wrong moves a deadline 24 hours.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.durations import describe_duration, parse_duration
from bot.text import clean

TITLE_MAX = 200
DESCRIPTION_MAX = 1000
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_PING_SYNTAX = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


class InputError(ValueError):
    """Staff input that cannot be used; `field` names the option to fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def parse_timezone(text: str | None) -> tuple[dt.tzinfo, str]:
    """IANA names ('Europe/London'), UTC offsets ('+05:30', 'UTC-7'), 'UTC' and 'AoE'."""
    raw = clean(text or "UTC", 64)
    key = raw.strip()
    if key.lower() in ("aoe", "anywhere on earth"):
        return ZoneInfo("Etc/GMT+12"), "AoE (UTC−12)"
    if key.lower() in ("utc", "gmt", "z"):
        return dt.UTC, "UTC"
    m = _OFFSET.match(key)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise InputError("timezone", f"'{key}' is not a real UTC offset (−12:00 to +14:00)")
        sign = 1 if m.group(1) == "+" else -1
        delta = dt.timedelta(hours=hours, minutes=minutes) * sign
        return dt.timezone(delta), f"UTC{m.group(1)}{hours:02d}:{minutes:02d}"
    try:
        return ZoneInfo(key), key
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("timezone", f"unknown timezone '{key}': use a name like Europe/London, "
                                     "an offset like +05:30, UTC, or AoE") from None


def parse_when(when: str | None, timezone: str | None, now: dt.datetime) -> tuple[dt.datetime, str]:
    """'2026-12-01 17:00' in *timezone* → aware UTC datetime (a date alone means 23:59 that day)."""
    text = clean(when, 40)
    if not text:
        raise InputError("when", "give a date and time like 2026-12-01 17:00")
    tz, tz_label = parse_timezone(timezone)
    for fmt in _DATE_FORMATS:
        try:
            naive = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            naive = naive.replace(hour=23, minute=59)
        local = naive.replace(tzinfo=tz)
        due = local.astimezone(dt.UTC)
        if isinstance(tz, ZoneInfo) and due.astimezone(tz).replace(tzinfo=None) != naive:
            raise InputError("when", f"{text} does not exist in {tz_label} (the clocks skip it)")
        if due <= now:
            raise InputError("when", f"{text} {tz_label} is in the past")
        return due, tz_label
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        raise InputError("when", f"'{text}' is not a real date and time (e.g. 30 February)")
    raise InputError("when", f"'{text}' is not a date and time: write it like 2026-12-01 17:00")


def parse_title(title: str | None) -> str:
    text = clean(title, 10_000)
    if not text:
        raise InputError("title", "give the deadline a title")
    if len(text) > TITLE_MAX:
        raise InputError("title", f"is {len(text)} characters; keep it under {TITLE_MAX}")
    if _PING_SYNTAX.search(text):
        raise InputError("title", "must not contain mentions (@everyone, @here, <@…>); the reminder role is set "
                                  "with /staff reminders channel")
    return text


def parse_description(text: str | None) -> str:
    out = (text or "").strip()
    if len(out) > DESCRIPTION_MAX:
        raise InputError("description", f"is {len(out)} characters; keep it under {DESCRIPTION_MAX}")
    if _PING_SYNTAX.search(out):
        raise InputError("description", "must not contain mentions")
    return out


def parse_link(text: str | None) -> str | None:
    link = clean(text, 500)
    if not link:
        return None
    if not re.match(r"^https?://[^\s<>]+$", link):
        raise InputError("link", f"'{link[:60]}' is not an http(s) link")
    return link


def parse_offsets(text: str | None) -> list[int]:
    """'7d, 1d, 1h' → seconds, largest first; any positive duration ('90s') is accepted."""
    parts = [p for p in re.split(r"[,\s]+", clean(text, 200)) if p]
    if not parts:
        raise InputError("offsets", "give at least one duration, like 7d, 1d, 1h")
    seconds = []
    for part in parts:
        value = parse_duration(part)
        if value is None:
            raise InputError("offsets", f"'{part[:20]}' is not a positive duration (use s, m, h, d or w: 90s, 1h, 7d)")
        seconds.append(value)
    return sorted(set(seconds), reverse=True)


def describe_offset(seconds: int) -> str:
    """An offset as staff would type it ('1d')."""
    return describe_duration(seconds)
