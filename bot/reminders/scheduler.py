"""The scheduler that sends due reminders, by the planner's rules, through a Discord-free `Sender`.

It sleeps until the next due time (no polling) and is poked awake when staff change anything.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from bot.reminders.deadlines import describe_offset
from bot.reminders.planner import IDLE, backoff, plan, verdict, wake_time
from bot.reminders.state import UNSENT, Deadline, Reminder, State
from bot.reminders.wording import message

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)


class SendError(Exception):
    """Discord did not accept the message (5xx, 429, unknown channel, missing permissions)."""


class Sender(Protocol):
    async def send(self, channel_id: int, content: str, role_id: int | None, nonce: str) -> str: ...


ERROR_PAUSE = dt.timedelta(minutes=1)
"""After an unexpected error the loop waits this long before trying again (no tight failure loop)."""
ErrorHook = Callable[[BaseException], Awaitable[None]]


class Scheduler:
    def __init__(self, state: State, config: Config, sender: Sender, clock: Callable[[], dt.datetime],
                 on_error: ErrorHook | None = None):
        self.state, self.config, self.sender, self.clock = state, config, sender, clock
        self.grace = dt.timedelta(seconds=config.reminder_grace)
        self.on_error = on_error
        self._sleeper: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        """The sleeper task is there and has not died."""
        return self._sleeper is not None and not self._sleeper.done()

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
            try:
                await self.run_due()
                wake = wake_time(self.state)
                now = self.clock()
                delay = (min(wake, now + IDLE) - now) if wake else IDLE
                # The heartbeat `python -m bot status` reads: alive while the next wake is not overdue.
                self.state.set_setting("scheduler_beat", {"at": now.isoformat(), "next": (now + delay).isoformat()})
            except Exception as exc:  # the loop must survive a full disk or a bug in one reminder
                log.exception("the reminder scheduler failed; trying again in %s", ERROR_PAUSE)
                if self.on_error is not None:
                    await self.on_error(exc)
                delay = ERROR_PAUSE
            await asyncio.sleep(max(0.0, delay.total_seconds()))

    async def run_due(self) -> int:
        """Send every reminder that is due now; returns how many were posted."""
        posted = 0
        deadlines = {d.id: d for d in self.state.deadlines()}
        role = self.state.role_id()
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

    async def _send(self, r: Reminder, deadline: Deadline, role: int | None, late_since: dt.datetime | None) -> int:
        attempts = r.attempts + 1
        self.state.set_status(r, "sending", self.clock(), attempts=attempts)
        role_id = role
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
