"""Planning and sending reminders with an injected clock: grace, edits, deletes, retries, exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.config import Config
from bot.reminders.planner import plan
from bot.reminders.scheduler import Outgoing, Scheduler, SendError
from bot.reminders.state import Deadline, State

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class Outbox:
    """A Sender that records what it would post (and can fail on demand); `posted` is what the
    channel holds (a send the bot never heard back from included), which `find` reads."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, int | None, str]] = []
        self.posted: list[Outgoing] = []
        self.failures = 0
        self.looked: list[tuple[str, dt.datetime]] = []

    async def send(self, out: Outgoing) -> str:
        if self.failures:
            self.failures -= 1
            raise SendError("503 Service Unavailable")
        self.sent.append((out.channel_id, out.content, out.role_id, out.nonce))
        self.posted.append(out)
        return str(len(self.posted))

    async def find(self, out: Outgoing, since: dt.datetime) -> str | None:
        self.looked.append((out.nonce, since))
        return next((str(i + 1) for i, p in enumerate(self.posted) if p.nonce == out.nonce), None)


@pytest.fixture
def setup(tmp_path):
    state = State(tmp_path / "state.db")
    config = Config(reminder_offsets=(86400, 3600), reminder_grace=6 * 3600, reminder_max_attempts=3)
    clock, outbox = Clock(), Outbox()
    state.set_setting("channel_id", 111)
    state.set_setting("role_id", 222)
    return state, config, clock, outbox, Scheduler(state, config, outbox, clock)


def add(state, clock, ident="report", due=T0 + dt.timedelta(days=3)):
    state.save_deadline(Deadline(ident, "Report", due, "UTC"), clock())


def run(scheduler) -> int:
    return asyncio.run(scheduler.run_due())


def test_each_reminder_is_sent_once_at_its_time(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    assert run(sched) == 0
    clock.now = T0 + dt.timedelta(days=2)  # the 1d reminder is due
    assert run(sched) == 1 and run(sched) == 0
    clock.now = T0 + dt.timedelta(days=3, hours=-1)
    assert run(sched) == 1
    assert [s[2] for s in outbox.sent] == [222, 222]
    assert len({s[3] for s in outbox.sent}) == 2


def test_downtime_within_grace_is_late_beyond_grace_is_missed(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2, hours=2)  # 1d reminder 2 h late: within 6 h grace
    assert run(sched) == 1 and "is late" in outbox.sent[0][1]
    clock.now = T0 + dt.timedelta(days=2, hours=22, minutes=59)  # the 1h reminder is not due yet
    assert run(sched) == 0
    state2_due = T0 + dt.timedelta(days=10)
    add(state, clock, "later", state2_due)
    plan(state, config, clock())
    clock.now = state2_due - dt.timedelta(hours=1) + dt.timedelta(minutes=1)  # 1d missed by 23 h, 1h is on time
    sent = run(sched)
    statuses = {(r.deadline_id, r.offset_s): r.status for r in state.reminders()}
    assert statuses[("later", 86400)] == "missed" and statuses[("later", 3600)] == "sent" and sent >= 1


def test_moving_a_deadline_replans_unsent_and_never_resends(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2)
    run(sched)  # the 1d reminder is sent
    add(state, clock, due=T0 + dt.timedelta(days=5))  # moved two days later
    plan(state, config, clock())
    rows = {r.offset_s: r for r in state.reminders()}
    assert rows[86400].status == "sent"  # not re-sent for the new date
    assert rows[3600].due == T0 + dt.timedelta(days=5, hours=-1)
    clock.now = T0 + dt.timedelta(days=5, hours=-1)
    assert run(sched) == 1 and len(outbox.sent) == 2


def test_deadline_moved_into_the_past_or_removed_sends_nothing(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    add(state, clock, "gone")
    plan(state, config, clock())
    state.remove_deadline("gone", clock())
    add(state, clock, due=T0 - dt.timedelta(hours=1))
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=4)
    assert run(sched) == 0 and outbox.sent == []
    statuses = sorted((r.deadline_id, r.offset_s, r.status) for r in state.reminders())
    assert statuses == [("gone", 3600, "cancelled"), ("gone", 86400, "cancelled"),
                        ("report", 3600, "cancelled"), ("report", 86400, "cancelled")]


def test_failures_retry_with_backoff_then_fail_visibly(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2)
    outbox.failures = 1
    assert run(sched) == 0
    [row] = [r for r in state.reminders() if r.offset_s == 86400]
    assert row.status == "planned" and row.attempts == 1 and row.next_try > clock.now
    assert run(sched) == 0  # backing off: not retried yet
    clock.now = row.next_try
    assert run(sched) == 1  # the retry goes out with the same nonce
    outbox.failures = 5
    clock.now = T0 + dt.timedelta(days=3, hours=-1)
    for _ in range(5):
        run(sched)
        clock.now += dt.timedelta(minutes=10)
    [last] = [r for r in state.reminders() if r.offset_s == 3600]
    assert last.status == "failed" and last.attempts == 3 and "503" in last.last_error


def test_crash_before_the_send_reached_discord_sends_it_after_looking(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    [row] = [r for r in state.reminders() if r.offset_s == 86400]
    clock.now = T0 + dt.timedelta(days=2)
    state.set_status(row, "sending", clock(), attempts=1, attempt_at=clock())  # killed before the request left
    clock.now += dt.timedelta(minutes=30)  # restarted long after Discord's nonce window
    assert run(sched) == 1
    assert outbox.looked == [(row.nonce, T0 + dt.timedelta(days=2))]  # read from the attempt's start
    assert outbox.sent[0][3] == row.nonce


def test_crash_after_the_send_reached_discord_is_found_and_not_resent(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2)
    [row] = [r for r in state.reminders() if r.offset_s == 86400]
    state.set_status(row, "sending", clock(), attempts=1, attempt_at=clock())
    outbox.posted.append(Outgoing(row.deadline_id, 111, 0, "…", 222, row.nonce))  # it got out; the record did not
    clock.now += dt.timedelta(hours=2)
    assert run(sched) == 0 and outbox.sent == []
    [after] = [r for r in state.reminders() if r.offset_s == 86400]
    assert after.status == "sent" and after.message_id == "1"


def test_an_uncertain_failure_is_looked_for_before_the_retry(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2)

    async def timeout(out: Outgoing) -> str:
        outbox.posted.append(out)  # Discord posted it, but the answer never came back
        raise SendError("no answer from Discord", uncertain=True)

    sched.sender.send = timeout  # type: ignore[method-assign]
    assert run(sched) == 0
    [row] = [r for r in state.reminders() if r.offset_s == 86400]
    assert row.status == "sending" and row.next_try is not None
    clock.now = row.next_try
    assert run(sched) == 0
    assert [r.status for r in state.reminders() if r.offset_s == 86400] == ["sent"]
    assert len(outbox.posted) == 1


def test_changing_offsets_or_channel_cancels_unsent(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    state.set_setting("offsets", [7200])
    state.set_setting("channel_id", 333)
    plan(state, config, clock())
    rows = sorted((r.channel_id, r.offset_s, r.status) for r in state.reminders())
    assert rows == [(111, 3600, "cancelled"), (111, 86400, "cancelled"), (333, 7200, "planned")]


class Meddling(Outbox):
    """An Outbox that, while the first message is on its way to Discord, lets staff or a member
    change something (the change a slow send leaves time for)."""

    def __init__(self, change) -> None:
        super().__init__()
        self.change = change

    async def send(self, out: Outgoing) -> str:
        if self.change is not None:
            change, self.change = self.change, None
            change()
        return await super().send(out)


@pytest.mark.parametrize("what", ["removed", "moved", "forgotten"])
def test_a_change_made_while_a_pass_is_sending_is_not_overruled(setup, what):
    state, config, clock, _, _ = setup
    add(state, clock, "first", T0 + dt.timedelta(days=3))
    add(state, clock, "second", T0 + dt.timedelta(days=3, minutes=1))
    state.follow(7, "second", [86400], clock())
    plan(state, config, clock())
    moved_to = T0 + dt.timedelta(days=6)

    def change() -> None:
        if what == "removed":
            state.remove_deadline("second", clock())
        elif what == "moved":
            add(state, clock, "second", moved_to)
        else:
            state.forget_member(7)
        plan(state, config, clock())  # what the command's poke does

    outbox = Meddling(change)
    sched = Scheduler(state, config, outbox, clock)
    clock.now = T0 + dt.timedelta(days=2, minutes=1)  # both 1d reminders (and the DM) are due
    run(sched)
    # the first deadline's reminder; the second's channel one only when just the member was forgotten
    assert [s[0] for s in outbox.sent] == ([111, 111] if what == "forgotten" else [111])
    rows = {(r.deadline_id, r.offset_s, r.member_id): r for r in state.reminders()}
    assert rows[("first", 86400, 0)].status == "sent"
    if what == "removed":
        assert rows[("second", 86400, 0)].status == "cancelled"
        assert rows[("second", 86400, 7)].status == "cancelled"
    elif what == "moved":
        assert rows[("second", 86400, 0)].status == "planned"
        assert rows[("second", 86400, 0)].due == moved_to - dt.timedelta(days=1)
    else:
        assert ("second", 86400, 7) not in rows and rows[("second", 86400, 0)].status == "sent"


def test_a_new_channel_offset_or_follow_never_reposts_a_reminder_whose_time_passed(setup):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    state.follow(7, "report", [3600], clock())
    plan(state, config, clock())
    clock.now = T0 + dt.timedelta(days=2, hours=1)
    assert run(sched) == 1  # the 1d reminder, in channel 111
    state.set_setting("channel_id", 333)  # /staff reminders channel: a new channel
    state.set_setting("offsets", [172800, 86400, 3600])  # and a 2d offset, long past
    state.follow(7, "report", [86400, 3600], clock())  # the member now wants the 1d DM too
    plan(state, config, clock())
    assert run(sched) == 0 and len(outbox.sent) == 1
    rows = sorted((r.channel_id, r.member_id, r.offset_s, r.status) for r in state.reminders())
    assert rows == [(0, 7, 3600, "planned"), (111, 0, 3600, "cancelled"), (111, 0, 86400, "sent"),
                    (333, 0, 3600, "planned")]


@pytest.mark.parametrize("how", ["retrying", "late"])
def test_editing_the_title_or_description_keeps_a_due_reminder(setup, how):
    state, config, clock, outbox, sched = setup
    add(state, clock)
    plan(state, config, clock())
    if how == "retrying":
        clock.now = T0 + dt.timedelta(days=2)
        outbox.failures = 1
        assert run(sched) == 0
    else:
        clock.now = T0 + dt.timedelta(days=2, hours=2)  # back from downtime: the 1d reminder is late
    state.save_deadline(Deadline("report", "Final report", T0 + dt.timedelta(days=3), "UTC", "Now in PDF"), clock())
    plan(state, config, clock())
    [row] = [r for r in state.reminders() if r.offset_s == 86400]
    assert row.status == "planned"
    clock.now = max(clock.now, row.next_try or clock.now)
    assert run(sched) == 1 and "Final report" in outbox.sent[0][1]
    assert [r.status for r in state.reminders() if r.offset_s == 86400] == ["sent"]
