"""The planner's rules at their edges: when a reminder is late, missed or waits, how long a retry
waits, when the scheduler wakes, and which DM reminders a member's follow plans (written for the
mutants `make mutate` found surviving)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import Config
from bot.reminders.planner import LATE_AFTER, backoff, plan, verdict, wake_time
from bot.reminders.state import Deadline, Reminder, State

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
GRACE = dt.timedelta(hours=6)
DEADLINE = Deadline("report", "Report", T0 + dt.timedelta(days=3), "UTC")


def reminder(due: dt.datetime, next_try: dt.datetime | None = None) -> Reminder:
    return Reminder("report", 3600, 111, due, "planned", "r" + "0" * 24, 0, next_try, None)


@pytest.mark.parametrize("after_due,expected", [
    (dt.timedelta(seconds=-1), "wait"),
    (dt.timedelta(0), "send"),
    (LATE_AFTER, "send"),  # a minute's delay is on time
    (LATE_AFTER + dt.timedelta(seconds=1), "late"),
    (GRACE, "late"),  # still within the grace period
    (GRACE + dt.timedelta(seconds=1), "missed"),
])
def test_verdict_at_the_edges_of_on_time_late_and_missed(after_due, expected):
    due = T0
    assert verdict(reminder(due), DEADLINE, due + after_due, GRACE) == expected


def test_verdict_cancels_without_a_deadline_and_misses_once_it_has_passed():
    assert verdict(reminder(T0), None, T0, GRACE) == "cancel"
    assert verdict(reminder(T0), DEADLINE, DEADLINE.due, GRACE) == "missed"


def test_verdict_waits_for_the_retry_time():
    r = reminder(T0, next_try=T0 + dt.timedelta(seconds=10))
    assert verdict(r, DEADLINE, T0 + dt.timedelta(seconds=9), GRACE) == "wait"
    assert verdict(r, DEADLINE, T0 + dt.timedelta(seconds=10), GRACE) == "send"


def test_backoff_doubles_from_five_seconds_up_to_ten_minutes():
    assert [backoff(n).total_seconds() for n in range(0, 10)] == [5, 5, 10, 20, 40, 80, 160, 320, 600, 600]


@pytest.fixture
def state(tmp_path):
    s = State(tmp_path / "state.db")
    yield s
    s.close()


def test_the_scheduler_wakes_at_the_earliest_due_or_retry_time(state):
    config = Config(reminder_offsets=(86400, 3600))
    assert wake_time(state) is None
    state.set_setting("channel_id", 111)
    state.save_deadline(DEADLINE, T0)
    plan(state, config, T0)
    assert wake_time(state) == DEADLINE.due - dt.timedelta(days=1)
    [first, _] = state.reminders()
    state.set_status(first, "planned", T0, error="503", next_try=DEADLINE.due - dt.timedelta(hours=2))
    assert wake_time(state) == DEADLINE.due - dt.timedelta(hours=2)
    state.set_status(first, "sent", T0)
    assert wake_time(state) == DEADLINE.due - dt.timedelta(hours=1)


def test_a_follow_plans_dm_reminders_at_the_members_offsets_else_the_staffs(state):
    config = Config(reminder_offsets=(86400, 3600))
    state.save_deadline(DEADLINE, T0)
    state.save_deadline(Deadline("other", "Other", T0 + dt.timedelta(days=5), "UTC"), T0)
    state.follow(7, "report", [7200], T0)
    state.follow(8, "other", None, T0)
    plan(state, config, T0)
    dms = sorted((r.member_id, r.deadline_id, r.offset_s, r.channel_id, r.due) for r in state.reminders())
    assert dms == [
        (7, "report", 7200, 0, DEADLINE.due - dt.timedelta(seconds=7200)),
        (8, "other", 3600, 0, T0 + dt.timedelta(days=5, hours=-1)),
        (8, "other", 86400, 0, T0 + dt.timedelta(days=4)),
    ]


def test_a_follow_plans_nothing_already_past_when_followed_or_for_a_removed_deadline(state):
    config = Config(reminder_offsets=(86400, 3600))
    state.save_deadline(DEADLINE, T0)
    followed_at = DEADLINE.due - dt.timedelta(hours=2)  # the 1-day reminder was already past
    state.follow(7, "report", None, followed_at)
    state.follow(9, "gone", None, T0)
    plan(state, config, followed_at)
    assert [(r.member_id, r.offset_s) for r in state.reminders()] == [(7, 3600)]


def test_removing_a_deadline_cancels_its_unsent_reminders_at_once_and_keeps_what_was_sent(state):
    config = Config(reminder_offsets=(86400, 3600))
    state.set_setting("channel_id", 111)
    state.save_deadline(DEADLINE, T0)
    state.follow(7, "report", None, T0)
    plan(state, config, T0)
    first = next(r for r in state.reminders() if r.offset_s == 86400 and not r.is_dm)
    state.set_status(first, "sent", T0, message_id="1")
    sending = next(r for r in state.reminders() if r.offset_s == 3600 and not r.is_dm)
    state.set_status(sending, "sending", T0, attempts=1, attempt_at=T0)
    assert state.remove_deadline("report", T0 + dt.timedelta(hours=1)) is True
    statuses = sorted((r.member_id, r.offset_s, r.status) for r in state.reminders())
    assert statuses == [(0, 3600, "cancelled"), (0, 86400, "sent"), (7, 3600, "cancelled"), (7, 86400, "cancelled")]
    assert state.follows() == [] and state.deadline("report") is None
    [removed] = state.removed_deadlines()
    assert (removed.id, removed.title, removed.due, removed.updated) == ("report", "Report", DEADLINE.due,
                                                                          T0 + dt.timedelta(hours=1))
    assert state.remove_deadline("report", T0) is False, "already gone"


def test_unfollowing_cancels_only_that_members_unsent_dms(state):
    config = Config(reminder_offsets=(3600,))
    state.set_setting("channel_id", 111)
    state.save_deadline(DEADLINE, T0)
    state.follow(7, "report", None, T0)
    state.follow(8, "report", None, T0)
    plan(state, config, T0)
    assert state.unfollow(7, "report", T0) is True
    assert sorted((r.member_id, r.status) for r in state.reminders()) == [(0, "planned"), (7, "cancelled"),
                                                                           (8, "planned")]
    assert state.unfollow(7, "report", T0) is False


MEMBERS, DEADLINES = 200, 5


@pytest.fixture
def crowded(tmp_path):
    """A real App whose deadlines each have MEMBERS followers (the follows written in one transaction)."""
    import sqlite3

    from bot.app import App
    from tests.conftest import make_config

    app = App(make_config(tmp_path), clock=lambda: T0)
    app.open()
    state = app.state
    state.set_setting("channel_id", 111)
    for i in range(DEADLINES):
        state.save_deadline(Deadline(f"d{i}", f"Deadline {i}", T0 + dt.timedelta(days=10 + i), "UTC"), T0)
    other = sqlite3.connect(state.path)
    with other:
        other.executemany("INSERT INTO follows (member_id, deadline_id, offsets, created_at) VALUES (?, ?, NULL, ?)",
                          [(1000 + m, f"d{i}", T0.isoformat()) for m in range(MEMBERS) for i in range(DEADLINES)])
    other.close()
    plan(state, app.config, T0)
    yield app
    app.close()


def test_an_offsets_change_for_every_member_is_two_commits_not_one_per_reminder(crowded):
    from tests.support.commits import Commits

    commits = Commits(crowded.state.conn, crowded.state.path)
    reply = crowded.commands.run(crowded, "staff reminders offsets", {"offsets": "7d, 2d, 1d, 1h"})
    commits.stop()
    assert reply.pages[0].content.startswith("Reminders: 1w, 2d, 1d, 1h")
    assert commits.count == 2, "the setting, then the whole plan in one transaction"
    planned = [r for r in crowded.state.reminders() if r.status == "planned"]
    assert len(planned) == (MEMBERS + 1) * DEADLINES * 4  # every member's DMs and the channel's
    commits = Commits(crowded.state.conn, crowded.state.path)
    assert plan(crowded.state, crowded.config, T0) == 0  # nothing left to change
    commits.stop()
    assert commits.count == 0


def test_a_plan_that_fails_half_way_writes_nothing(crowded, monkeypatch):
    """One transaction: a plan that cannot finish leaves every reminder as it was (never half moved)."""
    import sqlite3

    from bot.reminders.state import StateWriteError

    before = crowded.state.reminders()
    crowded.state.set_setting("offsets", [86400 * 2, 3600])
    # the new 2d reminders are inserted first; cancelling the 1d ones then fails (a fault SQLite raises)
    crowded.state.conn.execute("CREATE TRIGGER fault AFTER UPDATE ON reminders WHEN NEW.status = 'cancelled'"
                               " AND NEW.offset_s = 86400 BEGIN SELECT RAISE(FAIL, 'a fault mid-plan'); END")
    with pytest.raises((StateWriteError, sqlite3.Error)):
        plan(crowded.state, crowded.config, T0)
    assert crowded.state.reminders() == before and not crowded.state.conn.in_transaction
