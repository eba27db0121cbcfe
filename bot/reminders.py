"""Deadline reminders that fire exactly once: planning, and the scheduler that sends them.

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
The scheduler sleeps until the next due time (no polling) and is poked awake when staff change
anything; the core stays Discord-free behind the `Sender` protocol.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .deadlines import describe_offset
from .state import UNSENT, Deadline, Reminder, State
from .text import neutral

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger(__name__)
LATE_AFTER = dt.timedelta(seconds=60)
IDLE = dt.timedelta(hours=6)


class SendError(Exception):
    """Discord did not accept the message (5xx, 429, unknown channel, missing permissions)."""


class Sender(Protocol):
    async def send(self, channel_id: int, content: str, role_id: int | None, nonce: str) -> str: ...


def offsets(state: State, config: Config) -> list[int]:
    stored = state.setting("offsets")
    return list(stored) if stored else list(config.reminder_offsets)  # type: ignore[arg-type]


def plan(state: State, config: Config, now: dt.datetime) -> None:
    """Bring the reminder table in line with deadlines, offsets and the channel."""
    channel = state.setting("channel_id")
    keep: set[tuple[str, int, int]] = set()
    if channel:
        for d in state.deadlines():
            for off in offsets(state, config):
                key = (d.id, off, int(channel))  # type: ignore[arg-type]
                keep.add(key)
                state.upsert_planned(*key, d.due - dt.timedelta(seconds=off), now)
    state.cancel_unsent(keep, now)


def verdict(r: Reminder, deadline: Deadline | None, now: dt.datetime, grace: dt.timedelta) -> str:
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


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


class Scheduler:
    def __init__(self, state: State, config: Config, sender: Sender, clock: Callable[[], dt.datetime]):
        self.state, self.config, self.sender, self.clock = state, config, sender, clock
        self.grace = dt.timedelta(seconds=config.reminder_grace)
        self._sleeper: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.poke()

    def poke(self) -> None:
        """Something changed: re-plan and restart the sleep (a fresh task, no waiting on an Event)."""
        plan(self.state, self.config, self.clock())
        if self._sleeper is not None and not self._sleeper.done():
            self._sleeper.cancel()
        self._sleeper = asyncio.get_running_loop().create_task(self._run(), name="reminders")

    def stop(self) -> None:
        if self._sleeper is not None:
            self._sleeper.cancel()

    async def _run(self) -> None:
        while True:
            await self.run_due()
            wake = wake_time(self.state)
            now = self.clock()
            delay = (min(wake, now + IDLE) - now) if wake else IDLE
            await asyncio.sleep(max(0.0, delay.total_seconds()))

    async def run_due(self) -> int:
        """Send every reminder that is due now; returns how many were posted."""
        posted = 0
        deadlines = {d.id: d for d in self.state.deadlines()}
        role = self.state.setting("role_id")
        for r in self.state.reminders(UNSENT):
            now = self.clock()
            decision = verdict(r, deadlines.get(r.deadline_id), now, self.grace)
            if decision == "wait":
                continue
            if decision in ("cancel", "missed"):
                self.state.set_status(r, "cancelled" if decision == "cancel" else "missed", now)
                if decision == "missed":
                    log.warning("reminder %s -%s missed (due %s, now %s)", r.deadline_id,
                                describe_offset(r.offset_s), r.due.isoformat(), now.isoformat())
                continue
            posted += await self._send(r, deadlines[r.deadline_id], role, r.due if decision == "late" else None)
        return posted

    async def _send(self, r: Reminder, deadline: Deadline, role: object, late_since: dt.datetime | None) -> int:
        attempts = r.attempts + 1
        self.state.set_status(r, "sending", self.clock(), attempts=attempts)
        role_id = int(role) if role else None  # type: ignore[arg-type]
        try:
            message_id = await self.sender.send(r.channel_id, message(deadline, r.offset_s, role_id, late_since),
                                                role_id, r.nonce)
        except SendError as exc:
            now = self.clock()
            if attempts >= self.config.reminder_max_attempts:
                self.state.set_status(r, "failed", now, error=str(exc)[:300])
                log.warning("reminder %s -%s failed after %d attempts: %s", r.deadline_id,
                            describe_offset(r.offset_s), attempts, exc)
            else:
                self.state.set_status(r, "planned", now, error=str(exc)[:300], next_try=now + backoff(attempts))
            return 0
        self.state.set_status(r, "sent", self.clock(), message_id=message_id)
        log.info("reminder %s -%s posted in %s", r.deadline_id, describe_offset(r.offset_s), r.channel_id)
        return 1
