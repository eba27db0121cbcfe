"""The state database under real processes: a damaged file stops the start with a distinct exit code and
the restore command; `state backup` / `state restore` round-trip; a read-only state file neither stops
the bot nor kills its reminder scheduler, which sends the reminder by itself once the file is writable."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import EXIT_STATE_DAMAGED
from bot.config import load_config
from bot.reminders.planner import plan
from bot.reminders.state import Deadline, State
from tests.support.fake_discord import CHANNEL_ID, TOKEN, running_fake
from tests.support.files import read_only

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"log_level: INFO\ncatalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
                      f"state:\n  database: {tmp_path / 'state.db'}\n{extra}", encoding="utf-8")
    return config


def bot(config: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "BOT_CONFIG": str(config), **env})


def test_a_damaged_state_file_stops_the_start_with_its_own_exit_code(tmp_path):
    config = write_config(tmp_path)
    state = State(tmp_path / "state.db")
    state.save_deadline(Deadline("report", "Report", dt.datetime(2027, 1, 10, tzinfo=dt.UTC), "UTC"),
                        dt.datetime.now(dt.UTC))
    state.close()
    with open(tmp_path / "state.db", "r+b") as f:
        f.truncate((tmp_path / "state.db").stat().st_size // 2)
    for args, env in ((("run",), {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10"}),
                      (("ask", "/deadline list"), {})):
        done = bot(config, *args, **env)
        assert done.returncode == EXIT_STATE_DAMAGED == 3, done.stderr
        assert "Traceback" not in done.stderr
        assert str(tmp_path / "state.db") in done.stderr and "damaged" in done.stderr
        assert "python -m bot state restore" in done.stderr


def test_state_backup_and_restore_from_the_command_line(tmp_path):
    config = write_config(tmp_path)
    state = State(tmp_path / "state.db")
    state.set_setting("channel_id", 111)  # kept open: the "running bot"
    made = bot(config, "state", "backup")
    assert made.returncode == 0, made.stderr
    [copy] = (tmp_path / "backups").glob("state-*.db")
    assert str(copy) in made.stdout
    named = bot(config, "state", "backup", str(tmp_path / "mine.db"))
    assert named.returncode == 0 and (tmp_path / "mine.db").is_file()

    state.set_setting("channel_id", 222)
    restored = bot(config, "state", "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    assert state.channel_id() == 111  # the open connection sees the restored state
    state.set_setting("role_id", 5)  # and its writes still land in the file at the path
    state.close()
    assert State(tmp_path / "state.db").role_id() == 5

    missing = bot(config, "state", "restore", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "junk.db").write_bytes(b"junk" * 500)
    junk = bot(config, "state", "restore", str(tmp_path / "junk.db"))
    assert junk.returncode == 1 and "Traceback" not in junk.stderr
    assert State(tmp_path / "state.db").channel_id() == 111


def test_a_read_only_state_file_does_not_kill_the_scheduler(tmp_path):
    config = write_config(tmp_path, "reminders:\n  offsets: [3h]\n  grace: 6h\n")
    now = dt.datetime.now(dt.UTC)
    state = State(tmp_path / "state.db")
    state.set_setting("channel_id", CHANNEL_ID)
    added = now - dt.timedelta(hours=4)  # set before its 3 h reminder fell due (an hour ago)
    state.save_deadline(Deadline("report", "Final report", now + dt.timedelta(hours=2), "UTC"), added)
    plan(state, load_config(config), added)  # planned when added; its 3 h reminder fell due an hour ago
    assert [r.status for r in state.reminders()] == ["planned"]
    state.close()
    log_path = tmp_path / "bot.log"
    with running_fake() as fake, open(log_path, "w") as log:
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}
        with read_only(tmp_path / "state.db"):
            proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)
            try:
                def failing_and_ready() -> bool:
                    text = log_path.read_text()
                    return proc.poll() is not None or (text.count("cannot write its state") >= 2 and "ready as" in text)

                assert fake.wait_for(failing_and_ready, 120), log_path.read_text()
                assert proc.poll() is None, log_path.read_text()
                assert fake.messages == []  # nothing is posted that could not be recorded first
            except BaseException:
                proc.kill()
                raise
        try:
            assert fake.wait_for(lambda: fake.messages, 120), log_path.read_text()
            assert fake.wait_for(lambda: "works again" in log_path.read_text(), 60), log_path.read_text()
        finally:
            proc.kill()
            proc.wait(10)
    text = log_path.read_text()
    assert len(fake.messages) == 1 and "Final report" in fake.messages[0]["content"]
    assert "read-only" in text and "Traceback" not in text
    assert [r.status for r in State(tmp_path / "state.db").reminders()] == ["sent"]
