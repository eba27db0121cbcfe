"""The scheduler that sends due reminders, by the planner's rules, through a Discord-free `Sender`.

It sleeps until the next due time and is poked awake when staff or members change anything through
the bot. A change made by another process (the console's `/staff …`, a deadline edit from a shell)
cannot poke it, so while it sleeps it reads the state's change counter every `CHANGE_POLL` (one small
read, no write) and plans again when the counter moved. A poke never interrupts a pass that is
sending: it only asks the pass to plan again when it is done, so a send is never cancelled between
reaching Discord and being recorded. Planning (every reminder of every member) and the list of due
reminders are read in a worker thread: the event loop keeps answering members meanwhile.

It is supervised: an error (a read-only or full disk, a file replaced under the bot, a bug in one
reminder) is logged and retried with a growing pause, and the loop carries on by itself once the cause
is gone; it never dies silently. The daily backup of the state database rides on the same loop.

Exactly once beyond Discord's nonce window: a reminder found in `sending` (a crash, or an answer
that never came) may already be in the channel. Before any resend the scheduler asks the sender to
look for it: the channel's messages since the attempt began, for the reminder's marker (its nonce,
carried in the message's button). Found: recorded as sent. Not found: sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.reminders import backup
from bot.reminders.deadlines import describe_offset
from bot.reminders.planner import IDLE, Verdict, backoff, plan, verdict, wake_time
from bot.reminders.state import UNSENT, Deadline, Reminder, State, StateError, Status
from bot.reminders.wording import dm_message, message

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)


class SendError(Exception):
    """Discord did not accept the message.

    `uncertain`: it may have posted it all the same (5xx, timeout, connection lost), so the message
    is looked for before any resend. `permanent`: trying again cannot help (the member's DMs are
    closed), so the reminder fails at once instead of retrying.
    """

    def __init__(self, message: str, *, uncertain: bool = False, permanent: bool = False):
        super().__init__(message)
        self.uncertain, self.permanent = uncertain, permanent


@dataclass(frozen=True)
class Outgoing:
    """One reminder as the sender posts it: where, what, and the marker to find it by later."""

    deadline_id: str
    channel_id: int  # 0 for a DM
    member_id: int  # 0 for a channel reminder
    content: str
    role_id: int | None
    nonce: str  # also the marker: the sender puts it in the message's button custom_id


class Sender(Protocol):
    async def send(self, out: Outgoing) -> str:
        """Post *out*; the message id, or SendError."""
        ...

    async def find(self, out: Outgoing, since: dt.datetime) -> str | None:
        """The id of our message carrying *out*'s marker posted after *since*, or None; SendError
        when the channel cannot be read.
        """
        ...


def _name(r: Reminder) -> str:
    where = f"DM to {r.member_id}" if r.is_dm else f"in {r.channel_id}"
    return f"{r.deadline_id} -{describe_offset(r.offset_s)} {where}"


ERROR_PAUSE_FIRST = dt.timedelta(seconds=1)
"""After an error the loop waits this long before trying again, doubling each time it fails again..."""
ERROR_PAUSE_MAX = dt.timedelta(minutes=1)
"""...up to this: a disk made writable again is used within a minute, and a failure loop stays cheap."""
ErrorHook = Callable[[BaseException], Awaitable[None]]
CHANGE_POLL = dt.timedelta(seconds=10)
"""How often the sleeping scheduler reads the change counter: a change another process made is planned
(and its reminders kept to their time) within this."""


class Scheduler:
    def __init__(self, state: State, config: Config, sender: Sender, clock: Callable[[], dt.datetime],
                 on_error: ErrorHook | None = None, *, change_poll: dt.timedelta | None = CHANGE_POLL,
                 idle: dt.timedelta = IDLE):
        self.state, self.config, self.sender, self.clock = state, config, sender, clock
        self.grace = dt.timedelta(seconds=config.reminder_grace)
        self.on_error = on_error
        self.backups = config.backup_policy(state.path)
        self.failures = 0  # errors in a row; 0 once a round went through
        self._sleeper: asyncio.Task[None] | None = None
        self._busy = False  # a pass is running: a poke must not cancel it
        self._dirty = False  # poked (or changed elsewhere): plan before the next pass
        self._seen: int | None = None  # the change counter the last plan started from
        self.change_poll, self.idle = change_poll, idle

    @property
    def alive(self) -> bool:
        """The sleeper task is there and has not died."""
        return self._sleeper is not None and not self._sleeper.done()

    def start(self) -> None:
        self.poke()

    def poke(self) -> None:
        """Something changed: plan again and restart the sleep (a fresh task, no waiting on an Event).

        The plan itself runs in the scheduler's task, off the event loop; a plan that cannot be written
        is retried by the loop (a staff change that was not saved has already been reported as such by
        the command). Never raises.
        """
        self._dirty = True
        if self._busy:
            return
        if self._sleeper is not None and not self._sleeper.done():
            self._sleeper.cancel()
        self._sleeper = asyncio.get_running_loop().create_task(self._run(), name="reminders")

    def stop(self) -> None:
        if self._sleeper is not None:
            self._sleeper.cancel()

    async def _run(self) -> None:
        while True:
            delay = await self.round()
            await self._sleep(delay)

    async def _sleep(self, delay: dt.timedelta) -> None:
        """Sleep *delay*, looking at the change counter every `change_poll`: a change made elsewhere ends
        the sleep (and is planned by the next pass).
        """
        left = max(0.0, delay.total_seconds())
        while left > 0:
            step = left if self.change_poll is None else min(left, self.change_poll.total_seconds())
            await asyncio.sleep(step)
            left -= step
            if left > 0 and await self._changed_elsewhere():
                self._dirty = True
                return

    async def _changed_elsewhere(self) -> bool:
        try:
            return await asyncio.to_thread(self.state.changes) != self._seen
        except Exception as exc:  # the next pass meets the same fault and reports it
            log.debug("could not read the change counter: %r", exc)
            return False

    async def _plan(self) -> None:
        self._dirty = False
        seen = await asyncio.to_thread(self.state.changes)
        await asyncio.to_thread(plan, self.state, self.config, self.clock())
        self._seen = seen

    def pause_after_error(self) -> dt.timedelta:
        """The pause after the current run of failures: 1 s, 2 s, 4 s, … up to ERROR_PAUSE_MAX."""
        pause: dt.timedelta = ERROR_PAUSE_FIRST * (2 ** min(self.failures - 1, 16))
        return min(pause, ERROR_PAUSE_MAX)

    async def round(self) -> dt.timedelta:
        """Plan, send what is due, back up when due; how long to sleep. Never raises (but cancellation)."""
        self._busy = True
        try:
            # Every pass plans (in a worker thread): whatever changed, here or elsewhere, is planned, and
            # a damaged state file is met (and reported) at the latest one `idle` after it happened.
            await self._plan()
            await self.run_due()
            while self._dirty:  # poked while sending: plan and run again before sleeping
                await self._plan()
                await self.run_due()
            wake = wake_time(self.state)
            now = self.clock()
            delay = (min(wake, now + self.idle) - now) if wake else self.idle
            # at the loop's own wakes (at least every `idle`): a backup adds no wake-up; SQLite's backup
            # copies the whole file, so it runs in a worker thread, not on the event loop
            await asyncio.to_thread(self._backup, now)
            # The heartbeat `python -m bot status` reads: alive while the next wake is not overdue.
            self.state.set_setting("scheduler_beat", {"at": now.isoformat(), "next": (now + delay).isoformat()})
        except Exception as exc:  # the loop must survive a full disk or a bug in one reminder
            self.failures += 1
            pause = self.pause_after_error()
            if isinstance(exc, StateError):
                log.error("the reminder scheduler cannot write its state (%d in a row): %s; trying again in %s",
                          self.failures, exc, pause)
            else:
                log.exception("the reminder scheduler failed (%d in a row); trying again in %s", self.failures, pause)
            if self.on_error is not None:
                try:
                    await self.on_error(exc)
                except Exception:
                    log.exception("could not report the scheduler's error")
            return pause
        finally:
            self._busy = False
        if self.failures:
            log.warning("the reminder scheduler works again after %d failed rounds", self.failures)
            self.failures = 0
        return delay

    def _backup(self, now: dt.datetime) -> None:
        """Make the automatic backup when one is due; a failure is logged and never stops the reminders."""
        try:
            backup.run_if_due(self.backups, self.state.path, now)
        except backup.BackupError as exc:
            log.error("the automatic backup of the state failed: %s", exc)

    async def run_due(self) -> int:
        """Send every reminder that is due now, one after another; returns how many were posted.

        Each send awaits Discord, and staff or members may change things meanwhile (a forget-me, a
        removed or moved deadline): every reminder and its deadline are read again just before acting
        on them, so the list read at the start of the pass never overrules a change made during it.
        """
        posted = 0
        role = self.state.role_id()
        for listed in await asyncio.to_thread(self.state.due_reminders, self.clock()):
            decided = self._decide(listed)
            if decided is None:
                continue
            r, deadline, decision = decided
            # `sending`: it may be in the channel already, so look before anything else
            if r.status == "sending":
                if await self._recovered(r, deadline, role, decision):
                    continue
                decided = self._decide(r)  # the look awaited Discord: a change meanwhile wins
                if decided is None:
                    continue
                r, deadline, decision = decided
            if decision == "missed":
                self.state.set_status(r, "missed", self.clock())
                log.warning("reminder %s missed (due %s, now %s)", _name(r), r.due.isoformat(),
                            self.clock().isoformat())
                continue
            posted += await self._send(r, deadline, role, r.due if decision == "late" else None)
        return posted

    def _decide(self, listed: Reminder) -> tuple[Reminder, Deadline, Verdict] | None:
        """The reminder and its deadline as stored now, and what to do; None when there is nothing to
        send now: it changed since *listed* was read (sent, cancelled, deleted, moved: the re-plan
        that change asked for handles it), it waits, or it was cancelled here.
        """
        r = self.state.reminder(listed.key)
        if r is None or r.status not in UNSENT or r.due != listed.due or r.nonce != listed.nonce:
            return None
        deadline = self.state.deadline(r.deadline_id)
        now = self.clock()
        decision = verdict(r, deadline, now, self.grace)
        if decision == "wait":
            return None
        if decision == "cancel" or deadline is None:
            self.state.set_status(r, "cancelled", now)
            return None
        return r, deadline, decision

    def outgoing(self, r: Reminder, deadline: Deadline, role: int | None, late_since: dt.datetime | None) -> Outgoing:
        if r.is_dm:
            return Outgoing(r.deadline_id, 0, r.member_id, dm_message(deadline, r.offset_s, late_since), None,
                            r.nonce)
        return Outgoing(r.deadline_id, r.channel_id, 0, message(deadline, r.offset_s, role, late_since), role,
                        r.nonce)

    async def _recovered(self, r: Reminder, deadline: Deadline, role: int | None, decision: Verdict) -> bool:
        """True when the reminder turned out to be posted already (now recorded as sent) or the
        channel could not be read (tried again later, or ended when that cannot help); False: it is
        not there, send it.
        """
        since = r.attempt_at or r.due
        try:
            found = await self.sender.find(self.outgoing(r, deadline, role, None), since)
        except SendError as exc:
            # Each look counts as an attempt: a channel that cannot be read for good (403/404) or for
            # too long ends the reminder as failed (or missed, once its time is past) instead of
            # leaving it `sending` forever.
            now = self.clock()
            attempts = r.attempts + 1
            error = f"could not check the channel: {exc}"[:300]
            if exc.permanent or attempts >= self.config.reminder_max_attempts:
                ended: Status = "missed" if decision == "missed" else "failed"
                self.state.set_status(r, ended, now, error=error, attempts=attempts)
                log.warning("reminder %s %s after %d attempt(s): %s", _name(r), ended, attempts, error)
            else:
                self.state.set_status(r, "sending", now, error=error, attempts=attempts,
                                      next_try=now + backoff(attempts))
            return True
        if found is None:
            log.info("reminder %s was not posted before the restart; sending it", _name(r))
            return False
        self.state.set_status(r, "sent", self.clock(), message_id=found)
        log.info("reminder %s was already posted (message %s): recorded, not resent", _name(r), found)
        return True

    async def _send(self, r: Reminder, deadline: Deadline, role: int | None, late_since: dt.datetime | None) -> int:
        attempts = r.attempts + 1
        started = self.clock()
        self.state.set_status(r, "sending", started, attempts=attempts, attempt_at=started)
        try:
            message_id = await self.sender.send(self.outgoing(r, deadline, role, late_since))
        except SendError as exc:
            now = self.clock()
            if exc.permanent or attempts >= self.config.reminder_max_attempts:
                self.state.set_status(r, "failed", now, error=str(exc)[:300])
                log.warning("reminder %s failed after %d attempt(s): %s", _name(r), attempts, exc)
            else:
                # An uncertain failure stays `sending`: the next attempt looks for it first.
                self.state.set_status(r, "sending" if exc.uncertain else "planned", now, error=str(exc)[:300],
                                      next_try=now + backoff(attempts))
            return 0
        self.state.set_status(r, "sent", self.clock(), message_id=message_id)
        log.info("reminder %s posted", _name(r))
        return 1
