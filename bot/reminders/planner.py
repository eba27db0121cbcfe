"""Deadline reminders that fire exactly once: the planning rules (pure; the scheduler acts on them).

The rules, in the order a reminder meets them:
- Planned from (deadline, offset, channel) and from each member's follow (deadline, offset, member:
  a DM); moving a deadline moves its unsent reminders, a sent one is never sent again, removing a
  deadline (or a member unfollowing) cancels what is unsent.
- Marked `sending` (one committed write, with the time the attempt began) before the send, `sent`
  only after Discord accepted it. A crash in between leaves `sending`. Discord drops a resend with
  the same nonce (`enforce_nonce`) only for a few minutes, so before any resend of a `sending`
  reminder the scheduler reads the channel from the attempt's start for the reminder's marker (its
  nonce, in the message's button custom_id): found → `sent`; not found → sent now.
- A refused DM (the member's DMs are closed) is `failed` at once: no retries, and /deadline mine
  tells the member why.
- Fell due while the bot was down: posted late (and says so) within the grace period, otherwise
  marked `missed` and logged — never a burst of stale reminders after an outage.
- A deadline already past sends nothing. Failures Discord may get over (429, 5xx) retry with
  backoff, then end as `failed`; a refusal only staff can fix (403 permissions, 404 channel gone)
  fails at once. Either way /staff reminders preview says what happened and what to do.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Literal

from bot.reminders.state import UNSENT, Deadline, Follow, Key, Reminder, State

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)
LATE_AFTER = dt.timedelta(seconds=60)
IDLE = dt.timedelta(minutes=10)
"""The longest the scheduler goes without a full pass and a heartbeat, with nothing due: the heartbeat's
"next wake" is never further ahead, so `python -m bot status` tells a dead scheduler within this (plus
its slack) rather than hours later."""


def offsets(state: State, config: Config) -> list[int]:
    return state.offsets() or list(config.reminder_offsets)


def member_offsets(follow: Follow, staff: list[int]) -> list[int]:
    """The offsets a member's DMs use: the ones they picked, else the staff's."""
    return list(follow.offsets) if follow.offsets else staff


def plan(state: State, config: Config, now: dt.datetime) -> int:
    """Bring the reminder table in line with deadlines, offsets, the channel and members' follows;
    returns how many reminders it changed.

    A change never creates a reminder that is late or missed at once: a reminder is planned only
    while its time is still ahead of *now* (a deadline added 3 hours ahead has no "1 day before"
    reminder; a new reminder channel, a new offset or a new follow does not repost one whose time
    has passed). One already planned for the same time stays planned, whatever else was edited (a
    title or description edit never cancels a reminder that is due, retrying or late after downtime);
    only moving the deadline moves it, and a move into the past cancels it.

    One transaction, reads included: every write is one commit, and what is planned is what the
    deadlines, settings and follows said at one instant (another process may be editing them).
    """
    with state.transaction():
        channel = state.channel_id()
        staff = offsets(state, config)
        deadlines = {d.id: d for d in state.deadlines()}
        rows = state.plan_rows()
        wanted: dict[Key, dt.datetime] = {}

        def want(key: Key, due: dt.datetime) -> None:
            old = rows.get(key)
            if due > now or (old is not None and old[0] in UNSENT and old[1] == due):
                wanted[key] = due

        if channel:
            for d in deadlines.values():
                for off in staff:
                    want((d.id, off, channel, 0), d.due - dt.timedelta(seconds=off))
        for f in state.follows():
            followed = deadlines.get(f.deadline_id)
            if followed is None:
                continue
            for off in member_offsets(f, staff):
                want((followed.id, off, 0, f.member_id), followed.due - dt.timedelta(seconds=off))
        return state.apply_plan(wanted, now, rows)


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
    """When the next unsent reminder is due (or retried): one aggregate query, whatever the count."""
    return state.next_wake()


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))
