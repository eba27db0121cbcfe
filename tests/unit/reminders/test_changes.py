"""The change counter another process's writes raise (by triggers), which the scheduler polls."""

from __future__ import annotations

import datetime as dt

from bot.reminders.state import Deadline, State

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def test_changes_made_through_another_connection_raise_the_counter_the_bot_reads(tmp_path):
    bot, console = State(tmp_path / "state.db"), State(tmp_path / "state.db")
    seen = bot.changes()
    console.save_deadline(Deadline("report", "Report", T0 + dt.timedelta(days=3), "UTC"), T0)
    assert bot.changes() > seen
    for change in (lambda: console.set_setting("offsets", [3600]), lambda: console.follow(7, "report", None, T0),
                   lambda: console.unfollow(7, "report", T0), lambda: console.remove_deadline("report", T0)):
        seen = bot.changes()
        change()
        assert bot.changes() > seen
    seen = bot.changes()
    bot.set_setting("scheduler_beat", {"at": T0.isoformat(), "next": T0.isoformat()})  # its own heartbeat
    assert bot.changes() == seen
    bot.close()
    console.close()


def test_an_older_state_file_gains_the_counter(tmp_path):
    import sqlite3

    path = tmp_path / "state.db"
    State(path).close()
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE changes; DROP TRIGGER deadlines_insert; DROP TRIGGER settings_delete;")
    conn.close()
    state = State(path)
    seen = state.changes()
    state.save_deadline(Deadline("report", "Report", T0 + dt.timedelta(days=3), "UTC"), T0)
    assert state.changes() == seen + 1
    state.close()
