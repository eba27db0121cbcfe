"""`python -m bot run` as a real process against a local fake Discord, through the two URL settings a
proxy user relies on: it logs in, syncs and answers a slash command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.discord_contract import violations
from tests.support.fake_discord import GUILD_ID, TOKEN, running_fake

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bot_process(tmp_path):
    def start(fake, extra_config: str = ""):
        config = tmp_path / "config.yaml"
        config.write_text(
            f"log_level: INFO\ndiscord:\n  guild_ids: [{GUILD_ID}]\n  sync_on_start: true\n"
            f"catalog:\n  data_dir: {ROOT / 'data'}\n  database: {tmp_path / 'catalog.db'}\n"
            f"state:\n  database: {tmp_path / 'state.db'}\n{extra_config}", encoding="utf-8")
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "BOT_CONFIG": str(config)}
        log = open(tmp_path / "bot.log", "w")  # noqa: SIM115 - closed with the process below
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        procs.append((proc, log))
        return proc

    procs: list = []
    yield start
    for proc, log in procs:
        proc.kill()
        proc.wait(10)
        log.close()


def test_logs_in_syncs_and_answers_through_the_url_settings(bot_process, tmp_path):
    with running_fake() as fake:
        proc = bot_process(fake)
        log = tmp_path / "bot.log"
        assert fake.wait_for(lambda: "ready as" in log.read_text(), 120), log.read_text()
        assert fake.wait_for(lambda: any(r.method == "PUT" for r in fake.requests), 120)
        synced = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
        assert synced[0].path == f"/applications/1100000000000000001/guilds/{GUILD_ID}/commands"
        assert {"paper", "person", "help"} <= {c["name"] for c in synced[0].json}

        iid = fake.interaction("paper", {"query": "refusal direction"}, sub="search")
        assert fake.wait_for(lambda: fake.callbacks(iid), 120), (tmp_path / "bot.log").read_text()
        callback = fake.callbacks(iid)[0]
        assert len(fake.callbacks(iid)) == 1, fake.callbacks(iid)
        assert callback["type"] == 4
        assert "Refusal in Language Models" in str(callback["data"]["embeds"])
        for r in fake.requests:
            if r.json is not None and r.method in ("POST", "PUT", "PATCH"):
                assert violations(r.method, r.path, r.json) == [], r.path
        assert proc.poll() is None
        proc.kill()
        proc.wait(10)
    text = log.read_text()
    assert "20 papers" in text and "fake-token" not in text


def test_a_rejected_token_is_one_clear_message(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"catalog:\n  database: {tmp_path / 'c.db'}\n  data_dir: {ROOT / 'data'}\n"
                      f"state:\n  database: {tmp_path / 's.db'}\n", encoding="utf-8")
    with running_fake() as fake:
        env = {**os.environ, "DISCORD_TOKEN": "not-the-token", "DISCORD_API_BASE_URL": fake.api_url,
               "BOT_CONFIG": str(config)}
        done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Discord rejected the token" in done.stderr and "not-the-token" not in done.stderr


def test_an_unreachable_discord_is_one_clear_message(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"catalog:\n  database: {tmp_path / 'c.db'}\n  data_dir: {ROOT / 'data'}\n"
                      f"state:\n  database: {tmp_path / 's.db'}\n", encoding="utf-8")
    env = {**os.environ, "DISCORD_TOKEN": "x", "DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10",
           "BOT_CONFIG": str(config)}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "cannot reach Discord" in done.stderr


def test_sync_command_registers_the_commands_once(tmp_path):
    """Only the PUT: no web server bound, no reminder posted, no second sync from sync_on_start
    (discord.py's login runs setup_hook, which starts those in a serving bot)."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))  # web.listen points at a port in use: binding it would fail
    taken.listen()
    port = taken.getsockname()[1]
    config = tmp_path / "config.yaml"
    config.write_text(f"catalog:\n  database: {tmp_path / 'c.db'}\n  data_dir: {ROOT / 'data'}\n"
                      f"state:\n  database: {tmp_path / 's.db'}\n"
                      f"discord:\n  sync_on_start: true\n  guild_ids: [{GUILD_ID}]\n"
                      f"web:\n  listen: 127.0.0.1:{port}\n", encoding="utf-8")
    with taken, running_fake() as fake:
        env = {**os.environ, "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE_URL": fake.api_url, "BOT_CONFIG": str(config)}
        done = subprocess.run([sys.executable, "-m", "bot", "sync", "--guild", str(GUILD_ID)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        puts = [r for r in fake.requests if r.method == "PUT"]
    assert done.returncode == 0, done.stderr
    assert "synced" in done.stdout and "paper" in done.stdout
    assert len(puts) == 1 and puts[0].path.endswith(f"/guilds/{GUILD_ID}/commands")
    assert not [r for r in fake.requests if r.method == "POST" and "/messages" in r.path]
    assert violations("PUT", puts[0].path, puts[0].json) == []


def test_a_web_port_in_use_costs_the_web_server_not_the_bot(bot_process, tmp_path):
    """web.listen on a port another program holds: the log names web.listen, and members still get
    answers (the process once died in setup_hook with an OSError blamed on Discord)."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    with taken, running_fake() as fake:
        proc = bot_process(fake, f"web:\n  listen: 127.0.0.1:{port}\n")
        log = tmp_path / "bot.log"
        assert fake.wait_for(lambda: "ready as" in log.read_text(), 120), log.read_text()
        iid = fake.interaction("paper", {"query": "refusal direction"}, sub="search")
        assert fake.wait_for(lambda: fake.callbacks(iid), 120), log.read_text()
        assert proc.poll() is None
        proc.kill()  # before the fake stops: it does not wait on a connected client's close
        proc.wait(10)
    assert f"web.listen 127.0.0.1:{port}: cannot listen" in log.read_text()
