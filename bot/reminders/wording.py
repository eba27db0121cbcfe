"""What a reminder says: the one place to change its wording."""

from __future__ import annotations

import datetime as dt

from bot.reminders.deadlines import describe_offset
from bot.reminders.state import Deadline
from bot.text import neutral

MESSAGE_MAX = 2000
"""Discord's limit on a message's content."""


def _body(headline: str, deadline: Deadline, offset_s: int, late_since: dt.datetime | None) -> list[str]:
    """The lines every reminder shares: the headline, the description, the link, and a late note."""
    lines = [headline]
    if deadline.description:
        lines.append(neutral(deadline.description))
    if deadline.link:
        lines.append(deadline.link)
    if late_since is not None:
        lines.append(f"_This {describe_offset(offset_s)} reminder is late: it was due <t:{int(late_since.timestamp())}:R>"
                     " while the bot was offline._")
    return lines


def _due(deadline: Deadline) -> str:
    unix = int(deadline.due.timestamp())
    return f"**{neutral(deadline.title)}** is due <t:{unix}:F> (<t:{unix}:R>)."


def message(deadline: Deadline, offset_s: int, role_id: int | None, late_since: dt.datetime | None) -> str:
    """A channel reminder: pings the one configured role, if any."""
    ping = f"<@&{role_id}> " if role_id else ""
    return "\n".join(_body(f"{ping}⏰ {_due(deadline)}", deadline, offset_s, late_since))[:MESSAGE_MAX]


def dm_message(deadline: Deadline, offset_s: int, late_since: dt.datetime | None) -> str:
    """A member's own reminder, by direct message: no ping, and how to stop it."""
    lines = _body(f"⏰ Your reminder: {_due(deadline)}", deadline, offset_s, late_since)
    lines.append("_You asked for this with Remind me. Stop it with the button below or /deadline mine._")
    return "\n".join(lines)[:MESSAGE_MAX]
