"""Deadline reminders that fire exactly once: the planning rules (pure; the scheduler acts on them).

The rules, in the order a reminder meets them:
- Planned from (deadline, offset, channel); moving a deadline moves its unsent reminders, a sent one
  is never sent again, removing a deadline cancels what is unsent.
- Marked `sending` (one committed write) before the send, `sent` only after Discord accepted it. A
  crash in between leaves `sending`; the next start resends with the *same* nonce and
  `enforce_nonce`, and Discord returns the first message instead of posting a second one.
- Fell due while the bot was down: posted late (and says so) within the grace period, otherwise
  marked `missed` and logged — never a burst of stale reminders after an outage.
- A deadline already past sends nothing. Failures retry with backoff, then end as `failed`,
  visible in /staff reminders preview.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Literal

from bot.reminders.state import UNSENT, Deadline, Reminder, State

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)
LATE_AFTER = dt.timedelta(seconds=60)
IDLE = dt.timedelta(hours=6)


def offsets(state: State, config: Config) -> list[int]:
    return state.offsets() or list(config.reminder_offsets)


def plan(state: State, config: Config, now: dt.datetime) -> None:
    """Bring the reminder table in line with deadlines, offsets and the channel."""
    channel = state.channel_id()
    keep: set[tuple[str, int, int]] = set()
    if channel:
        for d in state.deadlines():
            for off in offsets(state, config):
                key = (d.id, off, channel)
                keep.add(key)
                state.upsert_planned(*key, d.due - dt.timedelta(seconds=off), now)
    state.cancel_unsent(keep, now)


Verdict = Literal["wait", "send", "late", "missed", "cancel"]
"""What the scheduler does with an unsent reminder now."""


def verdict(r: Reminder, deadline: Deadline | None, now: dt.datetime, grace: dt.timedelta) -> Verdict:
    """What to do with an unsent reminder now: wait, send, late, missed or cancel."""
    if deadline is None:
        return "cancel"
    if deadline.due <= now:
        return "missed"
    if r.due > now or (r.next_try is not None and r.next_try > now):
        return "wait"
    if now - r.due > grace:
        return "missed"
    return "late" if now - r.due > LATE_AFTER else "send"


def wake_time(state: State) -> dt.datetime | None:
    times = [max(r.due, r.next_try or r.due) for r in state.reminders(UNSENT)]
    return min(times) if times else None


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))
