"""`python -m bot status` on real files: exit 0 when healthy, 1 with the reason when not."""

from __future__ import annotations

import datetime as dt
import os

from bot.catalog.build import build
from bot.cli import main
from bot.reminders.state import State
from tests.conftest import DATA


def setup(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"catalog:\n  data_dir: {DATA}\n  database: cat.db\nstate:\n  database: state.db\n")
    build(DATA, tmp_path / "cat.db")
    return config, State(tmp_path / "state.db")


def beat(state: State, next_in: dt.timedelta) -> None:
    now = dt.datetime.now(dt.UTC)
    state.set_setting("scheduler_beat", {"at": now.isoformat(), "next": (now + next_in).isoformat()})


def test_healthy_then_each_fault_exits_non_zero(tmp_path, capsys):
    config, state = setup(tmp_path)
    beat(state, dt.timedelta(hours=1))
    assert main(["--config", str(config), "status"]) == 0
    out = capsys.readouterr().out
    assert "OK    catalog    built" in out and "papers" in out
    assert "OK    state" in out and "writable" in out and "OK    scheduler  alive" in out
    assert "OK    reminders  0 planned, 0 sending, 0 failed" in out

    beat(state, -dt.timedelta(hours=1))  # the scheduler should have woken an hour ago
    assert main(["--config", str(config), "status"]) == 1
    assert "FAIL  scheduler  not running" in capsys.readouterr().out
    beat(state, dt.timedelta(hours=1))

    os.chmod(tmp_path / "state.db", 0o444)
    try:
        assert main(["--config", str(config), "status"]) == 1
        assert "FAIL  state" in capsys.readouterr().out
    finally:
        os.chmod(tmp_path / "state.db", 0o644)

    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "state-1.db").write_bytes(b"x")
    (tmp_path / "cat.db").unlink()
    assert main(["--config", str(config), "status"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  catalog" in out and "OK    backups    newest 0 min old" in out
    state.close()


def test_logging_file_rotates_from_the_config(tmp_path):
    import logging

    from bot.cli import log_to_file
    from bot.config import load_config

    config = tmp_path / "config.yaml"
    config.write_text("logging:\n  file: logs/bot.log\n  file_max_bytes: 2048\n  file_backups: 2\n")
    root = logging.getLogger()
    before = list(root.handlers)
    log_to_file(load_config(config))
    try:
        for n in range(200):
            logging.getLogger("bot.test").warning("line %d of the rotating log test", n)
    finally:
        for handler in root.handlers[len(before):]:
            handler.close()
            root.removeHandler(handler)
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["bot.log", "bot.log.1", "bot.log.2"]
    assert (tmp_path / "logs" / "bot.log").stat().st_size <= 2048


def test_a_members_refused_dm_is_counted_but_fails_nothing(tmp_path, capsys):
    config, state = setup(tmp_path)
    beat(state, dt.timedelta(hours=1))
    now = dt.datetime.now(dt.UTC)
    state.upsert_planned(("report", 3600, 0, 42), now + dt.timedelta(hours=1), now)  # a member's DM
    [dm] = state.reminders()
    state.set_status(dm, "failed", now, error="DMs closed")
    assert main(["--config", str(config), "status"]) == 0
    assert "OK    reminders  0 planned, 0 sending, 0 failed; members' DMs: 0 planned, 0 sent, 1 failed" in \
        capsys.readouterr().out
    state.upsert_planned(("report", 3600, 111, 0), now + dt.timedelta(hours=1), now)  # a channel reminder
    [channel] = [r for r in state.reminders() if not r.is_dm]
    state.set_status(channel, "failed", now, error="403")
    assert main(["--config", str(config), "status"]) == 1
    state.close()
