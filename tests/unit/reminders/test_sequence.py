"""Deadline edit counts (the feed's SEQUENCE) and removals kept for the feed, in the state database."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.reminders.state import Deadline, State

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC)


def test_only_a_real_change_raises_the_sequence(tmp_path):
    state = State(tmp_path / "state.db")
    d = state.save_deadline(Deadline("report", "Report", DUE, "UTC"), NOW)
    assert (d.sequence, d.created, d.updated) == (0, NOW, NOW)
    later = NOW + dt.timedelta(hours=1)
    assert state.save_deadline(d, later).sequence == 0  # saved again unchanged: calendars need not refetch
    moved = state.save_deadline(Deadline("report", "Report", DUE + dt.timedelta(days=1), "UTC"), later)
    assert (moved.sequence, moved.updated) == (1, later)


def test_removed_deadline_is_kept_for_the_feed_and_a_readd_continues_its_sequence(tmp_path):
    state = State(tmp_path / "state.db")
    state.save_deadline(Deadline("report", "Report", DUE, "UTC"), NOW)
    assert state.remove_deadline("report", NOW + dt.timedelta(minutes=5))
    assert state.deadlines() == []
    [gone] = state.removed_deadlines()
    assert (gone.id, gone.sequence, gone.updated) == ("report", 1, NOW + dt.timedelta(minutes=5))
    again = state.save_deadline(Deadline("report", "Report", DUE, "UTC"), NOW + dt.timedelta(minutes=9))
    assert again.sequence == 2 and state.removed_deadlines() == []


def test_a_state_file_from_before_sequences_is_migrated(tmp_path):
    path = tmp_path / "state.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE deadlines (id TEXT PRIMARY KEY, title TEXT NOT NULL, due_utc TEXT NOT NULL,"
                 " timezone TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', link TEXT, created_by TEXT,"
                 " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)")
    conn.execute("INSERT INTO deadlines VALUES ('old','Old',?,'UTC','',NULL,'',?,?)",
                 (DUE.isoformat(), NOW.isoformat(), NOW.isoformat()))
    conn.commit()
    conn.close()
    [d] = State(path).deadlines()
    assert (d.id, d.sequence) == ("old", 0)


def test_a_reminder_table_from_before_member_dms_is_rebuilt_keeping_its_rows(tmp_path):
    path = tmp_path / "state.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE reminders (deadline_id TEXT NOT NULL, offset_s INTEGER NOT NULL, channel_id INTEGER"
                 " NOT NULL, due_utc TEXT NOT NULL, status TEXT NOT NULL, nonce TEXT NOT NULL, attempts INTEGER NOT"
                 " NULL DEFAULT 0, next_try_utc TEXT, last_error TEXT, message_id TEXT, updated_at TEXT NOT NULL,"
                 " PRIMARY KEY (deadline_id, offset_s, channel_id))")
    conn.execute("INSERT INTO reminders VALUES ('old', 3600, 111, ?, 'sent', 'rabc', 1, NULL, NULL, '42', ?)",
                 (DUE.isoformat(), NOW.isoformat()))
    conn.commit()
    conn.close()
    [r] = State(path).reminders()
    assert (r.key, r.status, r.message_id, r.attempt_at) == (("old", 3600, 111, 0), "sent", "42", None)
