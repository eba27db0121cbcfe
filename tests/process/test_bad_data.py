"""A bad edit in data/ (a `git pull` of a broken YAML) must not stop a restart: the real `python -m bot run`
and the systemd unit's pre-start build start on the last good var/catalog.db, name file, line and key in
the log and tell staff in the configured channel; only with no usable catalog do they refuse, saying
what to run."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog.build import build
from tests.support.fake_discord import CHANNEL_ID, GUILD_ID, TOKEN, running_fake

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "fellowship-bot.service"

#: kind -> (the edit to streams.yaml, what the report must name, how far after the edit the report's
#: line may be: the YAML parser names the line where it stopped, the one after an unclosed bracket)
BREAKAGES = {
    "schema": ("    name: Theory\n", "    nmae: Theory\n", "tracks[3].nmae", 0),
    "syntax": ('    editions: [summer, autumn]   # "theory"', "    editions: [summer, autumn", "not valid YAML", 1),
}


def broken_copy(tmp_path: Path, kind: str) -> tuple[Path, int]:
    """data/ copied and streams.yaml broken; returns the directory and the line of the edit."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    streams = data / "streams.yaml"
    text = streams.read_text(encoding="utf-8")
    old, new, _, _ = BREAKAGES[kind]
    assert text.count(old) == 1, old
    streams.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return data, line


def write_config(tmp_path: Path, data: Path, extra: str = "") -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"log_level: INFO\ndiscord:\n  guild_ids: [{GUILD_ID}]\n"
                      f"catalog:\n  data_dir: {data}\n  database: {tmp_path / 'catalog.db'}\n"
                      f"state:\n  database: {tmp_path / 'state.db'}\n{extra}", encoding="utf-8")
    return config


def last_good(tmp_path: Path) -> None:
    """A catalog built from the good data, older than the broken edit."""
    build(ROOT / "data", tmp_path / "catalog.db")
    os.utime(tmp_path / "catalog.db", (1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_run_starts_on_the_last_good_catalog_and_tells_staff(tmp_path, kind):
    data, line = broken_copy(tmp_path, kind)
    last_good(tmp_path)
    config = write_config(tmp_path, data, f"logging:\n  staff_channel_id: {CHANNEL_ID}\n")
    log_path = tmp_path / "bot.log"
    with running_fake() as fake, open(log_path, "w") as log:
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            assert fake.wait_for(lambda: "ready as" in log_path.read_text(), 120), log_path.read_text()
            assert fake.wait_for(lambda: fake.messages, 60), log_path.read_text()
            iid = fake.interaction("paper", {"query": "refusal direction"}, sub="search")
            assert fake.wait_for(lambda: fake.callbacks(iid), 120), log_path.read_text()
            assert proc.poll() is None
        finally:
            proc.kill()
            proc.wait(10)
    text = log_path.read_text()
    _, _, named, after = BREAKAGES[kind]
    where = f"{data / 'streams.yaml'}:{line + after}: "
    assert "serving the last good catalog" in text
    assert any(where in row and named in row and "ERROR" in row for row in text.splitlines()), text
    assert "Traceback" not in text
    assert "PyNaCl" not in text and "davey" not in text  # discord.py's voice warnings: the bot has no voice
    told = [m for m in fake.messages if int(m["channel_id"]) == CHANNEL_ID]
    assert len(told) == 1, told
    assert "does not build" in told[0]["content"] and named in told[0]["content"]
    assert "/staff catalog reload" in told[0]["content"]
    assert "Refusal in Language Models" in str(fake.callbacks(iid)[0])  # the old catalog answers


def test_run_without_any_usable_catalog_refuses_and_says_what_to_run(tmp_path):
    data, line = broken_copy(tmp_path, "schema")
    config = write_config(tmp_path, data)
    env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10",
           "BOT_CONFIG": str(config)}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"streams.yaml:{line}: tracks[3].nmae" in done.stderr
    assert "no usable catalog" in done.stderr and "python -m bot catalog build" in done.stderr
    assert not (tmp_path / "catalog.db").exists()


def test_a_damaged_catalog_database_is_rebuilt_from_good_data(tmp_path):
    config = write_config(tmp_path, ROOT / "data")
    (tmp_path / "catalog.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # truncated
    os.utime(tmp_path / "catalog.db", (4_000_000_000, 4_000_000_000))  # newer than data/: not "stale"
    env = {**os.environ, "BOT_CONFIG": str(config)}
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "/paper search query:refusal direction"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Refusal in Language Models" in done.stdout
    assert "building it again" in done.stderr


def pre_start_command() -> list[str]:
    """The unit's ExecStartPre, with this interpreter in place of the deployed venv's."""
    lines = [row for row in UNIT.read_text().splitlines() if row.startswith("ExecStartPre=")]
    assert len(lines) == 1, lines
    argv = shlex.split(lines[0].removeprefix("ExecStartPre="))
    assert not argv[0].startswith("-"), "a failure must still stop the start when there is no catalog"
    assert argv[0].endswith("/python")
    return [sys.executable, *argv[1:]]


def test_the_units_pre_start_build_keeps_the_last_good_catalog(tmp_path):
    data, line = broken_copy(tmp_path, "syntax")
    config = write_config(tmp_path, data)
    env = {**os.environ, "BOT_CONFIG": str(config)}
    refused = subprocess.run(pre_start_command(), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2, refused.stderr  # nothing to start on: the start fails, saying why
    assert f"streams.yaml:{line + 1}: not valid YAML" in refused.stderr and "Traceback" not in refused.stderr

    last_good(tmp_path)
    before = (tmp_path / "catalog.db").read_bytes()
    kept = subprocess.run(pre_start_command(), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert kept.returncode == 0, kept.stderr
    assert f"streams.yaml:{line + 1}: not valid YAML" in kept.stderr
    assert "kept the last good catalog" in kept.stderr
    assert (tmp_path / "catalog.db").read_bytes() == before
