"""The real bot (create_bot: same Bot, cogs and tree as production) against SimCord's simulated Discord."""

from __future__ import annotations

import dataclasses
import datetime as dt

import discord
import pytest

from bot.app import App
from bot.config import BackupConfig, DiscordConfig
from bot.discord.client import FellowshipBot, create_bot
from tests.conftest import make_config
from tests.support.discord_contract import violations_in

STAFF_ROLE = 4242


@pytest.fixture
def bot_app(tmp_path):
    # no automatic state backups: not what these tests are about, and a copy a simulated day would make
    # every advance_time over months cost real time (tests/unit/reminders/test_state_faults.py has them)
    config = dataclasses.replace(make_config(tmp_path),
                                 discord=DiscordConfig(sync_on_start=True, staff_role_ids=(STAFF_ROLE,)),
                                 state_backup=BackupConfig(every=None))
    app = App(config, clock=lambda: discord.utils.utcnow())
    app.open()
    yield app
    app.close()


E2E_IDLE = dt.timedelta(hours=6)
"""The scheduler's longest sleep in these tests: SimCord advances virtual time wake by wake within a few
real seconds, so the production 10-minute passes and 10-second change polls would make a simulated
week too slow. tests/e2e/test_console_changes.py runs the production values."""


def e2e_bot(app: App) -> FellowshipBot:
    """create_bot, with the scheduler's longest sleep at E2E_IDLE and no change polls."""
    bot = create_bot(app)
    bot.scheduler.change_poll, bot.scheduler.idle = None, E2E_IDLE
    return bot


@pytest.fixture
def simcord_bot(bot_app):
    return e2e_bot(bot_app)


@pytest.fixture
def world(simcord_env):
    """A guild with a channel, a member and a second member; every request checked at the end."""
    env = simcord_env
    guild = env.create_guild("Fellowship")
    channel = guild.create_text_channel("general")
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    yield env, guild, channel, alice, bob
    role = env.bot.app.state.role_id()  # the one role a reminder may ping
    problems = violations_in(env.http_requests, allowed_roles={str(role)} if role else frozenset())
    assert problems == [], "\n".join(problems)


async def open_staff_to(env, guild, *roles):
    """What a server admin does in Integrations: show /staff to these roles (Discord hides it otherwise)."""
    [staff] = [c for c in await env.bot.tree.fetch_commands() if c.name == "staff"]
    guild.set_command_permissions(staff, dict.fromkeys(roles, True))
