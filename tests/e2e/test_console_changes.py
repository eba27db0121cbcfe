"""Changes the running bot did not make itself (the console's `/staff …`, another process) are planned
and kept to their time; planning never runs on the event loop. The bot here runs the scheduler's
production timing (CHANGE_POLL, IDLE), not the e2e fixture's long sleeps."""

from __future__ import annotations

import datetime as dt
import threading

import discord
import pytest

from bot.app import App
from bot.discord.client import create_bot
from bot.reminders.planner import IDLE
from bot.reminders.scheduler import CHANGE_POLL
from tests.e2e.test_staff import make_staff
from tests.support.commits import Commits


@pytest.fixture
def simcord_bot(bot_app):
    return create_bot(bot_app)  # the production scheduler: 10-second change polls, 10-minute passes


def console(bot_app: App) -> App:
    """What `python -m bot ask '/staff …'` opens: its own App and its own connection to the state file."""
    other = App(bot_app.config, clock=discord.utils.utcnow)
    other.open()
    return other


async def test_a_deadline_added_from_the_console_is_reminded_on_time(world, bot_app):
    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    await staffer.slash(channel, "staff reminders offsets", offsets="1h")
    await env.advance_time(60)  # the scheduler sleeps: nothing is due
    shell = console(bot_app)
    try:
        due = (env.now() + dt.timedelta(hours=1, minutes=3)).replace(second=0, microsecond=0)
        reply = shell.commands.run(shell, "staff deadline add", {"title": "Console report",
                                                                 "when": due.strftime("%Y-%m-%d %H:%M")})
        assert reply.pages[0].embeds[0].title == "Deadline added: Console report"
    finally:
        shell.close()
    reminder_at = due - dt.timedelta(hours=1)  # about 2-3 minutes from now: well inside IDLE
    await env.advance_time(CHANGE_POLL.total_seconds())
    woke, next_wake = bot_app.state.scheduler_beat()
    assert next_wake == reminder_at, "the bot saw the other process's change and means to wake for it"
    await env.advance_time((reminder_at - env.now()).total_seconds() + 1)
    [posted] = [m for m in channel.history() if "Console report" in m.content]
    assert "late" not in posted.content.lower() and posted.created_at <= reminder_at + dt.timedelta(seconds=2)


HEARTBEAT_PROMISE = dt.timedelta(minutes=10)
"""What `python -m bot status` relies on: a live scheduler's next wake is never further ahead than this."""


async def test_the_heartbeat_promises_a_wake_within_ten_minutes(world, bot_app):
    env, guild, channel, alice, bob = world
    assert IDLE <= HEARTBEAT_PROMISE
    await env.advance_time(IDLE.total_seconds() * 3)
    woke, next_wake = bot_app.state.scheduler_beat()
    assert dt.timedelta(0) < next_wake - woke <= IDLE
    assert env.now() - woke <= IDLE, "it keeps beating while nothing is due"


async def test_planning_writes_no_reminder_on_the_event_loop(world, bot_app):
    env, guild, channel, alice, bob = world
    staffer = guild.add_member(env.create_user("sam"), roles=[make_staff(env, guild)])
    commits = Commits(bot_app.state.conn, bot_app.state.path)
    loop_thread = threading.get_ident()  # the test runs on the bot's event loop
    await staffer.slash(channel, "staff reminders channel", channel=channel)
    added = await staffer.slash(channel, "staff deadline add", title="Final report", when="2026-01-20 12:00")
    assert added.response.embeds[0].title == "Deadline added: Final report"
    changed = await staffer.slash(channel, "staff reminders offsets", offsets="7d, 1d, 1h")
    assert changed.response.content.startswith("Reminders: 1w, 1d, 1h")
    await env.advance_time(CHANGE_POLL.total_seconds())  # the scheduler's own pass plans too
    commits.stop()
    assert commits.writers, "reminders were planned"
    assert loop_thread not in commits.writers, "every plan ran in a worker thread"
    assert len([r for r in bot_app.state.reminders() if r.status == "planned"]) == 3
