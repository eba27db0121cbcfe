"""GET /healthz and GET /metrics on the bot's own web server, the bot running on the simulated Discord."""

from __future__ import annotations

import dataclasses
import os

import aiohttp
import discord
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.config import DiscordConfig, WebConfig
from bot.web.health import HEALTH_PATH, METRICS_PATH
from tests.conftest import make_config
from tests.e2e.conftest import STAFF_ROLE
from tests.e2e.test_staff import make_staff


@pytest.fixture
def bot_app(tmp_path):
    config = dataclasses.replace(make_config(tmp_path),
                                 discord=DiscordConfig(sync_on_start=True, staff_role_ids=(STAFF_ROLE,)),
                                 web=WebConfig(listen="127.0.0.1:0"))
    app = App(config, clock=lambda: discord.utils.utcnow())
    app.open()
    yield app
    app.close()


async def get(env, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(env.bot.web.url + path) as r:
        return r.status, await r.text()


async def test_healthz_turns_503_when_the_gateway_drops_and_200_after(world):
    env, guild, channel, alice, bob = world
    assert await get(env, HEALTH_PATH) == (200, "ok\n")
    await env.bot.ws.close()  # the connection is lost: what discord.py sees, and then dispatches
    env.bot.dispatch("disconnect")
    await env.settle()
    status, body = await get(env, HEALTH_PATH)
    assert status == 503 and "gateway not connected" in body
    env.bot.ws.open = True  # discord.py reconnected and the gateway resumed the session
    env.bot._connection.parsers["RESUMED"]({})
    await env.settle()
    assert await get(env, HEALTH_PATH) == (200, "ok\n")
    status, text = await get(env, METRICS_PATH)
    assert 'bot_gateway_reconnects_total 1.0' in text


async def test_healthz_turns_503_when_the_state_file_is_read_only_and_200_after(world):
    env, guild, channel, alice, bob = world
    state_db = env.bot.app.config.state_db
    os.chmod(state_db, 0o444)
    try:
        status, body = await get(env, HEALTH_PATH)
        assert status == 503 and "state database not writable" in body and "read-only" in body
    finally:
        os.chmod(state_db, 0o644)
    assert await get(env, HEALTH_PATH) == (200, "ok\n")


async def test_healthz_is_503_when_the_scheduler_has_died(world):
    env, guild, channel, alice, bob = world
    env.bot.scheduler.stop()
    await env.settle()
    status, body = await get(env, HEALTH_PATH)
    assert status == 503 and "reminder scheduler not running" in body


async def test_metrics_parse_with_prometheus_client(world):
    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    await alice.slash(channel, "paper search", query="refusal direction")
    await bob.slash(channel, "paper search", query="zzqx flibbertigibbet")
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-20 12:00")
    status, text = await get(env, METRICS_PATH)
    assert status == 200
    families = {f.name: f for f in text_string_to_metric_families(text)}
    commands = {(s.labels["command"], s.labels["outcome"]): s.value
                for s in families["bot_commands"].samples if s.name == "bot_commands_total"}
    assert commands[("paper search", "answered")] == 1 and commands[("paper search", "no-match")] == 1
    buckets = [s for s in families["bot_command_latency_seconds"].samples
               if s.name.endswith("_count") and s.labels["command"] == "paper search"]
    assert buckets[0].value == 2
    reminders = {s.labels["state"]: s.value for s in families["bot_reminders"].samples}
    assert reminders["planned"] == 3 and reminders["failed"] == 0  # 7d, 1d and 1h before
    assert [s.value for s in families["bot_scheduler_lag_seconds"].samples] == [0.0]
    assert [s.value for s in families["bot_gateway_connected"].samples] == [1.0]
