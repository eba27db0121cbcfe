"""The state database on real files that go wrong: truncated, not a database, deleted or replaced under
the open bot, read-only; backups and restores with the online backup API; the scheduler that survives."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

import pytest

from bot.app import App
from bot.config import BackupConfig, Config
from bot.reminders import backup
from bot.reminders.planner import plan
from bot.reminders.scheduler import ERROR_PAUSE_MAX, Outgoing, Scheduler
from bot.reminders.state import Deadline, State, StateDamagedError, StateLostError, StateWriteError
from bot.reply import render
from tests.conftest import NOW, make_config
from tests.support.files import read_only

T0 = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def deadline(ident: str = "report", due: dt.datetime = T0 + dt.timedelta(days=3)) -> Deadline:
    return Deadline(ident, "Report", due, "UTC")


@pytest.fixture
def state_file(tmp_path):
    """A closed state file holding one deadline and a reminder channel."""
    path = tmp_path / "state.db"
    state = State(path)
    state.save_deadline(deadline(), T0)
    state.set_setting("channel_id", 111)
    state.close()
    return path


# ------------------------------------------------------------------------------ damaged files


def test_a_truncated_state_file_is_named_with_how_to_restore(state_file):
    size = state_file.stat().st_size
    with open(state_file, "r+b") as f:
        f.truncate(size // 2)
    with pytest.raises(StateDamagedError) as caught:
        State(state_file)
    text = str(caught.value)
    assert str(state_file) in text and "damaged" in text
    assert "python -m bot state restore" in text


def test_a_file_that_is_not_a_database_is_damaged_not_a_traceback(tmp_path):
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not SQLite at all\n" * 200)
    with pytest.raises(StateDamagedError, match="state restore"):
        State(path)
    assert path.read_bytes().startswith(b"this is not SQLite")  # nothing was written over it


# ----------------------------------------------------------------- deleted or replaced under us


def test_a_deleted_state_file_refuses_the_write_with_a_critical_log(state_file, caplog):
    state = State(state_file)
    os.unlink(state_file)
    with caplog.at_level(logging.CRITICAL), pytest.raises(StateLostError, match="was deleted"):
        state.save_deadline(deadline("other"), T0)
    assert any(r.levelno == logging.CRITICAL and str(state_file) in r.getMessage() for r in caplog.records)
    state.close()


def test_a_replaced_state_file_is_not_written_to(state_file, tmp_path, caplog):
    state = State(state_file)
    other = tmp_path / "other.db"
    State(other).close()
    os.replace(other, state_file)
    with caplog.at_level(logging.CRITICAL), pytest.raises(StateLostError, match="replaced"):
        state.set_setting("channel_id", 999)
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)
    state.close()
    assert State(state_file).setting("channel_id") is None  # the replacement got nothing


def test_a_paged_replys_command_is_kept_through_the_same_guards_as_every_write(state_file, tmp_path):
    """remember() (page buttons) wrote past writing(): to a replaced file, silently, and on a read-only
    one with SQLite's raw error."""
    state = State(state_file)
    assert state.remember("alumni", {}, None, T0) >= 1
    with read_only(state_file, state_file.with_name("state.db-wal")), pytest.raises(StateWriteError):
        state.remember("alumni", {}, None, T0)
    other = tmp_path / "other.db"
    State(other).close()
    os.replace(other, state_file)
    with pytest.raises(StateLostError, match="replaced"):
        state.remember("alumni", {"page": 2}, None, T0)
    state.close()


def test_staff_are_told_plainly_that_a_change_to_a_vanished_file_was_not_saved(tmp_path):
    app = App(make_config(tmp_path), clock=lambda: NOW)
    try:
        os.unlink(tmp_path / "state.db")
        path, options = app.commands.parse("/staff deadline add title:Final report when:2027-01-10 17:00")
        reply = app.commands.run(app, path, options)
        text = render(reply, NOW)
        assert reply.kind == "error" and reply.ephemeral
        assert "NOT saved" in text and "was deleted" in text and "Deadline added" not in text
    finally:
        app.close()


# --------------------------------------------------------------------------------- read-only


def test_a_read_only_state_file_refuses_writes_and_works_again_when_writable(state_file):
    with read_only(state_file):
        state = State(state_file)  # reading still works
        assert [d.id for d in state.deadlines()] == ["report"]
        with pytest.raises(StateWriteError, match="read-only"):
            state.save_deadline(deadline("second"), T0)
    state.save_deadline(deadline("second"), T0)  # the same object: no restart needed
    state.close()
    assert [d.id for d in State(state_file).deadlines()] == ["report", "second"]


def test_staff_get_not_saved_and_why_on_a_read_only_disk(tmp_path):
    config = make_config(tmp_path)
    App(config).close()  # the state file and its tables exist
    with read_only(config.state_db):
        app = App(config, clock=lambda: NOW)
        try:
            path, options = app.commands.parse("/staff deadline add title:Final report when:2027-01-10 17:00")
            text = render(app.commands.run(app, path, options), NOW)
            assert "NOT saved" in text and "read-only" in text and str(config.state_db) in text
            path, options = app.commands.parse("/staff reminders channel channel:123")
            assert "NOT saved" in render(app.commands.run(app, path, options), NOW)
            assert app.state.deadlines() == []
        finally:
            app.close()


# ------------------------------------------------------------------------- backup and restore


def test_backup_and_restore_round_trip_keeps_a_copy_of_what_was_there(state_file, tmp_path):
    copy = backup.backup(state_file, tmp_path / "copy.db")
    state = State(state_file)
    state.remove_deadline("report", T0)
    state.set_setting("channel_id", 222)
    done = backup.restore(copy, state_file, directory=tmp_path / "backups")
    # the open State (a running bot) carries on with the restored content: same file, same inode
    assert [d.id for d in state.deadlines()] == ["report"] and state.channel_id() == 111
    state.save_deadline(deadline("after"), T0)
    state.close()
    assert sorted(d.id for d in State(state_file).deadlines()) == ["after", "report"]
    assert done.safety_copy is not None and State(done.safety_copy).channel_id() == 222


def test_restore_moves_a_damaged_file_aside(state_file, tmp_path):
    copy = backup.backup(state_file, tmp_path / "copy.db")
    state_file.write_bytes(b"garbage" * 1000)
    done = backup.restore(copy, state_file)
    assert done.moved_aside is not None and done.moved_aside.read_bytes().startswith(b"garbage")
    assert [d.id for d in State(state_file).deadlines()] == ["report"]


@pytest.mark.parametrize("content", [None, b"junk" * 100, b""])
def test_restore_refuses_what_is_not_a_state_backup(state_file, tmp_path, content):
    source = tmp_path / "source.db"
    if content is not None:
        source.write_bytes(content)
    before = state_file.read_bytes()
    with pytest.raises(backup.BackupError):
        backup.restore(source, state_file)
    assert state_file.read_bytes() == before


def test_the_automatic_backup_is_daily_and_keeps_the_newest(state_file, tmp_path):
    policy = backup.BackupPolicy(tmp_path / "backups", dt.timedelta(days=1), keep=2)
    made = [backup.run_if_due(policy, state_file, T0 + dt.timedelta(hours=h)) for h in range(0, 24 * 4, 6)]
    assert sum(m is not None for m in made) == 4  # at 0 h, 24 h, 48 h, 72 h
    kept = [p.name for _, p in backup.backups(policy.directory)]
    assert kept == [backup.backup_name(T0 + dt.timedelta(days=d)) for d in (2, 3)]
    assert [d.id for d in State(policy.directory / kept[-1]).deadlines()] == ["report"]


# ----------------------------------------------------------------- the scheduler is supervised


class Outbox:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, out: Outgoing) -> str:
        self.sent.append(out.content)
        return str(len(self.sent))

    async def find(self, out: Outgoing, since: dt.datetime) -> str | None:
        return None


def test_the_scheduler_backs_off_on_a_read_only_disk_and_resumes_by_itself(state_file, tmp_path):
    now = [T0 + dt.timedelta(days=3) - dt.timedelta(hours=1)]  # the 1 h reminder is due
    config = Config(reminder_offsets=(3600,), state_backup=BackupConfig(every=None))
    outbox = Outbox()
    state = State(state_file)
    plan(state, config, T0)  # planned when the deadline was added, as the command's poke does
    scheduler = Scheduler(state, config, outbox, lambda: now[0])

    async def rounds() -> list[dt.timedelta]:
        pauses = []
        with read_only(state_file, state_file.with_name("state.db-wal")):
            for _ in range(8):
                pauses.append(await scheduler.round())
        pauses.append(await scheduler.round())
        return pauses

    pauses = asyncio.run(rounds())
    failing, after = pauses[:-1], pauses[-1]
    assert [p.total_seconds() for p in failing] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert max(failing) == ERROR_PAUSE_MAX
    assert scheduler.failures == 0 and after > dt.timedelta(0)
    assert len(outbox.sent) == 1  # the reminder went out once the disk took writes again
    assert [r.status for r in state.reminders()] == ["sent"]
    state.close()


def test_a_poke_with_an_unwritable_state_does_not_raise(state_file):
    state = State(state_file)
    scheduler = Scheduler(state, Config(reminder_offsets=(3600,)), Outbox(), lambda: T0)

    async def poke() -> None:
        with read_only(state_file, state_file.with_name("state.db-wal")):
            scheduler.poke()
            assert scheduler.alive
        scheduler.stop()

    asyncio.run(poke())
    state.close()


@pytest.mark.parametrize("error", [ValueError("a bug mid-transaction"), asyncio.CancelledError()])
def test_any_error_inside_a_transaction_rolls_it_back_and_later_writes_are_kept(state_file, error):
    state = State(state_file)
    with pytest.raises(type(error)), state.transaction() as conn:
        conn.execute("DELETE FROM deadlines")
        raise error
    assert not state.conn.in_transaction
    state.set_setting("role_id", 222)  # a later write: its own commit, not part of a dangling transaction
    other = State(state_file)  # what another connection (and the next start) sees
    assert [d.id for d in other.deadlines()] == ["report"] and other.role_id() == 222
    other.close()
    state.close()
