"""Durations as staff and operators write them ('90s', '1h', '7d', '2w', '2 days', '1 week 1 day'):
the one unit table.
"""

from __future__ import annotations

import re

UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
"""Seconds per unit, largest first (describe() picks the largest unit that divides exactly)."""
WORDS = {"s": ("s", "sec", "secs", "second", "seconds"), "m": ("m", "min", "mins", "minute", "minutes"),
         "h": ("h", "hr", "hrs", "hour", "hours"), "d": ("d", "day", "days"), "w": ("w", "wk", "wks", "week", "weeks")}
"""The words for each unit, as people type them ('2 days', '1 week')."""
_UNIT_OF = {word: unit for unit, words in WORDS.items() for word in words}
_PART = re.compile(r"(\d+)\s*(" + "|".join(sorted(_UNIT_OF, key=len, reverse=True)) + r")(?![a-z])", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:" + _PART.pattern + r"[\s,]*(?:and\s+)?)+$", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """'90s', '1h', '7d', '2 days', '1 week 1 day', '1h30m' → seconds; None when it is not a positive
    duration (an unknown unit such as '1y' included).
    """
    raw = str(text)
    if not _WHOLE.match(raw):
        return None
    seconds = sum(int(n) * UNITS[_UNIT_OF[u.lower()]] for n, u in _PART.findall(raw))
    return seconds if seconds > 0 else None


def describe_duration(seconds: int) -> str:
    """Seconds back into the shortest exact form: 604800 → '1w', 5400 → '90m'."""
    for unit, size in UNITS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
