"""What a reminder says: the one place to change its wording."""

from __future__ import annotations

import datetime as dt

from bot.reminders.deadlines import describe_offset
from bot.reminders.state import Deadline
from bot.text import neutral


def message(deadline: Deadline, offset_s: int, role_id: int | None, late_since: dt.datetime | None) -> str:
    unix = int(deadline.due.timestamp())
    lines = [f"{f'<@&{role_id}> ' if role_id else ''}⏰ **{neutral(deadline.title)}** is due <t:{unix}:F> (<t:{unix}:R>)."]
    if deadline.description:
        lines.append(neutral(deadline.description))
    if deadline.link:
        lines.append(deadline.link)
    if late_since is not None:
        lines.append(f"_This {describe_offset(offset_s)} reminder is late: it was due <t:{int(late_since.timestamp())}:R>"
                     " while the bot was offline._")
    return "\n".join(lines)[:2000]


def dm_message(deadline: Deadline, offset_s: int, late_since: dt.datetime | None) -> str:
    """A member's own reminder, by direct message: no ping, and how to stop it."""
    unix = int(deadline.due.timestamp())
    lines = [f"⏰ Your reminder: **{neutral(deadline.title)}** is due <t:{unix}:F> (<t:{unix}:R>)."]
    if deadline.description:
        lines.append(neutral(deadline.description))
    if deadline.link:
        lines.append(deadline.link)
    if late_since is not None:
        lines.append(f"_This {describe_offset(offset_s)} reminder is late: it was due <t:{int(late_since.timestamp())}:R>"
                     " while the bot was offline._")
    lines.append("_You asked for this with Remind me. Stop it with the button below or /deadline mine._")
    return "\n".join(lines)[:2000]
