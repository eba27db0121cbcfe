"""Reading what staff type for a deadline: when, in which timezone, called what, reminded when.

Each error names the field, so a staff member on a phone knows what to fix; nothing is written
until everything parses. 'AoE' (Anywhere on Earth, UTC−12) is the classic trap: in the IANA
database it is 'Etc/GMT+12' — the sign is inverted — and getting it wrong moves a deadline 24 hours.
Natural times ('tomorrow 17:00') are read by `dateparser`, a maintained parser of human dates, rather
than by a regex collection of our own; what it cannot make one instant of is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser  # type: ignore[import-untyped]

from bot.durations import describe_duration, parse_duration
from bot.text import PING_SYNTAX, clean

TITLE_MAX = 200
DESCRIPTION_MAX = 1000
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_COMPACT = re.compile(r"^\d+[smhdw]$", re.IGNORECASE)
WHEN_EXAMPLES = "tomorrow 17:00, next friday 5pm AoE, in 3 days, 15 Dec 23:59"


def when_examples(now: dt.datetime) -> str:
    """The ways to write a time, the ISO one a month ahead of *now*: a fixed example date would in time
    be in the past, and the bot would refuse its own example.
    """
    ahead = now + dt.timedelta(days=30)
    return f"{ahead:%Y-%m-%d} 17:00, {WHEN_EXAMPLES}"
_TRAILING_ZONE = re.compile(r"^(.*?)\s+(aoe|utc|gmt|z|(?:utc|gmt)?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]+/[A-Za-z_/+-]+)$",
                            re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:in|within|after)\s+\d+\s*\w+|\b\d+\s*\w+\s+(?:from now|later)\b|\bnow\b",
                       re.IGNORECASE)
_HAS_DAY = re.compile(r"\d{1,2}\s+[a-z]{3}|[a-z]{3}\w*\s+\d{1,2}\b|\d{4}-\d{2}-\d{2}|\b(?:today|tomorrow|tonight|"
                      r"mon|tue|wed|thu|fri|sat|sun)\w*|\bin\s+\d+", re.IGNORECASE)
_VAGUE = re.compile(r"\b(?:next|this|coming|following|last)\s+(?:week|month|year|weekend|quarter|term)\b|"
                    r"^(?:week|month|year|weekend|soon|later|sometime|eow|eom|asap)\b|\bweekend\b|\bsoon\b|"
                    r"\b(?:end|middle|start|beginning)\s+of\b", re.IGNORECASE)
"""Periods, not instants ('next week', 'end of month'): refused rather than guessed."""


class InputError(ValueError):
    """Staff input that cannot be used; `field` names the option to fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


AOE_LABEL = "AoE (UTC−12)"
"""How an AoE deadline names its zone; parse_timezone reads it back, so an edit keeps the zone."""


def parse_timezone(text: str | None) -> tuple[dt.tzinfo, str]:
    """IANA names ('Europe/London'), UTC offsets ('+05:30', 'UTC-7'), 'UTC' and 'AoE'."""
    raw = clean(text or "UTC", 64)
    key = raw.strip()
    if key.lower() in ("aoe", "anywhere on earth", AOE_LABEL.lower()):  # the label reads back (edits)
        return ZoneInfo("Etc/GMT+12"), AOE_LABEL
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


def _local_naive(due_text: str, naive: dt.datetime, tz: dt.tzinfo, tz_label: str, now: dt.datetime) -> dt.datetime:
    """A wall-clock time in *tz* → aware UTC, refusing times the clocks skip and times past."""
    due = naive.replace(tzinfo=tz).astimezone(dt.UTC)
    if isinstance(tz, ZoneInfo) and due.astimezone(tz).replace(tzinfo=None) != naive:
        raise InputError("when", f"{due_text} does not exist in {tz_label} (the clocks skip it)")
    if due <= now:
        raise InputError("when", f"{due_text} {tz_label} is in the past")
    return due


def _split_zone(text: str) -> tuple[str, str | None]:
    """'next friday 5pm AoE' → ('next friday 5pm', 'AoE'): a timezone written at the end of the time."""
    m = _TRAILING_ZONE.search(text)
    if m is None or not m.group(1).strip():
        return text, None
    return m.group(1).strip(), m.group(2)


def _natural(text: str, tz: dt.tzinfo, now: dt.datetime) -> dt.datetime | None:
    """What `dateparser` reads in *text* as a wall-clock time in *tz*, future-preferring, from *now*."""
    base = now.astimezone(tz).replace(tzinfo=None)
    found: dt.datetime | None = dateparser.parse(text, languages=["en"], settings={
        "PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False,
        "REQUIRE_PARTS": []})
    if found is None:
        return None
    found = found.replace(second=0, microsecond=0) if _CLOCK.search(text) else found
    if not _CLOCK.search(text) and not _RELATIVE.search(text):
        found = found.replace(hour=23, minute=59, second=0, microsecond=0)  # a day alone: its end
    if _CLOCK.search(text) and not _HAS_DAY.search(text) and found <= base:
        found += dt.timedelta(days=1)  # '17:00' typed at 18:00: tomorrow's
    return found


def parse_when(when: str | None, timezone: str | None, now: dt.datetime) -> tuple[dt.datetime, str]:
    """What staff type → aware UTC datetime and the timezone as given.

    ISO first ('2026-12-01 17:00'; a date alone means 23:59 that day), then natural English through
    `dateparser` ('tomorrow 17:00', 'next friday 5pm AoE', 'in 3 days', '15 Dec 23:59',
    '2027-01-10 5pm'), future-preferring and in the deadline's timezone (the option, or a zone written
    at the end). Anything that names a period rather than an instant ('next week') is refused with
    examples: a deadline must be one instant everyone agrees on.
    """
    text = clean(when, 60)
    if not text:
        raise InputError("when", f"give a date and time like {when_examples(now)}")
    text, written_zone = _split_zone(text)
    if written_zone and timezone and parse_timezone(written_zone)[1] != parse_timezone(timezone)[1]:
        raise InputError("timezone", f"'when' says {written_zone} but 'timezone' says {timezone}: give one")
    tz, tz_label = parse_timezone(written_zone or timezone)
    for fmt in _DATE_FORMATS:
        try:
            naive = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            naive = naive.replace(hour=23, minute=59)
        return _local_naive(text, naive, tz, tz_label, now), tz_label
    if re.match(r"^\d{4}-\d{2}-\d{2}(\s+\d{1,2}:\d{2})?$", text):
        raise InputError("when", f"'{text}' is not a real date and time (e.g. 30 February)")
    if _VAGUE.search(text):
        raise InputError("when", f"'{text}' is a period, not an instant: say which day and time, e.g. "
                                 f"{when_examples(now)}")
    read = _natural(text, tz, now)
    if read is None:
        raise InputError("when", f"'{text}' is not a date and time: write it like {when_examples(now)}")
    return _local_naive(text, read, tz, tz_label, now), tz_label


def parse_title(title: str | None) -> str:
    text = clean(title, 10_000)
    if not text:
        raise InputError("title", "give the deadline a title")
    if len(text) > TITLE_MAX:
        raise InputError("title", f"is {len(text)} characters; keep it under {TITLE_MAX}")
    if PING_SYNTAX.search(text):
        raise InputError("title", "must not contain mentions (@everyone, @here, <@…>); the reminder role is set "
                                  "with /staff reminders channel")
    return text


def parse_description(text: str | None) -> str:
    """Cleaned like a title (no NUL, control, bidi override or zero-width characters), line by line:
    its line breaks stay; a description of only invisible characters is no description.
    """
    lines = [clean(line, 10_000) for line in (text or "").splitlines()]
    out = "\n".join(line for line in lines if line)
    if len(out) > DESCRIPTION_MAX:
        raise InputError("description", f"is {len(out)} characters; keep it under {DESCRIPTION_MAX}")
    if PING_SYNTAX.search(out):
        raise InputError("description", "must not contain mentions")
    return out


def parse_link(text: str | None) -> str | None:
    link = clean(text, 500)
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not re.match(r"^\S+$", link) \
            or "<" in link or ">" in link:
        raise InputError("link", f"'{link[:60]}' is not an http(s) link")
    if "@" in parts.netloc:  # https://discord.com@evil.example reads as discord.com but goes elsewhere
        raise InputError("link", "must not carry a user name before the host (the part before '@')")
    if PING_SYNTAX.search(link):
        raise InputError("link", "must not contain mentions (@everyone, @here, <@…>)")
    return link


def parse_offsets(text: str | None) -> list[int]:
    """'7d, 1d, 1h', '2 days', '1 week, 1 day' → seconds, largest first; any positive duration.

    Commas separate offsets ('1 week, 1 day' is two reminders); within one, words add up ('1 week 2
    days' is nine days), while compact tokens separated by spaces stay separate ('7d 1d 1h', as before).
    """
    pieces = [p.strip() for p in re.split(r"[,;]+", clean(text, 200)) if p.strip()]
    parts: list[str] = []
    for piece in pieces:
        tokens = piece.split()
        parts += tokens if len(tokens) > 1 and all(_COMPACT.match(t) for t in tokens) else [piece]
    if not parts:
        raise InputError("offsets", "give at least one duration, like 7d, 1d, 1h or 2 days")
    seconds = []
    for part in parts:
        value = parse_duration(part)
        if value is None:
            raise InputError("offsets", f"'{part[:20]}' is not a positive duration (like 90s, 1h, 7d, 2 days, 1 week)")
        seconds.append(value)
    return sorted(set(seconds), reverse=True)

def describe_offset(seconds: int) -> str:
    """An offset as staff would type it ('1d')."""
    return describe_duration(seconds)
