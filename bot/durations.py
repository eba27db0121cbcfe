"""Durations as staff and operators write them ('90s', '1h', '7d', '2w'): the one unit table."""

from __future__ import annotations

import re

UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
"""Seconds per unit, largest first (describe() picks the largest unit that divides exactly)."""
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """'90s', '1h', '7d' → seconds; None when it is not a positive duration."""
    m = _DURATION.match(str(text))
    if not m:
        return None
    seconds = int(m.group(1)) * UNITS[m.group(2).lower()]
    return seconds if seconds > 0 else None


def describe_duration(seconds: int) -> str:
    """Seconds back into the shortest exact form: 604800 → '1w', 5400 → '90m'."""
    for unit, size in UNITS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
